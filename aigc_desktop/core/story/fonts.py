"""The font captions are drawn with, found without Qt: a Simplified-Chinese face (so Chinese captions have Chinese
glyph forms, and Latin text is covered too), the same faces ui/fonts.py prefers for the window, looked up by file.

Search order: the well-known files of Noto Sans CJK / Source Han Sans (Linux), Microsoft YaHei (Windows), PingFang
and Hiragino (macOS), WenQuanYi; then fontconfig's answer (`fc-match`) where fontconfig exists. In a collection
(.ttc) the face whose name ends in "SC" is chosen. Without any, Pillow's built-in font draws Latin text only, and
`caption_font()` says so through `CaptionFont.cjk`.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
    Path("C:/Windows/Fonts"),
    Path("/System/Library/Fonts"),
    Path("/Library/Fonts"),
)
# File names, best first; a .ttc holds several faces (JP, KR, SC, TC...)
_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "SourceHanSansSC-Regular.otf",
    "msyh.ttc",
    "PingFang.ttc",
    "Hiragino Sans GB.ttc",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
)
_FC_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")


@dataclass(frozen=True)
class CaptionFont:
    path: str | None  # None: Pillow's built-in font
    index: int  # the face in a collection
    cjk: bool  # whether Chinese, Japanese and Korean text can be drawn

    def at(self, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        if self.path is None:
            return ImageFont.load_default(size)
        return ImageFont.truetype(self.path, size, index=self.index)


def _sc_index(path: Path) -> int:
    """The Simplified-Chinese face of a collection (0 for a single font, or when none says SC)."""
    if path.suffix.lower() != ".ttc":
        return 0
    for index in range(16):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC") or family.endswith("SC"):
            return index
    return 0


def _fontconfig() -> Path | None:
    fc = shutil.which("fc-match")
    if fc is None:
        return None
    for family in _FC_FAMILIES:
        try:
            out = subprocess.run(
                [fc, "-f", "%{file}", f"{family}:lang=zh-cn"], capture_output=True, text=True, timeout=5, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if out and Path(out).is_file() and Path(out).name in _FILES:
            return Path(out)
    return None


@cache
def caption_font() -> CaptionFont:
    for folder in _FONT_DIRS:
        if not folder.is_dir():
            continue
        for name in _FILES:
            hits = sorted(folder.rglob(name))
            if hits:
                return CaptionFont(str(hits[0]), _sc_index(hits[0]), True)
    found = _fontconfig()
    if found is not None:
        return CaptionFont(str(found), _sc_index(found), True)
    return CaptionFont(None, 0, False)
