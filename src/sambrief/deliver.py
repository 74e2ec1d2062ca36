"""Delivery: mail each audience its deck and one-pager, once per period and recipient.

Every mail that goes out is logged in the history at once, so a failure later in the run
never loses the record (and a rerun never resends, unless asked to). The SMTP password comes
from an environment variable, never from a file.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from email.errors import HeaderParseError, MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sambrief.errors import ConfigError, SambriefError
from sambrief.history import History
from sambrief.loading import Checker
from sambrief.lock import workspace_lock
from sambrief.output import verify_set
from sambrief.render.rendered import FILE_KINDS, FileKind
from sambrief.settings import Settings

if TYPE_CHECKING:  # smtplib and ssl are imported when a mail is sent, not by every build that reads the config
    import smtplib


def is_address(text: object) -> bool:
    """A bare address (local@domain.tld) that the standard library's header parser reads
    whole: no display name, no CR/LF (a regex's `$` would accept a final newline)."""
    if not isinstance(text, str) or not text or text != text.strip() or any(c in text for c in "\r\n"):
        return False
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError, MessageError):
        return False
    return address.addr_spec == text and bool(address.username) and "." in address.domain.strip(".")


DEFAULT_SUBJECT = {"de": "{organisation}: {title} – {period_label}", "en": "{organisation}: {title} – {period_label}"}
DEFAULT_BODY = {
    "de": "Guten Tag,\n\nim Anhang finden Sie das Briefing des Lizenzmanagements für {period_label}: "
          "die Präsentation und den Onepager.\n\nBei Fragen wenden Sie sich gern an {team}.\n",
    "en": "Hello,\n\nattached is the software asset management briefing for {period_label}: "
          "the presentation and the one-pager.\n\nFor questions, please contact {team}.\n",
}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    starttls: bool = False
    ssl: bool = False
    user: str = ""
    password_env: str = "SAMBRIEF_SMTP_PASSWORD"
    sender: str = ""
    timeout: int = 30


@dataclass(frozen=True)
class DeliverySettings:
    smtp: SmtpSettings
    recipients: dict[str, tuple[str, ...]]
    subject: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SUBJECT))
    body: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BODY))


def parse_delivery(raw: Any, check: Checker) -> DeliverySettings | None:
    """Validate the `deliver:` section (problems collected by the config checker)."""
    if raw is None:
        return None
    data = check.mapping(raw, "deliver")
    smtp_raw = check.mapping(data.get("smtp"), "deliver.smtp")
    if "password" in smtp_raw:
        check.add("deliver.smtp.password", "never put the password in the file; name an environment variable in password_env")
    for key in smtp_raw:
        if key not in ("host", "port", "starttls", "ssl", "user", "password", "password_env", "sender", "timeout"):
            check.add(f"deliver.smtp.{key}", "unknown key (known: host, port, starttls, ssl, user, password_env, sender, timeout)")
    host = check.string(smtp_raw, "host", "deliver.smtp", required=True) or ""
    port = check.integer(smtp_raw, "port", "deliver.smtp", 25)
    sender = check.string(smtp_raw, "sender", "deliver.smtp", required=True) or ""
    if sender and not is_address(sender):
        check.add("deliver.smtp.sender", f"not an e-mail address: {sender!r}")
    recipients: dict[str, tuple[str, ...]] = {}
    for audience, addresses in check.mapping(data.get("recipients"), "deliver.recipients").items():
        if isinstance(addresses, str):
            addresses = [addresses]
        if not isinstance(addresses, list):
            check.add(f"deliver.recipients.{audience}", "expected a list of e-mail addresses")
            continue
        for i, address in enumerate(addresses):
            if not is_address(address):
                check.add(f"deliver.recipients.{audience}[{i}]", f"not an e-mail address: {address!r}")
        recipients[str(audience)] = tuple(a for a in addresses if is_address(a))
    subject = dict(DEFAULT_SUBJECT) | {str(k): str(v) for k, v in check.mapping(data.get("subject"), "deliver.subject").items()}
    body = dict(DEFAULT_BODY) | {str(k): str(v) for k, v in check.mapping(data.get("body"), "deliver.body").items()}
    for where, templates in (("subject", subject), ("body", body)):
        for lang, text in templates.items():
            try:
                text.format(**_example_values())
            except (KeyError, IndexError, ValueError) as exc:
                check.add(f"deliver.{where}.{lang}", f"unknown placeholder {exc} (known: {', '.join(_example_values())})")
                continue
            if where == "subject" and any(c in text for c in "\r\n"):
                check.add(f"deliver.subject.{lang}", "a subject is one line; remove the line break")
    smtp = SmtpSettings(host=host, port=port, starttls=bool(smtp_raw.get("starttls", False)), ssl=bool(smtp_raw.get("ssl", False)),
                        user=str(smtp_raw.get("user", "") or ""), password_env=str(smtp_raw.get("password_env", "SAMBRIEF_SMTP_PASSWORD")),
                        sender=sender, timeout=int(smtp_raw.get("timeout", 30) or 30))
    return DeliverySettings(smtp, recipients, subject, body)


