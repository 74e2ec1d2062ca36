"""Teams, Slack and folder delivery against real parts: a local HTTP server on 127.0.0.1 that
checks each payload's shape and size and answers 429 once, and a folder on disk. Once per
period and audience, --resend, secrets never in any output, log or manifest, the copy atomic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.publish.delivery import ChannelError
from sambrief.publish.delivery.cards import TEAMS_LIMIT, Post, fitted
from sambrief.publish.delivery.webhook import check_url
from sambrief.publish.output import verify_set

runner = CliRunner()
CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\nB;Beta;5;9;50,00\nC;Gamma;8;8;10,00\n"
SECRET = "sig=Zm9vYmFyLXNlY3JldC10b2tlbg"  # the part of a webhook URL that is the credential
AUDIENCES = """\
audiences:
  management:
    title: {de: Lagebild}
    themes: [risk]
    formats: [pptx, onepager]
    channels: [deck, onepager, teams, slack, folder]
  itsm:
    title: {de: Freigaben}
    themes: [risk]
    formats: [pptx]
    channels: [deck, teams]
"""


class Hooks:
    """Webhook endpoints: every request recorded; each path answers 429 once (Retry-After: 0, so
    the retry it asks for is not a second of the test's time)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, bytes]] = []
        self.throttled: set[str] = set()
        self.always_429 = False
        self.retry_after = "0"

    def handler(self):
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                data = self.rfile.read(int(self.headers["Content-Length"]))
                hooks.requests.append((self.path, dict(self.headers), data))
                if hooks.always_429 or self.path not in hooks.throttled:
                    hooks.throttled.add(self.path)
                    self.send_response(429)
                    self.send_header("Retry-After", hooks.retry_after)
                    self.end_headers()
                    return
                self.send_response(202 if self.path.startswith("/workflows") else 200)
                self.end_headers()
                self.wfile.write(b"" if self.path.startswith("/workflows") else b"ok")

            def log_message(self, *args):  # quiet
                pass

        return Handler

    def posts(self, prefix: str) -> list[dict]:
        return [json.loads(body) for path, _, body in self.requests if path.startswith(prefix)]


@contextmanager
def serving():
    hooks = Hooks()
    server = ThreadingHTTPServer(("127.0.0.1", 0), hooks.handler())
    # a short poll interval: shutdown() waits for the next poll (0.5 s by default)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield hooks, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hooks():
    with serving() as served:
        yield served


def workspace(root: Path, port: int, share: Path, slack_file: Path) -> Path:
    config = (
        MINIMAL_CONFIG
        + f"""
deliver:
  teams:
    management: {{webhook_env: SAMBRIEF_TEST_TEAMS, link: "https://muster.sharepoint.com/sites/SAM/Briefings/{{period}}/{{audience}}"}}
  slack:
    management: {{webhook_file: {slack_file}, link: "file://fileserver/sam/{{period}}/{{audience}}/"}}
  folder:
    management: {share}
"""
    )
    slack_file.parent.mkdir(parents=True, exist_ok=True)
    slack_file.write_text(f"http://127.0.0.1:{port}/services/T000/B000/{SECRET}\n", encoding="utf-8")
    ws = write_workspace(root, config, {"data/l.csv": CSV}, audiences=AUDIENCES)
    return ws / "sambrief.yaml"


def build_and_deliver(tmp_path: Path, hooks, monkeypatch: pytest.MonkeyPatch):
    hook, port = hooks
    monkeypatch.setenv("SAMBRIEF_TEST_TEAMS", f"http://127.0.0.1:{port}/workflows/abc/triggers/manual/run?{SECRET}")
    share = tmp_path / "share"
    config = workspace(tmp_path / "ws", port, share, tmp_path / "secrets" / "slack.url")
    log = tmp_path / "sambrief.log"
    result = runner.invoke(
        app, ["build", "--config", str(config), "--period", "2026-10", "--deliver", "--log-file", str(log)]
    )
    return hook, config, share, log, result


@pytest.fixture
def delivered(tmp_path: Path, hooks, monkeypatch):
    """A build with --deliver of the test's own, for a test that delivers again."""
    return build_and_deliver(tmp_path, hooks, monkeypatch)


@pytest.fixture(scope="module")
def delivered_once(tmp_path_factory):
    """One build with --deliver shared by the tests that only read what it sent and wrote (read only)."""
    with serving() as served, pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")  # the autouse key fixture is per test
        yield build_and_deliver(tmp_path_factory.mktemp("delivered"), served, mp)


@pytest.mark.usefixtures("no_deck_pdf")  # counts what is sent: the module's shared build delivers real PDFs
def test_teams_slack_and_folder_deliver_once_per_period(delivered):
    hook, config, share, log, result = delivered
    assert result.exit_code == 0, result.stderr
    teams, slack = hook.posts("/workflows"), hook.posts("/services")
    assert len(teams) == 2 and len(slack) == 2  # each answered 429 once, then accepted: one retry each
    assert teams[0] == teams[1]
    # itsm names teams but has no webhook: not sent, and said so
    assert "itsm: der Kanal teams hat kein Ziel (deliver.teams.itsm fehlt)" in result.stderr
    assert "Versand: 3 gesendet, 0 schon zugestellt, 0 fehlgeschlagen" in result.stdout
    assert "Briefing für management an Teams gesendet" in result.stdout
    assert f"Briefing für management an {share / '2026-10' / 'management'} gesendet" in result.stdout
    again = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10"])
    assert again.exit_code == 0 and len(hook.requests) == 4
    assert "Versand: 0 gesendet, 3 schon zugestellt" in again.stdout
    resend = runner.invoke(app, ["deliver", "--config", str(config), "--period", "2026-10", "--resend"])
    assert resend.exit_code == 0 and len(hook.requests) == 6  # the endpoints were throttled once already


def test_the_teams_card_has_the_title_key_figures_and_buttons_to_the_files(delivered_once):
    hook, _, _, _, result = delivered_once
    assert result.exit_code == 0, result.stderr
    path, headers, body = next(r for r in hook.requests if r[0].startswith("/workflows"))
    assert len(body) <= TEAMS_LIMIT and headers["Content-Type"].startswith("application/json")
    message = json.loads(body)
    assert message["type"] == "message" and len(message["attachments"]) == 1
    attachment = message["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [b["text"] for b in card["body"] if b["type"] == "TextBlock"]
    assert texts[0] == "Test AG: Lagebild" and texts[1] == "Briefing des Lizenzmanagements für Oktober 2026"
    facts = next(b for b in card["body"] if b["type"] == "FactSet")["facts"]
    assert [
        (f["title"], f["value"].replace("\u00a0", " ")) for f in facts
    ] == [  # the key points slide's figures, as the deck states them
        ("Nachlizenzierungsbedarf", "400 €"),  # Alpha 2 x 100 € + Beta 4 x 50 €
        ("Produkte in der Lizenzbilanz", "3"),
        ("unterlizenzierte Produkte", "2"),
        ("voll lizenzierte Produkte", "1"),
    ]
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Präsentation (PowerPoint)",
            "url": "https://muster.sharepoint.com/sites/SAM/Briefings/2026-10/management/sambrief-management-2026-10.pptx",
        },
        {
            "type": "Action.OpenUrl",
            "title": "Präsentation (PDF)",  # the deck as PDF, for a phone
            "url": "https://muster.sharepoint.com/sites/SAM/Briefings/2026-10/management/sambrief-management-2026-10.pdf",
        },
        {
            "type": "Action.OpenUrl",
            "title": "Onepager (PDF)",
            "url": "https://muster.sharepoint.com/sites/SAM/Briefings/2026-10/management/onepager.pdf",
        },
    ]


