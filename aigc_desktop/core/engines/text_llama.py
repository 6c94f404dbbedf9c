"""Text generation on GGUF models with llama-cpp-python: streamed sampling/greedy, variants and beam search.

llama_cpp is imported in `load` only, on the worker thread: importing it loads a large native library.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from aigc_desktop.core.engines.base import CancelToken, RunContext
from aigc_desktop.core.engines.llama_lora import apply_lora
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.specs import MAX_SEED, JobResult, JobSpec
from aigc_desktop.core.text.context import WINDOW_STEPS, stable_cut
from aigc_desktop.core.text.job import READ_AHEAD, TextChunk, TextOutput, TextParams, prompt_of

log = logging.getLogger(__name__)

BACKEND = "llama.cpp"
DEFAULT_N_CTX = 4096
# Cached prompt tokens are reused only where they were computed exactly as a fresh run computes them. llama.cpp's CPU
# kernels round a token differently depending on its place in a decode call (rows go through the matrix kernels in
# groups of 4; leftover rows, a lone token, take another path), so every run evaluates a prompt on one canonical
# grid that depends on token positions only: aligned chunks of _CPU_CHUNK tokens up to the start of the last, partial
# chunk, then that tail in one call of its own. Measured (tools: a 1,400-token prompt, last logits compared bit for
# bit): chunks sent as calls of 64, 128, 256, 512, random multiples of 64, or all in one call give identical results;
# calls of 7 or 13 tokens, single tokens, or a grid shifted by 3 do not. So on the CPU the aligned chunks go out in
# calls of up to n_batch tokens (as fast as llama-cpp-python alone) and a Continue re-reads at most one chunk plus
# what was added. GPU kernels change with the call size, so there every chunk is its own call, and chunks are larger.
# Flash attention (on since it makes long documents 3x faster to read) adds one rule: llama.cpp's CPU kernel takes
# another path for calls of at least _CPU_BLOCK tokens (its query tile, GGML_FA_TILE_Q) than for shorter ones, each
# exact per token. So whole blocks are always evaluated in calls of whole blocks, and the chunks after the last whole
# block (before the tail) in one shorter call; a cached cell is reused only where the new prompt's grid computes it
# on the same path (tests/test_long_document.py checks both paths' invariance on the real model).
_CPU_CHUNK = 16
_CPU_BLOCK = 64
# Reading ahead goes in calls of this many tokens: a job or a keystroke aborts the call in flight, and everything it
# had computed is lost (llama.cpp drops the aborted call's cells), so short calls keep most of the reading.
_CPU_READ_AHEAD_CALL = 2 * _CPU_BLOCK
_GPU_CHUNK = 256
# The context grows and shrinks in these steps (llama.cpp pads its cache to 256 cells anyway).
_CTX_ROUND = 256
# llama.cpp reads this seed value as "pick a random one"; a job's seed must always mean the same text.
_LLAMA_RANDOM_SEED = 0xFFFFFFFF
# How often the cancel watcher looks at the token while llama.cpp computes (bounds the Stop latency in prompt eval).
_CANCEL_POLL_S = 0.02
_PROGRESS_EVERY_S = 0.1
# Beam search: candidates kept per beam and step (as in common implementations: 2 × beams survives finished ones).
_BEAM_EXPAND = 2


def physical_cores() -> int:
    """Cores to run token generation on: hyperthread siblings share one core's ALUs and only slow llama.cpp down."""
    logical = _logical_cpus()
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        # No /proc (macOS, Windows): assume 2-way hyperthreading on bigger machines, none on small ones.
        return max(1, logical // 2) if logical > 4 else logical
    cores: set[tuple[str, str]] = set()
    physical = core = ""
    for line in info.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "physical id":
            physical = value
        elif key == "core id":
            core = value
        elif not key and (physical or core):
            cores.add((physical, core))
            physical = core = ""
    if physical or core:
        cores.add((physical, core))
    total_logical = os.cpu_count() or logical
    if not cores or total_logical <= 0:
        return logical
    threads_per_core = max(1, total_logical // len(cores))
    return max(1, logical // threads_per_core)


def _logical_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours taskset/cgroup CPU pinning
    except AttributeError:
        return os.cpu_count() or 1


def variant_seed(seed: int, index: int) -> int:
    """The seed of text `index` of a job: run alone with this seed, that text comes out again."""
    return (seed + index) % (MAX_SEED + 1)


def _llama_seed(seed: int) -> int:
    return seed % _LLAMA_RANDOM_SEED  # keeps 0.._LLAMA_RANDOM_SEED-1; only MAX_SEED itself folds onto 0


# ---------------------------------------------------------------- llama.cpp log routing

_LOG_CALLBACK: Any = None  # the ctypes callback must stay referenced as long as llama.cpp may call it
_last_level = logging.DEBUG


def _route_llama_logs(llama_cpp: Any) -> None:
    """Send llama.cpp's own messages to the app log instead of stderr (the CLI owns stderr: one line per error)."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return
    # ggml's current numbering (llama_cpp/_logger.py still documents an older one): 1 debug, 2 info, 3 warn, 4 error.
    levels = {1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
    native = logging.getLogger("llama.cpp")

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        global _last_level
        lvl = _last_level if level == 5 else levels.get(level, logging.DEBUG)  # 5: continues the previous message
        _last_level = lvl
        # Info chatter (tensor lists, timings) is debug for us; warnings and errors stay visible in the log file.
        native.log(lvl if lvl >= logging.WARNING else logging.DEBUG, "%s", text.decode("utf-8", "replace").rstrip())

    _LOG_CALLBACK = callback
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


# ---------------------------------------------------------------- cancelling inside llama_decode


class _AbortSwitch:
    """Lets Stop interrupt a long llama_decode (a long prompt takes seconds) without waiting for the next token.

    llama.cpp polls an abort callback between graph nodes. A Python callback would take the GIL hundreds of times per
    token (and wait for the GUI thread to release it); instead the callback is the C library's `strlen` on a 2-byte
    buffer: it returns 0 until the first byte is set, and no Python runs on llama.cpp's threads.
    """

    def __init__(self, llama_cpp: Any, ctx_ptr: Any) -> None:
        self._flag = ctypes.create_string_buffer(2)
        self.enabled = False
        try:
            libc = ctypes.cdll.msvcrt if os.name == "nt" else ctypes.CDLL(None)
            address = ctypes.cast(libc.strlen, ctypes.c_void_p).value
            self._callback = llama_cpp.ggml_abort_callback(address)
            llama_cpp.llama_set_abort_callback(ctx_ptr, self._callback, ctypes.cast(self._flag, ctypes.c_void_p))
            self.enabled = True
        except (AttributeError, OSError, TypeError) as exc:  # then Stop waits for the next token, nothing worse
            log.warning("llama.cpp abort callback unavailable: %s", exc)

    def trip(self) -> None:
        self._flag[0] = b"\x01"

    def clear(self) -> None:
        self._flag[0] = b"\0"

    @property
    def tripped(self) -> bool:
        return self._flag[0] != b"\0"

    @contextlib.contextmanager
    def watching(self, cancel: CancelToken) -> Iterator[None]:
        """While the body runs, a small thread turns a cancel request into the abort flag."""
        self.clear()
        if not self.enabled:
            yield
            return
        with cancel.calling_on_cancel(self.trip, "llama-cancel-watch", _CANCEL_POLL_S):
            yield


# ---------------------------------------------------------------- the engine


@dataclass
class _Generated:
    text: str
    tokens: int
    stopped_early: bool
    score: float | None = None  # beam search: the length-normalised log-probability it was ranked by


class LlamaCppEngine:
    def __init__(self) -> None:
        self._llm: Any = None
        self._llama_cpp: Any = None
        self._entry: ModelEntry | None = None
        self._abort: _AbortSwitch | None = None
        self._chat_formatter: Any = None
        self._reusable = 0  # leading cached tokens evaluated on the canonical grid (see _reuse_cache)
        self._blocked = 0  # of those, the leading ones evaluated in calls of whole blocks
        self._chunk = _CPU_CHUNK  # the grid's step
        self._block = _CPU_BLOCK  # evaluated in calls of whole blocks up to the last whole block (a multiple of chunk)
        self._call = _CPU_BLOCK  # most tokens per decode call on the grid (a multiple of the block)
        self._read_call = _CPU_READ_AHEAD_CALL  # the same for reading ahead
        self._trained = DEFAULT_N_CTX
        self._gpu = False
        self.read_ahead_chunks = 0  # batches evaluated by read-ahead jobs, ever (tests count them)
        self._reused = 0
        # The prompt a read-ahead evaluated whole, tail included, with nothing decoded since: the context still holds
        # its last token's logits, so the Continue that sends exactly these tokens samples its first word at once.
        self._primed: list[int] | None = None

    # ------------------------------------------------------------ lifecycle

    def load(self, model: ModelEntry, ctx: RunContext) -> None:
        ctx.progress(None, QT_TRANSLATE_NOOP("TextEngine", "Loading {name}…").format(name=model.name))
        import llama_cpp  # heavy native library: imported on the worker thread, never at module import

        _route_llama_logs(llama_cpp)
        if not model.path.is_file():
            raise UserError(
                QT_TRANSLATE_NOOP("TextEngine", "{name} could not be loaded: {path} is not a file.").format(
                    name=model.name, path=str(model.path)
                )
            )
        gpu = bool(llama_cpp.llama_supports_gpu_offload())
        llm = self._open(llama_cpp, model, DEFAULT_N_CTX, gpu)
        trained = int(llm._model.n_ctx_train())
        self._trained = trained if trained > 0 else DEFAULT_N_CTX
        if 0 < trained < DEFAULT_N_CTX:  # a context beyond what the model was trained on only produces garbage
            llm.close()
            llm = self._open(llama_cpp, model, trained, gpu)
        self._llama_cpp = llama_cpp
        self._gpu = gpu
        self._adopt(llm, model)
        log.info(
            "llama.cpp: %s n_ctx=%d threads=%d/%d gpu=%s chat_template=%s",
            model.path.name,
            llm.n_ctx(),
            llm.n_threads,
            llm.n_threads_batch,
            gpu,
            self._chat_formatter is not None,
        )

    def _adopt(self, llm: Any, model: ModelEntry) -> None:
        self._llm = llm
        self._reusable = self._blocked = 0
        self._primed = None
        if self._gpu:
            self._chunk = self._block = self._call = self._read_call = _GPU_CHUNK
        else:
            self._chunk, self._block = _CPU_CHUNK, _CPU_BLOCK
            self._call = max(_CPU_BLOCK, int(llm.n_batch) // _CPU_BLOCK * _CPU_BLOCK)
            self._read_call = min(self._call, _CPU_READ_AHEAD_CALL)
        self._entry = model
        self._abort = _AbortSwitch(self._llama_cpp, llm.ctx)
        self._chat_formatter = self._make_chat_formatter(llm)

    def _fit_context(self, wanted: int) -> None:
        """Reopen the model with a context of `wanted` tokens (the budget the job carries; 0: the default), clamped to
        what the model was trained for. The KV cache is allocated whole when a context opens, so a smaller budget
        must shrink it as well as a larger one grow it."""
        if self._entry is None:
            return
        wanted = min(wanted or DEFAULT_N_CTX, self._trained)
        wanted = max(_CTX_ROUND, -(-wanted // _CTX_ROUND) * _CTX_ROUND) if wanted >= _CTX_ROUND else wanted
        wanted = min(wanted, self._trained)
        if int(self._llm.n_ctx()) == wanted:
            return
        log.info("llama.cpp: context %d -> %d tokens", self._llm.n_ctx(), wanted)
        entry = self._entry
        self.unload()
        self._adopt(self._open(self._llama_cpp, entry, wanted, self._gpu), entry)

    @staticmethod
    def _open(llama_cpp: Any, model: ModelEntry, n_ctx: int, gpu: bool) -> Any:
        try:
            llm = llama_cpp.Llama(
                model_path=str(model.path),
                n_ctx=n_ctx,
                n_threads=physical_cores(),
                n_threads_batch=_logical_cpus(),  # prompt processing is compute-bound and gains from every thread
                n_gpu_layers=-1 if gpu else 0,
                # Flash attention skips the cache cells a layer's mask hides: Gemma 3's sliding-window layers (5 of
                # 6) then cost their window, not the whole document. Measured on 2 cores with Gemma 3 270M at 30k
                # tokens: reading 74 -> 230 tok/s, one new token 156 -> 39 ms (10k tokens: 172 -> 333 tok/s).
                flash_attn=True,
                seed=0,  # every run passes its own seed; this one is never used for a job
                verbose=False,
            )
            if model.adapter is not None:  # a style: its GGUF LoRA over the same base file (core/models/styles.py)
                try:
                    apply_lora(llama_cpp, llm, model.adapter)
                except BaseException:
                    llm.close()
                    raise
        except MemoryError:
            raise
        except Exception as exc:  # llama.cpp reports a bad file as ValueError/RuntimeError with little detail
            message = QT_TRANSLATE_NOOP(
                "TextEngine",
                "{name} could not be loaded: {reason} (is it a complete GGUF file of an architecture llama.cpp "
                "supports?)",
            )
            raise UserError(message.format(name=model.name, reason=str(exc))) from exc
        return llm

    @staticmethod
    def _make_chat_formatter(llm: Any) -> Any:
        template = llm.metadata.get("tokenizer.chat_template")
        if not template:
            return None
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        def token_text(token: int) -> str:
            return "" if token < 0 else str(llm._model.token_get_text(token))

        try:
            return Jinja2ChatFormatter(
                template=template, eos_token=token_text(llm.token_eos()), bos_token=token_text(llm.token_bos())
            )
        except Exception as exc:  # a template that does not parse: plain completion still works
            log.warning("chat template of %s does not parse: %s", llm.model_path, exc)
            return None

    def unload(self) -> None:
        llm, self._llm = self._llm, None
        self._chat_formatter = None
        if llm is not None:
            llm.close()
        self._abort = None  # only now: the closed context no longer points at its flag buffer

    # ------------------------------------------------------------ running

    def run(self, spec: JobSpec, ctx: RunContext) -> JobResult:
        if self._llm is None or self._abort is None:
            raise RuntimeError("LlamaCppEngine.run before load")
        params = TextParams.from_spec(spec)
        prompt = prompt_of(spec)
        seed = spec.seed if spec.seed is not None else 0
        self._fit_context(params.context_tokens)
        text, chat_stop = self._formatted(prompt, params)
        if chat_stop is None:
            tokens = self._prompt_tokens(text, params.max_new_tokens)
        else:
            tokens = self._chat_tokens(text, params.max_new_tokens)
            # The template's end-of-turn text ends the reply, as in create_chat_completion.
            params = replace(params, stop=(*params.stop, *(s for s in chat_stop if s not in params.stop)))
        # Whatever this run decodes replaces the logits a read-ahead left: only the next run may use them.
        primed, self._primed = self._primed, None
        if spec.inputs.get("mode") == READ_AHEAD:
            return self._read_ahead(spec, tokens, ctx)
        started = time.perf_counter()
        first: list[float] = []

        def emit(chunk: TextChunk) -> None:
            if not first:
                first.append(time.perf_counter())
            ctx.partial(chunk)

        abort = self._abort
        try:
            with abort.watching(ctx.cancel):
                if params.num_beams > 1:
                    self._reusable = self._blocked = 0  # beams fill the cache token by token
                    generated = self._beam_search(tokens, params, ctx, emit)
                else:
                    read_ahead = primed == tokens  # the first text starts from the logits the reading left
                    generated = [
                        self._stream_one(i, tokens, params, _llama_seed(variant_seed(seed, i)), ctx, emit, read_ahead)
                        for i in range(params.n)
                    ]
        except RuntimeError:
            # An aborted or failed llama_decode: what it had not finished is dropped (the next eval removes every
            # cell from n_tokens on); the chunks completed before it stay and are reused.
            self._keep_completed()
            if abort.tripped or ctx.cancel.cancelled:
                raise JobCancelled() from None
            raise
        except JobCancelled:
            if abort.tripped:
                self._keep_completed()
            raise
        finally:
            abort.clear()
        seconds = time.perf_counter() - started
        new_tokens = sum(g.tokens for g in generated)
        first_ms = None if not first else (first[0] - started) * 1000.0
        tps = new_tokens / seconds if seconds > 0 else 0.0
        output = TextOutput(
            texts=[g.text for g in generated],
            new_tokens=new_tokens,
            first_token_ms=first_ms,
            tokens_per_second=tps,
            backend=BACKEND,
            stopped_early=[g.stopped_early for g in generated],
        )
        metrics: dict[str, Any] = {
            "tokens_per_second": round(tps, 2),
            "first_token_ms": None if first_ms is None else round(first_ms, 1),
            "new_tokens": new_tokens,
            "prompt_tokens": len(tokens),
            "cached_tokens": self._reused if params.num_beams == 1 else 0,
            "seeds": [variant_seed(seed, i) for i in range(len(generated))] if params.num_beams == 1 else [seed],
        }
        if params.num_beams > 1:
            metrics["beam_scores"] = [None if g.score is None else round(g.score, 4) for g in generated]
        return JobResult(spec=spec, output=output, seconds=seconds, metrics=metrics)

    def _format(self, prompt: str, params: TextParams) -> str:
        return self._formatted(prompt, params)[0]

    def _formatted(self, prompt: str, params: TextParams) -> tuple[str, tuple[str, ...] | None]:
        """The text llama.cpp reads and, for a chat prompt, the stop strings its template ends a reply with (None:
        a plain completion). A chat prompt is the user's text as one user message through the model's own template
        (the GGUF's tokenizer.chat_template), rendered by llama-cpp-python's Jinja2ChatFormatter exactly as its
        create_chat_completion renders it."""
        if params.chat and self._chat_formatter is not None:
            try:
                result = self._chat_formatter(messages=[{"role": "user", "content": prompt}])
            except Exception as exc:  # templates may reject a lone user message; completing the text still helps
                log.warning("chat template failed (%s); completing the plain prompt", exc)
            else:
                stop = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
                return str(result.prompt), tuple(str(s) for s in stop if s)
        return prompt, None

    def _chat_tokens(self, text: str, max_new_tokens: int) -> list[int]:
        """A chat prompt's tokens as create_chat_completion makes them (the template writes BOS itself), never cut:
        cutting the front would cut the template and the instruction. Too long for the context is the user's to
        fix, so say so with the numbers."""
        llm = self._llm
        tokens: list[int] = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
        room = max(llm.n_ctx() // 2, llm.n_ctx() - 1 - max_new_tokens)  # as _prompt_tokens: room left to answer
        if len(tokens) > room:
            name = self._entry.name if self._entry is not None else Path(llm.model_path).name
            message = QT_TRANSLATE_NOOP(
                "TextEngine",
                "The text is too long for {name}: with the instruction it makes {tokens} tokens, and {name} reads "
                "at most {limit} (the rest of its {context}-token context is kept for the answer). Select a shorter "
                "passage.",
            )
            raise UserError(message.format(name=name, tokens=len(tokens), limit=room, context=llm.n_ctx()))
        return tokens

    def _prompt_tokens(self, text: str, max_new_tokens: int) -> list[int]:
        """The tokens llama-cpp-python's own create_completion(text) would feed, tail-trimmed to fit the context."""
        llm = self._llm
        # special=True and BOS added as in create_completion, so the same prompt gives the same text as a direct call.
        tokens: list[int] = llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
        bos = int(llm.token_bos())
        prefix = [bos] if llm._model.add_bos_token() and bos >= 0 and tokens[:1] != [bos] else []
        # Keep room to generate: the end of a long document is what a continuation needs, so its start goes, in
        # steps of a quarter context: while the text grows by less than that, the cut (and so the whole cached prefix)
        # stays put. (create_completion then shortens max_tokens to what still fits.)
        n_ctx = int(llm.n_ctx())
        room = max(n_ctx // 2, n_ctx - 1 - len(prefix) - max_new_tokens)
        cut = stable_cut(len(tokens), room, n_ctx // WINDOW_STEPS)
        if cut:
            log.info("prompt of %d tokens: its first %d left out", len(tokens), cut)
            tokens = tokens[cut:]
        return prefix + tokens

    def _read_ahead(self, spec: JobSpec, tokens: list[int], ctx: RunContext) -> JobResult:
        """Evaluate the prompt into the KV cache on its canonical grid, then its tail in the one call a Continue makes
        for it, so that the Continue that sends these tokens evaluates nothing: it samples its first token from the
        logits this call left (see _stream_one). The cancel token is looked at before every decode call, and a
        cancel during one aborts it (only that call's tokens are lost), so a job or a keystroke gets the lane at
        once."""
        started = time.perf_counter()
        abort = self._abort
        assert abort is not None
        try:
            with abort.watching(ctx.cancel):
                have, read = self._reuse_cache(tokens, ctx.cancel)
                ctx.cancel.check()
                tail = tokens[self._reusable :]
                if tail:
                    self._llm.eval(tail)  # as generate() sends the tail: one call, logits for its last token only
                    read += len(tail)
                    self._primed = tokens
        except RuntimeError:
            self._keep_completed()
            if abort.tripped or ctx.cancel.cancelled:
                raise JobCancelled() from None
            raise
        finally:
            abort.clear()
        seconds = time.perf_counter() - started
        metrics: dict[str, Any] = {"prompt_tokens": len(tokens), "cached_tokens": have, "read_tokens": read}
        return JobResult(spec=spec, output=None, seconds=seconds, metrics=metrics)

    def _keep_completed(self) -> None:
        """After a decode was cut short: trust the cache up to the last chunk completed before it, nothing after."""
        llm = self._llm
        llm.n_tokens = min(int(llm.n_tokens), self._reusable)
        self._blocked = min(self._blocked, int(llm.n_tokens))
        if llm.n_tokens == 0:
            llm.reset()

    def _stream_one(
        self,
        index: int,
        prompt: list[int],
        params: TextParams,
        seed: int,
        ctx: RunContext,
        emit: Any,
        primed: bool = False,
    ) -> _Generated:
        """One text. `primed`: a read-ahead left exactly this prompt evaluated, tail included, and nothing was decoded
        since: the tail's cells and its last logits are the ones this run's own tail call would compute."""
        from llama_cpp import StoppingCriteriaList

        llm = self._llm
        sampled = 0
        n = params.n
        budget = params.max_new_tokens

        message = (
            QT_TRANSLATE_NOOP("TextEngine", "Writing {index}/{count}…").format(index=index + 1, count=n)
            if n > 1
            else QT_TRANSLATE_NOOP("TextEngine", "Writing…")
        )
        last_report: float | None = None  # None: nothing reported yet (perf_counter starts near 0 at boot)

        vocab = llm._model.vocab
        is_eog = self._llama_cpp.llama_vocab_is_eog
        last_sampled = [-1]
        sample = llm.sample

        def sample_noted(*args: Any, **kwargs: Any) -> int:
            token = int(sample(*args, **kwargs))
            last_sampled[0] = token
            return token

        def on_token(input_ids: Any, logits: Any) -> bool:
            # Called by llama-cpp-python once per sampled token, before any text is held back for UTF-8 or stop
            # sequences: the one place that sees every token, for the count, the progress and the Stop button.
            # It only sees the tokens evaluated so far, so the token just sampled comes from sample_noted: an
            # end-of-text token ends the text and is not one of its tokens (create_completion does not count it).
            nonlocal sampled, last_report
            ctx.cancel.check()
            if is_eog(vocab, last_sampled[0]):
                return False
            sampled += 1
            now = time.perf_counter()
            # A progress bar needs ~10 updates a second, not one per token (each is a signal to the GUI thread).
            if last_report is None or now - last_report >= _PROGRESS_EVERY_S or sampled >= budget:
                last_report = now
                ctx.progress((index + min(sampled, budget) / budget) / n, message)
            return False

        greedy = params.greedy or params.temperature == 0
        pieces: list[str] = []
        finish = "length"
        # llama-cpp-python samples at once when the cache holds exactly the prompt and its last decode was live
        # (else it decodes the last token again, alone: on another path than the tail's call, see _CPU_CHUNK).
        if primed and index == 0 and getattr(llm, "_requires_eval", True) is False:
            kept = llm.n_tokens = len(prompt)
        else:
            kept, _ = self._reuse_cache(prompt)
        if index == 0:
            self._reused = kept  # the prompt tokens this run found in the cache
        llm.sample = sample_noted  # on this instance, for this run only
        try:
            stream = llm.create_completion(
                prompt,
                max_tokens=params.max_new_tokens,
                temperature=0.0 if greedy else params.temperature,
                top_p=1.0 if greedy else params.top_p,
                top_k=1 if greedy else params.top_k,
                min_p=0.0,  # not part of TextParams: the other backends have no min-p, so it stays off here too
                typical_p=1.0,
                repeat_penalty=params.repetition_penalty,
                stop=list(params.stop),
                seed=seed,
                stream=True,
                stopping_criteria=StoppingCriteriaList([on_token]),
            )
            for chunk in stream:
                choice = chunk["choices"][0]
                piece = choice.get("text") or ""
                if piece:
                    pieces.append(piece)
                    emit(TextChunk(index, piece))
                if choice.get("finish_reason"):
                    finish = str(choice["finish_reason"])
        finally:
            del llm.sample
        ctx.cancel.check()
        return _Generated("".join(pieces), sampled, finish == "stop")

    def _reuse_cache(self, prompt: list[int], cancel: CancelToken | None = None) -> tuple[int, int]:
        """Bring the KV cache to the prompt's canonical grid: keep the cached chunks that match it, evaluate the
        prompt's remaining whole chunks (up to the start of its last, partial chunk), batch by batch; with `cancel`
        (read-ahead, in shorter calls) look at the token before each. Returns (tokens kept, tokens read). The caller
        evaluates the tail in one call (create_completion does, as it sends what the cache lacks in one batch).

        Only positions computed in whole chunks on the grid are ever reused: generated tokens (evaluated one at a
        time) and tails are computed differently from the same positions inside chunks (see _CPU_CHUNK), and reusing
        them would make a seeded text depend on what the cache held before: Regenerate would not repeat the run it
        replays."""
        llm = self._llm
        chunk, block = self._chunk, self._block
        call = self._call if cancel is None else self._read_call
        cached = llm.input_ids[: min(int(llm.n_tokens), self._reusable)].tolist()
        common = 0
        for have, want in zip(cached, prompt, strict=False):
            if have != want:
                break
            common += 1
        tail = (len(prompt) - 1) // chunk * chunk  # the last partial chunk (at least the last token) starts here
        blocks = tail // block * block  # up to here in calls of whole blocks, from here to the tail in one call
        keep = min(common, tail) // chunk * chunk
        if self._blocked != blocks:  # the cells between the two ends were computed on the other path
            keep = min(keep, self._blocked, blocks)
        if keep < blocks:
            keep = keep // block * block
        if keep == 0:
            llm.reset()
        else:
            llm.n_tokens = keep
        self._reusable = pos = keep
        self._blocked = min(self._blocked, keep)
        while pos < tail:
            if cancel is not None:
                cancel.check()
            # Calls aligned on their own grid, whole blocks each; then the chunks after the last whole block.
            end = min(blocks, (pos // call + 1) * call) if pos < blocks else tail
            llm.eval(prompt[pos:end])
            pos = self._reusable = end
            if pos <= blocks:
                self._blocked = pos
            if cancel is not None:
                self.read_ahead_chunks += 1
        return keep, pos - keep

    # ------------------------------------------------------------ beam search

    def _beam_search(self, prompt: list[int], params: TextParams, ctx: RunContext, emit: Any) -> list[_Generated]:
        """The `n` best of `num_beams` beams by length-normalised log-probability.

        Beam search serves one-line outputs (titles, headlines, slogans): a beam ends at an end-of-text token, a
        stop sequence, or a newline after some text. Each beam's logits come from the one KV cache, rewound to the
        longest prefix it shares with the beam evaluated before it (beams are visited in token order to share most).
        """
        llm = self._llm
        llama_cpp = self._llama_cpp
        vocab = llm._model.vocab
        n_vocab = int(llm.n_vocab())
        beams_wanted = params.num_beams
        budget = min(params.max_new_tokens, llm.n_ctx() - len(prompt) - 1)
        penalty = params.repetition_penalty
        last_n = int(llm.last_n_tokens_size)

        def is_eog(token: int) -> bool:
            return bool(llama_cpp.llama_vocab_is_eog(vocab, token))

        def text_of(tokens: list[int]) -> str:
            return bytes(llm.detokenize(tokens, prev_tokens=prompt)).decode("utf-8", errors="ignore")

        def logprobs_after(tokens: list[int]) -> np.ndarray[Any, np.dtype[np.float32]]:
            ctx.cancel.check()
            full = prompt + tokens
            cached = llm._input_ids.tolist()
            common = 0
            for a, b in zip(cached, full, strict=False):
                if a != b:
                    break
                common += 1
            common = min(common, len(full) - 1)  # the last token is always decoded: its logits are not kept
            llm.n_tokens = common  # eval() drops the KV cells from here on before decoding the rest
            llm.eval(full[common:])
            logits = np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(n_vocab,)).astype(np.float32)
            if penalty != 1.0 and tokens:  # llama.cpp's repeat penalty: over generated tokens only
                seen = np.unique(np.asarray(tokens[-last_n:], dtype=np.int64))
                vals = logits[seen]
                logits[seen] = np.where(vals > 0, vals / penalty, vals * penalty)
            shifted = logits - logits.max()
            result: np.ndarray[Any, np.dtype[np.float32]] = shifted - np.float32(np.log(np.exp(shifted).sum()))
            return result

        def normalised(total: float, length: int) -> float:
            return total / max(length, 1)

        live: list[tuple[list[int], float]] = [([], 0.0)]
        finished: list[tuple[float, list[int], str, bool]] = []  # (score, tokens, text, ended by itself)
        for step in range(budget):
            candidates: list[tuple[float, list[int], int]] = []
            for tokens, total in sorted(live, key=lambda b: b[0]):
                lp = logprobs_after(tokens)
                k = min(_BEAM_EXPAND * beams_wanted, n_vocab)
                top = np.argpartition(-lp, k - 1)[:k]
                for token in top.tolist():
                    candidates.append((total + float(lp[token]), tokens, int(token)))
            # Ties broken by token ids so that equal runs pick equal beams.
            candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
            next_live: list[tuple[list[int], float]] = []
            for total, tokens, token in candidates:
                if is_eog(token):
                    finished.append((normalised(total, len(tokens) + 1), tokens, text_of(tokens), True))
                    continue
                extended = [*tokens, token]
                text = text_of(extended)
                ended, cut = _beam_ends(text, params.stop)
                if ended:
                    finished.append((normalised(total, len(extended)), extended, text[:cut], True))
                    continue
                next_live.append((extended, total))
                if len(next_live) == beams_wanted:
                    break
            live = next_live
            ctx.progress((step + 1) / budget, QT_TRANSLATE_NOOP("TextEngine", "Searching…"))
            if not live:
                break
            if len(finished) >= beams_wanted:
                worst_kept = sorted(f[0] for f in finished)[-beams_wanted]
                best_live = max(normalised(total, len(tokens)) for tokens, total in live)
                if best_live <= worst_kept:  # log-probs only fall as beams grow: nothing live can still win
                    break
        finished.extend((normalised(total, len(tokens)), tokens, text_of(tokens), False) for tokens, total in live)
        finished.sort(key=lambda f: (-f[0], f[1]))
        results: list[_Generated] = []
        seen_texts: set[str] = set()
        for score, tokens, text, ended in finished:
            if text.strip() in seen_texts or not text.strip():
                continue  # different token paths to the same words are one candidate to the user
            seen_texts.add(text.strip())
            results.append(_Generated(text, len(tokens), ended, score))
            if len(results) == params.n:
                break
        for i, g in enumerate(results):
            emit(TextChunk(i, g.text))
        return results


def _beam_ends(text: str, stop: tuple[str, ...]) -> tuple[bool, int]:
    """Whether a beam's text is complete, and where its text ends: at a stop sequence or a newline after text."""
    cut = len(text)
    found = False
    for s in stop:
        at = text.find(s)
        if at >= 0 and at < cut:
            cut, found = at, True
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    newline = stripped.find("\n")
    if newline > 0 and lead + newline < cut:
        cut, found = lead + newline, True
    return found, cut
