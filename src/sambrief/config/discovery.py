"""Finding the workspace: sambrief.yaml named by --config, else in the current folder or above."""

from __future__ import annotations

from pathlib import Path

from sambrief.config.loading import CONFIG_NAME
from sambrief.errors import ConfigError
from sambrief.i18n.notices import Notice


def find_config(explicit: Path | None, cwd: Path | None = None) -> Path:
    """--config, else sambrief.yaml in the current folder or the nearest folder above it."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError([Notice("cfg_config_not_found", path=str(explicit))])
        return explicit.resolve()
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError([Notice("cfg_no_workspace", name=CONFIG_NAME, folder=str(cwd or Path.cwd()))])
