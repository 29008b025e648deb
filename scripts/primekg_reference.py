"""PrimeKG's published shape as figures: what the generator copies, what the checker compares.

Used by ``scripts/synthetic_primekg.py`` (to write a PrimeKG-shaped ``kg.csv``) and
``scripts/primekg_shape.py`` (to measure any ``kg.csv`` against these figures).
Every figure says where it comes from. PrimeKG is Chandak, Huang & Zitnik,
"Building a knowledge graph to enable precision medicine", *Sci Data* 10, 67 (2023);
its ``kg.csv`` is on Harvard Dataverse (doi:10.7910/DVN/IXA7BM, version 2.1).

Sources
-------
[counts]
    Node counts per type and row counts per relation of ``kg.csv``: the ``value_counts``
    of the released file, as tabulated in public write-ups that loaded it (found with a
    code search; e.g. a knowledge-graph inventory report and a "taxonomy of biomedical
    knowledge graphs" note, both listing the same 10 + 30 figures). They agree with
    PrimeKG's own totals (129,375 nodes; 4,050,249 relationships = 8,100,498 rows / 2)
    and with TxGNN's vocabularies here (``drugbank_vocab.csv`` 7,957 drugs,
    ``disease_vocab.csv`` 17,080 diseases, 1,267 of them grouped).
[build]
    Row order and orientation: ``knowledge_graph/build_graph.ipynb`` of mims-harvard/PrimeKG
    (commit 680161b9). Each source becomes one table whose rows are written as the
    source lists them (x = the first id of the source, e.g. the gene in Gene2GO, the
    parent in an ontology, the child in Uberon's is_a); the 28 tables are concatenated in a
    fixed order; then ``concat([kg, kg_reversed]).drop_duplicates()`` adds the mirrored
    rows: **all forward rows of all relations first, then all mirrored rows in the same
    order** (a relation therefore occupies two runs of the file). ``x_index`` numbers the
    nodes in order of first appearance in the ``x`` column.
[recalled]
    The split of ``drug_protein`` rows by ``display_relation``. We could not find it in a
    source readable here; the figures are our recollection of ``kg.csv``'s value counts.
    They add up exactly to the relation's 51,306 rows, but treat them as approximate.
[derived]
    Mean degree per node type follows exactly from [counts]: a node's degree is the
    number of facts (undirected edges) it takes part in.

No per-node degree percentiles of PrimeKG are published that we could find. The
generator's degree targets are therefore assumptions, listed with their reasons in
``synthetic_primekg.py`` (table ``PARTS``) and compared with the result in
``docs/primekg-shape.md``.
"""

from __future__ import annotations

#: Node types in PrimeKG, with their node counts [counts] and the ``x_source`` PrimeKG writes.
NODE_TYPES: dict[str, tuple[int, str]] = {
    "gene/protein": (27_671, "NCBI"),
    "drug": (7_957, "DrugBank"),
    "effect/phenotype": (15_311, "HPO"),
    "disease": (17_080, "MONDO"),  # 15,813 MONDO + 1,267 MONDO_grouped (TxGNN vocabulary)
    "biological_process": (28_642, "GO"),
    "molecular_function": (11_169, "GO"),
    "cellular_component": (4_176, "GO"),
    "exposure": (818, "CTD"),
    "pathway": (2_516, "REACTOME"),
    "anatomy": (14_035, "UBERON"),
}
TOTAL_NODES = 129_375

#: Diseases by ``x_source`` [counts: TxGNN's disease_vocab.csv, PrimeKG's disease list].
DISEASE_SOURCES: dict[str, int] = {"MONDO": 15_813, "MONDO_grouped": 1_267}

#: Rows of ``kg.csv`` per relation [counts]; each fact is written twice.
RELATION_ROWS: dict[str, int] = {
    "anatomy_protein_present": 3_036_406,
    "drug_drug": 2_672_628,
    "protein_protein": 642_150,
    "disease_phenotype_positive": 300_634,
    "bioprocess_protein": 289_610,
    "cellcomp_protein": 166_804,
    "disease_protein": 160_822,
    "molfunc_protein": 139_060,
    "drug_effect": 129_568,
    "bioprocess_bioprocess": 105_772,
    "pathway_protein": 85_292,
    "disease_disease": 64_388,
    "contraindication": 61_350,
    "drug_protein": 51_306,
    "anatomy_protein_absent": 39_774,
    "phenotype_phenotype": 37_472,
    "anatomy_anatomy": 28_064,
    "molfunc_molfunc": 27_148,
    "indication": 18_776,
    "cellcomp_cellcomp": 9_690,
    "phenotype_protein": 6_660,
    "off-label use": 5_136,
    "pathway_pathway": 5_070,
    "exposure_disease": 4_608,
    "exposure_exposure": 4_140,
    "exposure_bioprocess": 3_250,
    "exposure_protein": 2_424,
    "disease_phenotype_negative": 2_386,
    "exposure_molfunc": 90,
    "exposure_cellcomp": 20,
}
TOTAL_ROWS = 8_100_498

