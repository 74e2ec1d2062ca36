"""The manifest of a period's output set (its index: audiences, files with their kinds and
channels, figures, sources, disclosure audit, files left out, warnings), and what a partial
rebuild keeps from the current set."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sambrief import __version__
from sambrief.briefing.compose import Briefing
from sambrief.briefing.compose import slides as briefing_slides
from sambrief.channels import CHANNELS
from sambrief.config.settings import Settings
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource
from sambrief.ingest.sources import skipped_files
from sambrief.model import groups
from sambrief.model.core import Model
from sambrief.model.disclosure import Disclosure, Published
from sambrief.publish.history import History
from sambrief.publish.output import read_manifest
from sambrief.render import FILE_KINDS
from sambrief.render.rendered import FileKind


def manifest(
    model: Model,
    briefings: list[Briefing],
    sources: list[LoadedSource],
    files: dict[Path, bytes],
    kinds: dict[Path, FileKind],
    out_dir: Path,
    warnings: list[str],
    kept: dict[str, Any] | None = None,
    disclosure: Disclosure | None = None,
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
            "kinds": {
                p.relative_to(out_dir).as_posix(): kinds[p].name for p in sorted(kinds) if p.parent.name == b.output_key
            },
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
        "disclosure": {
            "min_group_size": disclosure.minimum if disclosure is not None else None,
            "smallest_part": smallest or {},
        },
        "skipped": skipped_files(warnings),
        "warnings": warnings,
    }


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
    buckets = {
        Messages(lang)(f"cloud_departments.{label}")
        for lang in ("de", "en")
        for label in ("merged_label", "merged_with_none_label", "no_department_label")
    }
    categories = [
        row[3]
        for row in (history.table_rows("breakdowns") if history.path.exists() else [])
        if row[0] == period and row[2] == "cloud_departments.idle" and row[1] not in rebuilt and row[3] not in buckets
    ]
    return groups.prior(entries, categories)
