"""A theme is two files: its module in briefing/themes/ and its own file in defaults/messages/themes/.
Discovery, configuration, the registers, figures and the catalogs pick both up; nothing else names it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import sambrief.briefing.themes as themes
from sambrief.briefing import figures
from sambrief.i18n import catalog as i18n
from sambrief.i18n import theme_files
from sambrief.i18n.catalog import Messages
from sambrief.ingest.datasets import ACTION_THEMES, CHOICE_LABELS

PACKAGE = Path(themes.__file__).parent

# The order of `sambrief history` columns and of "what changed" before themes were discovered:
# the themes of that time keep their places (a new theme goes where its file's `order` puts it).
HISTORY_ORDER = [
    "risk",
    "cloud_sprawl",
    "successes",
    "open_issues",
    "opportunities",
    "lifecycle",
    "procurement",
    "budget",
    "news",
    "risk_detail",
    "cloud_departments",
]

DEMO_MODULE = """
from sambrief.briefing.figures import declare
from sambrief.briefing.themes.base import SHARED

KEY = "demo_topic"
AUDIENCE = SHARED
DATASETS = ("license_position",)
FIGURES = declare(KEY, ("products", "count", {"de": "Produkte im Demo-Thema", "en": "products in the demo theme"}))


def build(ctx):
    result = ctx.result()
    products = int(ctx.model.frame("license_position")["product"].nunique())
    result.figures = {"products": products}
    headline = ctx.text("headline", n=products)
    result.findings.append(ctx.finding("products", headline, [ctx.text("bullet")], [], ctx.source_line(*DATASETS),
                                       ctx.text("key_point", n=products), priority=5))
    return result
"""

DEMO_FILE = """
order: 55
de:
  action: Demo-Thema
  topic: das Demo-Thema
  no_data: "demo_topic: nichts zu zeigen"
  headline: "Das Demo-Thema zählt {n} Produkte im Lizenzbestand"
  bullet: "Ein Thema aus zwei Dateien"
  key_point: "Demo: {n} Produkte."
en:
  action: Demo topic
  topic: the demo topic
  no_data: "demo_topic: nothing to show"
  headline: "The demo topic counts {n} products in the licence position"
  bullet: "A theme of two files"
  key_point: "Demo: {n} products."
"""


def test_registry_keeps_the_old_order_and_every_theme_has_its_two_files():
    declaring = sorted(p.stem for p in PACKAGE.glob("*.py") if "\nKEY = " in p.read_text("utf-8"))
    assert sorted(themes.THEMES) == declaring == sorted(theme_files.theme_names())
    assert [t for t in themes.THEMES if t in HISTORY_ORDER] == HISTORY_ORDER
    assert list(themes.THEMES) == list(theme_files.theme_names())
    assert "trends" not in themes.THEMES and "base" not in themes.THEMES
    # figures follow the themes' order: the history columns stay where they were
    assert list(dict.fromkeys(f.theme for f in figures.registry().values())) == list(themes.THEMES)


def test_action_labels_come_from_the_themes_own_files():
    assert CHOICE_LABELS["theme"]["risk"] == {"de": "Lizenzrisiko", "en": "Licence risk"}
    assert list(CHOICE_LABELS["theme"]) == [
        "risk",
        "cloud_sprawl",
        "successes",
        "open_issues",
        "opportunities",
        "lifecycle",
        "procurement",
        "budget",
    ]
    assert "news" not in ACTION_THEMES  # a theme without an `action` text takes no actions
    assert ACTION_THEMES["cloud_sprawl"] == ("cloud_sprawl", "cloud sprawl", "cloud-lizenzen", "cloud seats")


@pytest.fixture
def demo_theme(tmp_path, monkeypatch):
    """A theme outside the package: its module in a folder added to the package's path and its
    file in a folder added to the theme files' folders; nothing is written into the package."""
    modules, catalogs = tmp_path / "modules", tmp_path / "catalogs"
    modules.mkdir()
    catalogs.mkdir()
    (modules / "demo_topic.py").write_text(DEMO_MODULE, "utf-8")
    (catalogs / "demo_topic.yaml").write_text(DEMO_FILE, "utf-8")
    monkeypatch.setattr(themes, "__path__", [*themes.__path__, str(modules)])
    monkeypatch.setattr(theme_files, "THEME_CATALOGS", [*theme_files.THEME_CATALOGS, catalogs])
    i18n.clear_caches()
    yield
    sys.modules.pop("sambrief.briefing.themes.demo_topic", None)
    i18n.clear_caches()
    figures.registry.cache_clear()
    assert not (PACKAGE / "demo_topic.py").exists()


def test_a_theme_in_a_new_module_and_file_is_picked_up(demo_theme, monkeypatch):
    found = themes.discover(themes.__path__)
    # order 55: after opportunities (50), before the renewal calendar (58)
    assert list(found) == HISTORY_ORDER[:5] + ["demo_topic", "renewals"] + HISTORY_ORDER[5:]
    assert Messages("en")("demo_topic.no_data") == "demo_topic: nothing to show"
    assert Messages("de")("demo_topic.no_data") == "demo_topic: nichts zu zeigen"
    monkeypatch.setattr(themes, "THEME_MODULES", found)
    figures.registry.cache_clear()
    assert figures.get("demo_topic.products").label_in("de") == "Produkte im Demo-Thema"


def test_a_theme_file_without_a_language_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "half.yaml").write_text("order: 57\nde:\n  no_data: nur deutsch\n", "utf-8")
    monkeypatch.setattr(theme_files, "THEME_CATALOGS", [*theme_files.THEME_CATALOGS, tmp_path])
    i18n.clear_caches()
    try:
        with pytest.raises(
            ValueError, match=r"^messages/themes/half.yaml: no 'en:' mapping; add the theme's en texts$"
        ):
            Messages("en")
    finally:
        i18n.clear_caches()


def test_a_theme_module_without_its_file_or_its_audience_reads_is_refused(tmp_path, monkeypatch):
    (tmp_path / "lone_topic.py").write_text(DEMO_MODULE.replace("demo_topic", "lone_topic"), "utf-8")
    monkeypatch.setattr(themes, "__path__", [*themes.__path__, str(tmp_path)])
    try:
        with pytest.raises(ValueError, match=r"theme 'lone_topic' .* has no defaults/messages/themes/lone_topic.yaml"):
            themes.discover(themes.__path__)
        # A theme that does not say what it reads of its audience would have its result shared silently.
        (tmp_path / "lone_topic.py").write_text(
            DEMO_MODULE.replace("demo_topic", "lone_topic").replace("AUDIENCE = SHARED\n", "")
        )
        sys.modules.pop("sambrief.briefing.themes.lone_topic", None)
        with pytest.raises(TypeError, match="lone_topic: declare AUDIENCE"):
            themes.discover(themes.__path__)
    finally:
        sys.modules.pop("sambrief.briefing.themes.lone_topic", None)


def test_two_themes_with_one_place_are_refused(tmp_path, monkeypatch):
    (tmp_path / "twin_topic.yaml").write_text(DEMO_FILE.replace("55", "90"), "utf-8")
    monkeypatch.setattr(theme_files, "THEME_CATALOGS", [*theme_files.THEME_CATALOGS, tmp_path])
    i18n.clear_caches()
    try:
        with pytest.raises(ValueError, match="two themes declare the same order"):
            theme_files.theme_names()
    finally:
        i18n.clear_caches()
