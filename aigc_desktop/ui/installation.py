"""Help ▸ About (the version and the licences of everything installed: THIRD_PARTY_NOTICES.md) and Help ▸ Repair
installation (for a copy started by the installed launcher: the app closes and the launcher's setup window re-checks
and rebuilds the runtime; projects and models are kept); the uninstaller's question about models."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QMessageBox, QTextBrowser, QVBoxLayout

from aigc_desktop import __version__
from aigc_desktop.ui.dialogs import ask_yes_no
from aigc_desktop.ui.i18n import Retranslating, translate

LAUNCHER_ENV = "AIGC_LAUNCHER"  # set by installer/launcher.py when it starts the app
NOTICES = Path(__file__).resolve().parents[2] / "THIRD_PARTY_NOTICES.md"


def launcher_command() -> list[str]:
    """How to start the launcher that started this app; empty when the app runs from a source checkout."""
    return shlex.split(os.environ.get(LAUNCHER_ENV, ""))


class AboutDialog(Retranslating, QDialog):
    def __init__(self, parent: QMainWindow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.version = QLabel()
        self.version.setObjectName("about_version")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.licences_label = QLabel()
        self.notices = QTextBrowser()
        self.notices.setObjectName("about_notices")
        self.notices.setOpenExternalLinks(True)
        try:
            self.notices.setMarkdown(NOTICES.read_text(encoding="utf-8"))
        except OSError:
            self.notices.setPlainText(str(NOTICES))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        for w in (self.version, self.summary, self.licences_label, self.notices):
            box.addWidget(w)
        box.addWidget(buttons)
        self.resize(760, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("About", "About AIGC Desktop"))
        self.version.setText(translate("About", "AIGC Desktop {version}").format(version=__version__))
        self.summary.setText(
            translate("About", "Write, paint and record with local generative models, offline. Licence: Apache-2.0.")
        )
        self.licences_label.setText(translate("About", "Licences of the components it installs:"))


def show_about(window: QMainWindow) -> AboutDialog:
    dialog = AboutDialog(window)
    dialog.open()
    return dialog


def repair_installation(window: QMainWindow) -> bool:
    """Ask, save if needed, start the launcher's repair and close the app; False when nothing was done."""
    command = launcher_command()
    if not command:
        return False
    answer = QMessageBox.question(
        window,
        translate("About", "Repair installation"),
        translate(
            "About",
            "AIGC Desktop will close, then the setup window checks this computer and rebuilds its components. Your "
            "projects and models are kept.",
        ),
    )
    if answer != QMessageBox.StandardButton.Yes or not window.close():  # close() asks about unsaved changes
        return False
    subprocess.Popen([*command, "--repair"], start_new_session=True)  # outlives this process
    return True


def ask_remove_models(models: Path) -> bool:
    """The uninstaller's one question (the launcher's --uninstall): delete the downloaded models too? No by default."""
    return ask_yes_no(
        None,
        translate("About", "Uninstall AIGC Desktop"),
        translate("About", "Also delete the downloaded models in {folder}? Your projects are kept either way.").format(
            folder=str(models)
        ),
    )
