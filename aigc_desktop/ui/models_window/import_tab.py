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
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.discover import FoundModel, discover
from aigc_desktop.core.models.download_control import DownloadControl
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.models_window.common import (
    PROGRESS_SCALE,
    StatusLine,
    item,
    kind_label,
    selected_row,
    set_headers,
    show_status,
    table,
)
from aigc_desktop.ui.units import format_bytes, tr_local
from aigc_desktop.workers.model_tasks import ModelTask, ModelTasks

IMPORT_KEY = "import"
DISCOVER_KEY = "discover"
LOCATION_COLUMN = 5
COLUMNS = (
    QT_TRANSLATE_NOOP("ImportTab", "Name"),
    QT_TRANSLATE_NOOP("ImportTab", "Kind"),
    QT_TRANSLATE_NOOP("ImportTab", "Backend"),
    QT_TRANSLATE_NOOP("ImportTab", "Size"),
    QT_TRANSLATE_NOOP("ImportTab", "Found in"),
    QT_TRANSLATE_NOOP("ImportTab", "Location"),
    QT_TRANSLATE_NOOP("ImportTab", "Status"),
)


class ImportTab(Retranslating, QWidget):
    models_changed = Signal(str)  # models were imported (the argument: the first one's id, to show under Installed)

    def __init__(self, ctx: AppContext, tasks: ModelTasks, home: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.home = home  # where discovery looks (None: the user's home folder)
        self.found: list[FoundModel] = []
        # What the "found" line says now ("intro", "searching", "found", "none", "failed") and a failure's message:
        # kept so a language change can say it again.
        self._search_state, self._search_error = "intro", ""
        self._copying: tuple[int, int, str] | None = None  # the latest copy progress (bytes, of bytes, file name)
        lay = QVBoxLayout(self)
        lay.addWidget(self._build_pick())
        lay.addWidget(self._build_found(), 1)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_SCALE)
        self.progress.hide()
        lay.addWidget(self.progress)
        self.status = StatusLine("importStatus", self)
        lay.addWidget(self.status)
        self.retranslate()

    def retranslate(self) -> None:
        self.pick_box.setTitle(translate("ImportTab", "Import a model you already have"))
        self.formats_label.setText(
            translate(
                "ImportTab",
                "A GGUF file, a Piper voice (.onnx with its .onnx.json), a diffusers folder (model_index.json), a "
                "single .safetensors Stable Diffusion checkpoint, or a transformers folder (config.json). Pickle files "
                "(.bin/.ckpt/.pt/.pth) are imported but stay blocked until you allow them under Installed.",
            )
        )
        self.copy_radio.setText(translate("ImportTab", "Copy it into my models folder"))
        self.link_radio.setText(translate("ImportTab", "Use it where it is (nothing is copied)"))
        self.file_button.setText(translate("ImportTab", "Import a file…"))
        self.folder_button.setText(translate("ImportTab", "Import a folder…"))
        self.found_box.setTitle(translate("ImportTab", "Found on this computer"))
        set_headers(self.found_table, COLUMNS)
        self.use_found_button.setText(translate("ImportTab", "Use in place"))
        self.copy_found_button.setText(translate("ImportTab", "Copy into my models"))
        self.search_button.setText(translate("ImportTab", "Search again"))
        self.add_folder_button.setText(translate("ImportTab", "Add a folder to search…"))
        self._show_search_state()
        self._fill_found()
        self._show_copying()

    def _build_pick(self) -> QGroupBox:
        self.pick_box = pick = QGroupBox(self)
        pick_lay = QVBoxLayout(pick)
        self.formats_label = formats = QLabel(pick)
        formats.setWordWrap(True)
        pick_lay.addWidget(formats)
        mode = QHBoxLayout()
        self.copy_radio = QRadioButton(pick)
        self.link_radio = QRadioButton(pick)
        self.copy_radio.setChecked(True)
        group = QButtonGroup(pick)
        group.addButton(self.copy_radio)
        group.addButton(self.link_radio)
        mode.addWidget(self.copy_radio)
        mode.addWidget(self.link_radio)
        mode.addStretch(1)
        pick_lay.addLayout(mode)
        pick_buttons = QHBoxLayout()
        self.file_button = file_button = QPushButton(pick)
        file_button.clicked.connect(self.choose_import_file)
        self.folder_button = folder_button = QPushButton(pick)
        folder_button.clicked.connect(self.choose_import_folder)
        pick_buttons.addWidget(file_button)
        pick_buttons.addWidget(folder_button)
        pick_buttons.addStretch(1)
        pick_lay.addLayout(pick_buttons)
        return pick

    def _build_found(self) -> QGroupBox:
        self.found_box = found = QGroupBox(self)
        found_lay = QVBoxLayout(found)
        self.found_label = QLabel(found)
        self.found_label.setWordWrap(True)
        found_lay.addWidget(self.found_label)
        self.found_table = table(COLUMNS, stretch=LOCATION_COLUMN, paths=True)
        self.found_table.setObjectName("foundTable")
        found_lay.addWidget(self.found_table, 1)
        found_buttons = QHBoxLayout()
        self.use_found_button = QPushButton(found)
        self.use_found_button.clicked.connect(lambda: self.import_found(link=True))
        self.copy_found_button = QPushButton(found)
        self.copy_found_button.clicked.connect(lambda: self.import_found(link=False))
        self.search_button = QPushButton(found)
        self.search_button.clicked.connect(self.refresh_discovered)
        self.add_folder_button = add_folder = QPushButton(found)
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
            translate("ImportTab", "Import a model file"),
            str(Path.home()),
            translate("ImportTab", "Models (*.gguf *.onnx *.safetensors *.ckpt *.pt *.pth);;All files (*)"),
        )
        if path:
            self.import_path(Path(path), link=self.link_radio.isChecked())

    def choose_import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, translate("ImportTab", "Import a model folder"), str(Path.home()))
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
            show_status(
                self.status, QT_TRANSLATE_NOOP("ImportTab", "Another import is still running; wait for it to finish.")
            )
            return None
        starting = (
            QT_TRANSLATE_NOOP("ImportTab", "Linking {path}…")
            if link
            else QT_TRANSLATE_NOOP("ImportTab", "Copying {path}…")
        )
        show_status(self.status, starting.format(path=path), ok=True)
        self._copying = None
        self.progress.setValue(0)
        self._show_copying()
        self.progress.show()
        task.progress.connect(self._on_import_progress)
        task.finished.connect(self._on_import_finished)
        task.failed.connect(self._on_import_failed)
        task.stopped.connect(
            lambda _c: self._on_import_failed(
                QT_TRANSLATE_NOOP("ImportTab", "The import was stopped; nothing was added.")
            )
        )
        return task

    def _on_import_progress(self, payload: object) -> None:
        if isinstance(payload, tuple) and len(payload) == 3:
            done, total, name = payload
            self._copying = (int(done), int(total), str(name))
            self.progress.setValue(int(done / total * PROGRESS_SCALE) if total else 0)
            self._show_copying()

    def _show_copying(self) -> None:
        if self._copying is None:
            self.progress.setFormat(translate("ImportTab", "Checking the files…"))
            return
        done, total, name = self._copying
        self.progress.setFormat(
            translate("ImportTab", "Copying {name}: {done} of {total}").format(
                name=name, done=format_bytes(done), total=format_bytes(total)
            )
        )

    def _on_import_finished(self, result: object) -> None:
        self.progress.hide()
        entries = [e for e in result if isinstance(e, ModelEntry)] if isinstance(result, list) else []
        names = ", ".join(
            translate("ImportTab", "{name} ({kind}, {backend})").format(
                name=e.name, kind=kind_label(e.kind), backend=e.backend
            )
            for e in entries
        )
        blocked = [e.name for e in entries if e.pickle_only]
        added = QT_TRANSLATE_NOOP("ImportTab", "Added {names}.").format(names=names)
        if blocked:
            added = QT_TRANSLATE_NOOP(
                "ImportTab",
                "Added {names}. {blocked}: pickle weights stay blocked until you allow them under Installed.",
            ).format(names=names, blocked=", ".join(blocked))
        show_status(self.status, added, ok=not blocked)
        self.models_changed.emit(entries[0].id if entries else "")
        self.refresh_discovered()

    def _on_import_failed(self, message: str) -> None:
        self.progress.hide()
        show_status(self.status, message)

    # ------------------------------------------------------------ found on this computer

    def choose_search_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, translate("ImportTab", "Add a folder to search for models"), str(Path.home())
        )
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
        self._search_state = "searching"
        self._show_search_state()
        task.finished.connect(self._on_discovered)
        task.failed.connect(self._on_discover_failed)
        return task

    def _on_discovered(self, result: object) -> None:
        self.search_button.setEnabled(True)
        self.found = [m for m in result if isinstance(m, FoundModel)] if isinstance(result, list) else []
        self._search_state = "found" if self.found else "none"
        self._fill_found()
        self._show_search_state()

    def _fill_found(self) -> None:
        """The found models in the interface language (again after a language change)."""
        self.found_table.setRowCount(len(self.found))
        for r, m in enumerate(self.found):
            status = (
                translate("ImportTab", "in use as {id}").format(id=m.in_use_as)
                if m.in_use_as
                else (translate("ImportTab", "pickle: blocked until allowed") if m.pickle_only else "")
            )
            values = [
                m.name,
                kind_label(m.kind),
                m.backend,
                format_bytes(m.size_bytes),
                tr_msg(m.found_in),
                str(m.path),
                status,
            ]
            for c, text in enumerate(values):
                self.found_table.setItem(r, c, item(text, str(m.path) if c == LOCATION_COLUMN else ""))

    def _show_search_state(self) -> None:
        state = self._search_state
        if state == "searching":
            text = translate("ImportTab", "Searching the Hugging Face cache, LM Studio, ComfyUI and web UI folders…")
        elif state == "found":
            n = len(self.found)  # ClassName.tr(text, None, n): the plural call lupdate marks as numerus
            text = ImportTab.tr("%n model(s) found on this computer. Use one where it is, or copy it.", None, n)  # type: ignore[arg-type]
        elif state == "none":
            text = translate(
                "ImportTab",
                "No models found in the Hugging Face cache, LM Studio, ComfyUI or web UI folders. Add a folder to "
                "search, or import a file or folder above.",
            )
        elif state == "failed":
            text = translate("ImportTab", "Searching failed: {error}").format(error=tr_local(self._search_error))
        else:
            text = translate(
                "ImportTab",
                "Models in the Hugging Face cache, LM Studio, ComfyUI and the Stable Diffusion web UI can be used "
                "where they are.",
            )
        self.found_label.setText(text)

    def _on_discover_failed(self, message: str) -> None:
        self.search_button.setEnabled(True)
        self._search_state, self._search_error = "failed", message
        self._show_search_state()

    def selected_found(self) -> FoundModel | None:
        r = selected_row(self.found_table)
        return self.found[r] if r is not None and r < len(self.found) else None

    def import_found(self, *, link: bool) -> ModelTask | None:
        m = self.selected_found()
        if m is None:
            show_status(self.status, QT_TRANSLATE_NOOP("ImportTab", "Select a model in the list first."))
            return None
        if m.in_use_as:
            show_status(
                self.status,
                QT_TRANSLATE_NOOP("ImportTab", "{name} is already in use as {id}.").format(name=m.name, id=m.in_use_as),
            )
            return None
        return self.import_path(m.path, link=link, found_in=m.found_in)
