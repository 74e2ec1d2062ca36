"""The deck's quality gate: every slide measured as rendered (text that overflows its box, type
below the minimum, too many words, tables longer than five rows)."""

from __future__ import annotations

from typing import Any

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.shapes.shapetree import SlideShapeFactory

from sambrief.i18n.notices import Notice
from sambrief.render.deckwriter import INSETS, MIN_FONT_PT
from sambrief.render.fit import Measurer
from sambrief.render.shapes import A, P

MAX_WORDS_PER_SLIDE = 110
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def quality_gate(prs: Any, key: str, body: Measurer) -> list[str]:
    """Measure every slide as rendered: text that overflows its box, type below the minimum,
    too many words, tables longer than five rows.

    Read from the slides' XML, with the meaning python-pptx gives it: its shape API resolves
    every property through XPath, a large part of a deck's cost."""
    warnings: list[str] = []
    inherited: dict[Any, tuple[int, int]] = {}  # placeholder without a frame of its own -> its layout's
    for number, slide in enumerate(prs.slides, 1):
        words = 0
        where = Notice("slide", audience=key, slide=number)
        for elm in slide._element.find(f"{P}cSld/{P}spTree"):
            if elm.tag == f"{P}graphicFrame":
                rows = _table_rows(elm)
                if rows > 5:
                    warnings.append(Notice("table_too_long", where=where, rows=rows, maximum=5))
                continue
            text_body = elm.find(f"{P}txBody") if elm.tag == f"{P}sp" else None
            if text_body is None or not _has_text(text_body):
                continue
            texts, sizes, spacing = [], [], 0.0
            for para in text_body.iterchildren(f"{A}p"):
                runs = para.findall(f"{A}r")
                texts.append("".join(r.findtext(f"{A}t") or "" for r in runs))
                sizes += [
                    int(r.find(f"{A}rPr").get("sz")) / 100
                    for r in runs
                    if r.find(f"{A}rPr") is not None and r.find(f"{A}rPr").get("sz") is not None
                ]
                after = para.find(f"{A}pPr/{A}spcAft/{A}spcPts")
                if after is not None:
                    spacing = max(spacing, int(after.get("val")) / 100)
            words += sum(len(t.split()) for t in texts)
            if sizes and min(sizes) < MIN_FONT_PT:
                warnings.append(Notice("type_too_small", where=where, size=f"{min(sizes):g}", minimum=MIN_FONT_PT))
            placeholder = elm.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
            if placeholder is None and _is_auto_shape(elm):
                continue  # chevrons and bars: single words, sized when drawn
            size = max(sizes) if sizes else 18
            ext = elm.find(f"{P}spPr/{A}xfrm/{A}ext")
            if ext is not None:
                width, height = int(ext.get("cx")), int(ext.get("cy"))
            else:
                place = (
                    slide.part.part_related_by(RT.SLIDE_LAYOUT).partname,
                    placeholder.get("idx"),
                    placeholder.get("type"),
                )
                if place not in inherited:
                    shape = SlideShapeFactory(elm, slide.shapes)
                    inherited[place] = (int(shape.width), int(shape.height))
                width, height = inherited[place]
            if not body.fits(texts, size, width, height, spacing, insets_emu=(2 * INSETS[0], 2 * INSETS[1])):
                warnings.append(Notice("text_overflows", where=where, text=repr(texts[0][:50])))
        if words > MAX_WORDS_PER_SLIDE:
            warnings.append(Notice("too_many_words", where=where, words=words, maximum=MAX_WORDS_PER_SLIDE))
    return warnings


def _has_text(text_body) -> bool:
    """python-pptx's `text_frame.text.strip()`: the text of runs and fields (breaks are blank)."""
    return any(
        (child.findtext(f"{A}t") or "").strip()
        for para in text_body.iterchildren(f"{A}p")
        for child in para.iterchildren(f"{A}r", f"{A}fld")
    )


def _is_auto_shape(sp) -> bool:
    """python-pptx's shape type AUTO_SHAPE (for a shape that is no placeholder): a preset
    geometry that is not a text box."""
    if sp.find(f"{P}spPr/{A}custGeom") is not None or sp.find(f"{P}spPr/{A}prstGeom") is None:
        return False
    return sp.find(f"{P}nvSpPr/{P}cNvSpPr").get("txBox") not in ("1", "true")


def _table_rows(frame) -> int:
    data = frame.find(f"{A}graphic/{A}graphicData")
    return len(data.findall(f"{A}tbl/{A}tr")) if data is not None and data.get("uri") == _TABLE_URI else 0
