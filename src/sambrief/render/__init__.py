"""Renderer registry: output format -> function(briefing, resources) -> bytes."""

from __future__ import annotations

from collections.abc import Callable

from sambrief.briefing import Briefing


def _pptx(briefing: Briefing, template: object) -> bytes:
    from sambrief.render.pptx import render_deck

    return render_deck(briefing, template)  # type: ignore[arg-type]


RENDERERS: dict[str, Callable[[Briefing, object], bytes]] = {"pptx": _pptx}
