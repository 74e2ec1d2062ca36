"""`sambrief init`: a new workspace with its configuration, audiences and register workbooks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sambrief.commands.scaffold import scaffold


@dataclass(frozen=True)
class InitRequest:
    directory: Path
    language: str = "de"
    organisation: str | None = None  # None: a sample name in the workspace language


@dataclass(frozen=True)
class InitResult:
    created: list[Path]  # every file written, in the order written
    workspace: Path
    data: Path  # where the exports go next


def init_workspace(request: InitRequest) -> InitResult:
    """Write the workspace; refuses a folder that already holds a sambrief.yaml."""
    created = scaffold(request.directory, request.language, request.organisation or None)
    return InitResult(created, request.directory, request.directory / "data")
