"""Conversions between the project's PIL images / numpy samples and Qt's image types."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def pil_to_qimage(image: Image.Image) -> QImage:
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    data = rgba.tobytes("raw", "RGBA")
    q = QImage(data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return q.copy()  # own the pixels: `data` dies with this function


def qimage_to_pil(image: QImage) -> Image.Image:
    q = image.convertToFormat(QImage.Format.Format_RGBA8888)
    ptr = q.constBits()
    return Image.frombuffer("RGBA", (q.width(), q.height()), bytes(ptr), "raw", "RGBA", q.bytesPerLine(), 1).copy()
