"""Message helpers: every error a user can cause or meet ends in one of these, never in a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from aigc_desktop.core.project.model import UNTITLED
from aigc_desktop.ui.i18n import tr_msg, translate


def project_name(name: str) -> str:
    """A project's name as shown: the default "Untitled" in the interface language, any other name as it is."""
    return tr_msg(UNTITLED) if name == UNTITLED else name


def show_error(parent: QWidget | None, title: str, message: str, log_file: Path | None = None) -> QMessageBox:
    """A non-blocking error box: the app keeps running (and tests can find and close it). A marked `Msg` title or
    message (a UserError's, core/i18n.py) is shown in the interface language."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr_msg(title), tr_msg(message), QMessageBox.StandardButton.Ok, parent)
    if log_file is not None:
        box.setInformativeText(translate("Dialogs", "Details are in the log file:\n{path}").format(path=log_file))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setObjectName("errorDialog")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


SAVE_BUTTONS = QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel


def save_changes_texts(name: str) -> tuple[str, str]:
    """The title and question of the Save / Discard / Cancel prompt for project `name`."""
    return translate("Dialogs", "Unsaved changes"), translate(
        "Dialogs", "“{name}” has changes that are not saved. Save them first?"
    ).format(name=project_name(name))


def save_changes_box(parent: QWidget, name: str) -> QMessageBox:
    """The prompt ask_save_changes shows, built but not shown (what the translation tests look at)."""
    box = QMessageBox(QMessageBox.Icon.Question, *save_changes_texts(name), SAVE_BUTTONS, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    return box


def ask_save_changes(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before work would be replaced."""
    answer = QMessageBox.question(parent, *save_changes_texts(name), SAVE_BUTTONS, QMessageBox.StandardButton.Save)
    return QMessageBox.StandardButton(answer)


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question whose default is No: for anything that deletes or sends what cannot be taken back."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_plain_http(parent: QWidget, name: str, warning: str) -> bool:
    """Send a job to server `name` over plain http on another machine? `warning` (a marked Msg) says what that
    means; No is the default."""
    return ask_yes_no(
        parent,
        translate("MainWindow", "Send over plain http?"),
        tr_msg(warning) + "\n\n" + translate("MainWindow", "Send this job to {name} anyway?").format(name=name),
    )
