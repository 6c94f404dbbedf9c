"""The Document pane's generation settings: sampling knobs, seed, stop sequences, variants count."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from aigc_desktop.core.specs import parse_seed
from aigc_desktop.core.text.job import MAX_NEW_TOKENS, MAX_VARIANTS, TextParams


def _double(lo: float, hi: float, step: float, value: float, decimals: int = 2) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setValue(value)
    return box


class TextControls(QWidget):
    """Widgets for every TextParams field the user sets; actions may override some fields for one run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        d = TextParams()
        self.temperature = _double(0.0, 2.0, 0.05, d.temperature)
        self.top_p = _double(0.05, 1.0, 0.05, d.top_p)
        self.top_k = QSpinBox()
        self.top_k.setRange(0, 1000)
        self.top_k.setValue(d.top_k)
        self.repetition_penalty = _double(0.5, 2.0, 0.05, d.repetition_penalty)
        self.max_new_tokens = QSpinBox()
        self.max_new_tokens.setRange(1, MAX_NEW_TOKENS)
        self.max_new_tokens.setValue(d.max_new_tokens)
        self.variants = QSpinBox()
        self.variants.setRange(2, MAX_VARIANTS)
        self.variants.setValue(3)
        self.seed = QLineEdit()
        self.seed.setPlaceholderText("random")
        self.seed.setToolTip("Leave blank for a random seed; the seed used is recorded in the history")
        self.stop = QLineEdit()
        self.stop.setPlaceholderText("e.g. \\n\\n | THE END")
        self.stop.setToolTip("Stop sequences, separated by |; \\n means a line break")
        self.greedy = QCheckBox("Greedy (always the most likely word)")
        for name, w in vars(self).items():
            if isinstance(w, QWidget):
                w.setObjectName(name)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Temperature", self.temperature)
        form.addRow("Top-p", self.top_p)
        form.addRow("Top-k", self.top_k)
        form.addRow("Repetition penalty", self.repetition_penalty)
        form.addRow("Max new tokens", self.max_new_tokens)
        form.addRow("Variants", self.variants)
        form.addRow("Seed", self.seed)
        form.addRow("Stop at", self.stop)
        form.addRow(self.greedy)

    def seed_value(self) -> int | None:
        return parse_seed(self.seed.text())

    def stop_sequences(self) -> tuple[str, ...]:
        return tuple(s.replace("\\n", "\n") for s in self.stop.text().split("|") if s.strip())

    def params(self, n: int = 1, **overrides: object) -> TextParams:
        values: dict[str, object] = {
            "max_new_tokens": self.max_new_tokens.value(),
            "temperature": self.temperature.value(),
            "top_p": self.top_p.value(),
            "top_k": self.top_k.value(),
            "repetition_penalty": self.repetition_penalty.value(),
            "stop": self.stop_sequences(),
            "greedy": self.greedy.isChecked(),
            "n": n,
        }
        values.update(overrides)
        if "stop" in overrides:
            values["stop"] = tuple(overrides["stop"])  # type: ignore[arg-type]
        return TextParams(**values)  # type: ignore[arg-type]

    def load(self, p: TextParams) -> None:
        """Copy a recorded job's parameters into the controls ("use these settings")."""
        self.temperature.setValue(p.temperature)
        self.top_p.setValue(p.top_p)
        self.top_k.setValue(p.top_k)
        self.repetition_penalty.setValue(p.repetition_penalty)
        self.max_new_tokens.setValue(p.max_new_tokens)
        self.greedy.setChecked(p.greedy)
        self.stop.setText(" | ".join(s.replace("\n", "\\n") for s in p.stop))
