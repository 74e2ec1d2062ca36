"""The one-pager: one A4 page as HTML and as PDF (WeasyPrint), shortened until it fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sambrief.render.rendered import FileKind, OutputFormat, Rendered

if TYPE_CHECKING:
    from sambrief.briefing.compose import Briefing
    from sambrief.config.settings import Settings

ONEPAGER_PDF = FileKind(
    "onepager_pdf",
    "application/pdf",
    "onepager.pdf",
    mailed=True,
    link={"de": "Onepager (PDF)", "en": "One-pager (PDF)"},
    document="onepager",
)
ONEPAGER_HTML = FileKind("onepager_html", "text/html", "onepager.html", document="onepager")


def render(briefing: Briefing, settings: Settings) -> Rendered:
    from sambrief.render.html import render_onepager

    page = render_onepager(briefing, settings)
    rendered = Rendered({}, page.warnings)
    rendered.add(ONEPAGER_HTML, briefing, page.html)
    rendered.add(ONEPAGER_PDF, briefing, page.pdf)
    return rendered


OUTPUT = OutputFormat((ONEPAGER_PDF, ONEPAGER_HTML), render, place=20)
