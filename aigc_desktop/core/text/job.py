"""The text-generation contract shared by the text engines, the Document pane and `aigc write`.

A text job is a JobSpec of kind TEXT whose `inputs["prompt"]` is the exact prompt the model sees and whose `params` are
a TextParams. Engines stream TextChunk partials and return a TextOutput.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.specs import JobKind, JobSpec, params_from_spec
from aigc_desktop.core.text.counting import count_words as count_words  # where recovery.py has always found it

MAX_VARIANTS = 5
# inputs["mode"] of a background job that only evaluates the prompt into the model's cache (the Document pane reads
# ahead while the writer pauses); it writes nothing and is not recorded.
READ_AHEAD = "read-ahead"
MAX_NEW_TOKENS = 4096


@dataclass(frozen=True)
class TextParams:
    max_new_tokens: int = 200
    temperature: float = 0.8
    top_p: float = 0.95
    top_k: int = 40
    repetition_penalty: float = 1.1
    stop: tuple[str, ...] = ()
    greedy: bool = False  # argmax decoding: deterministic, ignores temperature/top-p/top-k
    n: int = 1  # how many texts: independent samples with seeds seed, seed+1, ... (variants) or the n best beams
    num_beams: int = 1  # > 1: beam search (titles, headlines); returns the `n` best beams
    chat: bool = False  # wrap the prompt as a user message in the model's chat template
    # How many tokens of context the model may read (the memory budget in the Settings tab); 0: the engine's default.
    # Part of the spec so that Regenerate cuts a long prompt where the original run did.
    context_tokens: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "stop", tuple(s for s in self.stop if s))
        problems: list[Msg] = []
        if not 1 <= self.max_new_tokens <= MAX_NEW_TOKENS:
            problems.append(
                QT_TRANSLATE_NOOP("TextParams", "Max new tokens must be between 1 and {max}.").format(
                    max=MAX_NEW_TOKENS
                )
            )
        if self.context_tokens < 0:
            problems.append(QT_TRANSLATE_NOOP("TextParams", "The context size must not be negative."))
        if self.temperature < 0:
            problems.append(QT_TRANSLATE_NOOP("TextParams", "Temperature must not be negative."))
        if not 0 < self.top_p <= 1:
            problems.append(QT_TRANSLATE_NOOP("TextParams", "Top-p must be in (0, 1]."))
        if self.top_k < 0:
            problems.append(QT_TRANSLATE_NOOP("TextParams", "Top-k must not be negative."))
        if self.repetition_penalty <= 0:
            problems.append(QT_TRANSLATE_NOOP("TextParams", "Repetition penalty must be positive."))
        if not 1 <= self.n <= MAX_VARIANTS:
            problems.append(
                QT_TRANSLATE_NOOP("TextParams", "The number of texts must be between 1 and {max}.").format(
                    max=MAX_VARIANTS
                )
            )
        if self.num_beams < 1 or (self.num_beams > 1 and self.n > self.num_beams):
            problems.append(
                QT_TRANSLATE_NOOP("TextParams", "Beams must be at least 1 and at least the number of texts asked for.")
            )
        if problems:
            # Each problem is a sentence of its own, translated on its own; the join is no text to translate.
            raise UserError(
                Msg(
                    "TextParams",
                    " ".join(f"{{p{i}}}" for i in range(len(problems))),
                    {f"p{i}": p for i, p in enumerate(problems)},
                )
            )

    def to_params(self) -> dict[str, Any]:
        d = asdict(self)
        d["stop"] = list(self.stop)
        return d

    @classmethod
    def from_spec(cls, spec: JobSpec) -> TextParams:
        # JSON keeps the stop sequences as a list (or null); the frozen params hold a tuple.
        return params_from_spec(
            cls,
            spec,
            QT_TRANSLATE_NOOP("TextParams", "Bad text parameters: {reason}"),
            convert={"stop": lambda stop: tuple(stop or ())},
        )


def prompt_of(spec: JobSpec) -> str:
    prompt = str(spec.inputs.get("prompt", ""))
    if not prompt.strip():
        raise UserError(QT_TRANSLATE_NOOP("TextParams", "The prompt is empty: write or select some text first."))
    return prompt


def text_spec(model_id: str, prompt: str, params: TextParams, seed: int | None = None, **inputs: Any) -> JobSpec:
    """A text job. Extra `inputs` (action name, the selection it acts on...) are kept for history and Regenerate."""
    return JobSpec(
        kind=JobKind.TEXT, model_id=model_id, inputs={"prompt": prompt, **inputs}, params=params.to_params(), seed=seed
    )


@dataclass(frozen=True)
class TextChunk:
    """A streamed piece of text; `index` says which of the `n` texts it belongs to."""

    index: int
    text: str


@dataclass(frozen=True)
class TextOutput:
    texts: list[str]
    new_tokens: int  # summed over all texts
    first_token_ms: float | None  # from the start of generation (model already loaded) to the first streamed text
    tokens_per_second: float
    backend: str
    stopped_early: list[bool] = field(default_factory=list)  # per text: ended by a stop sequence or end-of-text
