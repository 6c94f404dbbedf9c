"""The Import tab: import a model file or folder the user already has (copied, or used where it is), and the models
found on this computer (Hugging Face cache, LM Studio, ComfyUI, web UI, folders the user added). Copying and
searching run on worker threads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models.discover import FoundModel, discover
from aigc_desktop.core.models.downloads import DownloadControl
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.units import human_bytes
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.models_window.common import PROGRESS_SCALE, item, kind_label, selected_row, show_status, table
from aigc_desktop.workers.model_tasks import ModelTask, ModelTasks

IMPORT_KEY = "import"
DISCOVER_KEY = "discover"
LOCATION_COLUMN = 5


class ImportTab(QWidget):
    models_changed = Signal(str)  # models were imported (the argument: the first one's id, to show under Installed)

    def __init__(self, ctx: AppContext, tasks: ModelTasks, home: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.home = home  # where discovery looks (None: the user's home folder)
        self.found: list[FoundModel] = []
        lay = QVBoxLayout(self)
        lay.addWidget(self._build_pick())
        lay.addWidget(self._build_found(), 1)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_SCALE)
        self.progress.hide()
        lay.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)

    def _build_pick(self) -> QGroupBox:
        pick = QGroupBox("Import a model you already have", self)
        pick_lay = QVBoxLayout(pick)
        formats = QLabel(
            "A GGUF file, a Piper voice (.onnx with its .onnx.json), a diffusers folder (model_index.json), a single "
            ".safetensors Stable Diffusion checkpoint, or a transformers folder (config.json). Pickle files "
            "(.bin/.ckpt/.pt/.pth) are imported but stay blocked until you allow them under Installed.",
            pick,
        )
        formats.setWordWrap(True)
        pick_lay.addWidget(formats)
        mode = QHBoxLayout()
        self.copy_radio = QRadioButton("Copy it into my models folder", pick)
        self.link_radio = QRadioButton("Use it where it is (nothing is copied)", pick)
        self.copy_radio.setChecked(True)
        group = QButtonGroup(pick)
        group.addButton(self.copy_radio)
        group.addButton(self.link_radio)
        mode.addWidget(self.copy_radio)
        mode.addWidget(self.link_radio)
        mode.addStretch(1)
        pick_lay.addLayout(mode)
        pick_buttons = QHBoxLayout()
        file_button = QPushButton("Import a file…", pick)
        file_button.clicked.connect(self.choose_import_file)
        folder_button = QPushButton("Import a folder…", pick)
        folder_button.clicked.connect(self.choose_import_folder)
        pick_buttons.addWidget(file_button)
        pick_buttons.addWidget(folder_button)
        pick_buttons.addStretch(1)
        pick_lay.addLayout(pick_buttons)
        return pick

    def _build_found(self) -> QGroupBox:
        found = QGroupBox("Found on this computer", self)
        found_lay = QVBoxLayout(found)
        self.found_label = QLabel(
            "Models in the Hugging Face cache, LM Studio, ComfyUI and the Stable Diffusion web UI can be used where "
            "they are.",
            found,
        )
        self.found_label.setWordWrap(True)
        found_lay.addWidget(self.found_label)
        self.found_table = table(
            ["Name", "Kind", "Backend", "Size", "Found in", "Location", "Status"], stretch=LOCATION_COLUMN, paths=True
        )
        self.found_table.setObjectName("foundTable")
        found_lay.addWidget(self.found_table, 1)
        found_buttons = QHBoxLayout()
        self.use_found_button = QPushButton("Use in place", found)
        self.use_found_button.clicked.connect(lambda: self.import_found(link=True))
        self.copy_found_button = QPushButton("Copy into my models", found)
        self.copy_found_button.clicked.connect(lambda: self.import_found(link=False))
        self.search_button = QPushButton("Search again", found)
        self.search_button.clicked.connect(self.refresh_discovered)
        add_folder = QPushButton("Add a folder to search…", found)
        add_folder.clicked.connect(self.choose_search_folder)
        for b in (self.use_found_button, self.copy_found_button):
            found_buttons.addWidget(b)
        found_buttons.addStretch(1)
        found_buttons.addWidget(add_folder)
        found_buttons.addWidget(self.search_button)
        found_lay.addLayout(found_buttons)
        return found

    # ------------------------------------------------------------ importing

    def choose_import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import a model file",
            str(Path.home()),
            "Models (*.gguf *.onnx *.safetensors *.ckpt *.pt *.pth);;All files (*)",
        )
        if path:
            self.import_path(Path(path), link=self.link_radio.isChecked())

    def choose_import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Import a model folder", str(Path.home()))
        if path:
            self.import_path(Path(path), link=self.link_radio.isChecked())

    def import_path(self, path: Path, *, link: bool, found_in: str = "") -> ModelTask | None:
        """Check and import `path` on a worker thread (copying can take minutes); Installed lists it when done."""
        registry = self.ctx.registry

        def run(report: object, control: DownloadControl) -> object:
            from aigc_desktop.core.models.importer import import_model

            def progress(done: int, total: int, name: str) -> None:
                report((done, total, name))  # type: ignore[operator]

            return import_model(registry, path, link=link, found_in=found_in, on_progress=progress, control=control)

        try:
            task = self.tasks.start(IMPORT_KEY, run)
        except UserError:
            show_status(self.status, "Another import is still running; wait for it to finish.")
            return None
        show_status(self.status, f"{'Linking' if link else 'Copying'} {path}…", ok=True)
        self.progress.setValue(0)
        self.progress.setFormat("Checking the files…")
        self.progress.show()
        task.progress.connect(self._on_import_progress)
        task.finished.connect(self._on_import_finished)
        task.failed.connect(self._on_import_failed)
        task.stopped.connect(lambda _c: self._on_import_failed("The import was stopped; nothing was added."))
        return task

    def _on_import_progress(self, payload: object) -> None:
        if isinstance(payload, tuple) and len(payload) == 3:
            done, total, name = payload
            self.progress.setValue(int(done / total * PROGRESS_SCALE) if total else 0)
            self.progress.setFormat(f"Copying {name}: {human_bytes(done)} of {human_bytes(total)}")

    def _on_import_finished(self, result: object) -> None:
        self.progress.hide()
        entries = [e for e in result if isinstance(e, ModelEntry)] if isinstance(result, list) else []
        names = ", ".join(f"{e.name} ({kind_label(e.kind)}, {e.backend})" for e in entries)
        blocked = [e.name for e in entries if e.pickle_only]
        note = (
            f" {', '.join(blocked)}: pickle weights stay blocked until you allow them under Installed."
            if blocked
            else ""
        )
        show_status(self.status, f"Added {names}.{note}", ok=not blocked)
        self.models_changed.emit(entries[0].id if entries else "")
        self.refresh_discovered()

    def _on_import_failed(self, message: str) -> None:
        self.progress.hide()
        show_status(self.status, message)

    # ------------------------------------------------------------ found on this computer

    def choose_search_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a folder to search for models", str(Path.home()))
        if path:
            self.add_search_folder(Path(path))

    def add_search_folder(self, folder: Path) -> None:
        paths = self.ctx.settings.values.model_search_paths
        if str(folder) not in paths:
            self.ctx.settings.set("model_search_paths", [*paths, str(folder)])
        self.refresh_discovered()

    def discover_once(self) -> None:
        """Search when nothing was found yet and no search runs (the window does this when it is shown)."""
        if not self.found and self.tasks.get(DISCOVER_KEY) is None:
            self.refresh_discovered()

    def refresh_discovered(self) -> ModelTask | None:
        """Scan the usual places on a worker thread (big trees take seconds)."""
        registry = self.ctx.registry
        home = self.home
        extra = [Path(p) for p in self.ctx.settings.values.model_search_paths]

        def run(report: object, control: DownloadControl) -> object:
            return discover(registry, home=home, extra=extra)

        try:
            task = self.tasks.start(DISCOVER_KEY, run)
        except UserError:
            return None
        self.search_button.setEnabled(False)
        self.found_label.setText("Searching the Hugging Face cache, LM Studio, ComfyUI and web UI folders…")
        task.finished.connect(self._on_discovered)
        task.failed.connect(self._on_discover_failed)
        return task

    def _on_discovered(self, result: object) -> None:
        self.search_button.setEnabled(True)
        self.found = [m for m in result if isinstance(m, FoundModel)] if isinstance(result, list) else []
        self.found_table.setRowCount(len(self.found))
        for r, m in enumerate(self.found):
            status = (
                f"in use as {m.in_use_as}"
                if m.in_use_as
                else ("pickle: blocked until allowed" if m.pickle_only else "")
            )
            values = [
                m.name,
                kind_label(m.kind),
                m.backend,
                human_bytes(m.size_bytes),
                m.found_in,
                str(m.path),
                status,
            ]
            for c, text in enumerate(values):
                self.found_table.setItem(r, c, item(text, str(m.path) if c == LOCATION_COLUMN else ""))
        if self.found:
            count = f"{len(self.found)} model{'s' if len(self.found) > 1 else ''}"
            self.found_label.setText(f"{count} found on this computer. Use one where it is, or copy it.")
        else:
            self.found_label.setText(
                "No models found in the Hugging Face cache, LM Studio, ComfyUI or web UI folders. "
                "Add a folder to search, or import a file or folder above."
            )

    def _on_discover_failed(self, message: str) -> None:
        self.search_button.setEnabled(True)
        self.found_label.setText(f"Searching failed: {message}")

    def selected_found(self) -> FoundModel | None:
        r = selected_row(self.found_table)
        return self.found[r] if r is not None and r < len(self.found) else None

    def import_found(self, *, link: bool) -> ModelTask | None:
        m = self.selected_found()
        if m is None:
            show_status(self.status, "Select a model in the list first.")
            return None
        if m.in_use_as:
            show_status(self.status, f"{m.name} is already in use as {m.in_use_as}.")
            return None
        return self.import_path(m.path, link=link, found_in=m.found_in)
