"""Select each audience's excerpts: themes -> findings -> one briefing within its slide budget.

Pure: takes the model and the settings, returns data for the renderers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sambrief.changes import what_changed
from sambrief.findings import BigFigure, Finding
from sambrief.i18n import Formatter, Messages
from sambrief.model import Model, for_department
from sambrief.notices import Notice
from sambrief.settings import Audience, Contact, Settings
from sambrief.themes import THEMES, ThemeContext, ThemeResult, trends

# Themes whose figures every briefing knows (for improvements, trends and "what changed").
BASELINE_THEMES = ("risk", "cloud_sprawl", "lifecycle")

FIXED_SLIDES = 4  # title, key points, balance, closing
MAX_KEY_POINTS = 5
MAX_BALANCE_ITEMS = 4
NOTES_LIST_MAX = 15  # items of one list in the speaker notes; the full list goes to details.csv


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
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (slide, list, item): the full lists
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


# What a theme reads of its audience besides the model, the settings, the language, the
# department and top_n. A theme listed here with None reads the audience's own registers or
# figures and is computed per audience; every other theme is computed once per build and its
# result shared by every audience with the same key (a theme result is not changed afterwards).
_AUDIENCE_READS: dict[str, Any] = {
    "opportunities": lambda audience: "cloud_sprawl" in audience.themes,
    "successes": None,  # registers filtered per audience, and the current figures
    "open_issues": None,  # actions register filtered per audience
    "news": None,  # items per audience
}


class SharedThemes:
    """The theme results of one build, shared by its audiences (one object per build: the
    model and the settings are the same for every key)."""

    def __init__(self) -> None:
        self._results: dict[tuple, ThemeResult] = {}

    def result(self, theme: str, ctx: ThemeContext) -> ThemeResult:
        """THEMES[theme](ctx), computed once where nothing it reads differs between audiences."""
        reads = _AUDIENCE_READS.get(theme, ())
        if reads is None:
            return THEMES[theme](ctx)
        audience = ctx.audience
        key = (theme, ctx.language, audience.department, audience.top_n, reads(audience) if callable(reads) else None)
        if key not in self._results:
            self._results[key] = THEMES[theme](ctx)
        return self._results[key]

    def baseline_figures(self, ctx: ThemeContext) -> dict[str, Any]:
        """The figures of the themes every briefing knows (for improvements, trends and "what changed")."""
        return {f"{t}.{k}": v for t in BASELINE_THEMES for k, v in self.result(t, ctx).figures.items()}


def compose(model: Model, settings: Settings, audience: Audience, language: str | None = None,
            past: dict[str, dict[str, Any]] | None = None, shared: SharedThemes | None = None) -> Briefing:
    """`past`: this audience's figures of earlier periods (registers and departments filter per
    audience, so trends and "what changed" compare like with like); None: the periods' figures.
    `shared`: the build's theme results, so audiences of one build compute a theme once."""
    language = language or audience.language
    if audience.department:
        model = for_department(model, audience.department)
    shared = shared if shared is not None else SharedThemes()
    current = shared.baseline_figures(ThemeContext(model, settings, audience, language))
    ctx = ThemeContext(model, settings, audience, language, current)
    findings: list[Finding] = []
    figures: dict[str, Any] = {}
    achieved: list[str] = []
    remaining: list[str] = []
    warnings: list[str] = []
    for theme in audience.themes:
        result = shared.result(theme, ctx)
        keys = tuple(f"{theme}.{k}" for k in result.figures)
        findings.extend(f if f.figures else replace(f, figures=keys) for f in result.findings)
        figures.update({f"{theme}.{k}": v for k, v in result.figures.items()})
        achieved.extend(result.achieved)
        remaining.extend(result.remaining)
        warnings.extend(f"{audience.key}: {w}" for w in result.warnings)

    trend = trends.build(ctx, current | figures, past)
    if trend is not None:
        findings.append(trend)
    fmt = Formatter(language, settings.currency)
    findings = [_single_category_as_figure(f, fmt) for f in findings]
    details: list[tuple[str, str, str]] = []
    findings = [_cap_note_lists(f, Messages(language), details) for f in findings]
    findings = [_figures_note(f, current | figures, fmt, Messages(language)) for f in findings]
    budget = audience.max_slides - FIXED_SLIDES
    if len(findings) > budget:
        keep = sorted(findings, key=lambda f: f.priority)[:budget]
        dropped = [f.key for f in findings if f not in keep]
        findings = [f for f in findings if f in keep]
        warnings.append(Notice("findings_left_out", audience=audience.key, n=len(dropped), max_slides=audience.max_slides,
                               keys=", ".join(dropped)))
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
        details=details,
        changes=what_changed(current | figures,
                             model.previous_figures() if past is None else past.get(str(model.period.previous), {}),
                             ctx.since, fmt, Messages(language)),
    )


