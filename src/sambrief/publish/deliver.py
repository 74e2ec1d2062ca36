"""Delivery: each audience's briefing on the delivery channels it names (channels.py): mail
(once per period and recipient), a Teams or Slack post and a copy to a share (once per period
and audience; sambrief.publish.delivery).

Every mail, post or copy that goes out is logged in the history at once, so a failure later in
the run never loses the record (and a rerun never resends, unless asked to). The SMTP password
and the webhook URLs come from environment variables (or, for a webhook, a file outside the
workspace), never from sambrief.yaml, and are never printed.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sambrief.channels import CHANNELS, DELIVERY_CHANNELS
from sambrief.config.delivery import DeliverySettings, FolderTarget, SmtpSettings, WebhookTarget
from sambrief.config.settings import Settings
from sambrief.errors import ConfigError, SambriefError
from sambrief.i18n.catalog import Messages
from sambrief.i18n.notices import Notice
from sambrief.publish.delivery import ChannelError, webhook_url
from sambrief.publish.history import History
from sambrief.publish.lock import workspace_lock
from sambrief.publish.output import verify_set
from sambrief.render import FILE_KINDS, carried
from sambrief.render.rendered import FileKind

if TYPE_CHECKING:  # smtplib and ssl are imported when a mail is sent, not by every build that reads the config
    import smtplib

KEY_FIGURES = 4  # figures in the mail's body: one per theme of the key-points slide


def channel_problems(settings: Settings) -> list[Notice]:
    """Audiences whose delivery channels have nowhere to go (a channel named without recipients,
    webhook or folder) and settings for a channel an audience does not name (nothing is sent
    there: an audience appears only on the channels it names). `check` says these."""
    notices = (
        _channel_notice(settings.delivery, channel, key, audience.channels)
        for key, audience in settings.audiences.items()
        for channel in DELIVERY_CHANNELS
    )
    return [n for n in notices if n is not None]


def _channel_notice(config: DeliverySettings | None, channel: str, key: str, named: Any) -> Notice | None:
    has = config is not None and bool(config.targets(channel, key))
    setting = f"deliver.{CHANNELS[channel].settings}.{key}"
    if channel in named and not has:
        return Notice("channel_nowhere", audience=key, channel=channel, setting=setting)
    if has and channel not in named:
        return Notice("channel_not_named", audience=key, channel=channel, setting=setting)
    return None


@dataclass
class DeliveryReport:
    sent: list[tuple[str, str]] = field(
        default_factory=list
    )  # audience, recipient (an address, Teams, Slack or a folder)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # already delivered this period
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # audience, recipient, reason
    unsent: list[Notice] = field(default_factory=list)  # a channel with nowhere to go, settings for a channel not named


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
                    problems.append(Notice("dlv_line_break", where=_origin(name, key, lang), value=repr(value)))
    return sorted(set(problems))  # a line break in the subject template itself: see parse_delivery


def _origin(name: str, audience: str, lang: str) -> str:
    return {"organisation": "organisation", "title": f"audiences.{audience}.title.{lang}", "team": "contact.team"}.get(
        name, name
    )


def deliver(
    settings: Settings, period: str, out_dir: Path, resend: bool = False, audiences: list[str] | None = None
) -> DeliveryReport:
    """Hold the workspace lock (a build or another delivery running: exit 3) and send."""
    config: DeliverySettings | None = settings.delivery
    if config is None:
        raise ConfigError([Notice("dlv_no_section")], str(settings.config_path))
    problems = message_problems(settings, period)
    if problems:
        raise ConfigError(problems, str(settings.config_path))
    with workspace_lock(settings.root, activity="delivery"):
        return _deliver_locked(settings, config, period, out_dir, resend, audiences)


@dataclass(frozen=True)
class Job:
    channel: str
    key: str  # the audience's output key (departmental: business-vertrieb)
    entry: dict[str, Any]  # its manifest entry
    recipient: str  # as logged in the history
    files: list[tuple[Path, FileKind]]  # what the channel carries

    period: str

    @property
    def shown(self) -> str:
        """The recipient as the report names it: an address, Teams, Slack or the folder written."""
        if self.channel == "folder":
            return str(FolderTarget(Path(self.recipient.removeprefix("folder:"))).folder(self.period, self.key))
        return {"teams": "Teams", "slack": "Slack"}.get(self.channel, self.recipient)


def _deliver_locked(
    settings: Settings, config: DeliverySettings, period: str, out_dir: Path, resend: bool, audiences: list[str] | None
) -> DeliveryReport:
    if not (out_dir / "manifest.json").is_file():
        raise SambriefError(Notice("dlv_not_built", period=period, folder=str(out_dir)))
    manifest = verify_set(out_dir)
    if not manifest:  # never send a deck that is not the one built
        raise SambriefError(Notice("dlv_outputs_changed", period=period, folder=str(out_dir)))
    history = History(settings.history_path)
    report = DeliveryReport()
    jobs: list[Job] = []
    for key, entry in manifest["audiences"].items():
        if audiences and key not in audiences:
            continue
        if "kinds" not in entry or "channels" not in entry:  # written before files recorded their kind and channels
            raise SambriefError(Notice("dlv_older_build", period=period, folder=str(out_dir)))
        for channel in DELIVERY_CHANNELS:
            notice = _channel_notice(config, channel, key, entry["channels"])
            if (
                notice is not None
            ):  # named without a target, or a target the briefing was not made for: never sent there
                report.unsent.append(notice)
            if notice is not None or channel not in entry["channels"]:
                continue
            files = [(out_dir / path, kind) for path, kind in carried(entry, channel)]
            if channel == "mail":
                files = _attachments(files)
            for recipient in config.targets(channel, key):
                job = Job(channel, key, entry, recipient, files, period)
                if not resend and history.delivered(period, key, recipient):
                    report.skipped.append((key, job.shown))
                else:
                    jobs.append(job)
    mail = [j for j in jobs if j.channel == "mail"]
    if mail:
        _send_mail(settings, config, manifest, mail, period, history, report)
    for job in jobs:
        if job.channel == "mail":
            continue
        try:
            _SENDERS[job.channel](settings, config, job, period)
        except ChannelError as exc:
            report.failed.append((job.key, job.shown, exc.reason))  # a notice: said in the command line's language
            continue
        history.log_delivery(period, job.key, job.recipient)  # at once, like a mail
        report.sent.append((job.key, job.shown))
    return report


def _send_mail(
    settings: Settings,
    config: DeliverySettings,
    manifest: dict,
    jobs: list[Job],
    period: str,
    history: History,
    report: DeliveryReport,
) -> None:
    import smtplib

    assert config.smtp is not None  # targets() gives mail recipients only with an SMTP server
    password = os.environ.get(config.smtp.password_env, "") if config.smtp.user else ""
    if config.smtp.user and not password:
        raise ConfigError(
            [
                Notice(
                    "located",
                    where="deliver.smtp.password_env",
                    message=Notice("dlv_password_unset", variable=config.smtp.password_env),
                )
            ]
        )
    try:
        server = _connect(config.smtp, password)
    except (OSError, smtplib.SMTPException) as exc:
        for job in jobs:
            report.failed.append(
                (
                    job.key,
                    job.recipient,
                    Notice(
                        "mail_unreachable",
                        server=f"{config.smtp.host}:{config.smtp.port}",
                        detail=str(exc) or type(exc).__name__,
                    ),
                )
            )
        return
    try:
        for job in jobs:
            key, entry, recipient = job.key, job.entry, job.recipient
            try:
                message = _message(settings, config, manifest, key, entry, recipient, job.files, period)
                if getattr(server, "sock", None) is None:  # the previous mail's failure closed the connection
                    server = _reconnect(config.smtp, password, server)
                refused = server.send_message(message)
            except (smtplib.SMTPException, OSError, ValueError, MessageError) as exc:
                report.failed.append((key, recipient, _reason(exc)))
                continue
            if refused:
                report.failed.append((key, recipient, Notice("mail_refused", detail=str(refused))))
                continue
            history.log_delivery(
                period, key, recipient
            )  # at once: a later failure loses nothing, a rerun never resends
            report.sent.append((key, recipient))
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            server.quit()


def _post(settings: Settings, config: DeliverySettings, job: Job, period: str) -> None:
    """A Teams or Slack post: the card, fitted to the channel's size limit, sent with retries."""
    from sambrief.publish.delivery import cards, webhook

    target: WebhookTarget = getattr(config, job.channel)[job.key]
    url = webhook_url(target)
    webhook.check_url(url, target.secret_source)
    payload = cards.fitted(job.channel, _post_content(settings, job, target.link, period))
    if payload is None:
        raise ChannelError(Notice("post_too_large", channel=job.channel.title()))
    webhook.post(url, payload)