#: ``drug_protein`` rows per ``display_relation`` [recalled; approximate].
DRUG_PROTEIN_DISPLAY_ROWS: dict[str, int] = {
    "target": 32_760, "enzyme": 10_634, "transporter": 6_184, "carrier": 1_728}

#: The relations in the order of PrimeKG's concatenation [build], with the
#: ``display_relation`` each uses and the node types of its *forward* rows (x, y).
#: ``contraindication``, ``indication`` and ``off-label use`` come from one DrugCentral
#: table, so their rows are mixed within one block; the four ``drug_protein`` displays
#: likewise share DrugBank's block.
FILE_ORDER: tuple[tuple[str, str, str, str], ...] = (
    ("protein_protein", "ppi", "gene/protein", "gene/protein"),
    ("drug_protein", "target|enzyme|transporter|carrier", "drug", "gene/protein"),
    ("contraindication", "contraindication", "drug", "disease"),
    ("indication", "indication", "drug", "disease"),
    ("off-label use", "off-label use", "drug", "disease"),
    ("drug_drug", "synergistic interaction", "drug", "drug"),
    ("phenotype_protein", "associated with", "gene/protein", "effect/phenotype"),
    ("phenotype_phenotype", "parent-child", "effect/phenotype", "effect/phenotype"),
    ("disease_phenotype_negative", "phenotype absent", "disease", "effect/phenotype"),
    ("disease_phenotype_positive", "phenotype present", "disease", "effect/phenotype"),
    ("disease_protein", "associated with", "gene/protein", "disease"),
    ("disease_disease", "parent-child", "disease", "disease"),
    ("drug_effect", "side effect", "drug", "effect/phenotype"),
    ("bioprocess_bioprocess", "parent-child", "biological_process", "biological_process"),
    ("molfunc_molfunc", "parent-child", "molecular_function", "molecular_function"),
    ("cellcomp_cellcomp", "parent-child", "cellular_component", "cellular_component"),
    ("molfunc_protein", "interacts with", "gene/protein", "molecular_function"),
    ("cellcomp_protein", "interacts with", "gene/protein", "cellular_component"),
    ("bioprocess_protein", "interacts with", "gene/protein", "biological_process"),
    ("exposure_protein", "interacts with", "exposure", "gene/protein"),
    ("exposure_disease", "linked to", "exposure", "disease"),
    ("exposure_exposure", "parent-child", "exposure", "exposure"),
    ("exposure_bioprocess", "interacts with", "exposure", "biological_process"),
    ("exposure_molfunc", "interacts with", "exposure", "molecular_function"),
    ("exposure_cellcomp", "interacts with", "exposure", "cellular_component"),
    ("pathway_pathway", "parent-child", "pathway", "pathway"),
    ("pathway_protein", "interacts with", "gene/protein", "pathway"),
    ("anatomy_anatomy", "parent-child", "anatomy", "anatomy"),
    ("anatomy_protein_present", "expression present", "gene/protein", "anatomy"),
    ("anatomy_protein_absent", "expression absent", "gene/protein", "anatomy"),
)


def relation_types() -> dict[str, tuple[str, str]]:
    """Relation -> its two node types, as in :data:`FILE_ORDER`."""
    return {relation: (x, y) for relation, _, x, y in FILE_ORDER}


def mean_degree() -> dict[str, float]:
    """Mean degree per node type [derived]: facts touching a type over its node count."""
    ends: dict[str, float] = dict.fromkeys(NODE_TYPES, 0.0)
    for relation, (x, y) in relation_types().items():
        facts = RELATION_ROWS[relation] / 2
        ends[x] += facts
        ends[y] += facts
    return {t: ends[t] / NODE_TYPES[t][0] for t in NODE_TYPES}


if __name__ == "__main__":
    assert sum(n for n, _ in NODE_TYPES.values()) == TOTAL_NODES
    assert sum(RELATION_ROWS.values()) == TOTAL_ROWS
    assert sum(DRUG_PROTEIN_DISPLAY_ROWS.values()) == RELATION_ROWS["drug_protein"]
    assert sum(DISEASE_SOURCES.values()) == NODE_TYPES["disease"][0]
    assert {r for r, *_ in FILE_ORDER} == set(RELATION_ROWS)
    for node_type, mean in mean_degree().items():
        print(f"{node_type:20} {mean:9.1f}")
