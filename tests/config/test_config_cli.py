"""Issue 14: every configuration and command-line mistake a new user makes, with its exact
message and exit code; the schema shipped for editors; message levels under --strict."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, REPO, copy_built, copy_example, write_workspace
from typer.testing import CliRunner

from sambrief.cli.app import app

# The tests here read what is printed, logged and written as configuration, never a deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

runner = CliRunner()
GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"


def run(*args: str, cwd: Path | None = None, env: dict[str, str | None] | None = None):
    old = os.getcwd()
    try:
        os.chdir(cwd or old)
        return runner.invoke(app, list(args), env=env)
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    """A workspace as `sambrief init` leaves it (German), made once: tests take a copy with `fresh`."""
    ws = tmp_path_factory.mktemp("init") / "new"
    result = run("init", str(ws))
    assert result.exit_code == 0, result.stderr
    return ws


def fresh(initialised: Path, dest: Path) -> Path:
    return shutil.copytree(initialised, dest, symlinks=True)


def ws_with(tmp_path: Path, extra: str = "", files: dict | None = None, audiences: str | None = None) -> Path:
    return write_workspace(
        tmp_path / "ws", MINIMAL_CONFIG + extra, {"data/l.csv": GOOD_CSV, **(files or {})}, audiences
    )


def test_misspelled_nested_keys_are_named_with_line_and_closest_key(tmp_path: Path):
    config = MINIMAL_CONFIG.replace(
        "contact: {team: Lizenzmanagement, email: lm@test.example}",
        "contact: {team: Lizenzmanagement, e-mail: lm@test.example}",
    )
    ws = write_workspace(tmp_path / "ws", config + "thresholds: {inactive_day: 60}\n", {"data/l.csv": GOOD_CSV})
    result = run("check", cwd=ws)
    assert result.exit_code == 1
    assert result.stderr == (
        "Fehler: 2 Probleme in der Konfiguration:\n"
        "  - sambrief.yaml:3: contact.e-mail: unbekannter Schlüssel (gemeint ist wohl 'email')\n"
        "  - sambrief.yaml:10: thresholds.inactive_day: unbekannter Schlüssel (gemeint ist wohl 'inactive_days')\n"
    )


def test_duplicate_keys_are_reported(tmp_path: Path):
    ws = ws_with(tmp_path, "prices: {Produkt C: 5}\n")
    result = run("check", cwd=ws)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Fehler: sambrief.yaml:10: prices: doppelter Schlüssel (zuerst in Zeile 7); "
        "der spätere würde stillschweigend gelten, einen entfernen"
    )


def test_german_decimals_are_prices(tmp_path: Path):
    from sambrief.config.workspace import load_settings

    config = MINIMAL_CONFIG.replace(
        "prices:\n  Produkt A: 10\n  Produkt B: 20\n", 'prices: {Microsoft 365 E3: 33,70, Visio Plan 2: "1.234,50"}\n'
    )
    ws = write_workspace(tmp_path / "ws", config + "limits: {file_mb: 2,5, rows: 100000}\n", {})
    settings = load_settings(ws / "sambrief.yaml")
    assert settings.seat_prices == {"Microsoft 365 E3": 33.70, "Visio Plan 2": 1234.50}
    assert (settings.limits.file_mb, settings.limits.rows, settings.limits.columns) == (
        2.5,
        100000,
        1000,
    )  # others keep defaults


def test_broken_news_and_concept_fail_check(tmp_path: Path):
    ws = ws_with(
        tmp_path,
        files={"news.yaml": "items:\n  - date: 2026-13-01\n    titel: Neu\n", "concept.yaml": "schedule_day: 40\n"},
    )
    result = run("check", cwd=ws)
    assert result.exit_code == 1
    assert result.stderr == (
        "Fehler: 4 Probleme in der Konfiguration:\n"
        "  - news.yaml:2: items[0].date: kein Datum: '2026-13-01' (JJJJ-MM-TT verwenden)\n"
        "  - news.yaml:2: items[0].title: fehlt\n"
        "  - news.yaml:3: items[0].titel: unbekannter Schlüssel (gemeint ist wohl 'title')\n"
        "  - concept.yaml:1: schedule_day: darf höchstens 28 sein, nicht 40\n"
    )


def test_audience_problems_are_reported_against_audiences_yaml(tmp_path: Path):
    ws = ws_with(tmp_path, audiences="audiences:\n  management:\n    themes: [risk]\n    cadense: monthly\n")
    result = run("audiences", cwd=ws)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "Fehler: audiences.yaml:4: audiences.management.cadense: unbekannter Schlüssel (gemeint ist wohl 'cadence')"
    )


def test_usage_errors_exit_2_with_suggestion_before_any_work(tmp_path: Path):
    ws = ws_with(tmp_path)
    # A German workspace: every usage error in German with one label, decided before the
    # configuration is read (click's own errors too).
    cases = [
        (
            ("build", "--period", "10/2026"),
            "Fehler: --period: erwartet wird ein Zeitraum als JJJJ-MM, nicht '10/2026' (gemeint ist wohl 2026-10)",
        ),
        (
            ("build", "--audience", "managment"),
            "Fehler: --audience: unbekannte Zielgruppe 'managment' (gemeint ist wohl 'management'; bekannt: management, itsm, business, it, all)",
        ),
        (("build", "--lang", "dt"), "Fehler: --lang: unbekannte Sprache 'dt' (bekannt: de, en)"),
        (("plan", "--lang", "english"), "Fehler: --lang: unbekannte Sprache 'english' (bekannt: de, en)"),
        (("check", "--config", "nope.yaml"), "Fehler: --config: Datei nicht gefunden: nope.yaml"),
        (("inspect", "missing.csv"), "Fehler: missing.csv: Datei nicht gefunden"),
        (
            ("deliver", "--period", "2026-13"),
            "Fehler: --period: erwartet wird ein Zeitraum als JJJJ-MM, nicht '2026-13'",
        ),
        (
            ("build", "--audiance", "management"),
            "Fehler: unbekannte Option --audiance (gemeint ist wohl --audience); Hilfe: sambrief build -h",
        ),
        (("bild",), "Fehler: unbekannter Befehl bild (gemeint ist wohl build); Hilfe: sambrief -h"),
    ]
    for args, message in cases:
        result = run(*args, cwd=ws)
        assert (result.exit_code, result.stderr.strip()) == (2, message), args
    assert not (ws / "out").exists() and not (ws / ".sambrief" / "build.lock").exists()


def test_check_warns_about_placeholders_and_unused_prices(initialised: Path, tmp_path: Path):
    from vendor_fixtures import m365_active_users_csv

    fresh(initialised, tmp_path / "new")
    (tmp_path / "new" / "data" / "m365.csv").write_bytes(m365_active_users_csv())
    cfg = tmp_path / "new" / "sambrief.yaml"
    cfg.write_text(
        cfg.read_text("utf-8").replace("prices: {}", "prices: {Microsoft 365 E3: 33,70, Mircosoft 365 E5: 54,75}"),
        encoding="utf-8",
    )
    result = run("check", "--json", cwd=tmp_path / "new")
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["warnings"][:4] == [
        "organisation: 'Muster AG (Platzhalter)' ist der Platzhalter aus `sambrief init`; den Namen des Unternehmens in sambrief.yaml eintragen",
        "contact.team: 'Lizenzmanagement' ist der Platzhalter aus `sambrief init`; das Lizenzmanagement-Team in sambrief.yaml benennen",
        "contact.email: 'lizenzmanagement@example.com' ist eine Platzhalter-Adresse; das Team-Postfach in sambrief.yaml eintragen (es steht auf der Schlussfolie)",
        "prices.Mircosoft 365 E5: kein Export enthält dieses Produkt, der Eintrag wirkt nicht; gemeint ist wohl 'MICROSOFT 365 E5'",
    ]
    assert "m365.csv: 1 Zeile ausgelassen (gelöschter Benutzer)" in " ".join(report["information"])
    plain = run("check", cwd=tmp_path / "new")
    assert plain.exit_code == 0
    assert "Warnung: organisation: 'Muster AG (Platzhalter)' ist der Platzhalter" in plain.stderr
    assert plain.stdout.strip().endswith("Konfiguration in Ordnung: 4 Zielgruppen, 5 Quelldateien")


def test_check_json_reports_config_errors(tmp_path: Path):
    """In the workspace's language, as the plain lines and the JSON's warnings say them."""
    ws = ws_with(tmp_path, "colour: blue\n")
    result = run("check", "--json", cwd=ws)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "ok": False,
        "errors": [
            "sambrief.yaml:10: colour: unbekannte Einstellung (bekannt: organisation, currency, language, contact, sources, thresholds, "
            "prices, output, templates, template, layouts, brand, audiences, news, intranet, concept, history, lifecycle, privacy, deliver, limits)"
        ],
    }


def test_audiences_json(tmp_path: Path):
    result = run("audiences", "--json", cwd=ws_with(tmp_path))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [a["key"] for a in data] == ["management", "itsm", "business", "it"]
    assert data[0]["themes"] == ["risk", "cloud_sprawl", "successes", "opportunities", "open_issues", "renewals"]


@pytest.mark.slow
def test_strict_passes_on_example_with_m365_deleted_users(tmp_path: Path):
    from vendor_fixtures import m365_active_users_csv

    ws = copy_example(tmp_path / "ws")
    (ws / "examples" / "data" / "2026-10" / "m365-active.csv").write_bytes(m365_active_users_csv())
    result = run("build", "--strict", "--period", "2026-10", cwd=ws)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"Hinweis: {ws / 'examples' / 'data' / '2026-10' / 'm365-active.csv'}: 1 Zeile ausgelassen (gelöschter Benutzer)"
    )
    assert all(line.startswith("Hinweis: ") for line in lines), (
        lines
    )  # information only, e.g. a one-pager text shortened
    assert "sambrief: fertig, 4 Briefings, 0 Warnungen" in result.stdout


@pytest.mark.slow  # renders the concept deck and one-pager of a fresh workspace; test_plan renders the plan in the fast tier
def test_plan_strict_on_fresh_workspace(initialised: Path, tmp_path: Path):
    fresh(initialised, tmp_path / "new")
    result = run("plan", "--strict", cwd=tmp_path / "new")
    assert result.exit_code == 0, result.stderr
    assert "Warnung" not in result.stderr


def test_config_found_in_a_folder_above(tmp_path: Path):
    ws = ws_with(tmp_path)
    (ws / "data" / "deep").mkdir()
    result = run("audiences", cwd=ws / "data" / "deep")
    assert result.exit_code == 0
    assert result.stdout.startswith("management: ")


def test_init_writes_gitignore(tmp_path: Path):
    assert run("init", str(tmp_path / "new")).exit_code == 0
    assert (tmp_path / "new" / ".gitignore").read_text("utf-8") == "out/\n.sambrief/\n"


def test_template_inspect_without_file_uses_the_workspace_template(tmp_path: Path):
    result = run("template", "inspect", "--json", cwd=ws_with(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["path"].endswith("deck.pptx")


def test_schema_is_current_and_printed():
    from sambrief.config.schema import config_json_schema

    shipped = (REPO / "src" / "sambrief" / "defaults" / "sambrief.schema.json").read_text("utf-8")
    assert json.loads(shipped) == config_json_schema(), (
        "the shipped schema is stale; run: .venv/bin/python tools/update_schema.py"
    )
    result = run("schema")
    assert json.loads(result.stdout)["properties"]["prices"]["additionalProperties"]["anyOf"][1]["type"] == "string"


def test_version_short_flag_and_completion():
    assert run("-V").stdout == f"sambrief {__import__('sambrief').__version__}\n"
    help_text = run("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text


def test_help_has_examples_and_readable_metavars():
    from typer.main import get_command

    for name in get_command(app).commands:
        text = run(name, "--help").stdout
        assert "Example" in text, name
        for bad in ("<bool>", "<list[", "{file}", "<str>", "<path>"):
            assert bad not in text, (name, bad)


def test_outside_a_workspace_usage_errors_follow_the_locale(tmp_path: Path):
    """No workspace: the system locale decides (LC_ALL, LC_MESSAGES, LANG), else English."""
    import os

    locale = {k: None for k in os.environ if k.startswith("LC_") or k == "LANG"}  # unset, then as each case says
    for case, (env, expected) in enumerate(
        (
            ({"LANG": "de_DE.UTF-8"}, "Fehler: unbekannter Befehl bild (gemeint ist wohl build); Hilfe: sambrief -h"),
            (
                {"LC_ALL": "C", "LANG": "de_DE.UTF-8"},
                "Error: no such command bild (did you mean build?); help: sambrief -h",
            ),
            ({"LANG": ""}, "Error: no such command bild (did you mean build?); help: sambrief -h"),
        )
    ):
        if case == 0:  # once as a shell starts it: the installed command in a process of its own
            proc = subprocess.run(
                [str(Path(sys.executable).with_name("sambrief")), "bild"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                env={**{k: v for k, v in os.environ.items() if k not in locale}, **env},
            )
            assert (proc.returncode, proc.stderr.strip()) == (2, expected), env
        else:  # the same command line in this process (the language is read from the environment per run)
            result = run("bild", cwd=tmp_path, env={**locale, **env})
            assert (result.exit_code, result.stderr.strip()) == (2, expected), env


def test_help_imports_only_typer_and_rich():
    code = (
        "import sys; sys.argv=['sambrief','--help']\ntry:\n import sambrief.cli.app as c; c.main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas','pptx','pydantic','yaml','openpyxl','numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_history_in_workspace_locale_and_whole_counts_in_json(example_build_management, tmp_path: Path):
    ws = copy_built(example_build_management, tmp_path / "ws")  # `build --period 2026-10 --audience management`
    text = run("history", cwd=ws)
    assert text.exit_code == 0
    line = text.stdout.strip().splitlines()[-1]
    assert line.startswith("2026-10  erstellt ")
    assert "Risiko 620.833\u00a0€" in line and "ungenutzte Lizenzen 387" in line
    listing = json.loads(run("history", "--json", cwd=ws).stdout)
    figures = listing[-1]["figures"]
    assert figures["cloud_sprawl.seats_idle"] == 387 and isinstance(figures["cloud_sprawl.seats_idle"], int)
    assert figures["risk.exposure_total"] == 620832.5


@pytest.mark.slow
def test_nothing_posix_only_on_the_main_path(tmp_path: Path):
    # Windows has no fcntl: with it missing, the CLI, the pipeline and the workspace lock still work
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import sambrief.cli.app, sambrief.commands.stages\n"
        "from sambrief.publish.lock import workspace_lock\n"
        f"with workspace_lock(__import__('pathlib').Path({str(tmp_path)!r})): print('locked')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "locked"
    assert "fcntl" not in (REPO / "src" / "sambrief" / "publish" / "lock.py").read_text("utf-8").split('"""', 2)[2]


