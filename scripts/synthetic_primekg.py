"""Write a synthetic ``kg.csv`` with the shape of PrimeKG, for scale tests and benchmarks.

Why: PrimeKG (Chandak, Huang & Zitnik, *Sci Data* 2023) cannot be downloaded here, and a
graph whose edges join uniformly drawn nodes has no hubs: every node has about the
same degree, so nothing that is slow on the real graph (expanding a gene expressed in
a thousand tissues, a drug with three thousand interactions, the phenotype shared by
thousands of diseases) shows up in a benchmark. This generator copies what is known
of PrimeKG's shape and makes up the rest, saying which is which.

What it copies (figures and their sources in ``primekg_reference.py``):

* node counts per type and row counts per relation (at full size, ``ROWS`` = 8,100,498,
  both are exactly PrimeKG's); ``relation``, ``display_relation``, ``x_type`` and
  ``x_source`` values as PrimeKG writes them, including ``drug_protein``'s four
  displays (target / enzyme / transporter / carrier) in PrimeKG's proportions;
* the layout of the file: relations in the order PrimeKG's build concatenates them,
  each fact once as its source lists it (the forward rows), then every fact again with
  x and y swapped, in the same order (the mirrored rows); ``x_index`` numbers nodes by
  their first appearance in the ``x`` column; forward rows of a relation are grouped by
  their x node, as the source files are (except protein-protein, which is not);
* real drugs and diseases when TxGNN's vocabularies are at hand (``--vocab``, default
  ``../shared/data/txgnn``): DrugBank ids and names, MONDO ids (bare integers, source
  ``MONDO``) and grouped diseases (ids joined by ``_``, source ``MONDO_grouped``);
  otherwise made-up ids of the same formats. Other nodes get made-up ids in PrimeKG's
  formats and readable made-up names (``GENE12345``, ``process 31295``);
* real facts: every fact of ``examples/mechanisms.csv`` (Belatacept targets CD80 and
  CD86, ...) is planted in the graph with its nodes' real ids and names (``--plant``).
  A planted disease that PrimeKG only has inside a group is written as that group.
  TP53 and GO's *protein binding* are made hubs, as they are in the real graph;
* one connected graph (PrimeKG is the giant component of its sources).

What it makes up: which nodes are joined. Each relation joins a subset of each node
type (its *share*, e.g. about 11 % of anatomy terms carry expression data) with
heavy-tailed degrees: every node has a hidden prominence, shared by all its relations
(a well-studied gene has many interactions, annotations and disease links); within a
relation a node's weight is ``exp(sigma * score)``, the score mixing prominence with
noise; edges are drawn with both ends chosen in proportion to weight (Chung-Lu), without
duplicates, after giving every taking-part node one edge. ``sigma`` is fitted per
relation and side so that the expected largest degree is the one in ``PARTS`` (our
assumption, with its reason there). Ontology relations (``parent-child``) are grown as
trees with preferential attachment (some terms have hundreds of children), plus extra
parents up to the relation's count. Finally isolated nodes and small components are
joined to the rest by moving single edges, which keeps every relation's count.

Scaling: below full size every relation keeps its share of the rows (largest
remainder, at least one fact, and at least the planted ones); node counts scale with the
square root of the size (``--nodes sqrt``, the default), which keeps each relation's
density -- and so its duplicate-free sampling -- as in PrimeKG, with mean degrees
smaller by the same square root. ``--nodes full`` keeps PrimeKG's node counts at any
size (a small file is then very sparse and not connected).

Deterministic for a seed. Memory: edges are kept as integer arrays (about 40 MB at full
size), never as rows; rows are streamed to the file. Full size takes a few minutes.

Usage::

    python scripts/synthetic_primekg.py ROWS OUT.csv[.gz] [--seed N] [--vocab DIR]
        [--no-vocab] [--plant FILE] [--no-plant] [--nodes sqrt|full] [-v]
    python scripts/synthetic_primekg.py --check FILE     # = scripts/primekg_shape.py FILE
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import random
import sys
import time
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, islice
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))
import primekg_reference as ref

REPO = Path(__file__).resolve().parents[1]
DEFAULT_VOCAB = REPO.parent / "shared" / "data" / "txgnn"
DEFAULT_PLANT = REPO / "examples" / "mechanisms.csv"
HEADER = ("relation", "display_relation", "x_index", "x_id", "x_type", "x_name", "x_source",
          "y_index", "y_id", "y_type", "y_name", "y_source")
#: Edge keys are ``x * KEY + y`` over global node numbers.
KEY = 1 << 21


@dataclass(frozen=True)
class Side:
    """How one node type takes part in a relation, at full size (assumptions)."""

    share: float  # fraction of the type's nodes with at least one such edge
    top: int  # the largest degree in the relation


@dataclass(frozen=True)
class Part:
    """One (relation, display_relation) of PrimeKG and how to generate it.

    ``x``/``y`` are the node types of the forward rows. ``xs``/``ys`` are ``None`` for
    an ontology (``parent-child``), grown as a tree; ``parent_is_x`` says which end of
    its forward rows is the parent.
    """

    relation: str
    display: str
    x: str
    y: str
    facts: int  # at full size
    xs: Side | None
    ys: Side | None
    basis: str
    parent_is_x: bool = True

    @property
    def symmetric(self) -> bool:
        return self.x == self.y

    @property
    def ontology(self) -> bool:
        return self.xs is None


G, DR, DI, PH = "gene/protein", "drug", "disease", "effect/phenotype"
BP, MF, CC = "biological_process", "molecular_function", "cellular_component"
EX, PW, AN = "exposure", "pathway", "anatomy"


def _facts(relation: str) -> int:
    return ref.RELATION_ROWS[relation] // 2


def _shown(display: str) -> int:
    return ref.DRUG_PROTEIN_DISPLAY_ROWS[display] // 2


#: Every part, in PrimeKG's file order. Shares and top degrees are our assumptions (no
#: per-node degree figures of PrimeKG are published); the basis says what they rest on.
#: "Hetionet" figures are node counts per metaedge in ../shared/data/hetionet/metaedges.tsv
#: (Hetionet v1.0 draws on several of PrimeKG's sources).
PARTS: tuple[Part, ...] = (
    Part("protein_protein", "ppi", G, G, _facts("protein_protein"),
         Side(0.68, 2500), Side(0.68, 2500),
         "~2/3 of genes have physical interactions (Hetionet GiG: 9.5-14k of 21k genes); "
         "interactome hubs (UBC, TP53, ...) have thousands of partners"),
    Part("drug_protein", "target", DR, G, _shown("target"), Side(0.62, 120), Side(0.095, 250),
         "most DrugBank drugs have a target; ~2,600 target genes; few drugs hit >100"),
    Part("drug_protein", "enzyme", DR, G, _shown("enzyme"), Side(0.20, 40), Side(0.012, 900),
         "a few hundred metabolising enzymes; CYP3A4 metabolises ~1,000 drugs"),
    Part("drug_protein", "transporter", DR, G, _shown("transporter"), Side(0.11, 25),
         Side(0.008, 400), "~200 transporters; ABCB1 carries several hundred drugs"),
    Part("drug_protein", "carrier", DR, G, _shown("carrier"), Side(0.08, 8), Side(0.002, 350),
         "~50 carriers; serum albumin binds most carried drugs"),
    Part("contraindication", "contraindication", DR, DI, _facts("contraindication"),
         Side(0.16, 500), Side(0.07, 900),
         "DrugCentral: ~1,300 drugs; broad diseases (hypertension, ...) hit by hundreds"),
    Part("indication", "indication", DR, DI, _facts("indication"), Side(0.23, 60),
         Side(0.08, 160), "TxGNN: ~8 % of PrimeKG's diseases have an indication"),
    Part("off-label use", "off-label use", DR, DI, _facts("off-label use"), Side(0.09, 30),
         Side(0.03, 60), "a smaller DrugCentral list with the same shape"),
    Part("drug_drug", "synergistic interaction", DR, DR, _facts("drug_drug"),
         Side(0.63, 3200), Side(0.63, 3200),
         "DrugBank interactions: ~5,000 drugs, mean ~530 partners, the most-interacting "
         "drugs reach about two thirds of the others"),
    Part("phenotype_protein", "associated with", G, PH, _facts("phenotype_protein"),
         Side(0.06, 40), Side(0.06, 90), "DisGeNET phenotype associations, small"),
    Part("phenotype_phenotype", "parent-child", PH, PH, _facts("phenotype_phenotype"),
         None, None, "HPO is_a"),
    Part("disease_phenotype_negative", "phenotype absent", DI, PH,
         _facts("disease_phenotype_negative"), Side(0.016, 40), Side(0.04, 25),
         "HPO annotations marked NOT: a few hundred diseases"),
    Part("disease_phenotype_positive", "phenotype present", DI, PH,
         _facts("disease_phenotype_positive"), Side(0.50, 320), Side(0.55, 3500),
         "HPO annotations: rare diseases with dozens of features; a few phenotypes "
         "(intellectual disability, ...) annotated to thousands of diseases"),
    Part("disease_protein", "associated with", G, DI, _facts("disease_protein"),
         Side(0.30, 650), Side(0.30, 1500),
         "DisGeNET curated: ~8k genes, ~5k diseases; cancers and psychiatric diseases "
         "with >1,000 genes (Hetionet DaG is much smaller)"),
    Part("disease_disease", "parent-child", DI, DI, _facts("disease_disease"), None, None,
         "MONDO is_a"),
    Part("drug_effect", "side effect", DR, PH, _facts("drug_effect"), Side(0.15, 550),
         Side(0.25, 800), "SIDER: ~1,100 drugs, ~4k effects (Hetionet CcSE: 1,071 x 5,701)"),
    Part("bioprocess_bioprocess", "parent-child", BP, BP, _facts("bioprocess_bioprocess"),
         None, None, "GO is_a"),
    Part("molfunc_molfunc", "parent-child", MF, MF, _facts("molfunc_molfunc"), None, None,
         "GO is_a"),
    Part("cellcomp_cellcomp", "parent-child", CC, CC, _facts("cellcomp_cellcomp"), None, None,
         "GO is_a"),
    Part("molfunc_protein", "interacts with", G, MF, _facts("molfunc_protein"),
         Side(0.58, 110), Side(0.40, 9000),
         "Gene2GO: most genes annotated; 'protein binding' has ~10k genes "
         "(Hetionet GpMF: 13k genes, 2.9k terms)"),
    Part("cellcomp_protein", "interacts with", G, CC, _facts("cellcomp_protein"),
         Side(0.60, 70), Side(0.40, 5500),
         "Gene2GO: cytosol, nucleus, membrane hold thousands of genes (Hetionet GpCC: "
         "10.6k genes, 1.4k terms)"),
    Part("bioprocess_protein", "interacts with", G, BP, _facts("bioprocess_protein"),
         Side(0.60, 260), Side(0.42, 1500),
         "Gene2GO direct annotations (Hetionet GpBP: 14.8k genes, 11.4k terms)"),
    Part("exposure_protein", "interacts with", EX, G, _facts("exposure_protein"),
         Side(0.35, 150), Side(0.025, 45), "CTD exposure studies: a few hundred markers"),
    Part("exposure_disease", "linked to", EX, DI, _facts("exposure_disease"),
         Side(0.45, 120), Side(0.02, 160), "CTD exposure-outcome links"),
    Part("exposure_exposure", "parent-child", EX, EX, _facts("exposure_exposure"), None, None,
         "CTD stressor -> marker"),
    Part("exposure_bioprocess", "interacts with", EX, BP, _facts("exposure_bioprocess"),
         Side(0.25, 200), Side(0.03, 30), "CTD phenotypes that are GO processes"),
    Part("exposure_molfunc", "interacts with", EX, MF, _facts("exposure_molfunc"),
         Side(0.02, 15), Side(0.0036, 3), "tiny"),
    Part("exposure_cellcomp", "interacts with", EX, CC, _facts("exposure_cellcomp"),
         Side(0.005, 5), Side(0.0024, 1), "tiny"),
    Part("pathway_pathway", "parent-child", PW, PW, _facts("pathway_pathway"), None, None,
         "Reactome hierarchy"),
    Part("pathway_protein", "interacts with", G, PW, _facts("pathway_protein"),
         Side(0.38, 120), Side(0.92, 450),
         "Reactome lowest-level pathways: ~10k genes (Hetionet GpPW: 9k genes)"),
    Part("anatomy_anatomy", "parent-child", AN, AN, _facts("anatomy_anatomy"), None, None,
         "Uberon is_a; x is the child", parent_is_x=False),
    Part("anatomy_protein_present", "expression present", G, AN,
         _facts("anatomy_protein_present"), Side(0.70, 1350), Side(0.11, 17000),
         "Bgee gold calls: ~19k genes in ~1,500 Uberon terms (Hetionet AeG: 18k genes, "
         "241 terms); broad tissues express most genes, housekeeping genes are present "
         "nearly everywhere"),
    Part("anatomy_protein_absent", "expression absent", G, AN,
         _facts("anatomy_protein_absent"), Side(0.18, 30), Side(0.015, 1500),
         "Bgee absent calls in a few hundred terms"),
)

#: Parts written as one block of mixed rows (one source table in PrimeKG's build).
MIXED_BLOCKS = ({"drug_protein"}, {"contraindication", "indication", "off-label use"})

#: How strongly a type's hidden prominence carries over between its relations.
PROMINENCE_CARRY = {G: 0.6, DR: 0.7, DI: 0.5}
DEFAULT_CARRY = 0.5
#: Planted nodes that are hubs in the real graph: a fixed score (standard deviations).
HUBS = {(G, "7157"): 4.0, (MF, "5515"): 5.0}
#: Preferential-attachment offset of the ontologies: lower means bigger parent hubs (with
#: 1, the largest of ~28k GO processes gets several hundred children).
ONTOLOGY_ALPHA = 1.0
#: No node gets more than this fraction of its possible partners.
SATURATION = 0.9
#: Scaled down, no node type has fewer endpoints per node than this.
MIN_MEAN_DEGREE = 2.5

#: Readable made-up names, and made-up id formats, per node type.
LABELS = {G: "GENE", DR: "drug", DI: "disease", PH: "phenotype", BP: "process",
          MF: "function", CC: "component", EX: "exposure", PW: "pathway", AN: "anatomy"}


@dataclass
class Nodes:
    """All nodes, numbered globally: type after type in ``ref.NODE_TYPES`` order."""

    types: list[str]
    offset: dict[str, int]
    count: dict[str, int]
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    prominence: list[float] = field(default_factory=list)
    pinned: dict[int, float] = field(default_factory=dict)  # hub scores
    rank: array[int] = field(default_factory=lambda: array("i"))  # order in its source's listing

    @property
    def total(self) -> int:
        return len(self.ids)

    def of_type(self, node_type: str) -> range:
        start = self.offset[node_type]
        return range(start, start + self.count[node_type])

    def type_table(self) -> list[str]:
        """The type of every node, by global number."""
        return [t for t in self.types for _ in self.of_type(t)]


@dataclass
class Edges:
    """The facts of one part: forward x and y as global node numbers."""

    part: Part
    x: array[int]
    y: array[int]
    planted: int  # the first ``planted`` facts are real and never moved


# ---------------------------------------------------------------- planted facts, vocabularies


@dataclass(frozen=True)
class PlantedNode:
    type: str
    id: str
    name: str
    source: str


def read_planted(path: Path) -> list[tuple[str, str, PlantedNode, PlantedNode]]:
    """Facts of a PrimeKG-format file, once each: (relation, display, x node, y node)."""
    facts: dict[tuple[str, str, frozenset[tuple[str, str]]], tuple[str, str, PlantedNode,
                                                                     PlantedNode]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            x = PlantedNode(row["x_type"], row["x_id"], row["x_name"], row["x_source"])
            y = PlantedNode(row["y_type"], row["y_id"], row["y_name"], row["y_source"])
            key = (row["relation"], row["display_relation"],
                   frozenset({(x.type, x.id), (y.type, y.id)}))
            facts.setdefault(key, (row["relation"], row["display_relation"], x, y))
    return list(facts.values())


def read_vocab(folder: Path | None) -> dict[str, list[tuple[str, str, str]]]:
    """TxGNN's drugs and diseases as (id, name, source); empty when the files are absent."""
    vocab: dict[str, list[tuple[str, str, str]]] = {}
    if folder is None:
        return vocab
    drugs, diseases = folder / "drugbank_vocab.csv", folder / "disease_vocab.csv"
    if drugs.is_file():
        with drugs.open(encoding="utf-8", newline="") as handle:
            vocab[DR] = [(r["drugbank_id"], r["drug_name"], "DrugBank")
                         for r in csv.DictReader(handle)]
    if diseases.is_file():
        with diseases.open(encoding="utf-8", newline="") as handle:
            vocab[DI] = [(r["disease_id"], r["disease_name"],
                          "MONDO_grouped" if "_" in r["disease_id"] else "MONDO")
                         for r in csv.DictReader(handle)]
    return vocab


