"""The stages of a build: find the period, read the sources, build the model, render each
audience's formats and the per-period outputs, the manifest, the fingerprint that says
nothing changed, and the history record. commands/build.py calls them in order."""

from __future__ import annotations

import glob
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sambrief import __version__
from sambrief.briefing.compose import Briefing
from sambrief.briefing.compose import slides as briefing_slides
from sambrief.channels import CHANNELS
from sambrief.config.workspace import Audience, Settings
from sambrief.errors import ConfigError, InputError
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource, load_source
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.detect import UnknownLayout
from sambrief.ingest.privacy import load_pseudonymiser
from sambrief.ingest.products import use_workspace as use_product_names
from sambrief.ingest.repeats import drop_repeated_rows
from sambrief.model import groups
from sambrief.model.core import Model, Period, SourceInfo, build_model, row_days
from sambrief.model.disclosure import Disclosure, Published
from sambrief.model.periods import date_of, folder_period
from sambrief.publish.history import History
from sambrief.publish.output import read_manifest, verify_set
from sambrief.render import RENDERERS
from sambrief.render.rendered import FILE_KINDS, FileKind

Progress = Callable[[str], None]  # told what the build is doing now (a status line)
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


def build_fingerprint(settings: Settings, sources: list[LoadedSource], audiences: list[Audience], request: BuildRequest,
                      warnings: Sequence[str] = (), earlier: Any = None) -> str:
    """Everything a build depends on: exports, configuration files, template, the request, and
    the earlier periods' figures its briefings read (month-over-month headlines, trends): a
    month built before its predecessors is rebuilt once they are in the history."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(earlier, sort_keys=True, default=str).encode())
    for s in sorted(sources, key=lambda s: str(s.path)):
        digest.update(f"{s.path.name}:{s.sha256}".encode())
    for skipped in skipped_files(warnings):  # a file added or fixed since is a change (the manifest lists it)
        digest.update(repr(sorted(skipped.items())).encode())
    extra = [settings.config_path, settings.audiences_path, settings.news_path, settings.intranet_path, settings.deck_template]
    if settings.templates.is_dir():
        extra += sorted(p for p in settings.templates.rglob("*") if p.is_file())
    for path in extra:
        if path is not None and Path(path).is_file():
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    digest.update(repr(([a.key for a in audiences], request.department, request.language, str(request.out))).encode())
    return digest.hexdigest()


def earlier_figures(past: dict[str, dict[str, Any]], audience_past: dict[str, dict[str, dict[str, Any]]], period: str) -> Any:
    """The history a briefing of `period` reads: every earlier period's figures, company-wide
    and per audience (what the fingerprint must cover)."""
    return {"company": {p: f for p, f in past.items() if p < period},
            "audiences": {key: {p: f for p, f in figures.items() if p < period} for key, figures in audience_past.items()}}


def stale_later_periods(history: History, period: str, before: dict[str, Any] | None) -> Notice | None:
    """After building `period`: the later built periods that read its figures, when those
    changed (or were not in the history before); they are rebuilt by `build --period`."""
    after = history.get(period)
    if after is None or (before is not None and before == after.figures):
        return None
    later = [p.period for p in history.periods() if p.period > period]
    if not later:
        return None
    return Notice("later_periods_stale", period=period, later=", ".join(later), first=later[0])


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
            warnings.append(Notice("older_build", audience=key, folder=out_dir.name))
            continue
        kept: dict[Path, bytes] = {}
        for name in entry.get("files", []):
            path = out_dir / name
            data = path.read_bytes() if path.is_file() else None
            if data is None or name not in listed or hashlib.sha256(data).hexdigest() != listed[name].get("sha256"):
                warnings.append(Notice("changed_output", where=str(path), audience=key, folder=out_dir.name))
                break
            kept[path] = data
        else:
            files.update(kept)
            entries[key] = entry
    return files, entries, warnings


def with_current_channels(kept: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Audiences kept from the current set get the channels audiences.yaml names now: who sees
    a briefing follows the configuration, never an older build (an audience no longer
    configured is on no channel)."""
    out = {}
    for key, entry in kept.items():
        audience = settings.audiences.get(entry.get("audience", key))
        out[key] = {**entry, "channels": list(audience.channels) if audience else []}
    return out


