"""A pane's model picker: lists the installed models of the pane's kinds, then the styles learned from the user's
texts under "Your styles" (each "<base> · <style>", run over its base), then each server's models under a header row
with the server's name (not selectable; models by name only: nothing of theirs is on disk), and says plainly when
there are none. The same for every kind: a server kind with an engine (core/servers/entries.py BACKENDS) shows its
models in the panes of that model kind."""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.servers.entries import parse_model_id
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
        listed: list[ModelEntry] = [e for kind in self.kinds for e in registry.entries(kind)]
        entries = [e for e in listed if e.source is not ModelSource.STYLE]
        learned = [e for e in listed if e.source is ModelSource.STYLE]
        served: list[ModelEntry] = [e for kind in self.kinds for e in registry.server_entries(kind)]
        self.blockSignals(True)
        self.clear()
        for e in entries:
            label = f"{e.name} · {e.backend} · {units.format_bytes(e.size_bytes)}"
            if e.source is ModelSource.EMBEDDED:
                label += " · " + translate("ModelSelector", "built in")
            self.addItem(label, e.id)
            tip = translate("ModelSelector", "{id}\n{path}\nLicence: {licence}").format(
                id=e.id, path=e.path, licence=e.licence
            )
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self._add_styles(learned)
        self._add_server_groups(served, bool(entries or learned))
        entries = [*entries, *learned, *served]
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
            self.setCurrentIndex(index if index >= 0 else self.findData(entries[0].id))
        self.blockSignals(False)

    def _add_styles(self, learned: list[ModelEntry]) -> None:
        """The styles learned from the user's texts ("<base> · <style>"), under a heading of their own."""
        if not learned:
            return
        if self.count():
            self.insertSeparator(self.count())
        self._add_heading(translate("ModelSelector", "Your styles"))
        for e in learned:
            self.addItem(f"    {e.name} · {e.backend}", e.id)
            tip = translate("ModelSelector", "{id}\nA style learned from your texts, run over {base}").format(
                id=e.id, base=e.base_id
            )
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

    def _add_heading(self, text: str) -> None:
        """A row that names the group below it: neither selectable nor enabled."""
        model = self.model()
        assert isinstance(model, QStandardItemModel)
        self.addItem(text)
        header = model.item(self.count() - 1)
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        font = header.font()
        font.setBold(True)
        header.setFont(font)

    def _add_server_groups(self, served: list[ModelEntry], after_local: bool) -> None:
        """Each server's models under a header row naming it; the header cannot be chosen."""

        def server_of(entry: ModelEntry) -> str:
            ref = parse_model_id(entry.id)
            return ref[0] if ref else ""

        for index, (server, group) in enumerate(groupby(served, key=server_of)):
            if after_local or index:
                self.insertSeparator(self.count())
            self._add_heading(translate("ModelSelector", "Server “{name}”").format(name=server))
            for e in group:
                self.addItem("    " + e.name, e.id)
                tip = translate("ModelSelector", "{model}\non the server “{name}”").format(model=e.name, name=server)
                self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)

    def current_model_id(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def _on_activated(self, index: int) -> None:
        model_id = self.itemData(index)
        if model_id:
            self.model_chosen.emit(str(model_id))
