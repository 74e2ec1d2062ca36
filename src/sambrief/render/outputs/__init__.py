"""Output format registry: an output format is one module of this package, registering itself.

The module's name is the format's name in `formats:` of audiences.yaml; it declares ``OUTPUT``
(an OutputFormat: the kinds of file it writes with their file names, media types, whether the
mail carries them and their download links' texts, and ``render(briefing, settings)``). It
stays light to import: the renderer it calls (python-pptx, WeasyPrint) loads when it renders.
Configuration knows the names from the module files (`packaged.module_names`), without
importing this package.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from sambrief.render.rendered import FileKind, OutputFormat, Rendered

if TYPE_CHECKING:
    from sambrief.briefing.compose import Briefing
    from sambrief.config.settings import Settings


def discover() -> dict[str, OutputFormat]:
    """Format name -> its declaration, in their places' order."""
    found: dict[str, OutputFormat] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        output = getattr(import_module(f"{__name__}.{info.name}"), "OUTPUT", None)
        if not isinstance(output, OutputFormat):
            raise TypeError(f"{__name__}.{info.name}: an output format module declares OUTPUT = OutputFormat(...)")
        found[info.name] = output
    return dict(sorted(found.items(), key=lambda item: item[1].place))


OUTPUTS: dict[str, OutputFormat] = discover()
RENDERERS: dict[str, Callable[[Briefing, Settings], Rendered]] = {
    name: output.render for name, output in OUTPUTS.items()
}
FILE_KINDS: dict[str, FileKind] = {kind.name: kind for output in OUTPUTS.values() for kind in output.kinds}


def carried(entry: dict[str, Any], channel: str) -> list[tuple[str, FileKind]]:
    """The files of a manifest audience entry that `channel` carries (path within the period
    folder, kind), in the entry's order; none when the audience does not name the channel."""
    channels = entry.get("channels") or []
    if channel not in channels:
        return []
    kinds = {path: FILE_KINDS[kind] for path, kind in entry.get("kinds", {}).items() if kind in FILE_KINDS}
    return [(path, kind) for path, kind in kinds.items() if channel in kind.channels(channels)]