def output_channels(manifest_data: dict[str, Any], period_outputs: Iterable[str]) -> dict[str, list[str]]:
    """For each output (path within the period folder) the channels it is made for: an
    audience's file by its kind and the audience's channels, a per-period output (the intranet
    page) its own channel."""
    out: dict[str, list[str]] = {}
    for entry in manifest_data["audiences"].values():
        for path, kind in entry.get("kinds", {}).items():
            out[path] = FILE_KINDS[kind].channels(entry.get("channels", [])) if kind in FILE_KINDS else []
    for folder in period_outputs:
        out[folder] = [folder] if folder in CHANNELS else []
    return out


def earlier_publications(out_dir: Path, history: History, period: str, rebuilt: list[str]) -> dict[str, Published]:
    """What the period's outputs not rebuilt now state about people: their manifest entries'
    disclosure records, and the department charts the history holds for the period."""
    from sambrief.i18n.catalog import Messages

    current = read_manifest(out_dir / "manifest.json") or {}
    entries = [e for key, e in current.get("audiences", {}).items() if key not in rebuilt and isinstance(e, dict)]
    buckets = {Messages(lang)(f"cloud_departments.{label}") for lang in ("de", "en")
               for label in ("merged_label", "merged_with_none_label", "no_department_label")}
    categories = [row[3] for row in (history.table_rows("breakdowns") if history.path.exists() else [])
                  if row[0] == period and row[2] == "cloud_departments.idle" and row[1] not in rebuilt and row[3] not in buckets]
    return groups.prior(entries, categories)


def record_history(history: History, model: Model, briefings: list[Briefing], sources: list[LoadedSource],
                   manifest_data: dict[str, Any], fingerprint: str) -> None:
    figures = {key: entry["figures"] for key, entry in manifest_data["audiences"].items()}
    breakdowns = {
        b.output_key: {f.key: dict(zip(f.chart.categories, f.chart.values)) for f in b.findings if f.chart is not None}
        for b in briefings
    }
    history.record(str(model.period), model.as_of.isoformat(), list(manifest_data["audiences"]), fingerprint, figures,
                   breakdowns, [(s.path.name, s.size, s.sha256) for s in sources])


def resolve_sources(settings: Settings, period: Period | None = None) -> tuple[list[tuple[Path, Any, bool]], list[str]]:
    """Expand every source pattern ('{period}' becomes YYYY-MM); a literal path that is missing
    is an error, a glob that matches nothing is a warning. Each file is read once. Each file
    comes with its pin and whether it may be skipped when no layout fits it: a file a glob
    found, with no `layout:` or `columns:` saying what it is (a file named on its own, or
    pinned, is meant to be read)."""
    seen: set[Path] = set()
    found: list[tuple[Path, Any, bool]] = []
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
            warnings.append(Notice("no_file_matches", where=f"sources[{i}]", pattern=source.pattern))
        skippable = is_glob and not (source.pin.layout or source.pin.columns)
        for path in matches:
            if path.is_file() and path.resolve() not in seen:
                seen.add(path.resolve())
                found.append((path, source.pin, skippable))
    if not found:
        raise InputError(f"no export files found for the sources in {settings.config_path}; put the exports in place or fix `sources:`")
    return found, warnings


def read_sources(settings: Settings, progress: Progress, create_key: bool = True, period: Period | None = None) -> tuple[list[LoadedSource], list[str]]:
    if period is None:
        period = newest_period_folder(settings)
    files, warnings = resolve_sources(settings, period)
    use_product_names(settings.root)  # a newer Microsoft SKU table in product_names/ overrides the packaged one
    pseudonymise = load_pseudonymiser(settings.root, create=create_key)
    loaded = []
    unknown: list[UnknownLayout] = []
    for path, pin, skippable in files:
        progress(Notice("step_reading", file=path.name))
        try:
            source = load_source(path, pin, pseudonymise, settings.limits)
        except UnknownLayout as exc:
            if not skippable:
                raise
            # One stray file (an unrelated table, a newer export format) does not stop the
            # month: it is left out, said so, listed in the manifest; check and --strict fail on it.
            unknown.append(exc)
            warnings.append(skipped_notice(exc))
            continue
        warnings += source.warnings
        loaded.append(source)
    if unknown and all(DATASETS[s.dataset].register for s in loaded):
        raise unknown[0]  # no export left to build from (see require_exports): the first file's reason is the error
    warnings += drop_repeated_rows(loaded)
    return loaded, warnings


def default_built_period(settings: Settings) -> str | None:
    """The period `explain` shows without --period: the one `build` would take (the newest
    `{period}` folder) when it has been built, else None (the newest built period)."""
    folder = newest_period_folder(settings)
    if folder is not None and (settings.output / str(folder) / "manifest.json").is_file():
        return str(folder)
    return None


