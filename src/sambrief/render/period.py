"""Per-period outputs: files made once per period from the manifest's audience entries (the
intranet page), after the per-audience renderers and before the set is published.

A new per-period output is a function here (or in its own module) and one entry in
PERIOD_OUTPUTS; its files go to OUT/PERIOD/<key>/ and into the manifest's `outputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sambrief.briefing.changes import what_changed
from sambrief.config.intranet import read_blocks
from sambrief.config.settings import Settings
from sambrief.i18n.catalog import Formatter, Messages
from sambrief.model.core import Model
from sambrief.render.intranet import render_intranet
from sambrief.render.outputs import FILE_KINDS, carried

# (settings, model, manifest, the previous period's figures per audience from the history)
# -> file name within its folder -> content
PeriodOutput = Callable[[Settings, Model, dict[str, Any], dict[str, dict[str, Any]]], dict[str, bytes]]


def intranet_page(
    settings: Settings, model: Model, manifest_data: dict[str, Any], previous: dict[str, dict[str, Any]]
) -> dict[str, bytes]:
    """The SAM intranet page for the period: news flash, downloads, what changed, standing blocks."""
    language = settings.language
    fmt, msg = Formatter(language, settings.currency), Messages(language)
    downloads = []
    for entry in manifest_data["audiences"].values():  # only audiences whose channels name the intranet
        links = [
            {"href": f"../{name}", "label": kind.link_text(language)}
            for name, kind in carried(entry, "intranet")
            if kind.link
        ]
        if links:
            downloads.append({"title": entry["title"], "files": links})
    # Only the figures of audiences published here (the page states nothing of a briefing it does not
    # show), each compared with the same audience's figure of the previous period; where audiences
    # differ (registers filtered per audience), management first, then by name, as in the history.
    shown = sorted(
        (key for key, entry in manifest_data["audiences"].items() if "intranet" in (entry.get("channels") or [])),
        key=lambda a: (a != "management", a),
    )
    current: dict[str, Any] = {}
    before: dict[str, Any] = {}
    for key in shown:
        for figure, value in manifest_data["audiences"][key]["figures"].items():
            if figure not in current:
                current[figure] = value
                if figure in previous.get(key, {}):
                    before[figure] = previous[key][figure]
    changes = what_changed(current, before, fmt.month(model.period.previous.start), fmt, msg)
    news = [n for n in model.news if n.current(model.as_of)]
    # a page template may name the deck's and the one-pager's link texts (labels.deck, labels.onepager)
    link_labels = {
        "deck": FILE_KINDS["deck"].link_text(language),
        "onepager": FILE_KINDS["onepager_pdf"].link_text(language),
    }
    files = render_intranet(
        settings,
        language,
        str(model.period),
        fmt.month(model.period.start),
        downloads,
        news,
        changes,
        read_blocks(settings.intranet_path),
        model.as_of,
        link_labels,
    )
    return files


PERIOD_OUTPUTS: dict[str, PeriodOutput] = {"intranet": intranet_page}
