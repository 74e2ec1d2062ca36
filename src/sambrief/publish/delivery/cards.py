"""What a Teams or Slack post says, and its two wire formats: an Adaptive Card wrapped for a
Teams Workflows webhook ("When a Teams webhook request is received"), and Block Kit for a
Slack incoming webhook. Pure: no I/O.

The post carries the briefing's title, three or four key figures and a button per shared
document (deck, its PDF when built, the one-pager PDF) pointing at the audience's folder on a
share or SharePoint: Teams takes no attachments. Every text is sambrief's own (titles from the
configuration, figure labels and values from the registry), never a cell of an export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

TEAMS_LIMIT = 28 * 1024  # bytes: Teams refuses larger messages
SLACK_LIMIT = 40 * 1024  # Slack truncates a message's text above 40,000 characters
MAX_FACTS = 4


@dataclass(frozen=True)
class Post:
    title: str  # "Muster GmbH: Lagebild für die Geschäftsführung"
    subtitle: str  # the period ("Oktober 2026") and what it is
    facts: tuple[tuple[str, str], ...]  # (label, value with its unit), at most four
    buttons: tuple[tuple[str, str], ...]  # (label, URL)
    footer: str = ""  # who to ask


def size(payload: dict[str, Any]) -> int:
    return len(body(payload))


def body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def teams_payload(post: Post) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "msteams": {"width": "Full"},
        "body": [
            {"type": "TextBlock", "text": _plain(post.title), "size": "Large", "weight": "Bolder", "wrap": True},
            {"type": "TextBlock", "text": _plain(post.subtitle), "isSubtle": True, "spacing": "None", "wrap": True},
        ],
    }
    if post.facts:
        card["body"].append(
            {
                "type": "FactSet",
                "facts": [{"title": _plain(label), "value": _plain(value)} for label, value in post.facts],
            }
        )
    if post.footer:
        card["body"].append(
            {"type": "TextBlock", "text": _plain(post.footer), "isSubtle": True, "size": "Small", "wrap": True}
        )
    if post.buttons:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": _plain(label), "url": url} for label, url in post.buttons
        ]
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


def slack_payload(post: Post) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(post.title, 150), "emoji": False}},
        {"type": "context", "elements": [{"type": "plain_text", "text": _cut(post.subtitle, 2000), "emoji": False}]},
    ]
    if post.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": _cut(f"*{_mrkdwn(label)}*\n{_mrkdwn(value)}", 2000)}
                    for label, value in post.facts
                ],
            }
        )
    if post.buttons:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": _cut(label, 75), "emoji": False},
                        "url": url,
                        "action_id": f"open_{i}",
                    }
                    for i, (label, url) in enumerate(post.buttons)
                ],
            }
        )
    if post.footer:
        blocks.append(
            {"type": "context", "elements": [{"type": "plain_text", "text": _cut(post.footer, 2000), "emoji": False}]}
        )
    fallback = " · ".join([post.title, post.subtitle, *(f"{label}: {value}" for label, value in post.facts)])
    return {"text": _mrkdwn(_cut(fallback, 3000)), "blocks": blocks}


FORMATS = {"teams": (teams_payload, TEAMS_LIMIT), "slack": (slack_payload, SLACK_LIMIT)}


def fitted(channel: str, post: Post) -> dict[str, Any] | None:
    """The channel's payload within its size limit: the full post, else fewer figures, else a
    shorter title; None when even the title and buttons alone do not fit."""
    make, limit = FORMATS[channel]
    candidates = [post] + [replace(post, facts=post.facts[:n]) for n in range(len(post.facts) - 1, -1, -1)]
    candidates.append(
        replace(post, facts=(), footer="", title=_cut(post.title, 200), subtitle=_cut(post.subtitle, 200))
    )
    for candidate in candidates:
        payload = make(candidate)
        if size(payload) <= limit:
            return payload
    return None


def _plain(text: str) -> str:
    """One line: the texts are sambrief's own (titles from the configuration, labels and values
    from the figure registry), so nothing from an export can start a link or a list."""
    return " ".join(str(text).split())


def _mrkdwn(text: str) -> str:
    """Slack's mrkdwn needs only &, < and > escaped (a `<` would start a link or mention)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
