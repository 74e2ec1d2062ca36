"""Output sets are whole or untouched, readable by whom they are for, and errors while writing
are one line naming the path: killed builds, umasks, full disks, read-only folders."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace

GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\nB;Beta;5;9;20,00\n"
SMALL_AUDIENCES = """\
audiences:
  management:
    title: {de: Lagebild}
    themes: [risk]
    formats: [pptx]
  itsm:
    title: {de: Freigaben}
    themes: [risk]
    formats: [pptx]
"""


def small_workspace(root: Path, csv: str = GOOD_CSV) -> Path:
    return write_workspace(root, MINIMAL_CONFIG, {"data/l.csv": csv}, audiences=SMALL_AUDIENCES)


def sambrief(
    ws: Path, *args: str, env: dict[str, str] | None = None, umask: int | None = None
) -> subprocess.CompletedProcess:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    full_env = {**os.environ, "SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sambrief", *args, "--config", str(ws / "sambrief.yaml")],
        cwd=ws,
        capture_output=True,
        text=True,
        env=full_env,
        preexec_fn=set_umask,
    )


def assert_whole_set(period_dir: Path) -> dict:
    """Every file in the period folder is listed in the manifest with its size and SHA-256, and
    every listed file is there: the set is one build's, never a mix."""
    manifest = json.loads((period_dir / "manifest.json").read_text("utf-8"))
    listed = {o["path"]: o for o in manifest["outputs"]}
    present = {p.relative_to(period_dir).as_posix() for p in period_dir.rglob("*") if p.is_file()} - {"manifest.json"}
    assert present == set(listed)
    for rel, entry in listed.items():
        data = (period_dir / rel).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"]), rel
    return manifest


def hidden(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob(".*"))


