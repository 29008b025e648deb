"""The Cypher library: named, parametrised queries in ``cypher/queries/*.cypher``.

Each file holds one query that runs unchanged in Neo4j Browser, under a header
of ``//`` comments giving its name, the question it answers, its parameters and
example ``:param`` lines. This module lists and loads them; a Neo4j store runs
them (:meth:`graph.store.neo4j.Neo4jStore.run_query`, ``txkg query NAME``).

>>> [q.name for q in list_queries()][:3]
['disease_predictions', 'diseases_sharing_targets', 'drug_predictions']
>>> q = load_query("drug_predictions")
>>> q.params, q.examples
(('drug',), {'drug': 'Belatacept'})
>>> with_defaults(load_query("open_data_gaps"), {})
{'drug': None}
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from graph.errors import QueryError

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARAM_LINE = re.compile(r":param\s+(\w+)\s*=>\s*(.+?)\s*;?\s*$")
_PARAM_DOC = re.compile(r"^\s{2,}(\w+):\s*(.+)$")


class NamedQuery(BaseModel):
    """One query of the library, with what its header says about it."""

    model_config = ConfigDict(frozen=True)

    name: str
    answers: str
    #: Parameter names, in header order, and what each means.
    params: tuple[str, ...]
    param_help: dict[str, str]
    #: Example values from the header's ``:param`` lines (``None`` = may be left out).
    examples: dict[str, str | int | float | bool | None]
    text: str


def is_query_name(text: str) -> bool:
    """True when ``text`` names a query of the library (else it is taken as Cypher).

    >>> is_query_name("drug_targets"), is_query_name("MATCH (n) RETURN n")
    (True, False)
    """
    return bool(_NAME.fullmatch(text)) and text in _names()


@cache
def _names() -> tuple[str, ...]:
    folder = resources.files("cypher").joinpath("queries")
    return tuple(sorted(p.name[: -len(".cypher")] for p in folder.iterdir()
                        if p.name.endswith(".cypher")))


def list_queries() -> list[NamedQuery]:
    """Every named query, by name."""
    return [load_query(name) for name in _names()]


@cache
def load_query(name: str) -> NamedQuery:
    """The named query ``name``; :class:`~graph.errors.QueryError` naming the others if none."""
    if name not in _names():
        raise QueryError(f"no named query {name!r}; the library has: {', '.join(_names())}")
    text = resources.files("cypher").joinpath("queries", f"{name}.cypher").read_text("utf-8")
    return parse_query(name, text)


def parse_query(name: str, text: str) -> NamedQuery:
    """Read a query file's header. Raises :class:`~graph.errors.QueryError` when malformed."""
    header = [line[2:].rstrip() for line in text.splitlines() if line.startswith("//")]
    fields: dict[str, list[str]] = {}
    current = ""
    for line in header:
        key, sep, rest = line.strip().partition(":")
        if sep and key in ("name", "answers", "params", "example") and not line.startswith("  "):
            current = key
            fields[current] = [rest.strip()] if rest.strip() else []
        elif current:
            fields[current].append(line)
    if fields.get("name") != [name]:
        raise QueryError(f"cypher/queries/{name}.cypher: header must start '// name: {name}'")
    help_: dict[str, str] = {}
    for line in fields.get("params", []):
        match = _PARAM_DOC.match(line)
        if match:
            help_[match.group(1)] = match.group(2)
    examples: dict[str, str | int | float | bool | None] = {}
    for line in fields.get("example", []):
        match = _PARAM_LINE.search(line)
        if match:
            examples[match.group(1)] = _literal(match.group(2))
    used = set(re.findall(r"\$(\w+)", "\n".join(
        line for line in text.splitlines() if not line.startswith("//"))))
    if used != set(help_) or used != set(examples):
        raise QueryError(f"cypher/queries/{name}.cypher: the header must document and give "
                         f"an example for exactly the parameters used: {sorted(used)}")
    return NamedQuery(name=name, answers=" ".join(" ".join(fields.get("answers", [])).split()),
                      params=tuple(help_), param_help=help_, examples=examples, text=text)


