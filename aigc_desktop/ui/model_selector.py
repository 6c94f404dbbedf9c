"""A pane's model picker: lists the installed models of the pane's kinds, and says plainly when there are none."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.ui import units
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate

KIND_NAMES = {
    ModelKind.TEXT: QT_TRANSLATE_NOOP("ModelSelector", "text"),
    ModelKind.IMAGE: QT_TRANSLATE_NOOP("ModelSelector", "image"),
    ModelKind.SPEECH: QT_TRANSLATE_NOOP("ModelSelector", "speech"),
    ModelKind.MUSIC: QT_TRANSLATE_NOOP("ModelSelector", "music"),
    ModelKind.SYSTEM: QT_TRANSLATE_NOOP("ModelSelector", "system"),
}


class ModelSelector(Retranslating, QComboBox):
    model_chosen = Signal(str)  # a model id, when the user picks one

    def __init__(self, kinds: tuple[ModelKind, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kinds = kinds
        self._registry: ModelRegistry | None = None
        self.setObjectName("modelSelector")
        self.setMinimumContentsLength(24)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(self._on_activated)

    def retranslate(self) -> None:
        """The rows name models (not translated) with translated notes: list them again, keeping the choice."""
        if self._registry is not None:
            self.populate(self._registry, self.current_model_id())

    def populate(self, registry: ModelRegistry, preferred: str | None = None) -> None:
        self._registry = registry
        entries: list[ModelEntry] = [e for kind in self.kinds for e in registry.entries(kind)]
        # Servers' models after the local ones (servers-gui groups them under each server's name).
        entries += [e for kind in self.kinds for e in registry.server_entries(kind)]
        self.blockSignals(True)
        self.clear()
        for e in entries:
            label = f"{e.name} · {e.backend} · {units.format_bytes(e.size_bytes)}"
            if e.source is ModelSource.SERVER:  # nothing on disk: the server's name instead of a size
                label = f"{e.name} · {e.id.removeprefix('server:').partition('/')[0]}"
            if e.source is ModelSource.EMBEDDED:
                label += " · " + translate("ModelSelector", "built in")
            self.addItem(label, e.id)
            tip = translate("ModelSelector", "{id}\n{path}\nLicence: {licence}").format(
                id=e.id, path=e.path, licence=e.licence
            )
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        kinds = translate("ModelSelector", " or ").join(tr_msg(KIND_NAMES[k]) for k in self.kinds)
        # Rows that are models' names are not the app's words (the translation sweep skips them).
        self.setProperty("translated_items", not entries)
        if not entries:
            self.addItem(translate("ModelSelector", "No {kinds} model installed").format(kinds=kinds))
            self.setToolTip(
                translate("ModelSelector", "Put a {kinds} model into {folder} and it will be listed here.").format(
                    kinds=kinds, folder=registry.paths.models_dir
                )
            )
            self.setEnabled(False)
        else:
            self.setEnabled(True)
            self.setToolTip(translate("ModelSelector", "The model this pane generates with"))
            index = self.findData(preferred) if preferred else -1
            self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def current_model_id(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def _on_activated(self, index: int) -> None:
        model_id = self.itemData(index)
        if model_id:
            self.model_chosen.emit(str(model_id))
