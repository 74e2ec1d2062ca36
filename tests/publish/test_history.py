"""History, trends, the unattended run (lock, no-op, log file) and delivery to sponsors."""

from __future__ import annotations

import email
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, REPO, copy_built, copy_example, decks_only, write_workspace
from pptx import Presentation
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands.build import BuildRequest, build
from sambrief.config.workspace import load_settings
from sambrief.publish.history import History
from sambrief.publish.lock import workspace_lock

runner = CliRunner()


@pytest.fixture(scope="module")
def three_months(tmp_path_factory):
    ws = copy_example(tmp_path_factory.mktemp("months") / "ws")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
    results = {
        p: build(BuildRequest(config=ws / "sambrief.yaml", period=p, audience="all"))
        for p in ("2026-08", "2026-09", "2026-10")
    }
    mp.undo()
    return ws, results


def titles(result, key="management"):
    deck = next(p for p in result.written if p.parent.name == key and p.suffix == ".pptx")
    return [s.shapes.title.text for s in Presentation(deck).slides]


@pytest.mark.slow
def test_headlines_state_the_month_over_month_change(three_months):
    _, results = three_months
    figures = {p: r.briefings[0].figures for p, r in results.items()}
    aug, sep, octo = (figures[p]["risk.exposure_total"] for p in ("2026-08", "2026-09", "2026-10"))
    assert (aug, sep, octo) == (1021342.5, 822002.5, 620832.5)
    # September: 1,021,342.50 -> 822,002.50 = 199,340 less (19.5 %); October: 201,170 less (24.5 %).
    assert (
        "Nachlizenzierungsbedarf um 20\u00a0% gesunken: 199.340\u00a0€ weniger als im August"
        in titles(results["2026-09"])[2]
    )
    assert titles(results["2026-10"])[2] == (
        "Nachlizenzierungsbedarf um 24\u00a0% gesunken: 201.170\u00a0€ weniger als im September"
        " – noch 620.833\u00a0€ bei 16 Produkten"
    )
    idle = [results[p].briefings[0].figures["cloud_sprawl.seats_idle"] for p in ("2026-09", "2026-10")]
    assert titles(results["2026-10"])[3].startswith(
        f"387 ungenutzte Cloud-Lizenzen – {idle[0] - idle[1]} weniger als im September"
    )
    assert "2026-08" not in json.dumps(titles(results["2026-08"]))  # the first month states no change


@pytest.mark.slow
def test_trend_chart_only_from_the_third_month(three_months):
    _, results = three_months

    def trend(result):
        return [f for f in result.briefings[0].findings if f.theme == "trends"]

    assert trend(results["2026-08"]) == [] and trend(results["2026-09"]) == []
    [finding] = trend(results["2026-10"])
    assert finding.chart.kind == "line"
    assert finding.chart.values == (1021342.5, 822002.5, 620832.5)
    deck = next(p for p in results["2026-10"].written if p.parent.name == "management" and p.suffix == ".pptx")
    charts = [sh.chart for s in Presentation(deck).slides for sh in s.shapes if sh.has_chart]
    assert any("LINE" in str(c.chart_type) for c in charts)
    # each deck keeps its audience's slide limit (management's 11 leaves room for the trend slide beside the renewals)
    ws, _ = three_months
    limits = {key: audience.max_slides for key, audience in load_settings(ws / "sambrief.yaml").audiences.items()}
    decks = [p for p in results["2026-10"].written if p.suffix == ".pptx"]
    assert decks and all(len(Presentation(p).slides) <= limits[p.parent.name] for p in decks)


@pytest.mark.slow
def test_improvements_become_success_bullets(three_months):
    _, results = three_months
    management = results["2026-10"].briefings[0]
    assert "Nachlizenzierungsbedarf seit September um 201.170\u00a0€ gesenkt" in management.achieved
    successes = next(f for f in management.findings if f.theme == "successes")
    assert any("gesenkt" in b for b in successes.bullets)


@pytest.mark.slow
def test_intranet_and_one_pager_say_what_changed(three_months):
    _, results = three_months
    out = results["2026-10"].out_dir
    page = (out / "intranet" / "index.html").read_text("utf-8")
    assert (
        "Nachlizenzierungsbedarf: 201.170\u00a0€ weniger (24\u00a0%) seit September 2026, jetzt 620.833\u00a0€" in page
    )
    assert results["2026-10"].briefings[0].changes


