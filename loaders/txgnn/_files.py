"""Reading TxGNN's files: streaming CSV with structural checks, digests, source records.

:func:`csv_rows` yields ``(line, values)`` for each data row, after checking
that the header names the columns a loader needs. A row with too few or too
many columns, a broken quote or bytes that are not UTF-8 raise
:class:`~graph.errors.ParseError` naming the file and the line.

>>> import pathlib, tempfile
>>> tmp = tempfile.TemporaryDirectory()
>>> path = pathlib.Path(tmp.name) / "t.csv"
>>> _ = path.write_text("a,b\\n1,2\\n3\\n")
>>> table = CsvTable.open(path, required=("a", "b"))
>>> table.columns
{'a': 0, 'b': 1}
>>> list(table.rows())
Traceback (most recent call last):
...
graph.errors.ParseError: ...t.csv:3: expected 2 columns, found 1
>>> tmp.cleanup()
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ParseError
from graph.model import Rejection, SourceInfo


def sha256(path: Path) -> str:
    """The file's content digest, used as the source version."""
    try:
        with path.open("rb") as handle:
            return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", path=str(path)) from error


def source_info(path: Path, *, name: str, kind: str) -> SourceInfo:
    """The source record of one TxGNN file (version = content digest)."""
    if not path.is_file():
        raise ParseError("no such file", path=str(path))
    return SourceInfo(name=name, kind=kind, version=sha256(path), path=str(path))


def read_text(path: Path) -> str:
    """The whole file as UTF-8 text (for JSON)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8 text: {error.reason}", path=str(path)) from error
    except OSError as error:
        raise ParseError(f"cannot read file: {error.strerror or error}", path=str(path)) from error


@dataclass(frozen=True)
class CsvTable:
    """A CSV file whose header has been checked; iterate :meth:`rows` once."""

    path: Path
    header: tuple[str, ...]
    columns: dict[str, int]

    @classmethod
    def open(cls, path: Path, *, required: Iterable[str]) -> CsvTable:
        """Read and check the header; raise ParseError when a required column is missing."""
        shown = str(path)
        if not path.is_file():
            raise ParseError("no such file", path=shown)
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle), None)
        except csv.Error as error:
            raise ParseError(f"broken CSV header: {error}", path=shown, line=1) from error
        except UnicodeDecodeError as error:
            raise _not_utf8(path, error) from error
        except OSError as error:
            raise ParseError(f"cannot read file: {error.strerror or error}", path=shown) from error
        if header is None:
            raise ParseError("empty file: expected a CSV header", path=shown, line=1)
        names = tuple(h.strip() for h in header)
        needed = tuple(required)
        missing = [c for c in needed if c not in names]
        if missing:
            raise ParseError(
                f"header lacks column(s) {', '.join(missing)}; expected {','.join(needed)}",
                path=shown, line=1)
        columns: dict[str, int] = {}
        for index, column in enumerate(names):
            columns.setdefault(column, index)
        return cls(path=path, header=names, columns=columns)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(line, values)`` per data row; ``line`` is where the row starts.

        Blank lines are skipped. Raises ParseError on structural faults.
        """
        shown = str(self.path)
        width = len(self.header)
        line = 2
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                line = reader.line_num + 1
                for values in reader:
                    if len(values) != width:
                        if not values:
                            line = reader.line_num + 1
                            continue
                        raise ParseError(f"expected {width} columns, found {len(values)}",
                                         path=shown, line=line)
                    yield line, values
                    line = reader.line_num + 1
        except csv.Error as error:
            raise ParseError(f"broken CSV: {error}", path=shown, line=line) from error
        except UnicodeDecodeError as error:
            raise _not_utf8(self.path, error) from error
        except OSError as error:
            raise ParseError(f"cannot read file: {error}", path=shown, line=line) from error


def _not_utf8(path: Path, error: UnicodeDecodeError) -> ParseError:
    """The error for bytes that are not UTF-8, on the line where the first bad byte is.

    Text files are decoded in blocks ahead of the reader, so the reader's own
    line count cannot say where; the file is scanned again, a line at a time.
    """
    line: int | None = None
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, 1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    line = number
                    break
    except OSError:
        pass
    return ParseError(f"not UTF-8 text: {error.reason}", path=str(path), line=line)


def rejection(info: SourceInfo, line: int | None, record: str, reason: str) -> Rejection:
    """A ledger entry for one refused record of ``info``'s file."""
    return Rejection(source=info.name, path=info.path, line=line, record=record, reason=reason)


