"""The "Learn my style" contract shared by the style trainer, the Tools ▸ Learn my style… dialog and `aigc learn-style`.

A style-training job is a JobSpec of kind TRAIN run by the built-in style trainer (model_id STYLE_TRAINER_MODEL_ID) on
the "train" lane. `inputs`: "texts" (a list of files/folders), "document_text" (the project's document, or absent),
"name" (the style's name), "base" (the base model's registry id), "resume" (True to continue a stopped run of that
name). `params` is a StyleParams. The trainer sends, as partials, one StylePrepared (the texts tokenised, the plan
from the measured step time, the held-back perplexity before training), a StyleProgress after every step and a
StyleEpoch after every epoch (saved by then); it returns a StyleOutput. Stop (cancel) keeps the last saved epoch.

A LoRA adapter (peft) is trained on the base's linear layers, in float32 on the CPU (CUDA when present). Each epoch
is saved as a style folder the registry lists as "<base> · <name>" (core/models/styles.py).

No torch here: the dialog and the CLI import this module before any heavy library loads.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.styles import StyleRecord
from aigc_desktop.core.specs import MAX_SEED, JobKind, JobSpec, ModelKind, params_from_spec
from aigc_desktop.core.train.corpus import CorpusSummary

STYLE_TRAINER_MODEL_ID = "aigc-style-trainer"  # the built-in style trainer (engines/host.py BUILTIN_MODELS)
STYLE_TRAINER_BACKEND = "aigc-style-train"
MAX_MINUTES = 24 * 60
# The held-back slice: this share of the corpus's blocks, taken from its end (the last texts listed), at least one
# block and at most HELD_BACK_MAX_BLOCKS (evaluating it after every epoch must stay a small part of the time).
HELD_BACK_FRACTION = 0.1
HELD_BACK_MAX_BLOCKS = 16


@dataclass(frozen=True)
class StyleParams:
    """The knobs of one style-training run. `minutes` is the time budget: the trainer measures its first steps and
    plans max(1, minutes·60 / seconds per step) steps (never more than max_epochs passes over the texts)."""

    minutes: float = 10.0
    rank: int = 16  # LoRA rank r: the adapter's size; 16 learns a voice, more mostly memorises
    alpha: int = 32  # LoRA alpha: the adapter's output is scaled by alpha / rank
    lr: float = 1e-3  # AdamW learning rate (LoRA tolerates ~10× a full fine-tune's)
    block_tokens: int = 256  # tokens per training block (the texts are cut into blocks of this length)
    batch_size: int = 4  # blocks per step
    max_epochs: int = 20  # an upper bound: a small corpus is not learned by heart in a long budget
    steps: int = 0  # >0: exactly this many steps instead of the time budget (tests, benchmarks)
    precision: str = "fp32"  # "fp32" (measured: bf16 autocast is slower on CPUs without native bf16), "bf16"
    sample_tokens: int = 40  # tokens of the sample continuation written after each epoch (0: none)

    def __post_init__(self) -> None:
        problems: list[Msg] = []
        if not 0 < self.minutes <= MAX_MINUTES:
            problems.append(
                QT_TRANSLATE_NOOP(
                    "LearnStyle", "The time budget must be more than 0 and at most {max} minutes."
                ).format(max=MAX_MINUTES)
            )
        if not 1 <= self.rank <= 256:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "The rank must be from 1 to 256."))
        if not 0 < self.alpha <= 4096:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "Alpha must be more than 0 and at most 4096."))
        if not 0 < self.lr <= 0.1:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "The learning rate must be more than 0 and at most 0.1."))
        if not 16 <= self.block_tokens <= 8192:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "The block length must be from 16 to 8192 tokens."))
        if not 1 <= self.batch_size <= 256:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "The batch size must be from 1 to 256."))
        if not 1 <= self.max_epochs <= 10_000:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "The epochs must be from 1 to 10000."))
        if self.steps < 0:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "The number of steps cannot be negative."))
        if self.precision not in ("fp32", "bf16"):
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "Precision must be fp32 or bf16."))
        if not 0 <= self.sample_tokens <= 512:
            problems.append(QT_TRANSLATE_NOOP("LearnStyle", "Sample tokens must be from 0 to 512."))
        if problems:
            message = problems[0]
            for more in problems[1:]:
                message = QT_TRANSLATE_NOOP("LearnStyle", "{first} {then}").format(first=message, then=more)
            raise UserError(message)

    def to_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: JobSpec) -> StyleParams:
        return params_from_spec(cls, spec, QT_TRANSLATE_NOOP("LearnStyle", "Bad style-training parameters: {reason}"))


def learn_style_spec(
    *,
    name: str,
    base: str,
    texts: list[str | Path] | None = None,
    document_text: str | None = None,
    params: StyleParams | None = None,
    seed: int | None = 0,
    resume: bool = False,
) -> JobSpec:
    """A validated style-training JobSpec. The texts are read again by the trainer on its lane (scan_corpus first in
    the dialog to show the user what was found). `resume=True` continues the stopped run named `name` (texts, base
    and params then come from that run; find_resumable lists them)."""
    from aigc_desktop.core.models.styles import check_style_name

    name = check_style_name(name)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UserError(
            QT_TRANSLATE_NOOP("LearnStyle", "The seed must be a whole number from 0 to {max}.").format(max=MAX_SEED)
        )
    if not resume and not texts and not (document_text or "").strip():
        raise UserError(QT_TRANSLATE_NOOP("LearnStyle", "Choose the texts to learn from."))
    if not resume and not base.strip():
        raise UserError(QT_TRANSLATE_NOOP("LearnStyle", "Choose the base model to teach."))
    inputs: dict[str, Any] = {
        "name": name,
        "base": base.strip(),
        "texts": [str(Path(t).expanduser().resolve()) for t in texts or []],
        "resume": resume,
    }
    if document_text:
        inputs["document_text"] = document_text
    return JobSpec(
        kind=JobKind.TRAIN,
        model_id=STYLE_TRAINER_MODEL_ID,
        inputs=inputs,
        params=(params or StyleParams()).to_params(),
        seed=seed,
    )


def estimate_steps(minutes: float, seconds_per_step: float) -> int:
    """Steps that fit in `minutes` at the measured `seconds_per_step` (at least 1)."""
    if seconds_per_step <= 0:
        return 1
    return max(1, int(minutes * 60.0 / seconds_per_step))


def held_back_blocks(blocks: int) -> int:
    """How many of a corpus's `blocks` are held back for checking (see HELD_BACK_FRACTION)."""
    return max(1, min(HELD_BACK_MAX_BLOCKS, math.ceil(blocks * HELD_BACK_FRACTION)))


