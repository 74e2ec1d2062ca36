"""The build, as a table of contents: load config -> read sources -> build the model ->
select each audience's excerpts -> render -> write. Nothing is written before everything
has been gathered, validated and rendered."""

from __future__ import annotations

import glob
import hashlib
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sambrief import __version__
from sambrief.briefing import Briefing, compose, output_key
from sambrief.briefing import slides as briefing_slides
from sambrief.config import Audience, Settings, find_config, load_settings
from sambrief.display_names import use_workspace as use_product_names
from sambrief.errors import ConfigError, InputError, StrictModeError
from sambrief.history import History
from sambrief.ingest import LoadedSource, load_source
from sambrief.levels import split
from sambrief.lock import workspace_lock
from sambrief.model import Model, Period, SourceInfo, build_model
from sambrief.news import read_news
from sambrief.output import OutputError, manifest_bytes, outputs_entries, publish_set, read_manifest, recover, verify_set
from sambrief.periods import check_period, date_of, folder_period
from sambrief.privacy import load_pseudonymiser
from sambrief.render import RENDERERS
from sambrief.render.period import PERIOD_OUTPUTS
from sambrief.render.rendered import FileKind

Report = Callable[[str], None]
IGNORED_PREFIXES = ("~$", ".")  # Excel lock files and hidden files next to the exports


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


def build(request: BuildRequest, report: Report = lambda _: None) -> BuildResult:
    settings = load_settings(find_config(request.config))
    audiences = [a.with_department(request.department) for a in select_audiences(settings, request.audience)]
    with workspace_lock(settings.root):
        return _build_locked(request, settings, audiences, report)


def _build_locked(request: BuildRequest, settings: Settings, audiences: list[Audience], report: Report) -> BuildResult:
    for action in recover(request.out or settings.output):
        report(action)
    period = parse_period(request.period) or newest_period_folder(settings)
    report("reading sources")
    sources, warnings = read_sources(settings, report, period=period)
    if request.period is not None and period is not None:
        # The period is the data's period: refuse before anything (history included) is touched.
        check_period(period, [date_of(s.path, s.frame, s.dataset, folder_period(s.path, period)) for s in sources])
    history = History(settings.history_path)
    past = {p.period: p.figures for p in history.periods()}
    model = canonical_model(sources, period, request.today or date.today(), read_news(settings.news_path), past)
    out_dir = (request.out or settings.output) / str(model.period)
    fingerprint = build_fingerprint(settings, sources, audiences, request)
    if not request.force and unchanged(history, str(model.period), fingerprint, out_dir):
        return BuildResult(str(model.period), out_dir, [], [], sources, warnings, noop=True)
    report(f"composing briefings for {model.period}")
    briefings = [compose(model, settings, audience, request.language, past=history.audience_figures(output_key(audience)))
                 for audience in audiences]
    warnings += [w for b in briefings for w in b.warnings]
    files, kinds, render_warnings = render_all(briefings, settings, out_dir, report)
    warnings += render_warnings
    blocking = split(warnings, briefings)[1]  # documented behaviour is information, not a reason to fail
    if request.strict and blocking:
        raise StrictModeError(f"{len(blocking)} warning(s) in strict mode, nothing written; first: {blocking[0]}")
    kept_files, kept_entries, kept_warnings = carry_over(out_dir, [b.output_key for b in briefings])
    files.update(kept_files)
    warnings += kept_warnings
    manifest_data = manifest(model, briefings, sources, files, kinds, out_dir, warnings, kept_entries)
    for folder, make in PERIOD_OUTPUTS.items():
        files.update({out_dir / folder / name: data for name, data in make(settings, model, manifest_data).items()})
    output_set = {p.relative_to(out_dir).as_posix(): data for p, data in files.items()}
    manifest_data["outputs"] = outputs_entries(output_set)
    report("writing outputs")
    written = publish_set(out_dir, output_set, manifest_bytes(manifest_data))
    try:
        record_history(history, model, briefings, sources, manifest_data, fingerprint)
    except sqlite3.Error as exc:  # e.g. "database or disk is full": the transaction was rolled back
        raise OutputError(f"cannot write the history {history.path}: {exc}; free some space or fix its permissions and run "
                          f"again (the outputs in {out_dir} are complete; the next build rebuilds them)") from None
    return BuildResult(str(model.period), out_dir, written, briefings, sources, warnings)


