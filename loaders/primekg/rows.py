"""The rows of a PrimeKG ``kg.csv``: the file opened (plain or gzip), its header checked,
each data row's fields in a fixed order, and how far into the file reading has got.

Structural faults raise :class:`~graph.errors.ParseError` naming file and line.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import IO

from graph.errors import ParseError
from loaders.primekg.vocabulary import HEADER, PMIDS_COLUMN, REQUIRED_COLUMNS

#: The columns of a row as :meth:`RowFile.rows` yields it: PrimeKG's, then the PMIDs
#: ("" when the file has no such column). Values are as written (not stripped).
FIELDS = (*HEADER, PMIDS_COLUMN)
# Positions in such a row: relation, display, x's and y's fields (index, id, type,
# name, source) from X and Y, the PMIDs.
RELATION, DISPLAY, X, Y, PMIDS = 0, 1, 2, 7, 12
INDEX, ID, TYPE, NAME, SOURCE = 0, 1, 2, 3, 4


def file_digest(file: Path, shown: str) -> str:
    """``sha256:<hex>`` of the file's bytes: the version of a file loaded without one."""
    try:
        with file.open("rb") as handle:
            return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", path=shown) from error


class _Counted(io.RawIOBase):
    """A binary file that counts the bytes read from it (compressed bytes for .gz)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.done += n or 0
        return int(n or 0)

    def close(self) -> None:
        self.raw.close()
        super().close()


class RowFile:
    """An open ``kg.csv``: its rows (:meth:`rows`) and how many bytes were read so far."""

    def __init__(self, file: Path, shown: str) -> None:
        self.shown = shown
        try:
            self.size = file.stat().st_size
            self._counted = _Counted(file.open("rb"))
        except OSError as error:
            raise ParseError(f"cannot read file: {error.strerror or error}",
                             path=shown) from error
        binary: IO[bytes] = io.BufferedReader(self._counted, 1 << 20)
        if file.name.endswith(".gz"):
            binary = gzip.GzipFile(fileobj=binary, mode="rb")  # type: ignore[assignment]
        self._text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")

    @property
    def bytes_read(self) -> int:
        return self._counted.done

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> RowFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(line, values)`` for each data row after checking the header.

        ``values`` are in :data:`FIELDS` order, as written (a file without the
        index columns gets "" there); ``line`` is the file line where the row
        starts (the header is line 1). Blank lines are skipped.
        """
        shown = self.shown
        reader = csv.reader(self._text)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise ParseError("empty file: expected PrimeKG's kg.csv header",
                                 path=shown, line=1)
            columns = check_header(header, shown)
            width = len(columns)
            # PrimeKG's own layout needs no reordering: "" is appended for the PMIDs.
            reorder = None if columns == HEADER else itemgetter(*(
                columns.index(f) if f in columns else width for f in FIELDS))
            line = reader.line_num + 1
            for values in reader:
                if len(values) != width:
                    if not values or values == [""]:
                        line = reader.line_num + 1
                        continue
                    raise ParseError(
                        f"expected {width} columns, found {len(values)}", path=shown, line=line)
                values.append("")
                yield line, values if reorder is None else list(reorder(values))
                line = reader.line_num + 1
        except csv.Error as error:
            raise ParseError(f"broken CSV: {error}", path=shown, line=line) from error
        except UnicodeDecodeError as error:
            raise ParseError(f"not UTF-8 text: {error.reason}", path=shown,
                             line=line) from error
        except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as error:  # zlib: a damaged .gz
            raise ParseError(f"cannot read file: {error}", path=shown, line=line) from error


def check_header(header: list[str], shown: str) -> tuple[str, ...]:
    """The header's column names, stripped; :class:`ParseError` unless it is PrimeKG's."""
    columns = tuple(c.strip() for c in header)
    missing = [c for c in HEADER if c in REQUIRED_COLUMNS and c not in columns]
    unknown = [c for c in columns if c not in HEADER and c != PMIDS_COLUMN]
    if missing or unknown or len(set(columns)) != len(columns):
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if unknown:
            detail.append("unexpected " + ", ".join(_shown(c) for c in unknown[:5]))
        if len(set(columns)) != len(columns):
            detail.append("repeated column names")
        raise ParseError(
            "not a PrimeKG kg.csv header (" + "; ".join(detail) + "); expected "
            + ",".join(HEADER), path=shown, line=1)
    return columns


def _shown(name: str, limit: int = 40) -> str:
    """A column name as an error message shows it: quoted, cut short if long.

    >>> _shown("x_id"), _shown("a" * 50, limit=8)
    ("'x_id'", "'aaaaaa…")
    """
    text = repr(name)
    return text if len(text) <= limit else text[: limit - 1] + "…"
