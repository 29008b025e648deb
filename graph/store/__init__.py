"""Where the graph is kept: the store port and its adapters.

>>> import tempfile, os
>>> tmp = tempfile.TemporaryDirectory()
>>> store = open_store("sqlite:///" + os.path.join(tmp.name, "kg.db"))
>>> store.counts().total_nodes
0
>>> store.close(); tmp.cleanup()
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.errors import StoreError
from graph.store.base import GraphStore
from graph.store.sqlite import SqliteStore, sqlite_path

#: Where the embedded store lives when nothing else is said: a file you can see and delete.
DEFAULT_STORE = "sqlite:///txkg.db"
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

__all__ = ["DEFAULT_STORE", "GraphStore", "SqliteStore", "is_neo4j_uri", "open_store",
           "store_uri"]


def store_uri(uri: str | None = None) -> str:
    """The store URI to use: the one given, else ``$TXKG_STORE``, else ``./txkg.db``."""
    return uri or os.environ.get("TXKG_STORE") or DEFAULT_STORE


def _scheme(uri: str) -> str:
    return uri.split("://", 1)[0].lower() if "://" in uri else ""


def is_neo4j_uri(uri: str) -> bool:
    """True when ``uri`` names a Neo4j server rather than an SQLite file.

    >>> is_neo4j_uri("bolt://localhost:7687"), is_neo4j_uri("sqlite:///txkg.db")
    (True, False)
    """
    return _scheme(uri) in NEO4J_SCHEMES


def open_store(
    uri: str | None = None,
    *,
    database: str | None = None,
    user: str | None = None,
    password: str | None = None,
    read_only: bool = False,
) -> GraphStore:
    """Open the store a URI names.

    ``sqlite:///path`` (or a plain file path) opens the embedded store;
    ``bolt://``, ``neo4j://`` (clusters, Aura) and their ``+s``/``+ssc``
    variants open a Neo4j server, with credentials from the arguments or
    ``NEO4J_USER``/``NEO4J_PASSWORD``. ``read_only``: for commands that only
    read — an embedded store is then opened without writing anything, and must
    exist (a mistyped path is an error, not a new empty store).
    """
    uri = store_uri(uri)
    if is_neo4j_uri(uri):
        from graph.store.neo4j import Neo4jStore

        return Neo4jStore(
            uri,
            user=user or os.environ.get("NEO4J_USER", "neo4j"),
            password=password if password is not None else os.environ.get("NEO4J_PASSWORD"),
            database=database or os.environ.get("NEO4J_DATABASE"),
        )
    if _scheme(uri) not in ("", "sqlite"):
        raise StoreError(
            f"unknown store {uri!r}: use sqlite:///path, bolt://host:port or neo4j://host:port")
    path = sqlite_path(uri)
    if not path.parent.exists():
        raise StoreError(f"cannot open store {uri}: folder {path.parent} does not exist")
    return SqliteStore(Path(path), read_only=read_only)
