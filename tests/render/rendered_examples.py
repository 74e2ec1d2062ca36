"""Rendered outputs shared by the render tests, so each is made once per run.

A check over every audience's output runs on management's in the fast tier (the README's first
command, `example_build_management`, built once per run) and on the other audiences' outputs of
the build of all in the slow tier (`example_build_all`, eight seconds of CPU)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from conftest import REPO, blank_pdf

if TYPE_CHECKING:
    from sambrief.briefing.compose import Briefing
    from sambrief.commands.build import BuildResult

AUDIENCES: list[str] = list(yaml.safe_load((REPO / "audiences.yaml").read_text("utf-8"))["audiences"])


def every_audience(fast: str = "management") -> list[Any]:
    """The example's audiences as test parameters: `fast` in the fast tier, the others slow."""
    return [key if key == fast else pytest.param(key, marks=pytest.mark.slow) for key in AUDIENCES]


def audience_outputs(request: pytest.FixtureRequest) -> tuple[BuildResult, Briefing]:
    """For a fixture parametrized by `every_audience()`: the shared example build that holds the
    audience's outputs (management's is the README's build) and the audience's briefing in it."""
    key = request.param
    result = request.getfixturevalue("example_build_management" if key == "management" else "example_build_all")
    return result, next(b for b in result.briefings if b.output_key == key)


@contextmanager
def without_deck_pdf() -> Iterator[None]:
    """For a build that tests share (module- or process-scoped, where the function-scoped fixtures do
    not reach) and that none of them reads the deck's PDF of: the test key, the deck's PDF a blank
    page (as `no_deck_pdf`)."""
    from sambrief.render import deckpdf

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        mp.setattr(deckpdf, "render_deck_pdf", lambda result, briefing, settings: blank_pdf())
        yield
