"""For the briefing tests: a workspace's briefings drafted (read, modelled, composed; nothing
rendered or written), and one briefing rendered in one format when a test reads that file.
A build renders every format of every audience and writes the set; most tests here read
figures, headlines and notes, a few one deck or one-pager."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sambrief.commands.build import BuildRequest, draft

if TYPE_CHECKING:
    from pptx.presentation import Presentation as Deck

    from sambrief.briefing.compose import Briefing
    from sambrief.commands.build import Draft
    from sambrief.render.rendered import Rendered


def draft_of(ws: Path, **request: Any) -> Draft:
    """What `sambrief build` of the workspace composes for the request."""
    return draft(BuildRequest(config=ws / "sambrief.yaml", **request))


def briefing_of(result: Draft, key: str) -> Briefing:
    return next(b for b in result.briefings if b.output_key == key)


def rendered(ws: Path, briefing: Briefing, fmt: str = "pptx") -> Rendered:
    """The files `build` renders for the briefing in this format (its registered renderer)."""
    from sambrief.config.workspace import open_workspace
    from sambrief.render import RENDERERS

    return RENDERERS[fmt](briefing, open_workspace(ws / "sambrief.yaml"))


def deck_of(ws: Path, briefing: Briefing) -> Deck:
    """The briefing's PowerPoint deck as `build` renders it (render/outputs/pptx.py without the
    deck's PDF beside it), opened with python-pptx."""
    from pptx import Presentation

    from sambrief.config.workspace import open_workspace
    from sambrief.render.pptx import render_deck

    settings = open_workspace(ws / "sambrief.yaml")
    deck = render_deck(
        briefing, settings.deck_template, settings.layout_names, settings.brand, settings.branded_template
    )
    return Presentation(io.BytesIO(deck.data))