def test_wrong_types_say_what_is_expected(tmp_path: Path):
    config = """\
language: en  # an English workspace: the English texts
organisation: X
contact: {team: T}
sources: data/*.csv
prices: 5
audiences: [a]
privacy: {min_group_size: 1}
deliver: {smtp: {host: h, port: abc, sender: a@b.example}, recipient: {}}
limits: {rows: -1, cells: "1.000.000"}
layouts: {chrt: X}
"""
    ws = write_workspace(tmp_path / "ws", config, {})
    result = run("check", cwd=ws)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 8 problems in the configuration:\n"
        "  - sambrief.yaml:4: sources: expected a list of export paths or globs, e.g. `- data/*.csv`, got text\n"
        "  - sambrief.yaml:5: prices: expected a mapping of product: monthly price per seat, got a number\n"
        "  - sambrief.yaml:6: audiences: expected the path of the audiences file, e.g. audiences.yaml, got a list\n"
        "  - sambrief.yaml:7: privacy.min_group_size: must be at least 2, got 1\n"
        "  - sambrief.yaml:8: deliver.smtp.port: expected a whole number, got 'abc'\n"
        "  - sambrief.yaml:8: deliver.recipient: unknown key (did you mean 'recipients'?)\n"
        "  - sambrief.yaml:9: limits.rows: expected a positive whole number, got -1\n"
        "  - sambrief.yaml:10: layouts.chrt: unknown slide role (did you mean 'chart'?)\n"
    )


