"""The deck's quality gate: every slide measured as rendered (text that overflows its box, type
below the minimum, too many words, tables longer than five rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sambrief.i18n.notices import Notice
from sambrief.render.deckwriter import INSETS, MIN_FONT_PT
from sambrief.render.fit import Measurer
from sambrief.render.shapes import A, P

MAX_WORDS_PER_SLIDE = 110
_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
_SP, _FRAME, _RUN = f"{P}sp", f"{P}graphicFrame", f"{A}r"


def quality_gate(prs: Any, key: str, body: Measurer, places: Sequence[dict[int, tuple[Any, ...]]]) -> list[str]:
    """Measure every slide as rendered: text that overflows its box, type below the minimum,
    too many words, tables longer than five rows. `places`: per slide, what its placeholders
    inherit from its layout (`placeholders.inherited`).

    Read from the slides' XML in one pass, with the meaning python-pptx gives it: its shape API
    resolves every property through XPath, a large part of a deck's cost."""
    warnings: list[str] = []
    for number, (slide, inherited) in enumerate(zip(prs.slides, places, strict=True), 1):
        words = 0
        where = Notice("slide", audience=key, slide=number)
        for elm in slide._element.find(f"{P}cSld/{P}spTree"):
            if elm.tag == _FRAME:
                rows = _table_rows(elm)
                if rows > 5:
                    warnings.append(Notice("table_too_long", where=where, rows=rows, maximum=5))
                continue
            text_body = elm.find(f"{P}txBody") if elm.tag == _SP else None
            if text_body is None:
                continue
            texts, sizes, spacing, has_text = _text(text_body)
            if not has_text:  # python-pptx's `text_frame.text.strip()`: runs and fields (breaks are blank)
                continue
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
            else:  # a placeholder without a frame of its own: its layout's
                base = inherited.get(int(placeholder.get("idx", 0)))
                width, height = int(base[2]), int(base[3])  # type: ignore[index]
            if not body.fits(texts, size, width, height, spacing, insets_emu=(2 * INSETS[0], 2 * INSETS[1])):
                warnings.append(Notice("text_overflows", where=where, text=repr(texts[0][:50])))
        if words > MAX_WORDS_PER_SLIDE:
            warnings.append(Notice("too_many_words", where=where, words=words, maximum=MAX_WORDS_PER_SLIDE))
    return warnings


def _text(text_body) -> tuple[list[str], list[float], float, bool]:
    """Per paragraph the text of its runs; the runs' sizes (pt); the largest space after a
    paragraph (pt); whether a run or field holds more than blanks."""
    texts, sizes, spacing, has_text = [], [], 0.0, False
    for para in text_body.iterchildren(f"{A}p"):
        runs = []
        for child in para.iterchildren(f"{A}r", f"{A}fld"):
            text = child.findtext(f"{A}t") or ""
            has_text = has_text or bool(text.strip())
            if child.tag == _RUN:
                runs.append(text)
                props = child.find(f"{A}rPr")
                if props is not None and props.get("sz") is not None:
                    sizes.append(int(props.get("sz")) / 100)
        texts.append("".join(runs))
        after = para.find(f"{A}pPr/{A}spcAft/{A}spcPts")
        if after is not None:
            spacing = max(spacing, int(after.get("val")) / 100)
    return texts, sizes, spacing, has_text


def _is_auto_shape(sp) -> bool:
    """python-pptx's shape type AUTO_SHAPE (for a shape that is no placeholder): a preset
    geometry that is not a text box."""
    if sp.find(f"{P}spPr/{A}custGeom") is not None or sp.find(f"{P}spPr/{A}prstGeom") is None:
        return False
    return sp.find(f"{P}nvSpPr/{P}cNvSpPr").get("txBox") not in ("1", "true")


def _table_rows(frame) -> int:
    data = frame.find(f"{A}graphic/{A}graphicData")
    return len(data.findall(f"{A}tbl/{A}tr")) if data is not None and data.get("uri") == _TABLE_URI else 0