def newest_period_folder(settings: Settings) -> Period | None:
    """With `{period}` in a source path and no --period: the newest period that has exports."""
    found: list[Period] = []
    for source in settings.sources:
        if "{period}" not in source.pattern:
            continue
        pattern = str(settings.root / source.pattern)
        regex = re.compile(re.escape(pattern).replace(re.escape("{period}"), r"(\d{4}-\d{2})").replace(r"\*", ".*"))
        for path in glob.glob(pattern.replace("{period}", "*"), recursive=True):
            match = regex.match(path)
            if match:
                try:
                    found.append(Period.parse(match.group(1)))
                except ValueError:
                    continue
    return max(found) if found else None


def build_fingerprint(settings: Settings, sources: list[LoadedSource], audiences: list[Audience], request: BuildRequest) -> str:
    """Everything a build depends on: exports, configuration files, template, the request."""
    digest = hashlib.sha256(__version__.encode())
    for s in sorted(sources, key=lambda s: str(s.path)):
        digest.update(f"{s.path.name}:{s.sha256}".encode())
    extra = [settings.config_path, settings.audiences_path, settings.news_path, settings.intranet_path, deck_template(settings)]
    if settings.templates.is_dir():
        extra += sorted(p for p in settings.templates.rglob("*") if p.is_file())
    for path in extra:
        if path is not None and Path(path).is_file():
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    digest.update(repr(([a.key for a in audiences], request.department, request.language, str(request.out))).encode())
    return digest.hexdigest()


def unchanged(history: History, period: str, fingerprint: str, out_dir: Path) -> bool:
    """Same inputs as the last build of the period, and its outputs are all there, each with
    the size and SHA-256 the manifest lists (a damaged or foreign file means: rebuild)."""
    record = history.get(period)
    if record is None or record.fingerprint != fingerprint:
        return False
    return verify_set(out_dir) is not None


def carry_over(out_dir: Path, rebuilt: list[str]) -> tuple[dict[Path, bytes], dict[str, Any], list[str]]:
    """Building some audiences keeps the others of the period: their files (read from the
    current set, each checked against the manifest's size and SHA-256) and their manifest
    entries. An audience whose files are missing or changed is dropped, with a warning."""
    current = read_manifest(out_dir / "manifest.json") or {}
    listed = {o.get("path"): o for o in current.get("outputs", []) if isinstance(o, dict)}
    files: dict[Path, bytes] = {}
    entries: dict[str, Any] = {}
    warnings: list[str] = []
    for key, entry in current.get("audiences", {}).items():
        if key in rebuilt:
            continue
        if not isinstance(entry.get("kinds"), dict):  # built before files recorded their kind
            warnings.append(f"the {key} briefing in {out_dir.name} was built by an older sambrief and is dropped; "
                            f"rebuild it with --audience {key}")
            continue
        kept: dict[Path, bytes] = {}
        for name in entry.get("files", []):
            path = out_dir / name
            data = path.read_bytes() if path.is_file() else None
            if data is None or name not in listed or hashlib.sha256(data).hexdigest() != listed[name].get("sha256"):
                warnings.append(f"{path}: missing or changed since it was built; the {key} briefing is dropped from "
                                f"{out_dir.name}, rebuild it with --audience {key}")
                break
            kept[path] = data
        else:
            files.update(kept)
            entries[key] = entry
    return files, entries, warnings


def record_history(history: History, model: Model, briefings: list[Briefing], sources: list[LoadedSource],
                   manifest_data: dict[str, Any], fingerprint: str) -> None:
    figures = {key: entry["figures"] for key, entry in manifest_data["audiences"].items()}
    breakdowns = {
        b.output_key: {f.key: dict(zip(f.chart.categories, f.chart.values)) for f in b.findings if f.chart is not None}
        for b in briefings
    }
    history.record(str(model.period), model.as_of.isoformat(), list(manifest_data["audiences"]), fingerprint, figures,
                   breakdowns, [(s.path.name, s.size, s.sha256) for s in sources])


def select_audiences(settings: Settings, name: str) -> list[Audience]:
    if name == "all":
        return list(settings.audiences.values())
    if name not in settings.audiences:
        known = ", ".join(settings.audiences)
        raise ConfigError([f"--audience: unknown audience {name!r} (known: {known}, or all)"])
    return [settings.audiences[name]]


def parse_period(text: str | None) -> Period | None:
    if text is None:
        return None
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise ConfigError([f"--period: {exc}"]) from None


