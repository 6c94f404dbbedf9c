"""A pane's model picker: lists the installed models of the pane's kinds, and says plainly when there are none."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.units import human_bytes


class ModelSelector(QComboBox):
    model_chosen = Signal(str)  # a model id, when the user picks one

    def __init__(self, kinds: tuple[ModelKind, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kinds = kinds
        self.setObjectName("modelSelector")
        self.setMinimumContentsLength(24)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(self._on_activated)

    def populate(self, registry: ModelRegistry, preferred: str | None = None) -> None:
        entries: list[ModelEntry] = [e for kind in self.kinds for e in registry.entries(kind)]
        self.blockSignals(True)
        self.clear()
        for e in entries:
            label = f"{e.name} · {e.backend} · {human_bytes(e.size_bytes)}"
            if e.source is ModelSource.EMBEDDED:
                label += " · built in"
            self.addItem(label, e.id)
            self.setItemData(self.count() - 1, f"{e.id}\n{e.path}\nLicence: {e.licence}", 3)  # 3 = ToolTipRole
        if not entries:
            kinds = " or ".join(k.value for k in self.kinds)
            self.addItem(f"No {kinds} model installed")
            self.setToolTip(f"Put a {kinds} model into {registry.paths.models_dir} and it will be listed here.")
            self.setEnabled(False)
        else:
            self.setEnabled(True)
            self.setToolTip("The model this pane generates with")
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
