"""Regression tests for what fuzzing found (tests/test_fuzz.py, bench/fuzz.py): each input
is the smallest that showed the fault, and must now give one line naming the file.

Before the fixes these escaped as zlib.error, ValueError, RecursionError, KeyError,
AttributeError or TypeError tracebacks, printed a message over several lines or of
any length, or — a billion-laughs YAML — grew until memory ran out.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ParseError
from loaders.drugmechdb import read_drugmechdb
from loaders.hetionet import read_hetionet
from loaders.primekg import read_primekg
from loaders.reports import read_report
from loaders.txgnn import read_search_index
from loaders.txgnn.vocabulary import Vocabulary

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mechanisms.csv"


def one_line_error(read: Callable[[Path], object], path: Path, *reason: str) -> str:
    """Read ``path``; it must raise ParseError in one short line naming it (and ``reason``)."""
    with pytest.raises(ParseError) as caught:
        read(path)
    message = str(caught.value)
    assert message.splitlines() == [message]
    assert str(path) in message and len(message) < len(str(path)) + 1_000
    for part in reason:
        assert part in message
    return message


def damaged_gzip(data: bytes) -> bytes:
    """``data`` gzipped with its first deflate byte flipped: zlib.error, not BadGzipFile."""
    damaged = bytearray(gzip.compress(data, mtime=0))
    damaged[10] ^= 0xFF
    with pytest.raises(zlib.error):
        gzip.decompress(bytes(damaged))
    return bytes(damaged)


# --- PrimeKG ------------------------------------------------------------------------------


def read_primekg_fully(path: Path) -> None:
    for _ in read_primekg(path).chunks():
        pass


def test_primekg_damaged_gzip(tmp_path: Path) -> None:
    # Found as: Recipe(format='primekg', compression='.gz', damage=(Overwrite(at=0.66,
    # junk=b'\x00'),), ...) -> zlib.error at loaders/primekg/rows.py
    path = tmp_path / "kg.csv.gz"
    path.write_bytes(damaged_gzip(EXAMPLE.read_bytes()[:600]))
    one_line_error(read_primekg_fully, path, "cannot read file")


def test_primekg_header_of_huge_names_is_named_short(tmp_path: Path) -> None:
    # Found as: HugeField(at=6e-05, size=13672, unit='1') three times: the header message
    # quoted every unknown column whole (1,156 characters and more).
    path = tmp_path / "kg.csv"
    path.write_text(",".join(["1" * 20_000] * 5) + "\n")
    message = one_line_error(read_primekg_fully, path, "not a PrimeKG kg.csv header")
    assert "1" * 50 not in message


# --- Hetionet -----------------------------------------------------------------------------

HETNET = {"metanode_kinds": ["Gene"], "metaedge_tuples": [], "kind_to_abbrev": {},
          "nodes": [{"kind": "Gene", "identifier": 941, "name": "CD80", "data": {}}],
          "edges": []}


def hetnet_file(tmp_path: Path, text: str, name: str = "hetnet.json") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_hetionet_damaged_gzip(tmp_path: Path) -> None:
    path = tmp_path / "hetnet.json.gz"
    path.write_bytes(damaged_gzip(json.dumps(HETNET).encode()))
    one_line_error(read_hetionet, path, "cannot read")


@pytest.mark.parametrize("number", ["1" * 1_000_000, "1" * 4_301])
def test_hetionet_number_of_a_million_digits(tmp_path: Path, number: str) -> None:
    # Found as: ReplaceToken(text=Repeated('1', 1000000)) -> ValueError (int-string limit).
    text = json.dumps(HETNET).replace("941", number)
    one_line_error(read_hetionet, hetnet_file(tmp_path, text), "4300 digits")


def test_hetionet_nested_too_deeply(tmp_path: Path) -> None:
    text = json.dumps(HETNET).replace("941", "[" * 100_000 + "]" * 100_000)
    one_line_error(read_hetionet, hetnet_file(tmp_path, text), "nested too deeply")


def test_hetionet_records_of_the_wrong_type_are_refused(tmp_path: Path) -> None:
    # Found as: JsonEdit(steps=(29, 6, 28), op='wrap', ...): a node's data wrapped in a list
    # -> AttributeError ('list' object has no attribute 'get').
    nodes = [{"kind": "Gene", "identifier": 941, "name": "CD80", "data": [{}]},
             {"kind": ["Gene"], "identifier": 942, "name": "CD86"},
             {"kind": "Gene", "identifier": 943, "name": "X"}]
    edges = [{"source_id": [["Gene"], 943], "target_id": ["Gene", 943], "kind": "interacts"},
             {"source_id": ["Gene", 943], "target_id": ["Gene", 943], "kind": ["interacts"]},
             {"source_id": ["Gene", 943], "target_id": ["Gene", 943], "kind": "interacts",
              "data": "x"}]
    path = hetnet_file(tmp_path, json.dumps({**HETNET, "nodes": nodes, "edges": edges}))
    batch = read_hetionet(path)
    assert [n.id for n in batch.nodes] == ["NCBIGene:943"]
    assert [r.reason for r in batch.rejections] == [
        "node data is not a JSON object", "unknown node kind ['Gene']",
        "edge endpoint is not a loaded node", "unknown edge kind ['interacts']",
        "edge data is not a JSON object"]


def test_hetionet_metaedge_tuples_of_the_wrong_shape(tmp_path: Path) -> None:
    text = json.dumps({**HETNET, "metaedge_tuples": [["Gene", "Gene", "interacts"]]})
    one_line_error(read_hetionet, hetnet_file(tmp_path, text), "metaedge_tuples")


# --- TxGNN's search index -----------------------------------------------------------------


def read_index(path: Path) -> None:
    read_search_index(path, Vocabulary())


@pytest.mark.parametrize(("value", "reason"), [("1" * 1_000_000, "4300 digits"),
                                               ("[" * 100_000, "nested too deeply")])
def test_search_index_huge_number_and_deep_nesting(tmp_path: Path, value: str,
                                                   reason: str) -> None:
    # Found as: ReplaceToken(text=Repeated('1', 1000000)) -> ValueError in json.loads.
    path = tmp_path / "search-index.json"
    path.write_text('{"drugs": [{"name": "Abacavir", "indications": [{"score": ' + value
                    + "}]}]}")
    one_line_error(read_index, path, reason)


# --- DrugMechDB ---------------------------------------------------------------------------

PATH = """directed: true
graph: {_id: DB00002_MESH_D003110_1, disease: Colon cancer, disease_mesh: MESH:D003110,
  drug: cetuximab, drug_mesh: MESH:D000068818, drugbank: DB:DB00002}
