"""Build tests/fixtures/corporate.potx: a "corporate" template deliberately unlike the default.

- 4:3 slide size, theme colours burgundy/gold/green, theme fonts Arial (LibreOffice measures
  and renders it with the metric-compatible Liberation Sans);
- German layout names, spread over two slide masters: "Titelfolie", "Abschnittsüberschrift",
  "Nur Titel" and "Leer" on the first, "Titel und Inhalt" and "Zwei Inhalte" only on the
  second (so role mapping must search every master);
- a sample slide, and document properties (author, company, comments) that must never
  reach an output;
- saved as .potx (template content type), which python-pptx alone refuses.

How: python-pptx's blank template is renamed and re-coloured, then its first master is
duplicated at the zip level (master, layouts, theme, relationships, content types), and each
master keeps only its layouts. Run: python tools/make_corporate_fixture.py
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corporate.potx"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
GERMAN = {
    "Title Slide": "Titelfolie",
    "Title and Content": "Titel und Inhalt",
    "Section Header": "Abschnittsüberschrift",
    "Two Content": "Zwei Inhalte",
    "Comparison": "Vergleich",
    "Title Only": "Nur Titel",
    "Blank": "Leer",
    "Content with Caption": "Inhalt mit Überschrift",
    "Picture with Caption": "Bild mit Überschrift",
    "Title and Vertical Text": "Titel und vertikaler Text",
    "Vertical Title and Text": "Vertikaler Titel und Text",
}
FIRST_MASTER = {"Titelfolie", "Abschnittsüberschrift", "Nur Titel", "Leer"}
SECOND_MASTER = {"Titel und Inhalt", "Zwei Inhalte"}
COLOURS = {
    "dk2": "3B0F1F",
    "accent1": "7A1F3D",
    "accent2": "E0A526",
    "accent3": "2E6F40",
    "accent4": "5F6B73",
    "accent5": "A34A6A",
    "accent6": "8C6D1F",
}


def recolour(theme_xml: bytes) -> bytes:
    root = etree.fromstring(theme_xml)
    scheme = root.find(f".//{{{A}}}clrScheme")
    scheme.set("name", "Konzern")
    for name, rgb in COLOURS.items():
        node = scheme.find(f"{{{A}}}{name}")
        for child in list(node):
            node.remove(child)
        etree.SubElement(node, f"{{{A}}}srgbClr").set("val", rgb)
    for tag in ("majorFont", "minorFont"):
        root.find(f".//{{{A}}}{tag}/{{{A}}}latin").set("typeface", "Arial")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def base_deck() -> bytes:
    prs = Presentation()  # 4:3
    for layout in prs.slide_layouts:
        layout.name = GERMAN[layout.name]
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = recolour(theme.blob)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Beispielfolie – bitte löschen"
    props = prs.core_properties
    props.author = "Corporate Communications"
    props.comments = "Nur für den internen Gebrauch – Vorlage v3"
    props.title = "Konzernvorlage"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def duplicate_master(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    files = {name: src.read(name) for name in src.namelist()}
    layout_names = sorted(
        (n for n in files if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n)),
        key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1]).group(1)),
    )
    offset = len(layout_names)
    # Master 2, its theme and a copy of every layout, pointing at master 2.
    files["ppt/theme/theme2.xml"] = files["ppt/theme/theme1.xml"]
    master_rels = files["ppt/slideMasters/_rels/slideMaster1.xml.rels"].decode()
    master_rels = re.sub(r"slideLayout(\d+)\.xml", lambda m: f"slideLayout{int(m.group(1)) + offset}.xml", master_rels)
    files["ppt/slideMasters/_rels/slideMaster2.xml.rels"] = master_rels.replace("theme1.xml", "theme2.xml").encode()
    master = files["ppt/slideMasters/slideMaster1.xml"].decode()
    ids = iter(range(2147483700, 2147483800))
    master2_id = next(ids)
    master = re.sub(r'<p:sldLayoutId id="\d+"', lambda m: f'<p:sldLayoutId id="{next(ids)}"', master)
    files["ppt/slideMasters/slideMaster2.xml"] = master.encode()
    overrides = []
    for name in layout_names:
        number = int(re.search(r"(\d+)", name.rsplit("/", 1)[1]).group(1)) + offset
        files[f"ppt/slideLayouts/slideLayout{number}.xml"] = files[name]
        rels = files[name.replace("slideLayouts/", "slideLayouts/_rels/") + ".rels"].decode()
        files[f"ppt/slideLayouts/_rels/slideLayout{number}.xml.rels"] = rels.replace(
            "slideMaster1.xml", "slideMaster2.xml"
        ).encode()
        overrides.append(
            f'<Override PartName="/ppt/slideLayouts/slideLayout{number}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/>'
        )
    overrides.append(
        '<Override PartName="/ppt/slideMasters/slideMaster2.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/>'
    )
    overrides.append(
        '<Override PartName="/ppt/theme/theme2.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    )
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace("</Types>", "".join(overrides) + "</Types>").encode()
    rels = files["ppt/_rels/presentation.xml.rels"].decode()
    files["ppt/_rels/presentation.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdMaster2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster" '
        'Target="slideMasters/slideMaster2.xml"/></Relationships>',
    ).encode()
    pres = files["ppt/presentation.xml"].decode()
    files["ppt/presentation.xml"] = pres.replace(
        "</p:sldMasterIdLst>", f'<p:sldMasterId id="{master2_id}" r:id="rIdMaster2"/></p:sldMasterIdLst>'
    ).encode()
    app = files["docProps/app.xml"].decode()
    if "<Company>" not in app:
        app = app.replace(
            "</Properties>", "<Company>ACME Konzern AG</Company><Manager>Kommunikation</Manager></Properties>"
        )
    files["docProps/app.xml"] = app.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in files.items():
            dst.writestr(name, blob)
    return out.getvalue()


def keep_layouts(data: bytes) -> bytes:
    prs = Presentation(io.BytesIO(data))
    first, second = prs.slide_masters
    for master, keep in ((first, FIRST_MASTER), (second, SECOND_MASTER)):
        for layout in list(master.slide_layouts):
            if layout.name not in keep and not layout.used_by_slides:
                master.slide_layouts.remove(layout)
    first._element.cSld.set("name", "Konzern Standard")
    second._element.cSld.set("name", "Konzern Inhalt")
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def as_potx(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dst.writestr(info, blob)
    return out.getvalue()


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(as_potx(keep_layouts(duplicate_master(base_deck()))))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
