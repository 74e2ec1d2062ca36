"""Select each audience's excerpts: themes -> findings -> one briefing within its slide budget.

Pure: takes the model and the settings, returns data for the renderers. The notes' full lists
(details.csv) are details.py, the summary's key-figure tiles tiles.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sambrief.briefing.changes import what_changed
from sambrief.briefing.details import DetailList, cap_note_lists
from sambrief.briefing.findings import BigFigure, Finding, Tile
from sambrief.briefing.themes import THEME_MODULES, THEMES, ThemeContext, ThemeResult, trends
from sambrief.briefing.themes.base import PER_AUDIENCE, SHARED
from sambrief.briefing.tiles import key_tiles
from sambrief.config.settings import Audience, Contact, Settings
from sambrief.i18n.catalog import Formatter, Messages
from sambrief.i18n.notices import Notice
from sambrief.model import groups
from sambrief.model.core import Model, for_department
from sambrief.model.disclosure import Disclosure

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
    details: list[DetailList] = field(default_factory=list)  # the full lists behind the notes (details.csv)
    # population -> the sets of groups the briefing states figures of (sambrief.model.groups: the disclosure audit)
    published: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    tiles: list[Tile] = field(default_factory=list)  # key figures leading the summary (deck, one-pager)
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
        return output_key(self.audience)

    @property
    def msg(self) -> Messages:
        return Messages(self.language)


def output_key(audience: Audience) -> str:
    """Folder and file name: the audience, plus the department for a departmental briefing."""
    if not audience.department_in_name:
        return audience.key
    slug = re.sub(r"[^a-z0-9]+", "-", (audience.department or "").casefold()).strip("-") or "department"
    return f"{audience.key}-{slug}"


class SharedThemes:
    """The theme results of one build, shared by its audiences (one object per build: the
    model and the settings are the same for every key)."""

    def __init__(self) -> None:
        self._results: dict[tuple, ThemeResult] = {}
        # (id of a finding's notes, headline, language) -> (those notes, capped notes, full lists)
        self._capped: dict[tuple, tuple[list[str], list[str], list[DetailList]]] = {}
        self._lists: dict[tuple, list[tuple[list[str], dict]]] = {}  # the full lists' lines, see _same_lines

    def capped_notes(self, finding: Finding, msg: Messages, details: list[DetailList]) -> Finding:
        """details.cap_note_lists, once per finding that audiences share (the notes list is the theme's)."""
        key = (id(finding.notes), finding.headline, msg.language)
        hit = self._capped.get(key)
        if hit is None or hit[0] is not finding.notes:
            lists: list[DetailList] = []
            capped = cap_note_lists(finding, msg, lists, self._lists)
            hit = self._capped[key] = (finding.notes, capped.notes, lists)
        details.extend(hit[2])
        return finding if hit[1] is finding.notes else replace(finding, notes=hit[1])

    def result(self, theme: str, ctx: ThemeContext) -> ThemeResult:
        """The theme's result, computed once where nothing it reads differs between audiences
        (its module's AUDIENCE says what it reads). Results are not changed afterwards."""
        ctx = replace(ctx, theme=theme)
        reads = THEME_MODULES[theme].AUDIENCE
        if reads == PER_AUDIENCE:
            return THEMES[theme](ctx)
        audience = ctx.audience
        key = (theme, ctx.language, audience.department, audience.top_n, None if reads == SHARED else reads(audience))
        if key not in self._results:
            self._results[key] = THEMES[theme](ctx)
        return self._results[key]

    def baseline_figures(self, ctx: ThemeContext) -> dict[str, Any]:
        """The figures of the themes every briefing knows (for improvements, trends and "what changed")."""
        return {f"{t}.{k}": v for t in BASELINE_THEMES for k, v in self.result(t, ctx).figures.items()}


def compose(
    model: Model,
    settings: Settings,
    audience: Audience,
    language: str | None = None,
    past: dict[str, dict[str, Any]] | None = None,
    shared: SharedThemes | None = None,
    disclosure: Disclosure | None = None,
) -> Briefing:
    """`past`: this audience's figures of earlier periods (registers and departments filter per
    audience, so trends and "what changed" compare like with like); None: the periods' figures.
    `shared`: the build's theme results, so audiences of one build compute a theme once.
    `disclosure`: the period's plan of the groups shown (None: planned for this audience alone)."""
    language = language or audience.language
    disclosure = disclosure if disclosure is not None else groups.plan_period(model, settings, [audience])
    withheld: dict[str, str] = {}
    if audience.department:
        withheld = groups.withheld(model, disclosure, audience.department)
        # the department's model without the people it may not describe: no theme, trend or change can state them
        model = groups.empty_withheld(for_department(model, audience.department), withheld)
        if past is not None:  # the department's own earlier figures: what a month withheld stays unknown later
            model = replace(model, history={p: f for p, f in past.items() if p < str(model.period)})
    shared = shared if shared is not None else SharedThemes()
    current = shared.baseline_figures(
        ThemeContext(model, settings, audience, language, disclosure=disclosure, withheld=withheld)
    )
    ctx = ThemeContext(model, settings, audience, language, current, disclosure, withheld)
    findings: list[Finding] = []
    figures: dict[str, Any] = {}
    achieved: list[str] = []
    remaining: list[str] = []
    remaining_first: list[str] = []
    warnings: list[str] = []
    theme_sets: dict[str, list[frozenset[str]]] = {}
    if withheld:
        findings.append(
            _withheld_finding(audience.department or "", withheld, settings.min_group_size, Messages(language))
        )
    for theme in audience.themes:
        result = shared.result(theme, ctx)
        keys = tuple(f"{theme}.{k}" for k in result.figures)
        findings.extend(f if f.figures else replace(f, figures=keys) for f in result.findings)
        figures.update({f"{theme}.{k}": v for k, v in result.figures.items()})
        achieved.extend(result.achieved)
        remaining.extend(result.remaining)
        remaining_first.extend(result.remaining_first)
        warnings.extend(f"{audience.key}: {w}" for w in result.warnings)
        for dataset, sets in result.published.items():
            theme_sets.setdefault(dataset, []).extend(sets)

    trend = trends.build(ctx, current | figures, past)
    if trend is not None:
        findings.append(trend)
    fmt = Formatter(language, settings.currency)
    findings = [_single_category_as_figure(f, fmt) for f in findings]
    findings = [_lead_number_as_figure(f, current | figures, fmt) for f in findings]
    details: list[DetailList] = []
    findings = [shared.capped_notes(f, Messages(language), details) for f in findings]
    findings = [_figures_note(f, current | figures, fmt, Messages(language)) for f in findings]
    budget = audience.max_slides - FIXED_SLIDES
    if len(findings) > budget:
        keep = sorted(findings, key=lambda f: f.priority)[:budget]
        dropped = [f.key for f in findings if f not in keep]
        findings = [f for f in findings if f in keep]
        warnings.append(
            Notice(
                "findings_left_out",
                audience=audience.key,
                n=len(dropped),
                max_slides=audience.max_slides,
                keys=", ".join(dropped),
            )
        )
    previous = model.previous_figures() if past is None else past.get(str(model.period.previous), {})
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
        remaining=(remaining_first + remaining)[:MAX_BALANCE_ITEMS],
        figures=figures,
        warnings=warnings,
        sources=sorted({s.name for s in model.sources}),
        details=details,
        published=groups.published_sets(audience, withheld, theme_sets, model),
        changes=what_changed(current | figures, previous, ctx.since, fmt, Messages(language)),
        tiles=key_tiles(findings, current | figures, previous, ctx.since, fmt, Messages(language)),
    )


