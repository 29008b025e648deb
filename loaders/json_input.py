"""JSON read as txkg's loaders read it: every fault of the file one :class:`ParseError`.

Python's parser has three ways to fail besides a syntax error, all of them a
hostile or broken file rather than a bug: an integer longer than it converts
(4,300 digits), nesting deeper than the recursion limit, and — for a file read
as bytes — text that is not UTF-8 (left to the caller, which knows how it read).

>>> parse_json(lambda: json.loads('{"a": [1, 2]}'), Path("x.json"))
{'a': [1, 2]}
>>> parse_json(lambda: json.loads("[" * 100_000), Path("x.json"))
Traceback (most recent call last):
...
graph.errors.ParseError: x.json: not a JSON txkg reads: arrays or objects nested too deeply
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.errors import ParseError


def parse_json(parse: Callable[[], Any], file: Path) -> Any:
    """What ``parse()`` (a ``json.load`` or ``json.loads`` call) returns; its faults as one
    :class:`ParseError` naming ``file`` (and the line of a syntax error)."""
    try:
        return parse()
    except json.JSONDecodeError as error:
        raise ParseError(f"not JSON: {error.msg}", path=str(file), line=error.lineno) from error
    except UnicodeDecodeError:
        raise  # the caller says how the bytes were read
    except ValueError as error:  # an integer longer than Python converts (4,300 digits)
        raise ParseError(f"not a JSON txkg reads: {error.args[0].split(';')[0]}",
                         path=str(file)) from error
    except RecursionError as error:
        raise ParseError("not a JSON txkg reads: arrays or objects nested too deeply",
                         path=str(file)) from error


__all__ = ["parse_json"]