def _literal(text: str) -> str | int | float | bool | None:
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    value = ast.literal_eval(text)
    if not isinstance(value, str | int | float | bool):
        raise QueryError(f"example value {text!r} is not a scalar")
    return value


def with_defaults(query: NamedQuery, params: dict[str, object]) -> dict[str, object]:
    """``params`` checked against the query: optional ones (example ``null``) default to null.

    >>> with_defaults(load_query("drug_targets"), {})
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: drug_targets needs parameter drug (the drug's id, ...)
    """
    unknown = sorted(set(params) - set(query.params))
    if unknown:
        raise QueryError(f"{query.name} takes no parameter {unknown[0]!r}; it takes: "
                         f"{', '.join(query.params) or 'none'}")
    out = dict(params)
    for name in query.params:
        if name not in out:
            if query.examples.get(name) is not None:
                raise QueryError(f"{query.name} needs parameter {name} "
                                 f"({query.param_help[name]}), e.g. --param {name}="
                                 f"{query.examples[name]!r}")
            out[name] = None
    return out


def parse_param(text: str) -> tuple[str, str | int | float | bool | None]:
    """One ``--param key=value``: numbers, true/false and null are typed; the rest are text.

    >>> parse_param("drug=Belatacept"), parse_param("limit=10"), parse_param("level=null")
    (('drug', 'Belatacept'), ('limit', 10), ('level', None))
    """
    key, sep, value = text.partition("=")
    if not sep or not _NAME.fullmatch(key.strip()):
        raise QueryError(f"--param wants key=value, not {text!r}")
    raw = value.strip()
    typed: str | int | float | bool | None = raw
    if raw == "null":
        typed = None
    elif raw in ("true", "false"):
        typed = raw == "true"
    elif re.fullmatch(r"-?\d+", raw):
        typed = int(raw)
    elif re.fullmatch(r"-?\d+\.\d*(e-?\d+)?", raw):
        typed = float(raw)
    return key.strip(), typed


def browser_guide() -> str:
    """A Neo4j Browser guide (``:play``-able HTML): one slide per named query, runnable.

    ``cypher/browser/txkg-guide.html`` holds its output (a test keeps it current).
    ``txkg browser-guide`` serves it, and the servers of ``scripts/neo4j-local`` and
    ``docker-compose.yml`` open it when Browser connects (docs/neo4j.md); by hand:
    ``:play http://localhost:8001/txkg-guide.html`` (localhost is allowlisted by default).
    """
    from html import escape

    slides = ["""<slide class="row-fluid">
  <div class="col-sm-12">
    <h3>txkg: the Cypher library</h3>
    <p>Named, parametrised queries over the drug-repurposing graph. Each slide sets its
    parameters with <code>:param</code> (click to run), then runs the query.
    txkg's style colours each node by its kind; to apply it again, run
    <code>:style http://localhost:8001/txkg.grass</code> while <code>txkg browser-guide</code>
    serves this guide.</p>
  </div>
</slide>"""]
    for query in list_queries():
        # One command sets them all (`:params {…}` replaces Browser's parameters).
        params = ("" if not query.examples else ":params {" + ", ".join(
            f"{name}: {_cypher_literal(value)}" for name, value in query.examples.items()) + "}")
        body = "\n".join(line for line in query.text.splitlines()
                         if not line.startswith("//")).strip()
        param_block = (f'    <pre class="pre-scrollable code runnable">{escape(params)}</pre>\n'
                       if params else "")
        slides.append(f"""<slide class="row-fluid">
  <div class="col-sm-12">
    <h3>{escape(query.name)}</h3>
    <p>{escape(query.answers)}</p>
{param_block}    <pre class="pre-scrollable code runnable">{escape(body)}</pre>
  </div>
</slide>""")
    return ('<article class="guide">\n  <carousel class="deck container-fluid">\n'
            + "\n".join(slides) + "\n  </carousel>\n</article>\n")


def _cypher_literal(value: str | int | float | bool | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return repr(value)
