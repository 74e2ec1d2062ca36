"""`sambrief plan`: the internal-marketing concept, a deck and a one-pager rendered like the briefings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sambrief.briefing.plan import compose_plan
from sambrief.commands.build import BuildResult
from sambrief.commands.stages import Progress
from sambrief.config.workspace import open_workspace
from sambrief.errors import StrictModeError
from sambrief.i18n.levels import split
from sambrief.i18n.notices import Notice
from sambrief.publish.lock import workspace_lock
from sambrief.publish.output import recover, write_all
from sambrief.render import RENDERERS
from sambrief.render.pptx import render_deck


@dataclass(frozen=True)
class PlanRequest:
    config: Path | None = None
    language: str | None = None
    out: Path | None = None
    strict: bool = False
    today: date | None = None


def build_plan(request: PlanRequest, progress: Progress = lambda _: None) -> BuildResult:
    """The internal-marketing concept: a deck and a one-pager, rendered like the briefings."""
    settings = open_workspace(request.config)
    language = request.language or settings.language
    today = request.today or date.today()
    progress(Notice("step_composing_concept"))
    template = settings.deck_template
    deck_briefing, onepager_briefing = compose_plan(settings, language, today, template.name)
    out_dir = (request.out or settings.output) / "plan"
    # The deck alone: the briefings' deck output would lay out its PDF too, which the plan does not write.
    deck = render_deck(deck_briefing, template, settings.layout_names, settings.brand, settings.branded_template)
    onepager = RENDERERS["onepager"](replace(onepager_briefing, warnings=[]), settings)
    warnings = deck.warnings + onepager.warnings
    blocking = split(warnings)[1]
    if request.strict and blocking:
        raise StrictModeError(Notice("strict", n=len(blocking), first=blocking[0]))
    files = {out_dir / f"sambrief-plan-{language}.pptx": deck.data}
    files.update(
        {
            out_dir / f"plan-{name.replace('onepager', 'onepager-' + language)}": data
            for name, data in onepager.files.items()
        }
    )
    progress(Notice("step_writing_concept"))
    with workspace_lock(settings.root, activity="plan"):
        recover(request.out or settings.output)
        written = write_all(files)
    return BuildResult(deck_briefing.period, out_dir, written, [deck_briefing], [], warnings)
