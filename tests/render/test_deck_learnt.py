"""What a deck learns once and the decks after it reuse: the frames its slides' placeholders inherit
from each layout (learnt again when the template file changes), the XML of a text body per style."""

from __future__ import annotations

import os
import re
import zipfile
from copy import deepcopy
from pathlib import Path

from conftest import MINIMAL_CONFIG, REPO, write_workspace
from lxml import etree
from pptx.util import Pt

from sambrief.commands.build import BuildRequest, draft
from sambrief.config.workspace import open_workspace
from sambrief.render.brand import logo_png
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


def test_text_boxes_of_one_style_share_their_xml_but_not_their_text():
    """A text body is built once per style (size, colour, number of lines, ...) and copied: each
    copy holds its own lines, written as python-pptx writes them (control characters escaped)."""
    from pptx.dml.color import RGBColor

    from sambrief.render.deckwriter import SlidePage, SlideWriter
    from sambrief.render.template import Frame, open_template

    prs = open_template(REPO / "src/sambrief/defaults/deck.pptx")
    writer = SlideWriter(prs, briefing=None)  # type: ignore[arg-type]  # writing text reads no briefing
    slide = prs.slides.add_slide(writer.roles["chart"])
    writer.pages.append(SlidePage("chart", 1))
    grey = RGBColor(0x6B, 0x6B, 0x6B)
    boxes = [
        writer.write(writer.textbox(slide, Frame(0, i * 600000, 4000000, 500000)), lines, 14, color=grey, bullet=True)
        for i, lines in enumerate((["eins", "zwei"], ["drei", "vier\x01 fünf"], ["eins", "zwei"]))
    ]
    assert [[p.text for p in box.text_frame.paragraphs] for box in boxes] == [
        ["• eins", "• zwei"],
        ["• drei", "• vier_x0001_ fünf"],  # python-pptx reads the escape back as written
        ["• eins", "• zwei"],
    ]
    reference = slide.shapes.add_textbox(0, 0, 4000000, 500000).text_frame  # as python-pptx writes it
    reference.word_wrap = True
    reference.clear()
    for i, line in enumerate(["drei", "vier\x01 fünf"]):
        para = reference.paragraphs[0] if i == 0 else reference.add_paragraph()
        run = para.add_run()
        run.text = "• " + line
        run.font.size, run.font.bold, run.font.italic, run.font.color.rgb = Pt(14), False, False, grey
        para.space_after = Pt(6)
    written = boxes[1].text_frame._txBody
    body = reference._txBody
    body.bodyPr.getparent().replace(body.bodyPr, deepcopy(written.bodyPr))  # the text box's own frame settings
    assert etree.tostring(written) == etree.tostring(body)


def test_a_text_set_through_the_outline_it_shares_is_written_as_python_pptx_writes_it():
    """Titles and notes: paragraphs are made once per outline (lines, pieces between vertical tabs,
    empty ones) and copied; each text is its own and its XML is python-pptx's `text_frame.text = ...`."""
    from pptx import Presentation

    from sambrief.render.shapes import set_text

    slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    texts = ["Eins\nzwei\vdrei\n\nvier", "Fünf\nsechs\vsieben\n\nacht\x07", "Eins\nzwei\vdrei\n\nvier", "", "\v"]
    for size in (None, 28):
        for text in texts:
            ours, theirs = (slide.shapes.add_textbox(0, 0, 100, 100).text_frame for _ in range(2))
            set_text(ours, text, size)
            theirs.text = text
            for run in (r for p in theirs.paragraphs for r in p.runs) if size else ():
                run.font.size = Pt(size)
            assert etree.tostring(ours._txBody) == etree.tostring(theirs._txBody), (text, size)


def test_a_logo_replaced_with_the_same_size_and_time_is_the_new_one(tmp_path: Path):
    # `cp -p` of another logo of the same size keeps the modification time: still the new picture
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG first logo")
    assert logo_png(logo) == b"\x89PNG first logo"
    stat = logo.stat()
    replacement = tmp_path / "new.png"
    replacement.write_bytes(b"\x89PNG other logo")
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    replacement.replace(logo)
    assert logo.stat().st_mtime_ns == stat.st_mtime_ns and logo.stat().st_size == stat.st_size
    assert logo_png(logo) == b"\x89PNG other logo"
