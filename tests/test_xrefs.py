"""Cross-references normalised once: every raw form the real data writes, in one function.

:func:`graph.ids.normalize_xref` is the one place; the model runs it on every node's
xrefs (so every loader's output is normal), and lookups run it on what a user types
(so ``txkg show``, ``predictions`` and ``explain`` accept any raw form).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import ids
from graph.cli import main
from graph.model import Disease, Drug
from graph.stream import Source, as_stream
from tests.conftest import EXAMPLES, shared_data


@pytest.mark.parametrize(("raw", "canonical"), [
    # PrimeKG's x_source:x_id (examples/mechanisms.csv, kg.csv)
    ("DrugBank:DB06681", "DRUGBANK:DB06681"),
    ("MONDO:9693", "MONDO:0009693"),
    ("MONDO:5302", "MONDO:0005302"),
    ("NCBI:941", "NCBIGene:941"),
    ("REACTOME:R-HSA-388841", "REACT:R-HSA-388841"),
    ("GO:6955", "GO:0006955"),
    ("UBERON:2107", "UBERON:0002107"),
    ("HPO:1234", "HP:0001234"),
    ("CTD:D003110", "MESH:D003110"),
    # Hetionet's kind-qualified identifiers
    ("Disease::DOID:1094", "DOID:1094"),
    ("Gene::941", "NCBIGene:941"),
    ("Compound::DB00118", "DRUGBANK:DB00118"),
    ("Anatomy::UBERON:0000002", "UBERON:0000002"),
    ("Biological Process::GO:0000002", "GO:0000002"),
    ("Symptom::D000006", "MESH:D000006"),
    ("Side Effect::C0000737", "UMLS:C0000737"),
    ("Pharmacologic Class::N0000175089", "NDFRT:N0000175089"),
    ("Pathway::WP477_r67139", "WIKIPATHWAYS:WP477"),
    ("Pathway::PC7_5322", "PATHWAYCOMMONS:PC7_5322"),
    # DrugMechDB's prefixes
    ("DB:DB01281", "DRUGBANK:DB01281"),
    ("UniProt:P33681", "UniProtKB:P33681"),
    ("taxonomy:1280", "NCBITaxon:1280"),
    ("reactome:R-HSA-2162123", "REACT:R-HSA-2162123"),
    ("Pfam:PF00905", "PFAM:PF00905"),
    ("TIGR:02074", "TIGRFAM:TIGR02074"),
    ("InterPro:IPR001128\ufeff", "InterPro:IPR001128"),
    # spellings of one prefix, and TxGNN's MONDO cross-references
    ("MESH:D003110", "MESH:D003110"),
    ("MeSH:D003110", "MESH:D003110"),
    ("mesh:D003110", "MESH:D003110"),
    ("doid:1094", "DOID:1094"),
    ("Orphanet:558", "ORPHANET:558"),
    ("umls:C0026764", "UMLS:C0026764"),
    ("SCTID:64572001", "SNOMEDCT:64572001"),
    ("MedDRA:10028228", "MEDDRA:10028228"),
    ("icd10:C90.0", "ICD10:C90.0"),
    ("GARD:0006722", "GARD:0006722"),
    # bare ids, spaces
    ("DB06681", "DRUGBANK:DB06681"),
    (" nct04827979 ", "clinicaltrials:NCT04827979"),
    # not checkable: kept as written
    ("MONDO_grouped:1_20", "MONDO_grouped:1_20"),
    ("UniProt:P4984", "UniProtKB:P4984"),
])
def test_each_raw_form_has_one_canonical_form(raw: str, canonical: str) -> None:
    assert ids.normalize_xref(raw) == canonical
    assert ids.normalize_xref(canonical) == canonical  # idempotent


def test_a_node_keeps_each_xref_once_in_its_canonical_form_and_never_its_own_id() -> None:
    drug = Drug(id="DRUGBANK:DB06681", name="Belatacept",
                xrefs=("DrugBank:DB06681", "MeSH:C511611", "MESH:C511611", "Compound::DB06681"))
    assert drug.xrefs == ("MESH:C511611",)
    disease = Disease(id="MONDO:0009693", name="plasma cell myeloma",
                      xrefs=("MONDO:9693", "Disease::DOID:9538", "doid:9538"))
    assert disease.xrefs == ("DOID:9538",)


def _nodes(sources: Iterable[Source]) -> Iterable[tuple[str, tuple[str, ...]]]:
    for source in sources:
        for node in as_stream(source).collect().nodes:
            yield node.id, node.xrefs


def test_every_loader_writes_xrefs_in_canonical_form() -> None:
    from loaders.drugmechdb import read_drugmechdb
    from loaders.hetionet import read_hetionet
    from loaders.primekg import read_primekg
    from loaders.txgnn import read_txgnn

    sources: list[Source] = [*read_primekg(EXAMPLES / "mechanisms.csv").sources,
                             *read_hetionet(shared_data("hetionet",
                                                        "random-subgraph.json.xz")).sources,
                             *read_txgnn(shared_data("txgnn")).sources,
                             *read_drugmechdb(shared_data("drugmechdb", "paths")).sources]
    seen = 0
    for node_id, xrefs in _nodes(sources):
        for xref in xrefs:
            seen += 1
            assert ids.normalize_xref(xref) == xref, (node_id, xref)
            assert xref != node_id
    assert seen > 100_000


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xrefs") / "kg.db"
    for kind, source in (("primekg", EXAMPLES / "mechanisms.csv"),
                         ("reports", EXAMPLES / "reports")):
        result = CliRunner().invoke(main, ["--store", f"sqlite:///{path}", "load", kind,
                                           str(source)])
        assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("drug", ["DrugBank:DB06681", "Compound::DB06681", "db:db06681",
                                  "DB06681", "drugbank:DB06681"])
@pytest.mark.parametrize("disease", ["MONDO:9693", "mondo:0009693", "MONDO:0009693"])
def test_lookups_accept_every_raw_form(store: Path, drug: str, disease: str) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "MONDO:0009693" in run("predictions", drug)
    assert "DRUGBANK:DB06681" in run("show", drug)
    assert "plasma cell myeloma" in run("show", disease)
    assert "Belatacept → plasma cell myeloma" in run("explain", drug, disease)
