"""A slide's placeholders read from its XML, with the meaning python-pptx gives them, and what
they inherit from their layout read once per layout.

python-pptx finds a shape's placeholder with an XPath query on every access, and resolves an
inherited position by walking the layout's shapes (and the master's) for each of left, top,
width and height: most of the cost of writing a slide's title."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER

from sambrief.render.shapes import A, P
from sambrief.render.template import Frame

# python-pptx's shape elements of a shape tree (oxml.shapes.groupshape.CT_GroupShape)
SHAPE_TAGS = tuple(f"{P}{tag}" for tag in ("sp", "grpSp", "graphicFrame", "cxnSp", "pic", "contentPart"))


def ph_of(elm: Any) -> Any | None:
    """The shape's `p:ph`, as python-pptx's `./*[1]/p:nvPr/p:ph`: in its first child element."""
    first = next(elm.iterchildren(etree.Element), None)
    return None if first is None else first.find(f"{P}nvPr/{P}ph")


def ph_type(ph: Any) -> PP_PLACEHOLDER:
    kind = ph.get("type")
    return PP_PLACEHOLDER.OBJECT if kind is None else PP_PLACEHOLDER.from_xml(kind)


def ph_idx(ph: Any) -> int:
    return int(ph.get("idx", 0))


def placeholders(slide: Any) -> Iterator[tuple[Any, Any]]:
    """(shape element, its `p:ph`) of the slide's placeholders in document order: `slide.placeholders`."""
    for elm in slide._element.cSld.spTree.iterchildren(*SHAPE_TAGS):
        ph = ph_of(elm)
        if ph is not None:
            yield elm, ph


def title(slide: Any) -> Any | None:
    """`slide.shapes.title`: the first placeholder of index 0, None where the slide has none."""
    elm = next((elm for elm, ph in placeholders(slide) if ph_idx(ph) == 0), None)
    return None if elm is None else slide.shapes._shape_factory(elm)


def own_position(elm: Any) -> tuple[int | None, int | None, int | None, int | None]:
    """left, top, width, height a shape states itself (None where it does not), as python-pptx
    reads them for a `p:sp` (None for every other kind of shape)."""
    xfrm = elm.find(f"{P}spPr/{A}xfrm") if elm.tag == f"{P}sp" else None
    off = ext = None
    if xfrm is not None:
        off, ext = xfrm.find(f"{A}off"), xfrm.find(f"{A}ext")
    return (
        None if off is None else int(off.get("x")),
        None if off is None else int(off.get("y")),
        None if ext is None else int(ext.get("cx")),
        None if ext is None else int(ext.get("cy")),
    )


def own_anchor(elm: Any) -> str | None:
    body = elm.find(f".//{A}bodyPr")
    return str(body.get("anchor")) if body is not None and body.get("anchor") else None


def anchor(shape: Any) -> str:
    """A placeholder's vertical text anchor, inherited from its layout and master ('t' if none says)."""
    while shape is not None:
        found = own_anchor(shape._element)
        if found:
            return found
        shape = getattr(shape, "_base_placeholder", None)
    return "t"


def inherited(layout: Any) -> dict[int, tuple[Any, ...]]:
    """What a slide's placeholder of each index inherits from this layout: python-pptx's left,
    top, width and height of the layout's first placeholder of that index, and its text anchor."""
    found: dict[int, tuple[Any, ...]] = {}
    for p in layout.placeholders:
        found.setdefault(p.placeholder_format.idx, (p.left, p.top, p.width, p.height, anchor(p)))
    return found


def position(elm: Any, layout_places: dict[int, tuple[Any, ...]]) -> Frame:
    """A slide shape's frame: its own values, else (a placeholder) its layout placeholder's."""
    own = own_position(elm)
    if None not in own:
        return Frame(*own)  # type: ignore[arg-type]
    ph = ph_of(elm)
    base = layout_places.get(ph_idx(ph)) if ph is not None else None
    values = [v if v is not None else (base[i] if base is not None else None) for i, v in enumerate(own)]
    return Frame(*(int(v) for v in values))  # type: ignore[arg-type]


def text_anchor(elm: Any, layout_places: dict[int, tuple[Any, ...]]) -> str:
    found = own_anchor(elm)
    if found:
        return found
    ph = ph_of(elm)
    base = layout_places.get(ph_idx(ph)) if ph is not None else None
    return str(base[4]) if base is not None else "t"
