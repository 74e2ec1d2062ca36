"""The deck template: open .pptx/.potx, map sambrief's slide roles to the template's layouts,
and describe a template for `sambrief template inspect`."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from pptx.opc.serialized import PackageWriter, _ContentTypesItem
from pptx.package import Package
from pptx.presentation import Presentation as Deck

from sambrief.errors import RenderError
from sambrief.i18n.notices import Notice
from sambrief.names import SLIDE_ROLES

ROLES = SLIDE_ROLES
# Names tried per role (English and German PowerPoint), after the workspace's `layouts:`.
DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("Title Slide", "Titelfolie"),
    "section": ("Section Header", "Abschnittsüberschrift", "Abschnitts-Überschrift"),
    "chart": ("Title and Content", "Titel und Inhalt"),
    "figure": ("Title and Content", "Titel und Inhalt"),
    "two_columns": ("Two Content", "Zwei Inhalte", "Comparison", "Vergleich"),
    "closing": ("Closing", "Abschluss", "Title Only", "Nur Titel", "Title and Content", "Titel und Inhalt"),
}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
CONTENT_TYPES = (
    PP_PLACEHOLDER.OBJECT,
    PP_PLACEHOLDER.BODY,
    PP_PLACEHOLDER.CHART,
    PP_PLACEHOLDER.TABLE,
    PP_PLACEHOLDER.PICTURE,
)
FOOTER_TYPES = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


@dataclass(frozen=True)
class Frame:
    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def right(self) -> int:
        return self.left + self.width


@dataclass(eq=False)
class TemplateFile:
    """A deck template as read once per build: the package (a .potx rewritten as .pptx) and
    what the decks learn from it and share (`shared`: python-pptx objects never go in, only
    plain values and XML that each deck copies)."""

    data: bytes
    shared: dict[Any, Any] = field(default_factory=dict)
    # The package as python-pptx opened it, before anything reads it through its shape API (whose
    # objects keep parts of the XML a copy would not share): each deck gets a deep copy, a third
    # of the cost of unzipping and parsing the file again.
    package: Any = None


def file_version(path: Path) -> tuple[int, ...]:
    """What tells one version of a file from the next for the caches below: a copy that keeps
    the size and the modification time (`cp -p`, coarse timestamps of a file share) still
    changes the inode or the change time."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino


def template_file(path: Path) -> TemplateFile:
    return _template_file(path, file_version(path))


@lru_cache(maxsize=4)
def _template_file(path: Path, version: tuple[int, ...]) -> TemplateFile:
    """Read once per template file (and again when it changes); an error is not cached."""
    data = path.read_bytes()
    if path.suffix.lower() == ".potx" or b"presentationml.template.main+xml" in _content_types(data):
        data = _potx_as_pptx(data)
    return TemplateFile(data)


def open_template(path: Path) -> Deck:
    """Open a .pptx or .potx template and drop its sample slides. Every call returns a deck of
    its own (python-pptx presentations are mutable)."""
    template = template_file(path)
    try:
        if template.package is None:
            template.package = _Package.open(io.BytesIO(template.data))
        part = deepcopy(template.package).main_document_part
        if part.content_type not in (CT.PML_PRESENTATION_MAIN, CT.PML_PRES_MACRO_MAIN):
            raise ValueError(part.content_type)  # as pptx.Presentation() refuses it
        prs = part.presentation
    except RenderError:
        raise
    except Exception as exc:  # python-pptx raises several types for a bad package
        raise RenderError(Notice("tpl_unreadable", path=str(path), detail=type(exc).__name__)) from None
    _remove_slides(prs)
    return prs


class _Package(Package):
    """python-pptx's package, naming new parts without walking the whole package each time."""

    def __init__(self, pkg_file: Any) -> None:
        super().__init__(pkg_file)
        self._taken: dict[str, set[str]] = {}  # part name prefix -> names in use

    def next_partname(self, tmpl: str) -> PackURI:
        # python-pptx collects every part's name for each new notes page, chart and workbook
        # (quadratic in the deck's parts); the names in use per prefix are collected once here,
        # parts under these prefixes being added through this method only.
        prefix = tmpl[: (tmpl % 42).find("42")]
        if prefix not in self._taken:
            self._taken[prefix] = {str(p.partname) for p in self.iter_parts() if p.partname.startswith(prefix)}
        names = self._taken[prefix]
        for n in range(1, len(names) + 2):  # the lowest free number, as python-pptx chooses
            if tmpl % n not in names:
                names.add(tmpl % n)
                return PackURI(tmpl % n)
        raise AssertionError("no free part name")  # pragma: no cover

    def save(self, pkg_file: Any) -> None:
        _Writer.write(pkg_file, self._rels, tuple(self.iter_parts()))


