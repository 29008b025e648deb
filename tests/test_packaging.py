"""The repository's promises about itself: pinned versions agree, scripts are wired."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO


def test_compose_and_the_local_script_pin_the_same_neo4j() -> None:
    pinned = (REPO / "scripts" / "neo4j" / "VERSION").read_text().strip()
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    image = compose["services"]["neo4j"]["image"]
    assert image == f"neo4j:{pinned}-community"
    script = subprocess.run([str(REPO / "scripts" / "neo4j-local"), "version"],
                            capture_output=True, text=True, check=True)
    assert script.stdout.strip() == pinned


def test_compose_never_ships_a_default_password_and_binds_loopback() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}"
    assert all(str(port).startswith("127.0.0.1:") for port in neo4j["ports"])
    assert "healthcheck" in neo4j


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    commands = re.findall(r"^(bash scripts/\S+)$", readme, flags=re.MULTILINE)
    assert commands[:2] == ["bash scripts/demo", "bash scripts/test"]
    assert "bash scripts/test" in (REPO / ".ci" / "run").read_text()


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text()
    [code] = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    (tmp_path / "examples").symlink_to(REPO / "examples")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "plasma cell myeloma" in done.stdout and "L3 Hold 9" in done.stdout
    assert (tmp_path / "txkg.db").exists()
