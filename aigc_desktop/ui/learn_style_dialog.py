"""Tools > Learn my style…: teach a text model the creator's voice from their own texts (a LoRA adapter, issue #17),
laid out like "Train on my images": the settings and the run on the left, the live loss curve and the sample
continuations on the right.

The texts (a folder, files, or this project's document) are scanned off the GUI thread (core/train/corpus.py) and
the dialog says what it found: words, files, the skipped ones with their reasons, the held-back slice. The base model
is one that can be trained (the embedded Gemma first); a base that does not fit in memory is refused before
starting, with the numbers. The run itself lives in state/learn_style.py StyleRun, so closing the dialog (it asks
first) does not lose it; a run the app was killed in is offered again (`offer_interrupted_runs`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import styles
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import JobSpec, ModelKind
from aigc_desktop.core.train import style_job
from aigc_desktop.core.train.style_job import MemoryCheck, StyleEpoch, StyleParams, learn_style_spec
from aigc_desktop.state.learn_style import StyleRun
from aigc_desktop.ui.i18n import Retranslating, translate
from aigc_desktop.ui.learn_style_texts import ERROR_STYLE, StyleTexts, wrapping_label
from aigc_desktop.ui.learn_style_views import StyleSamples
from aigc_desktop.ui.train_views import LossCurves
from aigc_desktop.ui.units import format_bytes, format_duration, format_gb, format_number, tr_local
from aigc_desktop.workers.jobs import Job

DEFAULT_MINUTES = 10


def can_train(entry: ModelEntry) -> bool:
    """Whether a style can be learned on `entry` (core/train/style_job.py trainable_base says why not)."""
    try:
        style_job.trainable_base(entry)
    except UserError:
        return False
    return True


class LearnStyleDialog(Retranslating, QDialog):
    def __init__(self, run: StyleRun, document_text: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.ctx = run.ctx
        self.document_text = document_text
        self.setObjectName("learnStyleDialog")
        self.setModal(False)
        self._auto_name = ""
        self._start_error: str = ""  # a refusal of Start (a Msg), shown until the settings change
        self.memory: MemoryCheck | None = None  # the chosen base's memory check (None: refused, or no base)
        self.memory_refusal: str = ""  # why the chosen base does not fit (a Msg with the numbers)
        self.step_seconds: dict[str, float] = {}  # base id → the step time its last run measured here
        # StyleParams the dialog has no widget for (rank, block length…: `aigc learn-style` sets them; tests keep
        # their runs short with max_epochs).
        self.overrides: dict[str, object] = {}

        # --- the texts
        self.texts = StyleTexts(document_text)
        self.texts.changed.connect(self._texts_changed)

        # --- the model and the run's settings
        self.base_combo = QComboBox()
        self.base_combo.setObjectName("styleBase")
        self.base_combo.setProperty("translated_items", False)  # model names
        self.base_combo.currentIndexChanged.connect(self._base_changed)
        self.memory_label = wrapping_label("styleMemory")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("styleName")
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setObjectName("styleMinutes")
        self.minutes_spin.setRange(1, int(style_job.MAX_MINUTES))
        self.minutes_spin.setValue(DEFAULT_MINUTES)
        self.minutes_spin.valueChanged.connect(self._show_plan)
        self.plan_label = wrapping_label("stylePlan")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form_labels = [QLabel() for _ in range(4)]
        texts_label, base_label, name_label, time_label = self.form_labels
        form.addRow(texts_label, self.texts)
        form.addRow(base_label, self.base_combo)
        form.addRow("", self.memory_label)
        form.addRow(name_label, self.name_edit)
        form.addRow(time_label, self.minutes_spin)
        form.addRow("", self.plan_label)

        # --- controls
        self.start_button = QPushButton()
        self.start_button.setObjectName("styleStart")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(run.pause)
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(run.resume)
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(run.stop)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.resume_button, self.stop_button):
            buttons.addWidget(button)
        # A run the app was killed in (or the user stopped) that can go on where it stopped.
        self.interrupted_label = wrapping_label("styleInterrupted")
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("styleContinueRun")
        self.continue_button.clicked.connect(self.continue_interrupted)
        interrupted_row = QHBoxLayout()
        interrupted_row.addWidget(self.interrupted_label, 1)
        interrupted_row.addWidget(self.continue_button)
        self.interrupted: list[styles.ResumableRun] = []

        # --- what is happening
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("styleEpoch")
        self.speed_label = QLabel()
        self.speed_label.setObjectName("styleSpeed")
        self.perplexity_label = wrapping_label("stylePerplexity")
        self.status_label = wrapping_label("styleStatus")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addLayout(interrupted_row)
        left.addSpacing(6)
        for label in (self.epoch_label, self.speed_label, self.perplexity_label, self.status_label):
            left.addWidget(label)
        left.addStretch(1)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setFixedWidth(440)

        self.curves = LossCurves()
        self.curves.setMinimumHeight(170)
        self.samples = StyleSamples()
        self.curves_title = QLabel()
        self.samples_title = QLabel()
        for title in (self.curves_title, self.samples_title):
            title.setStyleSheet("font-weight: bold;")
        grid = QGridLayout(self)
        grid.addWidget(left_widget, 0, 0, 4, 1)
        grid.addWidget(self.curves_title, 0, 1)
        grid.addWidget(self.curves, 1, 1)
        grid.addWidget(self.samples_title, 2, 1)
        grid.addWidget(self.samples, 3, 1)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(3, 3)
        grid.setColumnStretch(1, 1)
        self.resize(1060, 690)

        run.changed.connect(self._show_run)
        run.steps.connect(self._add_steps)
        run.epoch_saved.connect(self._add_epoch)
        self.fill_bases()
        self._set_default_name()
        self._find_interrupted()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("LearnStyleDialog", "Learn my style"))
        self.name_edit.setToolTip(
            translate("LearnStyleDialog", "The style's name: the model list shows it as “<base model> · <name>”")
        )
        self.minutes_spin.setSuffix(translate("LearnStyleDialog", " min"))
        self.minutes_spin.setToolTip(
            translate(
                "LearnStyleDialog",
                "How long to learn: the first steps are timed on this computer and the minutes turned into steps",
            )
        )
        for label, text in zip(
            self.form_labels,
            (
                translate("LearnStyleDialog", "Texts:"),
                translate("LearnStyleDialog", "Base model:"),
                translate("LearnStyleDialog", "Name:"),
                translate("LearnStyleDialog", "Time:"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.start_button.setText(translate("LearnStyleDialog", "Start"))
        self.pause_button.setText(translate("LearnStyleDialog", "Pause"))
        self.resume_button.setText(translate("LearnStyleDialog", "Resume"))
        self.stop_button.setText(translate("LearnStyleDialog", "Stop"))
        self.stop_button.setToolTip(
            translate("LearnStyleDialog", "Stop now; the last saved epoch stays as a usable style")
        )
        self.continue_button.setText(translate("LearnStyleDialog", "Continue it"))
        self.curves_title.setText(translate("LearnStyleDialog", "Training loss"))
        self.samples_title.setText(translate("LearnStyleDialog", "How it writes on from a held-back opening"))
        if self.base_combo.currentData() is None:  # the one row says there is no base (model names stay)
            self.base_combo.setItemText(0, translate("LearnStyleDialog", "No model that can be trained is installed"))
        self._show_memory()
        self._show_plan()
        self._show_interrupted()
        self._show_run()

    # ------------------------------------------------------------ the texts

    def fill_bases(self) -> None:
        """The installed models that can be trained, the embedded Gemma first (the registry lists it first)."""
        current = self.base_combo.currentData()
        self.base_combo.blockSignals(True)
        self.base_combo.clear()
        bases = [e for e in self.ctx.registry.entries(ModelKind.TEXT) if can_train(e)]
        for entry in bases:
            self.base_combo.addItem(f"{entry.name} · {format_bytes(entry.size_bytes)}", entry.id)
        if not bases:
            self.base_combo.addItem(translate("LearnStyleDialog", "No model that can be trained is installed"))
        self.base_combo.setEnabled(bool(bases) and not self.run.running)
        self.base_combo.setProperty("translated_items", not bases)
        index = self.base_combo.findData(current) if current else -1
        self.base_combo.setCurrentIndex(max(0, index))
        self.base_combo.blockSignals(False)
        self._base_changed()

    def base_entry(self) -> ModelEntry | None:
        model_id = self.base_combo.currentData()
        if not model_id:
            return None
        try:
            return self.ctx.registry.get(str(model_id))
        except UserError:
            return None

    def _base_changed(self) -> None:
        self._start_error = ""
        self.check_memory()
        self._show_plan()
        self._update_buttons()

    def check_memory(self) -> None:
        """Measure the chosen base against the memory available now (its file headers only: quick)."""
        self.memory, self.memory_refusal = None, ""
        entry = self.base_entry()
        if entry is not None:
            try:
                self.memory = style_job.check_memory(entry, self.params())
            except UserError as exc:
                self.memory_refusal = exc.message
        self._show_memory()

    def _show_memory(self) -> None:
        if self.memory_refusal:
            self.memory_label.setText(tr_local(self.memory_refusal))
            self.memory_label.setStyleSheet(ERROR_STYLE)
        elif self.memory is not None:
            self.memory_label.setText(
                translate("LearnStyleDialog", "Needs about {needed} of memory to learn; {available} available.").format(
                    needed=format_gb(self.memory.needed), available=format_gb(self.memory.available)
                )
            )
            self.memory_label.setStyleSheet("")
        else:
            self.memory_label.setText("")

    def params(self) -> StyleParams:
        return StyleParams(minutes=float(self.minutes_spin.value()), **self.overrides)  # type: ignore[arg-type]

    def _show_plan(self) -> None:
        """Minutes → steps: the run's own plan once it has timed its steps, else an estimate from the step time the
        last run on this base measured, else what will happen."""
        prepared = self.run.prepared
        minutes = self.minutes_spin.value()
        if prepared is not None and self.run.running:
            epochs = LearnStyleDialog.tr("%n epoch(s)", None, prepared.epochs)  # type: ignore[arg-type]
            text = translate(
                "LearnStyleDialog", "{steps} steps ({epochs}) at {seconds} s per step, measured on this computer."
            ).format(
                steps=format_number(prepared.total_steps),
                epochs=epochs,
                seconds=format_number(prepared.seconds_per_step, 2),
            )
        elif (seconds := self.step_seconds.get(str(self.base_combo.currentData()))) is not None:
            text = translate(
                "LearnStyleDialog", "About {steps} steps in {minutes} min at {seconds} s per step (measured last time)."
            ).format(
                steps=format_number(style_job.estimate_steps(minutes, seconds)),
                minutes=format_number(minutes),
                seconds=format_number(seconds, 2),
            )
        else:
            text = translate(
                "LearnStyleDialog",
                "The first steps are timed on this computer, then {minutes} min is turned into a number of steps.",
            ).format(minutes=format_number(minutes))
        self.plan_label.setText(text)

    def _set_default_name(self) -> None:
        """my-style, my-style-2, ...: the first name no style has."""
        name, n = "my-style", 1
        while styles.style_folder(self.ctx.registry.models_dir, name).exists():
            n += 1
            name = f"my-style-{n}"
        self._auto_name = name
        self.name_edit.setText(name)

    # ------------------------------------------------------------ controls

    def start(self) -> Job | None:
        if self.run.running:
            return None
        try:
            if self.texts.scanning or self.texts.corpus is None:
                raise UserError(
                    self.texts.problem or QT_TRANSLATE_NOOP("LearnStyleDialog", "Choose texts to learn from first.")
                )
            entry = self.base_entry()
            if entry is None:
                raise UserError(
                    QT_TRANSLATE_NOOP("LearnStyleDialog", "Install a text model that can be trained first.")
                )
            name = styles.check_style_name(self.name_edit.text())
            styles.check_style_name_free(self.ctx.registry.models_dir, name)
            params = self.params()
            self.check_memory()  # again: memory may have been taken since the base was chosen
            if self.memory_refusal:
                raise UserError(self.memory_refusal)
            spec = learn_style_spec(
                name=name,
                base=entry.id,
                texts=list(self.texts.paths()),
                document_text=self.texts.document(),
                params=params,
            )
        except UserError as exc:
            self._start_error = exc.message
            self._show_run()
            return None
        self._start_error = ""
        return self._begin(spec, name)

    def continue_interrupted(self, name: str = "") -> Job | None:
        """Go on with a run that stopped before its plan was done (killed with the app, or stopped): the one named,
        else the first found."""
        self._find_interrupted()
        chosen = [r for r in self.interrupted if r.name == name] if name else self.interrupted
        if self.run.running or not chosen:
            return None
        found = chosen[0]
        try:
            spec = learn_style_spec(name=found.name, base=found.base_model_id, resume=True)
        except UserError as exc:
            self._start_error = exc.message
            self._show_run()
            return None
        return self._begin(spec, found.name)

    def _begin(self, spec: JobSpec, name: str) -> Job | None:
        self.curves.clear()
        self.samples.clear_samples()
        job = self.run.start(spec, name)
        self._update_buttons()
        return job

    def _update_buttons(self) -> None:
        running = self.run.running
        for widget in (self.name_edit, self.minutes_spin):
            widget.setEnabled(not running)
        self.texts.set_enabled(not running)
        has_base = self.base_combo.currentData() is not None
        self.base_combo.setEnabled(not running and has_base)
        ready = self.texts.corpus is not None and not self.texts.scanning and self.memory is not None
        self.start_button.setEnabled(not running and ready)
        self.pause_button.setEnabled(running and not self.run.paused)
        self.resume_button.setEnabled(running and self.run.paused)
        self.stop_button.setEnabled(running and self.run.job is not None and not self.run.job.cancel.cancelled)
        self.continue_button.setEnabled(not running and bool(self.interrupted))

    def _find_interrupted(self) -> None:
        self.interrupted = styles.find_resumable(self.ctx.registry.models_dir)
        self._show_interrupted()

    def _show_interrupted(self) -> None:
        found = self.interrupted[0] if self.interrupted else None
        visible = found is not None and not self.run.running
        self.interrupted_label.setVisible(visible)
        self.continue_button.setVisible(visible)
        if found is not None:
            self.interrupted_label.setText(
                translate(
                    "LearnStyleDialog", "“{name}” stopped after epoch {done} of {planned}: it can go on from there."
                ).format(
                    name=found.name,
                    done=format_number(found.epochs_done),
                    planned=format_number(found.epochs_planned),
                )
            )

    # ------------------------------------------------------------ the run (StyleRun's signals)

    def _add_steps(self, losses: tuple[float, ...]) -> None:
        self.curves.add({"training": loss} for loss in losses)

    def _add_epoch(self, epoch: StyleEpoch) -> None:
        if not self.samples.opening:
            self.samples.set_opening(epoch.sample_prompt)
        self.samples.add_sample(epoch.epoch, epoch.sample_text)

    def _show_run(self) -> None:
        run = self.run
        prepared, progress, last, out = run.prepared, run.progress, run.saved_epoch, run.output
        if prepared is not None:
            self.step_seconds[str(self.base_combo.currentData())] = prepared.seconds_per_step
        if out is not None and not run.running:
            epoch = translate("LearnStyleDialog", "Done: {epochs} epochs, {steps} steps").format(
                epochs=format_number(out.epochs), steps=format_number(out.steps)
            )
            speed = translate("LearnStyleDialog", "{words} words learned per minute · {time} of learning").format(
                words=format_number(out.words_per_minute), time=format_duration(out.seconds)
            )
        elif progress is not None:
            epoch = translate("LearnStyleDialog", "Epoch {epoch} of {epochs} · step {step} of {steps}").format(
                epoch=format_number(progress.epoch),
                epochs=format_number(progress.epochs),
                step=format_number(progress.step),
                steps=format_number(progress.total_steps),
            )
            rate = translate("LearnStyleDialog", "{speed} tokens/s").format(
                speed=format_number(progress.tokens_per_second)
            )
            speed = (
                rate
                if progress.eta_seconds is None or not run.running
                else translate("LearnStyleDialog", "{rate} · about {time} left").format(
                    rate=rate, time=format_duration(progress.eta_seconds)
                )
            )
        elif run.running:
            epoch, speed = translate("LearnStyleDialog", "Starting…"), ""
        else:
            epoch, speed = translate("LearnStyleDialog", "Not started"), ""
        self.epoch_label.setText(epoch)
        self.speed_label.setText(speed)
        before = last.perplexity_before if last else prepared.perplexity_before if prepared else None
        if before is None:
            self.perplexity_label.setText("")
        elif last is None:
            self.perplexity_label.setText(
                translate(
                    "LearnStyleDialog", "Held-back perplexity before learning: {before} (lower is better)"
                ).format(before=format_number(before, 1))
            )
        else:
            self.perplexity_label.setText(
                translate(
                    "LearnStyleDialog", "Held-back perplexity: {before} before → {now} now (lower is better)"
                ).format(before=format_number(before, 1), now=format_number(last.perplexity_now, 1))
            )
        if self._start_error:
            self.status_label.setText(tr_local(self._start_error))
            self.status_label.setStyleSheet(ERROR_STYLE)
        else:
            self.status_label.setText(tr_local(run.status))
            self.status_label.setStyleSheet(ERROR_STYLE if run.status_error else "")
        if not run.running and (out is not None or last is not None):
            self._after_run()
        if run.running and prepared is not None and prepared is not self.texts.prepared:
            self.texts.set_prepared(prepared)
        self._show_plan()
        self._update_buttons()

    def _texts_changed(self) -> None:
        self._start_error = ""
        self._show_run()

    def _after_run(self) -> None:
        if (
            self.name_edit.text().strip() == self._auto_name
            and styles.style_folder(self.ctx.registry.models_dir, self._auto_name).exists()
        ):
            self._set_default_name()  # that name is taken now: offer the next one
        self._find_interrupted()

    # ------------------------------------------------------------ closing

    def close_box(self) -> QMessageBox:
        """Asked when the dialog is closed while learning: stop (keeping the last epoch), go on in the background,
        or stay."""
        box = QMessageBox(self)
        box.setObjectName("styleCloseBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("LearnStyleDialog", "Learning is running"))
        box.setText(
            translate(
                "LearnStyleDialog",
                "“{name}” is still learning. Stop it now (the last saved epoch is kept), or let it go on in the "
                "background? Tools ▸ Learn my style… shows it again.",
            ).format(name=self.run.name)
        )
        stop = box.addButton(translate("LearnStyleDialog", "Stop learning"), QMessageBox.ButtonRole.DestructiveRole)
        stop.setObjectName("closeStop")
        keep = box.addButton(
            translate("LearnStyleDialog", "Go on in the background"), QMessageBox.ButtonRole.AcceptRole
        )
        keep.setObjectName("closeKeep")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("closeCancel")
        box.setDefaultButton(keep)
        return box

    def ask_on_close(self) -> str:
        """The close question, answered: "stop", "keep" (go on in the background) or "cancel"."""
        box = self.close_box()
        box.exec()
        chosen = box.clickedButton()
        return {"closeStop": "stop", "closeKeep": "keep"}.get(chosen.objectName() if chosen else "", "cancel")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.run.running:
            answer = self.ask_on_close()
            if answer == "stop":
                self.run.stop()
            elif answer != "keep":
                event.ignore()
                return
        super().closeEvent(event)


def offer_interrupted_runs(
    parent: QWidget, models_dir: Path, open_dialog: Callable[[], LearnStyleDialog]
) -> QMessageBox | None:
    """At start: a style whose learning was cut off (the app was killed, the computer shut down) is offered to go on
    from its last saved epoch. Not blocking; None when there is nothing to offer. A run the user stopped is not
    asked about (the dialog still offers it)."""
    cut = [r for r in styles.find_resumable(models_dir) if r.status == styles.StyleStatus.TRAINING]
    if not cut:
        return None
    found = cut[0]
    box = QMessageBox(
        QMessageBox.Icon.Question,
        translate("LearnStyleDialog", "Go on learning?"),
        translate(
            "LearnStyleDialog",
            "Learning the style “{name}” was cut off after epoch {done} of {planned} when the app closed. Go on "
            "from there?",
        ).format(name=found.name, done=format_number(found.epochs_done), planned=format_number(found.epochs_planned)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setObjectName("styleResumeOffer")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(button: int) -> None:
        if QMessageBox.StandardButton(button) == QMessageBox.StandardButton.Yes:
            dialog = open_dialog()
            dialog.continue_interrupted(found.name)

    box.finished.connect(answered)
    box.open()
    return box