@dataclass(frozen=True)
class MemoryCheck:
    """What training the base needs against what the machine has, in bytes (check_memory raises when short)."""

    needed: int
    available: int
    parameters: int

    @property
    def ok(self) -> bool:
        return self.needed <= self.available


@dataclass(frozen=True)
class StylePrepared:
    """Sent once, after the texts are tokenised and the first steps timed (before the first epoch)."""

    corpus: CorpusSummary  # with tokens and held_back_tokens filled in
    train_blocks: int
    held_back_blocks: int
    block_tokens: int
    seconds_per_step: float  # measured on this machine, this base, these settings
    total_steps: int  # the plan: from the time budget (or params.steps)
    epochs: int  # passes over the training blocks the plan makes (the last may be partial)
    steps_per_epoch: int
    perplexity_before: float  # the held-back slice under the base model alone
    device: str  # "cpu" or "cuda"
    resumed_from_epoch: int = 0  # >0 when this run continues a stopped one


@dataclass(frozen=True)
class StyleProgress:
    """Sent after every training step."""

    epoch: int  # the epoch this step belongs to, from 1
    epochs: int
    step: int  # steps done so far, from 1 (a resumed run counts on from where it stopped)
    total_steps: int
    loss: float  # this step's training loss (mean cross-entropy per token)
    step_losses: tuple[float, ...]  # every step's loss since the previous report (for the curve)
    tokens_per_second: float  # training throughput so far, pauses excluded
    eta_seconds: float | None
    checkpoint_epoch: int = 0  # the last epoch saved (0: none yet)
    style_path: str = ""  # the style folder, once an epoch is saved

    @property
    def fraction(self) -> float:
        return self.step / self.total_steps if self.total_steps else 0.0


@dataclass(frozen=True)
class StyleEpoch:
    """Sent after each epoch, once it is saved (what the dialog's epoch table and the CLI's epoch line show)."""

    epoch: int
    epochs: int
    step: int
    mean_loss: float  # the epoch's mean training loss
    perplexity_before: float  # held-back perplexity under the base alone
    perplexity_now: float  # held-back perplexity with the adapter as of this epoch
    sample_prompt: str  # a held-back opening
    sample_text: str  # its greedy continuation with the adapter as of this epoch
    saved_path: str  # the style folder (the registry lists it from now on)
    model_id: str  # the style's registry id ("styles/<name>")
    seconds: float  # training time so far, pauses excluded


@dataclass(frozen=True)
class StyleOutput:
    model_id: str  # "styles/<name>"
    path: Path  # the style folder
    record: StyleRecord
    epochs: int  # epochs finished and saved
    steps: int
    perplexity_before: float
    perplexity_after: float
    seconds: float  # training wall time, pauses excluded
    seconds_per_step: float
    words_per_minute: float  # corpus words × epochs / minutes of training
    epoch_reports: tuple[StyleEpoch, ...] = ()
    step_losses: tuple[float, ...] = ()


