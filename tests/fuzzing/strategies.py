"""Hypothesis strategies: a :class:`Recipe` per input format — a real seed and its mutations.

Every format gets the byte- and line-level mutations (truncation, encodings and
byte-order marks, invalid bytes, binary junk, empty files, huge fields, CRLF/CR
line ends, lines deleted, repeated or shuffled); each kind of format adds its
structural ones: CSV (columns missing, extra, renamed, repeated, shuffled; cells
of the wrong type), JSON (values of the wrong type, keys missing or extra, a
10⁶-digit number, NaN/Infinity, deep nesting), YAML (the same, plus tags, bad
dates, sexagesimal and huge integers, billion laughs with aliases or merge keys)
and markdown (broken table rows, lines that mean something to the report parser,
pathological runs of ``*``, ``|``, ``[`` …). Compressed formats are also fuzzed
compressed, with the compressed bytes then damaged.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import math
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

from fuzzing.formats import FORMATS, Format
from fuzzing.mutations import (
    BOMS,
    AddBom,
    AddColumn,
    BillionLaughs,
    DeepNesting,
    DeleteLines,
    DropColumn,
    DuplicateLine,
    HugeField,
    InsertBytes,
    InsertLine,
    JsonEdit,
    LineEndings,
    Mutation,
    Overwrite,
    Reencode,
    RenameColumn,
    Repeat,
    Repeated,
    Replace,
    ReplaceToken,
    RunInLine,
    SetCell,
    ShuffleColumns,
    ShuffleLines,
    TableCells,
    Text,
    Truncate,
    YamlEdit,
    YamlScalar,
)


@dataclass(frozen=True)
class Built:
    """A recipe's files (relative path -> bytes), what is read, and the mutated file."""

    files: dict[str, bytes]
    target: str
    mutated: str


@dataclass(frozen=True)
class Recipe:
    """One fuzz case: a seed of a format and what is done to it.

    ``compression`` writes the mutated file compressed (``.gz`` …), after which
    ``damage`` applies to the compressed bytes. ``seeded_store``: the CLI loads
    into a store that already holds the examples, instead of a fresh one.
    """

    format: str
    seed: str
    mutations: tuple[Mutation, ...]
    compression: str = ""
    damage: tuple[Mutation, ...] = ()
    seeded_store: bool = False

    def build(self) -> Built:
        seed = FORMATS[self.format].seeds()[self.seed]
        data = seed.files[seed.mutated]
        for mutation in self.mutations:
            data = mutation.apply(data)
        files = dict(seed.files)
        mutated, target = seed.mutated, seed.target
        if self.compression:
            del files[mutated]
            data = COMPRESSORS[self.compression](data)
            for mutation in self.damage:
                data = mutation.apply(data)
            mutated += self.compression
            target = mutated if target == seed.mutated else target
        files[mutated] = data
        return Built(files, target, mutated)


COMPRESSORS = {".gz": lambda b: gzip.compress(b, mtime=0), ".xz": lzma.compress,
               ".bz2": bz2.compress}

fractions = st.floats(0, 1)

# --- what every format gets ---------------------------------------------------------------

