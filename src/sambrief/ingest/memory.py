"""Memory and garbage-collector tuning, in one place: the C allocator's mmap threshold for
large exports, arrow's allocator and its freed blocks, the collector paused while the
stages read and model, and (in the `sambrief` program's own process only) the collector's
threshold and the frozen imports. In `ingest/` because reading calls it per file and per
column; the commands and the CLI call it from above."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


@cache
def return_large_blocks_to_the_os() -> None:
    """glibc raises its mmap threshold (up to 32 MB) whenever a large block is freed, after which
    column-sized arrays come from the heap, whose freed pages stay with the process: at a million
    users that is over 100 MB more at the build's peak. A fixed threshold (what
    MALLOC_MMAP_THRESHOLD_ would set) gives every large array back when it is freed.
    It is fixed at 8 MiB, not lower: a million-row column of 8-byte values (just under 8 MiB) and
    the many temporaries of its size come from the heap and reuse its pages, where a fresh mapping
    each time is a page fault per 4 KB (at scale 10 about 1 s of kernel time for 15 MiB more
    at the peak); larger blocks (two million seats, arrow's tables) are still mapped and returned."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's <malloc.h>
        libc.mallopt(m_mmap_threshold, 8 * 1024 * 1024 + 1)
        libc.mallopt(m_trim_threshold, 16 * 1024 * 1024)
    except (OSError, AttributeError):  # another C library: its own policy stays
        pass


@cache
def arrow_allocator() -> None:
    """Arrow's buffers from jemalloc where the wheel has it (not on Windows): at a million users
    the build's peak is about 40 MB lower than with mimalloc, arrow's default, for the same CPU.
    ARROW_DEFAULT_MEMORY_POOL, when set, decides instead."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def release_arrow_memory() -> None:
    """Arrow's allocator keeps freed blocks for reuse; at a million rows that is hundreds of MB
    the canonical frames (plain numpy and Python objects) never use again."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading and modelling a large export allocate millions of short-lived objects, each
    allocation counting towards the collector's next pass, and those passes walk every live
    container again (about 5 % of a build's CPU at a million users). The stages make no
    reference cycles worth collecting while they run, so the collector waits until they end;
    its earlier state is restored whatever happens."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_OWN_PROCESS = False  # run as the `sambrief` program (cli.app.main), not called by a test or a host program


def own_process() -> None:
    """The `sambrief` program starts. A build allocates millions of short-lived containers
    (imports, themes, layout boxes), and at the default threshold of 700 the collector starts a
    pass every few hundred of them: about 5 % of a build's CPU. Passes every 200,000
    allocations (as mypy does) cost about 15 MB more at peak. Only in a process of its own, as
    the freezing below."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    gc.set_threshold(200_000, 30, 30)


def imports_settled() -> None:
    """The libraries of the command are imported and live until the process ends: keep their
    objects out of the collector's full passes, which otherwise walk them again and again
    (about 0.15 s of CPU per build). Only in a process of its own: frozen objects are never
    collected, which a host program calling the app would not expect."""
    if _OWN_PROCESS:
        gc.freeze()


def exiting() -> None:
    """Nothing is left to collect at exit: without this the interpreter's shutdown walks
    every object of the build several times (about 0.25 s of CPU) before exiting."""
    gc.freeze()
