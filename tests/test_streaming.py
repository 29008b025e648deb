"""Loading a source in chunks gives the store a load of the whole source would give.

Runs on both stores (the ``store`` fixture): chunk boundaries must not show in
the graph — not in nodes, edges, provenance, the ledger, nor in what a reload
or a removal does afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.api import KnowledgeGraph
from graph.errors import ParseError
from graph.model import (
    Disease,
    Drug,
    Edge,
    EdgeType,
    Gene,
    Provenance,
    Rejection,
    SourceBatch,
    SourceInfo,
)
from graph.store.base import GraphStore
from graph.stream import Chunk, SourceStream, Statement, chunked
from loaders.primekg import HEADER, load_primekg, read_primekg

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mechanisms.csv"


def dump(store: GraphStore) -> dict[str, Any]:
    """Everything a store shows: counts, and each source's nodes, edges and ledger, plus
    the merged view of every node a source asserts (JSON, sorted)."""
    sources = {}
    views = {}
    for info in store.sources():
        batch = store.source_batch(info.name)
        sources[info.name] = {
            "info": info.model_dump(),
            "nodes": sorted(n.model_dump_json() for n in batch.nodes),
            "edges": sorted(e.model_dump_json() for e in batch.edges),
            "ledger": sorted(r.model_dump_json() for r in batch.rejections),
        }
        for node in batch.nodes:
            stored = store.node(node.id)
            views[node.id] = stored.model_dump_json() if stored else None
    return {"counts": store.counts().model_dump(), "sources": sources, "views": views}


def in_chunks(batch: SourceBatch, size: int) -> SourceStream:
    """The batch as a stream of small chunks: nodes first met with their first edge."""
    def chunks() -> list[Chunk]:
        out: list[Chunk] = []
        nodes = {n.id: n for n in batch.nodes}
        placed: set[str] = set()
        for edges in chunked(batch.edges, size):
            fresh = [nodes[e] for edge in edges for e in (edge.source, edge.target)
                     if e in nodes and e not in placed and not placed.add(e)]  # type: ignore[func-returns-value]
            out.append(Chunk(nodes=fresh, edges=edges))
        out.append(Chunk(nodes=[n for i, n in nodes.items() if i not in placed],
                         rejections=batch.rejections))
        return out
    return SourceStream(batch.source, chunks())


def test_primekg_in_small_chunks_equals_one_batch(store: GraphStore, tmp_path: Path) -> None:
    whole = load_primekg(EXAMPLE, version="1").batch
    KnowledgeGraph(store).load(whole)
    expected = dump(store)
    for info in store.sources():
        store.remove_source(info.name)
    assert store.counts().total_nodes == 0
    result = KnowledgeGraph(store).load(read_primekg(EXAMPLE, version="1", chunk_size=7))
    assert (result.nodes, result.edges) == (len(whole.nodes), len(whole.edges))
    assert dump(store) == expected


def test_chunks_meeting_another_source_in_either_order(store: GraphStore) -> None:
    """A second source sharing nodes: loaded before or after the chunked one, one graph."""
    other = SourceBatch(
        source=SourceInfo(name="curated", kind="drugmechdb", version="1"),
        nodes=(Drug(id="DRUGBANK:DB06681", name="belatacept", synonyms=("Nulojix",)),
               Gene(id="NCBIGene:941", name="CD80", symbol="CD80"),
               Disease(id="MONDO:0009693", name="plasma cell myeloma")),
        edges=(Edge(source="DRUGBANK:DB06681", target="NCBIGene:941", type=EdgeType.TARGETS,
                    provenance=(Provenance(source="curated", pmids=("PMID:9869202",)),)),))
    kg = KnowledgeGraph(store)
    kg.load(other)
    kg.load(read_primekg(EXAMPLE, version="1", chunk_size=5))
    first = dump(store)
    for info in store.sources():
        store.remove_source(info.name)
    kg.load(read_primekg(EXAMPLE, version="1", chunk_size=5))
    kg.load(other)
    second = dump(store)
    first["sources"] = {k: {**v, "info": None} for k, v in first["sources"].items()}
    second["sources"] = {k: {**v, "info": None} for k, v in second["sources"].items()}
    assert first["counts"] == second["counts"]
    assert first["sources"] == second["sources"]
    # the merged views may differ only where the two sources disagree on a name
    shared = store.node("DRUGBANK:DB06681")
    assert shared is not None and "Nulojix" in shared.synonyms


def statement(source: str, target: str, line: int, *pmids: str) -> Statement:
    return Statement(source, EdgeType.INTERACTS_WITH, target, line, tuple(pmids),
                     {"relation": "protein_protein"})


def test_a_statement_repeated_across_chunks_keeps_both_provenances(store: GraphStore) -> None:
    a, b = Gene(id="NCBIGene:1", name="A1BG"), Gene(id="NCBIGene:2", name="A2M")
    source = SourceInfo(name="genes", kind="primekg", version="1")
    stream = SourceStream(source, [
        Chunk(nodes=[a, b], edges=[statement(a.id, b.id, 2)]),
        Chunk(edges=[statement(a.id, b.id, 9, "PMID:38562904"), statement(a.id, b.id, 11)]),
    ])
    result = KnowledgeGraph(store).load(stream)
    assert result.edges == 1
    (edge,) = store.source_batch("genes").edges
    assert [p.line for p in edge.provenance] == [2, 9, 11]
    assert edge.pmids == ("PMID:38562904",)
    assert store.counts().edges == {"INTERACTS_WITH": 1}


def test_a_statement_twice_in_one_chunk_on_an_edge_another_source_holds(
        store: GraphStore) -> None:
    a, b = Gene(id="NCBIGene:1", name="A1BG"), Gene(id="NCBIGene:2", name="A2M")
    kg = KnowledgeGraph(store)
    kg.load(SourceStream(SourceInfo(name="first", kind="primekg", version="1"),
                         [Chunk(nodes=[a, b], edges=[statement(a.id, b.id, 2)])]))
    kg.load(SourceStream(SourceInfo(name="second", kind="primekg", version="1"),
                         [Chunk(nodes=[a, b], edges=[statement(a.id, b.id, 3),
                                                     statement(a.id, b.id, 4)])]))
    (edge,) = store.source_batch("second").edges
    assert [(p.source, p.line) for p in edge.provenance] == [("second", 3), ("second", 4)]
    store.remove_source("first")
    (edge,) = store.source_batch("second").edges
    assert [p.line for p in edge.provenance] == [3, 4]


def test_chunked_reload_of_a_changed_file_equals_a_clean_load(store: GraphStore,
                                                              tmp_path: Path) -> None:
    lines = EXAMPLE.read_text().splitlines()
    changed = tmp_path / "kg.csv"
    changed.write_text("\n".join([lines[0], *lines[1:40], *lines[60:]]) + "\n")
    kg = KnowledgeGraph(store)
    kg.load(read_primekg(EXAMPLE, name="kg", version="1", chunk_size=6))
    result = kg.load(read_primekg(changed, name="kg", version="2", chunk_size=6))
    assert result.edges_removed > 0
    reloaded = dump(store)
    store.remove_source("kg")
    assert store.counts().total_nodes == 0
    kg.load(read_primekg(changed, name="kg", version="2", chunk_size=6))
    clean = dump(store)
    for d in (reloaded, clean):
        d["sources"]["kg"]["info"] = None
    assert reloaded == clean


def test_a_fault_late_in_the_file_leaves_the_store_as_it_was(store: GraphStore,
                                                             tmp_path: Path) -> None:
    kg = KnowledgeGraph(store)
    kg.load(read_primekg(EXAMPLE, name="kg", version="1"))
    before = dump(store)
    broken = tmp_path / "kg.csv"
    broken.write_text(EXAMPLE.read_text() + "drug_protein,target,only,three\n")
    with pytest.raises(ParseError) as caught:
        kg.load(read_primekg(broken, name="kg", version="2", chunk_size=5))
    assert caught.value.line == len(EXAMPLE.read_text().splitlines()) + 1
    assert dump(store) == before


def test_many_rejections_are_all_in_the_ledger_and_counted(store: GraphStore,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "kg.csv"
    row = "no_such_relation,x,0,DB06681,drug,Belatacept,DrugBank,1,941,gene/protein,CD80,NCBI"
    path.write_text(",".join(HEADER) + "\n" + "\n".join([row] * 1_200) + "\n")
    result = KnowledgeGraph(store).load(read_primekg(path, version="1", chunk_size=100))
    assert result.refused == 1_200 and len(result.rejections) == 1_000
    assert len(store.ledger(source="PrimeKG")) == 1_200
    assert store.ledger(source="PrimeKG", limit=3) == store.ledger(source="PrimeKG")[:3]
    again = KnowledgeGraph(store).load(read_primekg(path, version="1"))
    assert again.unchanged and again.refused == 1_200


def test_a_stream_is_read_once_and_not_at_all_when_unchanged(store: GraphStore) -> None:
    kg = KnowledgeGraph(store)
    kg.load(read_primekg(EXAMPLE, version="1"))
    read: list[int] = []
    stream = read_primekg(EXAMPLE, version="1", on_progress=lambda rows, *_: read.append(rows))
    assert kg.load(stream).unchanged
    assert read == []


def test_rejection_record_and_line_survive_streaming(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "kg.csv"
    good = "drug_protein,target,0,DB06681,drug,Belatacept,DrugBank,1,941,gene/protein,CD80,NCBI"
    bad = "drug_protein,target,0,DB06681,drug,Belatacept,DrugBank,1,941,gene/protein,CD80,NOPE"
    path.write_text(",".join(HEADER) + f"\n{good}\n{bad}\n")
    KnowledgeGraph(store).load(read_primekg(path, version="1", chunk_size=1))
    (entry,) = store.ledger()
    assert isinstance(entry, Rejection) and entry.line == 3 and "NOPE" in (entry.record or "")
    assert json.loads(store.source_batch("PrimeKG").edges[0].model_dump_json())["type"] == \
        "TARGETS"
