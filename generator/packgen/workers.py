"""Worker processes that never outlive the build that started them.

However the main process ends (Ctrl-C, SIGTERM from `timeout` or CI, SIGKILL),
its workers end too: the kernel sends each one SIGTERM when its parent dies,
a stopped build ends its workers before it reports, and workers leave Ctrl-C
to the main process, which reports it once.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1
_STOPPING = {signal.SIGINT, signal.SIGTERM}


def _end_with_parent(parent: int) -> None:
    # Ctrl-C reaches the whole process group; only the main process should answer it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)
    # Started with these signals held (see process_pool); from here they act as set above.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of fresh (spawned) processes that end when this process ends or is stopped."""
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_end_with_parent,
        initargs=(os.getpid(),),
    )
    # The workers start on the first task; they start with Ctrl-C and SIGTERM held, so that
    # one arriving while a worker is still importing cannot print its traceback.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        pool.submit(os.getpid)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        yield pool
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