def _copy(settings: Settings, config: DeliverySettings, job: Job, period: str) -> None:
    from sambrief.publish.delivery.folder import copy_set

    target = config.folder[job.key].folder(period, job.key)
    files = {path.name: path.read_bytes() for path, _ in job.files}
    copy_set(target, files, {"period": period, "audience": job.key, "title": job.entry["title"]})


_SENDERS = {"teams": _post, "slack": _post, "folder": _copy}  # mail goes through one SMTP session: _send_mail


def _post_content(settings: Settings, job: Job, link: str, period: str) -> Any:
    from sambrief.briefing.figures import registry
    from sambrief.i18n.catalog import Formatter, Messages
    from sambrief.model.core import Period
    from sambrief.publish.delivery.cards import MAX_FACTS, Post

    entry = job.entry
    lang = entry.get("language", settings.language)
    fmt, msg = Formatter(lang, settings.currency), Messages(lang)
    # The key figures as the deck states them: the first of each theme on the key points slide (then
    # on the findings' slides), so that a briefing on four themes shows one figure of each.
    known, values = registry(), entry.get("figures", {})
    order = list(
        dict.fromkeys(
            k
            for slide in entry.get("slides", [])[1:]
            for k in slide.get("figures", [])
            if k in known and known[k].kind != "date" and type(values.get(k)) in (int, float)
        )
    )
    firsts = [k for i, k in enumerate(order) if known[k].theme not in {known[e].theme for e in order[:i]}]
    chosen = sorted((firsts + [k for k in order if k not in firsts])[:MAX_FACTS], key=order.index)
    facts = [(known[k].label_in(lang), known[k].format(values[k], fmt)) for k in chosen]
    base = link.format(period=period, audience=job.key)
    base = base if base.endswith("/") else base + "/"
    files = sorted(
        job.files,
        key=lambda file: list(FILE_KINDS).index(file[1].name) if file[1].name in FILE_KINDS else len(FILE_KINDS),
    )
    buttons = tuple(
        (kind.link_text(lang), base + quote(PurePosixPath(path.name).name)) for path, kind in files if kind.link
    )
    contact = ", ".join(p for p in (settings.contact.team, settings.contact.email) if p)
    return Post(
        title=f"{settings.organisation}: {entry['title']}",
        subtitle=msg("post.subtitle", period_label=fmt.month(Period.parse(period).start)),
        facts=tuple(facts),
        buttons=buttons,
        footer=msg("post.footer", contact=contact) if contact else "",
    )