def _withheld_finding(department: str, withheld: dict[str, str], minimum: int, msg: Messages) -> Finding:
    """The slide that says why a departmental briefing states nothing about its people."""
    what = msg("withheld.what_" + ("both" if len(withheld) > 1 else next(iter(withheld))))
    reasons = [
        msg(f"withheld.reason_{reason}", group=department, n=minimum) for reason in dict.fromkeys(withheld.values())
    ]
    return Finding(
        theme="privacy",
        key="privacy.withheld",
        headline=msg("withheld.headline", group=department, what=what),
        bullets=[*reasons, msg("withheld.rest")][:3],
        notes=[msg("withheld.note", n=minimum)],
        source="",
        key_point=msg("withheld.key_point", group=department, what=what, n=minimum),
        priority=5,
    )


def slides(briefing: Briefing) -> list[dict[str, Any]]:
    """One object per slide in order: its title and the figures it states (manifest `slides`).

    A slide lists the figures of its theme whose value its title, bullets or big figure state;
    the trend slide lists its series (it states their earlier months too)."""
    from sambrief.briefing.figures import stated_in

    def stated(texts: list[str], keys: Any) -> list[str]:
        return stated_in(
            [t for t in texts if t], {k: briefing.figures.get(k) for k in dict.fromkeys(keys)}, briefing.language
        )

    def finding_figures(f: Finding) -> list[str]:
        if f.theme == "trends":
            return list(f.figures)
        big = [f.figure.value, f.figure.caption] if f.figure is not None else []
        return stated([f.headline, *f.bullets, *big], f.figures)

    every = [key for f in briefing.findings for key in f.figures]
    frame = {"title": briefing.title, "figures": []}
    # Each key point is its finding's sentence: it states that finding's figures.
    pointed = [
        key
        for f in briefing.findings
        if f.key_point and f.key_point in briefing.key_points
        for key in stated([f.key_point], f.figures)
    ]
    tiled = [tile.figure for tile in briefing.tiles]
    key_points = {"title": briefing.msg("deck.key_points_title"), "figures": list(dict.fromkeys(pointed + tiled))}
    balance = {
        "title": briefing.balance_title or briefing.msg("deck.balance_title"),
        "figures": stated([*briefing.achieved, *briefing.remaining], every),
    }
    closing = {"title": briefing.msg("deck.closing_title"), "figures": []}
    return [
        frame,
        key_points,
        *({"title": f.headline, "figures": finding_figures(f)} for f in briefing.findings),
        balance,
        closing,
    ]


