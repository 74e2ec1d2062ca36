"""Configuration knows the names of the theme and output-format registries without importing
them (it sits below them, and a configuration error must not cost a pandas import)."""

from __future__ import annotations

import subprocess
import sys

from sambrief.briefing.themes import THEMES
from sambrief.config.workspace import output_formats
from sambrief.i18n.theme_files import theme_names
from sambrief.render import FILE_KINDS, OUTPUTS, RENDERERS


def test_configuration_names_are_the_registries_names():
    assert list(theme_names()) == list(THEMES)
    assert sorted(output_formats()) == sorted(RENDERERS) == ["onepager", "pptx"]


def test_loading_the_configuration_imports_no_theme_renderer_or_pandas():
    code = (
        "import sys, sambrief.config.workspace\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandas' or m.startswith(('sambrief.render', 'sambrief.briefing'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_an_output_format_declares_its_files_names_and_links():
    assert list(RENDERERS) == ["pptx", "onepager"]  # their places: the deck before the one-pager in a mail
    assert [kind.name for kind in OUTPUTS["pptx"].kinds] == ["deck", "deck_pdf", "details_csv"]
    assert list(FILE_KINDS) == ["deck", "deck_pdf", "details_csv", "onepager_pdf", "onepager_html"]
    assert FILE_KINDS["deck"].file == "sambrief-{audience}-{period}.pptx"
    assert FILE_KINDS["onepager_pdf"].link_text("de") == "Onepager (PDF)"
    assert FILE_KINDS["deck_pdf"].link_text("en") == "Presentation (PDF)"
    assert FILE_KINDS["onepager_html"].link is None and not FILE_KINDS["onepager_html"].mailed
