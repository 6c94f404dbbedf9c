"""Tools > Train on my images…: train a DCGAN or a VAE on a folder of pictures, watching samples and loss curves.

A non-modal dialog: training runs on the queue's "train" lane, so the window (and image generation) stay usable.
It shows only its own job's reports; when a model is saved it emits `model_saved` so the panes refresh their model
selectors.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap, QResizeEvent
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
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.model import HistoryStatus
from aigc_desktop.core.specs import JobResult
from aigc_desktop.core.train.dataset import MIN_IMAGES, scan_folder
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
from aigc_desktop.core.units import human_duration
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.qt_images import pil_to_qimage
from aigc_desktop.workers.jobs import Job, JobHandler

CURVE_COLOURS = ["#d9480f", "#1971c2", "#2f9e44", "#7048e8"]
LOSS_LABELS = {
    "discriminator": "discriminator",
    "generator": "generator",
    "total": "total",
    "reconstruction": "reconstruction",
    "kl": "KL",
}


class LossCurves(QWidget):
    """Loss per step, one colour per loss: each step faintly, a moving average boldly (GAN losses are noisy)."""

    SMOOTHING = 0.9  # exponential moving average weight of the past

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossCurves")
        self.series: dict[str, list[float]] = {}
        self.smoothed: dict[str, list[float]] = {}
        self.setMinimumSize(320, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def clear(self) -> None:
        self.series.clear()
        self.smoothed.clear()
        self.update()

    def add(self, steps: Iterable[Mapping[str, float]]) -> None:
        for losses in steps:
            for name, value in losses.items():
                if not math.isfinite(value):
                    continue
                raw = self.series.setdefault(name, [])
                ema = self.smoothed.setdefault(name, [])
                raw.append(value)
                ema.append(value if not ema else self.SMOOTHING * ema[-1] + (1 - self.SMOOTHING) * value)
        self.update()

    @property
    def steps(self) -> int:
        return max((len(v) for v in self.series.values()), default=0)

    def sizeHint(self) -> QSize:
        return QSize(520, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        p.setFont(font)
        metrics = p.fontMetrics()
        left = metrics.horizontalAdvance("00000.0") + 10
        plot = QRectF(left, 8, self.width() - left - 10, self.height() - 8 - metrics.height() - 8)
        p.setPen(QPen(QColor("#c8c8c8"), 1))
        p.drawRect(plot)
        if not self.series or self.steps < 1:
            p.setPen(QColor("#888888"))
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "Loss curves appear here while training runs")
            p.end()
            return
        low, high = self._value_range()
        n = self.steps

        def point(i: int, value: float) -> QPointF:
            x = plot.left() + (plot.width() * i / max(1, n - 1))
            frac = (min(max(value, low), high) - low) / (high - low)
            return QPointF(x, plot.bottom() - frac * plot.height())

        # Grid lines and their values.
        p.setPen(QColor("#666666"))
        for k in range(5):
            value = low + (high - low) * k / 4
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(QPen(QColor("#eeeeee"), 1))
            p.drawLine(QPointF(plot.left() + 1, y), QPointF(plot.right() - 1, y))
            p.setPen(QColor("#666666"))
            p.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"{value:.3g}",
            )
        p.drawText(
            QRectF(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            f"step {n}",
        )
        p.drawText(
            QRectF(plot.left(), plot.bottom() + 4, plot.width(), metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            "1",
        )
        # Curves: at most about one point per pixel column (long runs have tens of thousands of steps).
        stride = max(1, math.ceil(n / max(1.0, plot.width())))
        legend: list[tuple[QColor, str]] = []
        for index, name in enumerate(self.series):
            colour = QColor(CURVE_COLOURS[index % len(CURVE_COLOURS)])
            for values, alpha, width in ((self.series[name], 70, 1.0), (self.smoothed[name], 255, 2.0)):
                path = QPainterPath()
                for j, i in enumerate(range(0, len(values), stride)):
                    (path.lineTo if j else path.moveTo)(point(i, values[i]))
                if len(values) - 1 != (len(values) - 1) // stride * stride:
                    path.lineTo(point(len(values) - 1, values[-1]))
                faded = QColor(colour)
                faded.setAlpha(alpha)
                p.setPen(QPen(faded, width))
                p.drawPath(path)
            legend.append((colour, f"{LOSS_LABELS.get(name, name)} {self.smoothed[name][-1]:.3g}"))
        # Legend, top right, on a white box so curves never hide it.
        widths = [metrics.horizontalAdvance(text) + 22 for _, text in legend]
        box = QRectF(
            plot.right() - max(widths) - 8, plot.top() + 4, max(widths) + 4, len(legend) * metrics.height() + 6
        )
        p.setPen(QPen(QColor("#dddddd"), 1))
        p.setBrush(QColor(255, 255, 255, 230))
        p.drawRect(box)
        for row, (colour, text) in enumerate(legend):
            y = box.top() + 3 + row * metrics.height()
            p.fillRect(QRectF(box.left() + 5, y + metrics.height() / 2 - 2, 12, 4), colour)
            p.setPen(QColor("#333333"))
            p.drawText(
                QRectF(box.left() + 22, y, box.width() - 22, metrics.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        p.end()

    def _value_range(self) -> tuple[float, float]:
        """Covers all but the wildest 2 % of steps at each end: a rare spike is clipped rather than flattening the
        rest. Losses are never negative, so 0 is included when it is near."""
        raw = sorted(v for values in self.series.values() for v in values)
        cut = len(raw) // 50
        low, high = raw[cut], raw[-1 - cut]
        if 0 <= low < 0.25 * high:
            low = 0.0
        if high - low < 1e-9:
            high = low + 1.0
        pad = (high - low) * 0.05
        return (low - pad if low else 0.0), high + pad


class SampleView(QLabel):
    """The latest grid of samples, scaled to fill the space (pixel-sharp from 2× up)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainSamples")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(266, 266)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("QLabel#trainSamples { background: #202020; color: #bbbbbb; }")
        self.grid: QPixmap | None = None
        self.setText("Samples from the model appear here\nafter its first steps")
        self.setWordWrap(True)

    def set_grid(self, pixmap: QPixmap) -> None:
        self.grid = pixmap
        self._rescale()

    def clear_grid(self) -> None:
        self.grid = None
        self.setPixmap(QPixmap())
        self.setText("Samples from the model appear here\nafter its first steps")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self.grid is None or self.grid.isNull():
            return
        room = min(self.width() / self.grid.width(), self.height() / self.grid.height())
        # Whole multiples keep every pixel square and sharp; between 1× and 2× a smooth scale fills the space better.
        factor = math.floor(room) if room >= 2 else room
        mode = (
            Qt.TransformationMode.FastTransformation
            if factor == int(factor)
            else Qt.TransformationMode.SmoothTransformation
        )
        size = QSize(max(1, int(self.grid.width() * factor)), max(1, int(self.grid.height() * factor)))
        self.setPixmap(self.grid.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, mode))


