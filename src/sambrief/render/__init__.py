"""Rendering: a briefing to files. The output formats per audience are the modules of
render/outputs/ (each registers itself); the outputs per period are in render/period.py."""

from __future__ import annotations

from sambrief.render.outputs import FILE_KINDS, OUTPUTS, RENDERERS, carried

__all__ = ["FILE_KINDS", "OUTPUTS", "RENDERERS", "carried"]
