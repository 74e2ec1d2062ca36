"""The summary's key-figure tiles agree with the headlines beside them."""

from __future__ import annotations

from sambrief.briefing.tiles import key_tiles
from sambrief.i18n.catalog import Formatter, Messages


def test_a_tile_compares_with_the_previous_month_its_theme_states_though_no_history_is_recorded(example_draft_all):
    # The example's first build has no history, but the request list holds September's requests:
    # the lead-time headline says "1,5 Tage weniger als im Vormonat", so its tile must not say
    # "kein Vormonat zum Vergleich" beside it.
    business = next(b for b in example_draft_all.briefings if b.output_key == "business")
    lead = next(f for f in business.findings if f.theme == "lifecycle" and "Vormonat" in f.headline)
    tile = next(t for t in business.tiles if t.figure == "lifecycle.median_days")
    assert "1,5 Tage weniger als im Vormonat" in lead.headline
    assert (tile.change, tile.direction, tile.tone) == ("▼ 1,5 Tage seit September", "down", "good")


def test_the_themes_own_previous_value_wins_over_the_history_and_a_tile_without_either_says_so():
    from sambrief.briefing import figures as registry
    from sambrief.briefing.findings import Finding

    fmt, msg = Formatter("de", "EUR"), Messages("de")
    finding = Finding(theme="lifecycle", key="lead", headline="h", bullets=[], notes=[], source="", key_point="")
    values = {"lifecycle.median_days": 5.0, "lifecycle.median_days_previous": 6.5}
    assert registry.get("lifecycle.median_days").tile  # a tile figure of its theme
    [tile] = key_tiles([finding], values, {"lifecycle.median_days": 9.0}, "September", fmt, msg)[:1]
    assert tile.change == "▼ 1,5 Tage seit September"
    [tile] = key_tiles([finding], {"lifecycle.median_days": 5.0}, None, "September", fmt, msg)[:1]
    assert (tile.change, tile.direction) == ("kein Vormonat zum Vergleich", "none")
