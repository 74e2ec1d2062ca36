"""Benchmark sambrief on the enterprise set, side by side with pandas reading the same files.

In one run, per scale, each as its own subprocess (CPU and peak RSS from os.wait4, so every
figure belongs to exactly one process tree):
  (a) pandas reading the inputs (calamine for xlsx, the pyarrow engine for CSV) - the floor;
  (b) `sambrief build --audience all --force`, with the stage breakdown (read, model, themes,
      render, write) from benchmarks/stages.py;
  (c) `sambrief check`;
  (d) `sambrief --help` against `python -c "import typer, rich.console"`.

Usage: python benchmarks/run.py [--scale 0.1 1 10] [--repeat 3] [--json results.json]
The sets are generated on first use (benchmarks/generate.py) into benchmarks/work/.
This is a measurement, not a test: it prints figures and checks no target.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

PYTHON = sys.executable
SAMBRIEF = [PYTHON, "-m", "sambrief"]

# (a): what a column store needs to get the same cells into memory.
PANDAS_READ = r"""
import sys
from pathlib import Path
import pandas as pd
for path in sorted(Path(sys.argv[1]).iterdir()):
    if path.suffix == ".xlsx":
        pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    elif path.suffix == ".csv":
        head = path.read_bytes()[:4096]
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = "cp1252"
        sep = ";" if head.count(b";") > head.count(b",") else ","
        pd.read_csv(path, sep=sep, engine="pyarrow", encoding=encoding, dtype_backend="pyarrow")
import os
os._exit(0)  # pyarrow's thread pool can abort the interpreter's teardown ("terminate called ...")
"""


@dataclass
class Run:
    label: str
    cpu: float  # user + system seconds of the process and its children
    wall: float
    rss_mb: float  # peak resident set of the largest process in the tree
    exit_code: int
    stages: dict | None = None


def measure(label: str, argv: list[str], cwd: Path, env: dict | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        print(f"  ! {label} exited {proc.returncode}: {err.strip()[-400:]}", file=sys.stderr)
    return Run(label, usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, proc.returncode)


def one_round(workspace: Path) -> list[Run]:
    runs = [measure("(a) pandas read", [PYTHON, "-c", PANDAS_READ, str(workspace / "data")], workspace)]
    with tempfile.TemporaryDirectory() as tmp:
        stage_file = Path(tmp) / "stages.json"
        env = {**os.environ, "SAMBRIEF_STAGE_TIMES": str(stage_file), "NO_COLOR": "1"}
        build = measure(
            "(b) build --audience all",
            [PYTHON, str(HERE / "stages.py"), "build", "--audience", "all", "--force", "--quiet"],
            workspace,
            env,
        )
        if stage_file.is_file():
            build.stages = json.loads(stage_file.read_text())
        runs.append(build)
    runs.append(measure("(c) check", SAMBRIEF + ["check"], workspace))
    runs.append(measure("(d) sambrief --help", SAMBRIEF + ["--help"], workspace))
    runs.append(measure("(d) import typer, rich", [PYTHON, "-c", "import typer, rich.console"], workspace))
    return runs


def median_run(runs: list[Run]) -> Run:
    """The run of median CPU (its wall time, RSS and stages with it): one noisy run on a shared
    machine moves neither the floor nor the build."""
    ordered = sorted(runs, key=lambda r: r.cpu)
    return ordered[len(ordered) // 2]


def bench_scale(scale: float, regenerate: bool, repeat: int) -> list[Run]:
    workspace = HERE / "work" / f"scale-{scale:g}"
    if regenerate or not (workspace / "sambrief.yaml").is_file():
        print(f"generating scale {scale:g} …", flush=True)
        # In a process of its own: Linux carries a parent's peak RSS into every forked child
        # (ru_maxrss survives exec), so generating a large set here would inflate every figure.
        subprocess.run(
            [PYTHON, str(HERE / "generate.py"), "--scale", f"{scale:g}", "--out", str(workspace)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # Rounds interleave (a), (b), (c), (d), so a busy moment of the machine hits all of them.
    rounds = [one_round(workspace) for _ in range(repeat)]
    return [median_run([r[i] for r in rounds]) for i in range(len(rounds[0]))]


def report(scale: float, runs: list[Run]) -> None:
    floor = runs[0].cpu
    imports = runs[-1].cpu
    print(f"\nscale {scale:g}")
    print(f"  {'':28} {'CPU s':>8} {'wall s':>8} {'x (a)':>7} {'peak RSS MB':>12}")
    for run in runs:
        base = imports if run.label.startswith("(d)") else floor
        ratio = f"{run.cpu / base:6.2f}x" if base else "   –"
        if run.label.startswith("(d)"):
            ratio = f"{run.cpu / imports:6.2f}i"  # ratio to the bare typer+rich import
        print(
            f"  {run.label:28} {run.cpu:8.2f} {run.wall:8.2f} {ratio:>7} {run.rss_mb:12.0f}"
            + ("" if run.exit_code == 0 else f"  exit {run.exit_code}")
        )
        for stage, t in (run.stages or {}).items():
            print(f"      {stage:24} {t['cpu']:8.2f} {t['wall']:8.2f}")
    print("  (x (a): CPU relative to pandas reading the same files; i: relative to importing typer and rich)")


def compile_sambrief() -> None:
    """Byte-compile the package once, as `pip install` does: an editable install run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module again in every measured run."""
    import compileall

    import sambrief

    compileall.compile_dir(str(Path(sambrief.__file__).parent), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0])
    parser.add_argument("--regenerate", action="store_true", help="write the export set again")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per scale; the median run of each command is shown"
    )
    args = parser.parse_args()
    compile_sambrief()
    results = {}
    for scale in args.scale:
        runs = bench_scale(scale, args.regenerate, max(1, args.repeat))
        report(scale, runs)
        results[f"{scale:g}"] = [asdict(r) for r in runs]
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
