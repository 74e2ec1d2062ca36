"""`sambrief explain FIGURE`: where a number on a slide comes from (without a figure: the list of every figure).

Reads what the build recorded, never recomputes: the definition from the figure registry,
the value per audience and the slide sentence that states it from the period's manifest
(`slides`), the export files of the datasets the theme reads (with their rows), and the top
items of the slide's chart from the history's breakdowns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.briefing import figures as registry
from sambrief.briefing.themes import THEME_MODULES
from sambrief.config.workspace import open_workspace
from sambrief.errors import ConfigError
from sambrief.i18n.catalog import Formatter, Messages
from sambrief.i18n.notices import Notice
from sambrief.model.periods import default_built_period
from sambrief.publish.history import History
from sambrief.text import closest


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

    def to_json(self) -> dict[str, Any] | None:
        return self.info


def explain_figure(request: ExplainRequest) -> Explanation:
    """One figure's definition, sources, values per audience and the slides that state it;
    without a figure, every figure of the registry with its kind and label."""
    settings = open_workspace(request.config)
    if request.figure is None:
        msg = Messages(settings.language)
        return Explanation(
            [
                f"{f.key}  ({msg(f'explain.kind_{f.kind}')})  {f.label_in(settings.language)}"
                for f in registry.registry().values()
            ]
        )
    period = request.period or default_built_period(settings)
    info = explain(request.figure, settings.output, settings.history_path, period, request.audience, settings.currency)
    return Explanation(render_text(info, settings.language), info)


TOP_ITEMS = 5


def explain(
    key: str, out_root: Path, history_path: Path, period: str | None, audience: str | None, currency: str
) -> dict[str, Any]:
    figure = registry.get(key)
    if figure is None:
        close = closest(key, registry.registry(), n=3)
        if close:
            raise ConfigError([Notice("explain_unknown_figure_near", value=repr(key), near=", ".join(close))])
        raise ConfigError([Notice("explain_unknown_figure", value=repr(key))])
    period = period or _latest_period(out_root)
    if period is None:
        raise ConfigError([Notice("explain_nothing_built", folder=str(out_root))])
    manifest_path = out_root / period / "manifest.json"
    if not manifest_path.is_file():
        raise ConfigError([Notice("explain_period_not_built", path=str(manifest_path), period=period)])
    manifest = json.loads(manifest_path.read_text("utf-8"))
    audiences = manifest.get("audiences", {})
    if audience is not None and audience not in audiences:
        if audiences:
            raise ConfigError(
                [
                    Notice(
                        "explain_audience_not_built",
                        value=repr(audience),
                        period=period,
                        built=", ".join(sorted(audiences)),
                    )
                ]
            )
        raise ConfigError([Notice("explain_audience_none_built", value=repr(audience), period=period)])
    breakdowns = _breakdowns(history_path, period)
    entries = []
    for name, entry in sorted(audiences.items()):
        if audience is not None and name != audience:
            continue
        value = entry.get("figures", {}).get(key)
        slides = entry.get("slides") if isinstance(entry.get("slides"), list) else []
        sentences = [
            {"slide": i + 1, "title": s["title"]}
            for i, s in enumerate(slides)
            if key in s.get("figures", ()) and s["title"] != entry.get("title")
        ]
        fmt = Formatter(entry.get("language", "de"), currency)
        charts = breakdowns.get(name, {})
        top = []
        for chart_key, rows in charts.items():
            if chart_key.split(".", 1)[0] == figure.theme:
                ranked = sorted(rows.items(), key=lambda kv: -(kv[1] or 0))[:TOP_ITEMS]
                top = [{"item": k, "value": v} for k, v in ranked]
                break
        entries.append(
            {
                "audience": name,
                "language": entry.get("language"),
                "value": value,
                "shown": figure.format(value, fmt) if isinstance(value, (int, float)) else None,
                "slides": sentences,
                "top_items": top,
            }
        )
    # the datasets the figure's theme reads (its module's DATASETS): the rows that can contribute
    datasets = getattr(THEME_MODULES.get(figure.theme), "DATASETS", ())
    sources = [s for s in manifest.get("sources", []) if s.get("dataset") in datasets]
    return {
        "figure": key,
        "kind": figure.kind,
        "period": period,
        "label": figure.label,
        "definition": figure.definition,
        "lower_is_better": figure.lower_is_better,
        "trend": figure.trend,
        "sources": [{"file": s["file"], "dataset": s["dataset"], "rows": s.get("rows")} for s in sources],
        "audiences": entries,
    }


def render_text(info: dict[str, Any], language: str) -> list[str]:
    """What a person reads, in the workspace's language (the JSON keeps the plain values)."""
    msg, fmt = Messages(language), Formatter(language, "EUR")
    label = info["label"].get(language) or info["label"].get("en")
    lines = [
        msg(
            "explain.head",
            figure=info["figure"],
            label=label,
            kind=msg(f"explain.kind_{info['kind']}"),
            period=info["period"],
        )
    ]
    definition = info["definition"].get(language) or info["definition"].get("en")
    if definition:
        lines.append("  " + msg("explain.definition", text=definition))
    if info["sources"]:
        lines.append(
            "  "
            + msg(
                "explain.sources",
                list=", ".join(
                    msg("explain.source", file=s["file"], dataset=s["dataset"], rows=fmt.number(s["rows"] or 0))
                    for s in info["sources"]
                ),
            )
        )
    for entry in info["audiences"]:
        if entry["value"] is None:
            lines.append("  " + msg("explain.not_stated", audience=entry["audience"]))
            continue
        lines.append(f"  {entry['audience']}: {entry['shown']}")
        for slide in entry["slides"]:
            lines.append("    " + msg("explain.slide", n=slide["slide"], title=slide["title"]))
        if entry["top_items"]:
            lines.append(
                "    "
                + msg(
                    "explain.top_items",
                    list="; ".join(f"{t['item']}: {fmt.number(round(t['value'] or 0))}" for t in entry["top_items"]),
                )
            )
    return lines


def _latest_period(out_root: Path) -> str | None:
    if not out_root.is_dir():
        return None
    periods = sorted(p.name for p in out_root.iterdir() if (p / "manifest.json").is_file() and len(p.name) == 7)
    return periods[-1] if periods else None


def _breakdowns(history_path: Path, period: str) -> dict[str, dict[str, dict[str, float]]]:
    if not history_path.exists():
        return {}
    out: dict[str, dict[str, dict[str, float]]] = {}
    for row_period, audience, chart, category, value in History(history_path).table_rows("breakdowns"):
        if row_period == period:
            out.setdefault(audience, {}).setdefault(chart, {})[category] = value
    return out
