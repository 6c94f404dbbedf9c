"""Provenance notes shared by the History dock (ui/history_panel.py) and the Document's History tab."""

from __future__ import annotations

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import HistoryEntry
from aigc_desktop.core.specs import JobKind
from aigc_desktop.ui import units
from aigc_desktop.ui.i18n import tr_msg


def style_note(entry: HistoryEntry) -> str:
    """ "written with style X, trained on N words of your texts" for text written with a learned style, else "".
    The same marked text as core/models/styles.py provenance_note (one translation), from what the History entry
    kept when the text was written (state/document.py style_provenance): still true after a rename or removal."""
    name = entry.metrics.get("style")
    if not name or entry.spec.kind is not JobKind.TEXT:
        return ""
    words = entry.metrics.get("style_words")
    shown = units.format_number(float(str(words))) if isinstance(words, int | float) else "?"
    note = QT_TRANSLATE_NOOP("Styles", "written with style {name}, trained on {words} words of your texts")
    return tr_msg(note.format(name=name, words=shown))
