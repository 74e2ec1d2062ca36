"""Renderer registry: output format -> function(briefing, settings) -> Rendered bytes and warnings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sambrief.briefing import Briefing


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)


def _pptx(briefing: Briefing, settings: Any) -> Rendered:
    from sambrief.render.pptx import render_deck
    from sambrief.pipeline import deck_template

    result = render_deck(briefing, deck_template(settings), settings.layout_names)
    return Rendered(result.data, result.warnings)


RENDERERS: dict[str, Callable[[Briefing, Any], Rendered]] = {"pptx": _pptx}
