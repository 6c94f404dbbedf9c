"""The main window's menu bar: File, Edit, Tools, View (History, Show AI-generated, Language), Settings (Servers),
Help.

The menus hold no state of their own: each action calls a MainWindow method, and `retranslate()` (the window's, on
every LanguageChange) sets every text again. View ▸ Language lists each language by its own name and changes the
`language` setting; the window switches when the setting changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.paths import ARCHIVE_SUFFIX, PROJECT_SUFFIX
from aigc_desktop.ui.i18n import LANGUAGES, current_language, tr_msg, translate
from aigc_desktop.ui.installation import launcher_command, repair_installation

if TYPE_CHECKING:
    from aigc_desktop.ui.main_window import MainWindow

# File > Export items: kind → (menu text, save dialog filter ending in the file's suffix).
EXPORT_KINDS: dict[str, tuple[str, str]] = {
    "md": (
        QT_TRANSLATE_NOOP("MainWindow", "Document as Markdown…"),
        QT_TRANSLATE_NOOP("MainWindow", "Markdown (*.md)"),
    ),
    "html": (QT_TRANSLATE_NOOP("MainWindow", "Document as HTML…"), QT_TRANSLATE_NOOP("MainWindow", "HTML (*.html)")),
    "txt": (
        QT_TRANSLATE_NOOP("MainWindow", "Document as plain text…"),
        QT_TRANSLATE_NOOP("MainWindow", "Plain text (*.txt)"),
    ),
    "canvas": (
        QT_TRANSLATE_NOOP("MainWindow", "Canvas as PNG…"),
        QT_TRANSLATE_NOOP("MainWindow", "PNG images (*.png)"),
    ),
    "layer": (
        QT_TRANSLATE_NOOP("MainWindow", "Selected layer as PNG…"),
        QT_TRANSLATE_NOOP("MainWindow", "PNG images (*.png)"),
    ),
    "wav": (
        QT_TRANSLATE_NOOP("MainWindow", "Selected clip as WAV…"),
        QT_TRANSLATE_NOOP("MainWindow", "WAV audio (*.wav)"),
    ),
    "flac": (
        QT_TRANSLATE_NOOP("MainWindow", "Selected clip as FLAC…"),
        QT_TRANSLATE_NOOP("MainWindow", "FLAC audio (*.flac)"),
    ),
}


def project_filter() -> str:
    return translate("MainWindow", "AIGC Desktop projects (*{suffix})").format(suffix=PROJECT_SUFFIX)


def archive_filter() -> str:
    return translate("MainWindow", "AIGC Desktop project archives (*{suffix})").format(suffix=ARCHIVE_SUFFIX)


class WindowMenus:
    """Builds the menu bar of `window` and sets its texts (`retranslate`)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        w = window
        bar = w.menuBar()
        self.file_menu = bar.addMenu("")
        self.new = self._action(self.file_menu, QKeySequence.StandardKey.New, w.new_project)
        self.open = self._action(self.file_menu, QKeySequence.StandardKey.Open, w.choose_open)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.file_menu.addSeparator()
        self.save = self._action(self.file_menu, QKeySequence.StandardKey.Save, w.save)
        self.save_as = self._action(self.file_menu, QKeySequence.StandardKey.SaveAs, w.choose_save_as)
        self.export_menu = self.file_menu.addMenu("")
        self.export_menu.setObjectName("exportMenu")
        self.export_actions: dict[str, QAction] = {}
        for kind in EXPORT_KINDS:
            action = self.export_menu.addAction("")
            action.setObjectName(f"export_{kind}")
            action.triggered.connect(lambda _checked=False, k=kind: w.choose_export(k))
            self.export_actions[kind] = action
        self.export_archive = self._action(self.file_menu, None, w.choose_export_archive)
        self.import_archive = self._action(self.file_menu, None, w.choose_import_archive)
        self.file_menu.addSeparator()
        self.models = self._action(self.file_menu, None, w.open_models_window)
        self.models.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.file_menu.addSeparator()
        self.quit = self._action(self.file_menu, QKeySequence.StandardKey.Quit, w.close)

        self.edit_menu = bar.addMenu("")
        self.undo = self._action(self.edit_menu, QKeySequence.StandardKey.Undo, w.undo)
        self.redo = self._action(self.edit_menu, QKeySequence.StandardKey.Redo, w.redo)

        self.tools_menu = bar.addMenu("")
        self.tools_menu.setObjectName("toolsMenu")
        self.train = self._action(self.tools_menu, None, w.open_train_dialog)
        self.learn_style = self._action(self.tools_menu, None, w.open_learn_style_dialog)
        self.learn_style.setObjectName("learnStyleAction")

        self.view_menu = bar.addMenu("")
        self.view_menu.setObjectName("viewMenu")
        self.history = w.history_panel.toggleViewAction()
        self.view_menu.addAction(self.history)
        self.show_ai = QAction(w)
        self.show_ai.setCheckable(True)
        self.show_ai.setChecked(w.ctx.settings.values.show_ai)
        self.show_ai.toggled.connect(w.set_show_ai)
        self.view_menu.addAction(self.show_ai)
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        self.language_group = QActionGroup(w)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, native in LANGUAGES.items():
            # Each language by its own name, never translated: whoever cannot read the current one finds theirs.
            action = QAction(native, w)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: w.ctx.settings.set("language", c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action

        self.settings_menu = bar.addMenu("")
        self.settings_menu.setObjectName("settingsMenu")
        self.servers = self._action(self.settings_menu, None, w.open_servers_dialog)
        self.servers.setObjectName("serversAction")

        self.help_menu = bar.addMenu("")
        self.hardware = self._action(self.help_menu, None, w.run_hardware_check)
        self.locations = self._action(self.help_menu, None, w.show_locations)
        self.repair = self._action(self.help_menu, None, lambda: repair_installation(w))
        self.repair.setObjectName("repair_installation")
        self.repair.setVisible(bool(launcher_command()))  # an installed copy; a checkout repairs with setup.sh
        self.about = self._action(self.help_menu, None, w.show_about)
        self.fill_recent()

    def _action(self, menu: QMenu, shortcut: QKeySequence.StandardKey | None, slot: Callable[[], object]) -> QAction:
        action = QAction(self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def retranslate(self) -> None:
        self.file_menu.setTitle(translate("MainWindow", "&File"))
        self.new.setText(translate("MainWindow", "&New"))
        self.open.setText(translate("MainWindow", "&Open…"))
        self.recent_menu.setTitle(translate("MainWindow", "Open &Recent"))
        self.save.setText(translate("MainWindow", "&Save"))
        self.save_as.setText(translate("MainWindow", "Save &As…"))
        self.export_menu.setTitle(translate("MainWindow", "&Export"))
        for kind, action in self.export_actions.items():
            action.setText(tr_msg(EXPORT_KINDS[kind][0]))
        self.export_archive.setText(translate("MainWindow", "Export project archive…"))
        self.import_archive.setText(translate("MainWindow", "Import project archive…"))
        self.models.setText(translate("MainWindow", "&Models…"))
        self.quit.setText(translate("MainWindow", "&Quit"))
        self.edit_menu.setTitle(translate("MainWindow", "&Edit"))
        self.undo.setText(translate("MainWindow", "&Undo"))
        self.redo.setText(translate("MainWindow", "&Redo"))
        self.tools_menu.setTitle(translate("MainWindow", "&Tools"))
        self.train.setText(translate("MainWindow", "&Train on my images…"))
        self.learn_style.setText(translate("MainWindow", "&Learn my style…"))
        self.view_menu.setTitle(translate("MainWindow", "&View"))
        self.history.setText(translate("MainWindow", "History"))
        self.show_ai.setText(translate("MainWindow", "Show AI-generated"))
        self.language_menu.setTitle(translate("MainWindow", "&Language"))
        self.check_language()
        self.settings_menu.setTitle(translate("MainWindow", "&Settings"))
        self.servers.setText(translate("MainWindow", "&Servers…"))
        self.help_menu.setTitle(translate("MainWindow", "&Help"))
        self.hardware.setText(translate("MainWindow", "Check &hardware"))
        self.locations.setText(translate("MainWindow", "Where are my files?"))
        self.repair.setText(translate("MainWindow", "&Repair installation…"))
        self.about.setText(translate("MainWindow", "&About AIGC Desktop"))
        self.fill_recent()

    def check_language(self) -> None:
        """Check the language the window shows now."""
        action = self.language_actions.get(current_language())
        if action is not None:
            action.setChecked(True)

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.window.ctx.settings.values.recent_projects
        if not recent:
            none = self.recent_menu.addAction(translate("MainWindow", "No recent projects"))
            none.setEnabled(False)
            return
        for entry in recent:
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _checked=False, p=entry: self.window.open_recent(Path(p)))