def _example_values() -> dict[str, str]:
    return {"organisation": "", "title": "", "period": "", "period_label": "", "team": "", "audience": ""}


@dataclass
class DeliveryReport:
    sent: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # already delivered this period
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # audience, recipient, reason


def message_problems(settings: Settings, period: str = "2026-10") -> list[str]:
    """Subjects and placeholder values as they will be filled in: a line break in a subject, or
    in a value put into a subject or body (organisation, title, team), would break the header
    or the message. `check` reports these too."""
    if settings.delivery is None:
        return []
    problems = []
    for key, audience in settings.audiences.items():
        for lang in sorted({audience.language, *audience.title}):
            values = _values(settings, audience.title.get(lang, key), lang, period, key)
            for name, value in values.items():
                if any(c in value for c in "\r\n"):
                    problems.append(f"{_origin(name, key, lang)}: {value!r} has a line break, which a mail cannot carry in its "
                                    "subject or greeting; make it one line")
    return sorted(set(problems))  # a line break in the subject template itself: see parse_delivery


def _origin(name: str, audience: str, lang: str) -> str:
    return {"organisation": "organisation", "title": f"audiences.{audience}.title.{lang}", "team": "contact.team"}.get(name, name)


def deliver(settings: Settings, period: str, out_dir: Path, resend: bool = False, audiences: list[str] | None = None) -> DeliveryReport:
    """Hold the workspace lock (a build or another delivery running: exit 3) and send."""
    config: DeliverySettings | None = settings.delivery
    if config is None:
        raise ConfigError(["deliver: no `deliver:` section; add the SMTP server and the recipients per audience (see README)"],
                          str(settings.config_path))
    problems = message_problems(settings, period)
    if problems:
        raise ConfigError(problems, str(settings.config_path))
    with workspace_lock(settings.root, activity="delivery"):
        return _deliver_locked(settings, config, period, out_dir, resend, audiences)


