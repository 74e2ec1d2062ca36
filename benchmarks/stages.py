"""Run the sambrief CLI with a CPU/wall timer around each build stage (used by benchmarks/run.py).

The stages are the pipeline's own functions, wrapped from the outside so the product code carries
no benchmark hooks: read (read_sources), model (canonical_model), themes (compose, per audience),
render (render_all + intranet page), write (write_all + history). The times are written as JSON
to the file named by SAMBRIEF_STAGE_TIMES when the process ends.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
from collections import defaultdict

import sambrief.commands.build as build_command
from sambrief.render.period import PERIOD_OUTPUTS

TIMES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # stage -> [cpu, wall]


def _timed(stage: str, func):
    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TIMES[stage][0] += time.process_time() - cpu
            TIMES[stage][1] += time.perf_counter() - wall

    return wrapper


# The build (commands/build.py) calls the stages by the names it imported: wrap them there.
for _stage, _names in {
    "read": ("read_sources",),
    "model": ("canonical_model",),
    "themes": ("compose",),
    "render": ("render_all",),
    "write": ("record_history",),
}.items():
    for _name in _names:
        setattr(build_command, _name, _timed(_stage, getattr(build_command, _name)))
for _folder, _make in PERIOD_OUTPUTS.items():  # the intranet page and any later per-period output
    PERIOD_OUTPUTS[_folder] = _timed("render", _make)


@atexit.register
def _dump() -> None:
    target = os.environ.get("SAMBRIEF_STAGE_TIMES")
    if target:
        with open(target, "w", encoding="utf-8") as fh:
            json.dump({k: {"cpu": v[0], "wall": v[1]} for k, v in TIMES.items()}, fh)


if __name__ == "__main__":
    from sambrief.cli.app import main

    sys.argv[0] = "sambrief"
    main()
