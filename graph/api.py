"""KnowledgeGraph: the Python API, a facade over a store.

Open it from the same URI the command line takes, load source batches that
loaders produce, and ask questions; every answer is a pydantic model, and
subgraphs convert to networkx for your own analysis. The answer models of its
own (:class:`Stats`, :class:`NodeView`, :class:`PredictionView`,
:class:`ExplainedPrediction`) are in :mod:`graph.api_views`, re-exported here.

>>> import tempfile, os
>>> tmp = tempfile.TemporaryDirectory()
>>> kg = KnowledgeGraph.open("sqlite:///" + os.path.join(tmp.name, "kg.db"))
>>> kg.stats().counts.total_nodes
0
>>> kg.close(); tmp.cleanup()
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from graph import reresolve
from graph.api_views import (
    ExplainedPrediction,
    NodeView,
    PredictionView,
    QueryRows,
    Stats,
)
from graph.errors import InvalidArgument, NotFound, QueryError
from graph.explain.explanation import DEFAULT_RANKING, DEFAULT_SEARCH, Explanation
from graph.explain.metagraph import MetaGraph, Metapath, metagraph, metapaths
from graph.explain.neighbourhood import Neighbourhoods
from graph.gc_pause import collector_paused
from graph.model import (
    Disease,
    Drug,
    Evidence,
    LoadResult,
    Neighbour,
    Node,
    NodeKind,
    Prediction,
    Rejection,
    SourceBatch,
)
from graph.resolver import Resolver
from graph.store import GraphStore, open_store
from graph.stream import Chunk, SourceStream, as_edge

if TYPE_CHECKING:
    import networkx as nx

    from graph.cypher_library import NamedQuery
    from graph.explain.bounded import SearchMemos
    from graph.explain.evaluation import EvaluationReport
    from graph.neo4j_export import ExportResult
    from graph.store.neo4j import Neo4jStore


class KnowledgeGraph:
    """The graph behind txkg, over any store (SQLite file or Neo4j server)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @classmethod
    def open(cls, uri: str | None = None, **options: Any) -> KnowledgeGraph:
        """Open the store ``uri`` names (see :func:`graph.store.open_store`)."""
        return cls(open_store(uri, **options))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- loading -------------------------------------------------------------

    def load(self, source: SourceBatch | SourceStream) -> LoadResult:
        """Load one source, atomically, after resolving its ids to known entities.

        ``source`` is a whole batch or a stream read chunk by chunk (a large
        file; see :mod:`graph.stream`). Entities a source knows only by name (a
        report's drug and disease) get provisional ids; those that match exactly
        one node of their kind in the store by name, synonym or xref take that
        node's id, and other ids are matched by cross-reference, name or gene
        symbol (:mod:`graph.resolver`). What stays unresolved is noted in the
        ledger. When the source shows stored nodes to be its own entities (a
        provisional node it names, or a node it knows under a better id), the
        sources asserting them are resolved again, so the same sources give the
        same graph in any order.
        """
        return reresolve.load(self.store, source)

    def remove(self, name: str) -> LoadResult:
        """Withdraw everything source ``name`` said, and undo the merges it caused: the
        store then holds what loading the other sources alone would give (the nodes it
        merged split again, a report's provisional nodes come back, with their ledger
        notes). :class:`~graph.errors.InvalidArgument` when no such source is loaded."""
        self._check_loaded(name)
        return reresolve.remove(self.store, name)

    def load_all(self, sources: Iterable[SourceBatch | SourceStream]) -> list[LoadResult]:
        """Load several sources, each atomically, committed together where the store can
        (see :meth:`bulk`)."""
        with self.bulk():
            return [self.load(source) for source in sources]

    def bulk(self) -> AbstractContextManager[None]:
        """A block of many loads, committed together where the store can.

        Each load stays atomic. The SQLite store writes its file once, at the end
        of the block (and an error rolls back every load of the block); Neo4j
        commits each load as it goes.
        """
        return self.store.bulk()

    def resolve_batch(self, batch: SourceBatch) -> SourceBatch:
        """The batch as :meth:`load` would write it: ids re-keyed onto stored entities
        (:mod:`graph.resolver`), notes on what stays open among its rejections."""
        chunk = Chunk(batch.nodes, batch.edges, batch.rejections)
        resolved = Resolver(self.store, batch.source).resolve(chunk)
        if resolved is chunk:
            return batch
        return batch.model_copy(update={
            "nodes": tuple(resolved.nodes),
            "edges": tuple(as_edge(e, batch.source) for e in resolved.edges),
            "rejections": tuple(resolved.rejections)})

    # -- finding -------------------------------------------------------------

    def resolve(self, text: str, *, kind: str | None = None) -> Node:
        """The node an id or name stands for; :class:`NotFound` with suggestions if none.

        Exact ids win; among names, a node of a mechanism kind wins over an
        evidence record; ties go to the first id in order. A prediction is found by
        its id or as "drug → disease" (``->`` too), each side an id or name.
        """
        hits = self.store.find(text, kind=kind)
        if not hits and kind in (None, "Prediction"):
            prediction = self._prediction_named(text)
            hits = [prediction] if prediction is not None else []
        if not hits:
            raise NotFound(text, kind=kind,
                           suggestions=tuple(self.store.similar_names(text, kind=kind)))
        return hits[0]

    def _prediction_named(self, text: str) -> Prediction | None:
        exact = self.store.node(text.strip())
        if isinstance(exact, Prediction):
            return exact
        for arrow in ("→", "->"):
            drug_text, _, disease_text = text.partition(arrow)
            if disease_text:
                break
        else:
            return None
        drugs = self.store.find(drug_text, kind="Drug")
        diseases = self.store.find(disease_text, kind="Disease")
        if drugs and diseases:
            for prediction in self.store.predictions(drug_id=drugs[0].id,
                                                     disease_id=diseases[0].id):
                return prediction
        return None

    def node(self, node_id: str) -> Node:
        found = self.store.node(node_id)
        if found is None:
            raise NotFound(node_id)
        return found

    def show(self, text: str, *, kind: str | None = None, limit: int | None = None) -> NodeView:
        """A node (by id or name) and its first ``limit`` neighbours: statements of
        mechanism (targets, pathways …) before evidence and predictions, so a drug's
        targets are never crowded out by its predicted indications."""
        node = self.resolve(text, kind=kind)
        return NodeView(node=node, neighbours=self.store.neighbours(node.id, limit=limit),
                        neighbour_count=self.store.neighbour_count(node.id))

    def neighbours(self, text: str, *, kind: str | None = None,
                   edge_type: str | None = None) -> list[Neighbour]:
        node = self.resolve(text)
        return self.store.neighbours(node.id, kind=kind, edge_type=edge_type)

    # -- predictions ---------------------------------------------------------

    def drug(self, text: str) -> Node:
        """The drug an id or name stands for."""
        return self.resolve(text, kind=Drug.model_fields["kind"].default)

    def predictions(self, drug: str) -> list[PredictionView]:
        """A drug's predicted indications, best first, with evidence counts."""
        found = self.drug(drug)
        return self._prediction_views(self.store.predictions(drug_id=found.id))

    def disease_predictions(self, disease: str) -> list[PredictionView]:
        """The drugs predicted to treat a disease (an id, name or synonym), best first,
        with evidence counts."""
        found = self.resolve(disease, kind=Disease.model_fields["kind"].default)
        return self._prediction_views(self.store.predictions(disease_id=found.id))

    def _prediction_views(self, predictions: list[Prediction]) -> list[PredictionView]:
        """Each prediction with its drug, disease and evidence counts: three store questions
        in all, however many predictions."""
        ends = self.store.nodes(i for p in predictions for i in (p.drug_id, p.disease_id))
        counts = self.store.evidence_counts(p.id for p in predictions)
        return [PredictionView(prediction=p, drug=ends.get(p.drug_id),
                               disease=ends.get(p.disease_id),
                               trials=counts[p.id]["ClinicalTrial"],
                               publications=counts[p.id]["Publication"]) for p in predictions]

    def prediction(self, drug: str, disease: str) -> Prediction:
        """The prediction that ``drug`` treats ``disease``."""
        found = self.drug(drug)
        wanted = self.resolve(disease, kind="Disease")
        for prediction in self.store.predictions(drug_id=found.id, disease_id=wanted.id):
            return prediction
        raise NotFound(f"{found.name} → {wanted.name}", kind="prediction")

    def evidence(self, prediction_id: str) -> list[Evidence]:
        return self.store.evidence(prediction_id)

    # -- explanation ---------------------------------------------------------

    def explain(self, drug: str, disease: str, *, top: int = 25, max_hops: int = 4,
                min_hops: int = 2, damping: float = 0.4,
                metapaths: Sequence[str] | None = None, ranking: str = DEFAULT_RANKING,
                search: str = DEFAULT_SEARCH) -> ExplainedPrediction:
        """Why ``drug`` might treat ``disease``: ranked mechanism paths and the evidence.

        Paths are node-simple, run only through mechanism kinds, follow any
        metapath of ``min_hops``–``max_hops`` edges, and are weighted by their
        path-degree product with damping ``w`` (see :mod:`graph.explain`).
        ``metapaths`` restricts to those metapaths (abbreviations such as
        ``CtGaD``; every path along them, exact DWPC); ``ranking`` names a path
        ranking of :mod:`graph.explain.ranking`. ``search``: ``"bounded"`` (the
        default) finds the same top paths as enumerating every path would, reading
        the store a frontier at a time (:mod:`graph.explain.bounded`; the tables
        then cover the paths scoring at least the explanation's ``score_floor``);
        ``"all"`` enumerates every path of the mechanism subgraph (small graphs);
        ``"best-first"`` lists only the best ``top`` paths, of up to 8 hops
        (:mod:`graph.explain.best_first`).
        """
        found = self.drug(drug)
        wanted = self.resolve(disease, kind="Disease")
        predicted = self.store.predictions(drug_id=found.id, disease_id=wanted.id)
        return self._explain(found, wanted, predicted[0] if predicted else None,
                             top=top, max_hops=max_hops, min_hops=min_hops, damping=damping,
                             metapaths=metapaths, ranking=ranking, search=search,
                             hood=self.store)

    def explain_drug(self, drug: str, *, top: int = 25, max_hops: int = 4, min_hops: int = 2,
                     damping: float = 0.4, metapaths: Sequence[str] | None = None,
                     ranking: str = DEFAULT_RANKING, search: str = DEFAULT_SEARCH,
                     jobs: int = 1, on_progress: Callable[[int, int], None] | None = None,
                     ) -> list[ExplainedPrediction]:
        """Explain every predicted indication of ``drug``, best prediction first.

        Each explanation is the one :meth:`explain` gives for its pair. The bounded
        searches share what they read from the store, and on Neo4j they run side by
        side, asking one question per step for all (:mod:`graph.api_explain`);
        ``jobs`` > 1 deals them out to that many forked processes. ``on_progress(done,
        total)`` is called as each prediction is explained (for a progress bar).
        """
        if jobs < 1:
            raise InvalidArgument(f"jobs must be at least 1, not {jobs}")
        found = self.drug(drug)
        pairs = [(p, disease) for p in self.store.predictions(drug_id=found.id)
                 if (disease := self.store.node(p.disease_id)) is not None]  # else withdrawn
        settings: dict[str, Any] = {"top": top, "max_hops": max_hops, "min_hops": min_hops,
                                    "damping": damping, "metapaths": metapaths,
                                    "ranking": ranking, "search": search}
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if on_progress is not None:
                on_progress(done, len(pairs))

        with collector_paused():  # the shared caches grow large (graph.gc_pause)
            if search == "bounded":
                from graph.api_explain import explain_bounded

                explanations = explain_bounded(self.store, found, [d for _, d in pairs],
                                               settings, jobs=jobs, tick=tick)
                return [self._explained(found, disease, p, explanation) for (p, disease),
                        explanation in zip(pairs, explanations, strict=True)]
            results = []
            for p, disease in pairs:
                results.append(self._explain(found, disease, p, **settings, hood=self.store))
                tick()
            return results

    def _explain(self, drug: Node, disease: Node, prediction: Prediction | None, *,
                 top: int, max_hops: int, min_hops: int, damping: float,
                 metapaths: Sequence[str] | None, ranking: str, search: str,
                 hood: Neighbourhoods, memos: SearchMemos | None = None,
                 ) -> ExplainedPrediction:
        if search == "bounded":
            from graph.api_explain import search_pair
            from graph.explain.bounded import SearchMemos

            explanation = search_pair(drug, disease, {
                "top": top, "max_hops": max_hops, "min_hops": min_hops, "damping": damping,
                "metapaths": metapaths, "ranking": ranking}, memos or SearchMemos(), hood)
        else:
            explanation = self._explain_subgraph(drug, disease, top=top, max_hops=max_hops,
                                                 min_hops=min_hops, damping=damping,
                                                 metapaths=metapaths, ranking=ranking,
                                                 search=search)
        return self._explained(drug, disease, prediction, explanation)

    def _explained(self, drug: Node, disease: Node, prediction: Prediction | None,
                   explanation: Explanation) -> ExplainedPrediction:
        """The explanation with the prediction's evidence (and, without a path, why)."""
        evidence = self.store.evidence(prediction.id) if prediction is not None else []
        links: dict[str, int | None] = {"drug_links": None, "disease_links": None}
        if not explanation.paths:  # say why: an end nothing links, or too far apart
            for key, end in (("drug_links", drug), ("disease_links", disease)):
                links[key] = len(self.store.mechanism_links([end.id]))
        return ExplainedPrediction(drug=drug, disease=disease, prediction=prediction,
                                   evidence=evidence, explanation=explanation, **links)

    def _explain_subgraph(self, drug: Node, disease: Node, *, top: int, max_hops: int,
                          min_hops: int, damping: float, metapaths: Sequence[str] | None,
                          ranking: str, search: str) -> Explanation:
        """The searches that enumerate the mechanism subgraph between the two (``all``,
        ``best-first``)."""
        if metapaths:  # the subgraph must reach as far as the longest metapath asked for
            max_hops = max(max_hops, *(Metapath.from_abbreviation(m).length for m in metapaths))
        graph = self.store.mechanism_subgraph(drug.id, disease.id, max_hops=max_hops)
        for end in (drug, disease):  # no path at all: an empty explanation, not an error
            if end.id not in graph:
                graph.add_node(end.id, kind=end.label, name=end.name, degrees={})
        from graph.explain.explainer import explain_pair

        return explain_pair(graph, drug.id, disease.id, max_hops=max_hops, min_hops=min_hops,
                            damping=damping, top=top, metapaths=metapaths or None,
                            ranking=ranking, search=search)

    # -- the metagraph -------------------------------------------------------

    def metagraph(self) -> MetaGraph:
        """Node kinds and statement kinds of everything loaded, with counts."""
        return metagraph(self.store.mechanism_graph())

    def metapaths(self, source_kind: str, target_kind: str, *, max_length: int = 4,
                  min_length: int = 1) -> list[Metapath]:
        """Every metapath from ``source_kind`` to ``target_kind`` the loaded data allows."""
        kinds = {k.value for k in NodeKind}
        for kind in (source_kind, target_kind):
            if kind not in kinds:
                close = difflib.get_close_matches(kind, sorted(kinds), n=1)
                raise InvalidArgument(f"unknown node kind {kind!r}"
                                      + (f"; did you mean {close[0]!r}?" if close else
                                         f"; kinds: {', '.join(sorted(kinds))}"))
        return metapaths(self.metagraph(), source_kind, target_kind,
                         min_length=min_length, max_length=max_length)

    # -- the explainer measured ----------------------------------------------

    @staticmethod
    def evaluate_explainer(curated_paths: Iterable[Any], *, k: int = 10, keep_own: bool = False,
                           rankings: Sequence[str] = (), max_hops: int | None = None,
                           every: int = 1, offset: int = 0, jobs: int = 1,
                           folds: int | None = None, seed: int = 0,
                           on_progress: Callable[[int, int], None] | None = None,
                           ) -> EvaluationReport:
        """Score the explainer against curated mechanisms; needs no store (call it on the class).

        ``curated_paths`` are the paths ``loaders.drugmechdb.read_drugmechdb`` reads (read
        with ``keep_path_ids=False``); the methods scored are the explainer variants named by
        ``rankings`` and the shortest-path baseline (:mod:`graph.explain.evaluation`), in
        ``jobs`` processes. With ``folds``, the learned ranking is cross-validated instead
        (drugs dealt into folds with ``seed``; :mod:`graph.explain.evaluation.crossval`)
        next to the mechanism ranking and the baseline.
        ``on_progress(indications done, indications)`` is called as it goes.
        """
        from graph.explain.evaluation import default_methods, evaluate, from_loader_paths

        paths = from_loader_paths(curated_paths)
        if folds is not None:
            from graph.explain.evaluation.crossval import cross_validate, cross_validated_methods

            learned, fixed = cross_validated_methods(k, max_hops=max_hops)
            return cross_validate(paths, learned, fixed, folds=folds, seed=seed, k=k,
                                  every=every, offset=offset, jobs=jobs, progress=on_progress)
        return evaluate(paths, default_methods(k, rankings=rankings, max_hops=max_hops),
                        k=k, keep_own=keep_own, every=every, offset=offset, jobs=jobs,
                        progress=on_progress)

    # -- Cypher and export ---------------------------------------------------

    @staticmethod
    def named_queries() -> list[NamedQuery]:
        """The Cypher library's named queries, by name; needs no store."""
        from graph.cypher_library import list_queries

        return list_queries()

    def query(self, name: str, params: Mapping[str, object] | None = None) -> QueryRows:
        """Run a named query of the Cypher library (Neo4j stores only).

        Raises :class:`~graph.errors.QueryError` naming the known queries for an
        unknown name, or when the store is not a Neo4j server.
        """
        from graph.cypher_library import load_query

        load_query(name)  # an unknown name fails here, listing the known ones
        return self._neo4j_store().run_query(name, dict(params or {}))

    def cypher(self, cypher: str, params: Mapping[str, object] | None = None, *,
               write: bool = False) -> QueryRows:
        """Run Cypher on a Neo4j store, read-only unless ``write``."""
        return self._neo4j_store().run_query(cypher, dict(params or {}), write=write)

    def _neo4j_store(self) -> Neo4jStore:
        from graph.store.neo4j import Neo4jStore

        if not isinstance(self.store, Neo4jStore):
            raise QueryError(f"Cypher queries need a Neo4j store (bolt://host:port or "
                             f"neo4j://host:port); {self.store.uri} is not one")
        return self.store

    def export_neo4j_csv(self, directory: Path, *,
                         on_progress: Callable[[int, int], None] | None = None) -> ExportResult:
        """Write the store as CSVs for ``neo4j-admin database import full`` (any store);
        ``on_progress(elements written, 0)`` as it goes (streamed: no total known)."""
        from graph.neo4j_export import export_neo4j_csv

        return export_neo4j_csv(self.store, directory, on_progress=on_progress)

    @staticmethod
    def import_into_local_neo4j(directory: Path) -> str:
        """Replace the database of the local server (``scripts/neo4j-local``) with the CSVs an
        export wrote into ``directory``: stop it, import, start it again. Returns the command
        that ran."""
        from graph.neo4j_export import import_command, import_into_local_server

        import_into_local_server(directory)
        return " ".join(import_command(directory))

    # -- bookkeeping ---------------------------------------------------------

    def stats(self) -> Stats:
        return Stats(store=self.store.uri, counts=self.store.counts(),
                     sources=self.store.sources(), ledger_size=self.store.ledger_size())

    def ledger(self, *, source: str | None = None) -> list[Rejection]:
        """What loads refused or left unresolved; :class:`InvalidArgument` for a source
        that is not loaded."""
        if source is not None:
            self._check_loaded(source)
        return self.store.ledger(source=source)

    def _check_loaded(self, source: str) -> None:
        """:class:`InvalidArgument`, naming a few loaded sources, unless ``source`` is one."""
        known = sorted(s.name for s in self.store.sources())
        if source not in known:
            hint = f"; loaded: {', '.join(known[:5])}{' …' if len(known) > 5 else ''}" \
                if known else "; nothing is loaded"
            raise InvalidArgument(f"no source named {source!r} is loaded{hint}")

    def subgraph(self, source: str, target: str, *, max_hops: int = 4) -> nx.MultiDiGraph[str]:
        """The mechanism subgraph between two nodes (ids or names), as networkx."""
        return self.store.mechanism_subgraph(self.resolve(source).id, self.resolve(target).id,
                                             max_hops=max_hops)


__all__ = [
    "ExplainedPrediction",
    "KnowledgeGraph",
    "NodeView",
    "PredictionView",
    "QueryRows",
    "Stats",
]
