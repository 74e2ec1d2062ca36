"""Delivery channels beyond mail (`teams`, `slack`, `folder`; their settings are config.delivery):
the message they post (cards.py), the HTTP post with retries (webhook.py) and the copy to a
share (folder.py). deliver.py runs them beside the mail, once per period and audience.

Webhook URLs are secrets: the settings name an environment variable or a file outside the
workspace, and the URL is read only when a post goes out; it is never printed, logged or
written anywhere (errors name the variable or file instead).
"""

from __future__ import annotations

import os

from sambrief.config.delivery import WebhookTarget


class ChannelError(Exception):
    """One post or copy failed; the text is safe to print (never holds a webhook URL)."""


def webhook_url(target: WebhookTarget) -> str:
    """The webhook URL, read now (never kept in the settings, never printed)."""
    if target.url_env:
        value = os.environ.get(target.url_env, "")
    else:
        assert target.url_file is not None
        try:
            value = target.url_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ChannelError(f"cannot read {target.secret_source} ({getattr(exc, 'strerror', None) or type(exc).__name__})") from None
    value = value.strip()
    if not value:
        raise ChannelError(f"{target.secret_source} holds no webhook URL; set it to the URL the channel's webhook gave")
    if any(c.isspace() for c in value):
        raise ChannelError(f"{target.secret_source} holds more than one line; put only the webhook URL in it")
    return value
