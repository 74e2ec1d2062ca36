"""Writing outputs: everything is rendered in memory first; then a period's whole output set is
written into a staging folder beside its target and made visible in one step, so a reader
(or the next build) sees either the previous set or the new one, never a mix.

The scheme (see README "Outputs"):

1. `out/.2026-10.staging-<pid>-<rand>/` gets every file, the manifest last (the commit point:
   it lists every other file with its size and SHA-256).
2. The staging folder replaces `out/2026-10/`: on Linux with one atomic exchange
   (renameat2 RENAME_EXCHANGE); elsewhere (Windows has no atomic replace of a folder) with two
   renames, the old folder first moved aside to `out/.2026-10.previous-<pid>-<rand>/`.
3. The old set is removed.

A run killed anywhere leaves hidden staging/previous folders; the next run (under the
workspace lock) removes them, and if the period folder itself is missing (killed between the
two renames) it moves the previous set back first.

Files are created with mode 0666 minus the umask (0644 under umask 022), like any file a
program writes, so the web server and the colleagues on the share can read them.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

from sambrief.errors import SambriefError
from sambrief.i18n.notices import Notice

MANIFEST = "manifest.json"
# Tests only: the process kills itself (SIGKILL) at the N-th step of the write phase.
KILL_AFTER_ENV = "SAMBRIEF_TEST_KILL_AFTER_WRITES"
# Tests only: use the portable two-rename swap (as on Windows) instead of the atomic exchange.
PORTABLE_SWAP_ENV = "SAMBRIEF_TEST_PORTABLE_SWAP"
# staging: a set being written; previous: the old set moved aside; forgotten: a set `history forget` removes.
_HIDDEN_SET = re.compile(r"^\.(?P<name>.+)\.(?P<kind>staging|previous|forgotten)-\d+-[0-9a-f]+$")
_OLD_TEMP = re.compile(r"^\..+\.tmp$")  # per-file temp files of earlier versions and of write_atomic
_steps = 0

# What to do about a storage error, by errno: the catalog key (notices.out_*) of the advice.
_WHAT_TO_DO = {
    errno.ENOSPC: "out_no_space",
    errno.EDQUOT: "out_quota",
    errno.EACCES: "out_permission",
    errno.EPERM: "out_not_permitted",
    errno.EROFS: "out_read_only",
}


class OutputError(SambriefError):
    """An output could not be written (disk full, no permission, read-only); nothing half-written stays."""


def is_storage_error(exc: OSError) -> bool:
    return exc.errno in _WHAT_TO_DO


def output_error(exc: OSError, path: Path | str, unchanged: Notice | None = None) -> OutputError:
    """One line naming the path, what happened and what to do; `unchanged` says what stays as it was."""
    if sys.platform == "win32" and isinstance(exc, PermissionError):
        what = Notice("out_locked")  # Windows: a file of the set is open in another program
    elif exc.errno in _WHAT_TO_DO:
        what = Notice(_WHAT_TO_DO[exc.errno])
    else:  # the system's own words, quoted
        what = Notice("out_other", detail=exc.strerror or str(exc))
    if unchanged is None:
        return OutputError(Notice("out_cannot_write", path=str(path), what=what))
    return OutputError(Notice("out_cannot_write_unchanged", path=str(path), what=what, unchanged=unchanged))


def _step() -> None:
    """A point between two writes of the write phase; the kill test stops the process here."""
    global _steps
    limit = os.environ.get(KILL_AFTER_ENV)
    if not limit:
        return
    _steps += 1
    if _steps >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename itself
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Create a new file (never an existing one) with the umask's mode, contents on disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """One file: a temp file beside it, fsynced, then os.replace (the old file or the new, never half)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, path.parent) from None
    tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        _write_new(tmp, data)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise output_error(exc, path, Notice("out_file_unchanged", name=path.name)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_all(files: dict[Path, bytes]) -> list[Path]:
    written = []
    for path, data in files.items():
        write_atomic(path, data)
        written.append(path)
    return written


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def outputs_entries(files: dict[str, bytes], channels: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """The manifest's `outputs`: every file of the set but the manifest, by relative path, with
    the channels it is made for (`channels` by path, or by its top folder for a per-period output)."""
    channels = channels or {}
    return [
        {
            "path": rel,
            "sha256": sha256(data),
            "bytes": len(data),
            "channels": channels.get(rel, channels.get(rel.split("/", 1)[0], [])),
        }
        for rel, data in sorted(files.items())
    ]


def verify_set(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest if every file it lists is there with its size and SHA-256, else None."""
    manifest = read_manifest(folder / MANIFEST)
    if not manifest or not isinstance(manifest.get("outputs"), list):
        return None
    for entry in manifest["outputs"]:
        path = folder / entry["path"]
        try:
            if path.stat().st_size != entry["bytes"] or sha256(path.read_bytes()) != entry["sha256"]:
                return None
        except (OSError, KeyError, TypeError):
            return None
    return manifest


def recover(out_root: Path) -> list[str]:
    """Tidy up after killed runs (call under the workspace lock): move a previous set back where
    the period folder is missing, remove stale staging/previous folders and temp files."""
    actions: list[str] = []
    if not out_root.is_dir():
        return actions
    hidden = sorted(
        (p for p in out_root.iterdir() if _HIDDEN_SET.match(p.name)), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for path in hidden:
        match = _HIDDEN_SET.match(path.name)
        assert match is not None
        target = out_root / match["name"]
        try:
            if match["kind"] == "previous" and not target.exists() and path.is_dir():
                os.rename(path, target)  # killed between the two renames: the old set comes back
                actions.append(Notice("restored", path=str(target)))
                continue
            _remove(path)
            actions.append(Notice("removed_leftover", path=str(path)))
        except OSError as exc:
            raise output_error(exc, path, Notice("out_leftover")) from None
    for path in [p for p in out_root.rglob(".*.tmp") if p.is_file() and _OLD_TEMP.match(p.name)]:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise output_error(exc, path, Notice("out_leftover")) from None
        actions.append(Notice("removed_leftover", path=str(path)))
    return actions


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def publish_set(target: Path, files: dict[str, bytes], manifest: bytes) -> list[Path]:
    """Write `files` (relative paths) and the manifest as the new content of `target`, in one step.

    Raises OutputError (one line, naming the path) on a full disk or missing permission;
    the staging folder is removed and the previous set stays as it was."""
    parent = target.parent
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    staging = parent / f".{target.name}.staging-{tag}"
    current = staging
    try:
        current = parent
        parent.mkdir(parents=True, exist_ok=True)
        current = staging
        os.mkdir(staging)
        for rel, data in files.items():
            current = staging / rel
            current.parent.mkdir(parents=True, exist_ok=True)
            _write_new(current, data)
            _step()
        current = staging / MANIFEST
        _write_new(current, manifest)  # the commit point: written last
        for folder in {(staging / rel).parent for rel in files} | {staging}:
            _fsync_dir(folder)
        _step()
        current = target
        _swap(staging, target, tag)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise output_error(exc, current, Notice("out_previous_unchanged", folder=str(target))) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):
        _fsync_dir(parent)  # the new set is in place; this makes the rename itself durable
    return [target / rel for rel in files] + [target / MANIFEST]


def _swap(staging: Path, target: Path, tag: str) -> None:
    if not target.exists():
        os.rename(staging, target)
        _step()
        return
    if not os.environ.get(PORTABLE_SWAP_ENV) and _exchange(staging, target):
        _step()
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old set
        return
    previous = target.parent / f".{target.name}.previous-{tag}"
    os.rename(target, previous)
    _step()
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(previous, target)  # e.g. Windows: the new set could not move in; the old one returns
        raise
    _step()
    shutil.rmtree(previous, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2). False where the system cannot do it."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or file system cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(b))
