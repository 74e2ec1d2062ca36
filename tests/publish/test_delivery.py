"""Delivery once: addresses and subjects validated in `check`, one recipient's failure never
stops the others (exit 4), a retry sends only what failed, and two deliveries at the same time
never send anyone the mail twice. Against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email
import json
import os
import shutil
import socket
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.config.delivery import is_address
from sambrief.publish.lock import workspace_lock

runner = CliRunner()
CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"
AUDIENCES = """\
audiences:
  management: {title: {de: Lagebild}, themes: [risk], formats: [pptx], channels: [deck, onepager, mail]}
  itsm: {title: {de: Freigaben}, themes: [risk], formats: [pptx], channels: [deck, mail]}
"""


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.drop: set[str] = set()  # the server says 421 and the client closes the connection
        self.cut: set[str] = set()  # the connection is cut without a word (network, crash)
        self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.drop:
            return "421 service closing transmission channel"
        if address in self.cut:
            self.cut.discard(address)
            server.transport.abort()
            return None
        if address in self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def config_text(port: int, recipients: str, subject: str = '"Lagebild {period_label}: {title}"') -> str:
    return (
        MINIMAL_CONFIG
        + f"""
deliver:
  smtp: {{host: 127.0.0.1, port: {port}, sender: lizenzmanagement@test.example, timeout: 5}}
  recipients:
{recipients}
  subject:
    de: {subject}
"""
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The workspace built once for October (management and itsm decks); each test delivers from a copy
    with its own server and recipients (the delivery settings are read when delivering, not when building)."""
    ws = write_workspace(
        tmp_path_factory.mktemp("built") / "ws", config_text(1, RECIPIENTS), {"data/l.csv": CSV}, audiences=AUDIENCES
    )
    with pytest.MonkeyPatch.context() as mp:  # the autouse key fixture is per test
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    return ws


def workspace(built: Path, root: Path, port: int, recipients: str) -> Path:
    """A copy of the built workspace whose configuration delivers to `port` and `recipients`."""
    ws = shutil.copytree(built, root, symlinks=True)
    (ws / "sambrief.yaml").write_text(config_text(port, recipients), encoding="utf-8")
    return ws / "sambrief.yaml"


RECIPIENTS = """\
    management: [gf@test.example, drop@test.example, cio@test.example, absent@test.example]
    itsm: [itsm@test.example]"""


def test_address_validation_is_a_full_match():
    assert is_address("gf@muster-gmbh.example")
    for bad in [
        "nl@muster.example\n",
        "nl@muster.example\r\nBcc: x@evil.example",
        " gf@muster.example",
        "Name <gf@x.example>",
        "gf@x.example>",
        "a b@x.example",
        "gf@localhost",
        "gf@@x.example",
        "@x.example",
        "gf@",
        "",
    ]:
        assert not is_address(bad), bad


