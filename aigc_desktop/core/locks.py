"""Who is working on something right now: an operating-system lock on a small file beside it.

One rule for every "is another process on this?" question (a model download, the owner of a recovery copy, the
assembly of the built-in model): the file is locked by the process doing the work (flock on POSIX, LockFileEx on
Windows, through the `filelock` package), and the kernel releases that lock the moment the process ends, however it
ends (SIGKILL, a crash, a power cut). So there is nothing to guess: no pid written in a file that a new process may
reuse, no age after which a lock counts as stale. A lock taken by this process keeps its other threads out too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on first use: the model registry imports this module before the window paints
    import filelock


class Lock:
    """A lock held by this process on `path` (see `take`); `release` gives it back, once."""

    def __init__(self, path: Path, lock: filelock.BaseFileLock) -> None:
        self.path = path
        self._lock = lock

    def release(self, *, remove: bool = False) -> None:
        """Give the lock back. `remove` also deletes the lock file first, while it is still held, so that nobody
        can be holding it then (a waiter that opened the old file retries on a new one)."""
        if not self._lock.is_locked:
            return
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
        self._lock.release(force=True)


def _file_lock(path: Path) -> filelock.BaseFileLock:
    # thread_local=False: taken on one thread (a download's worker), released on another if need be.
    import filelock

    return filelock.FileLock(path, thread_local=False)


def take(path: Path) -> Lock | None:
    """The lock on `path` (the file is created if missing), without waiting; None when another process or another
    holder in this one has it."""
    import filelock

    lock = _file_lock(path)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        return None
    return Lock(path, lock)


@contextlib.contextmanager
def holding(path: Path, on_wait: Callable[[], None] | None = None) -> Iterator[Lock]:
    """Holds the lock on `path` for the block, then releases it and deletes the file. When another holder has it,
    `on_wait` is called (to say so) and this waits for it."""
    import filelock

    lock = _file_lock(path)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if on_wait is not None:
            on_wait()
        lock.acquire()
    held = Lock(path, lock)
    try:
        yield held
    finally:
        held.release(remove=True)


def is_held(path: Path) -> bool:
    """Whether a live process (this one included) holds the lock on `path` now. No file: nobody does."""
    if not path.exists():
        return False
    lock = take(path)
    if lock is None:
        return True
    lock.release()
    return False