#: Bytes that break text: invalid UTF-8, a lone surrogate, NUL, control and line-separator
#: characters, a BOM in mid-file, CR alone, DOS end-of-file.
ODD_BYTES = (b"\xff", b"\xfe\xff", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
             b"\x00", b"\x00\x00\x00\x00", b"\xef\xbb\xbf", b"\r", b"\x1a", b"\x0b\x0c",
             b"\x1c\x1d\x1e", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xae", b"\x1b[31m")
ENCODINGS = ("latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "big5",
             "gb18030", "shift_jis", "mac_roman", "utf-7", "ascii")
WHOLE_FILES = (b"", b"\n", b" \n\t\n", b"\r\n\r\n", b"\x00" * 64, b"\xef\xbb\xbf",
               b"\xff\xfe", b"null", b"[]", b"{}", b"---\n", b"<html><body></body></html>",
               b"PK\x03\x04\x14\x00\x00\x00", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
               b"\xfd7zXZ\x00", b"BZh91AY&SY")
HUGE_SIZES = (1_000, 65_536, 131_073, 1_000_000)


def byte_mutations(units: tuple[str, ...]) -> st.SearchStrategy[Mutation]:
    """Byte- and line-level mutations; ``units`` are what huge fields are made of."""
    junk = st.sampled_from(ODD_BYTES) | st.binary(min_size=1, max_size=16)
    return st.one_of(
        st.builds(Truncate, fractions),
        st.builds(Replace, st.sampled_from(WHOLE_FILES) | st.binary(max_size=2048)),
        st.builds(Reencode, st.sampled_from(ENCODINGS)),
        st.builds(AddBom, st.sampled_from(BOMS)),
        st.builds(InsertBytes, fractions, junk),
        st.builds(Overwrite, fractions, junk),
        st.builds(HugeField, fractions, st.sampled_from(HUGE_SIZES) | st.integers(1, 300_000),
                  st.sampled_from(units)),
        st.builds(Repeat, st.integers(2, 40)),
        st.builds(LineEndings, st.sampled_from(("crlf", "cr", "mixed", "none"))),
        st.builds(DeleteLines, fractions, st.integers(1, 5)),
        st.builds(DuplicateLine, fractions, st.integers(1, 3) | st.just(5_000)),
        st.builds(ShuffleLines, st.integers(0, 2**16)),
    )


# --- CSV ----------------------------------------------------------------------------------

#: Cells of the wrong type or shape: non-numbers, non-finite and huge numbers, ids of the
#: wrong kind, quotes, separators and line breaks, a field over the csv module's limit.
CELLS: tuple[Text, ...] = (
    "", " ", "NaN", "nan", "inf", "-Infinity", "1e308", "1e309", "-1", "-0", "0", "2", "100",
    "1.5", "0.99999999999999999999", "0x1F", "1_000", Repeated("1", 4_301),
    Repeated("9", 20_000), "true", "null", "None", "N/A", "DB00001", "DB", "DB0",
    "DB99999999999", "MONDO:0000001", "0000001", "15999.0", "1e3", " 9693 ", "9693_", "_",
    "1__2", "😀", "\u202e", "a\nb", "a\rb", 'a"b', '"', ",", "=1+1", "TxGNN Deep Learning",
    "TxGNN Knowledge Graph", "disease", "MONDO", "MONDO_grouped", "drug_protein",
    "gene/protein", "NCBI", Repeated("x", 200_000), "\x00", "\ud800")
#: Header names: PrimeKG's and TxGNN's own (repeated or misplaced), blank, padded, cased.
HEADER_NAMES = ("", " ", "x_id", "y_id", "relation", "pmids", "X_ID", " x_type ", "node_id",
                "drugbank_id", "disease_id", "mondo_id", "score", "Unnamed: 0", "\ufeffrelation")
CSV_UNITS = (",", '"', "a", "中", " ", ";", "_", "1", "\t", "\n")


def csv_mutations() -> st.SearchStrategy[Mutation]:
    cell = st.sampled_from(CELLS) | st.text(max_size=30)
    column = st.integers(0, 15)
    return st.one_of(
        st.builds(DropColumn, column, st.sampled_from(("header", "rows", "both", "one-row"))),
        st.builds(AddColumn, column, st.sampled_from(HEADER_NAMES) | st.text(max_size=12),
                  cell, st.sampled_from(("header", "rows", "both"))),
        st.builds(RenameColumn, column, st.none() | st.sampled_from(HEADER_NAMES)
                  | st.text(max_size=12)),
        st.builds(ShuffleColumns, st.integers(0, 2**16), st.booleans()),
        st.builds(SetCell, fractions, column, cell),
        st.builds(SetCell, fractions, column, cell),
    )


# --- JSON ---------------------------------------------------------------------------------

JSON_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, 2**64, -(10**40), math.nan, math.inf, -math.inf, "", " ",
    "Compound", "Gene", "DB00001", Repeated("x", 100_000), "\ud800", [], {}, [1, "a", None],
    {"kind": "Gene"}, ["Gene", 1], [["Gene"]], {"": None}, {"name": None, "score": "99"})
#: Numbers a JSON reader must not choke on: 10⁶ digits, beyond the int-string limit,
#: non-finite, out of float range; and tokens that are not JSON at all.
NUMBER_TOKENS: tuple[Text, ...] = (
    Repeated("1", 4_300), Repeated("1", 4_301), Repeated("1", 100_000), Repeated("1", 10**6),
    Repeated("9", 10**6, prefix="-"), Repeated("0", 10**6, prefix="1."),
    Repeated("1", 10**6, suffix=".5"), Repeated("9", 1_000, prefix="1e"), "1e999", "-1e999",
    "1e-99999", "NaN", "Infinity", "-Infinity", "nan", "inf", Repeated("0", 1_000, suffix="1"),
    "0x10", "+1", ".5", "1.")
DEPTHS = (10, 100, 998, 999, 1_000, 1_001, 3_000, 100_000)
JSON_UNITS = (" ", "[", "{", '"', "1", "a", "\\", "中", ",", ":")

json_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                  max_size=4),
    max_leaves=10)
