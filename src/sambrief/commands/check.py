"""`sambrief check`: is the workspace ready to build? Configuration, delivery messages, the
deck template's slide layouts per slide role, and every export read (nothing written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.commands.checks import absent_column_notices, placeholder_warnings, unpriced_product_notices, unused_product_warnings
from sambrief.commands.stages import SKIPPED, collector_paused, read_sources
from sambrief.config.discovery import find_config
from sambrief.config.settings import Settings
from sambrief.config.workspace import load_settings
from sambrief.errors import ConfigError
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import LoadedSource
from sambrief.publish.deliver import channel_problems, message_problems
from sambrief.render.template import map_roles, open_template


@dataclass
class CheckResult:
    settings: Settings
    sources: list[LoadedSource]
    messages: list[str]  # warnings and information, as `levels.split` sorts them
    errors: list[str]  # what makes the workspace not ready although the build would run (files it would skip)
    template: Path
    roles: dict[str, tuple[Any, str]]  # slide role -> (slide layout, how it was found)


def check_workspace(config: Path | None) -> CheckResult:
    settings = load_settings(find_config(config))
    problems = message_problems(settings)
    if problems:
        raise ConfigError(problems, str(settings.config_path))
    template = settings.deck_template
    roles = map_roles(open_template(template), settings.layout_names)
    with collector_paused():
        sources, messages = read_sources(settings, lambda _: None, create_key=False)
    messages = (placeholder_warnings(settings) + unused_product_warnings(settings, sources) + channel_problems(settings) + messages
                + absent_column_notices(sources) + unpriced_product_notices(settings, sources))
    # A build leaves a file no layout fits out (with a warning); check is where that is found first.
    errors: list[str] = [m for m in messages if isinstance(m, Notice) and m.key in SKIPPED]
    messages = [m for m in messages if m not in errors]
    return CheckResult(settings, sources, messages, errors, template, roles)