def _figures_note(finding: Finding, values: dict[str, Any], fmt: Formatter, msg: Messages) -> Finding:
    """The slide's lead figures in the notes, named as the registry names them, with the key to
    ask `sambrief explain` about."""
    from sambrief.briefing import figures as registry

    known = [f for f in (registry.get(k) for k in finding.figures) if f is not None]
    lead = [f for f in known if (f.trend or f.summary) and isinstance(values.get(f.key), (int, float))]
    if not lead:
        return finding
    listing = "; ".join(
        f"{_capital(f.label_in(fmt.language))}: {f.format(values[f.key], fmt)} ({f.key})" for f in lead[:4]
    )
    return replace(finding, notes=[*finding.notes, msg("deck.notes_figures", list=listing)])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _single_category_as_figure(finding: Finding, fmt: Formatter) -> Finding:
    """A chart of one bar compares nothing: the slide shows the number large instead."""
    chart = finding.chart
    if chart is None or finding.figure is not None or len(chart.categories) != 1 or chart.kind == "line":
        return finding
    value = chart.values[0]
    formats: dict[str, Callable[[float], str]] = {"money": fmt.money_short, "percent": fmt.percent}
    shown = formats.get(chart.value_format, fmt.count)(value)
    return replace(finding, chart=None, figure=BigFigure(shown, f"{chart.series_name}: {chart.categories[0]}"))


def _lead_number_as_figure(finding: Finding, values: dict[str, Any], fmt: Formatter) -> Finding:
    """A finding with neither chart, figure nor process steps shows its headline's first number
    large (the big-number layout): the number, what it is, the bullets beside it. A list
    (news, an overview) stays a list."""
    if finding.chart is not None or finding.figure is not None or finding.process or finding.keep_bullets is not None:
        return finding
    from sambrief.briefing import figures as registry
    from sambrief.briefing.figures import stated_in

    known = {k: values.get(k) for k in finding.figures}
    stated = [registry.get(k) for k in stated_in([finding.headline], known, fmt.language)]
    placed = []
    for figure in stated:
        if figure is None or figure.kind == "date":
            continue
        shown = figure.format(values[figure.key], fmt, unit=False)
        where = finding.headline.find(shown)
        if where >= 0:
            placed.append((where, figure, shown))
    if not placed:
        return finding
    _, figure, shown = min(placed, key=lambda p: p[0])
    caption = figure.label_in(fmt.language)
    if figure.kind == "money_per_year":
        caption = Messages(fmt.language)("common.per_year", amount=caption)
    return replace(
        finding,
        figure=BigFigure(
            shown if figure.kind != "days" else figure.format(values[figure.key], fmt),
            caption[:1].upper() + caption[1:],
        ),
    )


def _title(audience: Audience, language: str) -> str:
    title = audience.title.get(language) or audience.title.get(audience.language) or audience.key
    return f"{title}: {audience.department}" if audience.department_in_name else title
