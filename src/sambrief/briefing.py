"""Select each audience's excerpts: themes -> findings -> one briefing within its slide budget.

Pure: takes the model and the settings, returns data for the renderers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sambrief.config import Audience, Contact, Settings
from sambrief.findings import Finding
from sambrief.i18n import Formatter, Messages
from sambrief.model import Model, for_department
from sambrief.changes import what_changed
from sambrief.themes import THEMES, ThemeContext, trends

# Themes whose figures every briefing knows (for improvements, trends and "what changed").
BASELINE_THEMES = ("risk", "cloud_sprawl", "lifecycle")

FIXED_SLIDES = 4  # title, key points, balance, closing
MAX_KEY_POINTS = 5
MAX_BALANCE_ITEMS = 4


@dataclass
class Briefing:
    audience: Audience
    language: str
    organisation: str
    title: str
    period: str  # YYYY-MM
    period_label: str  # 'Oktober 2026'
    as_of: date
    currency: str
    contact: Contact
    key_points: list[str]
    findings: list[Finding]
    achieved: list[str]
    remaining: list[str]
    figures: dict[str, Any]  # 'theme.figure' -> number, for the manifest
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # export file names the briefing rests on
    changes: list[str] = field(default_factory=list)  # what changed since the previous period
    # Wording of the frame slides, where a document is not a periodic briefing (the concept).
    subtitle: str | None = None
    balance_title: str | None = None
    achieved_label: str | None = None
    remaining_label: str | None = None

    @property
    def fmt(self) -> Formatter:
        return Formatter(self.language, self.currency)

    @property
    def output_key(self) -> str:
        """Folder and file name: the audience, plus the department for a departmental briefing."""
        if not self.audience.department_in_name:
            return self.audience.key
        slug = re.sub(r"[^a-z0-9]+", "-", self.audience.department.casefold()).strip("-") or "department"
        return f"{self.audience.key}-{slug}"

    @property
    def msg(self) -> Messages:
        return Messages(self.language)


_BASELINE: dict[tuple, tuple[Model, Settings, dict[str, Any]]] = {}


def baseline_figures(model: Model, settings: Settings, audience: Audience, language: str) -> dict[str, Any]:
    """The baseline themes' figures, computed once per model: every audience of a build shares
    them (they depend on the data and the department, not on the audience's wording)."""
    key = (id(model), id(settings), audience.department, language)
    hit = _BASELINE.get(key)
    if hit is not None and hit[0] is model and hit[1] is settings:
        return dict(hit[2])
    if len(_BASELINE) >= 8:
        _BASELINE.clear()  # later builds in the same process: let earlier models go
    baseline = ThemeContext(model, settings, audience, language)
    figures = {f"{t}.{k}": v for t in BASELINE_THEMES for k, v in THEMES[t](baseline).figures.items()}
    _BASELINE[key] = (model, settings, figures)
    return dict(figures)


def compose(model: Model, settings: Settings, audience: Audience, language: str | None = None) -> Briefing:
    language = language or audience.language
    if audience.department:
        model = for_department(model, audience.department)
    current = baseline_figures(model, settings, audience, language)
    ctx = ThemeContext(model, settings, audience, language, current)
    findings: list[Finding] = []
    figures: dict[str, Any] = {}
    achieved: list[str] = []
    remaining: list[str] = []
    warnings: list[str] = []
    for theme in audience.themes:
        result = THEMES[theme](ctx)
        findings.extend(result.findings)
        figures.update({f"{theme}.{k}": v for k, v in result.figures.items()})
        achieved.extend(result.achieved)
        remaining.extend(result.remaining)
        warnings.extend(f"{audience.key}: {w}" for w in result.warnings)

    trend = trends.build(ctx, current | figures)
    if trend is not None:
        findings.append(trend)
    budget = audience.max_slides - FIXED_SLIDES
    if len(findings) > budget:
        keep = sorted(findings, key=lambda f: f.priority)[:budget]
        dropped = [f.key for f in findings if f not in keep]
        findings = [f for f in findings if f in keep]
        warnings.append(
            f"{audience.key}: {len(dropped)} finding(s) left out to stay within {audience.max_slides} slides "
            f"({', '.join(dropped)}); raise max_slides in audiences.yaml to show them"
        )
    fmt = Formatter(language, settings.currency)
    return Briefing(
        audience=audience,
        language=language,
        organisation=settings.organisation,
        title=_title(audience, language),
        period=str(model.period),
        period_label=fmt.month(model.period.start),
        as_of=model.as_of,
        currency=settings.currency,
        contact=settings.contact,
        key_points=[f.key_point for f in findings if f.key_point][:MAX_KEY_POINTS],
        findings=findings,
        achieved=achieved[:MAX_BALANCE_ITEMS],
        remaining=remaining[:MAX_BALANCE_ITEMS],
        figures=figures,
        warnings=warnings,
        sources=sorted({s.name for s in model.sources}),
        changes=what_changed(current | figures, model.previous_figures(), ctx.since, fmt, Messages(language)),
    )


def _title(audience: Audience, language: str) -> str:
    title = audience.title.get(language) or audience.title.get(audience.language) or audience.key
    return f"{title}: {audience.department}" if audience.department_in_name else title