def test_check_rejects_a_recipient_with_a_final_newline_and_a_subject_with_a_line_break(tmp_path: Path):
    config = (
        MINIMAL_CONFIG
        + """
deliver:
  smtp: {host: 127.0.0.1, sender: lizenzmanagement@test.example}
  recipients:
    management: ["nl@muster.example\\n", gf@test.example]
  subject:
    de: "Lagebild\\r\\nBcc: x@evil.example"
"""
    )
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": CSV}, audiences=AUDIENCES)
    result = runner.invoke(app, ["check", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 1
    assert "deliver.recipients.management[0]: keine E-Mail-Adresse: 'nl@muster.example\\n'" in result.stderr
    assert "deliver.subject.de: ein Betreff ist eine Zeile; den Zeilenumbruch entfernen" in result.stderr


def test_check_rejects_a_placeholder_value_with_a_line_break(tmp_path: Path):
    config = (
        MINIMAL_CONFIG.replace("organisation: Test AG", 'organisation: "Test AG\\nBcc: x@evil.example"')
        + """
deliver:
  smtp: {host: 127.0.0.1, sender: lizenzmanagement@test.example}
  recipients: {management: [gf@test.example]}
"""
    )
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": CSV}, audiences=AUDIENCES)
    result = runner.invoke(app, ["check", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 1
    assert (
        "organisation: 'Test AG\\nBcc: x@evil.example' enthält einen Zeilenumbruch, den eine Mail in Betreff und Anrede "
        "nicht tragen kann; in eine Zeile schreiben"
    ) in result.stderr
    result = runner.invoke(app, ["deliver", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 1 and "enthält einen Zeilenumbruch" in result.stderr


def test_refused_and_dropped_recipients_never_stop_the_others_and_a_retry_sends_only_them(
    built: Path, tmp_path: Path, smtp
):
    inbox, port = smtp
    inbox.refuse, inbox.drop = {"absent@test.example"}, {"drop@test.example"}
    config = workspace(built, tmp_path / "ws", port, RECIPIENTS)
    result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 4
    assert inbox.to() == ["cio@test.example", "gf@test.example", "itsm@test.example"]
    assert (
        "Briefing für management konnte nicht an absent@test.example gesendet werden: abgelehnt: 550 mailbox unavailable"
        in result.stderr
    )
    assert (
        "Briefing für management konnte nicht an drop@test.example gesendet werden: abgelehnt: 421 service closing transmission channel"
        in result.stderr
    )
    assert "Versand: 3 gesendet, 0 schon zugestellt, 2 fehlgeschlagen" in result.stdout
    assert inbox.messages[0]["Subject"] == "Lagebild Oktober 2026: Lagebild"
    assert inbox.messages[0].get_all("To") == ["gf@test.example"]

    inbox.messages.clear()
    inbox.refuse, inbox.drop = set(), set()
    retry = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert retry.exit_code == 0, retry.stderr
    assert inbox.to() == ["absent@test.example", "drop@test.example"]  # only what failed
    assert "Versand: 2 gesendet, 3 schon zugestellt, 0 fehlgeschlagen" in retry.stdout


def test_unreachable_server_fails_every_recipient_with_exit_4(built: Path, tmp_path: Path, smtp):
    _, port = smtp
    config = workspace(built, tmp_path / "ws", port, "    management: [gf@test.example]")
    text = config.read_text("utf-8").replace(f"port: {port}", "port: 1")
    config.write_text(text, "utf-8")
    result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 4
    assert (
        "Fehler: Briefing für management konnte nicht an gf@test.example gesendet werden: 127.0.0.1:1 ist nicht erreichbar (Meldung: "
        in result.stderr
    )


def test_deliver_holds_the_workspace_lock(built: Path, tmp_path: Path, smtp):
    inbox, port = smtp
    config = workspace(built, tmp_path / "ws", port, "    management: [gf@test.example]")
    with workspace_lock(config.parent):  # a build (or another delivery) is running
        result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Fehler: in {config.parent} läuft gerade sambrief build (")
    assert inbox.messages == []


def test_a_build_waiting_for_a_delivery_is_told_it_is_a_delivery(built: Path, tmp_path: Path, smtp):
    _, port = smtp
    config = workspace(built, tmp_path / "ws", port, "    management: [gf@test.example]")
    with workspace_lock(config.parent, activity="delivery"):
        result = runner.invoke(app, ["build", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"Fehler: in {config.parent} läuft gerade sambrief deliver (PID {os.getpid()} seit "
    )
    assert "nichts wurde verändert, nach dem Ende dieses Laufs erneut versuchen" in result.stderr


@pytest.mark.slow
def test_two_deliveries_at_the_same_time_send_each_recipient_exactly_once(built: Path, tmp_path: Path, smtp):
    inbox, port = smtp
    inbox.delay = 0.3  # each mail takes a while, so the two runs overlap
    config = workspace(
        built, tmp_path / "ws", port, RECIPIENTS.replace(", drop@test.example", "").replace(", absent@test.example", "")
    )
    env = {**os.environ, "SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret"}
    command = [sys.executable, "-m", "sambrief", "deliver", "--config", str(config), "--period", "2026-10"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    codes = sorted(run.wait(timeout=120) for run in runs)
    assert codes in ([0, 0], [0, 3])  # the second waits for nothing: it stops (3) or finds all delivered
    assert inbox.to() == ["cio@test.example", "gf@test.example", "itsm@test.example"]
    again = subprocess.run(command, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and "Versand: 0 gesendet, 3 schon zugestellt, 0 fehlgeschlagen" in again.stdout
    assert len(inbox.messages) == 3


def test_deliver_refuses_outputs_that_do_not_match_their_manifest(built: Path, tmp_path: Path, smtp):
    inbox, port = smtp
    config = workspace(built, tmp_path / "ws", port, "    management: [gf@test.example]")
    deck = config.parent / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx"
    deck.write_bytes(deck.read_bytes()[:100])
    result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 1
    assert "passen nicht zu ihrer manifest.json" in result.stderr and inbox.messages == []


def test_a_connection_cut_mid_session_fails_that_recipient_only(built: Path, tmp_path: Path, smtp):
    inbox, port = smtp
    inbox.cut = {"drop@test.example"}
    config = workspace(built, tmp_path / "ws", port, RECIPIENTS.replace(", absent@test.example", ""))
    result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 4, result.stderr
    assert inbox.to() == ["cio@test.example", "gf@test.example", "itsm@test.example"]
    assert (
        "Briefing für management konnte nicht an drop@test.example gesendet werden: der Server hat die Verbindung getrennt"
        in result.stderr
    )
    retry = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert retry.exit_code == 0 and inbox.to().count("drop@test.example") == 1 and len(inbox.messages) == 4


@pytest.mark.slow
def test_mail_attaches_the_files_their_renderers_mark_for_mailing(tmp_path: Path, smtp):
    inbox, port = smtp
    both = AUDIENCES.replace("formats: [pptx], channels", "formats: [pptx, onepager], channels", 1)
    config = (
        MINIMAL_CONFIG
        + f"""
deliver:
  smtp: {{host: 127.0.0.1, port: {port}, sender: lizenzmanagement@test.example, timeout: 5}}
  recipients:
    management: [gf@test.example]
"""
    )
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": CSV}, audiences=both)
    assert runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"]).exit_code == 0
    manifest = json.loads((ws / "out" / "2026-10" / "manifest.json").read_text("utf-8"))
    assert manifest["audiences"]["management"]["kinds"] == {
        "management/details.csv": "details_csv",
        "management/onepager.html": "onepager_html",
        "management/onepager.pdf": "onepager_pdf",
        "management/sambrief-management-2026-10.pdf": "deck_pdf",
        "management/sambrief-management-2026-10.pptx": "deck",
    }
    result = runner.invoke(app, ["deliver", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    attached = [(part.get_filename(), part.get_content_type()) for part in inbox.messages[0].iter_attachments()]
    # the deck as PDF and as pptx, named by audience and period; the deck's PDF says what the one-pager says
    assert attached == [
        ("sambrief-management-2026-10.pdf", "application/pdf"),
        (
            "sambrief-management-2026-10.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ]


@pytest.mark.usefixtures("no_deck_pdf")  # itsm's deck beside it goes to nobody; the one-pager is real
def test_a_one_pager_only_audience_gets_its_one_pager_named_by_audience_and_period(tmp_path: Path, smtp):
    inbox, port = smtp
    only = AUDIENCES.replace(
        "formats: [pptx], channels: [deck, onepager, mail]", "formats: [onepager], channels: [onepager, mail]", 1
    )
    assert only != AUDIENCES
    config = (
        MINIMAL_CONFIG
        + f"""
deliver:
  smtp: {{host: 127.0.0.1, port: {port}, sender: lizenzmanagement@test.example, timeout: 5}}
  recipients:
    management: [gf@test.example]
"""
    )
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": CSV}, audiences=only)
    assert runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"]).exit_code == 0
    assert runner.invoke(app, ["deliver", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"]).exit_code == 0
    mail = inbox.messages[0]
    assert [part.get_filename() for part in mail.iter_attachments()] == ["sambrief-management-2026-10-onepager.pdf"]
    assert "als PDF." in mail.get_body().get_content() and "PowerPoint" not in mail.get_body().get_content()


@pytest.mark.slow
def test_mail_body_carries_key_figures_and_the_intranet_link_in_plain_german(tmp_path: Path, smtp):
    from conftest import copy_example

    inbox, port = smtp
    ws = copy_example(tmp_path / "ws")
    config = ws / "sambrief.yaml"
    text = config.read_text("utf-8").replace(
        '  phone: "+49 30 1234567-0"\n',
        '  phone: "+49 30 1234567-0"\n  url: https://intranet.muster-gmbh.example/sam\n',
    )
    config.write_text(
        text
        + f"""
deliver:
  smtp: {{host: 127.0.0.1, port: {port}, sender: lizenzmanagement@muster-gmbh.example, timeout: 5}}
  recipients:
    management: [gf@muster-gmbh.example]
""",
        encoding="utf-8",
    )
    os.environ["SAMBRIEF_PSEUDONYM_KEY"] = "test-key-not-secret"
    assert runner.invoke(app, ["build", "--config", str(config), "--audience", "management"]).exit_code == 0
    result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    body = inbox.messages[0].get_body().get_content()
    figures = [line.replace("\u00a0", " ") for line in body.splitlines() if line.startswith("– ")]
    assert figures == [
        "– Nachlizenzierungsbedarf: 620.833 €",
        "– Ungenutzte Cloud-Lizenzen: 387",
        "– Einsparungen seit Jahresbeginn: 234.276 €",
        "– Wert der Überdeckungen (einmalig): 66.622 €",
    ]
    assert "https://intranet.muster-gmbh.example/sam" in body
    assert "wenden Sie sich gern an" not in body and "Onepager" not in body
    assert "lizenzmanagement@muster-gmbh.example" in body
    names = [part.get_filename() for part in inbox.messages[0].iter_attachments()]
    assert names == ["sambrief-management-2026-10.pdf", "sambrief-management-2026-10.pptx"]


def test_deliver_refuses_a_manifest_without_file_kinds(built: Path, tmp_path: Path, smtp):
    inbox, port = smtp
    config = workspace(built, tmp_path / "ws", port, "    management: [gf@test.example]")
    path = config.parent / "out" / "2026-10" / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    del manifest["audiences"]["management"]["kinds"]  # as an older sambrief wrote it
    path.write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert result.exit_code == 1
    assert (
        "stammen von einer älteren sambrief-Version; zuerst `sambrief build --period 2026-10 --force` ausführen"
        in result.stderr
    )
    assert inbox.messages == []
