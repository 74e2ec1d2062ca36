"""Files shipped with sambrief (message catalogs, export layouts) are read by every build:
libyaml's parser where PyYAML has it, the same result in a tenth of the time. A leaf: the
message catalogs are read through it, and everything that reports in them imports those."""

from __future__ import annotations

from typing import Any

import yaml

_PACKAGED_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_packaged(text: str) -> Any:
    """A YAML file that ships with sambrief (no line numbers needed: its tests check it)."""
    return yaml.load(text, Loader=_PACKAGED_LOADER)  # noqa: S506 - a safe loader


def module_names(*folder: str) -> tuple[str, ...]:
    """The modules of a folder of the package, by name, read from its files without importing
    any: a registry whose entries are modules (render/outputs/) tells configuration its names
    this way, and configuration sits below it."""
    from importlib import resources

    files = resources.files("sambrief").joinpath(*folder)
    return tuple(
        sorted(
            f.name.removesuffix(".py") for f in files.iterdir() if f.name.endswith(".py") and not f.name.startswith("_")
        )
    )