def test_every_command_line_and_configuration_error_in_a_german_workspace_is_german(tmp_path: Path):
    """Each error a German workspace can meet before reading an export: usage (ours and click's),
    configuration (schema, references, YAML, types), explain and history. No English word after
    'Fehler:', and 'Error:' never appears."""
    import re

    english = re.compile(
        r"\b(unknown|expected|did you mean|not found|got|is required|no such|invalid|missing|"
        r"must be|duplicate|help|known|run|file|period|figure)\b",
        re.IGNORECASE,
    )
    ws = ws_with(tmp_path)
    cases = [
        ("build", "--audiance", "x"),
        ("bild",),
        ("build", "--period", "2026-13"),
        ("build", "--lang", "fr"),
        ("build", "--audience", "board"),
        ("check", "--config", "nope.yaml"),
        ("inspect", "nope.csv"),
        ("explain", "risk.exposur"),
        ("explain", "risk.exposure_total"),
        ("history", "forget", "2031-01", "--yes"),
        ("template", "inspect", "nope.pptx"),
        ("deliver", "--period", "13/2026"),
    ]
    configs = [
        "thresholds: {inactive_days: neunzig}\n",
        "curency: EUR\n",
        "prices: {A: -1}\n",
        "limits: {rows: 0}\n",
        "layouts: {chrt: X}\n",
        "sources: data/*.csv\n",
        "template: fehlt.pptx\n",
        "x: [\n",
    ]
    outputs = []
    for args in cases:
        result = run(*args, cwd=ws)
        outputs.append((args, result.exit_code, result.stderr))
    config = ws / "sambrief.yaml"
    original = config.read_text("utf-8")
    for extra in configs:
        config.write_text(original + extra, "utf-8")
        result = run("check", cwd=ws)
        outputs.append((extra, result.exit_code, result.stderr))
    config.write_text(original, "utf-8")
    for what, code, stderr in outputs:
        assert code in (1, 2), (what, stderr)
        assert stderr.startswith("Fehler: ") and "Error:" not in stderr, (what, stderr)
        # file names, keys and values are the user's own words: compare only the sentence around them
        # (and the YAML parser's own report, which it words itself)
        sentence = re.sub(
            r"'[^']*'|`[^`]*`|\S+\.(yaml|csv|pptx)\b|--?\w[\w-]*|\b[\w.]+_[\w.]+\b|Meldung des YAML-Parsers: [^)]*",
            "",
            stderr,
        )
        assert not english.search(sentence), (what, stderr)