def _deliver_locked(settings: Settings, config: DeliverySettings, period: str, out_dir: Path, resend: bool,
                    audiences: list[str] | None) -> DeliveryReport:
    if not (out_dir / "manifest.json").is_file():
        raise SambriefError(f"no briefings for {period} in {out_dir}; run `sambrief build --period {period}` first")
    manifest = verify_set(out_dir)
    if not manifest:  # never mail a deck that is not the one built
        raise SambriefError(f"the outputs in {out_dir} do not match their manifest.json (changed or missing files, or built by an older sambrief); "
                            f"run `sambrief build --period {period} --force` first")
    history = History(settings.history_path)
    report = DeliveryReport()
    jobs = []
    for key, entry in manifest["audiences"].items():
        wanted = config.recipients.get(key, ())  # a departmental briefing has recipients of its own
        if audiences and key not in audiences:
            continue
        if "kinds" not in entry:  # written before files recorded their kind
            raise SambriefError(f"the outputs in {out_dir} were built by an older sambrief; run `sambrief build --period {period} --force` first")
        attachments = [(out_dir / f, FILE_KINDS[kind]) for f, kind in entry["kinds"].items() if FILE_KINDS[kind].mailed]
        for recipient in wanted:
            if not resend and history.delivered(period, key, recipient):
                report.skipped.append((key, recipient))
            else:
                jobs.append((key, entry, recipient, attachments))
    if not jobs:
        return report
    import smtplib

    password = os.environ.get(config.smtp.password_env, "") if config.smtp.user else ""
    if config.smtp.user and not password:
        raise ConfigError([f"deliver.smtp.password_env: the environment variable {config.smtp.password_env} is not set"])
    try:
        server = _connect(config.smtp, password)
    except (OSError, smtplib.SMTPException) as exc:
        for key, _, recipient, _ in jobs:
            report.failed.append((key, recipient, f"cannot reach {config.smtp.host}:{config.smtp.port} ({exc})"))
        return report
    try:
        for key, entry, recipient, attachments in jobs:
            try:
                message = _message(settings, config, manifest, key, entry, recipient, attachments, period)
                if getattr(server, "sock", None) is None:  # the previous mail's failure closed the connection
                    server = _reconnect(config.smtp, password, server)
                refused = server.send_message(message)
            except (smtplib.SMTPException, OSError, ValueError, MessageError) as exc:
                report.failed.append((key, recipient, _reason(exc)))
                continue
            if refused:
                report.failed.append((key, recipient, f"refused: {refused}"))
                continue
            history.log_delivery(period, key, recipient)  # at once: a later failure loses nothing, a rerun never resends
            report.sent.append((key, recipient))
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            server.quit()
    return report


def _connect(smtp: SmtpSettings, password: str) -> smtplib.SMTP:
    import smtplib
    import ssl

    if smtp.ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.starttls:
            server.starttls(context=ssl.create_default_context())
    if smtp.user:
        server.login(smtp.user, password)
    return server


def _reconnect(smtp: SmtpSettings, password: str, old: smtplib.SMTP) -> smtplib.SMTP:
    old.close()
    return _connect(smtp, password)  # a failure here fails this recipient; the next one tries again


def _reason(exc: BaseException) -> str:
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "refused: " + "; ".join(f"{code} {resp.decode('utf-8', 'replace') if isinstance(resp, bytes) else resp}"
                                       for code, resp in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the server closed the connection ({exc or 'no reason given'}); it is tried again on the next run"
    text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return text


def _values(settings: Settings, title: str, lang: str, period: str, key: str) -> dict[str, str]:
    from sambrief.i18n import Formatter
    from sambrief.model import Period

    return {
        "organisation": str(settings.organisation), "title": str(title), "period": period,
        "period_label": Formatter(lang, settings.currency).month(Period.parse(period).start),
        "team": str(settings.contact.team), "audience": key,
    }


def _message(settings: Settings, config: DeliverySettings, manifest: dict, key: str, entry: dict, recipient: str,
             attachments: list[tuple[Path, FileKind]], period: str) -> EmailMessage:
    lang = entry.get("language", settings.language)
    values = _values(settings, entry["title"], lang, period, key)
    message = EmailMessage()
    message["From"] = config.smtp.sender
    message["To"] = recipient
    message["Subject"] = config.subject.get(lang, DEFAULT_SUBJECT[lang]).format(**values)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=config.smtp.sender.split("@")[-1])
    message.set_content(config.body.get(lang, DEFAULT_BODY[lang]).format(**values))
    for path, kind in attachments:
        maintype, subtype = kind.media_type.split("/", 1)
        message.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name)
    return message
