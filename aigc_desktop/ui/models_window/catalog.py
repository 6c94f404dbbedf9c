"""The Catalog tab: the models the app offers to download, whether each fits this machine, and their downloads.

Each catalog model has a DownloadRow (core/models/download_state.py) that the worker's signals and the buttons move
through its transitions; this tab only renders it (a progress bar while something is kept or running, a word
otherwise).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import download_staging, downloads
from aigc_desktop.core.models.catalog import Catalog, CatalogModel, load_catalog
from aigc_desktop.core.models.download_control import DownloadControl, DownloadProgress
from aigc_desktop.core.models.download_state import DownloadRow, DownloadState
from aigc_desktop.core.models.fit import GIB, Hardware, Shortage, Verdict, check_fit
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.i18n import Retranslating, current_language, tr_msg, translate
from aigc_desktop.ui.models_window.common import (
    ERROR_COLOUR,
    PROGRESS_SCALE,
    WARNING_COLOUR,
    StatusLine,
    item,
    kind_label,
    selected_row,
    set_headers,
    show_status,
    table,
)
from aigc_desktop.ui.units import format_bytes, format_duration, format_gb, format_percent, format_speed, tr_local
from aigc_desktop.workers.model_tasks import ModelTask, ModelTasks

FIT_COLOURS = {
    Verdict.FITS: "#1b7f3b",
    Verdict.SLOW: WARNING_COLOUR,
    Verdict.TIGHT: WARNING_COLOUR,
    Verdict.NO: ERROR_COLOUR,
}
FIT_LABEL = {
    Verdict.FITS: QT_TRANSLATE_NOOP("CatalogTab", "✓ fits"),
    Verdict.SLOW: QT_TRANSLATE_NOOP("CatalogTab", "✓ fits, slow"),
    Verdict.TIGHT: QT_TRANSLATE_NOOP("CatalogTab", "~ tight"),
    Verdict.NO: QT_TRANSLATE_NOOP("CatalogTab", "✗ too big"),
}
FIT_LEGEND = QT_TRANSLATE_NOOP(
    "CatalogTab", "Sizes marked ≈ are estimates; the exact ones come from the Hub when the download starts."
)
COLUMNS = (
    QT_TRANSLATE_NOOP("CatalogTab", "Model"),
    QT_TRANSLATE_NOOP("CatalogTab", "Kind"),
    QT_TRANSLATE_NOOP("CatalogTab", "Size"),
    QT_TRANSLATE_NOOP("CatalogTab", "Licence"),
    QT_TRANSLATE_NOOP("CatalogTab", "Languages"),
    QT_TRANSLATE_NOOP("CatalogTab", "This machine"),
    QT_TRANSLATE_NOOP("CatalogTab", "Status"),
)
FIT_COLUMN = 5
STATUS_COLUMN = 6
STATUS_TEXT = {DownloadState.INSTALLED: QT_TRANSLATE_NOOP("CatalogTab", "✓ Installed"), DownloadState.AVAILABLE: ""}


class CatalogTab(Retranslating, QWidget):
    models_changed = Signal(str)  # a download was installed (the argument: its model id, to show under Installed)

    def __init__(self, ctx: AppContext, tasks: ModelTasks, hardware: Hardware, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.hardware = hardware
        self.catalog: Catalog | None = None
        self.catalog_error = ""
        self.rows: dict[str, DownloadRow] = {}
        lay = QVBoxLayout(self)
        self.hardware_label = QLabel(self)
        self.hardware_label.setObjectName("hardwareLabel")
        self.hardware_label.setWordWrap(True)
        lay.addWidget(self.hardware_label)
        self.table = table(COLUMNS, stretch=STATUS_COLUMN, fixed={3: 170, 4: 90})
        self.table.setObjectName("catalogTable")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        lay.addWidget(self.table, 1)
        self.details = QLabel(self)
        self.details.setObjectName("catalogDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.details.setOpenExternalLinks(True)
        lay.addWidget(self.details)
        buttons = QHBoxLayout()
        self.download_button = QPushButton(self)
        self.download_button.clicked.connect(lambda: self._on_selected_model(self.start_download))
        self.pause_button = QPushButton(self)
        self.pause_button.clicked.connect(lambda: self._on_selected_model(self.pause_download))
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(lambda: self._on_selected_model(self.cancel_download))
        for b in (self.download_button, self.pause_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.status = StatusLine("catalogStatus", self)
        lay.addWidget(self.status)
        self.retranslate()

    def retranslate(self) -> None:
        set_headers(self.table, COLUMNS)
        self.hardware_label.setText(
            translate("CatalogTab", "{machine} {legend}").format(
                machine=tr_local(self.hardware.summary()), legend=tr_msg(FIT_LEGEND)
            )
        )
        self.pause_button.setText(translate("CatalogTab", "Pause"))
        self.cancel_button.setText(translate("CatalogTab", "Cancel download"))
        models = self.catalog.models if self.catalog else ()
        for r, model in enumerate(models[: self.table.rowCount()]):
            self._fill_row(r, model)
        self._selection_changed()

    def row(self, model_id: str) -> DownloadRow:
        return self.rows.setdefault(model_id, DownloadRow())

    # ------------------------------------------------------------ showing

    def refresh(self) -> None:
        """Read the catalog and the models folder again; a download running now keeps its row."""
        try:
            self.catalog = load_catalog()
            self.catalog_error = ""
        except UserError as exc:
            self.catalog, self.catalog_error = None, exc.message
        models = self.catalog.models if self.catalog else ()
        models_dir = self.ctx.registry.models_dir
        pending = {p.model_id: p for p in download_staging.pending_downloads(models_dir)}
        for model in models:
            row = self.row(model.id)
            if row.state is not DownloadState.DOWNLOADING:
                row.sync(installed=download_staging.is_installed(models_dir, model), pending=pending.get(model.id))
        selected = self.selected_model()
        self.table.setRowCount(len(models))
        for r, model in enumerate(models):
            self._fill_row(r, model)
        if selected is not None:
            self.select(selected.id)
        if self.catalog_error:
            show_status(self.status, self.catalog_error)
        elif not self.status.message:
            paused = [
                row.pending.name
                for row in self.rows.values()
                if row.state is DownloadState.PAUSED and row.pending is not None
            ]
            if paused:
                unfinished = (
                    QT_TRANSLATE_NOOP(
                        "CatalogTab",
                        "Unfinished downloads from before: {names}. Select one and press Resume to continue where "
                        "it stopped.",
                    )
                    if len(paused) > 1
                    else QT_TRANSLATE_NOOP(
                        "CatalogTab",
                        "Unfinished download from before: {names}. Select it and press Resume to continue where it "
                        "stopped.",
                    )
                )
                show_status(self.status, unfinished.format(names=", ".join(paused)), ok=True)
        self._selection_changed()

    def _fill_row(self, r: int, model: CatalogModel) -> None:
        row = self.row(model.id)
        fit = check_fit(model, self.hardware, row.pending.done if row.pending else 0)
        size = format_gb(model.download_bytes) if model.download_bytes >= GIB else format_bytes(model.download_bytes)
        size_tip = (
            translate("CatalogTab", "Exact size")
            if model.sizes_known
            else translate("CatalogTab", "Approximate: the exact sizes come from the Hub at download")
        )
        description = model.description_in(current_language())
        name = item(model.name, f"{model.id} · {model.repo}\n{description}")
        name.setData(Qt.ItemDataRole.UserRole, model.id)
        languages = ", ".join(model.languages[:4]) + (" …" if len(model.languages) > 4 else "")
        # Each language by its own name (as the language menu names them): readable whatever the interface says.
        language_names = ", ".join(QLocale(code).nativeLanguageName() or code for code in model.languages)
        self.table.setItem(r, 0, name)
        self.table.setItem(r, 1, item(kind_label(model.kind), model.backend))
        self.table.setItem(r, 2, item(size if model.sizes_known else f"≈ {size}", size_tip))
        self.table.setItem(r, 3, item(model.licence, model.licence_url))
        self.table.setItem(r, 4, item(languages, language_names))
        reason = tr_local(fit.reason)
        if model.needs_online is not None:  # said before the download, beside whether it fits
            reason = f"{reason}\n{tr_local(model.needs_online.describe())}"
        fit_item = item(tr_msg(FIT_LABEL[fit.verdict]), reason)
        fit_item.setForeground(QColor(FIT_COLOURS[fit.verdict]))
        self.table.setItem(r, FIT_COLUMN, fit_item)
        self._fill_status_cell(r, model, row)

    def _fill_status_cell(self, r: int, model: CatalogModel, row: DownloadRow) -> None:
        """A progress bar while the download runs or part of it is kept; a word otherwise."""
        state = row.state
        if state in (DownloadState.DOWNLOADING, DownloadState.PAUSED) or (
            state is DownloadState.FAILED and row.resumable
        ):
            self._fill_bar(self._bar(r, model), row)
            return
        self.table.removeCellWidget(r, STATUS_COLUMN)
        failed = state is DownloadState.FAILED
        error = tr_local(row.error)
        text = translate("CatalogTab", "Failed: {error}").format(error=error) if failed else tr_msg(STATUS_TEXT[state])
        cell = item(text, error)
        if failed:
            cell.setForeground(QColor(ERROR_COLOUR))
        self.table.setItem(r, STATUS_COLUMN, cell)

    def _bar(self, r: int, model: CatalogModel) -> QProgressBar:
        bar = self.table.cellWidget(r, STATUS_COLUMN)
        if isinstance(bar, QProgressBar):
            return bar
        bar = QProgressBar()
        bar.setObjectName(f"progress:{model.id}")
        bar.setRange(0, PROGRESS_SCALE)
        bar.setTextVisible(True)
        self.table.setItem(r, STATUS_COLUMN, item(""))
        self.table.setCellWidget(r, STATUS_COLUMN, bar)
        return bar

    @staticmethod
    def _fill_bar(bar: QProgressBar, row: DownloadRow) -> None:
        if row.state is DownloadState.DOWNLOADING:
            p = row.progress
            if p is None:
                bar.setValue(0)
                bar.setFormat(translate("CatalogTab", "Starting…"))
                return
            bar.setValue(int(p.fraction * PROGRESS_SCALE))
            bar.setFormat(bar_text(p))
            bar.setToolTip(
                translate("CatalogTab", "{file} ({index} of {count})").format(
                    file=p.file, index=p.file_index, count=p.file_count
                )
                if p.file
                else tr_local(p.message)
            )
            return
        pending = row.pending
        fraction = pending.fraction if pending else 0.0
        bar.setValue(int(fraction * PROGRESS_SCALE))
        if row.state is DownloadState.FAILED:
            error = tr_local(row.error)
            bar.setFormat(
                translate("CatalogTab", "Stopped at {percent}: {error}").format(
                    percent=format_percent(fraction), error=error
                )
            )
            bar.setToolTip(error)
        else:
            got = (
                translate("CatalogTab", "{done} of {total}").format(
                    done=format_bytes(pending.done), total=format_bytes(pending.total)
                )
                if pending
                else ""
            )
            bar.setFormat(
                translate("CatalogTab", "Paused at {percent} · {got}").format(percent=format_percent(fraction), got=got)
            )
            bar.setToolTip(
                translate("CatalogTab", "What was downloaded is kept, even if the app is closed. Resume continues it.")
            )

    def select(self, model_id: str) -> bool:
        r = self.row_index(model_id)
        if r is None:
            return False
        self.table.selectRow(r)
        return True

    def row_index(self, model_id: str) -> int | None:
        """The table row that shows `model_id`."""
        for r in range(self.table.rowCount()):
            cell = self.table.item(r, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == model_id:
                return r
        return None

    def selected_model(self) -> CatalogModel | None:
        if self.catalog is None:
            return None
        r = selected_row(self.table)
        cell = self.table.item(r, 0) if r is not None else None
        return self.catalog.find(str(cell.data(Qt.ItemDataRole.UserRole))) if cell is not None else None

    def _selection_changed(self) -> None:
        model = self.selected_model()
        row = self.rows.get(model.id, DownloadRow()) if model else DownloadRow()
        running = model is not None and self.tasks.get(_key(model.id)) is not None
        self.download_button.setEnabled(model is not None and row.can_download and not running)
        self.download_button.setText(
            translate("CatalogTab", "Resume") if row.resumable and not running else translate("CatalogTab", "Download")
        )
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running or row.resumable)
        if model is None:
            self.details.setText(
                translate("CatalogTab", "Select a model to see what it is and whether it fits this machine.")
            )
            return
        fit = check_fit(model, self.hardware, row.pending.done if row.pending else 0)
        language = current_language()
        notes = model.notes_in(language)
        notes_html = f"<br><i>{_html(notes)}</i>" if notes else ""
        licence = translate("CatalogTab", "licence")  # outside the f-string: lupdate reads plain calls only
        link = f' — <a href="{model.licence_url}">{_html(licence)}</a>' if model.licence_url else ""
        online = (
            f'<br><span style="color: {WARNING_COLOUR};">⚠ {_html(tr_local(model.needs_online.describe()))}</span>'
            if model.needs_online is not None
            else ""
        )
        self.details.setText(
            f"<b>{_html(model.name)}</b> ({_html(model.repo)}): {_html(model.description_in(language))}<br>"
            f"{_html(tr_local(fit.reason))}{link}{online}{notes_html}"
        )

    def _refresh_row(self, model: CatalogModel) -> None:
        r = self.row_index(model.id)
        if r is not None:
            self._fill_row(r, model)
        self._selection_changed()

    # ------------------------------------------------------------ downloading

    def _on_selected_model(self, action: object) -> None:
        model = self.selected_model()
        if model is not None and callable(action):
            action(model.id)

    def start_download(self, model_id: str) -> ModelTask | None:
        """Download (or resume) a catalog model on a worker thread; the row shows live progress."""
        if self.catalog is None:
            return None
        model = self.catalog.get(model_id)
        row = self.row(model_id)
        if row.state is DownloadState.INSTALLED:
            show_status(
                self.status, QT_TRANSLATE_NOOP("CatalogTab", "{name} is already installed.").format(name=model.name)
            )
            return None
        models_dir = self.ctx.registry.models_dir
        fit = check_fit(model, self.hardware, row.pending.done if row.pending else 0)
        if fit.short_of is Shortage.DISK:
            show_status(
                self.status,
                QT_TRANSLATE_NOOP("CatalogTab", "{name}: {reason}").format(name=model.name, reason=fit.reason),
            )
            return None

        def run(report: object, control: DownloadControl) -> object:
            return downloads.download_model(models_dir, model, report, control)  # type: ignore[arg-type]

        try:
            task = self.tasks.start(_key(model_id), run)
        except UserError as exc:
            show_status(self.status, exc.message)
            return None
        row.download()  # legal here: not installed, and the task could start, so not downloading either
        task.progress.connect(lambda p, m=model: self._on_progress(m, p))
        task.finished.connect(lambda _r, m=model: self._on_finished(m))
        task.failed.connect(lambda msg, m=model: self._on_failed(m, msg))
        task.stopped.connect(lambda cancelled, m=model: self._on_stopped(m, cancelled))
        self._refresh_row(model)
        downloading = QT_TRANSLATE_NOOP("CatalogTab", "Downloading {name} from {repo}…").format(
            name=model.name, repo=model.repo
        )
        if model.needs_online is not None:
            downloading = QT_TRANSLATE_NOOP("CatalogTab", "{downloading} {online}").format(
                downloading=downloading, online=model.needs_online.describe()
            )
        show_status(self.status, downloading, ok=True)
        return task

    def pause_download(self, model_id: str) -> None:
        task = self.tasks.get(_key(model_id))
        if task is not None:
            task.pause()

    def cancel_download(self, model_id: str) -> None:
        task = self.tasks.get(_key(model_id))
        if task is not None:
            task.cancel()  # the worker deletes what it fetched and says so: _on_stopped
            return
        row = self.rows.get(model_id)
        if row is not None and row.resumable:
            try:
                download_staging.discard_download(self.ctx.registry.models_dir, model_id)
            except UserError as exc:
                show_status(self.status, exc.message)
                return
            row.cancel()
            show_status(
                self.status,
                QT_TRANSLATE_NOOP("CatalogTab", "Deleted the unfinished download of {id}.").format(id=model_id),
                ok=True,
            )
            self.refresh()

    def _on_progress(self, model: CatalogModel, progress: object) -> None:
        if not isinstance(progress, DownloadProgress):
            return
        row = self.row(model.id)
        row.advance(progress)
        r = self.row_index(model.id)
        if r is not None:
            self._fill_status_cell(r, model, row)

    def _on_finished(self, model: CatalogModel) -> None:
        self.row(model.id).finish()
        show_status(
            self.status,
            QT_TRANSLATE_NOOP("CatalogTab", "Installed {name}; it is listed under Installed and in its pane.").format(
                name=model.name
            ),
            ok=True,
        )
        self.models_changed.emit(model.id)

    def _on_failed(self, model: CatalogModel, message: str) -> None:
        """`message`: a Msg or plain text, kept as it is so the row and the status line can show it translated."""
        self.row(model.id).fail(message)
        show_status(self.status, message)
        self.refresh()

    def _on_stopped(self, model: CatalogModel, cancelled: bool) -> None:
        row = self.row(model.id)
        if cancelled:
            row.cancel()
        else:
            row.pause()
        what = (
            QT_TRANSLATE_NOOP("CatalogTab", "{name}: cancelled; the partial download was deleted.")
            if cancelled
            else QT_TRANSLATE_NOOP("CatalogTab", "{name}: paused; Resume continues it, even after a restart.")
        )
        show_status(self.status, what.format(name=model.name), ok=True)
        self.refresh()


def bar_text(p: DownloadProgress) -> str:
    """The progress bar's text, in the interface language: short enough for the Status column (the CLI prints the
    long form): "42% · 12.3 MB of 240 MB · 3.1 MB/s · 1 min 05 s left"."""
    if p.message and not p.done:
        return tr_local(p.message)
    parts = [
        format_percent(p.fraction),
        translate("CatalogTab", "{done} of {total}").format(done=format_bytes(p.done), total=format_bytes(p.total)),
    ]
    if p.speed:
        parts.append(format_speed(p.speed))
    if p.eta_s is not None:
        parts.append(translate("CatalogTab", "{time} left").format(time=format_duration(p.eta_s)))
    elif p.message:
        parts.append(tr_local(p.message))
    return " · ".join(parts)


def _key(model_id: str) -> str:
    return f"download:{model_id}"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