# Words of the English messages; none of them is a German word, a layout key or a field name.
ENGLISH_INPUT = re.compile(
    r"\b(the|is|are|has|have|which|of|or|and|not|no|with|than|such as|one of|column|row|rows|values?|header|again|cells?|"
    r"sheet|workbook|table|limit|exceeds|inflates?|spans|more|nearest|known|required|missing|correct|cannot|read|fix|remove|"
    r"file|files|folder|date|dates|numbers?|negative|beyond|before|after|mixes|quote|without|add|pin|map|fields|shifts|"
    r"equally|data|build|list offers|did you mean|run|unknown|expected|invalid|see)\b",
    re.IGNORECASE,
)


def _xlsx(rows: list[list], change: dict[str, object] | None = None) -> bytes:
    """A workbook of one sheet 'Lizenzen'; `change` rewrites or adds parts of its zip (part -> bytes function, or None to
    leave it out)."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Lizenzen"
    for row in rows:
        wb.active.append(row)
    data = io.BytesIO()
    wb.save(data)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            edit = (change or {}).get(item.filename, lambda content: content)
            if edit is not None:
                dst.writestr(item, edit(src.read(item)))  # type: ignore[operator]
        for part, edit in (change or {}).items():
            if part not in src.namelist() and edit is not None:
                dst.writestr(part, edit(b""))  # type: ignore[operator]
    return out.getvalue()


def _broken_sheet(rows: list[list]) -> bytes:
    """A workbook whose sheet's compressed bytes are damaged (its directory is intact)."""
    data = bytearray(_xlsx(rows + [[f"Hersteller {i}", f"Produkt {i}", i, i] for i in range(200)]))
    name = b"xl/worksheets/sheet1.xml"
    start = data.index(name) + len(name) + 40  # inside the deflated data after its local header
    data[start : start + 200] = bytes(200)
    return bytes(data)