@pytest.mark.slow
def test_manifest_lists_every_output_with_size_and_sha256_and_nothing_hidden_remains(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    proc = sambrief(ws, "build", "--period", "2026-10")
    assert proc.returncode == 0, proc.stderr
    manifest = assert_whole_set(ws / "out" / "2026-10")
    assert {o["path"] for o in manifest["outputs"]} == {
        "management/sambrief-management-2026-10.pptx",
        "management/sambrief-management-2026-10.pdf",
        "management/details.csv",
        "itsm/sambrief-itsm-2026-10.pptx",
        "itsm/sambrief-itsm-2026-10.pdf",
        "itsm/details.csv",
        "intranet/index.html",
        "intranet/style.css",
    }
    assert hidden(ws / "out") == []


@pytest.mark.slow
def test_building_one_audience_keeps_the_others(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    assert sambrief(ws, "build", "--period", "2026-10").returncode == 0
    period = ws / "out" / "2026-10"
    itsm_deck = (period / "itsm" / "sambrief-itsm-2026-10.pptx").read_bytes()
    proc = sambrief(ws, "build", "--period", "2026-10", "--audience", "management", "--force")
    assert proc.returncode == 0, proc.stderr
    manifest = assert_whole_set(period)
    assert list(manifest["audiences"]) == ["itsm", "management"]
    assert (period / "itsm" / "sambrief-itsm-2026-10.pptx").read_bytes() == itsm_deck


@pytest.mark.slow
def test_nothing_changed_check_verifies_the_files_against_the_manifest(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    assert sambrief(ws, "build", "--period", "2026-10").returncode == 0
    deck = ws / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx"
    assert "hat sich nichts geändert" in sambrief(ws, "build", "--period", "2026-10").stdout
    deck.write_bytes(deck.read_bytes()[:-10])  # a damaged deck with the same name is not "current"
    proc = sambrief(ws, "build", "--period", "2026-10")
    assert "hat sich nichts geändert" not in proc.stdout and proc.returncode == 0
    assert_whole_set(ws / "out" / "2026-10")


@pytest.mark.slow
def test_stale_staging_folders_and_temp_files_are_removed_by_the_next_run(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    assert sambrief(ws, "build", "--period", "2026-10").returncode == 0
    out = ws / "out"
    (out / ".2026-10.staging-123-abcd1234" / "itsm").mkdir(parents=True)
    (out / ".2026-10.staging-123-abcd1234" / "itsm" / "half.pptx").write_bytes(b"PK")
    (out / "2026-10" / "itsm" / ".onepager.pdf.kmmx7t2e.tmp").write_bytes(b"%PDF")  # an earlier version's temp file
    proc = sambrief(ws, "build", "--period", "2026-10")  # even when nothing changed
    assert "hat sich nichts geändert" in proc.stdout
    assert hidden(out) == []
    assert_whole_set(out / "2026-10")


@pytest.mark.slow
def test_killed_between_the_two_renames_the_previous_set_comes_back(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    assert sambrief(ws, "build", "--period", "2026-10").returncode == 0
    out = ws / "out"
    before = assert_whole_set(out / "2026-10")
    os.rename(out / "2026-10", out / ".2026-10.previous-999-0badc0de")  # as a kill after the first rename leaves it
    proc = sambrief(ws, "build", "--period", "2026-10", "--audience", "itsm", "--force")
    assert proc.returncode == 0, proc.stderr
    after = assert_whole_set(out / "2026-10")
    assert list(after["audiences"]) == list(before["audiences"])  # management was restored, then kept
    assert hidden(out) == []


def _kill_run(ws: Path, after: int, portable: bool) -> subprocess.CompletedProcess:
    env = {"SAMBRIEF_TEST_KILL_AFTER_WRITES": str(after)}
    if portable:
        env["SAMBRIEF_TEST_PORTABLE_SWAP"] = "1"
    return sambrief(ws, "build", "--period", "2026-10", "--force", "--audience", "all", env=env)


def _check_kills(ws: Path, portable: bool, csv_variants: list[str]) -> None:
    """Kill a build at every step of its write phase (after each file written into staging,
    after the manifest, after each rename); after each kill the period folder must be exactly
    one build's set, and the next run must tidy up and succeed."""
    period = ws / "out" / "2026-10"
    assert sambrief(ws, "build", "--period", "2026-10").returncode == 0
    steps_seen = 0
    for csv in csv_variants:
        (ws / "data" / "l.csv").write_text(csv, encoding="utf-8")  # each kill interrupts a build of different content
        step = 1
        while True:
            proc = _kill_run(ws, step, portable)
            if proc.returncode == 0:  # ran past the last step: every step was covered
                break
            assert proc.returncode == -signal.SIGKILL, proc.stderr
            steps_seen += 1
            visible = period
            if portable and not period.exists():  # killed between the two renames: the old set waits aside
                (visible,) = (ws / "out").glob(".2026-10.previous-*")
            manifest = assert_whole_set(visible)
            assert manifest["period"] == "2026-10"
            step += 1
        assert step >= 5  # 4 files, the manifest, the swap
        assert hidden(ws / "out") == []  # the successful run removed what the kills left
        assert_whole_set(period)
    assert steps_seen >= 5 * len(csv_variants)


@pytest.mark.slow
def test_build_killed_at_every_step_of_the_write_phase_leaves_a_whole_set(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    _check_kills(ws, portable=False, csv_variants=[GOOD_CSV.replace("9;20", "11;20")])


@pytest.mark.slow
def test_build_killed_at_every_step_with_the_portable_swap_leaves_a_whole_set(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    _check_kills(ws, portable=True, csv_variants=[GOOD_CSV.replace("9;20", f"{n};20") for n in (11, 13)])


@pytest.mark.slow
def test_killed_build_then_next_build_succeeds(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    assert sambrief(ws, "build", "--period", "2026-10").returncode == 0
    for step in (1, 3, 5):
        assert _kill_run(ws, step, portable=True).returncode == -signal.SIGKILL
    proc = sambrief(ws, "build", "--period", "2026-10")
    assert proc.returncode == 0, proc.stderr
    assert hidden(ws / "out") == []
    assert_whole_set(ws / "out" / "2026-10")


# -- modes -----------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("umask, file_mode, dir_mode", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_outputs_and_scaffolded_files_get_the_umask_mode_and_only_the_key_stays_private(
    tmp_path: Path, umask, file_mode, dir_mode
):
    ws = small_workspace(tmp_path / "ws")
    assert sambrief(ws, "build", "--period", "2026-10", umask=umask).returncode == 0
    out = ws / "out"
    modes = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*")}
    assert modes and all(m == (dir_mode if (out / p).is_dir() else file_mode) for p, m in modes.items()), modes
    assert sambrief(ws, "plan", umask=umask).returncode == 0
    assert {stat.S_IMODE(p.stat().st_mode) for p in (out / "plan").iterdir()} == {file_mode}

    env = {k: v for k, v in os.environ.items() if k != "SAMBRIEF_PSEUDONYM_KEY"}
    new = tmp_path / "new"
    proc = subprocess.run(
        [sys.executable, "-m", "sambrief", "init", str(new)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=lambda: os.umask(umask),
    )
    assert proc.returncode == 0, proc.stderr
    key = new / ".sambrief" / "pseudonym.key"
    scaffolded = {
        p.relative_to(new).as_posix(): stat.S_IMODE(p.stat().st_mode)
        for p in new.rglob("*")
        if p.is_file() and p != key
    }
    assert "sambrief.yaml" in scaffolded and set(scaffolded.values()) == {file_mode}, scaffolded
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


# -- disk and permission errors ------------------------------------------------------------------
# The builds in-process below fail while writing; they read the message and the set on disk, never a
# deck's PDF, so the deck PDF is a blank page there (the subprocess builds above render it).
@pytest.mark.usefixtures("no_deck_pdf")
def test_full_disk_is_one_line_naming_the_path_and_nothing_half_written_remains(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from sambrief.cli.app import app

    ws = small_workspace(tmp_path / "ws")
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"]).exit_code == 0
    before = assert_whole_set(ws / "out" / "2026-10")
    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd: int, data) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10", "--force"])
    monkeypatch.setattr(os, "write", real_write)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Fehler: {ws / 'out'}/.2026-10.staging-"), lines
    assert lines[0].endswith(
        f"lässt sich nicht schreiben: auf dem Datenträger ist kein Platz mehr; Platz schaffen und erneut ausführen "
        f"(die bisherigen Ausgaben in {ws / 'out' / '2026-10'} bleiben unverändert)"
    )
    assert hidden(ws / "out") == []
    assert assert_whole_set(ws / "out" / "2026-10") == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_is_one_line_naming_it(tmp_path: Path):
    ws = small_workspace(tmp_path / "ws")
    (ws / "out").mkdir()
    os.chmod(ws / "out", 0o555)
    try:
        proc = sambrief(ws, "build", "--period", "2026-10")
    finally:
        os.chmod(ws / "out", 0o755)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"Fehler: {ws / 'out'}/.2026-10.staging-"
        + proc.stderr.split(".staging-")[1].split(" ")[0]
        + " lässt sich nicht schreiben: keine Berechtigung; diesem Benutzer Schreibrechte auf den Ordner geben oder mit --out einen anderen wählen"
        f" (die bisherigen Ausgaben in {ws / 'out' / '2026-10'} bleiben unverändert)"
    ]
    assert list((ws / "out").iterdir()) == []


@pytest.mark.usefixtures("no_deck_pdf")
@pytest.mark.parametrize(
    "code, advice",
    [
        (
            errno.EACCES,
            "keine Berechtigung; diesem Benutzer Schreibrechte auf den Ordner geben oder mit --out einen anderen wählen",
        ),
        (errno.EROFS, "das Dateisystem ist schreibgeschützt; mit --out einen beschreibbaren Ordner wählen"),
    ],
)
def test_permission_and_read_only_errors_are_one_line(tmp_path: Path, monkeypatch, code, advice):
    from typer.testing import CliRunner

    from sambrief.cli.app import app
    from sambrief.publish import output

    ws = small_workspace(tmp_path / "ws")

    real_mkdir = os.mkdir

    def denied(path, *args, **kwargs):
        if ".staging-" in str(path):
            raise OSError(code, os.strerror(code), str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(output.os, "mkdir", denied)
    result = CliRunner().invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Fehler: {ws / 'out'}/.2026-10.staging-")
    assert result.stderr.strip().endswith(
        f"lässt sich nicht schreiben: {advice} (die bisherigen Ausgaben in {ws / 'out' / '2026-10'} bleiben unverändert)"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (ws / "out" / "2026-10").exists()


def test_init_on_a_full_disk_leaves_no_half_workspace(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from sambrief.cli.app import app

    real_write = os.write
    calls = {"n": 0}

    def full_disk(fd: int, data) -> int:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    result = CliRunner().invoke(app, ["init", str(tmp_path / "new")])
    monkeypatch.setattr(os, "write", real_write)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Fehler: {tmp_path / 'new'}")
    assert (
        "lässt sich nicht schreiben: auf dem Datenträger ist kein Platz mehr; Platz schaffen und erneut ausführen"
        in result.stderr
    )
    assert [p for p in (tmp_path / "new").rglob("*") if p.is_file()] == []
    assert CliRunner().invoke(app, ["init", str(tmp_path / "new")]).exit_code == 0  # the rerun works
