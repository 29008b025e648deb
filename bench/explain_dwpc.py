"""Time the explainer's path search against a plain ``networkx.all_simple_paths`` search.

Run: ``python bench/explain_dwpc.py`` (medians of several runs). Uses Hetionet's
bupropion subgraph from ``../shared/data`` when present, and random graphs always.
Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import lzma
import random
import sys
from typing import Any

import networkx as nx
from _common import SHARED_DATA, machine, median_seconds, write_section

from graph.explain import dwpc, explain_pair, mechanism_paths
from graph.explain.metagraph import Metapath

DATA = SHARED_DATA
KINDS = {"Compound": "Drug", "Gene": "Gene", "Pathway": "Pathway", "Disease": "Disease"}
TYPES = {"binds": "TARGETS", "participates": "PARTICIPATES_IN", "associates": "ASSOCIATED_WITH",
         "interacts": "INTERACTS_WITH"}


def plain_simple_paths(G: nx.MultiDiGraph, source: Any, target: Any, cutoff: int) -> int:
    """The baseline: every simple path up to ``cutoff`` edges, ignoring kinds and direction."""
    undirected = nx.Graph(G)
    return sum(1 for _ in nx.all_simple_paths(undirected, source, target, cutoff=cutoff))


def random_graph(seed: int, genes: int, edges_per_gene: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    G.add_node("drug", kind="Drug", name="drug")
    G.add_node("disease", kind="Disease", name="disease")
    gene_ids = [f"g{i}" for i in range(genes)]
    for g in gene_ids:
        G.add_node(g, kind="Gene", name=g)
    for g in rng.sample(gene_ids, 20):
        G.add_edge("drug", g, key="TARGETS", type="TARGETS", provenance=())
    for g in rng.sample(gene_ids, 60):
        G.add_edge(g, "disease", key="ASSOCIATED_WITH", type="ASSOCIATED_WITH", provenance=())
    for _ in range(genes * edges_per_gene):
        u, v = rng.sample(gene_ids, 2)
        G.add_edge(u, v, key="INTERACTS_WITH", type="INTERACTS_WITH", provenance=())
    return G


def main() -> None:
    rows = []
    bupropion = DATA / "hetionet" / "bupropion-CbGpPWpGaD-subgraph.json.xz"
    if bupropion.exists():
        with lzma.open(bupropion, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        G = nx.MultiDiGraph()
        for n in data["nodes"]:
            G.add_node(f"{n['kind']}::{n['identifier']}", kind=KINDS[n["kind"]], name=n["name"])
        for e in data["edges"]:
            t = TYPES[e["kind"]]
            G.add_edge("::".join(map(str, e["source_id"])), "::".join(map(str, e["target_id"])),
                       key=t, type=t, provenance=())
        s, t = "Compound::DB01156", "Disease::DOID:0050742"
        m = Metapath.from_abbreviation("CtGpPWpGaD")
        fast, value = median_seconds(lambda: dwpc(G, s, t, m))
        slow, count = median_seconds(lambda: plain_simple_paths(G, s, t, 4), repeat=3)
        rows.append(("bupropion CbGpPWpGaD (3,060 nodes, 18,474 edges)",
                     f"DWPC {value:.6f}", fast, f"{count} simple paths", slow))
    else:
        print(f"skipping the bupropion subgraph: {bupropion} is absent", file=sys.stderr)
    for genes, per_gene in ((2000, 5), (5000, 10)):
        G = random_graph(1, genes, per_gene)
        fast, e = median_seconds(lambda G=G: explain_pair(G, "drug", "disease"))
        count = sum(1 for _ in mechanism_paths(G, "drug", "disease"))
        slow, plain = median_seconds(lambda G=G: plain_simple_paths(G, "drug", "disease", 4),
                                     repeat=1)
        rows.append((f"random, {genes} genes, {G.number_of_edges()} edges, all metapaths 2-4",
                     f"{count} paths, total {e.total:.4f}", fast, f"{plain} simple paths", slow))
    lines = [
        "## The explainer's path search (bench/explain_dwpc.py)",
        "",
        "txkg's typed path search (`dwpc` for one metapath on Hetionet's bupropion subgraph; "
        "`explain_pair` over all metapaths of 2-4 edges on random graphs) against the "
        "baseline of `networkx.all_simple_paths` (cutoff 4, kinds and direction ignored) on "
        f"the same graph, in the same run. Medians of 5 runs (baseline: 3 on bupropion, 1 on "
        f"the random graphs); {machine()}.",
        "",
        "| graph | txkg result | txkg s | all_simple_paths | networkx s |",
        "|---|---|---:|---|---:|",
    ]
    lines += [f"| {name} | {ours} | {fast:.3f} | {theirs} | {slow:.3f} |"
              for name, ours, fast, theirs, slow in rows]
    write_section("explain-dwpc", "\n".join(lines))


if __name__ == "__main__":
    main()