def test_every_input_error_in_a_german_workspace_is_german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each refusal of an export (layout, cells, rows, limits, workbook, --period, product-name
    table) through the real command line of a German workspace: one line after 'Fehler:', naming
    the file, and no English word in the sentence around the user's own words (the export's
    headers and cells, keys, paths and a library's own report)."""
    header = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\n"
    seats = "Benutzer;Produkt;Zugewiesen am;Letzte Aktivität;Abteilung;Stichtag\n"
    rows = [["Hersteller", "Produkt", "Lizenzbestand", "Lizenzbedarf"], ["A", "Produkt A", 10, 12]]
    ritm = "number,cat_item,sys_created_on,closed_at,state\n"
    from sambrief.commands.init import register_workbook as register

    pad = b" " * (1024 * 1024 + 10)
    cases: dict[str, tuple[dict, str, tuple[str, ...]]] = {  # name: (files, config extra, build arguments)
        "header only": ({"data/l.csv": header}, "", ()),
        "no layout": ({"data/x.csv": "Foo;Bar;Baz\n1;2;3\n"}, "", ()),
        "required column": ({"data/l.csv": "Hersteller;Lizenzbestand;Lizenzbedarf\nA;1;2\n"}, "", ()),
        "one of two columns": ({"data/l.csv": "Hersteller;Produkt;Lizenzbedarf;Einzelpreis\nA;P;2;10\n"}, "", ()),
        "identifying columns": (
            {
                "data/mailbox.csv": "Report Refresh Date,User Principal Name,Display Name,Last Activity Date,"
                "Storage Used (Byte),Report Period\n2026-10-31,a@x.example,A,2026-10-20,1,90\n"
            },
            "",
            (),
        ),
        "not numbers": (
            {"data/l.csv": header + "".join(f"A;P{i};{'x' if i % 2 else i};1\n" for i in range(10))},
            "",
            (),
        ),
        "not dates": ({"data/s.csv": "Benutzer;Produkt;Letzte Aktivität\nu1;A;gestern\n"}, "", ()),
        "not yes or no": (
            {
                "data/u.csv": "Benutzerprinzipalname;Abteilung;Anmeldung blockiert;Lizenzen\na@x.example;IT;vielleicht;E3\n"
            },
            "",
            (),
        ),
        "not in the drop-down": (
            {
                "data/actions.xlsx": register(
                    "actions",
                    "de",
                    [
                        [
                            "M-01",
                            "Nachlizenzierung klären",
                            "Lizenzrisiko",
                            "ofen",
                            None,
                            "Lizenzmanagement",
                            None,
                            None,
                            None,
                        ]
                    ],
                )
            },
            "",
            (),
        ),
        "negative": ({"data/l.csv": header + "A;Produkt A;-5;12\n"}, "", ()),
        "number too large": ({"data/l.csv": header + "A;Produkt A;1000000000000000000000;12\n"}, "", ()),
        "date out of range": (
            {"data/s.csv": seats + "a@x.example;Produkt A;01.01.2026;31.12.9999;IT;31.10.2026\n"},
            "",
            (),
        ),
        "dates both ways": (
            {
                "data/ritm.csv": ritm + "R1,Visio,2026-06-01 9:00,6/5/26 16:45,Closed Complete\n"
                "R2,Visio,2026-06-01 9:00,6/8/26 9:05,Closed Complete\n"
            },
            "",
            (),
        ),
        "dates mixed": (
            {
                "data/ritm.csv": ritm + "R1,Visio,2026-06-01 9:00,13/5/26 16:45,Closed Complete\n"
                "R2,Visio,2026-06-01 9:00,6/15/26 9:05,Closed Complete\n"
            },
            "",
            (),
        ),
        "wider rows": ({"data/l.csv": header + "".join(f"A;Visio; Pro {i};10;12\n" for i in range(5))}, "", ()),
        "rows limit": ({"data/l.csv": header + "".join(f"A;P{i};1;1\n" for i in range(5))}, "limits: {rows: 3}\n", ()),
        "columns limit": ({"data/l.csv": header + "A;P;1;1\n"}, "limits: {columns: 3}\n", ()),
        "cells limit": ({"data/l.csv": header + "A;P;1;1\nB;Q;2;2\n"}, "limits: {cells: 5}\n", ()),
        "file limit": ({"data/l.csv": header + "A;P;1;1\n" * 150_000}, "limits: {file_mb: 1}\n", ()),
        "sheet limit": (
            {
                "data/l.xlsx": _xlsx(
                    rows, {"xl/worksheets/sheet1.xml": lambda x: x.replace(b"</sheetData>", pad + b"</sheetData>")}
                )
            },
            "limits: {sheet_xml_mb: 1}\n",
            (),
        ),
        "shared strings limit": (
            {"data/l.xlsx": _xlsx(rows, {"xl/sharedStrings.xml": lambda x: b"<sst>" + pad + b"</sst>"})},
            "limits: {sheet_xml_mb: 1}\n",
            (),
        ),
        "workbook without its parts": ({"data/l.xlsx": _xlsx(rows, {"xl/workbook.xml": None})}, "", ()),
        "damaged sheet": ({"data/l.xlsx": _broken_sheet(rows)}, "", ()),
        "period without data": (
            {"data/s.csv": seats + "a@x.example;Produkt A;01.01.2026;15.10.2026;IT;31.10.2026\n"},
            "",
            ("--period", "2026-08"),
        ),
        "period without folder": (
            {"data/2026-10/l.csv": header + "A;Produkt A;1;2\n", "data/actions.xlsx": register("actions", "de")},
            "",
            ("--period", "2026-07"),
        ),
        "product-name table": (
            {"data/l.csv": header + "A;Produkt A;1;2\n", "product_names/skus.csv": "SKU,Name\nX,Y\n"},
            "",
            (),
        ),
        "several layouts fit": ({"data/l.csv": header + "A;Produkt A;1;2\n"}, "", ()),
    }
    from dataclasses import replace

    from sambrief.ingest import layouts

    outputs = []
    for name, (files, extra, args) in cases.items():
        config = MINIMAL_CONFIG + extra
        if name == "period without folder":
            config = config.replace("  - data/*.csv\n", "  - data/{period}/*.csv\n")
        with monkeypatch.context() as patch:
            if name == "several layouts fit":  # a second layout reading the same header otherwise
                base = layouts.registry()["generic_license_position_de"]
                twin = replace(
                    base,
                    key="generic_twin",
                    columns=tuple(
                        replace(r, field={"product": "publisher", "publisher": "product"}.get(r.field, r.field))
                        for r in base.columns
                    ),
                )
                patch.setattr(
                    "sambrief.ingest.detect.registry", lambda twin=twin: {**layouts.registry(), "generic_twin": twin}
                )
            ws = write_workspace(tmp_path / name.replace(" ", "-"), config, files)
            result = run("build", "--config", str(ws / "sambrief.yaml"), *args)
        outputs.append((name, ws, result))
    inspect_ws = write_workspace(tmp_path / "inspect", MINIMAL_CONFIG, {"data/x.csv": "Foo;Bar;Baz\n1;2;3\n"})
    inspected = run("inspect", "data/x.csv", cwd=inspect_ws)
    assert inspected.exit_code == 1
    for name, ws, result in outputs:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.exit_code == 1 and len(lines) == 1, (name, result.stderr)
        assert lines[0].startswith("Fehler: ") and "Traceback" not in result.stderr, (name, lines)
        assert str(ws) in lines[0] or "--period" in lines[0], (name, lines)  # names the file (or the option)
        assert not (ws / "out").exists(), name
        sentence = _without_own_words(lines[0])
        assert not ENGLISH_INPUT.search(sentence), (name, lines[0], ENGLISH_INPUT.search(sentence))
    problem = inspected.stdout.splitlines()[1]
    assert problem.startswith("  Problem: ") and not ENGLISH_INPUT.search(_without_own_words(problem)), problem
    # a file no layout fits beside readable ones is skipped with a warning naming what its header lacks
    skipping = write_workspace(
        tmp_path / "skipped",
        MINIMAL_CONFIG,
        {
            "data/l.csv": header + "A;Produkt A;1;2\n",
            "data/ohne_produkt.csv": "Hersteller;Lizenzbestand;Lizenzbedarf\nA;1;2\n",
        },
    )
    result = run("build", "--dry-run", "--config", str(skipping / "sambrief.yaml"))  # a warning of reading
    [warning] = [line for line in result.stderr.splitlines() if "ohne_produkt.csv" in line]
    assert result.exit_code == 0 and warning.startswith("Warnung: ") and "übersprungen" in warning, result.stderr
    assert not ENGLISH_INPUT.search(_without_own_words(warning)), warning


