"""The Neo4j password stays secret, and the servers we ship listen on loopback only.

* ``docker-compose.yml`` has no default password: it requires ``NEO4J_PASSWORD`` from the
  environment, and publishes its ports on 127.0.0.1 only.
* ``scripts/neo4j-local start`` on a fresh instance (which sets the initial password and
  then checks it) never shows the password in the process list — every process's command
  line is sampled while it runs — nor writes it to any file of the instance (configuration,
  logs, run files, and the databases themselves); its server listens on 127.0.0.1 only.
* ``txkg`` takes the password from ``NEO4J_PASSWORD`` (never an argument) and never prints
  it: not on success, not in any error, not when it was written into the URI; and no password
  at all is one clear line.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.conftest import REPO

TXKG = [sys.executable, "-m", "graph"]
SCRIPT = REPO / "scripts" / "neo4j-local"


def test_docker_compose_has_no_default_password_and_binds_loopback() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    text = (REPO / "docker-compose.yml").read_text()
    auth = compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    # ${VAR:?message} fails `docker compose up` when the variable is unset or empty.
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth), auth
    assert not re.search(r"NEO4J_PASSWORD(:?-|:?\+)", text), "a default password"
    for service in compose["services"].values():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{port} is published beyond loopback"


def _cmdlines() -> list[str]:
    lines = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                    lines.append(fh.read().replace(b"\0", b" ").decode("utf-8", "replace"))
            except OSError:
                continue
    return lines


def _listening(pid: int) -> list[str]:
    """Local addresses (hex, as /proc/net/tcp* writes them) of the sockets ``pid`` listens on."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                addresses.append(fields[1])
    return addresses


#: 127.0.0.1 in /proc/net/tcp, and ::ffff:127.0.0.1 or ::1 in /proc/net/tcp6.
LOOPBACK = re.compile(r"(0100007F|0000000000000000FFFF00000100007F"
                      r"|00000000000000000000000001000000):[0-9A-F]{4}")


@pytest.fixture
def fresh_instance(neo4j_server: tuple[str, str, str], tmp_path: Path) -> dict[str, str]:
    """The environment of a second, fresh local server (the jars of the test server's)."""
    if not shutil.which("java") or not shutil.which("mvn"):
        pytest.skip("no java or mvn to start a second local server")
    bolt = int(os.environ.get("TXKG_TEST_NEO4J_BOLT_PORT", "17687")) + 11
    http = int(os.environ.get("TXKG_TEST_NEO4J_HTTP_PORT", "17474")) + 11
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(TXKG_NEO4J_INSTANCE_DIR=str(tmp_path / "instance"),
               TXKG_NEO4J_BOLT_PORT=str(bolt), TXKG_NEO4J_HTTP_PORT=str(http),
               TXKG_NEO4J_HEAP="384m", TXKG_NEO4J_PAGECACHE="32m", TXKG_NEO4J_CDS="0",
               TXKG_NEO4J_JAVA_OPTS="-XX:TieredStopAtLevel=1",
               # Quotes, a backslash, a dollar and a space: the quoting must hold too.
               NEO4J_PASSWORD=f'S3cret "q" \\ $x {secrets.token_hex(6)}')
    return env


def test_local_server_keeps_the_password_out_of_ps_files_and_logs(
        fresh_instance: dict[str, str]) -> None:
    env = fresh_instance
    password = env["NEO4J_PASSWORD"]
    seen: list[str] = []
    done = threading.Event()

    def watch() -> None:  # sample every command line while the script runs
        while not done.is_set():
            seen.extend(line for line in _cmdlines() if password in line)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        started = subprocess.run(["bash", str(SCRIPT), "start"], env=env, capture_output=True,
                                 text=True, timeout=600, check=False)
    finally:
        done.set()
        watcher.join()
    instance = Path(env["TXKG_NEO4J_INSTANCE_DIR"])
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert password not in started.stdout + started.stderr
        assert seen == [], "the password showed in the process list"

        pid = int((instance / "run" / "neo4j-local.pid").read_text())
        listening = _listening(pid)
        assert listening and all(LOOPBACK.fullmatch(a) for a in listening), listening

        uri = f"bolt://127.0.0.1:{env['TXKG_NEO4J_BOLT_PORT']}"
        txkg_env = {**env, "NEO4J_PASSWORD": password}
        outputs = []
        for args, wanted in (
                (["--store", uri, "stats"], 0),
                (["--store", uri, "query", "--cypher", "MATCH (n RETURN n"], 1),
                (["--store", uri, "query", "--cypher", "CREATE (n:Scratch)"], 1),
                (["--store", uri, "--database", "nothere", "stats"], 1)):
            run = subprocess.run([*TXKG, *args], env=txkg_env, cwd=REPO, capture_output=True,
                                 text=True, check=False)
            assert run.returncode == wanted, run.stdout + run.stderr
            outputs.append(run.stdout + run.stderr)
        # A password written into the URI is used, and never shown: not when it is wrong,
        # not when nothing answers at that address.
        port = env["TXKG_NEO4J_BOLT_PORT"]
        for in_uri, wanted in ((f"bolt://neo4j:{quote(password)}@127.0.0.1:{port}", 0),
                               (f"bolt://neo4j:{quote(password)}x@127.0.0.1:{port}", 1),
                               (f"bolt://neo4j:{password}@127.0.0.1:{int(port) + 1}", 1)):
            run = subprocess.run([*TXKG, "--store", in_uri, "stats"],
                                 env={**env, "NEO4J_PASSWORD": "wrong-password"}, cwd=REPO,
                                 capture_output=True, text=True, check=False)
            assert run.returncode == wanted, run.stdout + run.stderr
            assert run.returncode == 0 or run.stderr.count("\n") == 1
            outputs.append(run.stdout + run.stderr)
        for output in outputs:
            assert password not in output
    finally:
        stopped = subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True,
                                 text=True, timeout=600, check=False)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert password not in stopped.stdout + stopped.stderr

    needle = password.encode()
    written = [p for p in instance.rglob("*") if p.is_file()]
    assert any(p.name == "console.log" for p in written) and any(
        "databases" in p.parts for p in written)
    leaked = [str(p) for p in written if needle in p.read_bytes()]
    assert leaked == [], f"the password is written in {leaked}"


def test_no_password_is_one_clear_line(neo4j_server: tuple[str, str, str]) -> None:
    uri, _, _ = neo4j_server
    for value in (None, ""):
        env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
        if value is not None:
            env["NEO4J_PASSWORD"] = value
        run = subprocess.run([*TXKG, "--store", uri, "stats"], env=env, cwd=REPO,
                             capture_output=True, text=True, check=False)
        assert run.returncode == 1
        assert run.stderr.strip() == (f"Error: cannot connect to {uri}: the server asks for a "
                                      "password and none was given (set NEO4J_PASSWORD)")
        assert run.stdout == ""
