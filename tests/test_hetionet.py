"""Hetionet's JSON hetnets: node and edge counts, kinds, ids, orientation, provenance."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_data
from hypothesis import given
from hypothesis import strategies as st

from graph.errors import InvalidId, ParseError
from graph.explain.metagraph import metagraph, metapaths
from graph.store.sqlite import SqliteStore
from loaders.hetionet import EDGE_KINDS, NODE_KINDS, node_id, read_hetionet

# Counts from ../shared/data/README.md (nodes, edges).
HETNETS = {
    "disease-gene-example-graph.json": (11, 14),
    "random-subgraph.json.xz": (1155, 3123),
    "bupropion-CbGpPWpGaD-subgraph.json.xz": (3060, 18474),
}


def _hetnet(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
            metaedges: list[list[str]]) -> dict[str, Any]:
    return {"metanode_kinds": sorted({n["kind"] for n in nodes}), "metaedge_tuples": metaedges,
            "kind_to_abbrev": {}, "nodes": nodes, "edges": edges}


def _node(kind: str, identifier: Any, name: str, **data: Any) -> dict[str, Any]:
    return {"kind": kind, "identifier": identifier, "name": name, "data": data}


def _edge(src: tuple[str, Any], dst: tuple[str, Any], kind: str, **data: Any) -> dict[str, Any]:
    return {"source_id": list(src), "target_id": list(dst), "kind": kind, "direction": "both",
            "data": data}


def _raw(path: Path) -> dict[str, Any]:
    with lzma.open(path) as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _write(tmp_path: Path, data: dict[str, Any], name: str = "h.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(("name", "counts"), sorted(HETNETS.items()))
def test_every_node_and_edge_of_the_real_hetnets_loads(name: str,
                                                        counts: tuple[int, int]) -> None:
    batch = read_hetionet(shared_data("hetionet", name))
    assert (len(batch.nodes), len(batch.edges)) == counts
    assert batch.rejections == ()
    assert len({n.id for n in batch.nodes}) == counts[0]


def test_random_subgraph_kinds_map_onto_txkg_kinds() -> None:
    raw = _raw(shared_data("hetionet", "random-subgraph.json.xz"))
    batch = read_hetionet(shared_data("hetionet", "random-subgraph.json.xz"))
    expected: Counter[str] = Counter()
    for record in raw["nodes"]:
        expected[NODE_KINDS[record["kind"]].model_fields["kind"].default] += 1
    assert Counter(n.label for n in batch.nodes) == expected
    assert Counter(n.label for n in batch.nodes)["Phenotype"] == 109 + 110  # side effects+symptoms
    by_id = {n.id: n for n in batch.nodes}
    assert by_id["DRUGBANK:DB00756"].xrefs == ()  # Compound::DB00756 is its own id
    assert by_id["NCBIGene:55609"].name == "ZNF280C"
    assert by_id["WIKIPATHWAYS:WP477"].xrefs == ()  # Pathway::WP477_r67139 is its own id
    assert by_id["NDFRT:N0000175089"].label == "PharmacologicClass"
    assert "MESH:D014279" in by_id["UBERON:0001717"].xrefs


def test_random_subgraph_edges_keep_hetionet_kind_as_predicate() -> None:
    raw = _raw(shared_data("hetionet", "random-subgraph.json.xz"))
    batch = read_hetionet(shared_data("hetionet", "random-subgraph.json.xz"))
    assert Counter(e.properties["predicate"] for e in batch.edges) == Counter(
        e["kind"] for e in raw["edges"])
    assert all(e.provenance[0].source == "Hetionet" for e in batch.edges)


def test_bupropion_metapath_reads_as_in_hetionet(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "kg.db")
    store.load(read_hetionet(shared_data("hetionet", "bupropion-CbGpPWpGaD-subgraph.json.xz")))
    found = {m.abbreviation for m in
             metapaths(metagraph(store.mechanism_graph()), "Drug", "Disease", max_length=4)}
    store.close()
    assert "CbGpPWpGaD" in found
    assert "CbGaD" in found


def test_undirected_edges_are_stored_once_in_txkg_orientation(tmp_path: Path) -> None:
    nodes = [_node("Disease", "DOID:1324", "lung cancer"), _node("Gene", 5, "G5"),
             _node("Gene", 3, "G3"), _node("Anatomy", "UBERON:0002048", "lung")]
    edges = [_edge(("Disease", "DOID:1324"), ("Gene", 5), "associates"),
             _edge(("Anatomy", "UBERON:0002048"), ("Gene", 3), "expresses"),
             _edge(("Gene", 5), ("Gene", 3), "interacts"),
             _edge(("Gene", 3), ("Gene", 5), "interacts")]
    metaedges = [["Disease", "Gene", "associates", "both"],
                 ["Anatomy", "Gene", "expresses", "both"], ["Gene", "Gene", "interacts", "both"]]
    batch = read_hetionet(_write(tmp_path, _hetnet(nodes, edges, metaedges)), version="t")
    assert sorted((e.source, e.type.value, e.target) for e in batch.edges) == [
        ("NCBIGene:3", "EXPRESSED_IN", "UBERON:0002048"),
        ("NCBIGene:3", "INTERACTS_WITH", "NCBIGene:5"),
        ("NCBIGene:5", "ASSOCIATED_WITH", "DOID:1324"),
    ]


def test_edge_data_becomes_provenance_and_properties(tmp_path: Path) -> None:
    nodes = [_node("Compound", "DB01156", "Bupropion"), _node("Gene", 6531, "SLC6A3")]
    edges = [_edge(("Compound", "DB01156"), ("Gene", 6531), "binds",
                   sources=["DrugBank (target)", "BindingDB"], license="CC BY 4.0",
                   unbiased=False, pubmed_ids=["11350116", "PMID 9537821"], affinity_nM=520.0)]
    path = _write(tmp_path, _hetnet(nodes, edges, [["Compound", "Gene", "binds", "both"]]))
    (edge,) = read_hetionet(path, version="v1.0", dataset="Hetionet").edges
    (prov,) = edge.provenance
    assert (prov.source, prov.version) == ("Hetionet", "v1.0")
    assert prov.pmids == ("PMID:11350116", "PMID:9537821")
    assert prov.note == "sources: DrugBank (target); BindingDB"
    assert edge.properties == {"predicate": "binds", "sources": "DrugBank (target);BindingDB",
                               "license": "CC BY 4.0", "unbiased": False, "affinity_nM": 520.0}


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.xz", ".json.bz2"])
def test_compressed_files_read_alike(tmp_path: Path, suffix: str) -> None:
    data = json.dumps(_hetnet([_node("Gene", 1, "A1BG"), _node("Gene", 2, "A2M")],
                              [_edge(("Gene", 1), ("Gene", 2), "interacts")],
                              [["Gene", "Gene", "interacts", "both"]])).encode()
    writers = {".json": lambda b: b, ".json.gz": gzip.compress, ".json.xz": lzma.compress,
               ".json.bz2": bz2.compress}
    path = tmp_path / ("h" + suffix)
    path.write_bytes(writers[suffix](data))
    batch = read_hetionet(path, version="x", name="h")
    assert [(e.source, e.target) for e in batch.edges] == [("NCBIGene:1", "NCBIGene:2")]


def test_example_graph_known_by_name_gets_provisional_ids() -> None:
    batch = read_hetionet(shared_data("hetionet", "disease-gene-example-graph.json"))
    ids = {n.id for n in batch.nodes}
    assert "txkg:gene/stat3" in ids and "txkg:anatomy/lung" in ids
    assert "txkg:disease/multiple-sclerosis" in ids


def test_unusable_records_are_refused_and_broken_files_raise(tmp_path: Path) -> None:
    nodes = [_node("Gene", 1, "A1BG"), _node("Spaceship", "x1", "Enterprise"),
             _node("Compound", "DB1", "broken id")]
    edges = [_edge(("Gene", 1), ("Spaceship", "x1"), "interacts"),
             _edge(("Gene", 1), ("Gene", 1), "teleports")]
    batch = read_hetionet(_write(tmp_path, _hetnet(nodes, edges, [])), version="x")
    reasons = sorted(r.reason.split(" ")[0] + " " + r.reason.split(" ")[1] for r in
                     batch.rejections)
    assert reasons == ["edge endpoint", "malformed Compound", "unknown edge", "unknown node"]
    (tmp_path / "bad.json").write_text("{nodes: oops")
    with pytest.raises(ParseError, match="not JSON"):
        read_hetionet(tmp_path / "bad.json")
    with pytest.raises(ParseError, match="metagraph only"):
        read_hetionet(shared_data("hetionet", "hetionet-v1.0-metagraph.json"))
    with pytest.raises(ParseError, match="no such file"):
        read_hetionet(tmp_path / "absent.json")


def test_every_hetionet_metaedge_has_a_type() -> None:
    meta = json.loads(shared_data("hetionet", "hetionet-v1.0-metagraph.json").read_text())
    assert {kind for _, _, kind, _ in meta["metaedge_tuples"]} <= set(EDGE_KINDS)
    assert set(meta["metanode_kinds"]) <= set(NODE_KINDS)


@given(kind=st.sampled_from(sorted(NODE_KINDS)),
       identifier=st.one_of(st.integers(min_value=-5, max_value=10**9), st.text(max_size=30)),
       name=st.text(min_size=1, max_size=20))
def test_node_id_returns_a_curie_or_raises_invalid_id(kind: str, identifier: Any,
                                                      name: str) -> None:
    try:
        curie = node_id(kind, identifier, name)
    except InvalidId:
        return
    assert ":" in curie
