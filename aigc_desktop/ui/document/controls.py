"""The Document pane's generation settings: sampling knobs, seed, stop sequences, variants count (texts set in
`retranslate`, the interface language switches live)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from aigc_desktop.core.specs import parse_seed
from aigc_desktop.core.text.job import MAX_NEW_TOKENS, MAX_VARIANTS, TextParams
from aigc_desktop.ui.i18n import Retranslating, translate


def _double(lo: float, hi: float, step: float, value: float, decimals: int = 2) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(lo, hi)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setValue(value)
    return box


class TextControls(Retranslating, QWidget):
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
        self.stop = QLineEdit()
        self.greedy = QCheckBox()
        for name, w in vars(self).items():
            if isinstance(w, QWidget):
                w.setObjectName(name)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        # Each row's label, kept to be set again in the interface language.
        self.labels: dict[str, QLabel] = {}
        for name in (
            "temperature",
            "top_p",
            "top_k",
            "repetition_penalty",
            "max_new_tokens",
            "variants",
            "seed",
            "stop",
        ):
            self.labels[name] = QLabel(self)
            form.addRow(self.labels[name], getattr(self, name))
        form.addRow(self.greedy)
        self.retranslate()

    def retranslate(self) -> None:
        self.seed.setPlaceholderText(translate("TextControls", "random"))
        self.seed.setToolTip(
            translate("TextControls", "Leave blank for a random seed; the seed used is recorded in the history")
        )
        self.stop.setPlaceholderText(translate("TextControls", "e.g. \\n\\n | THE END"))
        self.stop.setToolTip(translate("TextControls", "Stop sequences, separated by |; \\n means a line break"))
        self.greedy.setText(translate("TextControls", "Greedy (always the most likely word)"))
        labels = self.labels
        labels["temperature"].setText(translate("TextControls", "Temperature"))
        labels["top_p"].setText(translate("TextControls", "Top-p"))
        labels["top_k"].setText(translate("TextControls", "Top-k"))
        labels["repetition_penalty"].setText(translate("TextControls", "Repetition penalty"))
        labels["max_new_tokens"].setText(translate("TextControls", "Max new tokens"))
        labels["variants"].setText(translate("TextControls", "Variants"))
        labels["seed"].setText(translate("TextControls", "Seed"))
        labels["stop"].setText(translate("TextControls", "Stop at"))

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
