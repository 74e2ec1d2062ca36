"""`sambrief explain`: where a number comes from, or the list of every figure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.briefing.figures import registry
from sambrief.commands.explain_figure import explain, render_text
from sambrief.commands.stages import default_built_period
from sambrief.config.discovery import find_config
from sambrief.config.workspace import load_settings


@dataclass(frozen=True)
class ExplainRequest:
    figure: str | None = None  # None: list every figure
    period: str | None = None  # None: the period `build` would use (its month folder), else the newest built
    audience: str | None = None
    config: Path | None = None


@dataclass(frozen=True)
class Explanation:
    lines: list[str]  # what a person reads
    info: dict[str, Any] | None = None  # the same for scripts (`--json`); None for the list


def explain_figure(request: ExplainRequest) -> Explanation:
    """One figure's definition, sources, values per audience and the slides that state it;
    without a figure, every figure of the registry with its kind and label."""
    settings = load_settings(find_config(request.config))
    if request.figure is None:
        return Explanation([f"{f.key}  ({f.kind})  {f.label_in(settings.language)}" for f in registry().values()])
    period = request.period or default_built_period(settings)
    info = explain(request.figure, settings.output, settings.history_path, period, request.audience, settings.currency)
    return Explanation(render_text(info, settings.language), info)