def resolve_sources(settings: Settings, period: Period | None = None) -> tuple[list[tuple[Path, Any]], list[str]]:
    """Expand every source pattern ('{period}' becomes YYYY-MM); a literal path that is missing
    is an error, a glob that matches nothing is a warning. Each file is read once."""
    seen: set[Path] = set()
    found: list[tuple[Path, Any]] = []
    warnings: list[str] = []
    for i, source in enumerate(settings.sources):
        if "{period}" in source.pattern and period is None:
            raise ConfigError([f"sources[{i}]: {source.pattern} needs a period, and no folder for one was found; pass --period YYYY-MM"])
        pattern = str(settings.root / source.pattern.replace("{period}", str(period)))
        is_glob = any(ch in source.pattern for ch in "*?[")
        matches = sorted(Path(p) for p in glob.glob(pattern, recursive=True)) if is_glob else [Path(pattern)]
        matches = [p for p in matches if not p.name.startswith(IGNORED_PREFIXES)]
        if not is_glob and not matches[0].is_file():
            raise ConfigError([f"sources[{i}]: file not found: {source.pattern} (looked in {settings.root})"], str(settings.config_path))
        if not matches:
            warnings.append(f"sources[{i}]: no file matches {source.pattern}")
        for path in matches:
            if path.is_file() and path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, source.pin))
    if not found:
        raise InputError(f"no export files found for the sources in {settings.config_path}; put the exports in place or fix `sources:`")
    return found, warnings


def read_sources(settings: Settings, report: Report, create_key: bool = True, period: Period | None = None) -> tuple[list[LoadedSource], list[str]]:
    if period is None:
        period = newest_period_folder(settings)
    files, warnings = resolve_sources(settings, period)
    use_product_names(settings.root)  # a newer Microsoft SKU table in product_names/ overrides the packaged one
    pseudonymise = load_pseudonymiser(settings.root, create=create_key)
    loaded = []
    for path, pin in files:
        report(f"reading {path.name}")
        source = load_source(path, pin, pseudonymise, settings.limits)
        warnings += source.warnings
        loaded.append(source)
    return loaded, warnings


def canonical_model(sources: list[LoadedSource], period: Period | None, today: date, news: list | None = None,
                    history: dict[str, dict[str, float | None]] | None = None) -> Model:
    frames: dict[str, list] = {}
    infos = []
    for s in sources:
        frames.setdefault(s.dataset, []).append(s.frame)
        dated = date_of(s.path, s.frame, s.dataset, folder_period(s.path, period))
        infos.append(SourceInfo(s.dataset, s.path.name, s.layout, len(s.frame), dated.day, dated.kind))
    return build_model(frames, infos, period, today, news, history)


def deck_template(settings: Settings) -> Path:
    """The deck template Settings resolved (kept for callers of the old name)."""
    return settings.deck_template


def render_all(briefings: list[Briefing], settings: Settings, out_dir: Path,
               report: Report) -> tuple[dict[Path, bytes], dict[Path, FileKind], list[str]]:
    files: dict[Path, bytes] = {}
    kinds: dict[Path, FileKind] = {}
    warnings: list[str] = []
    for briefing in briefings:
        for fmt in briefing.audience.formats:
            report(f"rendering {briefing.output_key} ({fmt})")
            rendered = RENDERERS[fmt](briefing, settings)
            for name, data in rendered.files.items():
                files[out_dir / briefing.output_key / name] = data
                kinds[out_dir / briefing.output_key / name] = rendered.kinds[name]
            warnings += rendered.warnings
            briefing.warnings += rendered.warnings
    return files, kinds, warnings


def manifest(
    model: Model, briefings: list[Briefing], sources: list[LoadedSource], files: dict[Path, bytes], kinds: dict[Path, FileKind],
    out_dir: Path, warnings: list[str], kept: dict[str, Any] | None = None,
) -> dict[str, Any]:
    audiences: dict[str, Any] = dict(kept or {})  # audiences not rebuilt this time (see carry_over)
    for b in briefings:
        audiences[b.output_key] = {
            "title": b.title,
            "language": b.language,
            "department": b.audience.department,
            "files": sorted(p.relative_to(out_dir).as_posix() for p in files if p.parent.name == b.output_key),
            "kinds": {p.relative_to(out_dir).as_posix(): kinds[p].name for p in sorted(kinds) if p.parent.name == b.output_key},
            "slides": briefing_slides(b),
            "figures": b.figures,
            "warnings": b.warnings,
        }
    return {
        "sambrief": __version__,
        "period": str(model.period),
        "as_of": model.as_of.isoformat(),
        "audiences": audiences,
        "sources": [
            {"file": s.path.name, "dataset": s.dataset, "layout": s.layout, "rows": len(s.frame), "sha256": s.sha256}
            for s in sources
        ],
        "seat_signals": {product: list(found) for product, found in model.seat_signals.items()},
        "warnings": warnings,
    }
