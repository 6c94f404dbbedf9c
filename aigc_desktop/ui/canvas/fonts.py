"""Which face draws Chinese on the canvas. Han characters are shared by Chinese, Japanese and Korean, but their
shapes differ; a face picked by Qt's fallback follows the system's language, so an English Linux draws 灯笼 with Noto
Sans CJK JP's Japanese forms. The Text tool's font lists Simplified-Chinese faces after the chosen family: Latin keeps
the chosen look and every Han character it lacks comes from an SC face, whatever the interface language (a picture
may carry Chinese in the English interface).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

# Faces that draw Han characters in Simplified-Chinese forms (Linux, Windows, macOS), best first.
CHINESE_FACES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
)


@cache
def chinese_faces() -> tuple[str, ...]:
    """The Simplified-Chinese faces installed here, best first."""
    installed = {family.lower() for family in QFontDatabase.families()}
    return tuple(face for face in CHINESE_FACES if face.lower() in installed)


def with_chinese_faces(font: QFont) -> QFont:
    """`font` drawing Latin (and whatever it has) with the family it really resolves to, and Han characters it lacks
    with a Simplified-Chinese face. The resolved family, not an alias like "Sans Serif": Qt skips a family it cannot
    find by that name and would draw Latin with the Chinese face too."""
    family = QFontInfo(font).family()
    font.setFamilies([family, *(face for face in chinese_faces() if face != family)])
    return font
