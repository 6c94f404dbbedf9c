"""Reading the user's image and audio files safely (size checks before decoding, one clear error per bad file)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

# Past this an image is treated as a decompression bomb rather than decoded (a 16k x 16k canvas is the largest we make).
MAX_IMAGE_PIXELS = 16384 * 16384
MAX_IMPORT_BYTES = 2 * 1024**3


def decode_image_bytes(data: bytes, what: str) -> Image.Image:
    """Decode PNG/JPEG/WebP/BMP as RGBA; the pixel count is checked from the header before any pixel is decoded."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            w, h = probe.size
            if w * h > MAX_IMAGE_PIXELS:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "Media",
                        "{what} is {width}×{height} pixels, larger than this app opens (possible decompression bomb).",
                    ).format(what=what, width=w, height=h)
                )
            probe.load()
            return probe.convert("RGBA")
    except UserError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Media", "{what} is not a readable image ({reason}).").format(what=what, reason=str(exc))
        ) from exc


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UserError(
                QT_TRANSLATE_NOOP("Media", "{name} is too large to import ({mb} MB).").format(
                    name=path.name, mb=size // 1024**2
                )
            )
        return path.read_bytes()
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Media", "Could not read {path}: {reason}.").format(
                path=str(path), reason=exc.strerror or str(exc)
            )
        ) from exc


def read_image_file(path: Path) -> Image.Image:
    return decode_image_bytes(_read_bytes(path), path.name)


def read_audio_file(path: Path) -> tuple[np.ndarray, int]:
    """Float32 samples (frames,) or (frames, channels) and the sample rate, from WAV/FLAC/OGG/MP3 via libsndfile."""
    import soundfile  # bundles libsndfile; imported on use so start-up stays quick

    data = _read_bytes(path)
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=False)
    except (RuntimeError, soundfile.LibsndfileError, TypeError, ValueError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("Media", "{name} is not a readable audio file ({reason}).").format(
                name=path.name, reason=str(exc)
            )
        ) from exc
    if len(samples) == 0:
        raise UserError(QT_TRANSLATE_NOOP("Media", "{name} holds no audio.").format(name=path.name))
    return np.asarray(samples, dtype=np.float32), int(rate)
