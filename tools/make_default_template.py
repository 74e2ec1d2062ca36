"""Build the packaged default deck template (src/sambrief/defaults/deck.pptx).

Starts from python-pptx's own blank template, makes it 16:9, moves every placeholder to
the wider slide, sets a calm palette and left-aligned titles, and leaves no slides in it.
Designed, not decorated: the title slide has a band in the first accent colour with the title
in it, the organisation and period below and a logo place (picture placeholder "Logo"); the
content slides have an accent tab beside the title and a thin rule above the footer (on the
master); a "Closing" layout has a smaller band for the title and a text frame for the contact.
Every colour is a theme colour, so a workspace's `brand:` (or an edit of the theme in
PowerPoint) recolours the whole deck. Run: python tools/make_default_template.py
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

OUT = Path(__file__).resolve().parents[1] / "src" / "sambrief" / "defaults" / "deck.pptx"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
PALETTE = {
    "dk1": "1A1A1A",
    "lt1": "FFFFFF",
    "dk2": "1F3A5F",
    "lt2": "EEF2F6",
    "accent1": "1F5A8C",
    "accent2": "B45F06",
    "accent3": "4A7A49",
    "accent4": "8C8C8C",
    "accent5": "4F7FAF",
    "accent6": "B5563A",
    "hlink": "1F5A8C",
    "folHlink": "6A4C93",
}


def main() -> None:
    prs = Presentation()
    old_w = prs.slide_width
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    scale = prs.slide_width / old_w
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            for shape in layout.placeholders:
                # Read the (possibly inherited) frame first: setting one coordinate on an
                # inheriting placeholder would create a frame with the others at 0.
                left, top, width, height = shape.left, shape.top, shape.width, shape.height
                shape.left, shape.top = int(left * scale), top
                shape.width, shape.height = int(width * scale), height
        for shape in master.placeholders:
            shape.left, shape.width = int(shape.left * scale), int(shape.width * scale)
        _style_master(master)
        _palette(master)
    for layout in prs.slide_layouts:
        for shape in layout.placeholders:
            kind = str(shape.placeholder_format.type)
            if "FOOTER" in kind:
                shape.left, shape.top, shape.width, shape.height = Inches(0.6), Inches(6.95), Inches(9.0), Inches(0.35)
            elif "SLIDE_NUMBER" in kind:
                shape.left, shape.top, shape.width, shape.height = (
                    Inches(10.9),
                    Inches(6.95),
                    Inches(1.83),
                    Inches(0.35),
                )
    by_name = {layout.name: layout for layout in prs.slide_layouts}
    _place(by_name["Title Only"], 0, Inches(0.6), Inches(0.35), Inches(12.13), Inches(1.2))
    _place(by_name["Title and Content"], 0, Inches(0.6), Inches(0.35), Inches(12.13), Inches(1.2))
    _place(by_name["Title and Content"], 1, Inches(0.6), Inches(1.75), Inches(12.13), Inches(4.9))
    # the balance slide's layout: its title where every content slide has it
    _place(by_name["Two Content"], 0, Inches(0.6), Inches(0.35), Inches(12.13), Inches(1.2))
    _place(by_name["Two Content"], 1, Inches(0.6), Inches(1.75), Inches(5.94), Inches(4.9))
    _place(by_name["Two Content"], 2, Inches(6.79), Inches(1.75), Inches(5.94), Inches(4.9))
    _place(by_name["Title Slide"], 0, Inches(0.8), Inches(2.2), Inches(11.7), Inches(1.7))
    _place(by_name["Title Slide"], 1, Inches(0.8), Inches(4.0), Inches(11.7), Inches(1.0))
    _left_align_title_slide(by_name["Title Slide"])
    _design_title_slide(by_name["Title Slide"], prs.slide_width, prs.slide_height)
    _design_closing(by_name["Title and Vertical Text"], prs.slide_width, prs.slide_height)
    prs.slide_layouts.remove(by_name["Vertical Title and Text"])
    for master in prs.slide_masters:
        _design_master(master, prs.slide_width)
    prs.core_properties.title = "sambrief"
    prs.core_properties.author = "sambrief"
    prs.core_properties.last_modified_by = "sambrief"
    prs.core_properties.comments = ""
    OUT.parent.mkdir(parents=True, exist_ok=True)
    prs.save(OUT)
    print(f"wrote {OUT}")


def _place(layout, idx, left, top, width, height) -> None:
    for shape in layout.placeholders:
        if shape.placeholder_format.idx == idx:
            shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _style_master(master) -> None:
    styles = master._element.find(f"{{{P}}}txStyles")
    title = styles.find(f"{{{P}}}titleStyle").find(f"{{{A}}}lvl1pPr")
    title.set("algn", "l")
    rpr = title.find(f"{{{A}}}defRPr")
    rpr.set("sz", "2800")
    rpr.set("b", "1")
    for fill in rpr.findall(f"{{{A}}}solidFill"):
        rpr.remove(fill)
    fill = etree.SubElement(rpr, f"{{{A}}}solidFill")
    etree.SubElement(fill, f"{{{A}}}schemeClr").set("val", "tx2")
    rpr.insert(0, fill)
    body = styles.find(f"{{{P}}}bodyStyle")
    for level, size in (("lvl1pPr", 2000), ("lvl2pPr", 1800), ("lvl3pPr", 1600)):
        node = body.find(f"{{{A}}}{level}")
        if node is not None:
            node.find(f"{{{A}}}defRPr").set("sz", str(size))
    for sp in master.placeholders:
        if sp.placeholder_format.type is not None and "TITLE" in str(sp.placeholder_format.type):
            sp.text_frame.vertical_anchor = None


def _left_align_title_slide(layout) -> None:
    for shape in layout.placeholders:
        for lvl in shape._element.iter(f"{{{A}}}lvl1pPr"):
            lvl.set("algn", "l")
        for para in shape.text_frame.paragraphs:
            para.alignment = 1  # left
        body = shape._element.find(f".//{{{A}}}bodyPr")
        if body is not None:
            body.set("anchor", "b" if shape.placeholder_format.idx == 0 else "t")


BAND = 0.58  # share of the title slide's height the colour band covers
CLOSING_BAND = 0.40
NS = f'xmlns:a="{A}" xmlns:p="{P}"'


def _shape_xml(shape_id: int, name: str, x: int, y: int, w: int, h: int, scheme: str) -> str:
    """A drawn rectangle in a theme colour (not a placeholder: it stays behind the content)."""
    return (
        f'<p:sp {NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:schemeClr val="{scheme}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="de-DE"/></a:p></p:txBody></p:sp>'
    )


def _placeholder_xml(
    shape_id: int, name: str, ph: str, x: int, y: int, w: int, h: int, body: str = "", lst: str = "", text: str = ""
) -> str:
    return (
        f'<p:sp {NS}><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr>{ph}</p:nvPr></p:nvSpPr>"
        f'<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm></p:spPr>'
        f"<p:txBody><a:bodyPr {body}/><a:lstStyle>{lst}</a:lstStyle>"
        f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>'
    )


def _white_title(size: int) -> str:
    return (
        f'<a:lvl1pPr algn="l"><a:defRPr sz="{size}" b="1">'
        '<a:solidFill><a:schemeClr val="bg1"/></a:solidFill></a:defRPr></a:lvl1pPr>'
    )


def _tree(layout):
    return layout._element.find(f"{{{P}}}cSld/{{{P}}}spTree")


def _next_id(tree) -> int:
    return max(int(e.get("id")) for e in tree.iter(f"{{{P}}}cNvPr")) + 1


def _behind(tree, xml: str) -> None:
    """Insert a shape first in the tree (after the group properties), behind every placeholder."""
    tree.insert(2, etree.fromstring(xml))


def _design_title_slide(layout, width: int, height: int) -> None:
    layout._element.set("showMasterSp", "0")
    tree = _tree(layout)
    band = int(height * BAND)
    stripe = Inches(0.08)
    _behind(tree, _shape_xml(_next_id(tree), "Accent stripe", 0, band, width, stripe, "accent2"))
    _behind(tree, _shape_xml(_next_id(tree), "Colour band", 0, 0, width, band, "accent1"))
    for shape in layout.placeholders:
        idx = shape.placeholder_format.idx
        if idx == 0:  # the title sits in the band, white, at its foot
            shape.left, shape.top, shape.width, shape.height = (
                Inches(0.8),
                Inches(1.2),
                Inches(11.7),
                band - Inches(1.2) - Inches(0.3),
            )
            lst = shape._element.find(f"{{{P}}}txBody/{{{A}}}lstStyle")
            for child in list(lst):
                lst.remove(child)
            lst.append(etree.fromstring(f'<a:lstStyle xmlns:a="{A}">{_white_title(4000)}</a:lstStyle>')[0])
        elif idx == 1:  # organisation and period below the band
            shape.left, shape.top, shape.width, shape.height = Inches(0.8), band + Inches(0.4), Inches(8.6), Inches(1.0)
    tree.append(
        etree.fromstring(
            _placeholder_xml(
                _next_id(tree),
                "Logo",
                '<p:ph type="pic" idx="13"/>',
                int(width - Inches(3.4)),
                band + Inches(0.4),
                Inches(2.8),
                Inches(1.2),
                text="Logo",
            )
        )
    )


def _design_closing(layout, width: int, height: int) -> None:
    """'Title and Vertical Text' becomes 'Closing': the title in a band, the contact below it."""
    layout.name = "Closing"
    layout._element.set("showMasterSp", "0")
    layout._element.set("type", "obj")
    tree = _tree(layout)
    for shape in list(layout.placeholders):
        if shape.placeholder_format.idx in (0, 1):
            tree.remove(shape._element)
    band = int(height * CLOSING_BAND)
    _behind(tree, _shape_xml(_next_id(tree), "Accent stripe", 0, band, width, Inches(0.08), "accent2"))
    _behind(tree, _shape_xml(_next_id(tree), "Colour band", 0, 0, width, band, "accent1"))
    tree.append(
        etree.fromstring(
            _placeholder_xml(
                _next_id(tree),
                "Title",
                '<p:ph type="title"/>',
                Inches(0.8),
                Inches(0.8),
                Inches(11.7),
                band - Inches(1.1),
                body='anchor="b"',
                lst=_white_title(3600),
                text="Click to edit Master title style",
            )
        )
    )
    body = '<a:lvl1pPr marL="0" indent="0"><a:buNone/><a:defRPr sz="2200"/></a:lvl1pPr>'
    tree.append(
        etree.fromstring(
            _placeholder_xml(
                _next_id(tree),
                "Contact",
                '<p:ph type="body" idx="1"/>',
                Inches(0.8),
                band + Inches(0.5),
                Inches(8.6),
                Inches(2.6),
                body='anchor="t"',
                lst=body,
                text="Contact",
            )
        )
    )
    tree.append(
        etree.fromstring(
            _placeholder_xml(
                _next_id(tree),
                "Logo",
                '<p:ph type="pic" idx="13"/>',
                int(width - Inches(3.4)),
                band + Inches(0.5),
                Inches(2.8),
                Inches(1.2),
                text="Logo",
            )
        )
    )


def _design_master(master, width: int) -> None:
    """The accent of every content slide: a tab beside the title, a thin rule above the footer."""
    tree = master._element.find(f"{{{P}}}cSld/{{{P}}}spTree")
    _behind(
        tree,
        _shape_xml(
            _next_id(tree), "Footer rule", Inches(0.6), Inches(6.88), width - Inches(1.2), Inches(0.012), "accent4"
        ),
    )
    _behind(tree, _shape_xml(_next_id(tree), "Accent tab", 0, Inches(0.45), Inches(0.16), Inches(0.9), "accent1"))


def _palette(master) -> None:
    theme_part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    scheme.set("name", "sambrief")
    for name, rgb in PALETTE.items():
        node = scheme.find(f"{{{A}}}{name}")
        for child in list(node):
            node.remove(child)
        etree.SubElement(node, f"{{{A}}}srgbClr").set("val", rgb)
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


if __name__ == "__main__":
    main()
