"""Sizes and durations as people read them, the same in every window and in the terminal."""

from __future__ import annotations


def human_bytes(n: float) -> str:
    """ "512 B", "12 KB", "4.7 MB", "1.2 GB" (1024-based, as file managers show)."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit in ("B", "KB") else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def human_duration(seconds: float, *, tenths: bool = False) -> str:
    """ "5 s", "1 min 15 s", "1 h 02 min"; with `tenths`, under a minute keeps one decimal ("0.7 s": generations)."""
    if tenths and seconds < 59.95:
        return f"{max(seconds, 0.0):.1f} s"
    s = max(round(seconds), 0)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"