@pytest.mark.slow
def test_history_lists_periods_and_rebuild_leaves_it_identical(three_months):
    ws, _ = three_months
    history = History(ws / ".sambrief" / "history.sqlite")
    assert [p.period for p in history.periods()] == ["2026-08", "2026-09", "2026-10"]
    before = {t: history.table_rows(t) for t in ("figures", "breakdowns", "sources")}
    result = runner.invoke(
        app,
        ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10", "--force", "-q"],
        env={"SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret"},
    )
    assert result.exit_code == 0, result.stderr
    assert {t: history.table_rows(t) for t in ("figures", "breakdowns", "sources")} == before
    listing = json.loads(runner.invoke(app, ["history", "--json", "--config", str(ws / "sambrief.yaml")]).stdout)
    assert [e["period"] for e in listing] == ["2026-08", "2026-09", "2026-10"]
    assert listing[-1]["figures"]["risk.exposure_total"] == 620832.5


@pytest.mark.slow
def test_unchanged_build_is_a_no_op(three_months):
    ws, results = three_months
    deck = next(p for p in results["2026-09"].written if p.suffix == ".pptx")
    stamp = deck.stat().st_mtime_ns
    result = runner.invoke(
        app,
        ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-09"],
        env={"SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret"},
    )
    assert result.exit_code == 0
    assert "seit dem letzten Erstellen von 2026-09 hat sich nichts geändert" in result.stdout
    # Under cron (no terminal) every line of the run carries the prefix, this one too.
    assert all(line.startswith("sambrief: ") for line in result.stdout.splitlines()), result.stdout
    assert deck.stat().st_mtime_ns == stamp


# A licence balance and a seat list in two departments, small enough to build every audience of the
# example's audiences.yaml in a fraction of the example's time: each audience charts something.
BALANCE_CSV = (
    "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n"
    "A;Alpha;10;12;100,00\nB;Beta;5;9;50,00\nC;Gamma;8;8;10,00\nD;Delta;1;4;30,00\n"
)
SEATS_CSV = "Benutzer;Produkt;Zugewiesen am;Letzte Aktivität;Abteilung;Stichtag\n" + "".join(
    f"p{i}@firma.example;{'Microsoft 365 E3' if i % 2 else 'Miro Business'};01.01.2025;"
    f"{'' if i % 3 == 0 else '20.10.2026'};{'Vertrieb' if i < 8 else 'Einkauf'};31.10.2026\n"
    for i in range(16)
)


@pytest.mark.usefixtures("no_deck_pdf")  # reads the history only
def test_a_departmental_build_adds_its_history_rows_and_keeps_the_others(tmp_path):
    config = MINIMAL_CONFIG.replace("prices:\n", "prices:\n  Microsoft 365 E3: 33,70\n  Miro Business: 8\n")
    audiences = (REPO / "audiences.yaml").read_text("utf-8")
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": BALANCE_CSV, "data/seats.csv": SEATS_CSV}, audiences)
    decks_only(ws)  # reads the history only: the decks are all it renders
    build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="all"))  # October, all audiences
    history = History(ws / ".sambrief" / "history.sqlite")
    before = {t: history.table_rows(t) for t in ("figures", "breakdowns")}
    assert {row[1] for row in before["breakdowns"]} == {"management", "itsm", "business", "it"}
    build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="business", department="Vertrieb"))
    after = {t: history.table_rows(t) for t in ("figures", "breakdowns")}
    for table in ("figures", "breakdowns"):
        assert [r for r in after[table] if r[1] != "business-vertrieb"] == before[
            table
        ]  # the company's rows, unchanged
        assert any(r[1] == "business-vertrieb" for r in after[table])
    build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="management", force=True))
    assert (
        history.table_rows("breakdowns") == after["breakdowns"]
    )  # rebuilding one audience keeps the departmental rows too