def as_primekg_writes(node: PlantedNode, vocab: dict[str, list[tuple[str, str, str]]]
                      ) -> PlantedNode:
    """A planted disease as PrimeKG has it: inside its group when it has one."""
    if node.type != DI or DI not in vocab:
        return node
    for disease_id, name, source in vocab[DI]:
        if disease_id == node.id or (source == "MONDO_grouped"
                                     and node.id in disease_id.split("_")):
            return PlantedNode(DI, disease_id, name, source)
    return node


# ---------------------------------------------------------------- nodes


def node_counts(scale: float, mode: str, planted: dict[str, int]) -> dict[str, int]:
    """Nodes per type: PrimeKG's counts times sqrt(scale), or PrimeKG's (``mode`` full).

    Scaled down, a type whose facts would leave fewer than :data:`MIN_MEAN_DEGREE`
    endpoints per node gets fewer nodes (ontology terms with few annotations would
    otherwise be mostly isolated in a small file).
    """
    if mode == "full":
        return {t: max(planted.get(t, 0), n) for t, (n, _) in ref.NODE_TYPES.items()}
    mean = ref.mean_degree()
    out = {}
    for node_type, (n, _) in ref.NODE_TYPES.items():
        wanted = round(n * math.sqrt(scale))
        if scale < 1:
            wanted = min(wanted, math.floor(mean[node_type] * n * scale / MIN_MEAN_DEGREE))
        out[node_type] = max(planted.get(node_type, 0), 8, wanted)
    return out


