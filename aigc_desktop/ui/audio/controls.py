"""The Audio pane's generation tabs: what to narrate and how (speed, variation, sentence pause, seed), and what music
to make (prompt, model, duration, guidance, temperature, seed, continuation). Each tab builds its job spec from its
widgets and takes a recorded spec back into them; the pane connects their buttons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
from aigc_desktop.core.specs import JobSpec, ModelKind, parse_seed
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.model_selector import ModelSelector


def button(parent: QWidget, text: str, tip: str, prefix: str) -> QPushButton:
    """A push button named `{prefix}{Text}Button` (the object names the tests and tools find)."""
    b = QPushButton(text, parent)
    b.setToolTip(tip)
    b.setObjectName(f"{prefix}{text.strip('…').replace(' ', '')}Button")
    return b


def _spin(parent: QWidget, lo: float, hi: float, value: float, step: float = 1.0, suffix: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


def _seed_text(spec: JobSpec) -> str:
    return "" if spec.seed is None else str(spec.seed)


class SpeechControls(QWidget):
    """The Speech tab: the text, Narrate selection / document, the voice settings, Generate and Stop."""

    def __init__(self, can_play: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("speechText")
        self.text.setPlaceholderText("Type the text to narrate, or take it from the document below.")
        lay.addWidget(self.text, 1)
        narrate = QHBoxLayout()
        self.narrate_selection_button = button(self, "Narrate selection", "Narrate the document's selection", "")
        self.narrate_document_button = button(self, "Narrate document", "Narrate the whole document", "")
        narrate.addWidget(self.narrate_selection_button)
        narrate.addWidget(self.narrate_document_button)
        lay.addLayout(narrate)
        defaults = SpeechParams()
        self.speed = _spin(self, 0.5, 2.0, 1.0, 0.1, "×")
        self.variation = _spin(self, 0.0, 1.5, defaults.noise_scale, 0.05)
        self.pause = _spin(self, 0.0, 3.0, defaults.sentence_pause_s, 0.05, " s")
        self.seed = QLineEdit(self)
        self.seed.setPlaceholderText("random")
        self.play_while = QCheckBox("Play while generating", self)
        self.play_while.setChecked(can_play)
        self.play_while.setEnabled(can_play)
        form = QFormLayout()
        form.addRow("Speed", self.speed)
        form.addRow("Variation", self.variation)
        form.addRow("Sentence pause", self.pause)
        form.addRow("Seed", self.seed)
        lay.addLayout(form)
        lay.addWidget(self.play_while)
        buttons = QHBoxLayout()
        self.generate_button = button(self, "Generate", "Synthesise the text, sentence by sentence", "speech")
        self.stop_button = button(self, "Stop", "Stop generating", "speech")
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.stop_button)
        lay.addLayout(buttons)

    def spec(self, model_id: str | None, models_dir: Path) -> JobSpec:
        """The narration these settings ask for; UserError when there is no voice or no text."""
        if model_id is None:
            raise UserError(f"No voice is installed. Put a Piper voice into {models_dir}.")
        text = self.text.toPlainText()
        if not text.strip():
            raise UserError("Type or pick some text to narrate first.")
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


class MusicControls(QWidget):
    """The Music tab: prompt, model, settings, an estimate of the time it takes here, Generate and Stop."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        self.model = ModelSelector((ModelKind.MUSIC,), self)
        self.model.populate(ctx.registry, ctx.settings.values.default_models.get("music"))
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("musicPrompt")
        self.prompt.setPlaceholderText("e.g. calm lo-fi piano with soft rain")
        defaults = MusicParams()
        self.duration = _spin(self, 1.0, 30.0, 8.0, suffix=" s")
        self.duration.valueChanged.connect(self.update_estimate)
        self.guidance = _spin(self, 0.0, 10.0, defaults.guidance)
        self.temperature = _spin(self, 0.1, 2.0, 1.0, 0.1)
        self.seed = QLineEdit(self)
        self.seed.setPlaceholderText("random")
        self.continue_clip = QCheckBox("Continue the selected clip", self)
        form = QFormLayout()
        form.addRow("Model", self.model)
        form.addRow("Duration", self.duration)
        form.addRow("Guidance", self.guidance)
        form.addRow("Temperature", self.temperature)
        form.addRow("Seed", self.seed)
        self.estimate = QLabel(self)
        self.estimate.setObjectName("musicEstimate")
        self.estimate.setWordWrap(True)
        lay.addWidget(QLabel("Prompt"))
        lay.addWidget(self.prompt, 1)
        lay.addLayout(form)
        lay.addWidget(self.continue_clip)
        lay.addWidget(self.estimate)
        buttons = QHBoxLayout()
        self.generate_button = button(self, "Generate", "Generate music from the prompt", "music")
        self.stop_button = button(self, "Stop", "Stop generating", "music")
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.stop_button)
        lay.addLayout(buttons)
        self.update_estimate()

    def refresh_models(self) -> None:
        self.model.populate(self.ctx.registry, self.ctx.settings.default_model("music"))
        self.update_estimate()

    def spec(self, continuation: Callable[[], dict[str, str]]) -> JobSpec:
        """The music these settings ask for; `continuation` gives the inputs that continue the selected clip (asked
        only when that box is ticked). UserError when there is no model or no prompt."""
        model_id = self.model.current_model_id()
        if model_id is None:
            raise UserError(f"No music model is installed. Put a MusicGen folder into {self.ctx.paths.models_dir}.")
        prompt = self.prompt.toPlainText().strip()
        if not prompt:
            raise UserError("Describe the music first (e.g. “calm piano with soft rain”).")
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
            self.estimate.setText("No music model installed: put a MusicGen folder into the models folder.")
            return
        try:
            parameters = parameter_count(self.ctx.registry.get(model_id).path)
        except (UserError, OSError, ValueError):
            parameters = None  # unreadable headers: estimate for musicgen-small
        seconds = estimate_seconds(self.duration.value(), "cpu", parameters)
        self.estimate.setText(
            f"Expected time on this CPU: about {seconds:.0f} s for {self.duration.value():.0f} s "
            "of music (music generation is slow without a GPU)."
        )