#: Where a JSON or YAML edit goes: a path of choices down the tree (never the root itself,
#: which ``Replace`` covers).
steps = st.lists(st.integers(0, 40), min_size=1, max_size=6).map(tuple)
edits = st.sampled_from(("set", "set", "delete", "wrap", "add"))


def json_mutations() -> st.SearchStrategy[Mutation]:
    return st.one_of(
        st.builds(JsonEdit, steps, edits, st.sampled_from(JSON_VALUES) | json_trees,
                  st.sampled_from((None, 2))),
        st.builds(ReplaceToken, fractions, st.sampled_from(NUMBER_TOKENS), st.booleans()),
        st.builds(DeepNesting, fractions, st.sampled_from(DEPTHS),
                  st.sampled_from(("list", "map"))),
    )


# --- YAML ---------------------------------------------------------------------------------

#: Scalars as YAML writes them: tags (some unsafe), a bad date, integers whose parsing is
#: slow or refused (10⁵ digits, 20,000 sexagesimal parts), special floats, aliases to
#: nothing, merge keys, unterminated quotes, bad escapes, directives, reserved characters.
YAML_SCALARS: tuple[Text, ...] = (
    "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!binary aGVsbG8=",
    "!!binary ####", "!!timestamp 2001-12-14", "!!timestamp x", "2001-13-45", "2001-02-30",
    "2001-12-14t21:59:43.10-99:99", "!!set {a, b}",
    "!!omap [a: 1]", "!foo bar", "!!int x", "!!float x", "!!bool maybe", "!!str", "!!map",
    Repeated("1", 4_301), Repeated("1", 100_000), Repeated("1:", 20_000, suffix="1"),
    Repeated("1:", 200, suffix="1"), Repeated("1:", 500_000, suffix="1"),
    Repeated("1:", 20_000, suffix="1.5"),
    Repeated("f", 100_000, prefix="0x"), Repeated("1", 100_000, prefix="0b"),
    Repeated("7", 100_000, prefix="0o"), "1e99999", ".nan",
    ".inf", "-.inf", "~", "null", "yes", "No", "on", "=", "<<", "*undefined", "&a value",
    "&a [*a]", "[a, b", "{a: 1}", "{a: 1, a: 2}", "'unterminated", '"\\x"', '"\\ud800"',
    '"\\U0010FFFF"', "|\n  literal", ">", "? complex", "%YAML 1.1", "--- doc", "...", "@x",
    "`x", "\t tab", Repeated("[", 50, suffix="]" * 50))
YAML_VALUES: tuple[Any, ...] = (
    None, True, 0, -1, 1.5, 2**64, math.nan, math.inf, "", " ", "Drug", "Disease", "DB:DB00001",
    "MESH:D000001", "UniProt:", ":", Repeated("x", 100_000), [], {}, [1, "a", None], {"id": None},
    {"source": 1, "target": [], "key": {}}, ["decreases activity of"])
YAML_UNITS = (" ", "-", "[", "{", "&a ", "*a ", "a", "'", ":", "#", "\t", "中", "!")


def yaml_mutations() -> st.SearchStrategy[Mutation]:
    return st.one_of(
        st.builds(YamlEdit, steps, edits, st.sampled_from(YAML_VALUES) | json_trees,
                  st.booleans()),
        st.builds(YamlScalar, fractions, st.sampled_from(YAML_SCALARS) | st.text(max_size=20)),
        st.builds(BillionLaughs, st.integers(2, 9), st.integers(2, 10), fractions,
                  st.booleans()),
        st.builds(DeepNesting, fractions, st.sampled_from(DEPTHS),
                  st.sampled_from(("list", "map", "block"))),
    )