# A deck's relationship items and content types repeat from deck to deck (a slide's layout and
# notes page, the master's layouts), and python-pptx builds each element by element (2-3 ms a
# deck). Their XML is a function of the relationships (the parts' names and types) alone.
_SERIALISED: dict[tuple[Any, ...], bytes] = {}


class _Writer(PackageWriter):
    """python-pptx's package writer, its relationship items and content types written once per content."""

    def _write_content_types_stream(self, phys_writer: Any) -> None:
        key = ("types", *((str(part.partname), part.content_type) for part in self._parts))
        phys_writer.write(
            CONTENT_TYPES_URI, _serialised(key, lambda: serialize_part_xml(_ContentTypesItem.xml_for(self._parts)))
        )

    def _write_pkg_rels(self, phys_writer: Any) -> None:
        phys_writer.write(PACKAGE_URI.rels_uri, _rels_xml(self._pkg_rels))

    def _write_parts(self, phys_writer: Any) -> None:
        for part in self._parts:
            phys_writer.write(part.partname, part.blob)
            if part._rels:
                phys_writer.write(part.partname.rels_uri, _rels_xml(part.rels))


def _rels_xml(rels: Any) -> bytes:
    key = ("rels", *((rel.rId, rel.reltype, rel.target_ref, rel.is_external) for rel in rels.values()))
    return _serialised(key, lambda: rels.xml)


def _serialised(key: tuple[Any, ...], make: Any) -> bytes:
    xml = _SERIALISED.get(key)
    if xml is None:
        if len(_SERIALISED) > 2048:
            _SERIALISED.clear()
        xml = _SERIALISED[key] = make()
    return xml


def _content_types(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError):
        raise RenderError(Notice("tpl_not_pptx")) from None


def _potx_as_pptx(data: bytes) -> bytes:
    # python-pptx only accepts the presentation content type (scanny/python-pptx#1070).
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.template.main+xml", b"presentationml.presentation.main+xml")
            dst.writestr(info, blob)
    return out.getvalue()


