"""The stages of a build that commands/build.py calls in order: read the sources, build the
model, render each audience's formats. (The period is found in model/periods.py, the files
in ingest/sources.py; the manifest, fingerprint and history record are in publish/.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sambrief.briefing.compose import Briefing
from sambrief.config.settings import Settings
from sambrief.errors import InputError
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource, load_source
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.detect import UnknownLayout
from sambrief.ingest.privacy import load_pseudonymiser
from sambrief.ingest.products import use_workspace as use_product_names
from sambrief.ingest.repeats import drop_repeated_rows
from sambrief.ingest.sources import resolve_sources, skipped_notice
from sambrief.model.core import Model, Period, SourceInfo, build_model, row_days
from sambrief.model.periods import date_of, folder_period, newest_period_folder
from sambrief.render import RENDERERS
from sambrief.render.rendered import FileKind

Progress = Callable[[str], None]  # told what the build is doing now (a status line)


def read_sources(
    settings: Settings, progress: Progress, create_key: bool = True, period: Period | None = None
) -> tuple[list[LoadedSource], list[str]]:
    if period is None:
        period = newest_period_folder(settings)
    files, warnings = resolve_sources(
        settings.sources, settings.root, settings.config_path, str(period) if period else None
    )
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


def require_exports(settings: Settings, sources: list[LoadedSource]) -> None:
    """A briefing needs at least one export of the period: the registers kept by hand alone
    (what `init` leaves in data/) would make a deck of placeholders, so the build refuses."""
    if any(not DATASETS[s.dataset].register for s in sources):
        return
    folders = sorted({Path(src.pattern).parent.as_posix() + "/" for src in settings.sources}) or ["data/"]
    registers = ", ".join(sorted(s.path.name for s in sources))
    read = Notice("only_registers", registers=registers) if registers else Notice("no_file_read")
    where = Notice("one_of", items=", ".join(folders[:-1]), last=folders[-1]) if len(folders) > 1 else folders[0]
    raise InputError(Notice("no_export", read=read, folders=where))


def canonical_model(
    sources: list[LoadedSource],
    period: Period | None,
    today: date,
    news: list | None = None,
    history: dict[str, dict[str, float | None]] | None = None,
) -> Model:
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


def render_all(
    briefings: list[Briefing], settings: Settings, out_dir: Path, progress: Progress
) -> tuple[dict[Path, bytes], dict[Path, FileKind], list[str]]:
    from sambrief.render.brand import notices as brand_notices

    files: dict[Path, bytes] = {}
    kinds: dict[Path, FileKind] = {}
    warnings: list[str] = (
        brand_notices(settings.brand) if settings.branded_template else []
    )  # once per build, not per deck
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
