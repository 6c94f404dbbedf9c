"""Message helpers: every error a user can cause or meet ends in one of these, never in a traceback."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, message: str, log_file: Path | None = None) -> QMessageBox:
    """A non-blocking error box: the app keeps running (and tests can find and close it)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    if log_file is not None:
        box.setInformativeText(f"Details are in the log file:\n{log_file}")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setObjectName("errorDialog")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def ask_save_changes(parent: QWidget, project_name: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before work would be replaced."""
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"“{project_name}” has changes that are not saved. Save them first?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    return QMessageBox.StandardButton(answer)
