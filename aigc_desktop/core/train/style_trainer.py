"""The LoRA training loop behind "Learn my style" (torch, transformers and peft; imported on the train lane only).

The texts are tokenised with the base's tokenizer, joined with blank lines and cut into blocks of `block_tokens`
(each starting with the BOS token, as the model saw text in pre-training); the last blocks are held back for
checking (style_job.held_back_blocks). A peft LoRA on every attention and MLP projection is trained with AdamW at a
fixed seed (the adapter's initialisation and each epoch's block order come from it), in float32 on the CPU or on
CUDA when present. The first two steps are timed and the time budget becomes a number of steps; an "epoch" is one
pass over the training blocks, or half the plan when a pass does not fit twice in the budget.

After each epoch: the held-back perplexity, a greedy sample continuation of a held-back opening, then the epoch is
saved (core/models/styles.py: adapter in peft and GGUF form, plus this run's optimizer state and position, so a
stopped or killed run resumes at the last saved epoch). The tokenised texts are saved once, before the first step,
in the style's training/ folder: a resume needs neither the original files nor the document.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from aigc_desktop.core import atomic
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models import styles
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.train.corpus import CorpusSummary
from aigc_desktop.core.train.style_job import (
    StyleEpoch,
    StyleOutput,
    StyleParams,
    StylePrepared,
    StyleProgress,
    estimate_steps,
    held_back_blocks,
)

log = logging.getLogger(__name__)

# The two projections that write into each block's residual stream: attention output and MLP down. Every adapted
# weight adds its own small matrix products to each generated token in llama.cpp, and on the CPU their count, not
# their size, sets the cost. Gemma 3 270M on 2 cores: all 7 projections of every block (126 pairs) ran at ~0.82x the
# base's speed, these 2 (36 pairs) at ~0.95x. Of the 2-projection choices they learn most: on the tiny test model in
# 16 steps the signature gained 4.5 nats (q+v 1.8, v+o 2.5, v+down 4.0; all 7: 6.7).
TARGET_MODULES = ("o_proj", "down_proj")
TOKENS_FILE = "tokens.safetensors"
SUMMARY_FILE = "corpus.json"
TRAINER_STATE_FILE = styles.TRAINER_STATE_FILE
OPTIMIZER_FILE = styles.OPTIMIZER_FILE
SAMPLE_PROMPT_TOKENS = 16


def load_base(entry: ModelEntry, device: str) -> tuple[Any, Any]:
    """(model, tokenizer) of a base in float32: a GGUF file is dequantised by transformers (gguf_file=), a
    transformers folder loads as it is."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # tqdm bars mean nothing in the app or CLI
    try:
        if entry.backend == "llama.cpp":
            folder, name = str(entry.path.parent), entry.path.name
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
            model: Any = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
        else:
            tokenizer = AutoTokenizer.from_pretrained(str(entry.path))
            model = AutoModelForCausalLM.from_pretrained(str(entry.path), dtype=torch.float32)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("LearnStyle", "{name} cannot be trained: {reason}").format(name=entry.name, reason=exc)
        ) from exc
    return model.to(device), tokenizer


def make_blocks(texts: tuple[str, ...], tokenizer: Any, block_tokens: int) -> tuple[torch.Tensor, int]:
    """(blocks [n, block_tokens] int64, tokens in the texts): the texts joined by blank lines, cut into blocks that
    each start with BOS; the tail shorter than a block is dropped."""
    ids: list[int] = []
    separator = tokenizer("\n\n", add_special_tokens=False)["input_ids"]
    for i, text in enumerate(texts):
        if i:
            ids.extend(separator)
        ids.extend(tokenizer(text, add_special_tokens=False)["input_ids"])
    body = block_tokens - 1
    count = len(ids) // body
    bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else (tokenizer.eos_token_id or 0)
    data = torch.tensor(ids[: count * body], dtype=torch.long).view(count, body)
    blocks = torch.cat([torch.full((count, 1), int(bos), dtype=torch.long), data], dim=1)
    return blocks, len(ids)


