"""The Audio pane's generation tabs: what to narrate and how (speed, variation, sentence pause, seed), and what music
to make (prompt, model, duration, guidance, temperature, seed, continuation). Each tab builds its job spec from its
widgets and takes a recorded spec back into them; the pane connects their buttons. Every visible text is set in
`retranslate()` (again on each language switch); the buttons translate themselves (`TextButton`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.audio.job import MusicParams, SpeechParams, music_spec, speech_spec
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.specs import JobSpec, ModelKind, parse_seed
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.i18n import Retranslating, tr_msg, translate
from aigc_desktop.ui.model_selector import ModelSelector


class TextButton(Retranslating, QPushButton):
    """A push button with a marked text and tooltip, shown in the interface language. Its object name,
    `{prefix}{Text}Button` from the English text, is what the tests and tools find."""

    def __init__(self, parent: QWidget, text: Msg, tip: Msg, prefix: str) -> None:
        super().__init__(parent)
        self.label, self.tip = text, tip
        self.setObjectName(f"{prefix}{text.strip('…').replace(' ', '')}Button")
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(tr_msg(self.label))
        self.setToolTip(tr_msg(self.tip))


def button(parent: QWidget, text: Msg, tip: Msg, prefix: str) -> QPushButton:
    return TextButton(parent, text, tip, prefix)


def _spin(parent: QWidget, lo: float, hi: float, value: float, step: float = 1.0) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setValue(value)
    return box


def _seed_text(spec: JobSpec) -> str:
    return "" if spec.seed is None else str(spec.seed)


def seconds_suffix() -> str:
    """The unit after a number of seconds in a spin box (" s"; Chinese writes 秒)."""
    return translate("AudioPane", " s")


class SpeechControls(Retranslating, QWidget):
    """The Speech tab: the text, Narrate selection / document, the voice settings, Generate and Stop."""

    def __init__(self, can_play: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("speechText")
        lay.addWidget(self.text, 1)
        narrate = QHBoxLayout()
        self.narrate_selection_button = button(
            self,
            QT_TRANSLATE_NOOP("SpeechControls", "Narrate selection"),
            QT_TRANSLATE_NOOP("SpeechControls", "Narrate the document's selection"),
            "",
        )
        self.narrate_document_button = button(
            self,
            QT_TRANSLATE_NOOP("SpeechControls", "Narrate document"),
            QT_TRANSLATE_NOOP("SpeechControls", "Narrate the whole document"),
            "",
        )
        narrate.addWidget(self.narrate_selection_button)
        narrate.addWidget(self.narrate_document_button)
        lay.addLayout(narrate)
        defaults = SpeechParams()
        self.speed = _spin(self, 0.5, 2.0, 1.0, 0.1)
        self.speed.setSuffix("×")
        self.variation = _spin(self, 0.0, 1.5, defaults.noise_scale, 0.05)
        self.pause = _spin(self, 0.0, 3.0, defaults.sentence_pause_s, 0.05)
        self.seed = QLineEdit(self)
        self.play_while = QCheckBox(self)
        self.play_while.setChecked(can_play)
        self.play_while.setEnabled(can_play)
        self.speed_label, self.variation_label = QLabel(self), QLabel(self)
        self.pause_label, self.seed_label = QLabel(self), QLabel(self)
        form = QFormLayout()
        form.addRow(self.speed_label, self.speed)
        form.addRow(self.variation_label, self.variation)
        form.addRow(self.pause_label, self.pause)
        form.addRow(self.seed_label, self.seed)
        lay.addLayout(form)
        lay.addWidget(self.play_while)
        buttons = QHBoxLayout()
        self.generate_button = button(
            self,
            QT_TRANSLATE_NOOP("SpeechControls", "Generate"),
            QT_TRANSLATE_NOOP("SpeechControls", "Synthesise the text, sentence by sentence"),
            "speech",
        )
        self.stop_button = button(
            self,
            QT_TRANSLATE_NOOP("SpeechControls", "Stop"),
            QT_TRANSLATE_NOOP("SpeechControls", "Stop generating"),
            "speech",
        )
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.stop_button)
        lay.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(
            translate("SpeechControls", "Type the text to narrate, or take it from the document below.")
        )
        self.seed.setPlaceholderText(translate("SpeechControls", "random"))
        self.play_while.setText(translate("SpeechControls", "Play while generating"))
        self.speed_label.setText(translate("SpeechControls", "Speed"))
        self.variation_label.setText(translate("SpeechControls", "Variation"))
        self.pause_label.setText(translate("SpeechControls", "Sentence pause"))
        self.seed_label.setText(translate("SpeechControls", "Seed"))
        self.pause.setSuffix(seconds_suffix())

    def spec(self, model_id: str | None, models_dir: Path) -> JobSpec:
        """The narration these settings ask for; UserError when there is no voice or no text."""
        if model_id is None:
            raise UserError(
                QT_TRANSLATE_NOOP("SpeechControls", "No voice is installed. Put a Piper voice into {folder}.").format(
                    folder=models_dir
                )
            )
        text = self.text.toPlainText()
        if not text.strip():
            raise UserError(QT_TRANSLATE_NOOP("SpeechControls", "Type or pick some text to narrate first."))
        params = SpeechParams(
            length_scale=1.0 / self.speed.value(),
            noise_scale=self.variation.value(),
            sentence_pause_s=self.pause.value(),
        )
        return speech_spec(model_id, text, params, parse_seed(self.seed.text()))

    def load(self, spec: JobSpec) -> None:
        sp = SpeechParams.from_spec(spec)
        self.speed.setValue(1.0 / sp.length_scale if sp.length_scale else 1.0)
        self.variation.setValue(sp.noise_scale)
        self.pause.setValue(sp.sentence_pause_s)
        self.seed.setText(_seed_text(spec))
        self.text.setPlainText(str(spec.inputs.get("text") or ""))


class MusicControls(Retranslating, QWidget):
    """The Music tab: prompt, model, settings, an estimate of the time it takes here, Generate and Stop."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        self.model = ModelSelector((ModelKind.MUSIC,), self)
        self.model.populate(ctx.registry, ctx.settings.values.default_models.get("music"))
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("musicPrompt")
        defaults = MusicParams()
        self.duration = _spin(self, 1.0, 30.0, 8.0)
        self.duration.valueChanged.connect(self.update_estimate)
        self.guidance = _spin(self, 0.0, 10.0, defaults.guidance)
        self.temperature = _spin(self, 0.1, 2.0, 1.0, 0.1)
        self.seed = QLineEdit(self)
        self.continue_clip = QCheckBox(self)
        self.model_label, self.duration_label, self.guidance_label = QLabel(self), QLabel(self), QLabel(self)
        self.temperature_label, self.seed_label, self.prompt_label = QLabel(self), QLabel(self), QLabel(self)
        form = QFormLayout()
        form.addRow(self.model_label, self.model)
        form.addRow(self.duration_label, self.duration)
        form.addRow(self.guidance_label, self.guidance)
        form.addRow(self.temperature_label, self.temperature)
        form.addRow(self.seed_label, self.seed)
        self.estimate = QLabel(self)
        self.estimate.setObjectName("musicEstimate")
        self.estimate.setWordWrap(True)
        lay.addWidget(self.prompt_label)
        lay.addWidget(self.prompt, 1)
        lay.addLayout(form)
        lay.addWidget(self.continue_clip)
        lay.addWidget(self.estimate)
        buttons = QHBoxLayout()
        self.generate_button = button(
            self,
            QT_TRANSLATE_NOOP("MusicControls", "Generate"),
            QT_TRANSLATE_NOOP("MusicControls", "Generate music from the prompt"),
            "music",
        )
        self.stop_button = button(
            self,
            QT_TRANSLATE_NOOP("MusicControls", "Stop"),
            QT_TRANSLATE_NOOP("MusicControls", "Stop generating"),
            "music",
        )
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.stop_button)
        lay.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.prompt.setPlaceholderText(translate("MusicControls", "e.g. calm lo-fi piano with soft rain"))
        self.seed.setPlaceholderText(translate("MusicControls", "random"))
        self.continue_clip.setText(translate("MusicControls", "Continue the selected clip"))
        self.prompt_label.setText(translate("MusicControls", "Prompt"))
        self.model_label.setText(translate("MusicControls", "Model"))
        self.duration_label.setText(translate("MusicControls", "Duration"))
        self.guidance_label.setText(translate("MusicControls", "Guidance"))
        self.temperature_label.setText(translate("MusicControls", "Temperature"))
        self.seed_label.setText(translate("MusicControls", "Seed"))
        self.duration.setSuffix(seconds_suffix())
        self.update_estimate()

    def refresh_models(self) -> None:
        self.model.populate(self.ctx.registry, self.ctx.settings.default_model("music"))
        self.update_estimate()

    def spec(self, continuation: Callable[[], dict[str, str]]) -> JobSpec:
        """The music these settings ask for; `continuation` gives the inputs that continue the selected clip (asked
        only when that box is ticked). UserError when there is no model or no prompt."""
        model_id = self.model.current_model_id()
        if model_id is None:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "MusicControls", "No music model is installed. Put a MusicGen folder into {folder}."
                ).format(folder=self.ctx.paths.models_dir)
            )
        prompt = self.prompt.toPlainText().strip()
        if not prompt:
            raise UserError(
                QT_TRANSLATE_NOOP("MusicControls", "Describe the music first (e.g. “calm piano with soft rain”).")
            )
        params = MusicParams(
            duration_s=self.duration.value(), guidance=self.guidance.value(), temperature=self.temperature.value()
        )
        inputs = continuation() if self.continue_clip.isChecked() else {}
        return music_spec(model_id, prompt, params, parse_seed(self.seed.text()), **inputs)

    def load(self, spec: JobSpec) -> None:
        mp = MusicParams.from_spec(spec)
        self.duration.setValue(mp.duration_s)
        self.guidance.setValue(mp.guidance)
        self.temperature.setValue(mp.temperature)
        self.seed.setText(_seed_text(spec))
        self.prompt.setPlainText(str(spec.inputs.get("prompt") or ""))

    def update_estimate(self, *_: object) -> None:
        from aigc_desktop.core.engines.music_musicgen import estimate_seconds, parameter_count

        model_id = self.model.current_model_id()
        if model_id is None:
            self.estimate.setText(
                translate("MusicControls", "No music model installed: put a MusicGen folder into the models folder.")
            )
            return
        try:
            parameters = parameter_count(self.ctx.registry.get(model_id).path)
        except (UserError, OSError, ValueError):
            parameters = None  # unreadable headers: estimate for musicgen-small
        seconds = estimate_seconds(self.duration.value(), "cpu", parameters)
        locale = QLocale()
        self.estimate.setText(
            translate(
                "MusicControls",
                "Expected time on this CPU: about {seconds} s for {length} s of music "
                "(music generation is slow without a GPU).",
            ).format(seconds=locale.toString(round(seconds)), length=locale.toString(round(self.duration.value())))
        )
