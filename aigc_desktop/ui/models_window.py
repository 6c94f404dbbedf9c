"""The Models window: what is installed, what can be downloaded (and whether it fits this machine), and importing
models the user already has. Every slow step (download, copy, scan) runs on a worker thread; the window only shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models import downloads, installed, safety
from aigc_desktop.core.models.catalog import Catalog, CatalogModel, load_catalog
from aigc_desktop.core.models.discover import FoundModel, discover
from aigc_desktop.core.models.downloads import (
    DownloadControl,
    DownloadProgress,
    PendingDownload,
)
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.fit import Hardware, Verdict, check_fit, gb, probe_hardware
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.units import human_bytes, human_duration
from aigc_desktop.state.context import AppContext
from aigc_desktop.workers.model_tasks import ModelTask, ModelTasks

log = logging.getLogger(__name__)

# Which pane a kind of model is the default for (Settings.default_models keys; the Audio pane keeps music apart).
PANE_FOR_KIND: dict[ModelKind, tuple[str, str]] = {
    ModelKind.TEXT: ("document", "Document"),
    ModelKind.IMAGE: ("canvas", "Canvas"),
    ModelKind.SPEECH: ("audio", "Audio (speech)"),
    ModelKind.MUSIC: ("music", "Audio (music)"),
}
KIND_LABEL = {ModelKind.TEXT: "text", ModelKind.IMAGE: "image", ModelKind.SPEECH: "voice", ModelKind.MUSIC: "music"}
SOURCE_LABEL = {
    "embedded": "built in",
    "downloaded": "downloaded",
    "imported": "imported",
    "linked": "linked (in place)",
}
FIT_COLOURS = {Verdict.FITS: "#1b7f3b", Verdict.SLOW: "#9a6700", Verdict.TIGHT: "#9a6700", Verdict.NO: "#b42318"}
FIT_LABEL = {Verdict.FITS: "✓ fits", Verdict.SLOW: "✓ fits, slow", Verdict.TIGHT: "~ tight", Verdict.NO: "✗ too big"}
ERROR_STYLE = "color: #b42318;"
PROGRESS_SCALE = 1000


@dataclass
class _RowState:
    """What the Catalog tab shows for one model besides its catalog data."""

    state: str = "available"  # available | installed | downloading | paused | failed
    progress: DownloadProgress | None = None
    pending: PendingDownload | None = None
    error: str = ""


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(
    columns: list[str], stretch: int, fixed: dict[int, int] | None = None, *, paths: bool = False
) -> QTableWidget:
    """Columns sized to their contents, except `stretch` (takes the room left, long text elided) and `fixed` widths."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    # Paths keep both ends (the folder and the file name); names and licences keep their start.
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle if paths else Qt.TextElideMode.ElideRight)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for col, width in (fixed or {}).items():
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(col, width)
    return table