def _connect(smtp: SmtpSettings, password: str) -> smtplib.SMTP:
    import smtplib
    import ssl

    if smtp.ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
        )
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


def _reason(exc: BaseException) -> Notice:
    """Why a mail failed, in the catalog's words around the server's or library's own (quoted)."""
    import smtplib

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return Notice(
            "mail_refused",
            detail="; ".join(
                f"{code} {resp.decode('utf-8', 'replace') if isinstance(resp, bytes) else resp}"
                for code, resp in exc.recipients.values()
            ),
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return Notice("mail_disconnected", detail=str(exc) or Notice("no_reason_given"))
    return Notice("mail_failed", detail=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)


def _values(settings: Settings, title: str, lang: str, period: str, key: str) -> dict[str, str]:
    from sambrief.i18n.catalog import Formatter
    from sambrief.model.core import Period

    return {
        "organisation": str(settings.organisation),
        "title": str(title),
        "period": period,
        "period_label": Formatter(lang, settings.currency).month(Period.parse(period).start),
        "team": str(settings.contact.team),
        "audience": key,
    }


def _attachments(mailed: list[tuple[Path, FileKind]]) -> list[tuple[Path, FileKind]]:
    """A mail's files. Where the deck has a PDF, the one-pager stays at home: the deck's PDF
    says all it says, and a mail read on a phone needs one PDF."""
    if any(kind.name == "deck_pdf" for _, kind in mailed):
        mailed = [(path, kind) for path, kind in mailed if kind.name != "onepager_pdf"]
    return sorted(mailed, key=lambda item: item[1].name != "deck_pdf")  # the PDF first: a phone shows it first


def attachment_name(path: Path, kind: FileKind, key: str, period: str) -> str:
    """Names that say audience and period: the deck's files are named so; a one-pager is
    `onepager.pdf` in its folder, which says neither once it is out of the folder."""
    if kind.name == "onepager_pdf":
        return f"sambrief-{key}-{period}-onepager.pdf"
    return path.name


def key_figures(entry: dict, lang: str, currency: str) -> list[str]:
    """Up to KEY_FIGURES lines "Label: value": per theme of the key-points slide its summary
    figure (or the first it states), as the figure registry names and formats them."""
    from sambrief.briefing import figures as registry
    from sambrief.i18n.catalog import Formatter

    slides = entry.get("slides") or []
    stated = slides[1]["figures"] if len(slides) > 1 else []
    values = entry.get("figures", {})
    chosen: dict[str, str] = {}
    summary = {f.key for f in registry.summary_figures()}
    for key in stated:
        figure = registry.get(key)
        if figure is None or not isinstance(values.get(key), (int, float)) or isinstance(values.get(key), bool):
            continue
        if figure.theme not in chosen or (key in summary and chosen[figure.theme] not in summary):
            chosen[figure.theme] = key
    fmt = Formatter(lang, currency)
    lines = []
    for key in list(chosen.values())[:KEY_FIGURES]:
        figure = registry.get(key)
        assert figure is not None
        label = figure.label_in(lang)
        lines.append(f"– {label[:1].upper()}{label[1:]}: {figure.format(values[key], fmt)}")
    return lines


def _message(
    settings: Settings,
    config: DeliverySettings,
    manifest: dict,
    key: str,
    entry: dict,
    recipient: str,
    attachments: list[tuple[Path, FileKind]],
    period: str,
) -> EmailMessage:
    assert config.smtp is not None  # a mail is made only with an SMTP server
    lang = entry.get("language", settings.language)
    values = _values(settings, entry["title"], lang, period, key)
    part = Messages(lang).raw  # the body's pieces (mail.*): what is attached, the figures' heading, the intranet link
    figures = key_figures(entry, lang, settings.currency)
    values |= {
        "attached": part(
            "mail.attached_deck" if any(kind.name == "deck" for _, kind in attachments) else "mail.attached_pdf"
        ),
        "figures": "\n".join([part("mail.figures"), *figures]) + "\n\n" if figures else "",
        "link": part("mail.link").format(url=settings.contact.url) + "\n\n" if settings.contact.url else "",
        "reply": part("mail.reply").format(email=settings.contact.email) if settings.contact.email else "",
    }
    message = EmailMessage()
    message["From"] = config.smtp.sender
    message["To"] = recipient
    message["Subject"] = config.subject.get(lang, part("mail.subject")).format(**values)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=config.smtp.sender.split("@")[-1])
    message.set_content(config.body.get(lang, part("mail.body")).format(**values))
    for path, kind in attachments:
        maintype, subtype = kind.media_type.split("/", 1)
        message.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=attachment_name(path, kind, key, period)
        )
    return message
