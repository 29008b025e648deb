"""What Neo4j Browser needs from txkg: its style as one line, and a server for its guide.

Browser fetches a ``:play`` guide or a ``:style`` sheet from a web server on an
allowlisted host (``localhost`` is, by default) and, being a page served by Neo4j,
only from one that allows it (CORS). Neo4j serves no files of ours, so:

* :func:`style_command` gives txkg's style (``cypher/browser/txkg.grass``) as the
  one-line ``style {…}`` command ``browser.post_connect_cmd`` can carry: JSON, which
  Browser reads as it reads a grass file (``cypher/browser/txkg-style.json`` holds
  it for ``scripts/neo4j-local``; a test keeps it current);
* :class:`BrowserFiles` serves ``cypher/browser/`` (the guide and the grass file) on
  localhost with the CORS headers Browser needs; ``txkg browser-guide`` runs it.

>>> rules = grass_rules('node.Drug {\\n  color: #4C8EDA;\\n  caption: "{name}";\\n}')
>>> rules
{'node.Drug': {'color': '#4C8EDA', 'caption': '{name}'}}
"""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

#: The guide's file name in ``cypher/browser/``.
GUIDE = "txkg-guide.html"
GRASS = "txkg.grass"
STYLE_JSON = "txkg-style.json"
#: Where ``txkg browser-guide`` listens unless told otherwise (the servers' default).
DEFAULT_PORT = 8001

_RULE = re.compile(r"([^{}]+)\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")


def browser_folder() -> Path:
    """``cypher/browser/`` of the installed package."""
    return Path(str(resources.files("cypher").joinpath("browser")))


def grass_rules(text: str) -> dict[str, dict[str, str]]:
    """A grass style sheet as Browser's style rules: selector → property → value.

    Properties end with ``;``; quotes around a value (``"{name}"``) are dropped, as
    Browser drops them.
    """
    rules: dict[str, dict[str, str]] = {}
    for selector, body in _RULE.findall(text):
        props: dict[str, str] = {}
        for declaration in body.split(";"):
            key, colon, value = declaration.partition(":")
            if colon and key.strip():
                props[key.strip()] = value.strip().strip("'\"")
        rules[selector.strip()] = props
    return rules


def style_json(grass: str | None = None) -> str:
    """txkg's grass style (or ``grass``) as compact JSON, one line, no ``;``."""
    text = grass if grass is not None else (browser_folder() / GRASS).read_text("utf-8")
    return json.dumps(grass_rules(text), separators=(",", ":"), ensure_ascii=False)


def style_command() -> str:
    """``style {…}``: the Browser command that applies txkg's style."""
    return "style " + style_json()


class _Handler(SimpleHTTPRequestHandler):
    """Static files with the CORS headers Browser's fetch needs; quiet."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        super().end_headers()

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class BrowserFiles:
    """A web server for ``cypher/browser/`` on ``host:port`` (port 0: any free one).

    ``with BrowserFiles(port=0) as files: files.url`` in tests; :meth:`serve_forever`
    for ``txkg browser-guide``.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 folder: Path | None = None) -> None:
        handler = functools.partial(_Handler, directory=str(folder or browser_folder()))
        self.server = ThreadingHTTPServer((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://localhost:PORT``: what Browser's allowlist accepts."""
        return f"http://localhost:{self.server.server_address[1]}"

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def __enter__(self) -> BrowserFiles:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()


__all__ = ["DEFAULT_PORT", "GRASS", "GUIDE", "STYLE_JSON", "BrowserFiles", "browser_folder",
           "grass_rules", "style_command", "style_json"]


def main(argv: list[str] | None = None) -> None:
    """``python -m graph.neo4j_browser [--host H] [--port P]``: serve the files (the Docker
    service of docker-compose.yml runs this; needs nothing but the standard library)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    BrowserFiles(host=args.host, port=args.port, folder=Path("cypher/browser")).serve_forever()


if __name__ == "__main__":
    main()