def test_the_slack_message_is_block_kit_with_the_same_content(delivered_once):
    hook, _, _, _, result = delivered_once
    assert result.exit_code == 0, result.stderr
    message = hook.posts("/services")[-1]
    assert [b["type"] for b in message["blocks"]] == ["header", "context", "section", "actions", "context"]
    assert message["blocks"][0]["text"] == {"type": "plain_text", "text": "Test AG: Lagebild", "emoji": False}
    fields = message["blocks"][2]["fields"]
    assert len(fields) == 4 and fields[0]["text"].replace("\u00a0", " ") == "*Nachlizenzierungsbedarf*\n400 €"
    assert [e["url"] for e in message["blocks"][3]["elements"]] == [
        "file://fileserver/sam/2026-10/management/sambrief-management-2026-10.pptx",
        "file://fileserver/sam/2026-10/management/sambrief-management-2026-10.pdf",
        "file://fileserver/sam/2026-10/management/onepager.pdf",
    ]
    assert "Test AG: Lagebild" in message["text"]  # the notification's fallback text


def test_the_folder_gets_the_audiences_files_as_one_verified_set(delivered_once):
    _, config, share, _, result = delivered_once
    assert result.exit_code == 0, result.stderr
    copy = share / "2026-10" / "management"
    out = config.parent / "out" / "2026-10" / "management"
    assert sorted(p.name for p in copy.iterdir()) == sorted([p.name for p in out.iterdir()] + ["manifest.json"])
    assert verify_set(copy) is not None
    assert all((copy / p.name).read_bytes() == p.read_bytes() for p in out.iterdir())
    assert not (share / "2026-10" / "itsm").exists()  # itsm does not name the folder channel
    assert [p for p in share.rglob(".*")] == []


