"""What a renderer returns: its files (name within the audience's folder -> content), what
kind each file is, and warnings. Delivery and the intranet page ask a file's kind (recorded
in the manifest) instead of guessing from its name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sambrief.channels import file_channels


@dataclass(frozen=True)
class FileKind:
    name: str  # as recorded in manifest.json (`kinds`)
    media_type: str
    mailed: bool = False  # attached to the delivery mail
    link: str | None = None  # message key of its download link on the intranet page, if it has one
    document: str | None = None  # the document channel it belongs to (`deck`, `onepager`; see channels.py)

    def channels(self, audience_channels: Any) -> list[str]:
        """The channels this file of an audience with these channels is made for."""
        return file_channels(audience_channels, self.document, linked=self.link is not None, mailed=self.mailed)


DECK = FileKind("deck", "application/vnd.openxmlformats-officedocument.presentationml.presentation", mailed=True, link="intranet.deck",
                document="deck")
DECK_PDF = FileKind("deck_pdf", "application/pdf", mailed=True, link="intranet.deck_pdf", document="deck")  # the deck for a phone
ONEPAGER_PDF = FileKind("onepager_pdf", "application/pdf", mailed=True, link="intranet.onepager", document="onepager")
ONEPAGER_HTML = FileKind("onepager_html", "text/html", document="onepager")
DETAILS_CSV = FileKind("details_csv", "text/csv", document="deck")  # the lists behind the deck's slides
FILE_KINDS = {kind.name: kind for kind in (DECK, DECK_PDF, ONEPAGER_PDF, ONEPAGER_HTML, DETAILS_CSV)}


@dataclass
class Rendered:
    files: dict[str, bytes]  # file name within the audience's folder -> content
    warnings: list[str] = field(default_factory=list)
    kinds: dict[str, FileKind] = field(default_factory=dict)  # file name -> what it is (every file has one)


def carried(entry: dict[str, Any], channel: str) -> list[tuple[str, FileKind]]:
    """The files of a manifest audience entry that `channel` carries (path within the period
    folder, kind), in the entry's order; none when the audience does not name the channel."""
    channels = entry.get("channels") or []
    if channel not in channels:
        return []
    kinds = {path: FILE_KINDS[kind] for path, kind in entry.get("kinds", {}).items() if kind in FILE_KINDS}
    return [(path, kind) for path, kind in kinds.items() if channel in kind.channels(channels)]
