"""The PrimeKG kg.csv loader: mapping, canonical edges, ids, bad input."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import ids
from graph.errors import ParseError
from graph.model import Rejection
from loaders.primekg import HEADER, load_primekg, read_primekg

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "mechanisms.csv"

# One node of every PrimeKG type, as PrimeKG writes it, and the CURIE txkg should give it.
NODES = {
    "gene/protein": (("941", "gene/protein", "CD80", "NCBI"), "NCBIGene:941"),
    "drug": (("DB06681", "drug", "Belatacept", "DrugBank"), "DRUGBANK:DB06681"),
    "effect/phenotype": (("2240", "effect/phenotype", "Hepatomegaly", "HPO"), "HP:0002240"),
    "disease": (("9693", "disease", "plasma cell myeloma", "MONDO"), "MONDO:0009693"),
    "biological_process": (("31295", "biological_process", "T cell costimulation", "GO"),
                           "GO:0031295"),
    "molecular_function": (("5515", "molecular_function", "protein binding", "GO"),
                           "GO:0005515"),
    "cellular_component": (("5886", "cellular_component", "plasma membrane", "GO"),
                           "GO:0005886"),
    "exposure": (("D001564", "exposure", "Benzene", "CTD"), "MESH:D001564"),
    "pathway": (("R-HSA-388841", "pathway", "Costimulation by the CD28 family", "REACTOME"),
                "REACT:R-HSA-388841"),
    "anatomy": (("2371", "anatomy", "bone marrow", "UBERON"), "UBERON:0002371"),
}
# A second node for relations between two nodes of one type.
OTHER = {
    "gene/protein": ("940", "gene/protein", "CD28", "NCBI"),
    "drug": ("DB01281", "drug", "Abatacept", "DrugBank"),
    "effect/phenotype": ("1903", "effect/phenotype", "Anemia", "HPO"),
    "disease": ("8383", "disease", "rheumatoid arthritis", "MONDO"),
    "biological_process": ("6955", "biological_process", "immune response", "GO"),
    "molecular_function": ("3824", "molecular_function", "catalytic activity", "GO"),
    "cellular_component": ("5737", "cellular_component", "cytoplasm", "GO"),
    "exposure": ("D002244", "exposure", "Carbon", "CTD"),
    "pathway": ("R-HSA-168256", "pathway", "Immune System", "REACTOME"),
    "anatomy": ("2106", "anatomy", "spleen", "UBERON"),
}

# Expected mapping, written out independently of the loader's table:
# relation -> (display_relation, PrimeKG type of edge source, edge type, type of target).
EXPECTED = {
    "protein_protein": ("ppi", "gene/protein", "INTERACTS_WITH", "gene/protein"),
    "drug_protein": ("target", "drug", "TARGETS", "gene/protein"),
    "contraindication": ("contraindication", "drug", "CONTRAINDICATED_FOR", "disease"),
    "indication": ("indication", "drug", "INDICATED_FOR", "disease"),
    "off-label use": ("off-label use", "drug", "OFF_LABEL_FOR", "disease"),
    "drug_drug": ("synergistic interaction", "drug", "INTERACTS_WITH", "drug"),
    "phenotype_protein": ("associated with", "gene/protein", "ASSOCIATED_WITH",
                          "effect/phenotype"),
    "phenotype_phenotype": ("parent-child", "effect/phenotype", "RELATED_TO",
                            "effect/phenotype"),
    "disease_phenotype_negative": ("phenotype absent", "disease", "LACKS_PHENOTYPE",
                                   "effect/phenotype"),
    "disease_phenotype_positive": ("phenotype present", "disease", "HAS_PHENOTYPE",
                                   "effect/phenotype"),
    "disease_protein": ("associated with", "gene/protein", "ASSOCIATED_WITH", "disease"),
    "disease_disease": ("parent-child", "disease", "RELATED_TO", "disease"),
    "drug_effect": ("side effect", "drug", "HAS_SIDE_EFFECT", "effect/phenotype"),
    "bioprocess_bioprocess": ("parent-child", "biological_process", "RELATED_TO",
                              "biological_process"),
    "molfunc_molfunc": ("parent-child", "molecular_function", "RELATED_TO",
                        "molecular_function"),
    "cellcomp_cellcomp": ("parent-child", "cellular_component", "RELATED_TO",
                          "cellular_component"),
    "molfunc_protein": ("interacts with", "gene/protein", "ENABLES", "molecular_function"),
    "cellcomp_protein": ("interacts with", "gene/protein", "LOCATED_IN", "cellular_component"),
    "bioprocess_protein": ("interacts with", "gene/protein", "PARTICIPATES_IN",
                           "biological_process"),
    "exposure_protein": ("interacts with", "exposure", "INTERACTS_WITH", "gene/protein"),
    "exposure_disease": ("linked to", "exposure", "LINKED_TO", "disease"),
    "exposure_exposure": ("parent-child", "exposure", "RELATED_TO", "exposure"),
    "exposure_bioprocess": ("interacts with", "exposure", "INTERACTS_WITH",
                            "biological_process"),
    "exposure_molfunc": ("interacts with", "exposure", "INTERACTS_WITH", "molecular_function"),
    "exposure_cellcomp": ("interacts with", "exposure", "INTERACTS_WITH", "cellular_component"),
    "pathway_pathway": ("parent-child", "pathway", "RELATED_TO", "pathway"),
    "pathway_protein": ("interacts with", "gene/protein", "PARTICIPATES_IN", "pathway"),
    "anatomy_anatomy": ("parent-child", "anatomy", "RELATED_TO", "anatomy"),
    "anatomy_protein_present": ("expression present", "gene/protein", "EXPRESSED_IN", "anatomy"),
    "anatomy_protein_absent": ("expression absent", "gene/protein", "NOT_EXPRESSED_IN",
                               "anatomy"),
}
KIND = {"gene/protein": "Gene", "drug": "Drug", "effect/phenotype": "Phenotype",
        "disease": "Disease", "biological_process": "BiologicalProcess",
        "molecular_function": "MolecularFunction", "cellular_component": "CellularComponent",
        "exposure": "Exposure", "pathway": "Pathway", "anatomy": "Anatomy"}


def row(relation: str, display: str, x: tuple[str, ...], y: tuple[str, ...]) -> list[str]:
    return [relation, display, "0", *x, "1", *y]


def write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def both_ways(relation: str, display: str, x: tuple[str, ...],
              y: tuple[str, ...]) -> list[list[str]]:
    return [row(relation, display, x, y), row(relation, display, y, x)]


def every_relation_rows() -> list[list[str]]:
    rows: list[list[str]] = []
    for relation, (display, source_type, _, target_type) in EXPECTED.items():
        x = NODES[source_type][0]
        y = OTHER[target_type] if source_type == target_type else NODES[target_type][0]
        rows += both_ways(relation, display, y, x)  # PrimeKG's own order varies; start reversed
    return rows


# -- the example ---------------------------------------------------------------


def test_example_loads_with_one_edge_per_fact() -> None:
    result = load_primekg(EXAMPLE, name="examples/mechanisms.csv")
    with EXAMPLE.open() as handle:
        data_rows = sum(1 for _ in handle) - 1
    assert result.stats.rows == data_rows == 142
    assert result.batch.rejections == ()
    assert result.stats.edges == len(result.batch.edges) == 71
    assert result.stats.mirrored_rows == 71
    assert result.stats.duplicate_rows == 0
    assert len({node.id for node in result.batch.nodes}) == len(result.batch.nodes) == 40
    keys = {edge.key for edge in result.batch.edges}
    assert ("DRUGBANK:DB06681", "TARGETS", "NCBIGene:941") in keys
    assert ("DRUGBANK:DB06681", "TARGETS", "NCBIGene:942") in keys
    assert ("NCBIGene:940", "INTERACTS_WITH", "NCBIGene:941") in keys  # smaller id first
    cd28_myeloma = next(e for e in result.batch.edges
                        if e.key == ("NCBIGene:940", "ASSOCIATED_WITH", "MONDO:0009693"))
    assert cd28_myeloma.pmids == ("PMID:38562904", "PMID:9869202")
    assert cd28_myeloma.provenance[0].source == "examples/mechanisms.csv"


def test_example_grouped_disease_takes_first_member_id() -> None:
    nodes = {node.id: node for node in load_primekg(EXAMPLE).batch.nodes}
    t1d = nodes["MONDO:0011123"]
    assert t1d.name == "type 1 diabetes mellitus"
    assert "MONDO:0005147" in t1d.xrefs and "MONDO:0011123" not in t1d.xrefs
    assert t1d.xrefs[0].startswith("MONDO_grouped:11123_12919_")
    assert not any(n.startswith("MONDO:0012919") for n in nodes)


# -- mapping -------------------------------------------------------------------


def test_every_relation_and_node_type_is_mapped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kg.csv", every_relation_rows())
    result = load_primekg(path, version="t")
    assert result.batch.rejections == ()
    assert result.stats.edges == 30 and result.stats.mirrored_rows == 30
    kinds = {node.id: node.kind for node in result.batch.nodes}
    by_relation = {e.properties["relation"]: e for e in result.batch.edges}
    assert set(by_relation) == set(EXPECTED)
    for relation, (display, source_type, edge_type, target_type) in EXPECTED.items():
        edge = by_relation[relation]
        assert edge.type.value == edge_type, relation
        assert edge.properties["display_relation"] == display
        assert kinds[edge.source] == KIND[source_type], relation
        assert kinds[edge.target] == KIND[target_type], relation
        if source_type == target_type:
            assert edge.source < edge.target, relation
    assert set(kinds.values()) == set(KIND.values())


@pytest.mark.parametrize(("display", "edge_type"), [
    ("target", "TARGETS"), ("enzyme", "METABOLIZED_BY"),
    ("transporter", "TRANSPORTED_BY"), ("carrier", "CARRIED_BY"),
])
def test_drug_protein_split_by_display_relation(tmp_path: Path, display: str,
                                                edge_type: str) -> None:
    drug, gene = NODES["drug"][0], NODES["gene/protein"][0]
    path = write_csv(tmp_path / "kg.csv", both_ways("drug_protein", display, gene, drug))
    (edge,) = load_primekg(path).batch.edges
    assert edge.key == ("DRUGBANK:DB06681", edge_type, "NCBIGene:941")


def test_ids_are_normalised_and_raw_forms_are_not_kept_as_xrefs(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kg.csv", every_relation_rows())
    nodes = {node.id: node for node in load_primekg(path).batch.nodes}
    for raw, curie in NODES.values():
        assert curie in nodes
        assert ids.normalize_xref(f"{raw[3]}:{raw[0]}") == curie  # DrugBank:DB06681, MONDO:9693
        assert nodes[curie].xrefs == ()  # its raw form is its id: no xref of its own
        assert nodes[curie].name == raw[2]
    assert nodes["NCBIGene:941"].symbol == "CD80"  # type: ignore[attr-defined]


def test_mirrored_and_duplicate_rows_are_counted(tmp_path: Path) -> None:
    a, b = NODES["gene/protein"][0], OTHER["gene/protein"]
    rows = [row("protein_protein", "ppi", a, b), row("protein_protein", "ppi", b, a),
            row("protein_protein", "ppi", a, b)]
    result = load_primekg(write_csv(tmp_path / "kg.csv", rows))
    assert (result.stats.rows, result.stats.edges, result.stats.mirrored_rows,
            result.stats.duplicate_rows) == (3, 1, 1, 1)
    (edge,) = result.batch.edges
    assert edge.key == ("NCBIGene:940", "INTERACTS_WITH", "NCBIGene:941")
    assert edge.provenance[0].line == 2  # the first row of the fact


def test_same_pair_under_two_relations_gives_two_edges(tmp_path: Path) -> None:
    drug, disease = NODES["drug"][0], NODES["disease"][0]
    rows = both_ways("indication", "indication", drug, disease) + both_ways(
        "off-label use", "off-label use", disease, drug)
    result = load_primekg(write_csv(tmp_path / "kg.csv", rows))
    assert sorted(e.type.value for e in result.batch.edges) == ["INDICATED_FOR", "OFF_LABEL_FOR"]


def test_version_defaults_to_file_digest(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kg.csv", every_relation_rows()[:2])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = load_primekg(path)
    assert result.batch.source.version == f"sha256:{digest}"
    assert result.batch.edges[0].provenance[0].version == f"sha256:{digest}"
    assert load_primekg(path, version="2.0").batch.source.version == "2.0"


def test_gzip_file_reads_like_plain(tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "kg.csv", every_relation_rows())
    packed = tmp_path / "kg.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    a, b = load_primekg(plain, version="v"), load_primekg(packed, version="v")
    assert [e.key for e in a.batch.edges] == [e.key for e in b.batch.edges]
    assert a.stats == b.stats


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[int, int, int]] = []
    path = write_csv(tmp_path / "kg.csv", every_relation_rows())
    load_primekg(path, on_progress=lambda *figures: seen.append(figures))
    size = path.stat().st_size
    assert seen[-1] == (60, size, size)


def test_stream_yields_nodes_before_their_edges_in_small_chunks() -> None:
    yielded: set[str] = set()
    stream = read_primekg(EXAMPLE, chunk_size=10)
    chunks = list(stream.chunks())
    assert len(chunks) > 5 and all(len(c.edges) + len(c.rejections) <= 10 for c in chunks)
    for chunk in chunks:
        yielded.update(node.id for node in chunk.nodes)
        assert all(e.source in yielded and e.target in yielded for e in chunk.edges)
    assert stream.stats.edges == 71
    whole = load_primekg(EXAMPLE)
    assert [e.key for c in chunks for e in c.edges] == [e.key for e in whole.batch.edges]
    assert stream.stats == whole.stats


def test_rows_without_index_columns_and_with_blank_lines(tmp_path: Path) -> None:
    header = tuple(c for c in HEADER if not c.endswith("_index"))
    drug, gene = NODES["drug"][0], NODES["gene/protein"][0]
    path = tmp_path / "kg_raw.csv"
    path.write_text(",".join(header) + "\n\n" + ",".join(["drug_protein", "target", *drug, *gene])
                    + "\n")
    result = load_primekg(path)
    assert [e.key for e in result.batch.edges] == [
        ("DRUGBANK:DB06681", "TARGETS", "NCBIGene:941")]
    assert result.batch.edges[0].provenance[0].line == 3


# -- bad input -----------------------------------------------------------------


def parse_error(path: Path) -> ParseError:
    with pytest.raises(ParseError) as caught:
        load_primekg(path)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    error = parse_error(tmp_path / "absent.csv")
    assert "absent.csv" in str(error) and "no such file" in str(error)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kg.csv"
    path.write_text("")
    error = parse_error(path)
    assert error.line == 1 and str(error).startswith(f"{path}:1:")


@pytest.mark.parametrize("header", [
    "relation,display_relation,x_id,x_type,x_name,x_source",  # too few columns
    "relation\tdisplay_relation\tx_index\tx_id\tx_type\tx_name\tx_source\ty_index\ty_id\t"
    "y_type\ty_name\ty_source",  # tab-separated
    ",".join(HEADER) + ",score",  # an unknown column
    ",".join(HEADER).replace("x_id", "x_ident"),
])
def test_wrong_header_is_a_parse_error_on_line_1(tmp_path: Path, header: str) -> None:
    path = tmp_path / "kg.csv"
    path.write_text(header + "\n")
    error = parse_error(path)
    assert error.line == 1 and "header" in str(error) and str(path) in str(error)


@pytest.mark.parametrize("cut", [1, -1])
def test_row_with_wrong_column_count(tmp_path: Path, cut: int) -> None:
    rows = every_relation_rows()[:3]
    rows[2] = rows[2][:-1] if cut == 1 else [*rows[2], "extra"]
    error = parse_error(write_csv(tmp_path / "kg.csv", rows))
    assert error.line == 4
    assert str(error).startswith(f"{tmp_path / 'kg.csv'}:4: expected 12 columns, found")


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "kg.csv"
    path.write_bytes((",".join(HEADER) + "\n").encode() + b"\xff\xfe,broken\n")
    assert "UTF-8" in str(parse_error(path))


def test_broken_gzip(tmp_path: Path) -> None:
    path = tmp_path / "kg.csv.gz"
    path.write_bytes(b"not gzip at all")
    assert str(path) in str(parse_error(path))


@pytest.mark.parametrize(("bad_row", "reason"), [
    (row("drug_target", "target", NODES["drug"][0], NODES["gene/protein"][0]),
     "unknown relation 'drug_target'"),
    (row("drug_protein", "target", ("DB06681", "medicine", "Belatacept", "DrugBank"),
         NODES["gene/protein"][0]), "unknown node type 'medicine'"),
    (row("protein_protein", "ppi", ("941", "gene/protein", "CD80", "NCBI"),
         NODES["disease"][0]), "joins gene/protein and gene/protein"),
    (row("drug_protein", "inhibitor", NODES["drug"][0], NODES["gene/protein"][0]),
     "unknown drug_protein display_relation 'inhibitor'"),
    (row("drug_protein", "target", ("DB6681", "drug", "Belatacept", "DrugBank"),
         NODES["gene/protein"][0]), "x_id: malformed DRUGBANK id"),
    (row("disease_protein", "associated with", ("9693", "disease", "myeloma", "DOID_x"),
         NODES["gene/protein"][0]), "unknown id source 'DOID_x'"),
    (row("disease_protein", "associated with", ("1__2", "disease", "g", "MONDO_grouped"),
         NODES["gene/protein"][0]), "malformed grouped MONDO id"),
    (row("indication", "indication", NODES["drug"][0], NODES["gene/protein"][0]),
     "joins drug and disease"),
])
def test_unusable_rows_are_rejected_with_file_and_line(
        tmp_path: Path, bad_row: list[str], reason: str) -> None:
    good = every_relation_rows()[:2]
    path = write_csv(tmp_path / "kg.csv", [*good, bad_row, *good])
    result = load_primekg(path)
    (rejection,) = result.batch.rejections
    assert reason in rejection.reason
    assert (rejection.path, rejection.line) == (str(path), 4)
    assert rejection.record is not None and bad_row[0] in rejection.record
    assert result.stats.rejected_rows == 1 and result.stats.edges == 1


def test_unknown_node_type_is_rejected(tmp_path: Path) -> None:
    cell = ("CL:0000786", "cell", "plasma cell", "CL")
    path = write_csv(tmp_path / "kg.csv", [row("anatomy_anatomy", "parent-child", cell, cell)])
    (rejection,) = load_primekg(path).batch.rejections
    assert (rejection.reason, rejection.line) == ("unknown node type 'cell'", 2)


def test_one_id_as_two_kinds_is_rejected(tmp_path: Path) -> None:
    # GO 31295 first as a biological process, then as a molecular function.
    gene = NODES["gene/protein"][0]
    rows = [row("bioprocess_protein", "interacts with", NODES["biological_process"][0], gene),
            row("molfunc_protein", "interacts with",
                ("31295", "molecular_function", "T cell costimulation", "GO"), gene)]
    result = load_primekg(write_csv(tmp_path / "kg.csv", rows))
    (rejection,) = result.batch.rejections
    assert rejection.line == 3 and "GO:0031295 is a BiologicalProcess" in rejection.reason
    assert [n.kind for n in result.batch.nodes].count("MolecularFunction") == 0


def test_bad_pmid_column_is_rejected(tmp_path: Path) -> None:
    drug, gene = NODES["drug"][0], NODES["gene/protein"][0]
    rows = [[*row("drug_protein", "target", drug, gene), "12x"]]
    result = load_primekg(write_csv(tmp_path / "kg.csv", rows, (*HEADER, "pmids")))
    (rejection,) = result.batch.rejections
    assert "pmids" in rejection.reason and rejection.line == 2


# -- property: garbage never escapes as anything but ParseError or Rejection ---

cells = st.one_of(
    st.sampled_from(["drug_protein", "target", "drug", "gene/protein", "DB06681", "941",
                     "NCBI", "DrugBank", "MONDO", "MONDO_grouped", "1_2", "", "disease",
                     "9693", "protein_protein", "ppi", "R-HSA-1", "REACTOME", "GO", "x"]),
    st.text(max_size=8),
)
garbage_row = st.lists(cells, min_size=0, max_size=14)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(garbage_row, st.text(max_size=40).map(lambda t: [t])),
                     max_size=8))
def test_garbage_gives_only_parse_errors_or_rejections(tmp_path: Path,
                                                        rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / "garbage.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    try:
        result = load_primekg(path)
    except ParseError as error:
        assert error.path == str(path) and error.line is not None and error.line >= 1
        return
    stats = result.stats
    assert stats.rows == (stats.edges + stats.mirrored_rows + stats.duplicate_rows
                          + stats.rejected_rows)
    assert all(isinstance(r, Rejection) and r.line and r.line >= 2
               for r in result.batch.rejections)