def _remove_slides(prs: Deck) -> None:
    """Sample slides go: reference first, then the relationship (python-pptx has no API, #67)."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        rel_id = slide_id.rId
        id_list.remove(slide_id)
        prs.part.drop_rel(rel_id)
    # Custom shows and sections would still point at the removed slides: a repair prompt.
    root = prs.part._element
    for tag in ("custShowLst",):
        for node in root.findall(f"{{http://schemas.openxmlformats.org/presentationml/2006/main}}{tag}"):
            root.remove(node)
    for ext in root.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}ext"):
        for child in list(ext):
            if etree.QName(child).localname == "sectionLst":
                ext.remove(child)


def all_layouts(prs: Deck) -> list[Any]:
    # prs.slide_layouts covers only the first master; corporate templates have several.
    return [layout for master in prs.slide_masters for layout in master.slide_layouts]


def _kinds(layout: Any) -> tuple[int, int, bool]:
    titles = contents = 0
    subtitle = False
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind in TITLE_TYPES:
            titles += 1
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            subtitle = True
        elif kind in CONTENT_TYPES:
            contents += 1
    return titles, contents, subtitle


def _by_type(layouts: list[Any], role: str) -> Any | None:
    scored = []
    for layout in layouts:
        titles, contents, subtitle = _kinds(layout)
        if not titles:
            continue
        has_center = any(p.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE for p in layout.placeholders)
        if role == "title":
            score = 2 * has_center + subtitle - contents
        elif role in ("chart", "figure"):
            score = 3 if contents == 1 else (1 if contents == 0 else 0)
            score -= has_center
        elif role == "two_columns":
            score = 3 if contents == 2 else (1 if contents == 1 else 0)
        elif role == "section":
            score = 1 if (contents == 0 and not has_center) else 0
        else:  # closing
            score = 2 if contents == 0 and not has_center else (1 if contents == 1 else 0)
        scored.append((score, -len(layout.placeholders), layout))
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0], s[1]))[2]


def map_roles(prs: Deck, names: dict[str, str] | None = None) -> dict[str, tuple[Any, str]]:
    """role -> (layout, how it was found). Raises RenderError when a configured name is missing."""
    layouts = all_layouts(prs)
    by_name: dict[str, Any] = {}
    for layout in layouts:
        by_name.setdefault(layout.name, layout)
    result: dict[str, tuple[Any, str]] = {}
    for role in ROLES:
        wanted = (names or {}).get(role)
        if wanted:
            if wanted not in by_name:
                known = ", ".join(repr(n) for n in by_name)
                raise RenderError(Notice("tpl_no_layout", role=role, wanted=repr(wanted), known=known))
            result[role] = (by_name[wanted], "configured")
            continue
        found = next((by_name[n] for n in DEFAULT_NAMES[role] if n in by_name), None)
        if found is not None:
            result[role] = (found, "by name")
            continue
        found = _by_type(layouts, role)
        if found is None:
            raise RenderError(Notice("tpl_no_title_layout"))
        result[role] = (found, "by placeholder types")
    return result


def frame_of(shape: Any) -> Frame:
    return Frame(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def content_frames(layout: Any) -> list[Frame]:
    """Frames of the layout's content placeholders, left to right (generic OBJECT ones included;
    a picture placeholder where another content placeholder exists is a logo place, not content)."""
    shapes = [p for p in layout.placeholders if p.placeholder_format.type in CONTENT_TYPES]
    if any(p.placeholder_format.type != PP_PLACEHOLDER.PICTURE for p in shapes):
        shapes = [p for p in shapes if p.placeholder_format.type != PP_PLACEHOLDER.PICTURE]
    return sorted((frame_of(p) for p in shapes), key=lambda f: (f.left, f.top))


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def layout_fills(layout: Any) -> list[tuple[Frame, str]]:
    """The rectangles a layout draws itself, filled with one colour (the default template's
    colour band and accent stripe on the title and closing slides): their frames and colours,
    a theme colour's name ('accent1') or hex ('RRGGBB'), for the deck's PDF to draw the same."""
    found = []
    for sp in layout._element.iter(f"{_P}sp"):
        props = sp.find(f"{_P}spPr")
        if sp.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph") is not None or props is None:
            continue  # a placeholder: the slide fills it
        geometry, off, ext = (
            props.find(f"{_A}prstGeom"),
            props.find(f"{_A}xfrm/{_A}off"),
            props.find(f"{_A}xfrm/{_A}ext"),
        )
        colour = props.find(f"{_A}solidFill/{_A}schemeClr")
        if colour is None:
            colour = props.find(f"{_A}solidFill/{_A}srgbClr")
        if geometry is None or geometry.get("prst") != "rect" or off is None or ext is None or colour is None:
            continue
        frame = Frame(int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0)))
        found.append((frame, str(colour.get("val"))))
    return found


def logo_frame(layout: Any) -> Frame | None:
    """The layout's logo place: a picture placeholder beside the text (the default template's
    "Logo"), None where the layout has none."""
    pictures = [p for p in layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.PICTURE]
    return frame_of(pictures[0]) if pictures else None


def footer_frames(layout: Any) -> dict[str, Frame]:
    out = {}
    for p in layout.placeholders:
        if not p.height or not p.width:
            continue  # a placeholder without a frame of its own
        kind = p.placeholder_format.type
        if kind == PP_PLACEHOLDER.FOOTER:
            out["footer"] = frame_of(p)
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            out["number"] = frame_of(p)
    return out


def deck_fonts(prs: Deck) -> tuple[str, str]:
    """(heading, body) Latin typefaces of the deck template (the OOXML theme part of its first master)."""
    try:
        theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        major = root.find(f".//{{{A}}}majorFont/{{{A}}}latin").get("typeface")
        minor = root.find(f".//{{{A}}}minorFont/{{{A}}}latin").get("typeface")
        return major or "Calibri", minor or "Calibri"
    except Exception:  # a theme without fonts: measure with the usual default
        return "Calibri", "Calibri"


def deck_colours(prs: Deck) -> dict[str, str]:
    theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    out = {}
    for node in scheme:
        colour = node[0] if len(node) else None
        if colour is not None:
            out[etree.QName(node).localname] = colour.get("val") or colour.get("lastClr") or ""
    return out


def describe(path: Path, names: dict[str, str] | None = None) -> dict[str, Any]:
    """Masters, layouts and placeholders (index, type, position, size in cm) and the role mapping."""
    prs = open_template(path)
    emu_cm = 360000
    masters = []
    for m_index, master in enumerate(prs.slide_masters, 1):
        layouts = []
        for layout in master.slide_layouts:
            layouts.append(
                {
                    "name": layout.name,
                    "placeholders": [
                        {
                            "idx": p.placeholder_format.idx,
                            "type": str(p.placeholder_format.type).split(".")[-1].split(" ")[0],
                            "left_cm": round(p.left / emu_cm, 2),
                            "top_cm": round(p.top / emu_cm, 2),
                            "width_cm": round(p.width / emu_cm, 2),
                            "height_cm": round(p.height / emu_cm, 2),
                        }
                        for p in layout.placeholders
                    ],
                }
            )
        masters.append({"master": m_index, "layouts": layouts})
    roles = {role: {"layout": layout.name, "how": how} for role, (layout, how) in map_roles(prs, names).items()}
    heading, body = deck_fonts(prs)
    return {
        "path": str(path),
        "slide_size_cm": [round((prs.slide_width or 0) / emu_cm, 2), round((prs.slide_height or 0) / emu_cm, 2)],
        "fonts": {"heading": heading, "body": body},
        "colours": deck_colours(prs),
        "masters": masters,
        "roles": roles,
    }
