from __future__ import annotations

import io
import os
import pickle
import re
import shutil
import sys
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

if TYPE_CHECKING:
    from sambrief.commands.build import BuildResult, Draft

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")

# Compiled modules are cached (__pycache__, ignored by git) also where the environment sets
# PYTHONDONTWRITEBYTECODE: otherwise every run and every xdist worker compiles the package and
# pytest rewrites the asserts of every test module again, seconds before the first test starts.
sys.dont_write_bytecode = False


def _reuse_typer_commands() -> None:
    """typer makes the click command from the app's functions on every `CliRunner.invoke`
    (tens of milliseconds, some 300 times per run); the app does not change during a run."""
    import typer.testing

    if not hasattr(typer.testing, "_get_command"):  # another typer: invoke as it does
        return
    made: dict[int, object] = {}
    make = typer.testing._get_command

    def reused(app):  # type: ignore[no-untyped-def]
        if id(app) not in made:
            made[id(app)] = make(app)
        return made[id(app)]

    typer.testing._get_command = reused  # type: ignore[assignment]


_reuse_typer_commands()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the current output")


SHARED_BUILDS = ("example_build_management", "example_build_all", "example_build_management_after_september")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The first test file that reads a shared example build (see `_build_example`) runs first;
    the other files that read one run last. With pytest-xdist the worker that starts with the
    first builds it, the other works through the rest meanwhile instead of waiting on the lock
    for seconds. The order within a file is kept (the run sends whole files to a worker)."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    readers = [
        f for f, its in files.items() if any(set(SHARED_BUILDS) & set(getattr(i, "fixturenames", ())) for i in its)
    ]
    if not readers:
        return
    order = readers[:1] + [f for f in files if f not in readers] + readers[1:]
    items[:] = [item for f in order for item in files[f]]


