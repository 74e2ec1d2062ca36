"""What a renderer returns: its files (name within the audience's folder -> content), what
kind each file is, and warnings; and what an output format declares (render/outputs/).
Delivery and the intranet page ask a file's kind (recorded in the manifest) instead of
guessing from its name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sambrief.channels import file_channels

if TYPE_CHECKING:  # annotations only: an output format's module stays light to import
    from sambrief.briefing.compose import Briefing
    from sambrief.config.settings import Settings


@dataclass(frozen=True)
class FileKind:
    name: str  # as recorded in manifest.json (`kinds`)
    media_type: str
    file: str  # its file name in the audience's folder; {audience} and {period} filled in
    mailed: bool = False  # attached to the delivery mail
    link: dict[str, str] | None = None  # its download link's text per language (intranet page, posts), if it has one
    document: str | None = None  # the document channel it belongs to (`deck`, `onepager`; see channels.py)

    def channels(self, audience_channels: Any) -> list[str]:
        """The channels this file of an audience with these channels is made for."""
        return file_channels(audience_channels, self.document, linked=self.link is not None, mailed=self.mailed)

    def file_name(self, briefing: Briefing) -> str:
        return self.file.format(audience=briefing.output_key, period=briefing.period)

    def link_text(self, language: str) -> str:
        return (self.link or {}).get(language, "")


@dataclass
class Rendered:
    files: dict[str, bytes]  # file name within the audience's folder -> content
    warnings: list[str] = field(default_factory=list)
    kinds: dict[str, FileKind] = field(default_factory=dict)  # file name -> what it is (every file has one)

    def add(self, kind: FileKind, briefing: Briefing, data: bytes) -> None:
        """One file of this kind, named as the kind says."""
        name = kind.file_name(briefing)
        self.files[name] = data
        self.kinds[name] = kind


@dataclass(frozen=True)
class OutputFormat:
    """An output format of an audience's briefing, declared by its module in render/outputs/
    (the module's name is the format's name in `formats:` of audiences.yaml)."""

    kinds: tuple[FileKind, ...]  # the kinds of file it writes
    render: Callable[[Briefing, Settings], Rendered]
    place: int  # its place among the formats: the order of a mail's attachments