def test_forget_a_period_removes_its_figures_and_its_outputs(example_build_management, tmp_path):
    ws = copy_built(example_build_management, tmp_path / "ws")  # the example's October, management: one period
    out = ws / "out" / "2026-10"
    assert (out / "manifest.json").is_file()
    # Without a terminal to ask on, deleting outputs needs --yes: nothing is touched.
    refused = runner.invoke(app, ["history", "forget", "2026-10", "--config", str(ws / "sambrief.yaml")])
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert (out / "manifest.json").is_file() and History(ws / ".sambrief" / "history.sqlite").periods() != []
    result = runner.invoke(app, ["history", "forget", "2026-10", "--yes", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 0, result.stderr
    assert "2026-10 aus der Historie entfernt" in result.stdout and "Ausgaben in" in result.stdout
    assert History(ws / ".sambrief" / "history.sqlite").periods() == []
    assert not out.exists()
    assert not [p.name for p in (ws / "out").iterdir() if p.name.startswith(".")]
    again = runner.invoke(app, ["history", "forget", "2026-10", "--config", str(ws / "sambrief.yaml")])
    assert again.exit_code == 1


def test_schema_migrates_forward(tmp_path):
    path = tmp_path / "history.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    from sambrief.publish.history import MIGRATIONS

    for statement in MIGRATIONS[1]:  # a store written by the first schema version
        con.execute(statement)
    con.execute("INSERT INTO periods VALUES ('2026-01', 'x', '2026-01-31', '[]', 'f')")
    con.commit()
    con.close()
    history = History(path)
    assert [p.period for p in history.periods()] == ["2026-01"]
    with history.connect() as con:
        assert con.execute("SELECT value FROM meta").fetchone()[0] == "2"
        assert con.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0


def test_second_build_is_refused_while_one_runs(tmp_path):
    ws = copy_example(tmp_path / "ws")
    with workspace_lock(ws):
        result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 3
    assert "läuft gerade sambrief build" in result.stderr and "nichts wurde verändert" in result.stderr
    assert not (ws / "out").exists()


@pytest.mark.slow
def test_two_builds_started_together_leave_one_result(tmp_path):
    ws = copy_example(tmp_path / "ws")
    cmd = [sys.executable, "-m", "sambrief", "build", "--config", str(ws / "sambrief.yaml"), "-a", "management", "-q"]
    procs = [
        subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"SAMBRIEF_PSEUDONYM_KEY": "k", "PATH": "/usr/bin:/bin"},
        )
        for _ in range(2)
    ]
    outcomes = sorted((p.wait(timeout=300), p.stderr.read()) for p in procs)
    assert [code for code, _ in outcomes] == [0, 3], outcomes
    assert "läuft gerade sambrief build" in outcomes[1][1]
    assert len(list((ws / "out" / "2026-10" / "management").glob("*.pptx"))) == 1
    assert not list((ws / "out").rglob(".*.tmp"))


@pytest.mark.slow
def test_log_file_and_quiet(tmp_path):
    ws = copy_example(tmp_path / "ws")
    log = tmp_path / "sambrief.log"
    result = runner.invoke(
        app, ["build", "--config", str(ws / "sambrief.yaml"), "-a", "it", "--quiet", "--log-file", str(log)]
    )
    assert result.exit_code == 0 and result.stdout == ""
    text = log.read_text("utf-8")
    assert "INFO lese Quellen" in text and "INFO schreibe Ausgaben" in text  # the German workspace logs in German


# -- delivery against a real SMTP server on localhost -------------------------------------------
class Inbox:
    def __init__(self, refuse: set[str]):
        self.messages: list[email.message.Message] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox(refuse={"absent@muster-gmbh.example"})
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def delivery_workspace(tmp_path: Path, port: int, extra: str = "") -> Path:
    ws = copy_example(tmp_path / "ws")
    config = ws / "sambrief.yaml"
    config.write_text(
        config.read_text("utf-8")
        + f"""
deliver:
  smtp: {{host: 127.0.0.1, port: {port}, sender: lizenzmanagement@muster-gmbh.example}}
  recipients:
    management: [gf@muster-gmbh.example, cio@muster-gmbh.example{extra}]
    itsm: [itsm@muster-gmbh.example]
  subject:
    de: "Lagebild {{period_label}}: {{title}}"
""",
        encoding="utf-8",
    )
    return config


@pytest.mark.slow
def test_delivery_sends_each_recipient_one_mail_per_period(tmp_path, smtp):
    inbox, port = smtp
    config = delivery_workspace(tmp_path, port)
    result = runner.invoke(app, ["build", "--config", str(config), "--deliver"])
    assert result.exit_code == 0, result.stderr
    # itsm's channels (audiences.yaml) do not name mail: its recipients get nothing, and the run says so
    assert sorted(m["To"] for m in inbox.messages) == ["cio@muster-gmbh.example", "gf@muster-gmbh.example"]
    assert (
        "itsm: deliver.recipients.itsm ist gesetzt, aber mail steht nicht in den channels der Zielgruppe (audiences.yaml); "
        "dorthin wird nichts gesendet"
    ) in result.stderr
    mail = next(m for m in inbox.messages if m["To"] == "gf@muster-gmbh.example")
    assert mail["Subject"] == "Lagebild Oktober 2026: Lizenzmanagement – Lagebild für die Geschäftsführung"
    names = sorted(part.get_filename() for part in mail.walk() if part.get_filename())
    assert names == ["sambrief-management-2026-10.pdf", "sambrief-management-2026-10.pptx"]  # the deck as PDF and pptx
    again = runner.invoke(app, ["deliver", "--config", str(config)])
    assert again.exit_code == 0 and len(inbox.messages) == 2
    assert "2 schon zugestellt" in again.stdout
    resend = runner.invoke(app, ["deliver", "--config", str(config), "--resend", "-a", "management"])
    assert resend.exit_code == 0 and len(inbox.messages) == 4


