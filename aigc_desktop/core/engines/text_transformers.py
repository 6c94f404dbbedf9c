"""Text generation with a Hugging Face transformers causal LM folder (safetensors weights, local files only).

torch and transformers are imported in `load()` on the worker thread: importing them costs seconds and gigabytes, and
the GUI thread (and listing models) must never pay that.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.hf_loading import free_memory, load_checked, refuse_pickle_only
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.safety import pickle_allowed
from aigc_desktop.core.specs import JobResult, JobSpec
from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, prompt_of

log = logging.getLogger(__name__)

BACKEND = "transformers"
WRITING = QT_TRANSLATE_NOOP("TextEngine", "Writing…")
# Opt-in for pickle (.bin) weights. Even then they load with torch.load(weights_only=True), which refuses arbitrary
# objects, but that unpickler has had escapes before, so the default stays safetensors only.
# The dtype for CPU inference (a torch dtype name); None picks one for this CPU (cpu_dtype_name). Benchmarks set it.
CPU_DTYPE: str | None = None
# Prefix reuse: the prompt's KV cache is kept between runs, but only for positions computed in whole chunks of this
# many tokens aligned from the start, each chunk in one forward pass of its own, and the prompt's last partial chunk
# always in one pass with generation. Every position is then computed by the same arithmetic whatever the cache held
# before (a forward over another split rounds differently), so a seeded text does not depend on the cache.
PREFIX_CHUNK = 64


def physical_cores() -> int:
    """CPU cores we may run on, not counting SMT siblings: matmul threads on siblings slow generation down."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count() or 1
    cores: set[tuple[str, str]] = set()
    try:
        physical_id = core_id = ""
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "physical id":
                    physical_id = value.strip()
                elif key == "core id":
                    core_id = value.strip()
                    cores.add((physical_id, core_id))
    except OSError:
        pass
    return max(1, min(usable, len(cores) or usable))


def cpu_dtype_name() -> str:
    """bf16 on CPUs with bf16 instructions (AVX512-BF16 or AMX), fp32 elsewhere.

    Measured with benchmarks/text_transformers.py (random-weight Qwen2-0.5B shape, greedy, 2 threads) on this
    project's 2-core AMD EPYC, which has AVX512-BF16 (ENVIRONMENT.md's "no AVX-512" is wrong; /proc/cpuinfo and
    torch both report it): bf16 ran 13-19 tok/s against 1.9-3.3 tok/s for fp32 (ENVIRONMENT.md saw 17.9 vs 7.8 for
    gemma-3-270m). Decoding is memory-bound and bf16 halves the bytes per token, and these CPUs multiply bf16
    natively. Where bf16 would be emulated it is unmeasured, so fp32 (exact on every CPU) stays the default there.
    """
    if CPU_DTYPE:
        return CPU_DTYPE
    import torch

    native_bf16 = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bfloat16" if native_bf16 else "float32"


def _trim_at_stop(text: str, stops: tuple[str, ...]) -> tuple[str, bool]:
    """The text before the earliest stop sequence, and whether one was found."""
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=-1)
    return (text[:cut], True) if cut >= 0 else (text, False)


def _held_back(text: str, stops: tuple[str, ...]) -> int:
    """How many trailing characters could still turn out to be the start of a stop sequence (not shown yet)."""
    longest = 0
    for stop in stops:
        for k in range(min(len(stop) - 1, len(text)), longest, -1):
            if text.endswith(stop[:k]):
                longest = k
                break
    return longest


def _overall(variant: int, max_new: int, runs: int, tokens: int) -> float:
    """Progress over all variants: `tokens` done in `variant` (0-based) of `runs`."""
    return (variant + tokens / max_new) / runs


class _StopSequenceReached(Exception):
    """Leaves generate() from the streamer as soon as a stop sequence shows up in the text."""