def pytest_collection_finish(session: pytest.Session) -> None:
    """The collector as the `sambrief` program sets it (ingest/memory.py): the imported libraries
    and the collected tests live until the run ends, so they are kept out of its full passes, and
    it runs every 100,000 allocations instead of 700 (it took 1.4-1.9 s of each worker's CPU)."""
    import gc

    gc.freeze()
    gc.set_threshold(100_000, 20, 20)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """A pytest-xdist worker leaves without tearing its interpreter down once it has reported
    everything: freeing the heap of a whole tier's pandas, pyarrow and WeasyPrint objects kept
    the run waiting about two seconds after its last test. Registered last, it runs first at
    exit, so the interpreter's other exit handlers are skipped too: by then the worker has closed
    its session and sent its results to the main process, which exits as usual."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import atexit

        atexit.register(os._exit, 0)


@pytest.fixture(autouse=True)
def _fixed_pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests never depend on (or create) a key in the repository's workspace.
    monkeypatch.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_example(ws: Path) -> Path:
    """A copy of the repository's example workspace, so builds never touch the repo."""
    ws.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "sambrief.yaml", ws / "sambrief.yaml")
    shutil.copy(REPO / "audiences.yaml", ws / "audiences.yaml")
    shutil.copytree(REPO / "examples", ws / "examples", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    # Registers without a report date stand for their file date: make it the same on every checkout.
    saved = datetime(2026, 10, 31, 12, 0).timestamp()
    for path in (ws / "examples").rglob("*"):
        os.utime(path, (saved, saved))
    return ws


@pytest.fixture
def example_workspace(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "ws")


def write_workspace(root: Path, config: str, files: dict[str, str | bytes], audiences: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sambrief.yaml").write_text(config, encoding="utf-8")
    if audiences is not None:
        (root / "audiences.yaml").write_text(audiences, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


MINIMAL_CONFIG = """\
organisation: Test AG
language: de
contact: {team: Lizenzmanagement, email: lm@test.example}
sources:
  - data/*.csv
  - data/*.xlsx
prices:
  Produkt A: 10
  Produkt B: 20
"""


def _shared(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(workspace)` on a copy of the example once per test run, also when pytest-xdist runs the
    tests in several worker processes: the first worker that needs it makes it under a lock in the
    run's own temporary folder and leaves the result there (pickled); the others read it."""
    from filelock import FileLock

    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers (each has its own below it)
    done = root / f"shared-{name}.pickle"
    with FileLock(str(root / f"shared-{name}.lock")):
        if done.is_file():
            return pickle.loads(done.read_bytes())
        ws = copy_example(root / f"shared-{name}" / "ws")
        with pytest.MonkeyPatch.context() as mp:  # the autouse key fixture is per test; this one is per run
            mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
            result = make(ws)
        done.write_bytes(pickle.dumps(result))
        return result


def _build_example(factory: pytest.TempPathFactory, name: str, periods: tuple[str, ...], **request: str) -> BuildResult:
    """The example built once per test run (see `_shared`). Several periods are built in order,
    each on the history of the ones before; the last one's result is returned."""
    from sambrief.commands.build import BuildRequest, build

    def built(ws: Path) -> BuildResult:
        for period in periods:
            result = build(BuildRequest(config=ws / "sambrief.yaml", period=period, **request))
        return result

    return _shared(factory, name, built)


# The example built once per test run. A full build renders every deck, its PDF and every
# one-pager (seconds of CPU each), so tests that only read a build share these; a test that
# builds on top of one (another audience, a second period) works on `copy_built(...)`.
@pytest.fixture(scope="session")
def example_build_all(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """`sambrief build --audience all` of the example (October 2026). Read only."""
    return _build_example(tmp_path_factory, "example-all", ("2026-10",), audience="all")


@pytest.fixture(scope="session")
def example_build_management(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """`sambrief build --audience management` of the example (October 2026), the README's first
    command. Read only."""
    return _build_example(tmp_path_factory, "example-management", ("2026-10",), audience="management")


@pytest.fixture(scope="session")
def example_build_management_after_september(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The example's management briefing of October built after September's, so its figures have
    a previous month (tiles with a change, "since September"). Read only."""
    return _build_example(tmp_path_factory, "example-management-sep-oct", ("2026-09", "2026-10"), audience="management")


@pytest.fixture(scope="session")
def example_draft_all(tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """The example's briefings of October 2026 for every audience as `build --audience all`
    composes them, nothing rendered or written (`draft`, half a second instead of a build's
    eight): for tests that read figures, headlines, bullets, notes, warnings or published sets.
    Read only."""
    from sambrief.commands.build import BuildRequest, draft

    return _shared(
        tmp_path_factory,
        "example-draft-all",
        lambda ws: draft(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="all")),
    )


def decks_only(ws: Path) -> Path:
    """The example's audiences make only their decks: for a test that reads figures, notices or the
    manifest. The example's one-pagers are laid out with WeasyPrint until they fit (three layouts for
    management), most of the CPU of a build without the deck PDF (see `no_deck_pdf`)."""
    path = ws / "audiences.yaml"
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"^(    cadence: \w+)$", r"\1\n    formats: [pptx]", text, flags=re.M), "utf-8")
    return ws


def workspace_of(result: BuildResult) -> Path:
    return result.out_dir.parents[1]


def copy_built(result: BuildResult, dest: Path) -> Path:
    """A copy of a shared build's workspace (outputs and history included) for a test that builds on it."""
    shutil.copytree(workspace_of(result), dest, symlinks=True)
    return dest


@pytest.fixture
def no_deck_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests that read figures, notices, the pptx or the one-pager, never the deck's PDF:
    the deck PDF (WeasyPrint's layout of every slide, about half the CPU of a build) is a blank
    page. Modules opt in with `pytestmark = pytest.mark.usefixtures("no_deck_pdf")`; a module-wide
    build patches `render_deck_pdf` with `blank_pdf` itself. The deck PDF is tested on real
    builds: render/test_deck_pdf.py, the shared example builds, the delivery that reads cards and
    attachments, and the output-set and privacy tests that read every written file."""
    from sambrief.render import deckpdf

    monkeypatch.setattr(deckpdf, "render_deck_pdf", lambda result, briefing, settings: blank_pdf())


@cache
def blank_pdf() -> bytes:
    """A one-page blank PDF: the deck PDF of a build whose test never reads it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=960, height=540)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
