"""Renderer registry: output format -> function(briefing, settings) -> files (name -> bytes) and warnings.

A new output format is one entry here; `formats:` in audiences.yaml is validated against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sambrief.briefing import Briefing


@dataclass
class Rendered:
    files: dict[str, bytes]  # file name within the audience's folder -> content
    warnings: list[str] = field(default_factory=list)


def _pptx(briefing: Briefing, settings: Any) -> Rendered:
    from sambrief.briefing import details_csv
    from sambrief.pipeline import deck_template
    from sambrief.render.pptx import render_deck

    result = render_deck(briefing, deck_template(settings), settings.layout_names)
    files = {f"sambrief-{briefing.output_key}-{briefing.period}.pptx": result.data}
    if briefing.details:
        files["details.csv"] = details_csv(briefing)  # the full lists the notes cap at 15 items
    return Rendered(files, result.warnings)


def _onepager(briefing: Briefing, settings: Any) -> Rendered:
    from sambrief.render.html import render_onepager

    return render_onepager(briefing, settings)


RENDERERS: dict[str, Callable[[Briefing, Any], Rendered]] = {"pptx": _pptx, "onepager": _onepager}