@pytest.mark.slow
def test_failed_send_is_reported_per_recipient_and_keeps_the_log(tmp_path, smtp):
    inbox, port = smtp
    config = delivery_workspace(tmp_path, port, extra=", absent@muster-gmbh.example")
    assert runner.invoke(app, ["build", "--config", str(config), "-a", "management", "-q"]).exit_code == 0
    result = runner.invoke(app, ["deliver", "--config", str(config)])
    assert result.exit_code == 4
    assert "Briefing für management konnte nicht an absent@muster-gmbh.example gesendet werden" in result.stderr
    assert len(inbox.messages) == 2
    retry = runner.invoke(app, ["deliver", "--config", str(config)])
    assert retry.exit_code == 4 and len(inbox.messages) == 2  # the two that went out are not resent
    assert "2 schon zugestellt, 1 fehlgeschlagen" in retry.stdout


def test_delivery_config_is_validated(tmp_path):
    ws = copy_example(tmp_path / "ws")
    config = ws / "sambrief.yaml"
    config.write_text(
        config.read_text("utf-8")
        + "deliver:\n  smtp: {host: localhost, password: geheim}\n  recipients: {management: [kein-mail]}\n"
    )
    result = runner.invoke(app, ["check", "--config", str(config)])
    assert result.exit_code == 1
    assert "deliver.smtp.password: das Kennwort gehört nie in die Datei" in result.stderr
    assert "deliver.smtp.sender: fehlt" in result.stderr
    assert "deliver.recipients.management[0]: keine E-Mail-Adresse: 'kein-mail'" in result.stderr


def test_explain_defaults_to_the_period_build_would_use(example_build_management, tmp_path):
    """A newer output folder (a copy, a stray build) does not become explain's default while
    `build` without --period would take the newest month folder of the exports."""
    import shutil

    ws = copy_built(example_build_management, tmp_path / "ws")  # built for October, management
    shutil.copytree(ws / "out" / "2026-10", ws / "out" / "2026-12")
    result = runner.invoke(app, ["explain", "risk.exposure_total", "--json", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["period"] == "2026-10"


@pytest.mark.slow
def test_the_readme_recipe_gives_october_its_trend_without_force(tmp_path):
    """Quick start builds October; then August, September and October in order. August and
    September say October is out of date; October is rebuilt (not "nothing changed") and now
    has its month-over-month headlines and trend slide."""
    ws = copy_example(tmp_path / "ws")
    config = str(ws / "sambrief.yaml")
    env = {"SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret"}
    first = runner.invoke(app, ["build", "--config", config, "--audience", "management"], env=env)
    assert first.exit_code == 0, first.stderr
    before = titles(type("R", (), {"written": list((ws / "out" / "2026-10").rglob("*.pptx"))})())
    august = runner.invoke(
        app, ["build", "--config", config, "--audience", "management", "--period", "2026-08"], env=env
    )
    assert august.exit_code == 0
    assert "2026-10 beruht auch auf den Zahlen von 2026-08 und ist jetzt veraltet" in august.stderr
    assert (
        runner.invoke(
            app, ["build", "--config", config, "--audience", "management", "--period", "2026-09"], env=env
        ).exit_code
        == 0
    )
    october = runner.invoke(
        app, ["build", "--config", config, "--audience", "management", "--period", "2026-10"], env=env
    )
    assert october.exit_code == 0, october.stderr
    assert "nichts geändert" not in october.stdout
    after = titles(type("R", (), {"written": list((ws / "out" / "2026-10").rglob("*.pptx"))})())
    assert after != before and any("September" in t for t in after)
    again = runner.invoke(
        app, ["build", "--config", config, "--audience", "management", "--period", "2026-10"], env=env
    )
    assert "nichts geändert" in again.stdout  # and now it is current
