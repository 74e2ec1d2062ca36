"""Renderer registry: output format -> function(briefing, settings) -> files (name -> bytes) and warnings.

A new output format is one entry here; `formats:` in audiences.yaml is validated against it.
"""

from __future__ import annotations

from collections.abc import Callable

from sambrief.briefing import Briefing, details_csv
from sambrief.render.html import render_onepager
from sambrief.render.pptx import render_deck
from sambrief.render.rendered import Rendered
from sambrief.settings import Settings


def _pptx(briefing: Briefing, settings: Settings) -> Rendered:
    result = render_deck(briefing, settings.deck_template, settings.layout_names)
    files = {f"sambrief-{briefing.output_key}-{briefing.period}.pptx": result.data}
    if briefing.details:
        files["details.csv"] = details_csv(briefing)  # the full lists the notes cap at 15 items
    return Rendered(files, result.warnings)


def _onepager(briefing: Briefing, settings: Settings) -> Rendered:
    return render_onepager(briefing, settings)


RENDERERS: dict[str, Callable[[Briefing, Settings], Rendered]] = {"pptx": _pptx, "onepager": _onepager}
