"""What a renderer returns: its files (name within the audience's folder -> content), what
kind each file is, and warnings. Delivery and the intranet page ask a file's kind (recorded
in the manifest) instead of guessing from its name."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileKind:
    name: str  # as recorded in manifest.json (`kinds`)
    media_type: str
    mailed: bool = False  # attached to the delivery mail
    link: str | None = None  # message key of its download link on the intranet page, if it has one


DECK = FileKind("deck", "application/vnd.openxmlformats-officedocument.presentationml.presentation", mailed=True, link="intranet.deck")
ONEPAGER_PDF = FileKind("onepager_pdf", "application/pdf", mailed=True, link="intranet.onepager")
ONEPAGER_HTML = FileKind("onepager_html", "text/html")
DETAILS_CSV = FileKind("details_csv", "text/csv")
FILE_KINDS = {kind.name: kind for kind in (DECK, ONEPAGER_PDF, ONEPAGER_HTML, DETAILS_CSV)}


@dataclass
class Rendered:
    files: dict[str, bytes]  # file name within the audience's folder -> content
    warnings: list[str] = field(default_factory=list)
    kinds: dict[str, FileKind] = field(default_factory=dict)  # file name -> what it is (every file has one)
