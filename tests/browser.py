"""Headless Chromium for the tests: Debian's ``chromium`` driven by playwright (PyPI).

    with chromium() as browser: page = browser.new_page()

``scripts/browser`` installs the browser (``.ci/run`` calls it). When it or playwright
is missing the tests skip, saying why (``BrowserUnavailable``); under CI (env ``CI``
set) that is ``BrowserStartError`` instead, not a subclass, so CI fails rather than
skips. Screenshots go to :func:`artefact` paths, under ``test-artifacts/`` (gitignored;
``TXKG_TEST_ARTIFACTS`` moves it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from neo4j_server import neo4j_required

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Flags this machine's Chromium needs headless as root, with no network but loopback.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class BrowserUnavailable(RuntimeError):
    """No browser to drive (outside CI: the test skips)."""


class BrowserStartError(RuntimeError):
    """No browser to drive under CI: fails the run, never skips."""


def _fail(message: str) -> NoReturn:
    if neo4j_required():  # the same rule: CI is set
        raise BrowserStartError(message)
    raise BrowserUnavailable(message)


def chromium_path() -> str:
    return os.environ.get("TXKG_CHROMIUM", "/usr/bin/chromium")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A playwright Browser on headless Chromium, closed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _fail("playwright is not installed (pip install -e '.[dev]')")
    if not os.access(chromium_path(), os.X_OK):
        _fail(f"no Chromium at {chromium_path()} (bash scripts/browser installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def artefact(name: str) -> Path:
    """A path for a test artefact (a screenshot), its folder made."""
    folder = Path(os.environ.get("TXKG_TEST_ARTIFACTS") or REPO_ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