links:
- {key: decreases activity of, source: MESH:D000068818, target: UniProt:P00533}
multigraph: true
nodes:
- {id: MESH:D000068818, label: Drug, name: cetuximab}
- {id: UniProt:P00533, label: Protein, name: EGFR}
"""


def path_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "path.yaml"
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = [f"lol0: &lol0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]"
              for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_drugmechdb_billion_laughs_is_refused_before_it_expands(tmp_path: Path) -> None:
    # Found as: BillionLaughs(levels=9, width=10, at=0.3): a link's key the top alias; the
    # error message's repr of the link expanded 10⁹ items until memory ran out.
    text = billion_laughs() + PATH.replace("key: decreases activity of", "key: *lol9")
    one_line_error(read_drugmechdb, path_file(tmp_path, text), "alias")


def test_drugmechdb_merge_key_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "m0: &m0 {a: lol}\n" + "".join(
        f"m{i}: &m{i} {{<<: [{', '.join([f'*m{i - 1}'] * 10)}], k{i}: lol}}\n"
        for i in range(1, 10))
    one_line_error(read_drugmechdb, path_file(tmp_path, bomb + PATH), "alias")


@pytest.mark.parametrize(("value", "reason"), [
    ("1" * 100_000, "a number of 100,000 characters"),  # ValueError: int-string limit
    ("1:" * 500_000 + "1", "a number of 1,000,001 characters"),  # quadratic to convert
    ("2001-13-45", "month must be in 1..12"),  # ValueError from datetime.date
    ("!!bool maybe", "cannot read the value"),  # KeyError: 'maybe'
    ("!!timestamp x", "cannot read the value"),  # AttributeError: None.groupdict
])
def test_drugmechdb_values_yaml_cannot_build(tmp_path: Path, value: str, reason: str) -> None:
    # Found as: YamlScalar(text=…) on a real path file; each escaped as the exception noted.
    text = PATH.replace("directed: true", f"directed: {value}")
    one_line_error(read_drugmechdb, path_file(tmp_path, text), reason, ":1:")


def test_drugmechdb_huge_tag_is_named_short(tmp_path: Path) -> None:
    # Found by the fuzz campaign (HugeField of 131,073 '!' replacing the file): the tag
    # 'tag:yaml.org,2002:!!!…' was quoted whole, a message of 131,218 characters.
    path = path_file(tmp_path, "!" * 131_073)
    one_line_error(read_drugmechdb, path, ":1:", "could not determine a constructor")


def test_drugmechdb_control_character_is_one_line_with_its_line(tmp_path: Path) -> None:
    # Found as: YamlScalar(text='fç2\x0eÓ\x8dÍ'): libyaml's message ran over two lines.
    path = path_file(tmp_path, PATH.replace("EGFR", "EG\x0eFR"))
    one_line_error(read_drugmechdb, path, ":9:", "control characters are not allowed")


def test_cli_refuses_a_billion_laughs_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    path = path_file(tmp_path, billion_laughs() + PATH.replace("name: EGFR", "name: *lol9"))
    store = tmp_path / "kg.db"
    run = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", "load", "drugmechdb",
                                    str(path)])
    assert run.exit_code == 1 and run.exception is not None
    assert run.output.startswith(f"Error: {path}:") and run.output.count("\n") == 1
    assert not store.exists()


@pytest.mark.parametrize(("old", "new", "reason"), [
    # Found as: YamlEdit(steps=(35,), op='set', value=1.5) on a real path file, which set its
    # references to 1.5 -> TypeError ('float' object is not iterable).
    ("nodes:", "references: 1.5\nnodes:", "'references' must be a list"),
    ("name: EGFR}", "name: EGFR, alt_ids: 5}", "alt_ids and alt_names must be lists"),
])
def test_drugmechdb_lists_of_the_wrong_type(tmp_path: Path, old: str, new: str,
                                            reason: str) -> None:
    one_line_error(read_drugmechdb, path_file(tmp_path, PATH.replace(old, new)), reason)


# --- reports ------------------------------------------------------------------------------

PAGE = ("# Aspirin: From Pain to Migraine\n\n## Quick Overview\n\n| Item | Content |\n|---|---|\n"
        "| TxGNN Prediction Score | 91.50% |\n| Evidence Level | **L2** |\n\nSee PMID 12345678.\n")


@pytest.mark.parametrize(("where", "run"), [
    # Found as: HugeField(size=40556, unit='\t') in a heading: _ATX's (.*?)\s*#*\s*$
    ("# Aspirin", "# Asp" + "\t" * 100_000 + "irin"),
    # Found as: HugeField(size=131073, unit='[a'): _LINK, each [ scanning to the end
    ("**L2**", "**L2** " + "[a" * 100_000),
    # Found as: RunInLine(kind='id', size=200000, unit='\t'): _FIRST_PMID's \s*[:#]?\s*
    ("See PMID 12345678.", "See PMID" + "\t" * 100_000 + "."),
    # Found as: RunInLine(kind='id', size=200000, unit='*a '): _EMPHASIS's *x*
    ("**L2**", "**L2** " + "*a " * 100_000),
    # Found as: HugeField(size=1000000, unit='<a'): _HTML, each < scanning to the end
    ("**L2**", "**L2** " + "<a" * 100_000),
    # Found by a probe putting runs in every Quick Overview cell: _key_text's \([^)]*\)
    ("**L2**", "**L2** |\n| Number of Authorizations " + "(" * 100_000 + "| 12"),
], ids=["heading", "link", "pmid", "emphasis", "html", "key-note"])
def test_report_patterns_take_linear_time(tmp_path: Path, where: str, run: str) -> None:
    # Each took from seconds (8,000 repeats) to minutes (40,000) before; now milliseconds.
    path = tmp_path / "page.md"
    path.write_text(PAGE.replace(where, run))
    started = time.process_time()
    batch = read_report(path)
    assert time.process_time() - started < 1.0
    assert batch.nodes[0].name.replace(" ", "") == "Aspirin"


def test_report_of_many_repeated_sections_takes_linear_time(tmp_path: Path) -> None:
    # Found by the fuzz campaign (DuplicateLine of the 'Quick Overview' heading, 2 × 5,000
    # times): each heading's section end was found by scanning every heading — 2 s of CPU.
    path = tmp_path / "page.md"
    path.write_text(PAGE.replace("## Quick Overview\n", "## Quick Overview\n" * 20_000))
    started = time.process_time()
    batch = read_report(path)
    assert time.process_time() - started < 1.0
    assert batch.nodes[0].name.replace(" ", "") == "Aspirin"


def test_report_count_of_twenty_thousand_digits_is_no_count(tmp_path: Path) -> None:
    # Found by the same probe: leading_int's int() of 20,002 digits -> ValueError.
    path = tmp_path / "page.md"
    path.write_text(PAGE.replace("| Evidence Level |", "| Number of Authorizations | "
                                 + "1" * 20_000 + " |\n| Evidence Level |"))
    prediction = next(n for n in read_report(path).nodes if n.kind == "Prediction")
    assert prediction.authorizations is None
    assert prediction.authorizations_raw == "1" * 20_000


def test_report_of_a_million_table_rows_is_refused_at_once(tmp_path: Path) -> None:
    # Found by the fuzz campaign of 3 December (HugeField: a million "\n|" lines into a
    # Taiwanese page): every line a table row, 5-7 s of CPU to parse. A page of megabytes
    # is not a report page (real ones are 2-25 KB): one line, at once.
    path = tmp_path / "page.md"
    at = PAGE.index("| Evidence Level |")
    path.write_text(PAGE[:at] + "\n|" * 1_000_000 + PAGE[at:])
    started = time.process_time()
    with pytest.raises(ParseError, match=r"not a report page: 2,0\d\d,\d\d\d characters") as error:
        read_report(path)
    assert time.process_time() - started < 1.0
    assert str(path) in str(error.value) and "\n" not in str(error.value)
    # A page just under the limit still loads.
    path.write_text(PAGE + "\n" * (1_000_000 - len(PAGE)))
    assert read_report(path).nodes[0].name.replace(" ", "") == "Aspirin"
