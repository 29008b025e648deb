"""Labels and relationship types in Cypher text: the one place they are checked and quoted.

Labels and relationship types cannot be Cypher parameters, so they are the one
thing txkg writes into query text. :func:`quote` is the only function that does
it, for the Neo4j store, its CSV export and the Cypher rendering of an
explanation alike; it accepts only members of the closed vocabularies
(:class:`~graph.model.NodeKind`, :class:`~graph.model.EdgeType`) and txkg's own
bookkeeping labels. It needs neither a store nor the Neo4j driver.

>>> quote("Drug"), quote("TARGETS"), quote(NODE_LABEL)
('`Drug`', '`TARGETS`', '`Node`')
>>> quote("Drug`) DETACH DELETE (n")
Traceback (most recent call last):
...
graph.errors.QueryError: not a txkg label or relationship type: 'Drug`) DETACH DELETE (n'
"""

from __future__ import annotations

from graph.errors import QueryError
from graph.model import EdgeType, NodeKind

#: Every txkg node carries this label besides its kind's (one id constraint spans kinds).
NODE_LABEL = "Node"
#: Bookkeeping nodes, outside the biomedical graph: never counted, never matched by kind.
SOURCE_LABEL = "TxkgSource"
LEDGER_LABEL = "TxkgLedgerEntry"
#: One node holding store-wide counters (the last load generation handed out).
META_LABEL = "TxkgMeta"
#: Nodes whose kept degrees a load has made stale (see :mod:`graph.store.neo4j_paths`).
RECOUNT_LABEL = "TxkgRecount"

_ALLOWED = (
    {k.value for k in NodeKind} | {t.value for t in EdgeType}
    | {NODE_LABEL, SOURCE_LABEL, LEDGER_LABEL, META_LABEL, RECOUNT_LABEL}
)


def quote(name: str) -> str:
    """A label or relationship type, checked against the schema and backquoted."""
    if name not in _ALLOWED:
        raise QueryError(f"not a txkg label or relationship type: {name!r}")
    return f"`{name}`"


__all__ = ["LEDGER_LABEL", "META_LABEL", "NODE_LABEL", "RECOUNT_LABEL", "SOURCE_LABEL", "quote"]