class ModelsWindow(QDialog):
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
        self.setWindowTitle("Models")
        self.setModal(False)
        self.resize(1100, 660)
        self.home = home  # where discovery looks (None: the user's home folder)
        self.hardware = hardware or probe_hardware(ctx.paths.models_dir)
        self.tasks = ModelTasks(self)
        self.catalog: Catalog | None = None
        self.catalog_error = ""
        self.rows: dict[str, _RowState] = {}
        self.installed_entries: list[ModelEntry] = []
        self.found: list[FoundModel] = []

        outer = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setObjectName("offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #eef4ff; border: 1px solid #c6d7f5; border-radius: 4px; padding: 6px;")
        outer.addWidget(self.banner)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("modelsTabs")
        self.tabs.addTab(self._build_installed_tab(), "Installed")
        self.tabs.addTab(self._build_catalog_tab(), "Catalog")
        self.tabs.addTab(self._build_import_tab(), "Import")
        outer.addWidget(self.tabs, 1)

        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.tasks.shutdown)  # pause downloads: they resume on the next start
        self.refresh_installed()
        self.refresh_catalog()
        self._update_banner()

    # ------------------------------------------------------------ the banner: what works offline

    def _update_banner(self) -> None:
        built_in = [e.name for e in self.installed_entries if e.source == "embedded"]
        offline = (
            f"Works offline: {', '.join(built_in)} (built in), and every model you download or import."
            if built_in
            else ("Works offline: every model you download or import.")
        )
        host = urlparse(_endpoint()).netloc or "the Hugging Face Hub"
        self.banner.setText(f"{offline} Downloading from the catalog needs an internet connection (to {host}).")

    # ------------------------------------------------------------ Installed

    def _build_installed_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.installed_table = _table(
            ["Name", "Kind", "Backend", "Size", "Licence", "Source", "Default for", "Safety", "Location"],
            stretch=8,
            fixed={4: 170},
            paths=True,
        )
        self.installed_table.setObjectName("installedTable")
        self.installed_table.itemSelectionChanged.connect(self._update_installed_buttons)
        lay.addWidget(self.installed_table, 1)
        buttons = QHBoxLayout()
        self.default_button = QPushButton("Set as default for its pane", tab)
        self.default_button.clicked.connect(self.set_default_selected)
        self.open_button = QPushButton("Open folder", tab)
        self.open_button.clicked.connect(self.open_selected_folder)
        self.pickle_button = QPushButton("Allow pickle weights…", tab)
        self.pickle_button.setToolTip(safety.PICKLE_EXPLANATION)
        self.pickle_button.clicked.connect(self.toggle_pickle_selected)
        self.remove_button = QPushButton("Remove…", tab)
        self.remove_button.clicked.connect(self.remove_selected)
        refresh = QPushButton("Refresh", tab)
        refresh.clicked.connect(self.refresh_installed)
        for b in (self.default_button, self.open_button, self.pickle_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        lay.addLayout(buttons)
        self.installed_status = QLabel(tab)
        self.installed_status.setObjectName("installedStatus")
        self.installed_status.setWordWrap(True)
        lay.addWidget(self.installed_status)
        return tab

    def refresh_installed(self) -> None:
        selected = self.selected_entry()
        self.installed_entries = self.ctx.registry.entries()
        defaults = self.ctx.settings.values.default_models
        table = self.installed_table
        table.setRowCount(len(self.installed_entries))
        for row, e in enumerate(self.installed_entries):
            pane_key, pane_label = PANE_FOR_KIND.get(e.kind, ("", ""))
            is_default = bool(pane_key) and defaults.get(pane_key) == e.id
            if e.pickle_only:
                allowed = safety.pickle_consented(e, self.ctx.paths)
                safe = "pickle: allowed" if allowed else "pickle: blocked"
                safe_tip = safety.PICKLE_EXPLANATION
            else:
                safe, safe_tip = "safe format", "safetensors, GGUF or ONNX: loading cannot run code"
            values = [
                (e.name, f"{e.id}\n{e.path}"),
                (KIND_LABEL.get(e.kind, e.kind.value), ""),
                (e.backend, ""),
                (human_bytes(e.size_bytes), ""),
                (e.licence, ""),
                (SOURCE_LABEL.get(e.source, e.source), ""),
                (pane_label if is_default else "", ""),
                (safe, safe_tip),
                (str(e.path), str(e.path)),
            ]
            items = [_item(text, tip) for text, tip in values]
            items[0].setData(Qt.ItemDataRole.UserRole, e.id)
            if e.pickle_only:
                items[7].setForeground(QColor("#b42318" if safe.endswith("blocked") else "#9a6700"))
            for col, item in enumerate(items):
                table.setItem(row, col, item)
        if selected is not None:
            self.select_installed(selected.id)
        self._update_installed_buttons()
        self._update_banner()

    def select_installed(self, model_id: str) -> bool:
        for row, e in enumerate(self.installed_entries):
            if e.id == model_id:
                self.installed_table.selectRow(row)
                return True
        return False

    def selected_entry(self) -> ModelEntry | None:
        if not hasattr(self, "installed_table"):
            return None
        rows = self.installed_table.selectionModel().selectedRows() if self.installed_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.installed_entries):
            return None
        return self.installed_entries[rows[0].row()]

    def _update_installed_buttons(self) -> None:
        e = self.selected_entry()
        self.default_button.setEnabled(e is not None and e.kind in PANE_FOR_KIND)
        self.open_button.setEnabled(e is not None)
        self.remove_button.setEnabled(e is not None and e.source != "embedded")
        self.remove_button.setToolTip(
            "Built-in models are part of the app and cannot be removed."
            if e is not None and e.source == "embedded"
            else "Delete the model (a linked one is only forgotten; its files stay)"
        )
        can = e is not None and safety.can_consent(e)
        self.pickle_button.setEnabled(can)
        allowed = e is not None and e.pickle_only and safety.pickle_consented(e, self.ctx.paths)
        self.pickle_button.setText("Refuse pickle weights" if allowed else "Allow pickle weights…")

    def set_default_selected(self) -> None:
        e = self.selected_entry()
        if e is None or e.kind not in PANE_FOR_KIND:
            return
        pane_key, pane_label = PANE_FOR_KIND[e.kind]
        if e.pickle_only and not (safety.can_consent(e) and safety.pickle_consented(e, self.ctx.paths)):
            self._status(
                self.installed_status, f"{e.name} has only pickle weights, which are blocked; allow them first."
            )
            return
        self.ctx.settings.set_default_model(pane_key, e.id)
        self.refresh_installed()
        self._status(self.installed_status, f"{e.name} is now the default model of the {pane_label} pane.", ok=True)
        self.models_changed.emit()

    def folder_of(self, e: ModelEntry) -> Path:
        return e.path if e.path.is_dir() else e.path.parent

    def open_selected_folder(self) -> None:
        e = self.selected_entry()
        if e is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder_of(e))))

    def toggle_pickle_selected(self) -> None:
        e = self.selected_entry()
        if e is None or not safety.can_consent(e):
            return
        allowed = safety.pickle_consented(e, self.ctx.paths)
        if not allowed and not self.confirm(
            "Allow pickle weights?",
            f"{e.name}\n\n{safety.PICKLE_EXPLANATION}\n\nAllow loading this model's pickle weights?",
        ):
            return
        # Saved straight away: the engines read the consent from the settings file when they load.
        self.ctx.settings.set_pickle_consent(e, not allowed)
        self.refresh_installed()
        verb = "no longer allowed" if allowed else "allowed (loaded with weights_only=True)"
        self._status(self.installed_status, f"Pickle weights of {e.name} are {verb}.", ok=True)
        self.models_changed.emit()

    def remove_selected(self) -> bool:
        e = self.selected_entry()
        if e is None:
            return False
        if e.source == "embedded":
            self._status(self.installed_status, f"{e.name} is built into the app and cannot be removed.")
            return False
        question = (
            f"Stop using {e.name}? Its files in {e.path} stay where they are."
            if e.source == "linked"
            else f"Delete {e.name} ({human_bytes(e.size_bytes)}) from {self.folder_of(e)}? This cannot be undone."
        )
        if not self.confirm("Remove model", question):
            return False
        try:
            message = installed.remove_model(self.ctx.registry.models_dir, e)
        except (UserError, OSError) as exc:
            self._status(self.installed_status, str(exc))
            return False
        for pane_key, model_id in self.ctx.settings.values.default_models.items():
            if model_id == e.id:
                self.ctx.settings.set_default_model(pane_key, None)
        self._status(self.installed_status, message, ok=True)
        self._models_changed()
        return True

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------ Catalog

    def _build_catalog_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        self.hardware_label = QLabel(tab)
        self.hardware_label.setObjectName("hardwareLabel")
        self.hardware_label.setWordWrap(True)
        lay.addWidget(self.hardware_label)
        self.catalog_table = _table(
            ["Model", "Kind", "Size", "Licence", "Languages", "This machine", "Status"],
            stretch=6,
            fixed={3: 170, 4: 90},
        )
        self.catalog_table.setObjectName("catalogTable")
        self.catalog_table.itemSelectionChanged.connect(self._catalog_selection_changed)
        lay.addWidget(self.catalog_table, 1)
        self.catalog_details = QLabel(tab)
        self.catalog_details.setObjectName("catalogDetails")
        self.catalog_details.setWordWrap(True)
        self.catalog_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.catalog_details.setOpenExternalLinks(True)
        lay.addWidget(self.catalog_details)
        buttons = QHBoxLayout()
        self.download_button = QPushButton("Download", tab)
        self.download_button.clicked.connect(lambda: self._on_selected_model(self.start_download))
        self.pause_button = QPushButton("Pause", tab)
        self.pause_button.clicked.connect(lambda: self._on_selected_model(self.pause_download))
        self.cancel_button = QPushButton("Cancel download", tab)
        self.cancel_button.clicked.connect(lambda: self._on_selected_model(self.cancel_download))
        for b in (self.download_button, self.pause_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.catalog_status = QLabel(tab)
        self.catalog_status.setObjectName("catalogStatus")
        self.catalog_status.setWordWrap(True)
        lay.addWidget(self.catalog_status)
        return tab

    def refresh_catalog(self) -> None:
        try:
            self.catalog = load_catalog()
            self.catalog_error = ""
        except UserError as exc:
            self.catalog, self.catalog_error = None, str(exc)
        self.hardware_label.setText(self.hardware.summary() + " " + _fit_legend())
        models = self.catalog.models if self.catalog else ()
        models_dir = self.ctx.registry.models_dir
        pending = {p.model_id: p for p in downloads.pending_downloads(models_dir)}
        for model in models:
            row = self.rows.setdefault(model.id, _RowState())
            if row.state == "downloading" and self.tasks.get(_key(model.id)) is not None:
                continue
            row.pending = pending.get(model.id)
            if downloads.is_installed(models_dir, model):
                row.state = "installed"
            elif row.pending is not None:
                row.state = "paused" if row.state != "failed" else "failed"
            elif row.state != "failed":
                row.state = "available"
        table = self.catalog_table
        selected = self.selected_catalog_model()
        table.setRowCount(len(models))
        for r, model in enumerate(models):
            self._fill_catalog_row(r, model)
        if selected is not None:
            self.select_catalog(selected.id)
        if self.catalog_error:
            self._status(self.catalog_status, self.catalog_error)
        elif not self.catalog_status.text():
            paused = [s.pending.name for s in self.rows.values() if s.state == "paused" and s.pending is not None]
            if paused:
                self._status(
                    self.catalog_status,
                    f"Unfinished download{'s' if len(paused) > 1 else ''} from before: {', '.join(paused)}. "
                    "Select it and press Resume to continue where it stopped.",
                    ok=True,
                )
        self._catalog_selection_changed()

    def _fill_catalog_row(self, r: int, model: CatalogModel) -> None:
        table = self.catalog_table
        state = self.rows.setdefault(model.id, _RowState())
        already = state.pending.done if state.pending else 0
        fit = check_fit(model, self.hardware, already)
        size = gb(model.download_bytes) if model.download_bytes >= 1024**3 else human_bytes(model.download_bytes)
        size_tip = "Exact size" if model.sizes_known else "Approximate: the exact sizes come from the Hub at download"
        name = _item(model.name, f"{model.id} · {model.repo}\n{model.description}")
        name.setData(Qt.ItemDataRole.UserRole, model.id)
        table.setItem(r, 0, name)
        table.setItem(r, 1, _item(KIND_LABEL.get(model.kind, model.kind.value), model.backend))
        table.setItem(r, 2, _item(size if model.sizes_known else f"≈ {size}", size_tip))
        table.setItem(r, 3, _item(model.licence, model.licence_url))
        table.setItem(
            r,
            4,
            _item(
                ", ".join(model.languages[:4]) + (" …" if len(model.languages) > 4 else ""), ", ".join(model.languages)
            ),
        )
        fit_item = _item(FIT_LABEL[fit.verdict], fit.reason)
        fit_item.setForeground(QColor(FIT_COLOURS[fit.verdict]))
        table.setItem(r, 5, fit_item)
        self._fill_status_cell(r, model, state)

    def _fill_status_cell(self, r: int, model: CatalogModel, state: _RowState) -> None:
        table = self.catalog_table
        if state.state in ("downloading", "paused") or (state.state == "failed" and state.pending is not None):
            bar = table.cellWidget(r, 6)
            if not isinstance(bar, QProgressBar):
                bar = QProgressBar()
                bar.setObjectName(f"progress:{model.id}")
                bar.setRange(0, PROGRESS_SCALE)
                bar.setTextVisible(True)
                table.setItem(r, 6, _item(""))
                table.setCellWidget(r, 6, bar)
            if state.state == "downloading" and state.progress is not None:
                p = state.progress
                bar.setValue(int(p.fraction * PROGRESS_SCALE))
                bar.setFormat(_bar_text(p))
                bar.setToolTip(f"{p.file} ({p.file_index} of {p.file_count})" if p.file else p.message)
            elif state.state == "downloading":
                bar.setValue(0)
                bar.setFormat("Starting…")
            else:
                pending = state.pending
                fraction = pending.fraction if pending else 0.0
                bar.setValue(int(fraction * PROGRESS_SCALE))
                got = f"{human_bytes(pending.done)} of {human_bytes(pending.total)}" if pending else ""
                if state.state == "failed":
                    bar.setFormat(f"Stopped at {fraction * 100:.0f}%: {state.error}")
                    bar.setToolTip(state.error)
                else:
                    bar.setFormat(f"Paused at {fraction * 100:.0f}% · {got}")
                    bar.setToolTip("What was downloaded is kept, even if the app is closed. Resume continues it.")
            return
        table.removeCellWidget(r, 6)
        text = {"installed": "✓ Installed", "available": "", "failed": f"Failed: {state.error}"}.get(state.state, "")
        item = _item(text, state.error)
        if state.state == "failed":
            item.setForeground(QColor("#b42318"))
        table.setItem(r, 6, item)

    def select_catalog(self, model_id: str) -> bool:
        for r in range(self.catalog_table.rowCount()):
            item = self.catalog_table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == model_id:
                self.catalog_table.selectRow(r)
                return True
        return False

    def selected_catalog_model(self) -> CatalogModel | None:
        if self.catalog is None or self.catalog_table.selectionModel() is None:
            return None
        rows = self.catalog_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.catalog_table.item(rows[0].row(), 0)
        return self.catalog.find(str(item.data(Qt.ItemDataRole.UserRole))) if item is not None else None

    def _catalog_selection_changed(self) -> None:
        model = self.selected_catalog_model()
        state = self.rows.get(model.id, _RowState()) if model else _RowState()
        running = model is not None and self.tasks.get(_key(model.id)) is not None
        self.download_button.setEnabled(model is not None and state.state != "installed" and not running)
        self.download_button.setText("Resume" if state.pending is not None and not running else "Download")
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running or state.pending is not None)
        if model is None:
            self.catalog_details.setText("Select a model to see what it is and whether it fits this machine.")
            return
        fit = check_fit(model, self.hardware, state.pending.done if state.pending else 0)
        notes = f"<br><i>{_html(model.notes)}</i>" if model.notes else ""
        link = f' — <a href="{model.licence_url}">licence</a>' if model.licence_url else ""
        self.catalog_details.setText(
            f"<b>{_html(model.name)}</b> ({_html(model.repo)}): {_html(model.description)}<br>"
            f"{_html(fit.reason)}{link}{notes}"
        )

    def _on_selected_model(self, action: object) -> None:
        model = self.selected_catalog_model()
        if model is not None and callable(action):
            action(model.id)

    def start_download(self, model_id: str) -> ModelTask | None:
        """Download (or resume) a catalog model on a worker thread; the row shows live progress."""
        if self.catalog is None:
            return None
        model = self.catalog.get(model_id)
        state = self.rows.setdefault(model_id, _RowState())
        models_dir = self.ctx.registry.models_dir
        fit = check_fit(model, self.hardware, state.pending.done if state.pending else 0)
        if fit.verdict is Verdict.NO and "disk" in fit.reason:
            self._status(self.catalog_status, f"{model.name}: {fit.reason}")
            return None

        def run(report: object, control: DownloadControl) -> object:
            return downloads.download_model(models_dir, model, report, control)  # type: ignore[arg-type]

        try:
            task = self.tasks.start(_key(model_id), run)
        except UserError as exc:
            self._status(self.catalog_status, str(exc))
            return None
        state.state, state.progress, state.error = "downloading", None, ""
        task.progress.connect(lambda p, m=model: self._on_download_progress(m, p))
        task.finished.connect(lambda _r, m=model: self._on_download_finished(m))
        task.failed.connect(lambda msg, m=model: self._on_download_failed(m, msg))
        task.stopped.connect(lambda cancelled, m=model: self._on_download_stopped(m, cancelled))
        self._refresh_catalog_row(model)
        self._status(self.catalog_status, f"Downloading {model.name} from {model.repo}…", ok=True)
        return task

    def pause_download(self, model_id: str) -> None:
        task = self.tasks.get(_key(model_id))
        if task is not None:
            task.pause()

    def cancel_download(self, model_id: str) -> None:
        task = self.tasks.get(_key(model_id))
        if task is not None:
            task.cancel()
            return
        state = self.rows.get(model_id)
        if state is not None and state.pending is not None:
            try:
                downloads.discard_download(self.ctx.registry.models_dir, model_id)
            except UserError as exc:
                self._status(self.catalog_status, str(exc))
                return
            state.pending, state.state, state.error = None, "available", ""
            self._status(self.catalog_status, f"Deleted the unfinished download of {model_id}.", ok=True)
            self.refresh_catalog()

    def _on_download_progress(self, model: CatalogModel, progress: object) -> None:
        if not isinstance(progress, DownloadProgress):
            return
        state = self.rows.setdefault(model.id, _RowState())
        state.progress = progress
        r = self._catalog_row(model.id)
        if r is not None:
            self._fill_status_cell(r, model, state)

    def _on_download_finished(self, model: CatalogModel) -> None:
        state = self.rows.setdefault(model.id, _RowState())
        state.state, state.pending, state.progress = "installed", None, None
        self._status(
            self.catalog_status, f"Installed {model.name}; it is listed under Installed and in its pane.", ok=True
        )
        self._models_changed()
        self.select_installed(model.id)

    def _on_download_failed(self, model: CatalogModel, message: str) -> None:
        state = self.rows.setdefault(model.id, _RowState())
        state.state, state.error, state.progress = "failed", message, None
        self._status(self.catalog_status, message)
        self.refresh_catalog()

    def _on_download_stopped(self, model: CatalogModel, cancelled: bool) -> None:
        state = self.rows.setdefault(model.id, _RowState())
        state.state, state.progress = ("available" if cancelled else "paused"), None
        what = (
            "Cancelled; the partial download was deleted."
            if cancelled
            else "Paused; Resume continues it, even after a restart."
        )
        self._status(self.catalog_status, f"{model.name}: {what}", ok=True)
        self.refresh_catalog()

    def _refresh_catalog_row(self, model: CatalogModel) -> None:
        r = self._catalog_row(model.id)
        if r is not None:
            self._fill_catalog_row(r, model)
        self._catalog_selection_changed()

    def _catalog_row(self, model_id: str) -> int | None:
        for r in range(self.catalog_table.rowCount()):
            item = self.catalog_table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == model_id:
                return r
        return None

    # ------------------------------------------------------------ Import

    def _build_import_tab(self) -> QWidget:
        tab = QWidget(self)
        lay = QVBoxLayout(tab)
        pick = QGroupBox("Import a model you already have", tab)
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
        lay.addWidget(pick)

        found = QGroupBox("Found on this computer", tab)
        found_lay = QVBoxLayout(found)
        self.found_label = QLabel(
            "Models in the Hugging Face cache, LM Studio, ComfyUI and the Stable Diffusion web UI can be used where "
            "they are.",
            found,
        )
        self.found_label.setWordWrap(True)
        found_lay.addWidget(self.found_label)
        self.found_table = _table(
            ["Name", "Kind", "Backend", "Size", "Found in", "Location", "Status"], stretch=5, paths=True
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
        lay.addWidget(found, 1)

        self.import_progress = QProgressBar(tab)
        self.import_progress.setRange(0, PROGRESS_SCALE)
        self.import_progress.hide()
        lay.addWidget(self.import_progress)
        self.import_status = QLabel(tab)
        self.import_status.setObjectName("importStatus")
        self.import_status.setWordWrap(True)
        lay.addWidget(self.import_status)
        return tab

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

    def choose_search_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a folder to search for models", str(Path.home()))
        if path:
            self.add_search_folder(Path(path))

    def add_search_folder(self, folder: Path) -> None:
        paths = self.ctx.settings.values.model_search_paths
        if str(folder) not in paths:
            self.ctx.settings.set("model_search_paths", [*paths, str(folder)])
        self.refresh_discovered()

    def import_path(self, path: Path, *, link: bool, found_in: str = "") -> ModelTask | None:
        """Check and import `path` on a worker thread (copying can take minutes); Installed lists it when done."""
        registry = self.ctx.registry

        def run(report: object, control: DownloadControl) -> object:
            from aigc_desktop.core.models.importer import import_model

            def progress(done: int, total: int, name: str) -> None:
                report((done, total, name))  # type: ignore[operator]

            return import_model(registry, path, link=link, found_in=found_in, on_progress=progress, control=control)

        try:
            task = self.tasks.start("import", run)
        except UserError:
            self._status(self.import_status, "Another import is still running; wait for it to finish.")
            return None
        self._status(self.import_status, f"{'Linking' if link else 'Copying'} {path}…", ok=True)
        self.import_progress.setValue(0)
        self.import_progress.setFormat("Checking the files…")
        self.import_progress.show()
        task.progress.connect(self._on_import_progress)
        task.finished.connect(self._on_import_finished)
        task.failed.connect(self._on_import_failed)
        task.stopped.connect(lambda _c: self._on_import_failed("The import was stopped; nothing was added."))
        return task

    def _on_import_progress(self, payload: object) -> None:
        if isinstance(payload, tuple) and len(payload) == 3:
            done, total, name = payload
            self.import_progress.setValue(int(done / total * PROGRESS_SCALE) if total else 0)
            self.import_progress.setFormat(f"Copying {name}: {human_bytes(done)} of {human_bytes(total)}")

    def _on_import_finished(self, result: object) -> None:
        self.import_progress.hide()
        entries = [e for e in result if isinstance(e, ModelEntry)] if isinstance(result, list) else []
        names = ", ".join(f"{e.name} ({KIND_LABEL.get(e.kind, e.kind.value)}, {e.backend})" for e in entries)
        blocked = [e.name for e in entries if e.pickle_only]
        note = (
            f" {', '.join(blocked)}: pickle weights stay blocked until you allow them under Installed."
            if blocked
            else ""
        )
        self._status(self.import_status, f"Added {names}.{note}", ok=not blocked)
        self._models_changed()
        if entries:
            self.select_installed(entries[0].id)
        self.refresh_discovered()

    def _on_import_failed(self, message: str) -> None:
        self.import_progress.hide()
        self._status(self.import_status, message)

    def refresh_discovered(self) -> ModelTask | None:
        """Scan the usual places on a worker thread (big trees take seconds)."""
        registry = self.ctx.registry
        home = self.home
        extra = [Path(p) for p in self.ctx.settings.values.model_search_paths]

        def run(report: object, control: DownloadControl) -> object:
            return discover(registry, home=home, extra=extra)

        try:
            task = self.tasks.start("discover", run)
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
        table = self.found_table
        table.setRowCount(len(self.found))
        for r, m in enumerate(self.found):
            status = (
                f"in use as {m.in_use_as}"
                if m.in_use_as
                else ("pickle: blocked until allowed" if m.pickle_only else "")
            )
            values = [
                m.name,
                KIND_LABEL.get(m.kind, m.kind.value),
                m.backend,
                human_bytes(m.size_bytes),
                m.found_in,
                str(m.path),
                status,
            ]
            for c, text in enumerate(values):
                table.setItem(r, c, _item(text, str(m.path) if c == 5 else ""))
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
        rows = self.found_table.selectionModel().selectedRows() if self.found_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.found):
            return None
        return self.found[rows[0].row()]

    def import_found(self, *, link: bool) -> ModelTask | None:
        m = self.selected_found()
        if m is None:
            self._status(self.import_status, "Select a model in the list first.")
            return None
        if m.in_use_as:
            self._status(self.import_status, f"{m.name} is already in use as {m.in_use_as}.")
            return None
        return self.import_path(m.path, link=link, found_in=m.found_in)

    # ------------------------------------------------------------ shared

    def showEvent(self, event: object) -> None:  # type: ignore[override]
        super().showEvent(event)  # type: ignore[arg-type]
        if not self.found and self.tasks.get("discover") is None:
            self.refresh_discovered()

    def _models_changed(self) -> None:
        self.refresh_installed()
        self.refresh_catalog()
        self.models_changed.emit()

    def _status(self, label: QLabel, text: str, *, ok: bool = False) -> None:
        label.setStyleSheet("" if ok else ERROR_STYLE)
        label.setText(text)


def _bar_text(p: DownloadProgress) -> str:
    """The progress bar's text: short enough for the Status column (the CLI prints the long form)."""
    if p.message and not p.done:
        return p.message
    parts = [f"{p.fraction * 100:.0f}%", f"{human_bytes(p.done)} of {human_bytes(p.total)}"]
    if p.speed:
        parts.append(f"{human_bytes(int(p.speed))}/s")
    if p.eta_s is not None:
        parts.append(f"{human_duration(p.eta_s)} left")
    elif p.message:
        parts.append(p.message)
    return " · ".join(parts)


def _key(model_id: str) -> str:
    return f"download:{model_id}"


def _endpoint() -> str:
    import os

    return os.environ.get("HF_ENDPOINT", "").strip() or "https://huggingface.co"


def _fit_legend() -> str:
    return "Sizes marked ≈ are estimates; the exact ones come from the Hub when the download starts."


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
