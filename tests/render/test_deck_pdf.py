"""The deck as PDF beside each pptx: one page per slide, the same texts, made with WeasyPrint."""

from __future__ import annotations

import io
import json
import re

import pdfplumber
import pytest
from pptx import Presentation
from rendered_examples import audience_outputs, every_audience


@pytest.fixture(scope="module")
def example(example_build_management):
    """The README's first command: management's deck, its PDF and the manifest. Read only."""
    return example_build_management


@pytest.fixture(params=every_audience())  # management's deck in the fast tier, the other audiences' in the slow tier
def audience(request):
    """(the shared example build with an audience's deck, the audience's briefing). Read only."""
    return audience_outputs(request)


def _flat(text: str) -> str:
    """Spaces as one; a line broken after a hyphen ("IT-\nEinkauf") read as written."""
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text.replace("\u00a0", " "))).strip()


def slide_texts(deck) -> tuple[int, list[list[tuple[tuple[int, int, int, int], str]]]]:
    """The slide width (EMU) and each slide's text boxes: frame and text, as PowerPoint shows them."""
    prs = Presentation(str(deck))
    return prs.slide_width, [
        [
            ((s.left, s.top, s.width, s.height), _flat(" ".join(p.text for p in s.text_frame.paragraphs)))
            for s in slide.shapes
            if s.has_text_frame and s.text_frame.text.strip()
        ]
        for slide in prs.slides
    ]


def test_each_deck_has_a_pdf_with_a_page_per_slide_and_the_slides_texts(audience):
    example, b = audience
    folder = example.out_dir / b.output_key
    deck = folder / f"sambrief-{b.output_key}-{b.period}.pptx"
    pdf = folder / f"sambrief-{b.output_key}-{b.period}.pdf"
    assert pdf.is_file(), pdf
    slide_width, slides = slide_texts(deck)
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(slides), b.output_key
        width, height = doc.pages[0].width, doc.pages[0].height
        assert width / height == pytest.approx(16 / 9, rel=0.01)  # the slide's shape, not A4
        scale = float(width) / slide_width
        for number, (boxes, page) in enumerate(zip(slides, doc.pages), 1):
            for (left, top, w, h), text in boxes:
                # the same text in the same place: read within the box's frame (a little wider)
                box = (
                    max(0, left * scale - 4),
                    max(0, top * scale - 4),
                    min(width, (left + w) * scale + 4),
                    min(height, (top + h) * scale + 4),
                )
                assert _flat(page.within_bbox(box).extract_text()) == text, (b.output_key, number, text)


def test_deck_pdf_is_a_file_kind_of_its_own_in_the_manifest(example):
    manifest = json.loads((example.out_dir / "manifest.json").read_text())
    kinds = manifest["audiences"]["management"]["kinds"]
    assert kinds["management/sambrief-management-2026-10.pdf"] == "deck_pdf"
    assert kinds["management/sambrief-management-2026-10.pptx"] == "deck"


def test_deck_pdf_draws_the_charts_values(example):
    b = next(b for b in example.briefings if b.output_key == "management")
    pdf = example.out_dir / "management" / "sambrief-management-2026-10.pdf"
    with pdfplumber.open(pdf) as doc:
        pages = [_flat(page.extract_text()) for page in doc.pages]
        rects = [len(page.rects) + len(page.curves) for page in doc.pages]
    for index, finding in enumerate(b.findings):
        if finding.chart is None or len(finding.chart.categories) < 2:
            continue
        page = pages[index + 2]  # title and key points first
        assert "332.504 €" in pages[2]
        assert rects[index + 2] >= len(finding.chart.categories), finding.key
        assert page


def _hex(colour) -> str:
    """pdfplumber's fill colour (RGB fractions) as 'RRGGBB'."""
    return "".join(f"{round(float(c) * 255):02X}" for c in colour)


def _bands(page, slide_width: float) -> list[dict]:
    """The page's filled rectangles as wide as the slide (a colour band or stripe)."""
    return [r for r in page.rects if r["fill"] and r["width"] >= slide_width * 0.99]


def _title_band(pdf, title: str) -> tuple[str, str]:
    """On the PDF's first page: the colour of the band behind the title, and the title's text colour."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        word = next(w for w in page.extract_words(extra_attrs=["non_stroking_color"]) if w["text"] == title.split()[0])
        behind = [
            r for r in _bands(page, float(page.width)) if r["top"] <= word["top"] and word["bottom"] <= r["bottom"]
        ]
        assert behind, [(_hex(r["non_stroking_color"]), r["top"], r["bottom"]) for r in page.rects]
        return _hex(behind[-1]["non_stroking_color"]), _hex(word["non_stroking_color"])


def test_the_pdfs_title_and_closing_slides_have_the_decks_colour_band(example):
    """The pptx's title and closing slides stand on the template's colour band (accent1) with
    the title in white; the PDF once showed them on white. Same band, same readable title."""
    from sambrief.render.brand import contrast

    b = next(b for b in example.briefings if b.output_key == "management")
    folder = example.out_dir / "management"
    deck = Presentation(str(folder / "sambrief-management-2026-10.pptx"))
    theme = deck.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob.decode("utf-8")
    accent1 = re.search(r'<a:accent1><a:srgbClr val="([0-9A-Fa-f]{6})"', theme).group(1).upper()
    band, text = _title_band(folder / "sambrief-management-2026-10.pdf", b.title)
    assert band == accent1 and contrast(text, band) >= 4.5
    with pdfplumber.open(folder / "sambrief-management-2026-10.pdf") as doc:
        closing, content = doc.pages[-1], doc.pages[2]
        assert accent1 in {
            _hex(r["non_stroking_color"]) for r in _bands(closing, float(closing.width)) if r["height"] > 50
        }
        assert not [
            r for r in _bands(content, float(content.width)) if r["height"] > 50
        ]  # a content slide: a thin accent only


def test_a_brands_band_and_logo_reach_the_pdfs_title_slide(tmp_path):
    from conftest import MINIMAL_CONFIG, write_workspace
    from PIL import Image

    from sambrief.commands.build import BuildRequest, draft
    from sambrief.config.workspace import open_workspace
    from sambrief.render import RENDERERS
    from sambrief.render.brand import contrast

    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG,
        {
            "data/l.csv": "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n"
            "A;Alpha;10;12;100,00\nB;Beta;5;9;20,00\n"
        },
    )
    Image.new("RGB", (300, 100), (200, 30, 30)).save(ws / "logo.png")
    config = ws / "sambrief.yaml"
    config.write_text(config.read_text("utf-8") + 'brand:\n  primary: "#F2C500"\n  logo: logo.png\n', encoding="utf-8")
    # the deck alone (its pptx and PDF) of the drafted briefing
    briefing = draft(BuildRequest(config=config, audience="management", period="2026-10")).briefings[0]
    deck = RENDERERS["pptx"](briefing, open_workspace(config)).files
    pdf = next(data for name, data in deck.items() if name.endswith(".pdf") and name.startswith("sambrief-management"))
    band, text = _title_band(io.BytesIO(pdf), briefing.title)
    assert band == "F2C500" and contrast(text, band) >= 4.5  # dark text on the light brand colour
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first, last = doc.pages[0], doc.pages[-1]
        assert len(first.images) == 1 and len(last.images) == 1  # the logo, as on the pptx's title and closing slides
        logo = first.images[0]
        assert abs(float(logo["width"]) / float(logo["height"]) - 3.0) < 0.05