def test_webhook_urls_never_reach_an_output_a_log_or_the_manifest(delivered_once, tmp_path):
    hook, config, share, log, result = delivered_once
    assert result.exit_code == 0, result.stderr
    assert SECRET in hook.requests[0][0]  # the server was reached through the secret URL
    assert SECRET not in result.stdout + result.stderr
    files = [p for p in (config.parent / "out").rglob("*") if p.is_file()] + [
        p for p in share.rglob("*") if p.is_file()
    ]
    files += [log, *(config.parent / ".sambrief").iterdir()]
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        assert SECRET.encode() not in data and b"127.0.0.1" not in data, path


@pytest.mark.usefixtures("no_deck_pdf")  # reads what the webhook was sent and what the run said, no file
def test_a_throttled_webhook_is_retried_a_bounded_number_of_times(tmp_path, hooks, monkeypatch):
    hook, port = hooks
    hook.always_429, hook.retry_after = True, "0"
    monkeypatch.setenv("SAMBRIEF_TEST_TEAMS", f"http://127.0.0.1:{port}/workflows/{SECRET}")
    config = workspace(tmp_path / "ws", port, tmp_path / "share", tmp_path / "secrets" / "slack.url")
    assert runner.invoke(app, ["build", "--config", str(config), "--period", "2026-10", "-q"]).exit_code == 0
    result = runner.invoke(app, ["deliver", "--config", str(config), "-a", "management"])
    assert result.exit_code == 4
    assert len(hook.posts("/workflows")) == 4 and len(hook.posts("/services")) == 4
    assert (
        "Briefing für management konnte nicht an Teams gesendet werden: der Webhook antwortete 4-mal mit HTTP 429; später erneut ausführen"
        in result.stderr
    )
    assert SECRET not in result.stderr
    hook.requests.clear()
    hook.retry_after = "3600"  # asks for an hour: not waited for
    retry = runner.invoke(app, ["deliver", "--config", str(config), "-a", "management"])
    assert retry.exit_code == 4 and len(hook.posts("/workflows")) == 1
    assert "der Webhook antwortete mit HTTP 429 und verlangt 3600 s Wartezeit; später erneut ausführen" in retry.stderr
    assert "1 schon zugestellt, 2 fehlgeschlagen" in retry.stdout  # the folder copy went out the first time


