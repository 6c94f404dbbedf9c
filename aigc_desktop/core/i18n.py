"""Marking text for translation in code that has no Qt (core): marked where it is written, translated where it is
shown.

`QT_TRANSLATE_NOOP("Context", "No model called {name}.").format(name=...)` gives a `Msg`: a str holding the English
text (what the CLI prints and the log keeps) that also remembers its context, its source text and the values that
went into it, so the window can show it in the user's language (ui/i18n.py `tr_msg`). Qt's `pyside6-lupdate` finds
the literal by the marker's name, which is why the marker keeps Qt's name. `{name}` placeholders, never f-strings:
lupdate reads literals only, and a translation may put the values in another order.
"""

from __future__ import annotations

from collections.abc import Mapping


class Msg(str):
    """English text that can be shown translated: its context, source text and format values travel with it."""

    context: str
    source: str
    values: Mapping[str, object]

    def __new__(cls, context: str, source: str, values: Mapping[str, object] | None = None) -> Msg:
        values = dict(values or {})
        text = source.format(**values) if values else source
        obj = super().__new__(cls, text)
        obj.context, obj.source, obj.values = context, source, values
        return obj

    def format(self, *args: object, **kwargs: object) -> Msg:
        """Fill the placeholders, keeping what the window needs to translate (named placeholders only)."""
        if args:
            raise TypeError("Msg.format takes named values only: a translation may reorder them")
        return Msg(self.context, self.source, {**self.values, **kwargs})


def QT_TRANSLATE_NOOP(context: str, source: str) -> Msg:  # Qt's name: the one lupdate looks for
    return Msg(context, source)
