"""Sizes and durations as people read them, in English: what the terminal prints and the log keeps.

Each formatter returns a `Measure`: the English text (a str, so it goes into f-strings and marked messages as it
is) that also remembers the number it was made from. A window shows the same number in its user's language
(ui/units.py re-renders every Measure inside a marked message with QLocale); core itself stays Qt-free and English.
"""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    BYTES = "bytes"  # in the unit that suits the size: B, KB, MB or GB
    GIGABYTES = "gigabytes"  # bytes, always said in GB (memory and disk amounts of the fit check)
    SECONDS = "seconds"
    SECONDS_TENTHS = "seconds_tenths"  # a duration that keeps tenths under a minute ("0.7 s")


class Measure(str):
    """English text of a size or a duration that keeps its number and unit, so it can be shown in another locale."""

    value: float
    unit: Unit

    def __new__(cls, text: str, value: float, unit: Unit) -> Measure:
        obj = super().__new__(cls, text)
        obj.value, obj.unit = float(value), unit
        return obj


def human_bytes(n: float) -> Measure:
    """ "512 B", "12 KB", "4.7 MB", "1.2 GB" (1024-based, as file managers show)."""
    return Measure(_bytes_text(n), n, Unit.BYTES)


def _bytes_text(n: float) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit in ("B", "KB") else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def human_duration(seconds: float, *, tenths: bool = False) -> Measure:
    """ "5 s", "1 min 15 s", "1 h 02 min"; with `tenths`, under a minute keeps one decimal ("0.7 s": generations)."""
    return Measure(_duration_text(seconds, tenths), seconds, Unit.SECONDS_TENTHS if tenths else Unit.SECONDS)


def _duration_text(seconds: float, tenths: bool) -> str:
    if tenths and seconds < 59.95:
        return f"{max(seconds, 0.0):.1f} s"
    s = max(round(seconds), 0)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"
