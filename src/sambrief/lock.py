"""One build at a time per workspace: an advisory lock that the OS releases when the process
dies, so a crashed cron job never leaves the workspace locked."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sambrief.errors import ExitCode, SambriefError

LOCK_FILE = Path(".sambrief") / "build.lock"


class BuildLocked(SambriefError):
    """Another build holds the workspace lock."""

    exit_code = ExitCode.LOCKED


@contextmanager
def workspace_lock(root: Path) -> Iterator[None]:
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLocked(
                f"another sambrief build is running in {root} ({holder}); nothing was touched, try again when it has finished"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        yield
    finally:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            handle.close()
