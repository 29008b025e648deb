"""Cypher plumbing for the Neo4j store: the schema, errors and result values.

Labels and relationship types are quoted by :func:`graph.cypher_names.quote`,
the one function that writes them into query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from neo4j import graph as neo4j_graph
from neo4j.exceptions import (
    AuthError,
    ClientError,
    CypherSyntaxError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph.errors import QueryError, StoreConnectionError, StoreError

# -- schema --------------------------------------------------------------------------------

_STATEMENT_NAME = re.compile(r"CREATE\s+(?:\w+\s+)*?(?:CONSTRAINT|INDEX)\s+(\w+)\s+IF NOT EXISTS",
                             re.IGNORECASE)


def schema_statements() -> list[tuple[str, str]]:
    """``(name, statement)`` for every constraint and index in ``cypher/schema.cypher``.

    >>> names = [name for name, _ in schema_statements()]
    >>> "node_id" in names and "drug_id" in names and "node_keys" in names
    True
    """
    text = resources.files("cypher").joinpath("schema.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    statements = []
    for raw in body.split(";"):
        statement = " ".join(raw.split())
        if not statement:
            continue
        match = _STATEMENT_NAME.match(statement)
        if match is None:
            raise StoreError(f"cypher/schema.cypher: cannot name statement {statement[:60]!r}")
        statements.append((match.group(1), statement))
    return statements


# -- errors --------------------------------------------------------------------------------


def _message(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error)
    lines = str(text).strip().splitlines()
    return lines[0].rstrip(":") if lines else type(error).__name__


def translate(error: Exception, uri: str, database: str | None) -> StoreError:
    """One clear line for a driver error: what failed, where (URI, never the password)."""
    where = uri if database is None else f"{uri} (database {database!r})"
    if isinstance(error, AuthError):
        return StoreConnectionError(
            f"cannot connect to {where}: authentication failed: {_message(error)} "
            "(check NEO4J_USER and NEO4J_PASSWORD)")
    if isinstance(error, ServiceUnavailable | SessionExpired | OSError):
        return StoreConnectionError(
            f"cannot connect to {where}: no Neo4j server answers there ({_message(error)})")
    code = getattr(error, "code", None) or ""
    text = str(getattr(error, "message", None) or error)
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreConnectionError(
            f"cannot use {where}: the database does not exist on that server ({_message(error)})")
    if code.endswith("MemoryPoolOutOfMemoryError"):
        return StoreError(
            f"{where} refused the transaction: it does not fit in the server's transaction "
            f"memory ({_message(error)}); raise the server's heap or "
            "dbms.memory.transaction.total.max, or bulk-load with txkg export neo4j-csv")
    if ("AccessMode" in code
            or (code.startswith("Neo.ClientError.Security") and "overridden by READ" in text)):
        return QueryError(
            f"query refused on {where}: it writes, and queries are read-only unless "
            "you ask to write (txkg query --write)")
    if isinstance(error, CypherSyntaxError):
        return QueryError(f"Cypher syntax error on {where}: {_message(error)}")
    if isinstance(error, ClientError):
        return QueryError(f"query failed on {where}: {_message(error)}")
    if isinstance(error, Neo4jError):
        return StoreError(f"Neo4j error on {where}: {_message(error)}")
    return StoreError(f"Neo4j error on {where}: {_message(error)}")


# -- read-only ad-hoc queries --------------------------------------------------------------

_PROFILE = re.compile(r"^\s*(?:PROFILE|EXPLAIN)\b", re.IGNORECASE)


def explained(cypher: str) -> str:
    """The query with ``EXPLAIN`` in front (a leading ``PROFILE`` or ``EXPLAIN`` replaced).

    >>> explained("PROFILE MATCH (n) RETURN n")
    'EXPLAIN  MATCH (n) RETURN n'
    """
    return "EXPLAIN " + _PROFILE.sub("", cypher, count=1)


_POSITION = re.compile(r"\(line 1, column (\d+) \(offset: (\d+)\)\)")


def unexplained(error: Exception, cypher: str) -> str:
    """The first line of a syntax error met on :func:`explained`'s text, its position
    moved back onto the query as written.

    >>> class E(Exception): message = "Invalid input 'x' (line 1, column 17 (offset: 16))"
    >>> unexplained(E(), "MATCH x")
    "Invalid input 'x' (line 1, column 9 (offset: 8))"
    """
    shift = len(explained(cypher)) - len(cypher)
    return _POSITION.sub(
        lambda m: f"(line 1, column {max(1, int(m[1]) - shift)} "
                  f"(offset: {max(0, int(m[2]) - shift)}))", _message(error))


def read_only_refusal(plan: dict[str, Any] | None, database: str | None) -> str | None:
    """Why a read-only query may not run, from its plan (``EXPLAIN``); None when it may.

    The server refuses writes in a read session by itself (also those of procedures). Two
    reads are refused here: ``LOAD CSV`` (it reads files and URLs, not the graph), and any
    step on a database other than the session's (``USE system …``, administration
    commands). Each plan operator names its database after an ``@``.

    >>> read_only_refusal({"operatorType": "LoadCSV@neo4j", "children": []}, "neo4j")
    'it runs LOAD CSV'
    >>> read_only_refusal({"operatorType": "dbms.components@system"}, "neo4j")
    "it uses database 'system', not 'neo4j'"
    >>> read_only_refusal({"operatorType": "ProduceResults@neo4j"}, "neo4j") is None
    True
    """
    pending = [plan] if plan else []
    while pending:
        step = pending.pop()
        operator, _, on = str(step.get("operatorType", "")).rpartition("@")
        if not operator:
            operator, on = on, ""
        if operator.lower().startswith("loadcsv"):
            return "it runs LOAD CSV"
        if on and database and on != database:
            return f"it uses database {on!r}, not {database!r}"
        pending.extend(step.get("children") or ())
    return None


# -- result values -------------------------------------------------------------------------


def plain(value: Any, names: Mapping[int, str] | None = None) -> Any:
    """A query result value as JSON-able data: nodes and relationships become dicts.

    Internal properties (``_gen``, ``_assertions``, ``_keys`` …) are left out. A
    relationship one source asserts carries no ``sources`` list in the store
    (:func:`graph.store.neo4j_layout.relationship_properties`); given ``names``
    (generation -> source name), it is shown with one, as every relationship is.
    """
    if isinstance(value, neo4j_graph.Node):
        return {"_labels": sorted(value.labels), **_public(dict(value))}
    if isinstance(value, neo4j_graph.Relationship):
        start, end = value.start_node, value.end_node
        props = dict(value)
        if "sources" not in props and names is not None and props.get("_gen") in names:
            props["sources"] = [names[props["_gen"]]]
        return {"_type": value.type,
                "_start": start.get("id") if start is not None else None,
                "_end": end.get("id") if end is not None else None,
                **_public(props)}
    if isinstance(value, neo4j_graph.Path):
        return {"nodes": [plain(n, names) for n in value.nodes],
                "relationships": [plain(r, names) for r in value.relationships]}
    if isinstance(value, list | tuple):
        return [plain(v, names) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, names) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # temporal and spatial values


def _public(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in sorted(properties.items()) if not k.startswith("_")}