@pytest.mark.slow  # kills a delivery in a process of its own
def test_a_folder_copy_killed_midway_leaves_the_previous_copy_whole(delivered):
    _, config, share, _, result = delivered
    assert result.exit_code == 0, result.stderr
    copy = share / "2026-10" / "management"
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    env = {**os.environ, "SAMBRIEF_TEST_KILL_AFTER_WRITES": "2", "SAMBRIEF_PSEUDONYM_KEY": "test-key-not-secret"}
    env.pop("SAMBRIEF_TEST_TEAMS", None)
    killed = subprocess.run(
        [sys.executable, "-m", "sambrief", "deliver", "--config", str(config), "--period", "2026-10", "--resend"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before and verify_set(copy) is not None
    assert [p.name for p in (share / "2026-10").iterdir() if p.name.startswith(".")]  # the staging folder it left
    result = runner.invoke(
        app, ["deliver", "--config", str(config), "--period", "2026-10", "--resend", "-a", "management"]
    )
    assert verify_set(copy) is not None
    assert [p for p in share.rglob(".*")] == []  # the next run removed what the killed one left


def test_webhook_settings_keep_the_url_out_of_the_workspace(tmp_path):
    config = (
        MINIMAL_CONFIG
        + """
deliver:
  teams:
    management: {webhook: "https://prod.westeurope.logic.azure.com/workflows/x", link: "https://sp.example/x"}
  slack:
    management: {webhook_file: secrets/slack.url, link: "https://sp.example/{month}"}
    itsm: {link: "https://sp.example/x"}
"""
    )
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": CSV}, audiences=AUDIENCES)
    result = runner.invoke(app, ["check", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 1
    assert "deliver.teams.management.webhook: die URL gehört nie in die Datei" in result.stderr
    assert "deliver.slack.management.webhook_file: secrets/slack.url liegt im Arbeitsbereich" in result.stderr
    assert "deliver.slack.management.link: unbekannter Platzhalter 'month' (bekannt: period, audience)" in result.stderr
    assert "deliver.slack.itsm: genau eines von webhook_env und webhook_file nennen" in result.stderr
    assert "prod.westeurope" not in result.stderr


def test_check_warns_about_channels_with_nowhere_to_go_and_settings_for_channels_not_named(tmp_path):
    config = (
        MINIMAL_CONFIG
        + """
deliver:
  smtp: {host: 127.0.0.1, sender: lm@test.example}
  recipients:
    itsm: [itsm@test.example]
"""
    )
    audiences = AUDIENCES.replace(
        "channels: [deck, onepager, teams, slack, folder]", "channels: [deck, onepager, mail]"
    )
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": CSV}, audiences=audiences)
    result = runner.invoke(app, ["check", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 0, result.stderr
    assert (
        "management: der Kanal mail hat kein Ziel (deliver.recipients.management fehlt); dorthin wird nichts gesendet"
        in result.stderr
    )
    assert "itsm: der Kanal teams hat kein Ziel (deliver.teams.itsm fehlt)" in result.stderr
    assert (
        "itsm: deliver.recipients.itsm ist gesetzt, aber mail steht nicht in den channels der Zielgruppe (audiences.yaml)"
        in result.stderr
    )
    bad = write_workspace(
        tmp_path / "bad", MINIMAL_CONFIG, {"data/l.csv": CSV}, audiences=AUDIENCES.replace("teams]", "temas]")
    )
    result = runner.invoke(app, ["check", "--config", str(bad / "sambrief.yaml")])
    assert result.exit_code == 1 and "unbekannter Kanal 'temas' (gemeint ist wohl 'teams')" in result.stderr


def test_a_webhook_url_must_be_https_unless_it_stays_on_this_machine():
    check_url("https://prod-12.westeurope.logic.azure.com:443/workflows/x", "SAMBRIEF_TEAMS")
    check_url("http://127.0.0.1:8080/hook", "SAMBRIEF_TEAMS")
    with pytest.raises(ChannelError, match="does not hold an https:// URL") as caught:
        check_url(f"http://hooks.example/{SECRET}", "the environment variable SAMBRIEF_TEAMS")
    assert SECRET not in str(caught.value)


def test_a_post_too_large_for_teams_loses_figures_before_it_is_refused():
    facts = tuple((f"Kennzahl {i}", "x" * 10000) for i in range(4))
    post = Post("Titel", "Oktober 2026", facts, (("Onepager (PDF)", "https://sp.example/a.pdf"),))
    payload = fitted("teams", post)
    assert payload is not None and len(json.dumps(payload, ensure_ascii=False).encode()) <= TEAMS_LIMIT
    assert len(next(b for b in payload["attachments"][0]["content"]["body"] if b["type"] == "FactSet")["facts"]) == 2
    assert fitted("teams", Post("Titel", "Oktober 2026", (), (("PDF", "https://sp.example/" + "a" * 40000),))) is None


def test_a_malformed_webhook_url_fails_without_quoting_it():
    from sambrief.publish.delivery.webhook import post

    for url in (f"https://hooks.example:8o8o/{SECRET}", f"http://127.0.0.1:1/{SECRET}"):
        with pytest.raises(ChannelError) as caught:
            post(url, {"text": "x"}, timeout=2)
        assert SECRET not in str(caught.value) and "8o8o" not in str(caught.value)
