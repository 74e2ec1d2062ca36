"""Renderer registry: output format -> function(briefing, settings) -> Rendered (files, the
kind of each file, warnings).

A new output format is one entry here; `formats:` in audiences.yaml is validated against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sambrief.render.rendered import DECK, DETAILS_CSV, Rendered

if TYPE_CHECKING:  # the renderers (python-pptx, Jinja, pandas through the briefing) load when one renders
    from sambrief.briefing import Briefing
    from sambrief.settings import Settings


def _pptx(briefing: Briefing, settings: Settings) -> Rendered:
    from sambrief.briefing import details_csv
    from sambrief.render.pptx import render_deck

    result = render_deck(briefing, settings.deck_template, settings.layout_names, settings.brand, settings.branded_template)
    deck = f"sambrief-{briefing.output_key}-{briefing.period}.pptx"
    rendered = Rendered({deck: result.data}, result.warnings, {deck: DECK})
    if briefing.details:
        rendered.files["details.csv"] = details_csv(briefing)  # the full lists the notes cap at 15 items
        rendered.kinds["details.csv"] = DETAILS_CSV
    return rendered


def _onepager(briefing: Briefing, settings: Settings) -> Rendered:
    from sambrief.render.html import render_onepager

    return render_onepager(briefing, settings)


RENDERERS: dict[str, Callable[[Briefing, Settings], Rendered]] = {"pptx": _pptx, "onepager": _onepager}
