"""The intranet page of a period (pull, not push): standing information, the news flash, what
changed, and the downloads of every audience published there; rendered with the page templates,
colours and fonts of html.py."""

from __future__ import annotations

from typing import Any

from sambrief.config.settings import Settings
from sambrief.i18n.catalog import Formatter
from sambrief.render.html import environment, font_family, render_template, template_colours


def render_intranet(
    settings: Settings,
    language: str,
    period: str,
    period_label: str,
    downloads: list[dict[str, Any]],
    news: list[Any],
    changes: list[str],
    blocks: list[Any],
    as_of: Any,
    link_labels: dict[str, str],
) -> dict[str, bytes]:
    from sambrief.i18n.catalog import Messages

    fmt, msg = Formatter(language, settings.currency), Messages(language)
    env = environment(settings.templates)
    context = {
        "lang": language,
        "organisation": settings.organisation,
        "title": msg("intranet.title"),
        "period": period,
        "period_label": period_label,
        "as_of": fmt.date(as_of),
        "labels": {
            k: msg(f"intranet.{k}")
            for k in ("news", "no_news", "changes", "no_changes", "downloads", "contact", "about", "updated", "skip")
        }
        | link_labels,
        "news": [{"date": fmt.date(n.date), "iso": n.date.isoformat(), "title": n.title, "text": n.text} for n in news],
        "changes": changes,
        "downloads": downloads,
        "blocks": blocks,
        "contact": {
            "team": settings.contact.team,
            "email": settings.contact.email,
            "phone": settings.contact.phone,
            "url": settings.contact.url,
        },
    }
    html = render_template(env, "intranet.html.j2", context)
    css = render_template(env, "intranet.css", {"colours": template_colours(settings), "font": font_family(settings)})
    return {"index.html": html.encode("utf-8"), "style.css": css.encode("utf-8")}
