"""Text that state objects hand to Qt themselves, in the interface language: an undo step's name (QUndoCommand holds
a plain string), and numbers inside marked messages.

`translated(msg)` shows a marked message translated (ui/i18n.py gives it to the widgets as `tr_msg`). `Number`
goes into a `Msg`'s values: it is written through QLocale each time the message is shown, so a status line or an
undo step shown again after a language switch writes its numbers the new language's way.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale

from aigc_desktop.core.i18n import Msg

log = logging.getLogger(__name__)


def translated(text: str) -> str:
    """`text` in the interface language when it is a marked `Msg` (its Msg values too); plain text as it is."""
    if not isinstance(text, Msg):
        return text
    source = QCoreApplication.translate(text.context, text.source)
    values = {k: translated(v) if isinstance(v, Msg) else v for k, v in text.values.items()}
    try:
        return source.format(**values) if values else source
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: English beats nothing
        log.warning("translation of %r does not fit its values", text.source)
        return str(text)


class Number:
    """A number in a message's values, written the interface language's way (QLocale's default follows it) when
    the message is shown; no group separators (sizes, counts and timings, not amounts)."""

    __slots__ = ("decimals", "value")

    def __init__(self, value: float, decimals: int = 0) -> None:
        self.value = value
        self.decimals = decimals

    def __str__(self) -> str:
        locale = QLocale()
        locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
        return locale.toString(float(self.value), "f", self.decimals)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Number({self.value!r}, {self.decimals})"
