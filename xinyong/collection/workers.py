"""Second processes that handle untrusted files with a ceiling on memory (and CPU time), so that
no file can take the process that received it down: a worker that goes past its limit dies,
and its caller turns that into a refused file.

Workers are started by `spawn`, not `fork`: the web server's threads and open database
connections stay behind. A script that calls `ingest` therefore needs the usual
`if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from xinyong.config import Settings, get_settings, use_settings

PARENT_CHECK_SECONDS = 1.0


@contextmanager
def limited_worker(
    memory_mb: int,
    *,
    cpu_seconds: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[ProcessPoolExecutor]:
    """One spawned worker process whose address space is capped at `memory_mb` (and its CPU
    time at `cpu_seconds`). A worker that dies (a native abort on a failed allocation, the CPU
    signal, a kill) breaks the pool: its futures raise `BrokenProcessPool`."""
    context = multiprocessing.get_context("spawn")
    job = (os.getpid(), get_settings(), memory_mb, cpu_seconds, initializer, initargs)
    with ProcessPoolExecutor(1, mp_context=context, initializer=_start, initargs=job) as worker:
        yield worker


def _start(
    parent: int,
    settings: Settings,
    memory_mb: int,
    cpu_seconds: int | None,
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> None:
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    use_settings(settings)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _end_with(parent: int) -> None:
    """A process killed mid-file cannot shut its worker down; the worker, then maybe blocked
    writing a result nobody reads, sees it has a new parent and ends itself."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)
