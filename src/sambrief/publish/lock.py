"""One build at a time per workspace: an OS-level lock (via `filelock`, on Windows and POSIX
alike) that the OS releases when the process dies, so a crashed cron job never leaves the
workspace locked. Who holds the lock is written to a note beside it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from sambrief.errors import ExitCode, SambriefError

LOCK_FILE = Path(".sambrief") / "build.lock"


class BuildLocked(SambriefError):
    """Another build holds the workspace lock."""

    exit_code = ExitCode.LOCKED


@contextmanager
def workspace_lock(root: Path, activity: str = "build") -> Iterator[None]:
    """Hold the workspace for a build, `plan` or delivery; `activity` names it for whoever waits."""
    path = root / LOCK_FILE
    holder_note = path.with_name("build.holder")
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            note = holder_note.read_text(encoding="utf-8").strip()
        except OSError:
            note = ""
        held_by, _, holder = note.partition(": ") if ": " in note else ("build", "", note)
        raise BuildLocked(
            f"another sambrief {held_by} is running in {root} ({holder or 'another process'}); nothing was touched, "
            "try again when it has finished"
        ) from None
    try:
        holder_note.write_text(f"{activity}: pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC", encoding="utf-8")
        yield
    finally:
        lock.release()
