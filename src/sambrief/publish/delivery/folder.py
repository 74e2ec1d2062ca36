"""The `folder` channel: an audience's files copied to a share (<path>/<period>/<audience>/),
as one set like the build writes its outputs (output.publish_set): staged beside the target,
its own manifest.json last, then swapped in at once, so a colleague on the share sees the
previous copy or the new one, never a half-copied folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sambrief import __version__
from sambrief.publish.delivery import ChannelError
from sambrief.publish.output import OutputError, manifest_bytes, outputs_entries, publish_set, recover


def copy_set(target: Path, files: dict[str, bytes], about: dict[str, Any]) -> Path:
    """Publish `files` (name -> content) as the folder `target`; `about` goes into its manifest."""
    try:
        recover(target.parent)  # leftovers of an interrupted copy into this share
        manifest = {"sambrief": __version__, **about, "outputs": outputs_entries(files)}
        publish_set(target, files, manifest_bytes(manifest))
    except OutputError as exc:
        raise ChannelError(exc.args[0]) from None  # the output error's notice, in the command line's language
    return target
