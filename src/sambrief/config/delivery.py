"""The `deliver:` section of sambrief.yaml: SMTP, recipients, mail texts, and the Teams, Slack and
folder targets per audience, validated once with every problem collected (config.loading.Checker).
publish.deliver sends; this module only knows what the settings say.

Webhook URLs are secrets: the settings name an environment variable or a file outside the
workspace (publish.delivery.webhook_url reads it when a post goes out), never the URL itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.errors import HeaderParseError, MessageError
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from sambrief.config.loading import Checker
from sambrief.i18n.notices import Notice
from sambrief.names import LANGUAGES


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


def default_texts(part: str) -> dict[str, str]:
    """The mail's `subject` or `body` per language as the message catalogs word it (`mail.*`);
    `deliver.subject` and `deliver.body` in sambrief.yaml replace it per language."""
    from sambrief.i18n.catalog import Messages

    return {language: str(Messages(language).raw(f"mail.{part}")) for language in LANGUAGES}


@dataclass(frozen=True)
class WebhookTarget:
    link: (
        str  # where the audience's files are for readers (SharePoint or a share), `{period}` and `{audience}` filled in
    )
    url_env: str | None = None  # the environment variable holding the webhook URL
    url_file: Path | None = None  # or a file outside the workspace holding it

    @property
    def secret_source(self) -> Notice:
        return (
            Notice("secret_env", variable=self.url_env)
            if self.url_env
            else Notice("secret_file", path=str(self.url_file))
        )


@dataclass(frozen=True)
class FolderTarget:
    path: Path  # the share; each audience's files go to <path>/<period>/<audience>/

    def folder(self, period: str, audience: str) -> Path:
        return self.path / period / audience


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
    smtp: SmtpSettings | None  # needed only to mail recipients
    recipients: dict[str, tuple[str, ...]]
    subject: dict[str, str] = field(default_factory=lambda: default_texts("subject"))
    body: dict[str, str] = field(default_factory=lambda: default_texts("body"))
    teams: dict[str, WebhookTarget] = field(default_factory=dict)  # per audience (or departmental key)
    slack: dict[str, WebhookTarget] = field(default_factory=dict)
    folder: dict[str, FolderTarget] = field(default_factory=dict)

    def targets(self, channel: str, key: str) -> list[str]:
        """Where `channel` sends audience `key`'s briefing, as recorded in the history: the mail
        addresses, or the channel itself (a folder: with its path); empty when not configured."""
        if channel == "mail":
            return list(self.recipients.get(key, ())) if self.smtp is not None else []
        if channel == "folder":
            return [f"folder:{self.folder[key].path}"] if key in self.folder else []
        return [channel] if key in getattr(self, channel) else []


def parse_delivery(raw: Any, check: Checker, root: Path | None = None) -> DeliverySettings | None:
    """Validate the `deliver:` section (problems collected by the config checker)."""
    if raw is None:
        return None
    data = check.mapping(raw, "deliver")
    webhooks = {channel: _webhooks(data, channel, check, root) for channel in ("teams", "slack")}
    folders = _folders(data, check, root)
    if data.get("smtp") is None:
        if any(data.get("recipients") or {}):
            check.add("deliver.smtp", Notice("dlv_smtp_required"))
        return DeliverySettings(None, {}, teams=webhooks["teams"], slack=webhooks["slack"], folder=folders)
    smtp_raw = check.mapping(data.get("smtp"), "deliver.smtp")
    if "password" in smtp_raw:
        check.add("deliver.smtp.password", Notice("dlv_no_password"))
    for key in smtp_raw:
        if key not in ("host", "port", "starttls", "ssl", "user", "password", "password_env", "sender", "timeout"):
            hint = Notice("cfg_known", known="host, port, starttls, ssl, user, password_env, sender, timeout")
            check.add(f"deliver.smtp.{key}", Notice("cfg_unknown_key", hint=hint))
    host = check.string(smtp_raw, "host", "deliver.smtp", required=True) or ""
    port = check.integer(smtp_raw, "port", "deliver.smtp", 25)
    sender = check.string(smtp_raw, "sender", "deliver.smtp", required=True) or ""
    if sender and not is_address(sender):
        check.add("deliver.smtp.sender", Notice("dlv_not_address", value=repr(sender)))
    recipients: dict[str, tuple[str, ...]] = {}
    for audience, addresses in check.mapping(data.get("recipients"), "deliver.recipients").items():
        if isinstance(addresses, str):
            addresses = [addresses]
        if not isinstance(addresses, list):
            check.add(f"deliver.recipients.{audience}", Notice("dlv_address_list"))
            continue
        for i, address in enumerate(addresses):
            if not is_address(address):
                check.add(f"deliver.recipients.{audience}[{i}]", Notice("dlv_not_address", value=repr(address)))
        recipients[str(audience)] = tuple(a for a in addresses if is_address(a))
    subject = default_texts("subject") | {
        str(k): str(v) for k, v in check.mapping(data.get("subject"), "deliver.subject").items()
    }
    body = default_texts("body") | {str(k): str(v) for k, v in check.mapping(data.get("body"), "deliver.body").items()}
    for where, templates in (("subject", subject), ("body", body)):
        for lang, text in templates.items():
            try:
                text.format(**example_values())
            except (KeyError, IndexError, ValueError) as exc:
                check.add(
                    f"deliver.{where}.{lang}",
                    Notice("dlv_unknown_placeholder", placeholder=str(exc), known=", ".join(example_values())),
                )
                continue
            if where == "subject" and any(c in text for c in "\r\n"):
                check.add(f"deliver.subject.{lang}", Notice("dlv_subject_line_break"))
    smtp = SmtpSettings(
        host=host,
        port=port,
        starttls=bool(smtp_raw.get("starttls", False)),
        ssl=bool(smtp_raw.get("ssl", False)),
        user=str(smtp_raw.get("user", "") or ""),
        password_env=str(smtp_raw.get("password_env", "SAMBRIEF_SMTP_PASSWORD")),
        sender=sender,
        timeout=int(smtp_raw.get("timeout", 30) or 30),
    )
    return DeliverySettings(smtp, recipients, subject, body, webhooks["teams"], webhooks["slack"], folders)


def _webhooks(data: dict, channel: str, check: Checker, root: Path | None) -> dict[str, WebhookTarget]:
    out: dict[str, WebhookTarget] = {}
    for audience, spec in check.mapping(data.get(channel), f"deliver.{channel}").items():
        where = f"deliver.{channel}.{audience}"
        spec = check.mapping(spec, where)
        for key in ("webhook", "url", "webhook_url"):
            if key in spec:
                check.add(f"{where}.{key}", Notice("dlv_no_url", hint=Notice("dlv_secret_hint")))
        env = check.string(spec, "webhook_env", where)
        file = check.string(spec, "webhook_file", where)
        if bool(env) == bool(file):
            check.add(where, Notice("dlv_one_secret", hint=Notice("dlv_secret_hint")))
        url_file = None
        if file:
            url_file = Path(file).expanduser()
            url_file = url_file if url_file.is_absolute() or root is None else root / url_file
            if root is not None and url_file.resolve().is_relative_to(root.resolve()):
                check.add(
                    f"{where}.webhook_file",
                    Notice("dlv_secret_in_workspace", file=file, example=f"/etc/sambrief/{channel}-{audience}.url"),
                )
        link = check.string(spec, "link", where, required=True) or ""
        if link and not _link_problem(link, f"{where}.link", check):
            out[str(audience)] = WebhookTarget(link, env or None, url_file)
    return out


def _link_problem(link: str, where: str, check: Checker) -> bool:
    """The readers' link to an audience's files: https (SharePoint), http or file:// (a share), with
    {period} and {audience} as the only placeholders."""
    from urllib.parse import urlsplit

    if urlsplit(link).scheme not in ("https", "http", "file") or any(c.isspace() for c in link.strip()):
        check.add(where, Notice("dlv_link", value=repr(link)))
        return True
    try:
        link.format(period="2026-10", audience="management")
    except (KeyError, IndexError, ValueError) as exc:
        check.add(where, Notice("dlv_unknown_placeholder", placeholder=str(exc), known="period, audience"))
        return True
    return False


def _folders(data: dict, check: Checker, root: Path | None) -> dict[str, FolderTarget]:
    out: dict[str, FolderTarget] = {}
    for audience, spec in check.mapping(data.get("folder"), "deliver.folder").items():
        where = f"deliver.folder.{audience}"
        text = spec if isinstance(spec, str) else check.string(check.mapping(spec, where), "path", where, required=True)
        if text:
            path = Path(text).expanduser()
            out[str(audience)] = FolderTarget(path if path.is_absolute() or root is None else root / path)
    return out


def example_values() -> dict[str, str]:
    return {
        "organisation": "",
        "title": "",
        "period": "",
        "period_label": "",
        "team": "",
        "audience": "",
        "figures": "",
        "link": "",
        "attached": "",
        "reply": "",
    }
