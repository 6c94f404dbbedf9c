"""Finding visible text that is not translated: a pseudo language wraps every translated string in ⟦…⟧, and a walk
over a widget tree lists each visible text (labels, buttons, actions, menus, tabs, titles, tooltips, placeholders,
combo items, headers) that is not wrapped. What remains is text that never went through `translate`.

    with pseudo_language():
        window.retranslate_all()  # or: the LanguageChange every widget gets from install
        assert untranslated(window) == []
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QEvent, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

OPEN, CLOSE = "⟦", "⟧"
# Text that is no sentence: numbers with units, sizes, times, symbols, shortcuts, file patterns.
_NOT_WORDS = re.compile(r"^[\W\d_]*$|^[\d.,:\s%×x+\-–/]*(px|s|ms|dB|Hz|kHz|MB|GB|KB|B|%|×|x)?[\d.,\s]*$")


class PseudoTranslator(QTranslator):
    """Every string that goes through QCoreApplication.translate comes back as ⟦string⟧ (placeholders kept)."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source:
            return source
        text = source.replace("%n", str(n)) if n >= 0 else source
        return f"{OPEN}{text}{CLOSE}"

    def isEmpty(self) -> bool:
        return False


@contextmanager
def pseudo_language() -> Iterator[PseudoTranslator]:
    translator = PseudoTranslator()
    QCoreApplication.installTranslator(translator)
    # Qt posts a LanguageChange to every widget: deliver them now, so the widgets have retranslated on entry.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange.value)
    try:
        yield translator
    finally:
        QCoreApplication.removeTranslator(translator)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange.value)


def _visible_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a user can see or hover on `widget` itself."""
    name = f"{type(widget).__name__}#{widget.objectName() or '?'}"
    if widget.isWindow() and widget.windowTitle():
        yield f"{name} title", widget.windowTitle()
    if widget.toolTip():
        yield f"{name} tooltip", widget.toolTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield f"{name} text", widget.text()
    elif isinstance(widget, QGroupBox):
        yield f"{name} title", widget.title()
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        yield f"{name} placeholder", widget.placeholderText()
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield f"{name} tab {i}", widget.tabText(i)
            yield f"{name} tab {i} tooltip", widget.tabToolTip(i)
    elif isinstance(widget, QComboBox) and widget.property("translated_items") is not False:
        for i in range(widget.count()):
            yield f"{name} item {i}", widget.itemText(i)
    elif isinstance(widget, QHeaderView):
        model = widget.model()
        if model is not None:
            from PySide6.QtCore import Qt

            orientation = widget.orientation()
            count = model.columnCount() if orientation == Qt.Orientation.Horizontal else model.rowCount()
            for i in range(count):
                yield f"{name} header {i}", str(model.headerData(i, orientation) or "")
    if isinstance(widget, QMenu):
        yield f"{name} menu title", widget.title()
    for action in widget.actions():
        where = f"{name} action {action.objectName() or action.text()!r}"
        if not action.isSeparator():
            yield f"{where} text", action.text()
            if action.toolTip() != action.text().replace("&", ""):  # Qt's default tooltip is the text itself
                yield f"{where} tooltip", action.toolTip()
            yield f"{where} status tip", action.statusTip()
        menu = action.menu()
        if menu is not None:
            yield f"{where} menu", menu.title()


def untranslated(root: QWidget, allowed: Iterable[str] = (), content: Iterable[QWidget] = ()) -> list[str]:
    """Every visible text under `root` (itself, its children, their menus) that the pseudo language did not wrap.

    `allowed`: texts that are rightly not translated (model names, file names, user content shown in a label).
    `content`: widgets whose items or text are the user's own (a clip list, the document): skipped with their
    children."""
    allowed_set = set(allowed)
    skipped = list(content)
    problems: list[str] = []
    seen: set[int] = set()

    def check(widget: QWidget) -> None:
        if id(widget) in seen or any(w is widget or w.isAncestorOf(widget) for w in skipped):
            return
        seen.add(id(widget))
        for where, text in _visible_texts(widget):
            plain = text.replace("&", "").strip()
            if not plain or OPEN in text or plain in allowed_set or _NOT_WORDS.match(plain):
                continue
            problems.append(f"{where}: {text!r}")
        for action in widget.actions():
            menu = action.menu()
            if isinstance(menu, QMenu):
                check(menu)

    check(root)
    for child in root.findChildren(QWidget):
        if isinstance(child, QListWidget | QTreeWidget | QTableWidget) and child.property("user_content"):
            continue
        check(child)
    return problems
