"""Chinese text in a Simplified-Chinese face on every platform.

Han characters are shared by Chinese, Japanese and Korean, but their shapes differ; a font picked by fallback follows
the system's language, so on an English or C-locale Linux desktop Qt draws 中文 with Noto Sans CJK **JP** (Japanese
forms of 直, 角, 骨…). Listing Simplified-Chinese faces after the system UI family makes Latin text keep the system's
look and every Han character come from an SC face: Noto Sans CJK SC / Source Han Sans SC (Linux), Microsoft YaHei UI
(Windows), PingFang SC (macOS). Fixed-pitch text (the system's monospace family) gets the same faces as
substitutes. Done whatever the interface language: a prompt or a document may be Chinese in the English interface.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication

SIMPLIFIED_CHINESE_FACES = (
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
    """The Simplified-Chinese faces installed here, best first (empty: none of ours; Qt's fallback then decides)."""
    installed = {f.lower() for f in QFontDatabase.families()}
    return tuple(f for f in SIMPLIFIED_CHINESE_FACES if f.lower() in installed)


def with_chinese_faces(font: QFont) -> QFont:
    """`font` drawing Latin (and whatever it has) with the family it really resolves to, and Han characters it lacks
    with a Simplified-Chinese face — for text drawn into pictures (the Canvas Text tool), whatever the interface
    language. The resolved family, not an alias like "Sans Serif": Qt skips a family it cannot find by that name and
    would draw Latin with the Chinese face too."""
    family = QFontInfo(font).family()
    font.setFamilies([family, *(face for face in chinese_faces() if face != family)])
    return font


def use_chinese_faces(app: QGuiApplication) -> list[str]:
    """Make the application font (and the fixed-pitch family) draw Han characters with a Simplified-Chinese face;
    returns the faces used. Call once the application exists, before widgets are built."""
    faces = list(chinese_faces())
    if not faces:
        return []
    font = app.font()
    alias = font.family()
    # The face the system's UI font really is ("Sans Serif" is a fontconfig alias, not a family Qt finds by name:
    # listed as it is, Qt would skip it and draw Latin text with the CJK face too).
    family = QFontInfo(font).family()
    if family not in faces:
        font.setFamilies([family, *faces])
        app.setFont(font)
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    for name in {family, alias, fixed, "monospace", "sans-serif", "serif"}:
        QFont.insertSubstitutions(name, faces)
    return faces
