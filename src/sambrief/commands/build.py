"""`sambrief build`, as a table of contents: load config -> read sources -> build the model ->
compose each audience's briefing -> render -> manifest and per-period outputs -> publish the
set -> record the history. Nothing is written before everything has been gathered,
validated and rendered."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sambrief.briefing.compose import Briefing, SharedThemes, compose, output_key
from sambrief.briefing.compose import slides as briefing_slides
from sambrief.briefing.figures import summary_figures
from sambrief.commands.arguments import parse_period, select_audiences
from sambrief.commands.check import placeholder_warnings
from sambrief.commands.stages import Progress, canonical_model, read_sources, render_all, require_exports
from sambrief.config.news import read_news
from sambrief.config.settings import Audience, Settings
from sambrief.config.workspace import open_workspace
from sambrief.errors import StrictModeError
from sambrief.i18n.catalog import Formatter
from sambrief.i18n.levels import split
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource
from sambrief.ingest.memory import collector_paused
from sambrief.model import groups
from sambrief.model.core import Model
from sambrief.model.disclosure import Disclosure
from sambrief.model.periods import check_period, date_of, folder_period, newest_period_folder
from sambrief.publish.fingerprint import build_fingerprint, earlier_figures, stale_later_periods, unchanged
from sambrief.publish.history import History, record_history
from sambrief.publish.lock import workspace_lock
from sambrief.publish.manifest import carry_over, earlier_publications, manifest, output_channels, with_current_channels
from sambrief.publish.output import OutputError, manifest_bytes, outputs_entries, publish_set, recover
from sambrief.render.period import PERIOD_OUTPUTS


@dataclass(frozen=True)
class BuildRequest:
    config: Path | None = None
    audience: str = "all"
    department: str | None = None
    period: str | None = None
    out: Path | None = None
    language: str | None = None
    strict: bool = False
    force: bool = False  # rebuild even when nothing changed since the last build of the period
    today: date | None = None  # injectable for tests; default date.today()


@dataclass
class BuildResult:
    period: str
    out_dir: Path
    written: list[Path]
    briefings: list[Briefing]
    sources: list[LoadedSource]
    warnings: list[str] = field(default_factory=list)
    noop: bool = False  # nothing changed since the last build of the period: nothing written


@dataclass
class Draft:
    """A period's briefings as `build` composes them (read, modelled, composed, disclosure
    planned and audited) with nothing rendered and nothing written: `build --dry-run`, and
    tests that read figures, headlines and notes."""

    period: str
    out_dir: Path
    briefings: list[Briefing]
    sources: list[LoadedSource]
    warnings: list[str] = field(default_factory=list)


def build(request: BuildRequest, progress: Progress = lambda _: None) -> BuildResult:
    settings = open_workspace(request.config)
    audiences = _audiences(settings, request)
    with workspace_lock(settings.root):
        return _build_locked(request, settings, audiences, progress)


def draft(request: BuildRequest, progress: Progress = lambda _: None) -> Draft:
    """What `build` would compose for the request, without rendering or writing anything (no
    history, no pseudonym key, no output folder is created)."""
    settings = open_workspace(request.config)
    audiences = _audiences(settings, request)
    read = _read_period(request, settings, audiences, progress, create_key=False)
    briefings, _, _ = _compose_period(read, request, settings, audiences, progress)
    warnings = read.warnings + [w for b in briefings for w in b.warnings]
    _refuse_if_strict(request, warnings, briefings)
    return Draft(str(read.model.period), read.out_dir, briefings, read.sources, warnings)


def _audiences(settings: Settings, request: BuildRequest) -> list[Audience]:
    return [a.with_department(request.department) for a in select_audiences(settings, request.audience)]


def _refuse_if_strict(request: BuildRequest, warnings: list[str], briefings: list[Briefing]) -> None:
    blocking = split(warnings, briefings)[1]  # documented behaviour is information, not a reason to fail
    if request.strict and blocking:
        raise StrictModeError(Notice("strict", n=len(blocking), first=blocking[0]))


@dataclass
class _Read:
    """The period's sources read and modelled, with the history they are compared with."""

    sources: list[LoadedSource]
    warnings: list[str]
    model: Model
    history: History
    past: dict[str, dict[str, float | None]]  # every built period's figures
    audience_past: dict[str, dict[str, dict[str, float | None]]]  # per audience: its figures per period
    out_dir: Path  # the period's output folder


