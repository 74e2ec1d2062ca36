"""Render decks with LibreOffice headless and check where every word landed (pdfplumber)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed; run tools/test.sh")


def to_pdf(deck: Path, workdir: Path, timeout: int = 180) -> Path:
    """One private profile per run (concurrent runs collide on the default one), a timeout,
    and a check that the PDF exists (soffice can exit 0 without writing it)."""
    profile = workdir / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    pdf = workdir / (deck.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {deck.name}"
    return pdf


def stray_words(deck: Path, pdf: Path, tolerance_pt: float = 3.0) -> list[str]:
    """Words outside the slide, or outside every shape's box (text that spilled out)."""
    import pdfplumber
    from pptx import Presentation

    prs = Presentation(deck)
    problems = []
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(prs.slides), f"{len(doc.pages)} pages for {len(prs.slides)} slides"
        for number, (page, slide) in enumerate(zip(doc.pages, prs.slides), 1):
            scale = float(page.width) / prs.slide_width
            boxes = [
                (
                    s.left * scale - tolerance_pt,
                    s.top * scale - tolerance_pt,
                    (s.left + s.width) * scale + tolerance_pt,
                    (s.top + s.height) * scale + tolerance_pt,
                )
                for s in slide.shapes
                if s.width and s.height
            ]
            for word in page.extract_words():
                x0, top, x1, bottom = word["x0"], word["top"], word["x1"], word["bottom"]
                if x0 < 0 or top < 0 or x1 > page.width or bottom > page.height:
                    problems.append(f"slide {number}: {word['text']!r} outside the slide")
                elif not any(b[0] <= x0 and b[1] <= top and x1 <= b[2] and bottom <= b[3] for b in boxes):
                    problems.append(f"slide {number}: {word['text']!r} outside its text box")
    return problems
