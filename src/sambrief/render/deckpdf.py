"""The deck as PDF: one page per slide, the texts the deck's slides carry in the places they
have there, the charts drawn as on the one-pager (shapes in SVG, labels as HTML text).
Rendered with WeasyPrint as one document per deck: no LibreOffice, and a phone opens it.

Reads what the deck builder noted while writing each slide (render/deckwriter.py `SlidePage`), so
the PDF never says anything the pptx does not. The page template (`deck.html.j2`, with
`deck.css`) is a page template like the one-pager's: a workspace's templates/ folder may
replace it."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from sambrief.briefing.compose import Briefing
from sambrief.config.settings import Settings
from sambrief.render.deckwriter import DeckResult, Drawn
from sambrief.render.html import environment, font_family, logo_uri, render_template, template_colours, write_pdf
from sambrief.render.svgchart import svg_chart

EMU_PER_MM = 36000
LABEL_PT = 12  # the deck's chart font: a chart unit is as large as 12 pt / 11 units
_PT_MM = 25.4 / 72


def _mm(emu: float) -> float:
    return round(emu / EMU_PER_MM, 2)


def _chart(drawn: Drawn, briefing: Briefing, colours: dict[str, str]) -> Markup:
    """The chart in its frame, its units scaled so its labels have the deck's chart font size."""
    assert drawn.chart is not None
    unit_mm = drawn.size * _PT_MM / 11
    width_mm, height_mm = drawn.width / EMU_PER_MM, drawn.height / EMU_PER_MM * 0.92
    return svg_chart(
        drawn.chart,
        briefing.fmt,
        colours,
        width=max(120, int(width_mm / unit_mm)),
        height=max(80, int(height_mm / unit_mm)),
        height_mm=round(height_mm, 2),
    )


def _arrow_points(kind: str, width: float, height: float) -> str:
    """The outline of a chevron (notched) or pentagon (flat back), in mm of the shape: point and
    notch 0.3 of the height deep, as the deck sets the shapes' adjustment."""
    depth = 0.3 * height
    head = [(width - depth, 0), (width, height / 2), (width - depth, height), (0, height)]
    back = [(depth, height / 2)] if kind == "chevron" else []
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in [(0, 0), *head, *back])


def _colour(name: str, colours: dict[str, str]) -> str:
    if not name:
        return ""
    if name == "bg1":
        return "#ffffff"
    if name == "bg2":  # the theme's light second background (tiles, balance cards)
        return "#" + (colours.get("lt2") or "EEF1F5")
    return "#" + (colours.get(name) or name)


def deck_context(result: DeckResult, briefing: Briefing, colours: dict[str, str]) -> dict[str, Any]:
    width, height = result.size
    pages = []
    for page in result.pages:
        items = []
        for d in page.drawn:
            items.append(
                {
                    "kind": d.kind,
                    "role": d.role,
                    "lines": list(d.lines),
                    "size": d.size,
                    "bold": d.bold,
                    "italic": d.italic,
                    "align": d.align,
                    "space_after": d.space_after,
                    "anchor": {"ctr": "middle", "b": "bottom"}.get(d.anchor, "top"),
                    "colour": _colour(d.colour, colours),
                    "fill": _colour(d.fill, colours),
                    "left": _mm(d.left),
                    "top": _mm(d.top),
                    "width": _mm(d.width),
                    "height": _mm(d.height),
                    "chart": _chart(d, briefing, colours) if d.kind == "chart" and d.chart is not None else None,
                    "outline": _arrow_points(d.kind, d.width / EMU_PER_MM, d.height / EMU_PER_MM)
                    if d.kind in ("chevron", "pentagon")
                    else "",
                }
            )
        # a layout that draws its own colour band needs no accent band of the PDF's
        pages.append(
            {
                "role": page.role,
                "number": page.number,
                "boxes": items,
                "banded": any(d.role == "layout" for d in page.drawn),
            }
        )
    return {
        "lang": briefing.language,
        "title": briefing.title,
        "period_label": briefing.period_label,
        "organisation": briefing.organisation,
        "width": _mm(width),
        "height": _mm(height),
        "pages": pages,
        "colours": colours,
    }


def render_deck_pdf(result: DeckResult, briefing: Briefing, settings: Settings) -> bytes:
    colours = template_colours(settings)
    # the brand's font with the one-pager's fallbacks, as the pptx's theme has it; the chart labels
    # stay in Carlito (measured in it)
    context = deck_context(result, briefing, colours) | {"font": font_family(settings), "logo": logo_uri(settings)}
    html = render_template(environment(settings.templates), "deck.html.j2", context)
    return write_pdf(html)[0]
