"""Select each audience's excerpts: themes -> findings -> one briefing within its slide budget.

Pure: takes the model and the settings, returns data for the renderers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from operator import methodcaller
from typing import Any

from sambrief.briefing.changes import what_changed
from sambrief.briefing.findings import BigFigure, Finding, Tile
from sambrief.briefing.themes import THEME_MODULES, THEMES, ThemeContext, ThemeResult, trends
from sambrief.briefing.themes.base import PER_AUDIENCE, SHARED
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
MIN_TILES, MAX_TILES = 4, 6  # key-figure tiles of the summary: a theme's second figure fills up to MIN_TILES
MAX_BALANCE_ITEMS = 4
NOTES_LIST_MAX = 15  # items of one list in the speaker notes; the full list goes to details.csv


@dataclass(frozen=True, eq=False)
class DetailList:
    """One list of the speaker notes in full: the slide's headline, the list's title line and
    every item line (with its "– " mark). Shared by the audiences whose notes are the same."""

    slide: str
    title: str
    lines: list[str]
    _csv: dict[str, tuple[bytes, ...]] = field(default_factory=dict, repr=False)  # delimiter -> its details.csv rows
    # delimiter -> the items encoded as NUL + item + NUL + item ... (None: written row by row),
    # shared by the lists of the same lines (open_issues' gaps in every audience's deck)
    _items: dict[str, bytes | None] = field(default_factory=dict, repr=False)

    @property
    def items(self) -> list[str]:
        return [line[2:] for line in self.lines]


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
        """_cap_note_lists, once per finding that audiences share (the notes list is the theme's)."""
        key = (id(finding.notes), finding.headline, msg.language)
        hit = self._capped.get(key)
        if hit is None or hit[0] is not finding.notes:
            lists: list[DetailList] = []
            capped = _cap_note_lists(finding, msg, lists, self._lists)
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


def compose(model: Model, settings: Settings, audience: Audience, language: str | None = None,
            past: dict[str, dict[str, Any]] | None = None, shared: SharedThemes | None = None,
            disclosure: Disclosure | None = None) -> Briefing:
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
    current = shared.baseline_figures(ThemeContext(model, settings, audience, language, disclosure=disclosure, withheld=withheld))
    ctx = ThemeContext(model, settings, audience, language, current, disclosure, withheld)
    findings: list[Finding] = []
    figures: dict[str, Any] = {}
    achieved: list[str] = []
    remaining: list[str] = []
    remaining_first: list[str] = []
    warnings: list[str] = []
    theme_sets: dict[str, list[frozenset[str]]] = {}
    if withheld:
        findings.append(_withheld_finding(audience.department or "", withheld, settings.min_group_size, Messages(language)))
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
        warnings.append(Notice("findings_left_out", audience=audience.key, n=len(dropped), max_slides=audience.max_slides,
                               keys=", ".join(dropped)))
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
    reasons = [msg(f"withheld.reason_{reason}", group=department, n=minimum) for reason in dict.fromkeys(withheld.values())]
    return Finding(
        theme="privacy", key="privacy.withheld", headline=msg("withheld.headline", group=department, what=what),
        bullets=[*reasons, msg("withheld.rest")][:3], notes=[msg("withheld.note", n=minimum)], source="",
        key_point=msg("withheld.key_point", group=department, what=what, n=minimum), priority=5,
    )


def key_tiles(findings: list[Finding], values: dict[str, Any], previous: dict[str, Any] | None, since: str,
              fmt: Formatter, msg: Messages) -> list[Tile]:
    """The summary's key figures: the leading tile figure of each theme on the slides, in their
    order; where that gives fewer than MIN_TILES, the themes' second ones; at most MAX_TILES.
    A figure that is unknown (absent) gets no tile, never a 0."""
    from sambrief.briefing import figures as registry

    themes = list(dict.fromkeys(f.theme for f in findings))
    ranked = registry.tile_figures()
    per_theme = [[f for f in ranked if f.theme == theme and _is_number(values.get(f.key))] for theme in themes]
    chosen = [figures[0] for figures in per_theme if figures]
    spare = [figures[1] for figures in per_theme if len(figures) > 1]
    chosen += spare[:max(0, MIN_TILES - len(chosen))]
    chosen.sort(key=lambda f: (themes.index(f.theme), f.tile_rank))
    return [_tile(f, values[f.key], (previous or {}).get(f.key), since, fmt, msg) for f in chosen[:MAX_TILES]]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _tile(figure: Any, now: float, before: Any, since: str, fmt: Formatter, msg: Messages) -> Tile:
    # A yearly amount says "im Jahr" in its label: the value stays short enough to be large.
    label = (figure.tile or {}).get(fmt.language) or figure.label_in(fmt.language)
    value = figure.format(now, fmt, unit=figure.kind != "money_per_year")
    if not _is_number(before):
        return Tile(figure.key, value, label, msg("tiles.no_previous"), "none", "neutral")
    delta = now - before
    amount = _change_amount(figure, abs(delta), fmt, msg)
    if amount == _change_amount(figure, 0, fmt, msg):  # no change as far as the tile shows
        return Tile(figure.key, value, label, msg("tiles.same", since=since), "same", "neutral")
    direction = "down" if delta < 0 else "up"
    better = figure.lower_is_better
    tone = "neutral" if better is None else ("good" if (direction == "down") == better else "bad")
    return Tile(figure.key, value, label, msg(f"tiles.{direction}", amount=amount, since=since), direction, tone)


def _change_amount(figure: Any, delta: float, fmt: Formatter, msg: Messages) -> str:
    """A change as the tile shows it: a share changes by percentage points, not per cent."""
    if figure.kind == "share":
        return msg("tiles.points", points=fmt.count(delta * 100))
    return figure.format(delta, fmt, unit=figure.kind != "money_per_year")


def slides(briefing: Briefing) -> list[dict[str, Any]]:
    """One object per slide in order: its title and the figures it states (manifest `slides`).

    A slide lists the figures of its theme whose value its title, bullets or big figure state;
    the trend slide lists its series (it states their earlier months too)."""
    from sambrief.briefing.figures import stated_in

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
    tiled = [tile.figure for tile in briefing.tiles]
    key_points = {"title": briefing.msg("deck.key_points_title"), "figures": list(dict.fromkeys(pointed + tiled))}
    balance = {"title": briefing.balance_title or briefing.msg("deck.balance_title"),
               "figures": stated([*briefing.achieved, *briefing.remaining], every)}
    closing = {"title": briefing.msg("deck.closing_title"), "figures": []}
    return [frame, key_points, *({"title": f.headline, "figures": finding_figures(f)} for f in briefing.findings), balance, closing]


def _figures_note(finding: Finding, values: dict[str, Any], fmt: Formatter, msg: Messages) -> Finding:
    """The slide's lead figures in the notes, named as the registry names them, with the key to
    ask `sambrief explain` about."""
    from sambrief.briefing import figures as registry

    known = [f for f in (registry.get(k) for k in finding.figures) if f is not None]
    lead = [f for f in known if (f.trend or f.summary) and isinstance(values.get(f.key), (int, float))]
    if not lead:
        return finding
    listing = "; ".join(f"{_capital(f.label_in(fmt.language))}: {f.format(values[f.key], fmt)} ({f.key})" for f in lead[:4])
    return replace(finding, notes=[*finding.notes, msg("deck.notes_figures", list=listing)])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_is_item = methodcaller("startswith", "– ")


def _same_lines(pool: dict[tuple, list[tuple[list[str], dict]]], lines: list[str]) -> tuple[list[str], dict]:
    """The lines of an equal list met before in this build and its encodings, else these lines
    and a new cache (a list is compared whole only with lists of its length and ends)."""
    key = (len(lines), lines[0], lines[-1]) if lines else (0,)
    for known, encoded in pool.get(key, ()):
        if known == lines:
            return known, encoded
    pool.setdefault(key, []).append((lines, {}))
    return pool[key][-1]


def _cap_note_lists(finding: Finding, msg: Messages, details: list[DetailList],
                    pool: dict[tuple, list[tuple[list[str], dict]]] | None = None) -> Finding:
    """Each list in the notes ("– " lines under a title line) keeps its first NOTES_LIST_MAX
    items and says how many more there are; every item goes to the audience's details.csv.
    Runs of lines are taken whole (a list can hold every product of a licence position).
    `pool`: the build's lists so far, whose encoded items equal lists share."""
    import numpy as np

    notes: list[str] = []
    title = ""
    # Runs cut where a line's kind changes, each taken as one slice of the notes.
    items = np.fromiter(map(_is_item, finding.notes), dtype=bool, count=len(finding.notes))
    cuts = [0, *(np.flatnonzero(items[1:] != items[:-1]) + 1).tolist(), len(finding.notes)]
    for start, end in zip(cuts, cuts[1:]):
        lines = finding.notes[start:end]
        if not lines:  # (notes without a line: cuts [0, 0])
            continue
        is_item = bool(items[start])
        if not is_item:
            title = lines[-1].rstrip(":")
            notes.extend(lines)
            continue
        lines, encoded = _same_lines(pool if pool is not None else {}, lines)
        details.append(DetailList(finding.headline, title, lines, _items=encoded))
        notes.extend(lines[:NOTES_LIST_MAX])
        if len(lines) > NOTES_LIST_MAX:
            notes.append(msg("deck.notes_more", n=len(lines) - NOTES_LIST_MAX))
    return replace(finding, notes=notes) if notes != finding.notes else finding


_CSV_QUOTED = ('"', "\r", "\n")  # with the delimiter: what makes the csv module quote a field


def _csv_rows(rows: list[list[str]], delimiter: str) -> str:
    """Rows as the csv module writes them (minimal quoting, CRLF), every cell inert."""
    import csv
    import io

    from sambrief.text import inert_cell

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([inert_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _active_item() -> re.Pattern[str]:
    """text.inert_cell's test after any NUL of a list joined as NUL + item + NUL + item ...
    (a NUL inside an item can only make a false alarm, which writes that list row by row); the
    literal NUL first lets the regex engine jump from NUL to NUL."""
    from sambrief.text import _SPREADSHEET_ACTIVE

    return re.compile(r"\0(?:" + _SPREADSHEET_ACTIVE.pattern.removeprefix("^") + ")", _SPREADSHEET_ACTIVE.flags)


def _joined_items(lines: list[str], delimiter: str) -> bytes | None:
    """The items of a list (its lines without "– ") encoded as NUL + item + NUL + item ...,
    or None where one needs quoting or neutralising (checked on the joined text)."""
    joined = ("\0" + "\0".join(lines)).replace("\0– ", "\0")  # every line is "– " and an item
    if (joined.count("\0") != len(lines) or any(mark in joined for mark in (delimiter, *_CSV_QUOTED))
            or _active_item().search(joined)):
        return None
    return joined.encode("utf-8")


def _detail_pieces(details: DetailList, delimiter: str) -> tuple[bytes, ...]:
    """One list's rows of details.csv, in pieces to join once. The slide and list cells are the
    same on every row; the items are written whole where none needs quoting or neutralising,
    else row by row."""
    cached = details._csv.get(delimiter)
    if cached is not None:
        return cached
    if delimiter not in details._items:
        details._items[delimiter] = _joined_items(details.lines, delimiter)
    items = details._items[delimiter]
    data: tuple[bytes, ...] = ()
    if items is None:
        data = (_csv_rows([[details.slide, details.title, item] for item in details.items], delimiter).encode("utf-8"),)
    elif details.lines:
        # Each NUL becomes the row end and the next row's slide and list cells.
        prefix = _csv_rows([[details.slide, details.title, ""]], delimiter)[:-2].encode("utf-8")  # "slide;list;"
        data = (prefix, items[1:].replace(b"\0", b"\r\n" + prefix), b"\r\n")
    details._csv[delimiter] = data  # audiences sharing the list share the bytes
    return data


def details_csv(briefing: Briefing) -> bytes:
    """The full lists behind the slides, one row per item; every cell inert in a spreadsheet."""
    delimiter = ";" if briefing.language == "de" else ","
    msg = briefing.msg
    header = _csv_rows([[msg("deck.details_slide"), msg("deck.details_list"), msg("deck.details_item")]], delimiter)
    return b"".join([header.encode("utf-8-sig"), *(piece for d in briefing.details for piece in _detail_pieces(d, delimiter))])


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
    return replace(finding, figure=BigFigure(shown if figure.kind != "days" else figure.format(values[figure.key], fmt),
                                             caption[:1].upper() + caption[1:]))


def _title(audience: Audience, language: str) -> str:
    title = audience.title.get(language) or audience.title.get(audience.language) or audience.key
    return f"{title}: {audience.department}" if audience.department_in_name else title
