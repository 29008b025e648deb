"""Output formats shared by every command: defined once, used everywhere.

``text``/``table`` is for people; ``json`` is a stable, documented schema
(docs/cli.md) for programs; ``jsonl`` and ``csv`` suit row-shaped answers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from graph.table import fit_table, terminal_width

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """The ``--format`` option, with the choices a command supports."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format.",
    )


def limit_option(default: int, what: str) -> Callable[[F], F]:
    """``--limit N``: at most N rows of a list (0: all); what is cut is said below it."""
    return click.option("--limit", type=click.IntRange(min=0), default=default,
                        show_default=True, help=f"At most this many {what} (0: all).")


def to_jsonable(value: Any) -> Any:
    """Plain JSON data from pydantic models (and lists/dicts of them)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def emit_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A text table that fits the terminal (:mod:`graph.table`); whole cells when
    stdout is no terminal and ``COLUMNS`` is unset.

    >>> print(table(["a", "bb"], [[1, "x"], [22, None]]))
    a   bb
    --  --
     1  x
    22  -
    """
    return fit_table(headers, rows, width=terminal_width())


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[("" if v is None else v) for v in row] for row in rows])
    return out.getvalue().rstrip("\n")


def emit_rows(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
              more: str | None = None) -> None:
    """Rows in ``text``/``table``, ``csv``, ``jsonl`` or ``json`` (a list of objects).

    ``more`` is the line saying what was left out (:func:`~graph.table.more_line`);
    the text table prints it below the rows, the other formats leave it out.
    """
    if fmt == "csv":
        click.echo(csv_text(headers, rows))
    elif fmt in ("json", "jsonl"):
        objects = [dict(zip(headers, row, strict=True)) for row in rows]
        if fmt == "json":
            emit_json(objects)
        else:
            for obj in objects:
                click.echo(json.dumps(to_jsonable(obj), ensure_ascii=False))
    else:
        click.echo(table(headers, rows))
        if more:
            click.echo(more)


def percent(score: float | None) -> str:
    """A score as the reports write it.

    >>> percent(0.9703), percent(None)
    ('97.03%', '-')
    """
    return "-" if score is None else f"{score * 100:.2f}%"


def result_cell(value: Any) -> str | int | float | bool | None:
    """A query result value (plain data, as a Neo4j store returns it) for one table or CSV
    cell: nodes as "name (id)", paths drawn as text, the rest compact JSON.

    >>> result_cell({"_labels": ["Drug", "Node"], "id": "DRUGBANK:DB06681", "name": "Belatacept"})
    'Belatacept (DRUGBANK:DB06681)'
    >>> result_cell(["a", 1])
    '["a", 1]'
    """
    if isinstance(value, dict) and "nodes" in value and "relationships" in value:
        return _path_text(value)
    if isinstance(value, dict) and "_labels" in value:
        return f"{value.get('name', '?')} ({value.get('id', '?')})"
    if isinstance(value, dict) and "_type" in value:
        return f"-[{value['_type']}]->"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _path_text(path: dict[str, Any]) -> str:
    nodes, rels = path["nodes"], path["relationships"]
    text = str(nodes[0].get("name", "?")) if nodes else ""
    for i, rel in enumerate(rels):
        forward = rel.get("_start") == nodes[i].get("id")
        arrow = f" -[{rel['_type']}]-> " if forward else f" <-[{rel['_type']}]- "
        text += arrow + str(nodes[i + 1].get("name", "?"))
    return text
