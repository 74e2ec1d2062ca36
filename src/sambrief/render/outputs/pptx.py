"""The deck: a PowerPoint file from the deck template, the same slides as PDF for a phone,
and details.csv with the full lists its speaker notes cap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sambrief.render.rendered import FileKind, OutputFormat, Rendered

if TYPE_CHECKING:
    from sambrief.briefing.compose import Briefing
    from sambrief.config.settings import Settings

DECK = FileKind(
    "deck",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "sambrief-{audience}-{period}.pptx",
    mailed=True,
    link={"de": "Präsentation (PowerPoint)", "en": "Presentation (PowerPoint)"},
    document="deck",
)
DECK_PDF = FileKind(
    "deck_pdf",
    "application/pdf",
    "sambrief-{audience}-{period}.pdf",
    mailed=True,  # the deck for a phone
    link={"de": "Präsentation (PDF)", "en": "Presentation (PDF)"},
    document="deck",
)
DETAILS_CSV = FileKind("details_csv", "text/csv", "details.csv", document="deck")  # the lists behind the deck's slides


def render(briefing: Briefing, settings: Settings) -> Rendered:
    from sambrief.briefing.details import details_csv
    from sambrief.render.deckpdf import render_deck_pdf
    from sambrief.render.pptx import render_deck

    result = render_deck(
        briefing, settings.deck_template, settings.layout_names, settings.brand, settings.branded_template
    )
    rendered = Rendered({}, result.warnings)
    rendered.add(DECK, briefing, result.data)
    # The deck as PDF beside it: the same slides for a phone, made without LibreOffice.
    rendered.add(DECK_PDF, briefing, render_deck_pdf(result, briefing, settings))
    if briefing.details:
        rendered.add(DETAILS_CSV, briefing, details_csv(briefing))  # the full lists the notes cap at 15 items
    return rendered


OUTPUT = OutputFormat((DECK, DECK_PDF, DETAILS_CSV), render, place=10)
