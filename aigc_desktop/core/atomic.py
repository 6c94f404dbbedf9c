"""Files replaced in one step: readers (and a crash) see the old file or the new one, never half of one.

`durable=True` also survives a power cut: the new file's bytes are flushed to the disk before the rename, and the
rename itself (the folder's entry) after it. Without it, a file system may commit the rename before the data, so
after a power cut the target can turn out empty. It costs a disk flush or two per file: use it where losing the
file loses work (projects, trained models), not for caches.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def replacing(target: Path, *, durable: bool = False) -> Iterator[Path]:
    """A hidden, unique temporary path beside `target` to write to; renamed over `target` when the block succeeds,
    removed when it fails (the exception goes on). Beside it, so the rename stays on one file system. With
    `durable`, the file is fsynced before the rename and the folder after it (see the module docstring)."""
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        yield temp
        if durable:
            fsync_file(temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(target.parent)


def fsync_file(path: Path) -> None:
    """Flush `path`'s data to the disk; an error (ENOSPC, EIO: the data did not make it) is raised."""
    fd = os.open(path, os.O_RDWR)  # write access: Windows flushes only handles that may write
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename into it) to the disk, where the platform can: Windows cannot open a
    folder as a file, and some file systems refuse; those errors are ignored, the rename itself already happened."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes(target: Path, data: bytes, *, durable: bool = False) -> None:
    with replacing(target, durable=durable) as temp:
        temp.write_bytes(data)


def write_text(target: Path, text: str, *, durable: bool = False) -> None:
    with replacing(target, durable=durable) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


def write_json(target: Path, data: Any, indent: int = 2, *, durable: bool = False) -> None:
    write_text(target, json.dumps(data, indent=indent, ensure_ascii=False), durable=durable)
