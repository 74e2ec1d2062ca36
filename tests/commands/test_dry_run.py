"""`build --dry-run` and `draft()`: the briefings a build composes, with nothing rendered or
written; its figures and headlines are the build's (the shared example build)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import copy_example
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands.build import BuildRequest, draft

runner = CliRunner()


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.slow  # the shared build of every audience: eight seconds of rendering
def test_the_shared_draft_is_the_shared_builds(example_draft_all, example_build_all):
    assert [b.figures for b in example_draft_all.briefings] == [b.figures for b in example_build_all.briefings]
    assert example_draft_all.warnings == [w for w in example_build_all.warnings if w in example_draft_all.warnings]


def test_a_draft_has_the_builds_figures_and_headlines_and_writes_nothing(
    tmp_path, example_build_management, monkeypatch
):
    ws = copy_example(tmp_path / "ws")
    monkeypatch.delenv("SAMBRIEF_PSEUDONYM_KEY")  # no key file may appear either
    before = _files(ws)
    drafted = draft(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="management"))
    assert _files(ws) == before  # no output folder, no history, no pseudonym key
    assert drafted.period == "2026-10"
    built = {b.output_key: b for b in example_build_management.briefings}
    assert [b.output_key for b in drafted.briefings] == list(built)
    for b in drafted.briefings:
        assert b.figures == built[b.output_key].figures, b.output_key
        assert [f.headline for f in b.findings] == [f.headline for f in built[b.output_key].findings]


def test_build_dry_run_prints_what_a_build_would_make_and_writes_nothing(tmp_path):
    ws = copy_example(tmp_path / "ws")
    before = _files(ws)
    old = os.getcwd()
    try:
        os.chdir(ws)
        result = runner.invoke(app, ["build", "--dry-run", "--audience", "management"])
        both = runner.invoke(app, ["build", "--dry-run", "--deliver"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "sambrief: Probelauf: 1 Briefing zusammengestellt, nichts geschrieben · 0 Warnungen"
    )
    assert _files(ws) == before
    assert both.exit_code == 2
    assert "--dry-run schreibt nichts, daher gibt es nichts zu versenden" in both.stderr
