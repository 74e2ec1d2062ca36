"""Drawn shapes of a deck: text boxes, rectangles filled with a theme colour and without the
theme's shape style (no outline, no shadow), and the XML namespaces the deck code reads."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.shapes.autoshape import Shape
from pptx.util import Emu, Pt

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


# python-pptx builds each new shape from an XML template and sets its properties through
# XPath lookups (0.2-0.5 ms a shape, some 40 a deck). The first shape of a kind is made that
# way; later ones are a copy of its XML with their own id, name and frame, added to the slide
# as python-pptx adds a shape. Made once per process and copied, never handed out.
_MADE: dict[Any, Any] = {}


def text_box(slide, left: int, top: int, width: int, height: int, name: str | None = None):  # noqa: ANN001
    """A text box that wraps its text and keeps its size (python-pptx's would grow to its text)."""
    made = _MADE.get("text box")
    if made is not None:
        return _copy(slide, made, name, "TextBox", left, top, width, height)
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    box.text_frame.word_wrap = True
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    _MADE["text box"] = deepcopy(box._element)
    if name:
        box.name = name
    return box


def filled_rect(slide, left: int, top: int, width: int, height: int, colour: Any, name: str | None = None):  # noqa: ANN001
    """A rectangle filled with a theme colour, without outline or shadow (tiles, panels, bars)."""
    made = _MADE.get(("rect", colour))
    if made is not None:
        return _copy(slide, made, name, "Rectangle", left, top, width, height)
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
    shape.fill.solid()
    shape.fill.fore_color.theme_color = colour
    shape.line.fill.background()
    flat(shape)
    _MADE[("rect", colour)] = deepcopy(shape._element)
    if name:
        shape.name = name
    return shape


def _copy(slide, made, name: str | None, basename: str, *frame: int) -> Shape:  # noqa: ANN001
    """A copy of a shape's XML added to the slide as python-pptx adds one: the next shape id,
    its default name ("TextBox 4"), its frame in whole EMU, placed before any `p:extLst`."""
    shapes = slide.shapes
    shape_id = shapes._next_shape_id
    sp = deepcopy(made)
    props = sp.find(f"{P}nvSpPr/{P}cNvPr")
    props.set("id", str(shape_id))
    props.set("name", name or f"{basename} {shape_id - 1}")
    xfrm = sp.find(f"{P}spPr/{A}xfrm")
    left, top, width, height = (str(int(Emu(v))) for v in frame)
    xfrm.find(f"{A}off").attrib.update({"x": left, "y": top})
    xfrm.find(f"{A}ext").attrib.update({"cx": width, "cy": height})
    shapes._spTree.insert_element_before(sp, "p:extLst")
    return Shape(sp, shapes)


def flat(shape) -> None:
    """No theme style on a drawn shape: its fill and line are set, and the style's effect would
    add the theme's shadow (LibreOffice draws it even under an empty effect list)."""
    style = shape._element.find(f"{P}style")
    if style is not None:
        shape._element.remove(style)


THEME_NAMES = {
    MSO_THEME_COLOR.ACCENT_1: "accent1",
    MSO_THEME_COLOR.ACCENT_2: "accent2",
    MSO_THEME_COLOR.ACCENT_3: "accent3",
    MSO_THEME_COLOR.BACKGROUND_1: "bg1",
    MSO_THEME_COLOR.BACKGROUND_2: "bg2",
    MSO_THEME_COLOR.TEXT_2: "dk2",
}


# python-pptx's `text_frame.text = ...` writes a paragraph per line, in it a run per piece between
# vertical tabs (a break between pieces, no run for an empty one), each through XPath lookups.
# The paragraphs' XML depends on that outline (and the runs' size) alone: they are made once per
# outline through python-pptx and copied, each run then given its piece as python-pptx sets it.
_PARAGRAPHS: dict[tuple[Any, ...], list[Any]] = {}


def set_text(frame, text: str, size: float | None = None) -> None:  # noqa: ANN001
    """`frame.text = text` and, with `size`, every run's font size (points), as python-pptx writes them."""
    lines = [line.split("\v") for line in text.split("\n")]
    key = (tuple(tuple(bool(piece) for piece in line) for line in lines), size)
    made = _PARAGRAPHS.get(key)
    if made is None:
        frame.text = "\n".join("\v".join("x" if piece else "" for piece in line) for line in lines)
        if size is not None:
            for para in frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(size)
        if len(_PARAGRAPHS) > 512:
            _PARAGRAPHS.clear()
        made = _PARAGRAPHS[key] = [deepcopy(p) for p in frame._txBody.p_lst]
    body = frame._txBody
    body.clear_content()
    for para in made:
        body.append(deepcopy(para))  # where python-pptx adds a paragraph: `a:p` comes last in a text body
    for run, piece in zip(body.iter(f"{A}r"), (piece for line in lines for piece in line if piece)):
        run.text = piece  # python-pptx's run text: control characters escaped
