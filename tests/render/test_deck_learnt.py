"""What a deck learns from its template once and the decks after it reuse (the frames its slides'
placeholders inherit from each layout) is learnt again when the template file changes."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from conftest import MINIMAL_CONFIG, REPO, write_workspace

from sambrief.commands.build import BuildRequest, draft
from sambrief.config.workspace import open_workspace
from sambrief.render.pptx import render_deck

GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"
AUDIENCE = "audiences:\n  management:\n    title: {de: Lagebild}\n    themes: [risk]\n    formats: [pptx]\n"


def _title_top(ws: Path) -> int:
    """Where the deck's title slide shows its title (as noted for the deck's PDF), in EMU."""
    settings = open_workspace(ws / "sambrief.yaml")
    (briefing,) = draft(BuildRequest(config=ws / "sambrief.yaml", period="2026-10")).briefings
    deck = render_deck(briefing, settings.deck_template, settings.layout_names)
    return next(d.top for d in deck.pages[0].drawn if d.role == "title")


def test_a_layout_moved_in_a_replaced_template_moves_the_title(tmp_path):
    """The title slide's title inherits its frame from the layout; the layout's frames are read once
    per template file, and again for a new version of it (here: the same size and modification time)."""
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG + "template: deck.pptx\n", {"data/l.csv": GOOD_CSV}, AUDIENCE)

    def variant(top: bytes, target: Path) -> None:  # the packaged template, its title slide's title at `top`
        packaged = REPO / "src/sambrief/defaults/deck.pptx"
        with (
            zipfile.ZipFile(packaged) as src,
            zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out,
        ):  # the size stays
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "ppt/slideLayouts/slideLayout1.xml":  # "Title Slide"
                    title = rb'(type="ctrTitle".*?<a:off x="\d+" y=")1097280"'
                    data = re.sub(title, rb"\g<1>" + top + b'"', data, count=1, flags=re.S)
                out.writestr(item.filename, data)

    template = ws / "deck.pptx"
    variant(b"1097280", template)
    assert _title_top(ws) == 1097280
    stat = template.stat()
    variant(b"1197280", tmp_path / "moved.pptx")
    os.replace(tmp_path / "moved.pptx", template)
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert template.stat().st_size == stat.st_size
    assert _title_top(ws) == 1197280
