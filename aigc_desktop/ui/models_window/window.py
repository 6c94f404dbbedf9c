"""The Models window: a banner saying what works offline above four tabs (installed.py, catalog.py, import_tab.py,
styles_tab.py: the styles learned with Tools ▸ Learn my style…).

The window owns what the tabs share: the worker threads for downloads, imports and searches (ModelTasks) and the
`models_changed` signal the main window's model pickers listen to. When one tab changes the models on disk, the
window refreshes the others.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTabWidget, QVBoxLayout, QWidget

from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.fit import Hardware, probe_hardware
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.i18n import Retranslating, translate
from aigc_desktop.ui.models_window.catalog import CatalogTab
from aigc_desktop.ui.models_window.import_tab import ImportTab
from aigc_desktop.ui.models_window.installed import InstalledTab
from aigc_desktop.ui.models_window.styles_tab import StylesTab
from aigc_desktop.workers.model_tasks import ModelTasks

BANNER_STYLE = "background: #eef4ff; border: 1px solid #c6d7f5; border-radius: 4px; padding: 6px;"


class ModelsWindow(Retranslating, QDialog):
    models_changed = Signal()  # a model was added or removed, or a pane default changed: model pickers refresh

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        hardware: Hardware | None = None,
        home: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("modelsWindow")
        self.setModal(False)
        self.resize(1100, 660)
        self.tasks = ModelTasks(self)

        outer = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        outer.addWidget(self.banner)
        self.installed_tab = InstalledTab(ctx, self)
        self.catalog_tab = CatalogTab(ctx, self.tasks, hardware or probe_hardware(ctx.paths.models_dir), self)
        self.import_tab = ImportTab(ctx, self.tasks, home, self)
        self.styles_tab = StylesTab(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("modelsTabs")
        for tab in (self.installed_tab, self.catalog_tab, self.import_tab, self.styles_tab):
            self.tabs.addTab(tab, "")
        outer.addWidget(self.tabs, 1)

        self.installed_tab.refreshed.connect(self._update_banner)
        self.installed_tab.defaults_changed.connect(self.models_changed)
        for tab in (self.installed_tab, self.catalog_tab, self.import_tab, self.styles_tab):
            tab.models_changed.connect(self._models_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.tasks.shutdown)  # pause downloads: they resume on the next start
        self.installed_tab.refresh()
        self.catalog_tab.refresh()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ModelsWindow", "Models"))
        self.tabs.setTabText(0, translate("ModelsWindow", "Installed"))
        self.tabs.setTabText(1, translate("ModelsWindow", "Catalog"))
        self.tabs.setTabText(2, translate("ModelsWindow", "Import"))
        self.tabs.setTabText(3, translate("ModelsWindow", "Styles"))
        self._update_banner()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.styles_tab.refresh()  # a style may have been learned (or an epoch saved) since the window was hidden
        self.import_tab.discover_once()

    def _models_changed(self, show: str) -> None:
        """A tab added or removed models: every tab shows the folder as it is now; `show` is selected under
        Installed ("" selects nothing new)."""
        self.installed_tab.refresh()
        self.catalog_tab.refresh()
        self.styles_tab.refresh()
        self.models_changed.emit()
        if show:
            self.installed_tab.select(show)

    def _update_banner(self) -> None:
        built_in = [e.name for e in self.installed_tab.entries if e.source is ModelSource.EMBEDDED]
        offline = (
            translate(
                "ModelsWindow", "Works offline: {names} (built in), and every model you download or import."
            ).format(names=", ".join(built_in))
            if built_in
            else translate("ModelsWindow", "Works offline: every model you download or import.")
        )
        host = urlparse(_endpoint()).netloc or translate("ModelsWindow", "the Hugging Face Hub")
        self.banner.setText(
            translate(
                "ModelsWindow", "{offline} Downloading from the catalog needs an internet connection (to {host})."
            ).format(offline=offline, host=host)
        )


def _endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "").strip() or "https://huggingface.co"
