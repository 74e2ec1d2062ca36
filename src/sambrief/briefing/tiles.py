"""The key-figure tiles leading the summary: a theme's leading figures, their change since the
previous period and whether that change is good."""

from __future__ import annotations

from typing import Any

from sambrief.briefing.findings import Finding, Tile
from sambrief.i18n.catalog import Formatter, Messages

MIN_TILES, MAX_TILES = 4, 6  # key-figure tiles of the summary: a theme's second figure fills up to MIN_TILES


def key_tiles(
    findings: list[Finding],
    values: dict[str, Any],
    previous: dict[str, Any] | None,
    since: str,
    fmt: Formatter,
    msg: Messages,
) -> list[Tile]:
    """The summary's key figures: the leading tile figure of each theme on the slides, in their
    order; where that gives fewer than MIN_TILES, the themes' second ones; at most MAX_TILES.
    A figure that is unknown (absent) gets no tile, never a 0."""
    from sambrief.briefing import figures as registry

    themes = list(dict.fromkeys(f.theme for f in findings))
    ranked = registry.tile_figures()
    per_theme = [[f for f in ranked if f.theme == theme and _is_number(values.get(f.key))] for theme in themes]
    chosen = [figures[0] for figures in per_theme if figures]
    spare = [figures[1] for figures in per_theme if len(figures) > 1]
    chosen += spare[: max(0, MIN_TILES - len(chosen))]
    chosen.sort(key=lambda f: (themes.index(f.theme), f.tile_rank))
    return [_tile(f, values[f.key], _before(f.key, values, previous), since, fmt, msg) for f in chosen[:MAX_TILES]]


def _before(key: str, values: dict[str, Any], previous: dict[str, Any] | None) -> Any:
    """The figure's value in the previous period: the one its theme computed from this period's
    exports (`<figure>_previous`, e.g. last month's lead times from the same request list) where
    it states one, since the headline beside the tile compares with that; else the history's."""
    own = values.get(f"{key}_previous")
    return own if _is_number(own) else (previous or {}).get(key)


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