@dataclass
class RunState:
    """Where a run is (saved with each epoch, read back on resume)."""

    step: int = 0
    epoch: int = 0  # epochs finished
    total_steps: int = 0
    epoch_steps: int = 0
    epochs: int = 0
    seconds_per_step: float = 0.0
    seconds: float = 0.0  # training time so far, pauses excluded
    perplexity_before: float = 0.0
    created: float = field(default_factory=time.time)
    step_losses: list[float] = field(default_factory=list)
    epoch_reports: list[dict[str, Any]] = field(default_factory=list)


class StyleTrainer:
    def __init__(
        self,
        *,
        model: Any,
        tokenizer: Any,
        base: ModelEntry,
        params: StyleParams,
        seed: int,
        device: str,
        folder: Path,
        name: str,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.base = base
        self.params = params
        self.seed = seed
        self.device = device
        self.folder = folder
        self.name = name
        self.state = RunState()
        self.summary: CorpusSummary | None = None
        self.train: torch.Tensor = torch.empty(0, dtype=torch.long)
        self.held: torch.Tensor = torch.empty(0, dtype=torch.long)
        self._optimizer: Any = None

    # ------------------------------------------------------------ data

    def prepare_texts(self, texts: tuple[str, ...], summary: CorpusSummary) -> None:
        """Tokenises and splits the corpus, and saves the tokens (a resume reads them back)."""
        blocks, tokens = make_blocks(texts, self.tokenizer, self.params.block_tokens)
        if blocks.shape[0] < 2:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "LearnStyle",
                    "Too little text to learn a style from: {tokens} tokens make {blocks} block(s) of "
                    "{block} tokens, and at least 2 are needed (one to learn from, one to check against).",
                ).format(tokens=tokens, blocks=int(blocks.shape[0]), block=self.params.block_tokens)
            )
        held = held_back_blocks(int(blocks.shape[0]))
        self.train, self.held = blocks[:-held], blocks[-held:]
        self.summary = replace(summary, tokens=tokens, held_back_tokens=int(self.held.numel()))
        training = self.folder / styles.TRAINING_DIR
        training.mkdir(parents=True, exist_ok=True)
        with atomic.replacing(training / TOKENS_FILE, durable=True) as temp:
            save_file({"train": self.train.to(torch.int32), "held": self.held.to(torch.int32)}, str(temp))
        atomic.write_json(training / SUMMARY_FILE, _summary_dict(self.summary), durable=True)

    def load_texts(self) -> None:
        """The tokens and summary a previous run of this style saved (resume)."""
        training = self.folder / styles.TRAINING_DIR
        try:
            tensors = load_file(str(training / TOKENS_FILE))
            data = json.loads((training / SUMMARY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(
                QT_TRANSLATE_NOOP("LearnStyle", "The stopped run of '{name}' cannot be resumed: {reason}").format(
                    name=self.name, reason=exc
                )
            ) from exc
        self.train, self.held = tensors["train"].long(), tensors["held"].long()
        self.summary = _summary_from(data)

    # ------------------------------------------------------------ model

    def attach_adapter(self, resume_from: Path | None = None) -> None:
        from peft import LoraConfig, get_peft_model, set_peft_model_state_dict

        torch.manual_seed(self.seed)  # the adapter's initial A matrices (B starts at zero)
        config = LoraConfig(
            r=self.params.rank,
            lora_alpha=self.params.alpha,
            target_modules=list(TARGET_MODULES),
            lora_dropout=0.0,
            bias="none",
            task_type="CAUSAL_LM",
        )
        self.model = get_peft_model(self.model, config)
        if resume_from is not None:
            weights = load_file(str(resume_from / styles.PEFT_WEIGHTS_FILE), device=self.device)
            set_peft_model_state_dict(self.model, weights)
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        self._optimizer = torch.optim.AdamW(trainable, lr=self.params.lr, weight_decay=0.0)
        if resume_from is not None and (resume_from / OPTIMIZER_FILE).is_file():
            self._load_optimizer(resume_from / OPTIMIZER_FILE)

    def perplexity(self, blocks: torch.Tensor, *, adapter: bool = True) -> float:
        """exp(mean cross-entropy per predicted token) over `blocks`."""
        self.model.eval()
        total, count = 0.0, 0
        with torch.no_grad(), self._adapter_off(not adapter):
            for start in range(0, int(blocks.shape[0]), self.params.batch_size):
                batch = blocks[start : start + self.params.batch_size].to(self.device)
                loss = self.model(input_ids=batch, labels=batch).loss
                n = int(batch.shape[0]) * (int(batch.shape[1]) - 1)
                total += float(loss) * n
                count += n
        return math.exp(total / max(1, count))

    def sample(self) -> tuple[str, str]:
        """(a held-back opening, its greedy continuation with the adapter)."""
        if self.params.sample_tokens <= 0 or self.held.numel() == 0:
            return "", ""
        prompt = self.held[0, : SAMPLE_PROMPT_TOKENS + 1].unsqueeze(0).to(self.device)
        self.model.eval()
        with torch.no_grad():
            out = self.model.generate(
                input_ids=prompt,
                attention_mask=torch.ones_like(prompt),
                max_new_tokens=self.params.sample_tokens,
                do_sample=False,
                pad_token_id=self.tokenizer.pad_token_id or 0,
            )
        text = self.tokenizer.decode(prompt[0, 1:], skip_special_tokens=True)
        continuation = self.tokenizer.decode(out[0, prompt.shape[1] :], skip_special_tokens=True)
        return text, continuation

    def _adapter_off(self, off: bool) -> Any:
        import contextlib

        return self.model.disable_adapter() if off else contextlib.nullcontext()

    def train_step(self, batch: torch.Tensor) -> float:
        self.model.train()
        batch = batch.to(self.device)
        autocast = (
            torch.autocast(device_type=self.device, dtype=torch.bfloat16)
            if self.params.precision == "bf16"
            else _null()
        )
        with autocast:
            loss = self.model(input_ids=batch, labels=batch).loss
        loss.backward()
        self._optimizer.step()
        self._optimizer.zero_grad(set_to_none=True)
        return float(loss.detach())

    # ------------------------------------------------------------ the run

    def run(self, ctx: RunContext, *, resumed_from: int = 0) -> StyleOutput:
        state = self.state
        n_train = int(self.train.shape[0])
        batch = self.params.batch_size
        steps_per_pass = max(1, math.ceil(n_train / batch))
        if not resumed_from:
            ctx.progress(None, QT_TRANSLATE_NOOP("LearnStyle", "Checking the held-back text…"))
            eval_started = time.perf_counter()
            state.perplexity_before = self.perplexity(self.held, adapter=False)
            eval_seconds = time.perf_counter() - eval_started
        else:
            eval_seconds = 0.0
        losses_since: list[float] = []
        started_at = time.perf_counter()
        paused_for = 0.0

        def timed_wait() -> None:
            nonlocal paused_for
            before = time.perf_counter()
            ctx.wait_if_paused()
            paused_for += time.perf_counter() - before

        def training_seconds() -> float:
            return state.seconds + (time.perf_counter() - started_at - paused_for)

        order = self._order(state.epoch, n_train)
        position = 0  # a resumed run starts at an epoch boundary (epochs are saved at their end)

        def one_step() -> float:
            nonlocal position
            loss = self.train_step(self._batch(order, position))
            position += 1
            state.step += 1
            state.step_losses.append(loss)
            losses_since.append(loss)
            return loss

        def after_step(loss: float) -> None:
            nonlocal order, position, started_at, paused_for, losses_since
            self._report_step(ctx, loss, losses_since, training_seconds())
            losses_since = []
            if state.step % state.epoch_steps == 0 or state.step >= state.total_steps:
                state.epoch += 1
                state.seconds = training_seconds()
                started_at, paused_for = time.perf_counter(), 0.0
                self._finish_epoch(ctx)
                order, position = self._order(state.epoch, n_train), 0

        if not resumed_from:
            # Time two real steps (the first also warms up kernels); the second plans the run.
            times, losses = [], []
            for _ in range(min(2, steps_per_pass)):
                timed_wait()
                t0 = time.perf_counter()
                losses.append(one_step())
                times.append(time.perf_counter() - t0)
            self._plan(times[-1], eval_seconds, steps_per_pass)
            self._prepared(ctx, times[-1], resumed_from)
            for i, loss in enumerate(losses[:-1]):  # the plan is known only now: report the earlier timed steps
                self._report_step(ctx, loss, [loss], training_seconds(), step=i + 1)
            losses_since = losses_since[-1:]
            after_step(losses[-1])
        else:
            self._prepared(ctx, state.seconds_per_step, resumed_from)
        while state.step < state.total_steps:
            timed_wait()
            after_step(one_step())
        return self._output()

    def _order(self, epoch: int, n: int) -> torch.Tensor:
        generator = torch.Generator().manual_seed(self.seed * 1_000_003 + epoch)
        return torch.randperm(n, generator=generator)

    def _batch(self, order: torch.Tensor, position: int) -> torch.Tensor:
        n = int(order.shape[0])
        size = self.params.batch_size
        idx = [int(order[(position * size + i) % n]) for i in range(min(size, n))]
        return self.train[idx]

    def _plan(self, per_step: float, eval_seconds: float, steps_per_pass: int) -> None:
        state = self.state
        state.seconds_per_step = per_step
        if self.params.steps:
            total = self.params.steps
        else:
            # Each epoch also evaluates the held-back slice and writes a sample: spread that over its steps.
            sample_seconds = per_step * self.params.sample_tokens / max(1, self.params.block_tokens)
            overhead = (eval_seconds + sample_seconds) / steps_per_pass
            total = estimate_steps(self.params.minutes, per_step + overhead)
        total = max(state.step, min(total, self.params.max_epochs * steps_per_pass))
        state.total_steps = total
        epoch_steps = steps_per_pass if total >= 2 * steps_per_pass else max(1, math.ceil(total / 2))
        state.epoch_steps = max(epoch_steps, state.step)  # the timed steps are never split over two epochs
        state.epochs = math.ceil(total / state.epoch_steps)

    def _prepared(self, ctx: RunContext, per_step: float, resumed_from: int) -> None:
        assert self.summary is not None
        ctx.partial(
            StylePrepared(
                corpus=self.summary,
                train_blocks=int(self.train.shape[0]),
                held_back_blocks=int(self.held.shape[0]),
                block_tokens=self.params.block_tokens,
                seconds_per_step=per_step,
                total_steps=self.state.total_steps,
                epochs=self.state.epochs,
                steps_per_epoch=self.state.epoch_steps,
                perplexity_before=self.state.perplexity_before,
                device=self.device,
                resumed_from_epoch=resumed_from,
            )
        )
        ctx.progress(
            self.state.step / max(1, self.state.total_steps),
            QT_TRANSLATE_NOOP("LearnStyle", "Learning from {words} words: {steps} steps in {epochs} epochs…").format(
                words=self.summary.words, steps=self.state.total_steps, epochs=self.state.epochs
            ),
        )

    def _report_step(
        self, ctx: RunContext, loss: float, since: list[float], seconds: float, step: int | None = None
    ) -> None:
        state = replace(self.state, step=step) if step is not None else self.state
        tokens = state.step * self.params.batch_size * self.params.block_tokens
        rate = tokens / seconds if seconds > 0 else 0.0
        per_step = seconds / max(1, state.step)
        ctx.partial(
            StyleProgress(
                epoch=min(state.epoch + 1, state.epochs),
                epochs=state.epochs,
                step=state.step,
                total_steps=state.total_steps,
                loss=loss,
                step_losses=tuple(since),
                tokens_per_second=rate,
                eta_seconds=per_step * (state.total_steps - state.step),
                checkpoint_epoch=state.epoch,
                style_path=str(self.folder) if state.epoch else "",
            )
        )
        ctx.progress(state.step / max(1, state.total_steps))

    def _finish_epoch(self, ctx: RunContext) -> None:
        state = self.state
        ctx.progress(
            None, QT_TRANSLATE_NOOP("LearnStyle", "Epoch {epoch}: checking and saving…").format(epoch=state.epoch)
        )
        perplexity = self.perplexity(self.held)
        prompt, text = self.sample()
        epoch_losses = state.step_losses[-self._steps_in_epoch() :]
        report = StyleEpoch(
            epoch=state.epoch,
            epochs=state.epochs,
            step=state.step,
            mean_loss=sum(epoch_losses) / max(1, len(epoch_losses)),
            perplexity_before=state.perplexity_before,
            perplexity_now=perplexity,
            sample_prompt=prompt,
            sample_text=text,
            saved_path=str(self.folder),
            model_id=styles.style_id(self.name),
            seconds=state.seconds,
        )
        state.epoch_reports.append(report.__dict__.copy())
        finished = state.step >= state.total_steps
        self.save_epoch(perplexity, finished=finished)
        ctx.partial(report)

    def _steps_in_epoch(self) -> int:
        state = self.state
        return state.step - (state.epoch - 1) * state.epoch_steps

    def save_epoch(self, perplexity_now: float, *, finished: bool) -> None:
        """Writes this epoch's adapter (peft + GGUF), optimizer state and position, then makes it the style."""
        from peft import get_peft_model_state_dict

        from aigc_desktop.core.train.lora_gguf import gguf_architecture, write_gguf_lora

        assert self.summary is not None
        state = self.state
        weights = {k: v.detach().to("cpu").contiguous() for k, v in get_peft_model_state_dict(self.model).items()}
        temp = styles.begin_epoch_dir(self.folder, state.epoch)
        save_file(weights, str(temp / styles.PEFT_WEIGHTS_FILE), metadata={"format": "pt"})
        config = self.model.peft_config["default"].to_dict()
        config["target_modules"] = sorted(config.get("target_modules") or TARGET_MODULES)
        config["base_model_name_or_path"] = self.base.id
        (temp / styles.PEFT_CONFIG_FILE).write_text(json.dumps(config, indent=2, default=str), encoding="utf-8")
        if self.base.backend == "llama.cpp":
            arch, blocks = gguf_architecture(self.base.path)
            write_gguf_lora(
                weights,
                alpha=self.params.alpha,
                architecture=arch,
                blocks=blocks,
                target=temp / styles.GGUF_ADAPTER_FILE,
                name=self.name,
            )
        if not finished:
            save_file(self._optimizer_tensors(), str(temp / OPTIMIZER_FILE))
            (temp / TRAINER_STATE_FILE).write_text(json.dumps(state.__dict__), encoding="utf-8")
        now = time.time()
        record = styles.StyleRecord(
            name=self.name,
            base_model_id=self.base.id,
            base_name=self.base.name,
            created=state.created,
            updated=now,
            words=self.summary.words,
            tokens=self.summary.tokens or 0,
            files=len(self.summary.files),
            held_back_tokens=self.summary.held_back_tokens or 0,
            epochs_done=state.epoch,
            epochs_planned=state.epochs,
            steps_done=state.step,
            total_steps=state.total_steps,
            status=styles.StyleStatus.FINISHED if finished else styles.StyleStatus.TRAINING,
            perplexity_before=state.perplexity_before,
            perplexity_after=perplexity_now,
            adapter_dir=styles.epoch_dir_name(state.epoch),
            rank=self.params.rank,
            alpha=self.params.alpha,
            seed=self.seed,
            sources=tuple(Path(f.path).name for f in self.summary.files),
            params=self.params.to_params(),
        )
        styles.commit_epoch(self.folder, temp, record)
        if finished:
            styles.finish_training(self.folder)

    def restore(self, epoch_dir: Path) -> None:
        """The RunState saved with a stopped run's last epoch."""
        data = json.loads((epoch_dir / TRAINER_STATE_FILE).read_text(encoding="utf-8"))
        known = set(RunState.__dataclass_fields__)
        self.state = RunState(**{k: v for k, v in data.items() if k in known})

    def _optimizer_tensors(self) -> dict[str, torch.Tensor]:
        """AdamW's state as flat tensors (safetensors: no pickle in the models folder)."""
        flat: dict[str, torch.Tensor] = {}
        for index, values in self._optimizer.state_dict()["state"].items():
            for key, value in values.items():
                tensor = value if isinstance(value, torch.Tensor) else torch.tensor(float(value))
                flat[f"{index}.{key}"] = tensor.detach().to("cpu").contiguous()
        return flat

    def _load_optimizer(self, path: Path) -> None:
        flat = load_file(str(path))
        current = self._optimizer.state_dict()
        state: dict[int, dict[str, torch.Tensor]] = {}
        for name, tensor in flat.items():
            index, _, key = name.partition(".")
            state.setdefault(int(index), {})[key] = tensor.to(self.device)
        current["state"] = state
        self._optimizer.load_state_dict(current)

    def _output(self) -> StyleOutput:
        assert self.summary is not None
        state = self.state
        style = styles.get_style(self.folder.parent.parent, self.name)
        reports = tuple(StyleEpoch(**r) for r in state.epoch_reports)
        minutes = state.seconds / 60.0
        return StyleOutput(
            model_id=styles.style_id(self.name),
            path=self.folder,
            record=style.record,
            epochs=state.epoch,
            steps=state.step,
            perplexity_before=state.perplexity_before,
            perplexity_after=reports[-1].perplexity_now if reports else state.perplexity_before,
            seconds=state.seconds,
            seconds_per_step=state.seconds / max(1, state.step),
            # words seen: the corpus's words times the passes the steps made over the training blocks
            words_per_minute=(
                self.summary.words * state.step * self.params.batch_size / max(1, int(self.train.shape[0])) / minutes
                if minutes
                else 0.0
            ),
            epoch_reports=reports,
            step_losses=tuple(state.step_losses),
        )


def _null() -> Any:
    import contextlib

    return contextlib.nullcontext()


def _summary_dict(summary: CorpusSummary) -> dict[str, Any]:
    return {
        "files": [{"path": f.path, "encoding": f.encoding, "words": f.words, "chars": f.chars} for f in summary.files],
        "skipped": [{"path": s.path, "reason": str(s.reason)} for s in summary.skipped],
        "words": summary.words,
        "chars": summary.chars,
        "tokens": summary.tokens,
        "held_back_tokens": summary.held_back_tokens,
    }


def _summary_from(data: dict[str, Any]) -> CorpusSummary:
    from aigc_desktop.core.i18n import Msg
    from aigc_desktop.core.train.corpus import CorpusFile, SkippedFile

    return CorpusSummary(
        files=tuple(CorpusFile(**f) for f in data.get("files", [])),
        skipped=tuple(SkippedFile(s["path"], Msg("Corpus", s["reason"])) for s in data.get("skipped", [])),
        words=int(data.get("words", 0)),
        chars=int(data.get("chars", 0)),
        tokens=data.get("tokens"),
        held_back_tokens=data.get("held_back_tokens"),
    )


ProgressFn = Callable[[float | None, str], None]
