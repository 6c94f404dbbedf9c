"""The Document's crossings to the other panes: Illustrate (the paragraph at the cursor, or the selection → a picture
on the Canvas), Narrate (the selection → the Audio pane) and Score (the selection, or the whole document → a music
prompt in the Music tab). Each is one action, shown as a toolbar button and in the editor's context menu (after
Qt's own items). This module only says which text each takes (its signals); ui/crossings.py runs them. The way back,
from a layer Illustrate painted to its paragraph, is `show_paragraph`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QMenu, QToolButton

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.ui.document.editor import AiTextEdit
from aigc_desktop.ui.i18n import translate

PARAGRAPH_GONE = QT_TRANSLATE_NOOP(
    "CrossingActions", "The paragraph this picture illustrates is no longer in the document (edited or deleted)."
)


class CrossingActions(QObject):
    illustrate_requested = Signal(str)  # the paragraph (or the selection) to illustrate
    narrate_requested = Signal()  # narrate the selection (or the document) in the Audio pane
    score_requested = Signal(str)  # the text whose mood the music follows
    status = Signal(object)  # a line for the pane's status (a marked Msg)

    def __init__(self, editor: AiTextEdit, add_button: Callable[[QToolButton], None], whole_text: Callable[[], str]):
        super().__init__(editor)
        self.editor = editor
        self._whole_text = whole_text  # the pane's rule for "the selection, or the whole document"
        self.illustrate = self._action("illustrateAction", lambda: self.illustrate_requested.emit(self.paragraph()))
        self.narrate = self._action("narrateAction", self.narrate_requested.emit)
        self.score = self._action("scoreAction", lambda: self.score_requested.emit(self._whole_text()))
        for action in self.actions():
            button = QToolButton(editor.parentWidget())
            button.setObjectName(action.objectName().replace("Action", "Button"))
            button.setDefaultAction(action)
            add_button(button)
        editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        editor.customContextMenuRequested.connect(self._show_context_menu)

    def _action(self, name: str, slot: Callable[[], None]) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def actions(self) -> tuple[QAction, QAction, QAction]:
        return self.illustrate, self.narrate, self.score

    def retranslate(self) -> None:
        """The actions' texts (the pane calls it from its own retranslate: a QObject hears no LanguageChange)."""
        self.illustrate.setText(translate("CrossingActions", "Illustrate…"))
        self.illustrate.setToolTip(
            translate(
                "CrossingActions",
                "A picture on the Canvas for the paragraph at the cursor (or the selection), painted from a prompt "
                "the text model drafts for you to edit",
            )
        )
        self.narrate.setText(translate("CrossingActions", "Narrate"))
        self.narrate.setToolTip(
            translate("CrossingActions", "Read the selection (or the whole document) aloud in the Audio pane")
        )
        self.score.setText(translate("CrossingActions", "Score"))
        self.score.setToolTip(
            translate(
                "CrossingActions",
                "Music for the selection (or the whole document): the text model drafts a prompt from its mood in "
                "the Audio pane's Music tab",
            )
        )

    # ------------------------------------------------------------ the text each takes

    def paragraph(self) -> str:
        """What Illustrate paints: the selection, or the paragraph the cursor is in."""
        cursor = self.editor.textCursor()
        selected = cursor.selectedText().replace("\u2029", "\n")
        return selected if selected.strip() else cursor.block().text()

    # ------------------------------------------------------------ the context menu

    def context_menu(self, pos: QPoint) -> QMenu:
        """The editor's menu at `pos`: Qt's own (undo, cut, copy, paste…), then the crossings."""
        menu = self.editor.createStandardContextMenu(pos)
        menu.addSeparator()
        for action in self.actions():
            menu.addAction(action)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        if not self.editor.textCursor().hasSelection():  # the paragraph clicked is the one Illustrate takes
            self.editor.setTextCursor(self.editor.cursorForPosition(pos))
        menu = self.context_menu(pos)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.editor.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------ the way back

    def show_paragraph(self, text: str) -> bool:
        """Select `text` (the paragraph a layer illustrates) in the editor; False, and a status line, when it is no
        longer in the document."""
        text = text.strip()
        at = self.editor.toPlainText().find(text) if text else -1
        if at < 0:
            self.status.emit(PARAGRAPH_GONE)
            return False
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(at)
        cursor.setPosition(at + len(text), QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self.editor.setFocus()
        return True