def slides(briefing: Briefing) -> list[dict[str, Any]]:
    """One object per slide in order: its title and the figures it states (manifest `slides`).

    A slide lists the figures of its theme whose value its title, bullets or big figure state;
    the trend slide lists its series (it states their earlier months too)."""
    from sambrief.figures import stated_in

    def stated(texts: list[str], keys: Any) -> list[str]:
        return stated_in([t for t in texts if t], {k: briefing.figures.get(k) for k in dict.fromkeys(keys)}, briefing.language)

    def finding_figures(f: Finding) -> list[str]:
        if f.theme == "trends":
            return list(f.figures)
        big = [f.figure.value, f.figure.caption] if f.figure is not None else []
        return stated([f.headline, *f.bullets, *big], f.figures)

    every = [key for f in briefing.findings for key in f.figures]
    frame = {"title": briefing.title, "figures": []}
    # Each key point is its finding's sentence: it states that finding's figures.
    pointed = [key for f in briefing.findings if f.key_point and f.key_point in briefing.key_points
               for key in stated([f.key_point], f.figures)]
    key_points = {"title": briefing.msg("deck.key_points_title"), "figures": list(dict.fromkeys(pointed))}
    balance = {"title": briefing.balance_title or briefing.msg("deck.balance_title"),
               "figures": stated([*briefing.achieved, *briefing.remaining], every)}
    closing = {"title": briefing.msg("deck.closing_title"), "figures": []}
    return [frame, key_points, *({"title": f.headline, "figures": finding_figures(f)} for f in briefing.findings), balance, closing]


def _figures_note(finding: Finding, values: dict[str, Any], fmt: Formatter, msg: Messages) -> Finding:
    """The slide's lead figures in the notes, named as the registry names them, with the key to
    ask `sambrief explain` about."""
    from sambrief import figures as registry

    known = [f for f in (registry.get(k) for k in finding.figures) if f is not None]
    lead = [f for f in known if (f.trend or f.summary) and isinstance(values.get(f.key), (int, float))]
    if not lead:
        return finding
    listing = "; ".join(f"{_capital(f.label_in(fmt.language))}: {f.format(values[f.key], fmt)} ({f.key})" for f in lead[:4])
    return replace(finding, notes=[*finding.notes, msg("deck.notes_figures", list=listing)])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cap_note_lists(finding: Finding, msg: Messages, details: list[tuple[str, str, str]]) -> Finding:
    """Each list in the notes ("– " lines under a title line) keeps its first NOTES_LIST_MAX
    items and says how many more there are; every item goes to the audience's details.csv."""
    notes: list[str] = []
    title, run = "", 0
    for line in finding.notes:
        if not line.startswith("– "):
            title, run = line.rstrip(":"), 0
            notes.append(line)
            continue
        details.append((finding.headline, title, line[2:]))
        run += 1
        if run <= NOTES_LIST_MAX:
            notes.append(line)
        elif run == NOTES_LIST_MAX + 1:
            notes.append("")  # placeholder for the "n more" line, filled below
    # fill the placeholders with the count of the items left out of each list
    out, i = [], 0
    counts = _overflow_counts(finding.notes)
    for line in notes:
        if line == "" and i < len(counts):
            out.append(msg("deck.notes_more", n=counts[i]))
            i += 1
        else:
            out.append(line)
    return replace(finding, notes=out) if out != finding.notes else finding


def _overflow_counts(lines: list[str]) -> list[int]:
    counts, run = [], 0
    for line in lines + [""]:
        if line.startswith("– "):
            run += 1
            continue
        if run > NOTES_LIST_MAX:
            counts.append(run - NOTES_LIST_MAX)
        run = 0
    return counts


def details_csv(briefing: Briefing) -> bytes:
    """The full lists behind the slides, one row per item; every cell inert in a spreadsheet."""
    import csv
    import io

    from sambrief.text import inert_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if briefing.language == "de" else ",", lineterminator="\r\n")
    msg = briefing.msg
    writer.writerow([msg("deck.details_slide"), msg("deck.details_list"), msg("deck.details_item")])
    writer.writerows([inert_cell(cell) for cell in row] for row in briefing.details)
    return buffer.getvalue().encode("utf-8-sig")


def _single_category_as_figure(finding: Finding, fmt: Formatter) -> Finding:
    """A chart of one bar compares nothing: the slide shows the number large instead."""
    chart = finding.chart
    if chart is None or finding.figure is not None or len(chart.categories) != 1 or chart.kind == "line":
        return finding
    value = chart.values[0]
    formats: dict[str, Callable[[float], str]] = {"money": fmt.money_short, "percent": fmt.percent}
    shown = formats.get(chart.value_format, fmt.count)(value)
    return replace(finding, chart=None, figure=BigFigure(shown, f"{chart.series_name}: {chart.categories[0]}"))


def _title(audience: Audience, language: str) -> str:
    title = audience.title.get(language) or audience.title.get(audience.language) or audience.key
    return f"{title}: {audience.department}" if audience.department_in_name else title
