"""Themes are discovered: a new theme is its module plus its own catalog file, nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import sambrief.briefing.themes as themes
from sambrief.briefing import figures
from sambrief.i18n import catalog as i18n
from sambrief.i18n.catalog import Messages

PACKAGE = Path(themes.__file__).parent

# The order of `sambrief history` columns and of "what changed" before themes were discovered.
HISTORY_ORDER = ["risk", "cloud_sprawl", "successes", "open_issues", "opportunities", "lifecycle", "procurement",
                 "budget", "news", "risk_detail", "cloud_departments"]

DEMO_MODULE = '''
from sambrief.briefing.figures import declare
from sambrief.briefing.findings import ThemeResult

KEY = "demo_topic"
ORDER = 55
FIGURES = declare("demo_topic", ("items", "count", {"de": "Dinge", "en": "things"}))


def build(ctx):
    result = ThemeResult("demo_topic")
    result.warnings.append(ctx.msg("demo_topic.no_data"))
    return result
'''

DEMO_CATALOG = '''
de:
  no_data: "demo_topic: nichts zu zeigen"
en:
  no_data: "demo_topic: nothing to show"
'''


def test_registry_is_the_modules_that_declare_a_place_in_the_old_order():
    declaring = sorted(p.stem for p in PACKAGE.glob("*.py") if "\nORDER = " in p.read_text("utf-8"))
    assert sorted(themes.THEMES) == declaring
    assert list(themes.THEMES) == HISTORY_ORDER
    assert "trends" not in themes.THEMES and "base" not in themes.THEMES
    # figures follow the themes' order: the history columns stay where they were
    assert list(dict.fromkeys(f.theme for f in figures.registry().values())) == HISTORY_ORDER


@pytest.fixture
def demo_theme(tmp_path, monkeypatch):
    """A theme outside the package: its module in a folder added to the package's path and its
    catalog in a folder added to the catalog folders; nothing is written into the package."""
    modules, catalogs = tmp_path / "modules", tmp_path / "catalogs"
    modules.mkdir()
    catalogs.mkdir()
    (modules / "demo_topic.py").write_text(DEMO_MODULE, "utf-8")
    (catalogs / "demo_topic.yaml").write_text(DEMO_CATALOG, "utf-8")
    monkeypatch.setattr(themes, "__path__", [*themes.__path__, str(modules)])
    monkeypatch.setattr(i18n, "THEME_CATALOGS", [*i18n.THEME_CATALOGS, catalogs])
    i18n._catalog.cache_clear()
    yield
    sys.modules.pop("sambrief.briefing.themes.demo_topic", None)
    i18n._catalog.cache_clear()
    figures.registry.cache_clear()
    assert not (PACKAGE / "demo_topic.py").exists()


def test_a_theme_in_a_new_module_and_catalog_file_is_picked_up(demo_theme, monkeypatch):
    found = themes.discover(themes.__path__)
    assert list(found) == HISTORY_ORDER[:5] + ["demo_topic"] + HISTORY_ORDER[5:]  # ORDER 55: after opportunities
    assert Messages("en")("demo_topic.no_data") == "demo_topic: nothing to show"
    assert Messages("de")("demo_topic.no_data") == "demo_topic: nichts zu zeigen"
    monkeypatch.setattr(themes, "THEME_MODULES", found)
    figures.registry.cache_clear()
    assert figures.get("demo_topic.items").label_in("de") == "Dinge"


def test_a_theme_catalog_without_a_language_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "half.yaml").write_text("de:\n  no_data: nur deutsch\n", "utf-8")
    monkeypatch.setattr(i18n, "THEME_CATALOGS", [*i18n.THEME_CATALOGS, tmp_path])
    i18n._catalog.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"^messages/themes/half.yaml: no 'en:' mapping; add the theme's en texts$"):
            Messages("en")
    finally:
        i18n._catalog.cache_clear()


def test_two_themes_with_one_place_are_refused(tmp_path, monkeypatch):
    (tmp_path / "twin_topic.py").write_text(DEMO_MODULE.replace("demo_topic", "twin_topic").replace("55", "90"), "utf-8")
    monkeypatch.setattr(themes, "__path__", [*themes.__path__, str(tmp_path)])
    try:
        with pytest.raises(ValueError, match="two themes declare the same ORDER"):
            themes.discover(themes.__path__)
    finally:
        sys.modules.pop("sambrief.briefing.themes.twin_topic", None)