def require_exports(settings: Settings, sources: list[LoadedSource]) -> None:
    """A briefing needs at least one export of the period: the registers kept by hand alone
    (what `init` leaves in data/) would make a deck of placeholders, so the build refuses."""
    if any(not DATASETS[s.dataset].register for s in sources):
        return
    folders = sorted({Path(src.pattern).parent.as_posix() + "/" for src in settings.sources}) or ["data/"]
    registers = ", ".join(sorted(s.path.name for s in sources))
    read = f"only the registers kept by hand ({registers})" if registers else "no file"
    raise InputError(f"no export to brief on: {read} in the sources; put the period's exports (licence balance, cloud seats, "
                     f"software requests) into {' or '.join(folders)} and run again")


SKIPPED = ("skipped_file", "skipped_file_far")  # the notices of files left out (manifest `skipped`)


def skipped_notice(exc: UnknownLayout) -> Notice:
    if exc.nearest is None:
        return Notice("skipped_file_far", where=str(exc.path), file=exc.path.name)
    return Notice("skipped_file", where=str(exc.path), file=exc.path.name, nearest=exc.nearest, lacks=list(exc.lacks))


def skipped_files(warnings: Sequence[str]) -> list[dict[str, Any]]:
    """The files a build left out, from their notices: file name, nearest layout, what its header lacks."""
    return [{"file": w.values["file"], "nearest": w.values.get("nearest"), "lacks": list(w.values.get("lacks", []))}
            for w in warnings if isinstance(w, Notice) and w.key in SKIPPED]


def canonical_model(sources: list[LoadedSource], period: Period | None, today: date, news: list | None = None,
                    history: dict[str, dict[str, float | None]] | None = None) -> Model:
    frames: dict[str, list] = {}
    infos = []
    for s in sources:
        if s.repeats:  # the same rows as another file: counted and cited once, there
            continue
        frames.setdefault(s.dataset, []).append(s.frame)
        dated = date_of(s.path, s.frame, s.dataset, folder_period(s.path, period))
        days = row_days(s.frame, DATASETS[s.dataset].row_dates) if dated.kind == "file" else None
        infos.append(SourceInfo(s.dataset, s.path.name, s.layout, len(s.frame), dated.day, dated.kind, days, s.fields))
    return build_model(frames, infos, period, today, news, history)


def render_all(briefings: list[Briefing], settings: Settings, out_dir: Path,
               progress: Progress) -> tuple[dict[Path, bytes], dict[Path, FileKind], list[str]]:
    from sambrief.render.brand import notices as brand_notices

    files: dict[Path, bytes] = {}
    kinds: dict[Path, FileKind] = {}
    warnings: list[str] = brand_notices(settings.brand) if settings.branded_template else []  # once per build, not per deck
    for briefing in briefings:
        for fmt in briefing.audience.formats:
            progress(Notice("step_rendering", audience=briefing.output_key, format=fmt))
            rendered = RENDERERS[fmt](briefing, settings)
            for name, data in rendered.files.items():
                files[out_dir / briefing.output_key / name] = data
                kinds[out_dir / briefing.output_key / name] = rendered.kinds[name]
            warnings += rendered.warnings
            briefing.warnings += rendered.warnings
    return files, kinds, warnings


def manifest(
    model: Model, briefings: list[Briefing], sources: list[LoadedSource], files: dict[Path, bytes], kinds: dict[Path, FileKind],
    out_dir: Path, warnings: list[str], kept: dict[str, Any] | None = None, disclosure: Disclosure | None = None,
    smallest: dict[str, int | None] | None = None,
) -> dict[str, Any]:
    audiences: dict[str, Any] = dict(kept or {})  # audiences not rebuilt this time (see carry_over)
    for b in briefings:
        audiences[b.output_key] = {
            "title": b.title,
            "language": b.language,
            "audience": b.audience.key,
            "department": b.audience.department,
            "channels": list(b.audience.channels),
            "files": sorted(p.relative_to(out_dir).as_posix() for p in files if p.parent.name == b.output_key),
            "kinds": {p.relative_to(out_dir).as_posix(): kinds[p].name for p in sorted(kinds) if p.parent.name == b.output_key},
            "slides": briefing_slides(b),
            "figures": b.figures,
            "warnings": b.warnings,
            "disclosure": groups.record(b.published, disclosure) if disclosure is not None else {},
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
        # the audit of the period: the smallest part of the people two published numbers can single out
        "disclosure": {"min_group_size": disclosure.minimum if disclosure is not None else None, "smallest_part": smallest or {}},
        "skipped": skipped_files(warnings),
        "warnings": warnings,
    }
