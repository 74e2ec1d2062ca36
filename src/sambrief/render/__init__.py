"""Renderer registry: output format -> function(briefing, settings) -> Rendered (files, the
kind of each file, warnings).

A new output format is one entry here; `formats:` in audiences.yaml is validated against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sambrief.render.rendered import DECK, DECK_PDF, DETAILS_CSV, Rendered

if TYPE_CHECKING:  # the renderers (python-pptx, Jinja, pandas through the briefing) load when one renders
    from sambrief.briefing.compose import Briefing
    from sambrief.config.settings import Settings


def _pptx(briefing: Briefing, settings: Settings) -> Rendered:
    from sambrief.briefing.compose import details_csv
    from sambrief.render.deckpdf import render_deck_pdf
    from sambrief.render.pptx import render_deck

    result = render_deck(briefing, settings.deck_template, settings.layout_names, settings.brand, settings.branded_template)
    name = f"sambrief-{briefing.output_key}-{briefing.period}"
    # The deck as PDF beside it: the same slides for a phone, made without LibreOffice.
    rendered = Rendered({f"{name}.pptx": result.data, f"{name}.pdf": render_deck_pdf(result, briefing, settings)}, result.warnings,
                        {f"{name}.pptx": DECK, f"{name}.pdf": DECK_PDF})
    if briefing.details:
        rendered.files["details.csv"] = details_csv(briefing)  # the full lists the notes cap at 15 items
        rendered.kinds["details.csv"] = DETAILS_CSV
    return rendered


def _onepager(briefing: Briefing, settings: Settings) -> Rendered:
    from sambrief.render.html import render_onepager

    return render_onepager(briefing, settings)


RENDERERS: dict[str, Callable[[Briefing, Settings], Rendered]] = {"pptx": _pptx, "onepager": _onepager}
