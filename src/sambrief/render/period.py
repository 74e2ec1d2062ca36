"""Per-period outputs: files made once per period from the manifest's audience entries (the
intranet page), after the per-audience renderers and before the set is published.

A new per-period output is a function here (or in its own module) and one entry in
PERIOD_OUTPUTS; its files go to OUT/PERIOD/<key>/ and into the manifest's `outputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sambrief.changes import what_changed
from sambrief.i18n import Formatter, Messages
from sambrief.intranet import read_blocks
from sambrief.model import Model
from sambrief.render.html import render_intranet
from sambrief.render.rendered import carried
from sambrief.settings import Settings

PeriodOutput = Callable[[Settings, Model, dict[str, Any]], dict[str, bytes]]  # -> file name within its folder -> content


def intranet_page(settings: Settings, model: Model, manifest_data: dict[str, Any]) -> dict[str, bytes]:
    """The SAM intranet page for the period: news flash, downloads, what changed, standing blocks."""
    language = settings.language
    fmt, msg = Formatter(language, settings.currency), Messages(language)
    downloads = []
    for entry in manifest_data["audiences"].values():  # only audiences whose channels name the intranet
        links = [{"href": f"../{name}", "label": msg(kind.link)} for name, kind in carried(entry, "intranet") if kind.link]
        if links:
            downloads.append({"title": entry["title"], "files": links})
    # The same audience wins as in the history (management first, then by name): figures that
    # depend on the audience (registers filtered per audience) are compared like with like.
    # Only the figures of audiences published here: the page states nothing of a briefing it does not show.
    current: dict[str, Any] = {}
    shown = [key for key, entry in manifest_data["audiences"].items() if "intranet" in (entry.get("channels") or [])]
    for key in sorted(shown, key=lambda a: (a != "management", a)):
        for figure, value in manifest_data["audiences"][key]["figures"].items():
            current.setdefault(figure, value)
    changes = what_changed(current, model.previous_figures(), fmt.month(model.period.previous.start), fmt, msg)
    news = [n for n in model.news if n.current(model.as_of)]
    files = render_intranet(settings, language, str(model.period), fmt.month(model.period.start), downloads, news, changes,
                            read_blocks(settings.intranet_path), model.as_of)
    return files


PERIOD_OUTPUTS: dict[str, PeriodOutput] = {"intranet": intranet_page}
