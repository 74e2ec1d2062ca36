from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


@pytest.fixture(autouse=True)
def _fixed_pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests never depend on (or create) a key in the repository's workspace.
    monkeypatch.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_example(ws: Path) -> Path:
    """A copy of the repository's example workspace, so builds never touch the repo."""
    ws.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "sambrief.yaml", ws / "sambrief.yaml")
    shutil.copy(REPO / "audiences.yaml", ws / "audiences.yaml")
    shutil.copytree(REPO / "examples", ws / "examples", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    # Registers without a report date stand for their file date: make it the same on every checkout.
    saved = datetime(2026, 10, 31, 12, 0).timestamp()
    for path in (ws / "examples").rglob("*"):
        os.utime(path, (saved, saved))
    return ws


@pytest.fixture
def example_workspace(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "ws")


def write_workspace(root: Path, config: str, files: dict[str, str | bytes], audiences: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sambrief.yaml").write_text(config, encoding="utf-8")
    if audiences is not None:
        (root / "audiences.yaml").write_text(audiences, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


MINIMAL_CONFIG = """\
organisation: Test AG
language: de
contact: {team: Lizenzmanagement, email: lm@test.example}
sources:
  - data/*.csv
  - data/*.xlsx
prices:
  Produkt A: 10
  Produkt B: 20
"""


@pytest.fixture(scope="session")
def example_build_all(tmp_path_factory: pytest.TempPathFactory):
    """The example built once for all audiences, for tests that only read the outputs."""
    from sambrief.commands.build import BuildRequest, build

    ws = copy_example(tmp_path_factory.mktemp("example-all") / "ws")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
    result = build(BuildRequest(config=ws / "sambrief.yaml", audience="all"))
    mp.undo()
    return result