def _without_own_words(line: str) -> str:
    """The sentence around the user's own words: quoted headers and cells, keys, paths, options,
    identifiers, the canonical field names, the English labels of a register's list beside the
    German ones, and a library's own report, which it words itself."""
    return re.sub(
        r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*/\S*|--?\w[\w-]*|\b[\w.]+_[\w.]+\b|"
        r"kanonische Spalten: [^)]*|auf Englisch: [^;)]*|Meldung des [\w-]+: [^)]*",
        "",
        line,
    )


RUNTIME_AUDIENCES = """\
audiences:
  management: {title: {de: Lagebild}, themes: [risk], formats: [pptx], channels: [deck, mail, teams, slack, folder]}
  itsm: {title: {de: Freigaben}, themes: [risk], formats: [pptx], channels: [deck, teams]}
"""
# English words that no German message has; what the user, the system or a server wrote is taken out first
ENGLISH = re.compile(
    r"\b(the|is|are|not|no|and|or|of|to|for|with|cannot|could|another|running|refused|answered|reach|holds|"
    r"write|written|space|permission|denied|unknown|expected|found|run|again|file|try|nothing|has|sent|send|"
    r"failed|closed|connection|built|older|first|skipped|wrote|done|reading|writing|composing|rendering|"
    r"warnings?|error|note|unexpected|period|please|delivery|already|missing)\b",
    re.IGNORECASE,
)


