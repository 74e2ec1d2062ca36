"""The deck as PDF beside each pptx: one page per slide, the same texts, made with WeasyPrint."""

from __future__ import annotations

import json
import re

import pdfplumber
import pytest
from pptx import Presentation


@pytest.fixture(scope="module")
def example(example_build_all):
    return example_build_all


def _flat(text: str) -> str:
    """Spaces as one; a line broken after a hyphen ("IT-\nEinkauf") read as written."""
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text.replace("\u00a0", " "))).strip()


def slide_texts(deck) -> tuple[int, list[list[tuple[tuple[int, int, int, int], str]]]]:
    """The slide width (EMU) and each slide's text boxes: frame and text, as PowerPoint shows them."""
    prs = Presentation(str(deck))
    return prs.slide_width, [[((s.left, s.top, s.width, s.height), _flat(" ".join(p.text for p in s.text_frame.paragraphs)))
                              for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()] for slide in prs.slides]


def test_each_deck_has_a_pdf_with_a_page_per_slide_and_the_slides_texts(example):
    for b in example.briefings:
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
                    box = (max(0, left * scale - 4), max(0, top * scale - 4), min(width, (left + w) * scale + 4),
                           min(height, (top + h) * scale + 4))
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