@dataclass
class _Stream:
    """The text of one variant as it grows: decodes the new tokens, hides stop sequences, emits only stable text.

    The whole continuation is decoded again on every token (a few hundred microseconds even for thousands of tokens,
    next to tens of milliseconds per token for the model) because decoding pieces one by one differs from decoding
    the whole: multi-byte characters split over tokens, SentencePiece's leading space. Text ending in U+FFFD (half a
    character) is held back until the rest arrives, so the joined chunks always equal the final text.
    """

    tokenizer: Any
    index: int
    stops: tuple[str, ...]
    ctx: RunContext
    started: float
    tokens: list[int] = field(default_factory=list)
    emitted: str = ""
    stop_hit: bool = False
    first_chunk_at: float | None = None

    def add(self, token_ids: list[int]) -> None:
        if self.stop_hit:
            return
        self.tokens.extend(token_ids)
        text = self.tokenizer.decode(self.tokens, skip_special_tokens=True)
        text, self.stop_hit = _trim_at_stop(text, self.stops)
        if not self.stop_hit:
            text = text.rstrip("\ufffd")
            text = text[: len(text) - _held_back(text, self.stops)]
        self._emit_up_to(text)

    def finish(self) -> str:
        """The final text (decoded in one piece, like the library does); emits whatever was still held back."""
        text = self.tokenizer.decode(self.tokens, skip_special_tokens=True)
        text, found = _trim_at_stop(text, self.stops)
        self.stop_hit = self.stop_hit or found
        self._emit_up_to(text)
        if not text.startswith(self.emitted):  # a tokenizer whose decode of the whole differs from its parts
            log.warning("streamed text diverged from the final decode; returning what was shown")
            return self.emitted
        return text

    def _emit_up_to(self, text: str) -> None:
        if len(text) <= len(self.emitted) or not text.startswith(self.emitted):
            return
        piece = text[len(self.emitted) :]
        self.emitted = text
        if self.first_chunk_at is None:
            self.first_chunk_at = time.perf_counter()
        self.ctx.partial(TextChunk(self.index, piece))


