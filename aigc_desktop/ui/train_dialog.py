"""Tools > Train on my images…: train a DCGAN or a VAE on a folder of pictures, watching samples and loss curves
(ui/train_views.py draws those two).

A non-modal dialog: training runs on the queue's "train" lane, so the window (and image generation) stay usable.
It shows only its own job's reports; when a model is saved it emits `model_saved` so the panes refresh their model
selectors.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import HistoryStatus
from aigc_desktop.core.specs import JobResult
from aigc_desktop.core.train.dataset import MIN_IMAGES, FolderScan, scan_folder
from aigc_desktop.core.train.job import (
    DEFAULT_EPOCHS,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    TrainKind,
    TrainOutput,
    TrainParams,
    TrainProgress,
    check_model_name,
    check_name_free,
    model_folder,
    model_id_for,
    train_spec,
)
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.qt_images import pil_to_qimage
from aigc_desktop.ui.train_views import LossCurves, SampleView
from aigc_desktop.ui.units import format_duration, format_number, tr_local
from aigc_desktop.workers.jobs import Job, JobHandler

KIND_TEXT = {
    TrainKind.GAN: QT_TRANSLATE_NOOP("TrainDialog", "GAN (DCGAN): new pictures like yours"),
    TrainKind.VAE: QT_TRANSLATE_NOOP("TrainDialog", "VAE: new pictures, variations, in-betweens"),
}
TRAINING = QT_TRANSLATE_NOOP("TrainDialog", "Training…")


class TrainDialog(Retranslating, QDialog):
    model_saved = Signal(str)  # a model id, once a trained model is on disk (finished, or stopped after an epoch)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.setObjectName("trainDialog")
        self.setModal(False)
        self.job: Job | None = None
        self.usable = 0
        self.last_progress: TrainProgress | None = None
        self.output: TrainOutput | None = None  # the last finished run's result
        self.saved_path = ""
        self.saved_epoch = 0
        self._paused = False
        self._auto_name = ""
        # What the labels say, kept so a language change can say it again: the folder scan (None: no folder yet,
        # or the problem with it), the run being started (epochs, pictures), the status and whether it is an error.
        self._scan: FolderScan | str | None = None
        self._starting: tuple[int, int] | None = None
        self._status_text: str = ""
        self._status_error = False

        # --- settings
        self.folder_edit = QLineEdit()
        self.folder_edit.editingFinished.connect(self.rescan)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        self.count_label = QLabel()
        self.count_label.setObjectName("trainCount")
        self.count_label.setWordWrap(True)
        self.kind_combo = QComboBox()
        for kind in TrainKind:
            self.kind_combo.addItem("", kind.value)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, MAX_EPOCHS)
        self.epochs_spin.setValue(DEFAULT_EPOCHS[TrainKind.GAN])
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(2, MAX_BATCH_SIZE)
        self.batch_spin.setValue(TrainParams().batch_size)
        self.name_edit = QLineEdit()
        self._set_default_name()

        form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(5)]
        pictures_label, model_label, epochs_label, batch_label, name_label = self.form_labels
        form.addRow(pictures_label, folder_row)
        form.addRow("", self.count_label)
        form.addRow(model_label, self.kind_combo)
        form.addRow(epochs_label, self.epochs_spin)
        form.addRow(batch_label, self.batch_spin)
        form.addRow(name_label, self.name_edit)

        # --- controls
        self.start_button = QPushButton()
        self.start_button.setObjectName("trainStart")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self.pause)
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self.resume)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.resume_button, self.stop_button):
            buttons.addWidget(button)

        # --- what is happening
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("trainEpoch")
        self.speed_label = QLabel("")
        self.speed_label.setObjectName("trainSpeed")
        self.status_label = QLabel("")
        self.status_label.setObjectName("trainStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addSpacing(6)
        left.addWidget(self.epoch_label)
        left.addWidget(self.speed_label)
        left.addWidget(self.status_label)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(380)

        self.samples_view = SampleView()
        self.curves = LossCurves()
        self.samples_title = QLabel()
        self.curves_title = QLabel()
        for title in (self.samples_title, self.curves_title):
            title.setStyleSheet("font-weight: bold;")

        grid = QGridLayout(self)
        grid.addWidget(left_widget, 0, 0, 3, 1)
        grid.addWidget(self.samples_title, 0, 1)
        grid.addWidget(self.samples_view, 1, 1)
        grid.addWidget(self.curves_title, 2, 1, Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(self.curves, 3, 0, 1, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        grid.setColumnStretch(1, 1)
        self.resize(960, 700)

        self._update_buttons()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("TrainDialog", "Train on my images"))
        self.folder_edit.setPlaceholderText(
            translate("TrainDialog", "A folder of your pictures (PNG, JPEG, WebP, BMP)")
        )
        self.choose_button.setText(translate("TrainDialog", "Choose…"))
        for index, kind in enumerate(TrainKind):
            self.kind_combo.setItemText(index, tr_msg(KIND_TEXT[kind]))
        self.epochs_spin.setToolTip(
            translate("TrainDialog", "Passes over all your pictures; a checkpoint is saved after each one")
        )
        self.batch_spin.setToolTip(translate("TrainDialog", "Pictures per training step"))
        self.name_edit.setToolTip(
            translate("TrainDialog", "The new model's name: it is saved in the models folder under image/<name>")
        )
        for label, text in zip(
            self.form_labels,
            (
                translate("TrainDialog", "Pictures:"),
                translate("TrainDialog", "Model:"),
                translate("TrainDialog", "Epochs:"),
                translate("TrainDialog", "Batch size:"),
                translate("TrainDialog", "Name:"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.start_button.setText(translate("TrainDialog", "Start"))
        self.pause_button.setText(translate("TrainDialog", "Pause"))
        self.resume_button.setText(translate("TrainDialog", "Resume"))
        self.stop_button.setText(translate("TrainDialog", "Stop"))
        self.stop_button.setToolTip(
            translate("TrainDialog", "Stop now; the last finished epoch stays saved as a usable model")
        )
        self.samples_title.setText(translate("TrainDialog", "Samples (the same noise each time)"))
        self.curves_title.setText(translate("TrainDialog", "Losses"))
        self._show_count()
        self._show_run()
        self.status_label.setText(tr_local(self._status_text))

    # ------------------------------------------------------------ settings

    @property
    def kind(self) -> TrainKind:
        return TrainKind(str(self.kind_combo.currentData()))

    def choose_folder(self) -> None:
        start = self.folder_edit.text().strip() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(
            self, translate("TrainDialog", "Folder of pictures to train on"), start
        )
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> None:
        self.folder_edit.setText(str(folder))
        self.rescan()

    def rescan(self) -> None:
        """Counts the usable pictures in the chosen folder (headers only: fast enough to do here)."""
        text = self.folder_edit.text().strip()
        self.usable = 0
        self._scan = None
        if text:
            try:
                self._scan = scan = scan_folder(Path(text))
            except UserError as exc:
                self._scan = exc.message
            else:
                self.usable = scan.usable
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        text, ok = describe_scan(self._scan)
        self.count_label.setText(text)
        self.count_label.setStyleSheet("" if ok else "color: #c92a2a;")

    def _kind_changed(self) -> None:
        self.epochs_spin.setValue(DEFAULT_EPOCHS[self.kind])
        if self.name_edit.text().strip() in ("", self._auto_name):
            self._set_default_name()

    def _set_default_name(self) -> None:
        """my-gan, my-gan-2, ...: the first name not taken in the models folder."""
        base = f"my-{self.kind.value}"
        name, n = base, 1
        while model_folder(self.ctx.registry.models_dir, name).exists():
            n += 1
            name = f"{base}-{n}"
        self._auto_name = name
        self.name_edit.setText(name)

    # ------------------------------------------------------------ controls

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self) -> Job | None:
        if self.running:
            return None
        try:
            name = check_model_name(self.name_edit.text())
            check_name_free(self.ctx.registry.models_dir, name)
            params = TrainParams(
                kind=self.kind.value, epochs=self.epochs_spin.value(), batch_size=self.batch_spin.value()
            )
            spec = train_spec(self.folder_edit.text().strip(), name, params)
            if self.usable < MIN_IMAGES:
                raise UserError(
                    QT_TRANSLATE_NOOP(
                        "TrainDialog", "The folder needs at least {min} usable pictures to train on."
                    ).format(min=MIN_IMAGES)
                )
        except UserError as exc:
            self._status(exc.message, error=True)
            return None
        self.curves.clear()
        self.samples_view.clear_grid()
        self.last_progress = None
        self.output = None
        self.saved_path, self.saved_epoch = "", 0
        self._paused = False
        title = QT_TRANSLATE_NOOP("TrainDialog", "Train {name}").format(name=name)
        self.job = self.ctx.queue.submit(spec, title=title, handler=_TrainingRun(self))
        self._starting = (self.epochs_spin.value(), self.usable)
        self._show_run()
        self._status(QT_TRANSLATE_NOOP("TrainDialog", "Waiting for the trainer…"))
        self._update_buttons()
        return self.job

    def pause(self) -> None:
        if self.job is not None and not self._paused:
            self.ctx.queue.pause(self.job.id)
            self._paused = True
            self._status(
                QT_TRANSLATE_NOOP(
                    "TrainDialog",
                    "Paused: the model waits after its current step. Resume goes on; Stop keeps the last epoch.",
                )
            )
            self._update_buttons()

    def resume(self) -> None:
        if self.job is not None and self._paused:
            self.ctx.queue.resume(self.job.id)
            self._paused = False
            self._status(TRAINING)
            self._update_buttons()

    def stop(self) -> None:
        if self.job is not None:
            self.ctx.queue.cancel(self.job.id)
            self._status(QT_TRANSLATE_NOOP("TrainDialog", "Stopping after the current step…"))
            self.stop_button.setEnabled(False)

    def _update_buttons(self) -> None:
        running = self.running
        for widget in (self.folder_edit, self.kind_combo, self.epochs_spin, self.batch_spin, self.name_edit):
            widget.setEnabled(not running)
        self.start_button.setEnabled(not running and self.usable >= MIN_IMAGES)
        self.pause_button.setEnabled(running and not self._paused)
        self.resume_button.setEnabled(running and self._paused)
        self.stop_button.setEnabled(running)

    def _status(self, text: str, error: bool = False) -> None:
        """The status line: `text` a Msg (or plain text), kept to be said again after a language change."""
        self._status_text, self._status_error = text, error
        self.status_label.setText(tr_local(text))
        self.status_label.setStyleSheet("color: #c92a2a;" if error else "")

    def _show_run(self) -> None:
        """The epoch and speed lines: the finished run, else the latest progress, else the run being started."""
        out, p = self.output, self.last_progress
        if out is not None:
            epoch = translate("TrainDialog", "Done: {epochs} epochs on {images} pictures").format(
                epochs=format_number(out.epochs), images=format_number(out.images)
            )
            speed = translate("TrainDialog", "{speed} images/s · {time} of training").format(
                speed=format_number(out.images_per_second, 1), time=format_duration(out.seconds)
            )
        elif p is not None:
            epoch = translate(
                "TrainDialog", "Epoch {epoch} of {epochs} · step {step} of {steps} · {images} pictures"
            ).format(
                epoch=format_number(p.epoch),
                epochs=format_number(p.epochs),
                step=format_number(p.step),
                steps=format_number(p.total_steps),
                images=format_number(p.images),
            )
            rate = translate("TrainDialog", "{speed} images/s").format(speed=format_number(p.images_per_second, 1))
            speed = (
                rate
                if p.eta_seconds is None
                else translate("TrainDialog", "{rate} · about {time} left").format(
                    rate=rate, time=format_duration(p.eta_seconds)
                )
            )
        elif self._starting is not None and self.running:
            epochs, images = self._starting
            epoch = translate("TrainDialog", "Starting: {epochs} epochs on {images} pictures").format(
                epochs=format_number(epochs), images=format_number(images)
            )
            speed = ""
        else:
            epoch, speed = translate("TrainDialog", "Not started"), ""
        self.epoch_label.setText(epoch)
        self.speed_label.setText(speed)

    # ------------------------------------------------------------ the job's reports (from _TrainingRun)

    def _on_progress(self, job: Job) -> None:
        if self.last_progress is None and job.message:
            self._status(job.message)  # "Loading torch…", "Reading pictures 40/200…" before the first step

    def _on_partial(self, job: Job, payload: object) -> None:
        if not isinstance(payload, TrainProgress):
            return
        first = self.last_progress is None
        self.last_progress = payload
        self.curves.add(payload.step_losses or (payload.losses,))
        if payload.samples is not None:
            self.samples_view.set_grid(QPixmap.fromImage(pil_to_qimage(payload.samples)))
        if payload.checkpoint_epoch:
            self.saved_epoch, self.saved_path = payload.checkpoint_epoch, payload.model_path
        self._show_run()
        if first and not self._paused:
            self._status(TRAINING)
        if payload.checkpoint_epoch and not self._paused:
            self._status(
                QT_TRANSLATE_NOOP("TrainDialog", "Training… epoch {epoch} saved in {path}").format(
                    epoch=payload.checkpoint_epoch, path=payload.model_path
                )
            )

    def _on_finished(self, job: Job, result: JobResult | None) -> None:
        self.job = None
        self._paused = False
        output = result.output if result is not None else None
        if isinstance(output, TrainOutput):
            if output.samples is not None:
                self.samples_view.set_grid(QPixmap.fromImage(pil_to_qimage(output.samples)))
            self.output = output
            self._show_run()
            self._status(
                QT_TRANSLATE_NOOP(
                    "TrainDialog",
                    "Saved “{id}” in {path}. It is listed in the Canvas model selector: choose it there to make new "
                    "pictures.",
                ).format(id=output.model_id, path=output.path)
            )
            self.model_saved.emit(output.model_id)
        self._after_run()

    def _on_cancelled(self, job: Job) -> None:
        self.job = None
        self._paused = False
        if self.saved_epoch:
            self._status(
                QT_TRANSLATE_NOOP(
                    "TrainDialog",
                    "Stopped. The model as of epoch {epoch} is saved in {path} and listed in the Canvas model "
                    "selector.",
                ).format(epoch=self.saved_epoch, path=self.saved_path)
            )
            self.model_saved.emit(model_id_for(Path(self.saved_path).name))
        else:
            self._status(
                QT_TRANSLATE_NOOP("TrainDialog", "Stopped before the first epoch finished: nothing was saved.")
            )
        self._after_run()

    def _on_failed(self, job: Job, message: str) -> None:
        self.job = None
        self._paused = False
        self._status(QT_TRANSLATE_NOOP("TrainDialog", "Training failed: {message}").format(message=message), error=True)
        self._after_run()

    def _after_run(self) -> None:
        if self.name_edit.text().strip() == self._auto_name:  # that name is taken now: offer the next one
            self._set_default_name()
        self._update_buttons()


def describe_scan(scan: FolderScan | str | None) -> tuple[str, bool]:
    """What the dialog says of the chosen folder (None: none chosen; text: what is wrong with it), and whether it
    is enough to train on. Plurals: ClassName.tr(text, None, n), the call lupdate marks as numerus."""
    if scan is None:
        return translate("TrainDialog", "Choose a folder: every picture in it and its sub-folders is used."), False
    if isinstance(scan, str):
        return tr_local(scan), False
    skipped, n = len(scan.unreadable), scan.usable
    unreadable = TrainDialog.tr(" (%n unreadable file(s) will be skipped)", None, skipped) if skipped else ""  # type: ignore[arg-type]
    if n == 0:
        return translate("TrainDialog", "No pictures found in this folder{unreadable}.").format(
            unreadable=unreadable
        ), False
    if n < MIN_IMAGES:
        text = TrainDialog.tr("%n usable picture(s) found{unreadable}: at least {min} are needed.", None, n)  # type: ignore[arg-type]
        return text.format(unreadable=unreadable, min=MIN_IMAGES), False
    hint = translate("TrainDialog", " (a hundred or more give better results)") if n < 100 else ""
    text = TrainDialog.tr("%n usable picture(s) found{unreadable}{hint}.", None, n)  # type: ignore[arg-type]
    return text.format(unreadable=unreadable, hint=hint), True


class _TrainingRun(JobHandler):
    """One training run's reports: shown in the dialog, and recorded in the project's History when it ends (the
    model is not a project output, so the entry names it in its summary)."""

    def __init__(self, dialog: TrainDialog) -> None:
        self.dialog = dialog
        self.started_at = time.time()

    def progress(self, job: Job) -> None:
        self.dialog._on_progress(job)

    def partial(self, job: Job, payload: object) -> None:
        self.dialog._on_partial(job, payload)

    def finished(self, job: Job, result: JobResult | None) -> None:
        output = result.output if result is not None else None
        if isinstance(output, TrainOutput) and result is not None:
            self._record(job, HistoryStatus.FINISHED, output, result.seconds)
        self.dialog._on_finished(job, result)

    def cancelled(self, job: Job) -> None:
        self._record(job, HistoryStatus.CANCELLED, None, None)
        self.dialog._on_cancelled(job)

    def failed(self, job: Job, message: str) -> None:
        self.dialog._on_failed(job, message)

    def _record(self, job: Job, status: HistoryStatus, out: TrainOutput | None, seconds: float | None) -> None:
        name = str(job.spec.inputs.get("name") or "")
        kind = str(job.spec.params.get("kind") or "gan").upper()
        summary: str
        if out is None:
            summary = QT_TRANSLATE_NOOP(
                "TrainDialog", "{kind} “{name}” stopped (the last finished epoch, if any, was kept)"
            ).format(kind=kind, name=name)
            metrics: dict[str, object] = {}
        else:
            summary = QT_TRANSLATE_NOOP("TrainDialog", "{kind} “{id}”: {epochs} epochs on {images} pictures").format(
                kind=kind, id=out.model_id, epochs=out.epochs, images=out.images
            )
            metrics = {
                "model": out.model_id,
                "path": str(out.path),
                "images_per_second": round(out.images_per_second, 1),
                **{f"final_{k}_loss": round(v, 4) for k, v in out.final_losses.items()},
            }
        started = self.started_at if seconds is None else time.time() - seconds
        self.dialog.session.record(
            job.spec, status, started_at=started, seconds=seconds, summary=summary, metrics=metrics
        )