def _read_period(
    request: BuildRequest, settings: Settings, audiences: list[Audience], progress: Progress, create_key: bool = True
) -> _Read:
    newest_folder = newest_period_folder(settings)
    period = parse_period(request.period) or newest_folder
    progress(Notice("step_reading_sources"))
    with collector_paused():
        sources, warnings = read_sources(settings, progress, create_key=create_key, period=period)
        if request.period is not None and period is not None:
            # The period is the data's period: refuse before anything (history included) is touched.
            dated = [date_of(s.path, s.frame, s.dataset, folder_period(s.path, period)) for s in sources]
            check_period(period, dated, newest_folder)
        require_exports(settings, sources)
        warnings = placeholder_warnings(settings) + warnings  # what `init` wrote would reach the title or closing slide
        history = History(settings.history_path)
        past = {p.period: p.figures for p in history.periods()}
        model = canonical_model(sources, period, request.today or date.today(), read_news(settings.news_path), past)
    audience_past = {output_key(a): history.audience_figures(output_key(a)) for a in audiences}
    out_dir = (request.out or settings.output) / str(model.period)
    return _Read(sources, warnings, model, history, past, audience_past, out_dir)


def _compose_period(
    read: _Read,
    request: BuildRequest,
    settings: Settings,
    audiences: list[Audience],
    progress: Progress,
) -> tuple[list[Briefing], Disclosure, dict[str, int | None]]:
    model, out_dir = read.model, read.out_dir
    progress(Notice("step_composing", period=str(model.period)))
    shared = SharedThemes()  # a theme that reads nothing of its audience is computed once
    # Disclosure control over the whole period: planned before composing, audited before writing.
    earlier = earlier_publications(out_dir, read.history, str(model.period), [output_key(a) for a in audiences])
    disclosure = groups.plan_period(model, settings, audiences, earlier)
    briefings = [
        compose(
            model,
            settings,
            audience,
            request.language,
            past=read.audience_past[output_key(audience)],
            shared=shared,
            disclosure=disclosure,
        )
        for audience in audiences
    ]
    smallest = groups.audit(model, settings.min_group_size, [b.published for b in briefings], earlier)
    return briefings, disclosure, smallest


def _build_locked(
    request: BuildRequest, settings: Settings, audiences: list[Audience], progress: Progress
) -> BuildResult:
    for action in recover(request.out or settings.output):
        progress(action)
    read = _read_period(request, settings, audiences, progress)
    sources, warnings, model, history, out_dir = read.sources, read.warnings, read.model, read.history, read.out_dir
    fingerprint = build_fingerprint(
        settings,
        sources,
        audiences,
        (request.department, request.language, str(request.out)),
        warnings,
        earlier_figures(read.past, read.audience_past, str(model.period)),
    )
    if not request.force and unchanged(history, str(model.period), fingerprint, out_dir):
        return BuildResult(str(model.period), out_dir, [], [], sources, warnings, noop=True)
    briefings, disclosure, smallest = _compose_period(read, request, settings, audiences, progress)
    warnings += [w for b in briefings for w in b.warnings]
    files, kinds, render_warnings = render_all(briefings, settings, out_dir, progress)
    warnings += render_warnings
    _refuse_if_strict(request, warnings, briefings)
    kept_files, kept_entries, kept_warnings = carry_over(out_dir, [b.output_key for b in briefings])
    kept_entries = with_current_channels(kept_entries, settings)
    files.update(kept_files)
    warnings += kept_warnings
    manifest_data = manifest(
        model, briefings, sources, files, kinds, out_dir, warnings, kept_entries, disclosure, smallest
    )
    previous = history.period_figures(
        str(model.period.previous)
    )  # per audience: "what changed" compares like with like
    for folder, make in PERIOD_OUTPUTS.items():
        files.update(
            {out_dir / folder / name: data for name, data in make(settings, model, manifest_data, previous).items()}
        )
    output_set = {p.relative_to(out_dir).as_posix(): data for p, data in files.items()}
    manifest_data["outputs"] = outputs_entries(output_set, output_channels(manifest_data, PERIOD_OUTPUTS))
    progress(Notice("step_writing"))
    written = publish_set(out_dir, output_set, manifest_bytes(manifest_data))
    try:
        record_history(history, model, briefings, sources, manifest_data, fingerprint)
    except sqlite3.Error as exc:  # e.g. "database or disk is full": the transaction was rolled back
        raise OutputError(
            Notice("history_not_written", path=str(history.path), detail=str(exc), folder=str(out_dir))
        ) from None
    stale = stale_later_periods(history, str(model.period), read.past.get(str(model.period)))
    if stale is not None:
        warnings.append(stale)
    return BuildResult(str(model.period), out_dir, written, briefings, sources, warnings)


@dataclass(frozen=True)
class SummaryTable:
    """The build's terminal summary: per briefing its slides and the summary figures of the
    registry, formatted in the briefing's language ("–" where a figure is unknown)."""

    figure_columns: list[str]
    rows: list[tuple[str, int, list[str]]]  # output key, slides, formatted figures


def summary_table(result: BuildResult | Draft, language: str) -> SummaryTable:
    shown = summary_figures()  # the columns come from the figure registry
    rows = []
    for b in result.briefings:
        fmt = Formatter(b.language, b.currency)
        values = [fig.format(b.figures[fig.key], fmt, unit=False) if fig.key in b.figures else "–" for fig in shown]
        rows.append((b.output_key, len(briefing_slides(b)), values))
    return SummaryTable([f.summary_in(language) for f in shown], rows)
