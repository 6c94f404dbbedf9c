"""Learn my style on a tiny random-weight Gemma3 (tests/tiny_models.py): the style learned raises the likelihood of a
distinctive habit of the corpus and lowers held-back perplexity; each epoch is saved as a style the registry lists;
Stop keeps the last epoch and a resume continues from it; the style runs through the normal text engine.

Fixed seed; the margins are far inside what a working LoRA reaches in these few steps (see each assertion)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import BUILTIN_MODELS, EngineHost
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models import styles
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.core.train.style_job import (
    STYLE_TRAINER_MODEL_ID,
    StyleEpoch,
    StyleOutput,
    StyleParams,
    StylePrepared,
    StyleProgress,
    learn_style_spec,
)

pytestmark = pytest.mark.usefixtures("torch_one_thread", "one_training_thread")
pytest_plugins = ("pytester",)  # the fixture test below runs one_training_thread in a test of its own


@pytest.fixture
def one_training_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The style trainer sets torch's threads when it loads (one per core); tests train on one, as the image trainer's
    tests do: on a shared two-core machine more threads mostly wait for each other. The trainer sets them for the
    whole process: the count from before is put back after the test."""
    import torch

    from aigc_desktop.core.engines import torch_training

    before = torch.get_num_threads()
    monkeypatch.setattr(torch_training, "TORCH_THREADS", 1)
    yield
    torch.set_num_threads(before)


SIGNATURE = "Verily the heron said,"
WORDS = [
    "river",
    "stone",
    "morning",
    "light",
    "garden",
    "window",
    "letter",
    "bread",
    "winter",
    "road",
    "music",
    "candle",
    "harbour",
    "field",
    "lantern",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "with",
    "under",
    "over",
    "quietly",
    "slowly",
    "softly",
    "bright",
    "old",
    "small",
    "green",
]
# Tiny model, short blocks, a high learning rate: a few seconds of training on one thread.
FAST = StyleParams(minutes=1, rank=8, alpha=16, lr=1e-2, block_tokens=64, batch_size=4, steps=16, sample_tokens=8)