# --- markdown -----------------------------------------------------------------------------

#: Lines that mean something to the report parser, with values it must survive.
REPORT_LINES: tuple[Text, ...] = (
    "# Drug: From A to B", "# ", "#", "## Quick Overview", "## 快速總覽",
    "## Clinical Trial Evidence", "## Literature Evidence", "## 1. Quick Overview",
    "| Item | Content |", "|---|---|", "|------|", "| Evidence Level | **L9** |",
    "| TxGNN Prediction Score | 150% |", "| TxGNN Prediction Score | -5% |",
    "| TxGNN Prediction Score | NaN% |", "| TxGNN Prediction Score | 1e309% |",
    "| Predicted New Indication | |", "| Recommended Decision | 😀 |",
    "| Rank | Indication | Score | Source |", "| 1 | x | 99.5% | DL |",
    "| 99999999999999999999 | x | 1e999% | DL |", "| 0 | | -1% | ?? |",
    "| NCT ID | Phase | Status |", "| NCT00000000000000 | 3 | x |", "| PMID | Title |",
    "| 0 | x |", "| 99999999999999999999 | x |", "PMID 0", "PMID 99999999999999999999",
    Repeated("9", 50, prefix="NCT"), Repeated("1", 5_000, prefix="PMID: "), "---", "title:",
    "title: x", "evidence_level: L1",
    '<div id="pharmacist">', "</div>", "```", "{: .fs-9 }", "DG001 DG999", "> quote",
    "- item", "* * *", "[link](http://x", "<!--", "\\", "**", "|", "||", "| |", "\u2028",
    "\x0c", "\x0b", "\x85", "\ud800")
#: What pathological runs are made of: emphasis, pipes, brackets, headings, spaces, ids.
MARKDOWN_UNITS = ("*", "**a ", "*a", "*a ", "_a", "_a ", "__a ", "`a", "|", "| ", "[", "[a",
                  "](", "(", "#", " ", "\t", "\u3000", "-", "PMID ", "PMID: 1", "NCT0", "DG0",
                  "`", "_", "<", "<a", "\\", "中", "é", ",", ", 1", '"', "0", "1", "1.", ".", ":",
                  "：", "%", "\n|")


def markdown_mutations() -> st.SearchStrategy[Mutation]:
    return st.one_of(
        st.builds(RunInLine, st.sampled_from(("table", "heading", "bold", "id")), fractions,
                  fractions, st.sampled_from((1_000, 20_000, 200_000)) | st.integers(1, 50_000),
                  st.sampled_from(MARKDOWN_UNITS)),
        st.builds(TableCells, fractions,
                  st.sampled_from(("add", "drop", "strip", "escape", "empty"))),
        st.builds(InsertLine, fractions, st.sampled_from(REPORT_LINES) | st.text(max_size=60)),
        st.builds(InsertLine, fractions, st.sampled_from(REPORT_LINES)),
    )


# --- recipes ------------------------------------------------------------------------------

STRUCTURAL = {"csv": (csv_mutations, CSV_UNITS), "json": (json_mutations, JSON_UNITS),
              "yaml": (yaml_mutations, YAML_UNITS), "markdown": (markdown_mutations,
                                                                MARKDOWN_UNITS)}

#: What damages compressed bytes.
damages = st.one_of(st.builds(Truncate, fractions),
                    st.builds(Overwrite, fractions, st.binary(min_size=1, max_size=8)),
                    st.builds(InsertBytes, fractions, st.binary(min_size=1, max_size=8)))


def recipes(fmt: Format) -> st.SearchStrategy[Recipe]:
    """Cases of one format: a seed, one to three mutations, maybe compressed and damaged."""
    structural, units = STRUCTURAL[fmt.kind]
    mutation = st.one_of(structural(), structural(), byte_mutations(units))
    return st.builds(
        Recipe,
        format=st.just(fmt.name),
        seed=st.sampled_from(sorted(fmt.seeds())),
        mutations=st.lists(mutation, min_size=1, max_size=3).map(tuple),
        compression=st.sampled_from(fmt.compressions),
        damage=st.lists(damages, max_size=1).map(tuple),
        seeded_store=st.booleans(),
    ).map(lambda r: r if r.compression else replace(r, damage=()))
