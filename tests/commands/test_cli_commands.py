"""`init`, `history`, `explain` and `template inspect` against a stubbed library: the CLI prints
what the command module returns and maps its errors, without a workspace or a build (fast tier)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands import explain as explain_command
from sambrief.commands import history as history_command
from sambrief.commands import init as init_command
from sambrief.commands import template as template_command
from sambrief.commands.explain import Explanation
from sambrief.commands.history import HistoryListing, PeriodLine
from sambrief.commands.init import InitResult
from sambrief.commands.template import TemplateDescription, describe_lines
from sambrief.errors import ConfigError
from sambrief.publish.history import PeriodRecord

runner = CliRunner()


def test_init_prints_each_created_file_and_the_next_step_in_the_workspace_language(monkeypatch, tmp_path: Path):
    seen = []

    def init_workspace(request):
        seen.append(request)
        return InitResult([tmp_path / "ws" / "sambrief.yaml"], tmp_path / "ws", tmp_path / "ws" / "data")

    monkeypatch.setattr(init_command, "init_workspace", init_workspace)
    result = runner.invoke(app, ["init", str(tmp_path / "ws"), "--lang", "en", "--organisation", "Beispiel AG"])
    assert result.exit_code == 0
    assert seen[0].language == "en" and seen[0].organisation == "Beispiel AG"
    assert result.stdout.splitlines() == [
        f"created {tmp_path / 'ws' / 'sambrief.yaml'}",
        f"next: put your exports into {tmp_path / 'ws' / 'data'} and run `sambrief build` in {tmp_path / 'ws'}",
    ]


def test_history_lines_and_json_come_from_the_listing(monkeypatch):
    record = PeriodRecord(
        "2026-10",
        "2026-11-02 08:00",
        "2026-10-31",
        ["management"],
        "abc",
        {"cloud_sprawl.seats_idle": 387.0, "risk.exposure_total": 620832.5},
    )
    listing = HistoryListing(
        "de",
        [record],
        [PeriodLine("2026-10", "2026-11-02 08:00", ["Risiko 620.833\u00a0€", "ungenutzte Lizenzen 387"])],
    )
    monkeypatch.setattr(history_command, "list_history", lambda config=None: listing)
    text = runner.invoke(app, ["history"])
    assert text.exit_code == 0
    assert text.stdout.strip() == "2026-10  erstellt 2026-11-02 08:00  Risiko 620.833\u00a0€  ungenutzte Lizenzen 387"
    figures = json.loads(runner.invoke(app, ["history", "--json"]).stdout)[0]["figures"]
    assert figures == {"cloud_sprawl.seats_idle": 387, "risk.exposure_total": 620832.5}
    assert isinstance(figures["cloud_sprawl.seats_idle"], int)


def test_history_forget_of_an_unknown_period_exits_1(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no workspace here: English (the repository's example workspace is German)
    monkeypatch.setattr(
        history_command,
        "forget_period",
        lambda period, config=None, confirm=None: history_command.Forgotten(False, None),
    )
    result = runner.invoke(app, ["history", "forget", "2026-08"])
    assert result.exit_code == 1
    assert "2026-08 is not in the history (see `sambrief history`)" in result.stderr


def test_explain_passes_the_request_and_prints_lines_or_json(monkeypatch):
    seen = []

    def explain_figure(request):
        seen.append(request)
        return Explanation(["risk.exposure_total – licence gap (money), 2026-10"], {"figure": "risk.exposure_total"})

    monkeypatch.setattr(explain_command, "explain_figure", explain_figure)
    result = runner.invoke(app, ["explain", "risk.exposure_total", "--period", "2026-10", "--audience", "it"])
    assert result.stdout == "risk.exposure_total – licence gap (money), 2026-10\n"
    assert (seen[0].figure, seen[0].period, seen[0].audience) == ("risk.exposure_total", "2026-10", "it")
    assert json.loads(runner.invoke(app, ["explain", "risk.exposure_total", "--json"]).stdout) == {
        "figure": "risk.exposure_total"
    }
    runner.invoke(app, ["explain", "risk.exposure_total", "--list"])
    assert seen[-1].figure is None  # --list lists every figure


def test_explain_maps_an_unknown_figure_to_exit_1_without_a_traceback(monkeypatch):
    def explain_figure(request):
        raise ConfigError(["unknown figure 'risk.exposure'; did you mean risk.exposure_total?"])

    monkeypatch.setattr(explain_command, "explain_figure", explain_figure)
    result = runner.invoke(app, ["explain", "risk.exposure"])
    assert result.exit_code == 1
    assert "unknown figure 'risk.exposure'; did you mean risk.exposure_total?" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_template_inspect_prints_masters_layouts_and_roles(monkeypatch):
    info = {
        "path": "deck.potx",
        "slide_size_cm": [33.87, 19.05],
        "fonts": {"heading": "Arial", "body": "Arial"},
        "masters": [
            {
                "master": "Office",
                "layouts": [
                    {
                        "name": "Titel",
                        "placeholders": [
                            {
                                "idx": 0,
                                "type": "TITLE",
                                "left_cm": 1.0,
                                "top_cm": 2.0,
                                "width_cm": 30.0,
                                "height_cm": 3.0,
                            }
                        ],
                    }
                ],
            }
        ],
        "roles": {"title": {"layout": "Titel", "how": "by name"}},
    }
    monkeypatch.setattr(
        template_command, "inspect_template", lambda request: TemplateDescription(info, describe_lines(info))
    )
    result = runner.invoke(app, ["template", "inspect"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "deck.potx: 33.87 x 19.05 cm, fonts Arial / Arial",
        "master Office",
        "  layout 'Titel'",
        "    idx  0 TITLE         at 1.0, 2.0 cm, 30.0 x 3.0 cm",
        "roles:",
        "  title        -> 'Titel' (by name)",
    ]


def test_history_forget_asks_in_the_workspace_language_and_takes_its_yes(monkeypatch, tmp_path):
    # click's own confirm says [y/N] in every language; a German workspace is asked [j/N] and 'j' is a yes
    import types

    from sambrief.cli import history as history_cli

    (tmp_path / "sambrief.yaml").write_text("language: de\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(history_cli, "sys", types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True)))
    answers = []

    def forget_period(period, config=None, confirm=None):
        answers.append(confirm(tmp_path / "out" / period))
        return history_command.Forgotten(
            answers[-1], tmp_path / "out" / period if answers[-1] else None, declined=not answers[-1]
        )

    monkeypatch.setattr(history_command, "forget_period", forget_period)
    asked = runner.invoke(app, ["history", "forget", "2026-08"], input="j\n")
    assert "löschen? [j/N]" in asked.stdout and answers == [True]
    declined = runner.invoke(app, ["history", "forget", "2026-08"], input="n\n")
    assert answers == [True, False] and declined.exit_code == 1
    assert (
        history_cli.confirmed("Ja", "de")
        and history_cli.confirmed("yes", "en")
        and not history_cli.confirmed("j", "en")
    )
