"""The Document pane's generation settings: sampling knobs, seed, stop sequences, variants count, and how much of
the document the model reads (its context, with the memory that costs for the selected model: tokens ↔ MB from the
model's GGUF metadata). Texts are set in `retranslate`; the interface language switches live."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
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
from aigc_desktop.core.text.context import (
    ContextFacts,
    default_budget_tokens,
    kv_megabytes,
    machine_memory_bytes,
    process_memory_bytes,
    work_megabytes,
)
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

    context_changed = Signal(int)  # the context the user chose, in tokens (0: automatic); the pane saves it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts: ContextFacts | None = None  # the selected model's KV-cache facts (None: not a GGUF file)
        self.model_bytes = 0
        self.memory_bytes = machine_memory_bytes()
        # The app itself (Qt, Python, the panes), taken once when the pane is built: no model is loaded then, so
        # later readings would count the model twice. The budget line adds it: what the whole process will use.
        self.app_bytes = process_memory_bytes()
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
        self.context = QSpinBox()
        self.context.setRange(0, 1 << 20)
        self.context.setSingleStep(1024)
        self.context.setGroupSeparatorShown(True)
        self.context_cost = QLabel()
        self.context_cost.setWordWrap(True)
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
        self.labels["context"] = QLabel(self)
        form.addRow(self.labels["context"], self.context)
        form.addRow(self.context_cost)
        self.context.valueChanged.connect(self._context_edited)
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
        labels["context"].setText(translate("TextControls", "Context"))
        self.context.setSuffix(translate("TextControls", " tokens"))
        self.context.setSpecialValueText(translate("TextControls", "Automatic"))
        self.context.setToolTip(
            translate(
                "TextControls",
                "How much of the text before the cursor the model reads. More context costs more memory; "
                "a longer document is read from a start that moves in large steps.",
            )
        )
        self._show_context_cost()

    # ------------------------------------------------------------ the context budget

    def set_model(self, facts: ContextFacts | None, model_bytes: int) -> None:
        """The selected model: what its context costs, and the most it was trained to read."""
        self.facts = facts
        self.model_bytes = model_bytes
        self._show_context_cost()

    def set_context(self, tokens: int) -> None:
        """The saved choice (0: automatic), without announcing it as an edit."""
        self.context.blockSignals(True)
        self.context.setValue(tokens)
        self.context.blockSignals(False)
        self._show_context_cost()

    def context_tokens(self) -> int:
        """The context a job asks for: the user's choice, or the machine's default; at most what the model was
        trained for."""
        chosen = self.context.value() or default_budget_tokens(self.facts, self.memory_bytes)
        return min(chosen, self.facts.trained_tokens) if self.facts is not None else chosen

    def _context_edited(self, value: int) -> None:
        self._show_context_cost()
        self.context_changed.emit(value)

    def _show_context_cost(self) -> None:
        locale = QLocale()
        tokens = self.context_tokens()
        if self.facts is None:
            unknown = translate(
                "TextControls", "Up to {tokens} tokens; this model's memory use per token is not known."
            )
            self.context_cost.setText(unknown.format(tokens=locale.toString(tokens)))
            return
        parts = self._memory_parts_mb()
        text = translate(
            "TextControls",
            "{tokens} tokens: about {total} MB of memory in all ({model} MB model + {kv} MB to read with, "
            "{per_token} KB per token, + {work} MB working memory + {app} MB the app itself). The model was trained "
            "for {trained} tokens; this machine has {ram} GB.",
        )
        self.context_cost.setText(
            text.format(
                tokens=locale.toString(tokens),
                total=locale.toString(round(sum(parts.values()))),
                **{name: locale.toString(round(mb)) for name, mb in parts.items()},
                per_token=locale.toString(self.facts.kv_bytes_per_token / 1024, "f", 1),
                trained=locale.toString(self.facts.trained_tokens),
                ram=locale.toString(self.memory_bytes / 1024**3, "f", 1),
            )
        )

    def _memory_parts_mb(self) -> dict[str, float]:
        """The budget line's parts: the model and the app itself and, when the model's cache facts are known, its
        cache and llama.cpp's working memory at the chosen context."""
        parts = {"model": self.model_bytes / 1024**2, "app": self.app_bytes / 1024**2}
        if self.facts is not None:
            tokens = self.context_tokens()
            parts["kv"] = kv_megabytes(self.facts, tokens)
            parts["work"] = work_megabytes(self.facts, tokens)
        return parts

    def memory_estimate_mb(self) -> float:
        """What the budget line adds up: the whole process's memory at the chosen context."""
        return sum(self._memory_parts_mb().values())

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
            "context_tokens": self.context_tokens(),
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