class TransformersTextEngine:
    """One causal LM folder loaded with AutoModelForCausalLM; streams tokens and stops within one token of Stop."""

    def __init__(self) -> None:
        self._torch: Any = None
        self._transformers: Any = None
        self._model: Any = None
        self._tokenizer: Any = None
        self._entry: ModelEntry | None = None
        self._device = "cpu"
        self._dtype_name = ""
        self._cache: Any = None  # the kept DynamicCache (None: the model's cache cannot be cut back, see _prefix)
        self._cached_ids: list[int] = []  # the tokens whose keys and values it holds, all on the chunk grid
        self._grid_end = 0  # where the last prompt's partial chunk started: the cache is kept up to there
        self._reused = 0  # prompt tokens the last run found in the cache

    # ------------------------------------------------------------ load / unload

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        path = Path(model.path)
        # The user's consent for this model (Models window / `aigc models allow-pickle`), or the global opt-in.
        allow_pickle = pickle_allowed(model, ctx.paths)
        refuse_pickle_only(model, allow_pickle, can_allow=True)
        ctx.progress(None, QT_TRANSLATE_NOOP("TextEngine", "Loading torch and transformers…"))
        import torch  # heavy: imported on the worker thread, never on the GUI thread
        import transformers
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # tqdm bars on stderr mean nothing in a desktop app
        self._torch = torch
        self._transformers = transformers
        if torch.cuda.is_available():
            self._device = "cuda"
            dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        else:
            self._device = "cpu"
            torch.set_num_threads(physical_cores())
            dtype = getattr(torch, cpu_dtype_name())  # bf16 where measured faster; see cpu_dtype_name
        self._dtype_name = str(dtype).removeprefix("torch.")
        ctx.progress(None, QT_TRANSLATE_NOOP("TextEngine", "Loading {name}…").format(name=model.name))

        # The tokenizer loads in here too, so a broken one gets the same one-line message; failures clear it again.
        def from_pretrained() -> Any:
            self._tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
            with_info: Any = transformers.AutoModelForCausalLM.from_pretrained(
                path,
                local_files_only=True,
                dtype=dtype,
                device_map=self._device,
                # Only .safetensors unless the user opted in; then torch.load(weights_only=True), the library default.
                use_safetensors=not (model.pickle_only and allow_pickle),
                weights_only=True,  # pickle weights (only ever with consent) may hold tensors and nothing else
                trust_remote_code=False,  # a model folder must never run its own Python code
                output_loading_info=True,
            )
            return with_info

        as_what = QT_TRANSLATE_NOOP("TextEngine", "as a transformers text model")
        loaded = load_checked(model, as_what, from_pretrained, self._release)
        if model.adapter is not None:  # a style: its peft LoRA merged into the base (same speed as the base)
            from peft import PeftModel

            loaded = PeftModel.from_pretrained(loaded, str(model.adapter)).merge_and_unload()
        loaded.eval()
        self._model = loaded
        self._entry = model
        log.info("loaded %s on %s as %s", path, self._device, self._dtype_name)

    def unload(self) -> None:
        self._release()
        self._entry = None

    def _release(self) -> None:
        self._cache = None
        self._cached_ids = []
        self._model = None
        self._tokenizer = None
        free_memory(self._torch, self._device)

    # ------------------------------------------------------------ run

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._model is None or self._tokenizer is None or self._entry is None:
            raise UserError(QT_TRANSLATE_NOOP("TextEngine", "No text model is loaded."))
        torch = self._torch
        params = TextParams.from_spec(spec)
        prompt = prompt_of(spec)
        tokenizer = self._tokenizer
        started = time.perf_counter()

        if params.chat and getattr(tokenizer, "chat_template", None):
            text = tokenizer.apply_chat_template(
                [{"role": "user", "content": prompt}], add_generation_prompt=True, tokenize=False
            )
            # The template already writes the special tokens (BOS...) it wants; adding them again changes the output.
            encoded = tokenizer(text, return_tensors="pt", add_special_tokens=False)
        else:
            encoded = tokenizer(prompt, return_tensors="pt")
        input_ids = encoded["input_ids"].to(self._model.device)
        attention_mask = encoded["attention_mask"].to(self._model.device)
        prompt_tokens = int(input_ids.shape[1])
        if prompt_tokens == 0:
            raise UserError(QT_TRANSLATE_NOOP("TextEngine", "The prompt gives no tokens for this model."))
        max_new = self._room_for(prompt_tokens, params.max_new_tokens)

        common: dict[str, Any] = {
            "input_ids": input_ids,
            "attention_mask": attention_mask,
            "max_new_tokens": max_new,
            "repetition_penalty": params.repetition_penalty,
            "pad_token_id": self._pad_token_id(),
        }
        seed = spec.seed if spec.seed is not None else 0
        self._reused = 0
        if params.num_beams > 1:
            texts, new_tokens, stopped, first_at = self._beams(params, common, ctx, started)
        else:
            texts, new_tokens, stopped, first_at = self._variants(params, common, ctx, started, seed)
        seconds = time.perf_counter() - started
        first_token_ms = None if first_at is None else (first_at - started) * 1000
        tokens_per_second = new_tokens / seconds if seconds > 0 else 0.0
        output = TextOutput(
            texts=texts,
            new_tokens=new_tokens,
            first_token_ms=first_token_ms,
            tokens_per_second=tokens_per_second,
            backend=BACKEND,
            stopped_early=stopped,
        )
        metrics = {
            "new_tokens": new_tokens,
            "prompt_tokens": prompt_tokens,
            "cached_tokens": self._reused,
            "tokens_per_second": round(tokens_per_second, 3),
            "first_token_ms": None if first_token_ms is None else round(first_token_ms, 1),
            "device": self._device,
            "dtype": self._dtype_name,
            "threads": torch.get_num_threads(),
        }
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    def _variants(
        self, params: TextParams, common: dict[str, Any], ctx: RunContext, started: float, seed: int
    ) -> tuple[list[str], int, list[bool], float | None]:
        """n independent texts, one after another (streaming each), with seeds seed..seed+n-1."""
        torch = self._torch
        sampling = not params.greedy and params.temperature > 0  # temperature 0 is argmax too
        # Argmax ignores the seed: every variant would be the same text, so compute it once.
        runs = params.n if sampling else 1
        texts: list[str] = []
        stopped: list[bool] = []
        new_tokens = 0
        first_at: float | None = None
        max_new = int(common["max_new_tokens"])
        reused = 0
        for i in range(runs):
            stream = _Stream(self._tokenizer, i, params.stop, ctx, started)
            kwargs = dict(common)
            if sampling:
                torch.manual_seed(seed + i)  # seeds the CPU and every CUDA generator: same seed, same text
                kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p, top_k=params.top_k)
            else:
                kwargs["do_sample"] = False
            kwargs.update(self._prefix(kwargs["input_ids"]))
            reused = self._reused if i == 0 else reused
            try:
                count = self._generate(kwargs, ctx, stream, functools.partial(_overall, i, max_new, runs))
            finally:
                self._keep_prefix()
            texts.append(stream.finish())
            stopped.append(stream.stop_hit or count < max_new or self._ended_on_eos(stream.tokens))
            new_tokens += count
            if first_at is None:
                first_at = stream.first_chunk_at
        self._reused = reused  # what the first text found in the cache (the others find the whole prompt's chunks)
        for i in range(runs, params.n):  # the copies of an argmax text
            ctx.partial(TextChunk(i, texts[0]))
            texts.append(texts[0])
            stopped.append(stopped[0])
        return texts, new_tokens, stopped, first_at

    def _beams(
        self, params: TextParams, common: dict[str, Any], ctx: RunContext, started: float
    ) -> tuple[list[str], int, list[bool], float | None]:
        """The n best beams. The library cannot stream beam search, so each text arrives whole at the end."""
        kwargs = dict(
            common,
            num_beams=params.num_beams,
            num_return_sequences=params.n,
            do_sample=False,
            early_stopping=True,
        )
        max_new = int(common["max_new_tokens"])
        prompt_len = int(common["input_ids"].shape[1])
        sequences = self._generate_beams(kwargs, ctx, lambda k: k / max_new)
        texts: list[str] = []
        stopped: list[bool] = []
        new_tokens = 0
        first_at: float | None = None
        for i, row in enumerate(sequences):
            tokens = self._until_eos([int(t) for t in row[prompt_len:].tolist()])
            stream = _Stream(self._tokenizer, i, params.stop, ctx, started)
            stream.tokens = tokens
            texts.append(stream.finish())
            if first_at is None:
                first_at = stream.first_chunk_at
            stopped.append(stream.stop_hit or self._ended_on_eos(tokens) or len(tokens) < max_new)
            new_tokens += len(tokens)
        return texts, new_tokens, stopped, first_at

    def _generate(
        self, kwargs: dict[str, Any], ctx: RunContext, stream: _Stream, fraction: Callable[[int], float]
    ) -> int:
        """Streamed generate(); returns how many new tokens it made.

        generate() runs its stopping criteria before it hands a token to the streamer, so a criterion set from the
        streamer would cost one more forward pass (a tenth of a second for a 0.5B model on a CPU). Raising from the
        streamer leaves generate() at once instead: on Stop and on a stop sequence.
        """
        torch = self._torch
        counted = {"tokens": 0, "prompt_seen": 0}

        from transformers.generation.streamers import BaseStreamer

        class _Streamer(BaseStreamer):
            def put(self, value: Any) -> None:
                if not counted["prompt_seen"]:  # generate() hands over the prompt first
                    counted["prompt_seen"] = 1
                    return
                if ctx.cancel.cancelled:  # computed after Stop (pressed during the forward pass): not shown
                    raise JobCancelled()
                counted["tokens"] += 1
                stream.add([int(t) for t in value.reshape(-1).tolist()])
                if ctx.cancel.cancelled:  # pressed from on_partial
                    raise JobCancelled()
                if stream.stop_hit:
                    raise _StopSequenceReached()
                ctx.progress(min(1.0, fraction(counted["tokens"])), WRITING)

            def end(self) -> None:
                pass

        try:
            with torch.inference_mode():
                self._model.generate(**kwargs, streamer=_Streamer(), stopping_criteria=self._halt_on_stop(ctx, None))
        except _StopSequenceReached:
            ctx.progress(min(1.0, fraction(counted["tokens"])), WRITING)
        if ctx.cancel.cancelled:
            raise JobCancelled()
        return counted["tokens"]

    def _generate_beams(self, kwargs: dict[str, Any], ctx: RunContext, fraction: Callable[[int], float]) -> Any:
        """generate() for beam search (no streamer possible): Stop and progress go through a stopping criterion."""
        torch = self._torch
        prompt_len = int(kwargs["input_ids"].shape[1])
        with torch.inference_mode():
            sequences = self._model.generate(
                **kwargs, stopping_criteria=self._halt_on_stop(ctx, lambda length: fraction(length - prompt_len))
            )
        if ctx.cancel.cancelled:
            raise JobCancelled()
        return sequences

    def _halt_on_stop(self, ctx: RunContext, progress: Callable[[int], float] | None) -> Any:
        """A stopping criterion that ends generation at the next token once Stop is pressed (from any thread)."""
        torch = self._torch
        transformers = self._transformers

        from transformers import StoppingCriteria

        class _Halt(StoppingCriteria):
            def __call__(self, input_ids: Any, scores: Any, **_: Any) -> Any:
                halt = ctx.cancel.cancelled
                if progress is not None and not halt:
                    ctx.progress(min(1.0, progress(int(input_ids.shape[1]))), WRITING)
                return torch.full((input_ids.shape[0],), halt, dtype=torch.bool, device=input_ids.device)

        return transformers.StoppingCriteriaList([_Halt()])

    # ------------------------------------------------------------ prefix reuse

    def _prefix(self, input_ids: Any) -> dict[str, Any]:
        """`past_key_values` for generate(): a cache holding the prompt up to the start of its last partial chunk,
        reusing the chunks kept from the last run that match it and computing the others one pass per chunk.
        Nothing (generate() makes its own cache) for models whose cache cannot be cut back to a position:
        sliding-window layers drop old positions."""
        torch = self._torch
        from transformers import DynamicCache

        ids = [int(t) for t in input_ids[0].tolist()]
        self._grid_end = self._reused = 0
        if self._cache is None:
            cache = DynamicCache(config=self._model.config)
            if any(type(layer).__name__ != "DynamicLayer" for layer in cache.layers):
                return {}
            self._cache, self._cached_ids = cache, []
        cache = self._cache
        common = 0
        for have, want in zip(self._cached_ids, ids, strict=False):
            if have != want:
                break
            common += 1
        tail = (len(ids) - 1) // PREFIX_CHUNK * PREFIX_CHUNK
        keep = min(common, tail) // PREFIX_CHUNK * PREFIX_CHUNK
        self._reused = keep
        _crop(cache, keep)
        self._cached_ids = ids[:keep]
        with torch.inference_mode():
            for start in range(keep, tail, PREFIX_CHUNK):
                end = start + PREFIX_CHUNK
                self._model(
                    input_ids=input_ids[:, start:end],
                    past_key_values=cache,
                    use_cache=True,
                    cache_position=torch.arange(start, end, device=input_ids.device),
                )
                self._cached_ids = ids[:end]
        self._grid_end = tail
        return {"past_key_values": cache}

    def _keep_prefix(self) -> None:
        """After a run: cut the cache back to the prompt's whole chunks (its tail and the new tokens were computed
        in other passes)."""
        if self._cache is None:
            return
        keep = min(len(self._cached_ids), self._grid_end)
        if self._cache.get_seq_length() < keep:  # a pass was cut short: trust nothing
            keep = 0
        _crop(self._cache, keep)
        self._cached_ids = self._cached_ids[:keep]

    # ------------------------------------------------------------ small helpers

    def _room_for(self, prompt_tokens: int, wanted: int) -> int:
        """New tokens that fit in the model's context after the prompt (positions past it crash or go to noise)."""
        config = self._model.config
        limit = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
        if not isinstance(limit, int) or limit <= 0:
            return wanted
        room = limit - prompt_tokens
        if room <= 0:
            name = self._entry.name if self._entry is not None else str(getattr(config, "name_or_path", ""))
            message = QT_TRANSLATE_NOOP(
                "TextEngine", "The prompt is {tokens} tokens long but {name} reads at most {limit}: shorten it."
            )
            raise UserError(message.format(tokens=prompt_tokens, name=name, limit=limit))
        return min(wanted, room)

    def _eos_ids(self) -> set[int]:
        ids: set[int] = set()
        for source in (self._model.generation_config, self._model.config):
            value = getattr(source, "eos_token_id", None)
            if isinstance(value, int):
                ids.add(value)
            elif isinstance(value, list | tuple):
                ids.update(int(v) for v in value)
        if self._tokenizer.eos_token_id is not None:
            ids.add(int(self._tokenizer.eos_token_id))
        return ids

    def _until_eos(self, tokens: list[int]) -> list[int]:
        """A beam up to its end-of-text token: shorter beams come back padded to the longest."""
        eos = self._eos_ids()
        for i, token in enumerate(tokens):
            if token in eos:
                return tokens[: i + 1]
        return tokens

    def _ended_on_eos(self, tokens: list[int]) -> bool:
        return bool(tokens) and tokens[-1] in self._eos_ids()

    def _pad_token_id(self) -> int | None:
        pad = self._tokenizer.pad_token_id
        if pad is None:
            pad = getattr(self._model.generation_config, "pad_token_id", None)
        if pad is None:  # GPT-2 style tokenizers have none; the library would warn and use EOS anyway
            eos = sorted(self._eos_ids())
            pad = eos[0] if eos else None
        return None if pad is None else int(pad)


def _crop(cache: Any, length: int) -> None:
    """Cut a DynamicCache back to its first `length` positions (its crop takes how many to remove, negative)."""
    remove = cache.get_seq_length() - length
    if remove > 0:
        cache.crop(-remove)
