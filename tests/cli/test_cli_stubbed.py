"""The CLI against a stubbed library: what it prints and which exit code it gives for a typed
result or an error, without building anything (fast tier)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands import deliver as deliver_command
from sambrief.commands import inspect as inspect_command
from sambrief.errors import ConfigError, InputError
from sambrief.publish.deliver import DeliveryReport

runner = CliRunner()


@pytest.fixture
def calls(monkeypatch, tmp_path):
    seen: list[object] = []
    monkeypatch.chdir(tmp_path)  # no workspace around: the CLI speaks English

    def stub(report):
        def deliver_period(request):
            seen.append(request)
            if isinstance(report, Exception):
                raise report
            return report

        monkeypatch.setattr(deliver_command, "deliver_period", deliver_period)
        return seen

    return stub


def test_deliver_reports_each_recipient_and_exits_4_when_one_failed(calls):
    seen = calls(
        DeliveryReport(
            sent=[("management", "gf@x.example")],
            skipped=[("itsm", "itsm@x.example")],
            failed=[("management", "cio@x.example", "refused: 550 mailbox unavailable")],
        )
    )
    result = runner.invoke(app, ["deliver", "--period", "2026-10", "--resend"])
    assert result.exit_code == 4
    assert seen[0].period == "2026-10" and seen[0].resend is True and seen[0].audiences is None
    assert "sent management briefing to gf@x.example" in result.stdout
    assert "already delivered itsm briefing to itsm@x.example this period (use --resend to send again)" in result.stdout
    assert "could not send management briefing to cio@x.example: refused: 550 mailbox unavailable" in result.stderr
    assert "delivery: 1 sent, 1 already delivered, 1 failed" in result.stdout


def test_deliver_maps_a_configuration_error_to_exit_1_without_a_traceback(calls):
    calls(ConfigError(["deliver.smtp.host: is required"], "sambrief.yaml"))
    result = runner.invoke(app, ["deliver"])
    assert result.exit_code == 1
    assert "deliver.smtp.host: is required" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_deliver_refuses_a_malformed_period_before_calling_the_library(calls):
    seen = calls(DeliveryReport())
    result = runner.invoke(app, ["deliver", "--period", "2026-13"])
    assert result.exit_code == 2 and seen == []


def test_inspect_json_prints_the_library_entries_and_exits_1_for_a_problem(monkeypatch, tmp_path: Path):
    export = tmp_path / "x.csv"
    export.write_text("a;b\n1;2\n", encoding="utf-8")
    entries = [inspect_command.Inspection(str(export), problems=[f"{export}: stubbed library answer"])]
    monkeypatch.setattr(inspect_command, "inspect_files", lambda paths, pin=None: entries)
    result = runner.invoke(app, ["inspect", "--json", str(export)])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": str(export),
            "dataset": None,
            "layout": None,
            "rows": 0,
            "problems": [f"{export}: stubbed library answer"],
        }
    ]


def test_an_input_error_from_the_library_is_one_line(calls):
    calls(InputError("data/x.csv: row 3, column 'Datum': '31.02.2026' is not a date; correct the cell and run again"))
    result = runner.invoke(app, ["deliver"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "Error: data/x.csv: row 3, column 'Datum': '31.02.2026' is not a date; correct the cell and run again"
    ]


@pytest.fixture
def config_reads(monkeypatch):
    """Every reading of a sambrief.yaml, whichever module asks for the settings."""
    from sambrief.config import workspace

    seen: list[Path] = []
    read_yaml = workspace.read_yaml

    def counting(path, *args, **kwargs):
        if Path(path).name == "sambrief.yaml":
            seen.append(Path(path))
        return read_yaml(path, *args, **kwargs)

    monkeypatch.setattr(workspace, "read_yaml", counting)
    return seen


def test_deliver_to_one_audience_reads_the_configuration_once(monkeypatch, example_workspace, config_reads):
    monkeypatch.chdir(example_workspace)
    monkeypatch.setattr(
        deliver_command, "deliver", lambda settings, period, folder, resend, audiences: DeliveryReport()
    )
    result = runner.invoke(app, ["deliver", "--period", "2026-10", "--audience", "it"])
    assert result.exit_code == 0, result.stderr
    assert len(config_reads) == 1


def test_build_reads_the_configuration_once(monkeypatch, example_workspace, config_reads):
    from sambrief.commands import build as build_command

    def stop(request, settings, audiences, progress):
        raise InputError("stopped after the configuration was read")

    monkeypatch.chdir(example_workspace)
    monkeypatch.setattr(build_command, "_build_locked", stop)
    result = runner.invoke(app, ["build", "--audience", "management", "--lang", "en"])
    assert (result.exit_code, result.stderr.strip()) == (1, "Error: stopped after the configuration was read")
    assert len(config_reads) == 1


def test_the_library_refuses_an_unknown_audience_as_the_command_line_does(example_workspace):
    from sambrief.commands.build import BuildRequest, build
    from sambrief.errors import ExitCode, UsageError

    with pytest.raises(UsageError) as refused:
        build(BuildRequest(config=example_workspace / "sambrief.yaml", audience="managment"))
    assert refused.value.exit_code == ExitCode.USAGE
    assert (
        str(refused.value)
        == "--audience: unknown audience 'managment' (did you mean 'management'? known: management, itsm, business, it, all)"
    )
    assert not (example_workspace / "out").exists() and not (example_workspace / ".sambrief" / "build.lock").exists()
