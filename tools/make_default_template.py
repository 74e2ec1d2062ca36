"""Build the packaged default deck template (src/sambrief/defaults/deck.pptx).

Starts from python-pptx's own blank template, makes it 16:9, moves every placeholder to
the wider slide, sets a calm palette and left-aligned titles, and leaves no slides in it.
Run: python tools/make_default_template.py
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
    "dk1": "1A1A1A", "lt1": "FFFFFF", "dk2": "1F3A5F", "lt2": "EEF2F6",
    "accent1": "1F5A8C", "accent2": "D9822B", "accent3": "5B8C5A",
    "accent4": "8C8C8C", "accent5": "4F7FAF", "accent6": "B5563A",
    "hlink": "1F5A8C", "folHlink": "6A4C93",
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
                shape.left, shape.top, shape.width, shape.height = Inches(10.9), Inches(6.95), Inches(1.83), Inches(0.35)
    by_name = {layout.name: layout for layout in prs.slide_layouts}
    _place(by_name["Title Only"], 0, Inches(0.6), Inches(0.35), Inches(12.13), Inches(1.2))
    _place(by_name["Title and Content"], 0, Inches(0.6), Inches(0.35), Inches(12.13), Inches(1.2))
    _place(by_name["Title and Content"], 1, Inches(0.6), Inches(1.75), Inches(12.13), Inches(4.9))
    _place(by_name["Title Slide"], 0, Inches(0.8), Inches(2.2), Inches(11.7), Inches(1.7))
    _place(by_name["Title Slide"], 1, Inches(0.8), Inches(4.0), Inches(11.7), Inches(1.0))
    _left_align_title_slide(by_name["Title Slide"])
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
