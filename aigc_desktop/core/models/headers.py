"""Reading a weights file's header without its weights: what detection, the registry and the image engine need to
know about a .safetensors file (its tensor names and shapes) costs a few kilobytes, not gigabytes."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

_MAX_HEADER = 100 * 1024 * 1024


def safetensors_shapes(file: Path) -> dict[str, list[int]]:
    """Tensor name → shape from a .safetensors header (8 bytes of length, then JSON); the weights are not read."""
    try:
        with Path(file).open("rb") as f:
            head = f.read(8)
            if len(head) < 8:
                raise ValueError("too short")
            (size,) = struct.unpack("<Q", head)
            if not 0 < size <= _MAX_HEADER:
                raise ValueError("bad header length")
            header = json.loads(f.read(size))
    except (OSError, ValueError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("ModelFiles", "{file} is not a readable safetensors file ({reason}).").format(
                file=Path(file).name, reason=exc
            )
        ) from exc
    if not isinstance(header, dict):
        raise UserError(
            QT_TRANSLATE_NOOP("ModelFiles", "{file} is not a readable safetensors file.").format(file=Path(file).name)
        )
    return {
        key: [int(d) for d in info.get("shape", [])]
        for key, info in header.items()
        if key != "__metadata__" and isinstance(info, dict)
    }