@dataclass(frozen=True)
class BaseShape:
    """The sizes that decide a base model's training memory."""

    parameters: int
    vocab: int
    hidden: int
    layers: int


def trainable_base(entry: ModelEntry) -> None:
    """UserError unless a style can be trained on `entry`: a local text model in GGUF (llama.cpp) or transformers
    safetensors, not itself a style, not a server model, not pickle-only."""
    if entry.kind is not ModelKind.TEXT:
        raise UserError(
            QT_TRANSLATE_NOOP("LearnStyle", "{name} is not a text model: a style is learned on a text model.").format(
                name=entry.name
            )
        )
    if entry.adapter is not None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "LearnStyle", "{name} is already a style; choose its base model ({base}) to learn a new one."
            ).format(name=entry.name, base=entry.base_id)
        )
    if entry.backend not in ("llama.cpp", "transformers") or entry.source is ModelSource.SERVER or entry.pickle_only:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "LearnStyle",
                "{name} cannot be trained here: a style needs a model on this computer in GGUF or safetensors format.",
            ).format(name=entry.name)
        )


def base_shape(entry: ModelEntry) -> BaseShape:
    """Parameters, vocabulary, width and depth of a base model from its file headers (no weights are read). An
    embedded model not yet assembled is estimated from its size (4.5 bits per weight, Q4_K_M's average)."""
    path = entry.path
    if entry.backend == "llama.cpp":
        if path.is_file():
            return _gguf_shape(path)
        return BaseShape(parameters=int(entry.size_bytes * 8 / 4.5), vocab=262_144, hidden=640, layers=18)
    return _transformers_shape(path)


def _gguf_shape(path: Path) -> BaseShape:
    from gguf import GGUFReader  # numpy only; memory-maps the file, reads the header

    try:
        reader = GGUFReader(path)
    except Exception as exc:  # gguf raises ValueError/struct errors on a damaged file
        raise UserError(
            QT_TRANSLATE_NOOP("LearnStyle", "{path} is not a readable GGUF file ({reason}).").format(
                path=path, reason=exc
            )
        ) from exc
    params = sum(int(t.n_elements) for t in reader.tensors)

    def field_int(suffix: str, default: int) -> int:
        for name, value in reader.fields.items():
            if name.endswith(suffix) and value.data:
                return int(value.parts[value.data[0]][0])
        return default

    tokens = reader.fields.get("tokenizer.ggml.tokens")
    vocab = len(tokens.data) if tokens is not None else 32_000
    return BaseShape(params, vocab, field_int(".embedding_length", 1024), field_int(".block_count", 24))


def _transformers_shape(folder: Path) -> BaseShape:
    from aigc_desktop.core.models.detect import read_json
    from aigc_desktop.core.models.headers import safetensors_shapes

    config = read_json(folder / "config.json") or {}
    nested = config.get("text_config")
    text: dict[str, Any] = nested if isinstance(nested, dict) else config
    params = 0
    for file in folder.glob("*.safetensors"):
        for shape in safetensors_shapes(file).values():
            params += math.prod(shape) if shape else 1
    return BaseShape(
        parameters=params,
        vocab=int(text.get("vocab_size") or 32_000),
        hidden=int(text.get("hidden_size") or 1024),
        layers=int(text.get("num_hidden_layers") or 24),
    )


def memory_needed(shape: BaseShape, params: StyleParams) -> int:
    """Bytes training needs, estimated: the base in float32 (twice while a GGUF is dequantised on loading), the
    logits of a batch with their gradient and softmax (3 × tokens × vocab floats), the layers' saved activations
    (~24 floats per token per width per layer) and 512 MB for torch and the tokenizer."""
    tokens = params.batch_size * params.block_tokens
    weights = shape.parameters * 4 * 2
    logits = 3 * tokens * shape.vocab * 4
    activations = 24 * tokens * shape.hidden * shape.layers * 4
    return weights + logits + activations + 512 * 1024 * 1024


def check_memory(base: ModelEntry, params: StyleParams, available: int | None = None) -> MemoryCheck:
    """What training `base` with `params` needs against the memory available now; a UserError with both numbers (and
    what to change) when it does not fit. `available` overrides the measurement (tests)."""
    from aigc_desktop.core.models.fit import available_memory

    trainable_base(base)
    shape = base_shape(base)
    check = MemoryCheck(
        needed=memory_needed(shape, params),
        available=available_memory() if available is None else available,
        parameters=shape.parameters,
    )
    if not check.ok:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "LearnStyle",
                "Not enough memory to learn a style on {name}: training needs about {needed} GB, {available} GB is "
                "free. Close other programs, choose a smaller base model, or lower the batch size or block length.",
            ).format(name=base.name, needed=f"{check.needed / 1e9:.1f}", available=f"{check.available / 1e9:.1f}")
        )
    return check
