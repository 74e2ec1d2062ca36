"""`sambrief template inspect`: a deck template's masters, slide layouts and placeholders, and
the slide layout used for each slide role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.config import load_settings
from sambrief.discovery import find_config
from sambrief.errors import ConfigError
from sambrief.render.template import describe


@dataclass(frozen=True)
class TemplateRequest:
    file: Path | None = None  # None: the workspace's deck template
    config: Path | None = None


@dataclass(frozen=True)
class TemplateDescription:
    info: dict[str, Any]  # for scripts (`--json`)
    lines: list[str]  # what a person reads


def inspect_template(request: TemplateRequest) -> TemplateDescription:
    """A named file can be inspected outside a workspace (then with the default role mapping);
    without one, the workspace's deck template with its `layouts:` mapping."""
    try:
        settings = load_settings(find_config(request.config))
    except ConfigError:
        if request.file is None or request.config is not None:
            raise
        settings = None
    if request.file is None:
        assert settings is not None  # without a file, a failed configuration was raised above
        info = describe(settings.deck_template, settings.layout_names)
    else:
        info = describe(request.file, settings.layout_names if settings else {})
    return TemplateDescription(info, describe_lines(info))


def describe_lines(info: dict[str, Any]) -> list[str]:
    width, height = info["slide_size_cm"]
    lines = [f"{info['path']}: {width} x {height} cm, fonts {info['fonts']['heading']} / {info['fonts']['body']}"]
    for master in info["masters"]:
        lines.append(f"master {master['master']}")
        for layout in master["layouts"]:
            lines.append(f"  layout {layout['name']!r}")
            lines += [f"    idx {p['idx']:>2} {p['type']:<13} at {p['left_cm']}, {p['top_cm']} cm, {p['width_cm']} x {p['height_cm']} cm"
                      for p in layout["placeholders"]]
    lines.append("roles:")
    lines += [f"  {role:<12} -> {found['layout']!r} ({found['how']})" for role, found in info["roles"].items()]
    return lines