class TrainDialog(QDialog):
    model_saved = Signal(str)  # a model id, once a trained model is on disk (finished, or stopped after an epoch)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.setObjectName("trainDialog")
        self.setWindowTitle("Train on my images")
        self.setModal(False)
        self.job: Job | None = None
        self.usable = 0
        self.last_progress: TrainProgress | None = None
        self.saved_path = ""
        self.saved_epoch = 0
        self._paused = False
        self._auto_name = ""

        # --- settings
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText("A folder of your pictures (PNG, JPEG, WebP, BMP)")
        self.folder_edit.editingFinished.connect(self.rescan)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(choose)
        self.count_label = QLabel("Choose a folder: every picture in it and its sub-folders is used.")
        self.count_label.setObjectName("trainCount")
        self.count_label.setWordWrap(True)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("GAN (DCGAN): new pictures like yours", TrainKind.GAN.value)
        self.kind_combo.addItem("VAE: new pictures, variations, in-betweens", TrainKind.VAE.value)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, MAX_EPOCHS)
        self.epochs_spin.setValue(DEFAULT_EPOCHS[TrainKind.GAN])
        self.epochs_spin.setToolTip("Passes over all your pictures; a checkpoint is saved after each one")
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(2, MAX_BATCH_SIZE)
        self.batch_spin.setValue(TrainParams().batch_size)
        self.batch_spin.setToolTip("Pictures per training step")
        self.name_edit = QLineEdit()
        self.name_edit.setToolTip("The new model's name: it is saved in the models folder under image/<name>")
        self._set_default_name()

        form = QFormLayout()
        form.addRow("Pictures:", folder_row)
        form.addRow("", self.count_label)
        form.addRow("Model:", self.kind_combo)
        form.addRow("Epochs:", self.epochs_spin)
        form.addRow("Batch size:", self.batch_spin)
        form.addRow("Name:", self.name_edit)

        # --- controls
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("trainStart")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.clicked.connect(self.pause)
        self.resume_button = QPushButton("Resume")
        self.resume_button.clicked.connect(self.resume)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop now; the last finished epoch stays saved as a usable model")
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.resume_button, self.stop_button):
            buttons.addWidget(button)

        # --- what is happening
        self.epoch_label = QLabel("Not started")
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
        samples_title = QLabel("Samples (the same noise each time)")
        curves_title = QLabel("Losses")
        for title in (samples_title, curves_title):
            title.setStyleSheet("font-weight: bold;")

        grid = QGridLayout(self)
        grid.addWidget(left_widget, 0, 0, 3, 1)
        grid.addWidget(samples_title, 0, 1)
        grid.addWidget(self.samples_view, 1, 1)
        grid.addWidget(curves_title, 2, 1, Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(self.curves, 3, 0, 1, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(3, 2)
        grid.setColumnStretch(1, 1)
        self.resize(960, 700)

        self._update_buttons()

    # ------------------------------------------------------------ settings

    @property
    def kind(self) -> TrainKind:
        return TrainKind(str(self.kind_combo.currentData()))

    def choose_folder(self) -> None:
        start = self.folder_edit.text().strip() or str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Folder of pictures to train on", start)
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> None:
        self.folder_edit.setText(str(folder))
        self.rescan()

    def rescan(self) -> None:
        """Counts the usable pictures in the chosen folder (headers only: fast enough to do here)."""
        text = self.folder_edit.text().strip()
        self.usable = 0
        if not text:
            self.count_label.setText("Choose a folder: every picture in it and its sub-folders is used.")
        else:
            try:
                scan = scan_folder(Path(text))
            except UserError as exc:
                self._set_count(str(exc), ok=False)
            else:
                self.usable = scan.usable
                unreadable = f" ({len(scan.unreadable)} unreadable files will be skipped)" if scan.unreadable else ""
                if scan.usable == 0:
                    self._set_count(f"No pictures found in this folder{unreadable}.", ok=False)
                elif scan.usable < MIN_IMAGES:
                    self._set_count(
                        f"{scan.usable} usable pictures found{unreadable}: at least {MIN_IMAGES} are needed.", ok=False
                    )
                else:
                    hint = " (a hundred or more give better results)" if scan.usable < 100 else ""
                    self._set_count(f"{scan.usable} usable pictures found{unreadable}{hint}.", ok=True)
        self._update_buttons()

    def _set_count(self, text: str, ok: bool) -> None:
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
                raise UserError(f"The folder needs at least {MIN_IMAGES} usable pictures to train on.")
        except UserError as exc:
            self._status(str(exc), error=True)
            return None
        self.curves.clear()
        self.samples_view.clear_grid()
        self.last_progress = None
        self.saved_path, self.saved_epoch = "", 0
        self._paused = False
        self.job = self.ctx.queue.submit(spec, title=f"Train {name}", handler=_TrainingRun(self))
        self.epoch_label.setText(f"Starting: {self.epochs_spin.value()} epochs on {self.usable} pictures")
        self.speed_label.setText("")
        self._status("Waiting for the trainer…")
        self._update_buttons()
        return self.job

    def pause(self) -> None:
        if self.job is not None and not self._paused:
            self.ctx.queue.pause(self.job.id)
            self._paused = True
            self._status("Paused: the model waits after its current step. Resume goes on; Stop keeps the last epoch.")
            self._update_buttons()

    def resume(self) -> None:
        if self.job is not None and self._paused:
            self.ctx.queue.resume(self.job.id)
            self._paused = False
            self._status("Training…")
            self._update_buttons()

    def stop(self) -> None:
        if self.job is not None:
            self.ctx.queue.cancel(self.job.id)
            self._status("Stopping after the current step…")
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
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #c92a2a;" if error else "")

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
        self.epoch_label.setText(
            f"Epoch {payload.epoch} of {payload.epochs} · step {payload.step} of {payload.total_steps} · "
            f"{payload.images} pictures"
        )
        eta = "" if payload.eta_seconds is None else f" · about {human_duration(payload.eta_seconds)} left"
        self.speed_label.setText(f"{payload.images_per_second:.1f} images/s{eta}")
        if first and not self._paused:
            self._status("Training…")
        if payload.checkpoint_epoch and not self._paused:
            self._status(f"Training… epoch {payload.checkpoint_epoch} saved in {payload.model_path}")

    def _on_finished(self, job: Job, result: JobResult | None) -> None:
        self.job = None
        self._paused = False
        output = result.output if result is not None else None
        if isinstance(output, TrainOutput):
            if output.samples is not None:
                self.samples_view.set_grid(QPixmap.fromImage(pil_to_qimage(output.samples)))
            self.epoch_label.setText(f"Done: {output.epochs} epochs on {output.images} pictures")
            self.speed_label.setText(
                f"{output.images_per_second:.1f} images/s · {human_duration(output.seconds)} of training"
            )
            self._status(
                f"Saved “{output.model_id}” in {output.path}. It is listed in the Canvas model selector: "
                "choose it there to make new pictures."
            )
            self.model_saved.emit(output.model_id)
        self._after_run()

    def _on_cancelled(self, job: Job) -> None:
        self.job = None
        self._paused = False
        if self.saved_epoch:
            self._status(
                f"Stopped. The model as of epoch {self.saved_epoch} is saved in {self.saved_path} and listed in "
                "the Canvas model selector."
            )
            self.model_saved.emit(model_id_for(Path(self.saved_path).name))
        else:
            self._status("Stopped before the first epoch finished: nothing was saved.")
        self._after_run()

    def _on_failed(self, job: Job, message: str) -> None:
        self.job = None
        self._paused = False
        self._status(f"Training failed: {message}", error=True)
        self._after_run()

    def _after_run(self) -> None:
        if self.name_edit.text().strip() == self._auto_name:  # that name is taken now: offer the next one
            self._set_default_name()
        self._update_buttons()


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
        if out is None:
            summary = f"{kind} “{name}” stopped (the last finished epoch, if any, was kept)"
            metrics: dict[str, object] = {}
        else:
            summary = f"{kind} “{out.model_id}”: {out.epochs} epochs on {out.images} pictures"
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