def style_corpus(folder: Path, paragraphs: int = 80, seed: int = 0) -> Path:
    """Paragraphs of random words, every one opening with the same signature phrase: a habit a style must learn."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for part in range(2):
        lines = []
        for _ in range(paragraphs // 2):
            lines.append(SIGNATURE + " " + " ".join(rng.choice(WORDS) for _ in range(12)) + ".")
        (folder / f"part{part}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    return folder


def signature_logprob(model: object, tokenizer: object) -> float:
    """Mean log-probability per token of the signature phrase after a paragraph break."""
    import torch

    prefix = tokenizer("the garden window.\n\n", add_special_tokens=True)["input_ids"]  # type: ignore[operator]
    target = tokenizer(SIGNATURE, add_special_tokens=False)["input_ids"]  # type: ignore[operator]
    ids = torch.tensor([prefix + target])
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0]  # type: ignore[operator]
    logp = torch.log_softmax(logits.float(), dim=-1)
    total = sum(float(logp[len(prefix) - 1 + i, tok]) for i, tok in enumerate(target))
    return total / len(target)


class Collect:
    def __init__(self, stop_after_epoch: int = 0, cancel: Callable[[], None] | None = None) -> None:
        self.payloads: list[object] = []
        self.stop_after_epoch = stop_after_epoch
        self.cancel = cancel

    def __call__(self, payload: object) -> None:
        self.payloads.append(payload)
        if isinstance(payload, StyleEpoch) and payload.epoch == self.stop_after_epoch and self.cancel:
            self.cancel()

    def of(self, kind: type) -> list[object]:
        return [p for p in self.payloads if isinstance(p, kind)]


class RenameWhileTraining(Collect):
    """Collects, and at the first step (the run then holds the style's training lock) tries to rename and to remove
    the style, keeping the refusals."""

    def __init__(self, models_dir: Path, name: str) -> None:
        super().__init__()
        self.models_dir, self.name = models_dir, name
        self.refusals: list[str] = []

    def __call__(self, payload: object) -> None:
        super().__call__(payload)
        if isinstance(payload, StyleProgress) and not self.refusals:
            for attempt in (
                lambda: styles.rename_style(self.models_dir, self.name, self.name + " 2"),
                lambda: styles.remove_style(self.models_dir, self.name),
            ):
                try:
                    attempt()
                except UserError as exc:
                    self.refusals.append(str(exc))


def train(registry: ModelRegistry, spec: JobSpec, collect: Collect | None = None) -> StyleOutput:
    collect = collect or Collect()
    ctx = RunContext(on_partial=collect)
    if collect.stop_after_epoch:
        collect.cancel = ctx.cancel.cancel
    host = EngineHost(registry)
    try:
        result = host.run(spec, ctx)
    finally:
        host.unload_all()
    assert isinstance(result.output, StyleOutput)
    return result.output


@pytest.fixture(scope="session")
def tiny_gemma3_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/tiny_models.py's Gemma3 with weights initialised at std 0.2 instead of 0.02. With the library's 0.02
    the tied embeddings are so small that the logits cannot move by more than about one nat whatever the layers
    compute, so no adapter on the layers (a LoRA) could sharpen the output; a trained model's embeddings are large."""
    import tiny_models
    import torch
    from transformers import AutoModelForCausalLM

    folder = tmp_path_factory.mktemp("tiny-gemma3-style") / "tiny-gemma3"
    torch.manual_seed(0)
    config = tiny_models.tiny_config("gemma3")
    config.initializer_range = 0.2
    AutoModelForCausalLM.from_config(config).save_pretrained(folder, safe_serialization=True)
    tiny_models.build_tokenizer().save_pretrained(folder)
    return folder


@pytest.fixture
def tiny_base(tiny_gemma3_source: Path, paths: AppPaths) -> str:
    import tiny_models

    tiny_models.copy_model(tiny_gemma3_source, paths.models_dir / "tiny-gemma3")
    return "tiny-gemma3"


def test_style_learns_the_signature_and_lowers_held_back_perplexity(
    tiny_base: str, paths: AppPaths, tmp_path: Path
) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    registry = ModelRegistry(paths)
    corpus = style_corpus(tmp_path / "texts")
    collect = Collect()
    spec = learn_style_spec(name="Heron", base=tiny_base, texts=[corpus], params=FAST, seed=0)
    output = train(registry, spec, collect)

    prepared = collect.of(StylePrepared)
    assert len(prepared) == 1
    first = prepared[0]
    assert isinstance(first, StylePrepared)
    assert first.corpus.words >= 1000 and first.corpus.tokens and first.corpus.held_back_tokens
    assert first.held_back_blocks >= 1 and first.train_blocks > first.held_back_blocks
    assert first.total_steps == 16 and first.seconds_per_step > 0
    steps = collect.of(StyleProgress)
    assert [p.step for p in steps] == list(range(1, 17))  # type: ignore[attr-defined]
    epochs = collect.of(StyleEpoch)
    assert len(epochs) == output.epochs >= 2
    last = epochs[-1]
    assert isinstance(last, StyleEpoch)
    # Held-back perplexity: a working run divides it by hundreds in these 16 steps; asserted: at least halved.
    assert last.perplexity_now < 0.5 * last.perplexity_before, (last.perplexity_before, last.perplexity_now)
    assert output.perplexity_after == last.perplexity_now
    assert last.sample_prompt and isinstance(last.sample_text, str)

    # The style's likelihood of the signature, measured outside the trainer: base vs base + saved adapter.
    from peft import PeftModel

    base_dir = paths.models_dir / tiny_base
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    base = AutoModelForCausalLM.from_pretrained(base_dir).eval()
    before = signature_logprob(base, tokenizer)
    style = styles.get_style(paths.models_dir, "Heron")
    styled = PeftModel.from_pretrained(base, str(style.peft_dir)).eval()
    after = signature_logprob(styled, tokenizer)
    # Mean log-probability per token of the signature: a working run gains ~9 nats here; asserted: 2.
    assert after > before + 2.0, (before, after)

    # The registry lists it over its base, with the record of what it learned from.
    entry = registry.get("styles/Heron")
    assert entry.source is ModelSource.STYLE and entry.base_id == tiny_base and entry.kind is ModelKind.TEXT
    assert entry.name.endswith(" · Heron") and entry.backend == "transformers" and entry.adapter == style.peft_dir
    assert style.record.words == first.corpus.words and style.record.status == styles.StyleStatus.FINISHED
    assert style.record.files == 2 and style.record.sources == ("part0.txt", "part1.txt")
    assert "trained on" in styles.provenance_note(style.record)
    assert not (style.path / styles.TRAINING_DIR).exists()  # a finished style keeps no resume state
    assert styles.find_resumable(paths.models_dir) == []
    assert not [p for p in style.path.rglob("*") if p.name.endswith(".partial")]

    # A text job on the style runs the base with the adapter: greedy text differs from the base's.
    host = EngineHost(registry)
    try:
        text_spec = JobSpec(
            kind=JobKind.TEXT,
            model_id="styles/Heron",
            inputs={"prompt": "the old road.\n\n"},
            params={"max_new_tokens": 6, "temperature": 0.0},
            seed=1,
        )
        styled_text = host.run(text_spec, RunContext()).output
        base_text = host.run(JobSpec(**{**text_spec.to_dict(), "model_id": tiny_base}), RunContext()).output  # type: ignore[arg-type]
    finally:
        host.unload_all()
    assert styled_text != base_text


def test_stop_keeps_the_last_epoch_and_resume_continues(tiny_base: str, paths: AppPaths, tmp_path: Path) -> None:
    registry = ModelRegistry(paths)
    corpus = style_corpus(tmp_path / "texts")
    spec = learn_style_spec(name="Heron", base=tiny_base, texts=[corpus], params=FAST, seed=0)
    collect = Collect(stop_after_epoch=1)
    with pytest.raises(JobCancelled):
        train(registry, spec, collect)
    epochs = collect.of(StyleEpoch)
    assert len(epochs) == 1
    # The first epoch is a usable style, marked stopped, and offered for resuming.
    style = styles.get_style(paths.models_dir, "Heron", registry.entries(ModelKind.TEXT))
    assert style.usable and style.record.epochs_done == 1 and style.record.status == styles.StyleStatus.STOPPED
    [run] = styles.find_resumable(paths.models_dir)
    assert run.name == "Heron" and run.epochs_done == 1 and run.base_model_id == tiny_base
    assert registry.get("styles/Heron").adapter is not None
    # A new run of the same name is refused (the stopped one would be lost).
    with pytest.raises(UserError, match="already exists"):
        train(registry, spec)

    # Resume: the same plan continues from the saved epoch, needing neither the texts nor the params.
    corpus_gone = tmp_path / "texts"
    for file in corpus_gone.iterdir():
        file.unlink()
    resumed = RenameWhileTraining(paths.models_dir, "Heron")
    output = train(registry, learn_style_spec(name="Heron", base="", resume=True), resumed)
    assert resumed.refusals == [
        "The style 'Heron' is being trained right now: rename it after its training stops.",
        "The style 'Heron' is being trained right now: remove it after its training stops.",
    ]
    assert not styles.is_training(paths.models_dir, "Heron")  # released at the end, the lock file gone
    assert not styles.training_lock_path(paths.models_dir, "Heron").exists()
    [prepared] = resumed.of(StylePrepared)
    assert isinstance(prepared, StylePrepared) and prepared.resumed_from_epoch == 1
    first_step = resumed.of(StyleProgress)[0]
    assert isinstance(first_step, StyleProgress) and first_step.step == epochs[0].step + 1  # type: ignore[attr-defined]
    assert output.steps == 16 and output.epochs == prepared.epochs
    assert output.perplexity_after < output.perplexity_before
    assert styles.get_style(paths.models_dir, "Heron").record.status == styles.StyleStatus.FINISHED
    assert styles.find_resumable(paths.models_dir) == []


def test_resumed_run_equals_an_uninterrupted_one(tiny_base: str, paths: AppPaths, tmp_path: Path) -> None:
    """Stopping after epoch 1 and resuming gives the same adapter as never stopping (fixed seed, saved optimizer)."""
    from safetensors.torch import load_file

    registry = ModelRegistry(paths)
    corpus = style_corpus(tmp_path / "texts")
    params = StyleParams(**{**FAST.to_params(), "steps": 8, "sample_tokens": 0})
    train(registry, learn_style_spec(name="Whole", base=tiny_base, texts=[corpus], params=params, seed=3))
    with pytest.raises(JobCancelled):
        train(
            registry,
            learn_style_spec(name="Split", base=tiny_base, texts=[corpus], params=params, seed=3),
            Collect(stop_after_epoch=1),
        )
    train(registry, learn_style_spec(name="Split", base="", resume=True))
    whole = load_file(str(styles.get_style(paths.models_dir, "Whole").peft_dir / styles.PEFT_WEIGHTS_FILE))
    split = load_file(str(styles.get_style(paths.models_dir, "Split").peft_dir / styles.PEFT_WEIGHTS_FILE))
    assert whole.keys() == split.keys()
    worst = max(float((whole[k] - split[k]).abs().max()) for k in whole)
    assert worst < 1e-5, worst


def test_a_run_stopped_before_its_first_epoch_leaves_nothing(tiny_base: str, paths: AppPaths, tmp_path: Path) -> None:
    registry = ModelRegistry(paths)
    corpus = style_corpus(tmp_path / "texts")
    ctx = RunContext()

    def stop_at_first_step(payload: object) -> None:
        if isinstance(payload, StyleProgress):
            ctx.cancel.cancel()

    ctx.on_partial = stop_at_first_step
    host = EngineHost(registry)
    try:
        with pytest.raises(JobCancelled):
            host.run(learn_style_spec(name="Never", base=tiny_base, texts=[corpus], params=FAST), ctx)
    finally:
        host.unload_all()
    assert not styles.style_folder(paths.models_dir, "Never").exists()
    assert [e.id for e in registry.entries(ModelKind.TEXT) if e.source is ModelSource.STYLE] == []


def test_the_style_trainer_is_a_builtin_on_the_train_lane() -> None:
    from aigc_desktop.core.engines.host import LANES

    assert BUILTIN_MODELS[STYLE_TRAINER_MODEL_ID].backend == "aigc-style-train"
    spec = learn_style_spec(name="x", base="b", texts=["/"])
    assert LANES[spec.kind] == "train" and spec.model_id == STYLE_TRAINER_MODEL_ID
    assert json.loads(json.dumps(spec.to_dict()))["inputs"]["name"] == "x"
    assert math.isclose(StyleParams.from_spec(spec).minutes, 10.0)


INNER_TEST = """
from test_learn_style import one_training_thread  # noqa: F401  (the fixture under test)

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import BUILTIN_MODELS
from aigc_desktop.core.engines.torch_training import TorchTrainingEngine
from aigc_desktop.core.train.style_job import STYLE_TRAINER_MODEL_ID


def test_a_trainer_loads(one_training_thread):
    engine = TorchTrainingEngine()
    engine.load(BUILTIN_MODELS[STYLE_TRAINER_MODEL_ID], RunContext())  # sets torch's threads, process-wide
    assert engine.threads() == 1
"""


def test_one_training_thread_puts_torchs_thread_count_back(pytester: pytest.Pytester) -> None:
    """The fixture's trainer sets torch's threads for the whole process: after the test they are what they were, so
    a later test in the same process (one that does not ask for one thread) runs as it would alone."""
    import torch

    torch.set_num_threads(3)  # not 1 (what the fixture's trainer sets) and not a default the machine may have
    pytester.syspathinsert(Path(__file__).parent)
    pytester.makepyfile(test_inner=INNER_TEST)
    pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert torch.get_num_threads() == 3