def made_up_ids(node_type: str, k: int, taken: set[str], rng: random.Random) -> list[str]:
    """``k`` new ids in PrimeKG's format for the type, none of them in ``taken``."""
    def one() -> str:
        if node_type == DR:
            return f"DB{rng.randrange(1, 100_000):05d}"
        if node_type == EX:
            return f"{rng.choice('CD')}{rng.randrange(1, 1_000_000):06d}"
        if node_type == PW:
            return f"R-HSA-{rng.randrange(1_000, 10_000_000)}"
        if node_type == G:
            return str(rng.randrange(1, 150_000))
        if node_type in (DI, PH):
            return str(rng.randrange(1, 1_000_000))
        return str(rng.randrange(1, 2_000_000))  # GO, Uberon
    out: list[str] = []
    while len(out) < k:
        candidate = one()
        if candidate not in taken:
            taken.add(candidate)
            out.append(candidate)
    return out


def _source_order(raw_id: str) -> tuple[str, int]:
    """Sort key of an id as its source lists it: prefix, then the first number."""
    head = raw_id.split("_")[0]
    digits = "".join(c if c.isdigit() else " " for c in head).split()
    prefix = head[: len(head) - len(head.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ-"))]
    return prefix, int(digits[0]) if digits else 0


def build_nodes(counts: dict[str, int], planted: Sequence[PlantedNode],
                vocab: dict[str, list[tuple[str, str, str]]], seed: int) -> Nodes:
    """Every node: planted ones first in their type, then vocabulary entries, then made up."""
    types = list(ref.NODE_TYPES)
    nodes = Nodes(types=types, offset={}, count=dict(counts))
    go_taken: set[str] = set()
    for node_type in types:
        rng = random.Random(f"{seed}/nodes/{node_type}")
        nodes.offset[node_type] = nodes.total
        own = list({p.id: p for p in planted if p.type == node_type}.values())
        entries = [(p.id, p.name, p.source) for p in own]
        taken = go_taken if ref.NODE_TYPES[node_type][1] == "GO" else set()
        taken.update(p.id for p in own)
        members = {m for p in own for m in p.id.split("_")}
        pool = [v for v in vocab.get(node_type, ())
                if v[0] not in taken and not members & set(v[0].split("_"))]
        want = counts[node_type] - len(entries)
        chosen = rng.sample(pool, min(want, len(pool)))
        entries += chosen
        taken.update(m for v in chosen for m in [v[0], *v[0].split("_")])
        source = ref.NODE_TYPES[node_type][1]
        for raw in made_up_ids(node_type, counts[node_type] - len(entries), taken, rng):
            name = f"GENE{raw}" if node_type == G else f"{LABELS[node_type]} {raw}"
            entries.append((raw, name, source))
        nodes.count[node_type] = len(entries)
        for raw, name, src in entries:
            nodes.ids.append(raw)
            nodes.names.append(name)
            nodes.sources.append(src)
            nodes.prominence.append(rng.gauss(0.0, 1.0))
        for local, (raw, _, _) in enumerate(entries):
            hub = HUBS.get((node_type, raw))
            if hub is not None:
                nodes.pinned[nodes.offset[node_type] + local] = hub
        order = sorted(range(len(entries)), key=lambda i: _source_order(entries[i][0]))
        ranks = [0] * len(entries)
        for position, i in enumerate(order):
            ranks[i] = position
        nodes.rank.extend(ranks)
    return nodes


# ---------------------------------------------------------------- relation sizes


def part_sizes(rows: int, planted: dict[tuple[str, str], int]) -> list[int]:
    """Facts per part for a file of ``rows`` rows: PrimeKG's shares, largest remainder."""
    target = rows // 2
    full = sum(p.facts for p in PARTS)
    exact = [p.facts * target / full for p in PARTS]
    sizes = [math.floor(e) for e in exact]
    by_remainder = sorted(range(len(PARTS)), key=lambda i: exact[i] - sizes[i], reverse=True)
    for i in by_remainder[: target - sum(sizes)]:
        sizes[i] += 1
    floors = [max(1, planted.get((p.relation, p.display), 0)) for p in PARTS]
    while any(s < f for s, f in zip(sizes, floors, strict=True)):
        short = next(i for i, (s, f) in enumerate(zip(sizes, floors, strict=True)) if s < f)
        sizes[short] += 1
        spare = max((i for i in range(len(PARTS)) if sizes[i] > floors[i]),
                    key=lambda i: sizes[i], default=None)
        if spare is None:
            break
        sizes[spare] -= 1
    return sizes


# ---------------------------------------------------------------- drawing edges


def _active(side: Side, node_type: str, nodes: Nodes, size: int, rng: random.Random
            ) -> tuple[list[int], list[float]]:
    """The ``size`` nodes of a type taking part on one side, best first, with their scores.

    A score mixes the node's prominence (shared by all its relations) with noise; the
    planted hubs have fixed scores.
    """
    members = nodes.of_type(node_type)
    carry = PROMINENCE_CARRY.get(node_type, DEFAULT_CARRY)
    noise = math.sqrt(1 - carry * carry)
    score = {n: nodes.pinned.get(n, carry * nodes.prominence[n] + noise * rng.gauss(0, 1))
             for n in members}
    active = sorted(members, key=score.__getitem__, reverse=True)[:size]
    return active, [score[n] for n in active]


def _fit(scores: list[float], top: float, spread: float, cap: float) -> list[float]:
    """Sampling weights ``exp(sigma * score)``: expected extra degrees summing to
    ``spread``, ``sigma`` chosen so the largest is ``top - 1``, none above ``cap``."""
    best = max(scores)
    values = [s - best for s in scores]

    def top_share(sigma: float) -> float:
        return 1.0 / math.fsum(math.exp(sigma * v) for v in values)

    sigma = 0.0
    wanted = (min(top, cap + 1) - 1) / spread if spread > 0 else 0.0
    if wanted > top_share(0.0):
        low, high = 0.0, 12.0
        for _ in range(36):
            sigma = (low + high) / 2
            low, high = (sigma, high) if top_share(sigma) < wanted else (low, sigma)
    return _capped([math.exp(sigma * v) for v in values], max(spread, 1.0), cap)


def _capped(raw: list[float], spread: float, cap: float) -> list[float]:
    """Expected extra degrees proportional to ``raw``, summing to ``spread``, none above
    ``cap`` (the excess goes to the others in proportion)."""
    fixed: set[int] = set()
    expected = raw
    for _ in range(30):
        free = [i for i in range(len(raw)) if i not in fixed]
        room = spread - cap * len(fixed)
        total = math.fsum(raw[i] for i in free)
        if not free or total <= 0 or room <= 0:
            break
        expected = [cap if i in fixed else raw[i] * room / total for i in range(len(raw))]
        over = [i for i in free if expected[i] > cap]
        if not over:
            break
        fixed.update(over)
    return [max(e, 1e-9) for e in expected]


def _sizes(part: Part, facts: int, nodes: Nodes) -> tuple[int, int]:
    """How many nodes take part on each side: the part's shares, adjusted so that one
    edge per node fits in ``facts`` and ``facts`` distinct pairs exist."""
    assert part.xs is not None and part.ys is not None
    nx_, ny_ = nodes.count[part.x], nodes.count[part.y]
    if part.symmetric:
        size = max(2, min(nx_, facts, round(part.xs.share * nx_)))
        while size * (size - 1) / 2 < 1.3 * facts and size < nx_:
            size = min(nx_, size + max(1, size // 8))
        if size * (size - 1) // 2 < facts:
            raise SystemExit(f"{part.relation}: {facts:,} facts cannot fit {nx_:,} nodes")
        return size, size
    sx = max(1, min(nx_, round(part.xs.share * nx_)))
    sy = max(1, min(ny_, round(part.ys.share * ny_)))
    if sx + sy > facts:  # not every taking-part node can have its own edge
        shrink = facts / (sx + sy)
        sx, sy = max(1, math.floor(sx * shrink)), max(1, math.floor(sy * shrink))
    while sx * sy < 1.3 * facts and (sx < nx_ or sy < ny_):
        if (sx <= sy and sx < nx_) or sy >= ny_:
            sx = min(nx_, sx + max(1, sx // 8))
        else:
            sy = min(ny_, sy + max(1, sy // 8))
    if sx * sy < facts:
        raise SystemExit(f"{part.relation}: {facts:,} facts cannot fit {nx_:,} x {ny_:,} nodes")
    return sx, sy


def draw_part(part: Part, facts: int, planted: list[tuple[int, int]], nodes: Nodes,
              degree_scale: float, seed: int) -> Edges:
    """The facts of one non-ontology part: planted ones, one per active node, then Chung-Lu."""
    rng = random.Random(f"{seed}/{part.relation}/{part.display}")
    assert part.xs is not None and part.ys is not None
    symmetric = part.symmetric
    sx, sy = _sizes(part, facts, nodes)
    ax, score_x = _active(part.xs, part.x, nodes, sx, rng)
    if symmetric:
        ay = ax
        wx = wy = _fit(score_x, part.xs.top * degree_scale, 2 * facts - sx,
                       SATURATION * (sx - 1) - 1)
    else:
        ay, score_y = _active(part.ys, part.y, nodes, sy, rng)
        wx = _fit(score_x, part.xs.top * degree_scale, facts - sx, SATURATION * sy - 1)
        wy = _fit(score_y, part.ys.top * degree_scale, facts - sy, SATURATION * sx - 1)

    def key(x: int, y: int) -> int:
        return min(x, y) * KEY + max(x, y) if symmetric else x * KEY + y

    def sample(wx: list[float], wy: list[float], rng: random.Random
               ) -> tuple[dict[int, None], dict[int, tuple[int, int]]]:
        keys: dict[int, None] = dict.fromkeys(key(x, y) for x, y in planted)
        oriented = dict(zip((key(x, y) for x, y in planted), planted, strict=True))
        cx, cy = list(accumulate(wx)), list(accumulate(wy))

        def pick(population: list[int], cumulative: list[float]) -> int:
            return population[bisect_right(cumulative, rng.random() * cumulative[-1],
                                           0, len(cumulative) - 1)]

        # one edge for every node taking part, its partner drawn by weight
        covered: set[int] = {n for pair in planted for n in pair}
        seeds = [(n, True) for n in ax] + ([] if symmetric else [(n, False) for n in ay])
        rng.shuffle(seeds)
        for node, is_x in seeds:
            if len(keys) >= facts:
                break
            if node in covered:
                continue
            for _ in range(20):
                other = pick(ay, cy) if is_x else pick(ax, cx)
                x, y = (node, other) if is_x else (other, node)
                k = key(x, y)
                if x != y and k not in keys:
                    keys[k] = None
                    oriented[k] = (x, y)
                    covered.update((x, y))
                    break
        # the rest: both ends by weight, duplicates dropped
        while len(keys) < facts:
            want = facts - len(keys)
            batch = int(want * 1.15) + 64
            xs = rng.choices(ax, cum_weights=cx, k=batch)
            ys = rng.choices(ay, cum_weights=cy, k=batch)
            before = len(keys)
            if symmetric:
                keys.update(dict.fromkeys(
                    x * KEY + y if x < y else y * KEY + x for x, y in zip(xs, ys, strict=True)
                    if x != y))
            else:
                keys.update(dict.fromkeys(x * KEY + y for x, y in zip(xs, ys, strict=True)))
            if len(keys) - before < 0.02 * batch:  # saturated: flatten the weights
                wx, wy = [math.sqrt(w) for w in wx], [math.sqrt(w) for w in wy]
                cx, cy = list(accumulate(wx)), list(accumulate(wy))
        return keys, oriented

    # Pairs of hubs saturate, so hubs fall short of their expected degree: sample once,
    # scale each node's weight by expected / actual degree, and sample again.
    keys, _ = sample(wx, wy, random.Random(f"{seed}/{part.relation}/{part.display}/trial"))
    actual: dict[int, int] = {}
    for k in islice(keys, facts):
        for n in (k // KEY, k % KEY):
            actual[n] = actual.get(n, 0) + 1
    del keys

    def corrected(active: list[int], weights: list[float]) -> list[float]:
        return [w * min(3.0, max(0.5, (1 + w) / max(actual.get(n, 0), 1)))
                for n, w in zip(active, weights, strict=True)]

    wx = corrected(ax, wx)
    wy = wx if symmetric else corrected(ay, wy)
    keys, oriented = sample(wx, wy, rng)
    out_x, out_y = array("i"), array("i")
    for k in islice(keys, facts):
        x, y = oriented.get(k) or (k // KEY, k % KEY)
        if symmetric and k not in oriented and rng.random() < 0.5:
            x, y = y, x
        out_x.append(x)
        out_y.append(y)
    return Edges(part, out_x, out_y, len(planted))


def grow_ontology(part: Part, facts: int, planted: list[tuple[int, int]], nodes: Nodes,
                  seed: int) -> Edges:
    """A parent-child relation: the planted pairs (kept as written), then a
    preferential-attachment tree, then extra parents up to ``facts``."""
    rng = random.Random(f"{seed}/{part.relation}/{part.display}")
    members = list(nodes.of_type(part.x))
    size = min(len(members), facts + 1)
    carry = DEFAULT_CARRY
    noise = math.sqrt(1 - carry * carry)
    chosen = sorted(members, key=lambda n: carry * nodes.prominence[n] + noise * rng.gauss(0, 1),
                    reverse=True)[:size]
    rng.shuffle(chosen)  # the order terms join the tree; the first is the root
    position = {n: i for i, n in enumerate(chosen)}
    uniform = ONTOLOGY_ALPHA / (1 + ONTOLOGY_ALPHA)
    urn: list[int] = []  # a parent once per child: preferential attachment
    pairs: list[tuple[int, int]] = []
    seen: set[int] = set()
    for x, y in planted:
        pairs.append((x, y) if part.parent_is_x else (y, x))
        seen.add(min(x, y) * KEY + max(x, y))

    def parent_for(j: int) -> int:
        for _ in range(20):
            if not urn or rng.random() < uniform:
                return chosen[rng.randrange(j)]
            candidate = urn[rng.randrange(len(urn))]
            if position[candidate] < j:
                return candidate
        return chosen[rng.randrange(j)]

    for j in range(1, size):
        if len(pairs) >= facts:
            break
        parent = parent_for(j)
        k = min(parent, chosen[j]) * KEY + max(parent, chosen[j])
        if k not in seen:
            pairs.append((parent, chosen[j]))
            seen.add(k)
            urn.append(parent)
    tries = 0
    while len(pairs) < facts and size > 2 and tries < 50 * facts:
        tries += 1
        j = rng.randrange(1, size)
        parent, child = parent_for(j), chosen[j]
        k = min(parent, child) * KEY + max(parent, child)
        if k not in seen:
            seen.add(k)
            pairs.append((parent, child))
            urn.append(parent)
    out_x, out_y = array("i"), array("i")
    for parent, child in pairs:
        x, y = (parent, child) if part.parent_is_x else (child, parent)
        out_x.append(x)
        out_y.append(y)
    return Edges(part, out_x, out_y, len(planted))


# ---------------------------------------------------------------- one connected graph


class _Repair:
    """Moves single edges so that no node is left out and the graph is one component."""

    def __init__(self, parts: list[Edges], nodes: Nodes, seed: int) -> None:
        self.parts = parts
        self.nodes = nodes
        self.rng = random.Random(f"{seed}/repair")
        self.degree = array("i", bytes(4 * nodes.total))
        for e in parts:
            for n in e.x:
                self.degree[n] += 1
            for n in e.y:
                self.degree[n] += 1
        self._keys: dict[int, set[int]] = {}
        self._usable: dict[str, tuple[list[int], list[float]]] = {}
        self.type_of = nodes.type_table()
        self.moved = 0

    def _keyset(self, i: int) -> set[int]:
        if i not in self._keys:
            e = self.parts[i]
            sym = e.part.symmetric
            self._keys[i] = {min(x, y) * KEY + max(x, y) if sym else x * KEY + y
                             for x, y in zip(e.x, e.y, strict=True)}
        return self._keys[i]

    def _choices(self, node_type: str) -> tuple[list[int], list[float]]:
        """Parts that can give a node of this type an edge, and their cumulative sizes."""
        if node_type not in self._usable:
            usable = [i for i, e in enumerate(self.parts)
                      if node_type in (e.part.x, e.part.y) and len(e.x) > e.planted + 1
                      and not e.part.ontology]
            self._usable[node_type] = (
                usable, list(accumulate(float(len(self.parts[i].x)) for i in usable)))
        return self._usable[node_type]

    def attach(self, node: int, into: set[int] | None = None,
               root: list[int] | None = None) -> bool:
        """Give ``node`` one edge taken from a well-connected node of its type.

        With ``into``/``root`` (a union-find), the edge's other end must be in the
        component whose root is ``into``.
        """
        node_type = self.type_of[node]
        usable, cumulative = self._choices(node_type)
        if not usable:
            return False
        for _ in range(400):
            i = usable[bisect_right(cumulative, self.rng.random() * cumulative[-1],
                                    0, len(usable) - 1)]
            e = self.parts[i]
            j = self.rng.randrange(e.planted, len(e.x))
            x_side = e.part.x == node_type and (
                not e.part.symmetric or self.rng.random() < 0.5)
            old, other = (e.x[j], e.y[j]) if x_side else (e.y[j], e.x[j])
            if old == node or other == node or self.degree[old] < 2:
                continue
            if into is not None and root is not None and (
                    _find(root, other) not in into or _find(root, old) not in into):
                continue
            new_x, new_y = (node, other) if x_side else (other, node)
            sym = e.part.symmetric
            new_key = min(new_x, new_y) * KEY + max(new_x, new_y) if sym else new_x * KEY + new_y
            keys = self._keyset(i)
            if new_key in keys:
                continue
            old_key = (min(e.x[j], e.y[j]) * KEY + max(e.x[j], e.y[j]) if sym
                       else e.x[j] * KEY + e.y[j])
            keys.discard(old_key)
            keys.add(new_key)
            e.x[j], e.y[j] = new_x, new_y
            self.degree[old] -= 1
            self.degree[node] += 1
            self.moved += 1
            return True
        return False

    def run(self, log: TextIO | None) -> int:
        """Cover isolated nodes, then join components; return the components left."""
        for node in range(self.nodes.total):
            if self.degree[node] == 0:
                self.attach(node)
        components = 0
        for _ in range(6):
            root = _components(self.parts, self.nodes.total)
            sizes: dict[int, int] = {}
            for node in range(self.nodes.total):
                r = _find(root, node)
                sizes[r] = sizes.get(r, 0) + 1
            components = len(sizes)
            if log:
                print(f"  components: {components:,}, edges moved so far: {self.moved:,}",
                      file=log)
            if components == 1:
                break
            giant = max(sizes, key=sizes.__getitem__)
            done: set[int] = set()
            for node in range(self.nodes.total):
                r = _find(root, node)
                if r != giant and r not in done and self.attach(node, {giant}, root):
                    done.add(r)
        return components


def _find(root: list[int], node: int) -> int:
    while root[node] != node:
        root[node] = root[root[node]]
        node = root[node]
    return node


def _components(parts: Iterable[Edges], total: int) -> list[int]:
    root = list(range(total))
    for e in parts:
        for x, y in zip(e.x, e.y, strict=True):
            a, b = _find(root, x), _find(root, y)
            if a != b:
                root[a] = b
    return root


# ---------------------------------------------------------------- writing


def _cell(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _blocks(parts: list[Edges]) -> list[list[Edges]]:
    """Parts grouped as PrimeKG writes them: one block per source table."""
    blocks: list[list[Edges]] = []
    for e in parts:
        mixed = next((m for m in MIXED_BLOCKS if e.part.relation in m), None)
        if blocks and mixed and blocks[-1][0].part.relation in mixed:
            blocks[-1].append(e)
        else:
            blocks.append([e])
    return blocks


def ordered(block: list[Edges], nodes: Nodes, seed: int
            ) -> tuple[array[int], array[int], array[int]]:
    """A block's forward rows in file order: by x then y as the sources list them
    (protein-protein: no order), parts mixed. Returns x, y and the part of each row."""
    xs, ys, which = array("i"), array("i"), array("b")
    for p, e in enumerate(block):
        xs.extend(e.x)
        ys.extend(e.y)
        which.extend([p] * len(e.x))
    order = list(range(len(xs)))
    if block[0].part.relation == "protein_protein":
        random.Random(f"{seed}/order").shuffle(order)
    else:
        rank = nodes.rank
        order.sort(key=lambda i: (rank[xs[i]] * KEY + rank[ys[i]]) * 8 + which[i])
    return (array("i", (xs[i] for i in order)), array("i", (ys[i] for i in order)),
            array("b", (which[i] for i in order)))


def write_rows(out: Path, blocks: list[list[Edges]], nodes: Nodes, seed: int,
               log: TextIO | None) -> int:
    """Stream the file: all forward rows, block by block, then all mirrored rows."""
    laid = [ordered(block, nodes, seed) for block in blocks]
    index = array("i", [-1]) * nodes.total
    counter = 0
    for column in (0, 1):  # x of the forward rows, then x of the mirrored ones
        for rows in laid:
            for n in rows[column]:
                if index[n] < 0:
                    index[n] = counter
                    counter += 1
    type_of = nodes.type_table()
    fragment = [f"{index[n]},{_cell(nodes.ids[n])},{type_of[n]},"
                f"{_cell(nodes.names[n])},{nodes.sources[n]}" for n in range(nodes.total)]
    heads = [[f"{_cell(e.part.relation)},{_cell(e.part.display)}," for e in block]
             for block in blocks]
    opener = gzip.open if out.name.endswith(".gz") else open
    written = 0
    with opener(out, "wt", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        for mirrored in (False, True):
            for (xs, ys, which), head in zip(laid, heads, strict=True):
                first, second = (ys, xs) if mirrored else (xs, ys)
                lines: list[str] = []
                for a, b, p in zip(first, second, which, strict=True):
                    lines.append(f"{head[p]}{fragment[a]},{fragment[b]}\n")
                    if len(lines) >= 50_000:
                        handle.write("".join(lines))
                        lines.clear()
                handle.write("".join(lines))
                written += len(xs)
            if log:
                print(f"  wrote {'mirrored' if mirrored else 'forward'} rows ({written:,})",
                      file=log)
    return written


# ---------------------------------------------------------------- the whole run


def write(rows: int, out: Path, seed: int = 0, *, vocab: Path | None = DEFAULT_VOCAB,
          plant: Path | None = DEFAULT_PLANT, nodes_mode: str = "sqrt",
          log: TextIO | None = None) -> int:
    """Write a PrimeKG-shaped file of ``rows`` rows (rounded down to even); return the count."""
    started = time.perf_counter()
    scale = (rows // 2) / (ref.TOTAL_ROWS // 2)
    words = read_vocab(vocab)
    facts = read_planted(plant) if plant is not None else []
    facts = [(r, d, as_primekg_writes(x, words), as_primekg_writes(y, words))
             for r, d, x, y in facts]
    planted_nodes = [n for _, _, x, y in facts for n in (x, y)]
    per_type: dict[str, int] = {}
    for n in {(p.type, p.id): p for p in planted_nodes}.values():
        per_type[n.type] = per_type.get(n.type, 0) + 1
    counts = node_counts(scale, nodes_mode, per_type)
    nodes = build_nodes(counts, planted_nodes, words, seed)
    if nodes.total >= KEY:
        raise SystemExit(f"too many nodes for this generator ({nodes.total:,})")
    number = {(t, nodes.ids[n]): n for n, t in enumerate(nodes.type_table())}
    planted_by_part: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for relation, display, x, y in facts:
        part = next((p for p in PARTS if (p.relation, p.display) == (relation, display)), None)
        if part is None:
            raise SystemExit(f"planted fact with unknown relation {relation!r}/{display!r}")
        a, b = number[(x.type, x.id)], number[(y.type, y.id)]
        if x.type != part.x:
            a, b = b, a
        planted_by_part.setdefault((relation, display), []).append((a, b))
    sizes = part_sizes(rows, {k: len(v) for k, v in planted_by_part.items()})
    # degrees shrink with facts per node: by sqrt(scale) when nodes scale by sqrt(scale)
    degree_scale = scale if nodes_mode == "full" else math.sqrt(scale)
    if log:
        print(f"{rows:,} rows: {sum(sizes):,} facts, {nodes.total:,} nodes "
              f"({time.perf_counter() - started:.1f}s)", file=log)
    parts: list[Edges] = []
    for part, size in zip(PARTS, sizes, strict=True):
        planted = planted_by_part.get((part.relation, part.display), [])
        if part.ontology:
            parts.append(grow_ontology(part, size, planted, nodes, seed))
        else:
            parts.append(draw_part(part, size, planted, nodes, degree_scale, seed))
        if log and size > 100_000:
            print(f"  {part.relation}: {size:,} facts ({time.perf_counter() - started:.1f}s)",
                  file=log)
    repair = _Repair(parts, nodes, seed)
    left = repair.run(log)
    if log:
        print(f"joined: {left} component(s), {repair.moved:,} edges moved "
              f"({time.perf_counter() - started:.1f}s)", file=log)
    written = write_rows(out, _blocks(parts), nodes, seed, log)
    if log:
        print(f"done: {written:,} rows ({time.perf_counter() - started:.1f}s)", file=log)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="With --check FILE: print the shape of any PrimeKG-format file instead.")
    parser.add_argument("rows", type=int, nargs="?", help="rows to write (8100498 = PrimeKG)")
    parser.add_argument("out", type=Path, nargs="?", help="output .csv or .csv.gz")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vocab", type=Path, default=DEFAULT_VOCAB,
                        help="folder with TxGNN's drugbank_vocab.csv and disease_vocab.csv "
                             "(default: ../shared/data/txgnn; made-up ids when absent)")
    parser.add_argument("--no-vocab", action="store_true", help="made-up drugs and diseases")
    parser.add_argument("--plant", type=Path, default=DEFAULT_PLANT,
                        help="PrimeKG-format file of real facts to plant "
                             "(default: examples/mechanisms.csv)")
    parser.add_argument("--no-plant", action="store_true", help="plant nothing")
    parser.add_argument("--nodes", choices=("sqrt", "full"), default="sqrt",
                        help="node counts: PrimeKG's times sqrt(rows / 8100498) (default), "
                             "or PrimeKG's at any size")
    parser.add_argument("--check", type=Path, metavar="FILE",
                        help="print FILE's shape next to PrimeKG's (scripts/primekg_shape.py)")
    parser.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    args = parser.parse_args(argv)
    if args.check is not None:
        import primekg_shape
        print(primekg_shape.report(primekg_shape.measure(args.check)))
        return
    if args.rows is None or args.out is None:
        parser.error("ROWS and OUT are required (or --check FILE)")
    print(write(args.rows, args.out, args.seed,
                vocab=None if args.no_vocab else args.vocab,
                plant=None if args.no_plant else args.plant, nodes_mode=args.nodes,
                log=sys.stderr if args.verbose else None))


if __name__ == "__main__":
    main()
