"""One build at a time per workspace: an OS-level lock (via `filelock`, on Windows and POSIX
alike) that the OS releases when the process dies, so a crashed cron job never leaves the
workspace locked. Who holds the lock is written to a note beside it."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from sambrief.errors import ExitCode, SambriefError
from sambrief.i18n.notices import Notice

LOCK_FILE = Path(".sambrief") / "build.lock"
# The note beside the lock: "<activity>: pid <pid> since <time> UTC" (read back by whoever waits).
_NOTE = re.compile(r"^(?P<activity>[a-z ]+): pid (?P<pid>\d+) since (?P<since>.+)$")
ACTIVITIES = ("build", "delivery", "plan", "history forget")


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
        raise BuildLocked(Notice("locked", root=str(root), **_holder(note))) from None
    try:
        holder_note.write_text(
            f"{activity}: pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC", encoding="utf-8"
        )
        yield
    finally:
        lock.release()


def _holder(note: str) -> dict[str, Notice | str]:
    """What holds the lock, from its note, in words of the catalog (the note is the same
    in every language; a note in another form is shown as it is)."""
    match = _NOTE.match(note)
    if match is None or match["activity"] not in ACTIVITIES:
        return {"activity": Notice("activity_build"), "holder": note or Notice("lock_other_process")}
    activity = Notice("activity_" + match["activity"].replace(" ", "_"))
    return {"activity": activity, "holder": Notice("lock_holder", pid=match["pid"], since=match["since"])}
