"""Delivery channels beyond mail (`teams`, `slack`, `folder`): their settings per audience,
the message they post (cards.py), the HTTP post with retries (webhook.py) and the copy to a
share (folder.py). deliver.py runs them beside the mail, once per period and audience.

Webhook URLs are secrets: the settings name an environment variable or a file outside the
workspace, and the URL is read only when a post goes out; it is never printed, logged or
written anywhere (errors name the variable or file instead).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ChannelError(Exception):
    """One post or copy failed; the text is safe to print (never holds a webhook URL)."""


@dataclass(frozen=True)
class WebhookTarget:
    link: str  # where the audience's files are for readers (SharePoint or a share), `{period}` and `{audience}` filled in
    url_env: str | None = None  # the environment variable holding the webhook URL
    url_file: Path | None = None  # or a file outside the workspace holding it

    @property
    def secret_source(self) -> str:
        return f"the environment variable {self.url_env}" if self.url_env else f"the file {self.url_file}"

    def url(self) -> str:
        """The webhook URL, read now (never kept in the settings, never printed)."""
        if self.url_env:
            value = os.environ.get(self.url_env, "")
        else:
            assert self.url_file is not None
            try:
                value = self.url_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ChannelError(f"cannot read {self.secret_source} ({getattr(exc, 'strerror', None) or type(exc).__name__})") from None
        value = value.strip()
        if not value:
            raise ChannelError(f"{self.secret_source} holds no webhook URL; set it to the URL the channel's webhook gave")
        if any(c.isspace() for c in value):
            raise ChannelError(f"{self.secret_source} holds more than one line; put only the webhook URL in it")
        return value


@dataclass(frozen=True)
class FolderTarget:
    path: Path  # the share; each audience's files go to <path>/<period>/<audience>/

    def folder(self, period: str, audience: str) -> Path:
        return self.path / period / audience
