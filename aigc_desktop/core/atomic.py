"""Files replaced in one step: readers (and a crash) see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A hidden, unique temporary path beside `target` to write to; renamed over `target` when the block succeeds,
    removed when it fails (the exception goes on). Beside it, so the rename stays on one file system."""
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        yield temp
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str) -> None:
    with replacing(target) as temp:
        temp.write_text(text, encoding="utf-8", newline="\n")


def write_json(target: Path, data: Any, indent: int = 2) -> None:
    write_text(target, json.dumps(data, indent=indent, ensure_ascii=False))
