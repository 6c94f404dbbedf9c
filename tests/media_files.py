"""Small real media files for tests: a PNG and a 16-bit WAV written with the standard formats' own writers."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from PIL import Image


def write_png(
    path: Path, color: tuple[int, int, int, int] = (200, 30, 30, 255), size: tuple[int, int] = (40, 30)
) -> Path:
    Image.new("RGBA", size, color).save(path)
    return path


def write_wav(path: Path, seconds: float = 0.5, rate: int = 16000, freq: float = 330.0) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.4 * np.sin(2 * np.pi * freq * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path
