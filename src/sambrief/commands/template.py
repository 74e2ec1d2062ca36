"""`sambrief template inspect`: a deck template's masters, slide layouts and placeholders, and
the slide layout used for each slide role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sambrief.config.workspace import open_workspace
from sambrief.errors import ConfigError
from sambrief.i18n.catalog import Messages
from sambrief.render.template import describe


@dataclass(frozen=True)
class TemplateRequest:
    file: Path | None = None  # None: the workspace's deck template
    config: Path | None = None
    language: str = "en"  # of the lines a person reads


@dataclass(frozen=True)
class TemplateDescription:
    info: dict[str, Any]  # for scripts (`--json`)
    lines: list[str]  # what a person reads

    def to_json(self) -> dict[str, Any]:
        return self.info


def inspect_template(request: TemplateRequest) -> TemplateDescription:
    """A named file can be inspected outside a workspace (then with the default role mapping);
    without one, the workspace's deck template with its `layouts:` mapping."""
    try:
        settings = open_workspace(request.config)
    except ConfigError:
        if request.file is None or request.config is not None:
            raise
        settings = None
    if request.file is None:
        assert settings is not None  # without a file, a failed configuration was raised above
        info = describe(settings.deck_template, settings.layout_names)
    else:
        info = describe(request.file, settings.layout_names if settings else {})
    return TemplateDescription(info, describe_lines(info, request.language))


def describe_lines(info: dict[str, Any], language: str = "en") -> list[str]:
    """The template as a person reads it, in `language` (the JSON keeps the plain values)."""
    msg = Messages(language)
    width, height = info["slide_size_cm"]
    lines = [
        msg(
            "template.head",
            path=info["path"],
            width=width,
            height=height,
            heading=info["fonts"]["heading"],
            body=info["fonts"]["body"],
        )
    ]
    for master in info["masters"]:
        lines.append(msg("template.master", name=master["master"]))
        for layout in master["layouts"]:
            lines.append("  " + msg("template.layout", name=repr(layout["name"])))
            lines += [
                "    "
                + msg(
                    "template.placeholder",
                    idx=f"{p['idx']:>2}",
                    type=f"{p['type']:<13}",
                    left=p["left_cm"],
                    top=p["top_cm"],
                    width=p["width_cm"],
                    height=p["height_cm"],
                )
                for p in layout["placeholders"]
            ]
    lines.append(msg("template.roles"))
    lines += [
        f"  {role:<12} -> {found['layout']!r} ({msg('template.how_' + found['how'].replace(' ', '_'))})"
        for role, found in info["roles"].items()
    ]
    return lines