def _sentence(line: str) -> str:
    """A line without the user's own words (paths, quoted values, keys, options) and the words
    others wrote that a message may quote: the system's or a server's (after 'Meldung ...:'), a
    webhook's answer after its HTTP status, an exception's text."""
    line = re.sub(r"Meldung[^:]*: [^);]*", "", line)
    line = re.sub(r"(HTTP \d{3}) \([^)]*\)", r"\1", line)
    line = re.sub(r"\(\w+Error: [^)]*\)", "", line)
    return re.sub(r"\S*[/\\]\S*|'[^']*'|`[^`]*`|--?\w[\w-]*|\b\w+[._][\w.]+\b", "", line)


@pytest.mark.slow  # a sweep of every runtime and delivery path; the fast tier checks the input and usage errors
def test_every_runtime_and_delivery_error_in_a_german_workspace_is_german(
    initialised: Path, tmp_path: Path, monkeypatch
):
    """Issue 25: the paths after the configuration, through the command line: the workspace lock,
    a full disk, a denied folder, a history that cannot be written, sources without their period,
    an empty workspace, a bug; delivery to an unreachable SMTP host, webhooks answering 4xx and
    5xx, a secret that is not set, a share that is not a folder, a period not built, no `deliver:`.
    Every line, progress and log included, is German: 'Fehler:', 'Warnung:', 'Hinweis:' or
    'sambrief:', and no English sentence around the quoted details."""
    import errno
    import sqlite3
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from sambrief.publish import output
    from sambrief.publish.history import History
    from sambrief.publish.lock import workspace_lock

    class Webhook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the standard library's name)
            self.rfile.read(int(self.headers["Content-Length"]))
            status, body = (
                (400, b"Bad Request: invalid card") if self.path == "/teams" else (503, b"Service Unavailable")
            )
            self.send_response(status)
            self.send_header("Retry-After", "3600")  # more than sambrief waits: fails at once
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Webhook)
    # a short poll interval: shutdown() below waits for the server's next poll (0.5 s by default)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = server.server_address[1]
    monkeypatch.setenv("SAMBRIEF_TEST_TEAMS", f"http://127.0.0.1:{port}/teams")
    monkeypatch.setenv("SAMBRIEF_TEST_SLACK", f"http://127.0.0.1:{port}/slack")
    monkeypatch.delenv("SAMBRIEF_TEST_UNSET", raising=False)
    monkeypatch.delenv("SAMBRIEF_SMTP_PASSWORD", raising=False)
    (tmp_path / "not-a-folder").write_text("x", "utf-8")
    deliver = f"""
deliver:
  smtp: {{host: 127.0.0.1, port: 1, sender: lm@test.example, timeout: 5}}
  recipients: {{management: [gf@test.example]}}
  teams:
    management: {{webhook_env: SAMBRIEF_TEST_TEAMS, link: "https://muster.sharepoint.com/{{period}}/{{audience}}"}}
    itsm: {{webhook_env: SAMBRIEF_TEST_UNSET, link: "https://muster.sharepoint.com/{{period}}/{{audience}}"}}
  slack:
    management: {{webhook_env: SAMBRIEF_TEST_SLACK, link: "https://muster.sharepoint.com/{{period}}/{{audience}}"}}
  folder:
    management: {tmp_path / "not-a-folder" / "share"}
"""
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG + deliver, {"data/l.csv": GOOD_CSV}, RUNTIME_AUDIENCES)
    config = ws / "sambrief.yaml"
    original = config.read_text("utf-8")
    log = tmp_path / "sambrief.log"
    outputs = []

    def case(what: str, code: int, *args: str) -> None:
        result = run(*args, "--config", str(config), cwd=ws)
        assert result.exit_code == code, (what, result.stdout, result.stderr)
        outputs.append((what, result.stdout, result.stderr))

    try:
        case("first build", 0, "build", "--period", "2026-10", "--log-file", str(log))
        case("check", 0, "check")
        case("history", 0, "history")
        case("forget a period never built", 1, "history", "forget", "2026-09", "--yes")
        case("every channel fails", 4, "deliver", "--period", "2026-10")
        case("period not built", 1, "deliver", "--period", "2026-09")
        with workspace_lock(ws, activity="delivery"):
            case("locked by a delivery", 3, "build", "--period", "2026-10", "--force")
        with workspace_lock(ws):
            case("locked by a build", 3, "deliver", "--period", "2026-10")
        real_write = os.write

        def full_disk(fd: int, data) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(output.os, "write", full_disk)
        case("disk full", 1, "build", "--period", "2026-10", "--force", "--log-file", str(log))
        monkeypatch.setattr(output.os, "write", real_write)
        real_mkdir = os.mkdir

        def denied(path, *args, **kwargs):
            if ".staging-" in str(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(output.os, "mkdir", denied)
        case("folder denied", 1, "build", "--period", "2026-10", "--force")
        monkeypatch.setattr(output.os, "mkdir", real_mkdir)

        def history_full(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        with monkeypatch.context() as patch:
            patch.setattr(History, "record", history_full)
            case("history not written", 1, "build", "--period", "2026-10", "--force")

        def bug(*args, **kwargs):
            raise RuntimeError("boom")

        with monkeypatch.context() as patch:
            patch.setattr("sambrief.commands.build.build", bug)
            case("a bug", 1, "build", "--period", "2026-10")

        config.write_text(original.replace("sender: lm@test.example", "sender: lm@test.example, user: lm"), "utf-8")
        case("SMTP password not set", 1, "deliver", "--period", "2026-10")
        config.write_text(MINIMAL_CONFIG, "utf-8")
        case("no deliver section", 1, "deliver", "--period", "2026-10")
        config.write_text(MINIMAL_CONFIG.replace("  - data/*.csv\n", "  - data/{period}/*.csv\n"), "utf-8")
        case("sources need a period", 1, "build")
        config.write_text(MINIMAL_CONFIG.replace("  - data/*.csv\n", "  - data/bilanz.csv\n"), "utf-8")
        case("source missing", 1, "build")
        config.write_text(
            MINIMAL_CONFIG.replace("  - data/*.csv\n  - data/*.xlsx\n", "  - data/keine/*.csv\n"), "utf-8"
        )
        case("no export files", 1, "build")
    finally:
        config.write_text(original, "utf-8")
        server.shutdown()
        server.server_close()
    fresh(initialised, tmp_path / "new")
    result = run("build", cwd=tmp_path / "new")
    assert result.exit_code == 1
    outputs.append(("empty workspace", result.stdout, result.stderr))

    failed = dict((what, stderr) for what, _, stderr in outputs)["every channel fails"]
    assert len([line for line in failed.splitlines() if line.startswith("Fehler: Briefing für")]) == 5, failed
    for what, stdout, stderr in outputs:
        for line in stderr.splitlines():  # one error label per language: never 'Error:' or 'Warning:'
            assert line.startswith(("Fehler: ", "Warnung: ", "Hinweis: ", "  - ")), (what, line)
            assert not ENGLISH.search(_sentence(line)), (what, line)
        for line in stdout.splitlines():
            assert not ENGLISH.search(_sentence(line)), (what, line)
    logged = log.read_text("utf-8").splitlines()
    assert any(" FEHLER " in line for line in logged) and not any(" ERROR " in line for line in logged), logged
    for line in logged:
        assert not ENGLISH.search(_sentence(line.split(" ", 3)[3])), line
