"""TransformersTextEngine on tiny real-architecture models (Llama, GPT-2, Gemma 3), loaded exactly as a user's model:
a folder in the models dir, found by the registry, run through EngineHost. The library itself is the reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec, ModelKind
from aigc_desktop.core.text.job import TextChunk, TextOutput, TextParams, text_spec

ARCHS = ("llama", "gpt2", "gemma3")
ENGLISH = "The cat sat on the mat and"
CHINESE = "从前有一座山，山里有"
# Greedy with the default repetition penalty: the app must pass it to the library exactly as the reference does.
GREEDY = TextParams(max_new_tokens=24, greedy=True)
Install = Callable[..., str]


def run(
    host: EngineHost,
    model_id: str,
    prompt: str,
    params: TextParams,
    seed: int | None = 0,
    on_partial: Callable[[Any], None] | None = None,
    ctx: RunContext | None = None,
) -> tuple[TextOutput, list[TextChunk], JobResult]:
    chunks: list[TextChunk] = []
    ctx = ctx or RunContext()

    def collect(payload: Any) -> None:
        chunks.append(payload)
        if on_partial is not None:
            on_partial(payload)

    ctx.on_partial = collect
    result = host.run(text_spec(model_id, prompt, params, seed=seed), ctx)
    assert isinstance(result.output, TextOutput)
    return result.output, chunks, result


def reference(folder: Path, prompt: str, *, chat: bool = False, **generate: Any) -> list[str]:
    """What the library alone produces on the same folder: the texts the app must match."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    from aigc_desktop.core.engines.text_transformers import cpu_dtype_name

    # The same dtype the engine picks on this CPU: equality is only expected for the same arithmetic.
    dtype = getattr(torch, cpu_dtype_name())
    model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, dtype=dtype)
    if chat:
        text = tokenizer.apply_chat_template(
            [{"role": "user", "content": prompt}], add_generation_prompt=True, tokenize=False
        )
        encoded = tokenizer(text, return_tensors="pt", add_special_tokens=False)
    else:
        encoded = tokenizer(prompt, return_tensors="pt")
    with torch.inference_mode():
        out = model.generate(**encoded, **generate)
    start = encoded["input_ids"].shape[1]
    return [tokenizer.decode(row[start:], skip_special_tokens=True) for row in out]


def greedy_reference(folder: Path, prompt: str, max_new_tokens: int = 24, **kwargs: Any) -> str:
    return reference(folder, prompt, max_new_tokens=max_new_tokens, do_sample=False, repetition_penalty=1.1, **kwargs)[
        0
    ]


# ---------------------------------------------------------------- equivalence and streaming


@pytest.mark.parametrize("arch", ARCHS)
def test_greedy_equals_the_library_and_streams_in_order(
    arch: str, install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    model_id = install_tiny_lm(arch)
    entry = ModelRegistry(paths).get(model_id)
    assert (entry.kind, entry.backend, entry.pickle_only) == (ModelKind.TEXT, "transformers", False)
    for prompt in (ENGLISH, CHINESE):
        output, chunks, result = run(host, model_id, prompt, GREEDY)
        assert output.texts == [greedy_reference(entry.path, prompt)]
        assert "".join(c.text for c in chunks) == output.texts[0]
        assert all(c.index == 0 and c.text for c in chunks)
        assert output.backend == "transformers"
        assert 0 < output.new_tokens <= GREEDY.max_new_tokens
        assert output.tokens_per_second > 0
        assert len(output.stopped_early) == 1
        assert result.metrics["device"] == "cpu"
    assert host.loaded_models() == [model_id]  # loaded once, reused


def test_chinese_prompt_round_trips_through_the_tokenizer(tiny_lm_source: Callable[[str], Path]) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_lm_source("llama"), local_files_only=True)
    ids = tokenizer(CHINESE)["input_ids"]
    assert tokenizer.decode(ids, skip_special_tokens=True) == CHINESE


def test_progress_reports_token_fractions(install_tiny_lm: Install, host: EngineHost) -> None:
    model_id = install_tiny_lm("llama")
    fractions: list[float] = []
    ctx = RunContext(on_progress=lambda f, _m: fractions.append(f) if f is not None else None)
    output, _, _ = run(host, model_id, ENGLISH, GREEDY, ctx=ctx)
    assert fractions and fractions == sorted(fractions)
    assert fractions[-1] == pytest.approx(output.new_tokens / GREEDY.max_new_tokens)


@pytest.mark.parametrize("arch", ARCHS)
def test_cancel_after_a_few_chunks_stops_within_a_token(arch: str, install_tiny_lm: Install, host: EngineHost) -> None:
    model_id = install_tiny_lm(arch)
    run(host, model_id, ENGLISH, TextParams(max_new_tokens=2, greedy=True))  # load outside the timed part
    ctx = RunContext()
    tokens_after: list[float] = []
    cancelled_at: list[float] = []
    ctx.on_progress = lambda f, _m: tokens_after.append(f or 0.0) if cancelled_at else None

    def cancel_on_third(chunk: Any) -> None:
        seen.append(chunk)
        if len(seen) == 3:
            cancelled_at.append(time.perf_counter())
            ctx.cancel.cancel()

    seen: list[Any] = []
    with pytest.raises(JobCancelled):
        run(
            host,
            model_id,
            ENGLISH,
            TextParams(max_new_tokens=200, temperature=1.0),
            on_partial=cancel_on_third,
            ctx=ctx,
        )
    assert time.perf_counter() - cancelled_at[0] < 5.0  # a hang guard; the structural checks below are the proof
    assert len(seen) == 3  # nothing streamed after Stop
    assert len(tokens_after) == 0  # the token that carried the third chunk was the last one generated


# ---------------------------------------------------------------- sampling, variants, beams


@pytest.mark.parametrize("arch", ARCHS)
def test_variants_are_seeded_and_replay_exactly(arch: str, install_tiny_lm: Install, host: EngineHost) -> None:
    model_id = install_tiny_lm(arch)
    params = TextParams(max_new_tokens=16, n=3, temperature=1.0, top_k=0, top_p=1.0)
    first, chunks, _ = run(host, model_id, ENGLISH, params, seed=7)
    again, _, _ = run(host, model_id, ENGLISH, params, seed=7)
    other, _, _ = run(host, model_id, ENGLISH, params, seed=8)
    assert len(first.texts) == 3 and len(first.stopped_early) == 3
    assert again.texts == first.texts
    assert len(set(first.texts)) == 3  # different seeds per variant
    assert other.texts[:2] == first.texts[1:]  # variant i uses seed + i
    for i in range(3):
        assert "".join(c.text for c in chunks if c.index == i) == first.texts[i]
    indexes = [c.index for c in chunks]
    assert indexes == sorted(indexes)  # variants stream one after another


@pytest.mark.parametrize("arch", ARCHS)
def test_beam_search_returns_the_library_beams(
    arch: str, install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    model_id = install_tiny_lm(arch)
    folder = ModelRegistry(paths).get(model_id).path
    params = TextParams(max_new_tokens=12, num_beams=5, n=3)
    output, chunks, _ = run(host, model_id, ENGLISH, params)
    expected = reference(
        folder,
        ENGLISH,
        max_new_tokens=12,
        num_beams=5,
        num_return_sequences=3,
        do_sample=False,
        early_stopping=True,
        repetition_penalty=params.repetition_penalty,
    )
    assert output.texts == expected
    assert [(c.index, c.text) for c in chunks] == [(i, t) for i, t in enumerate(expected) if t]


# ---------------------------------------------------------------- chat template, stop sequences


def test_chat_template_is_applied_only_when_asked_and_present(
    install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    chat_id = install_tiny_lm("llama-chat")
    entry = ModelRegistry(paths).get(chat_id)
    assert entry.instruct is True
    chat = TextParams(max_new_tokens=16, greedy=True, chat=True)
    output, _, _ = run(host, chat_id, ENGLISH, chat)
    assert output.texts == [greedy_reference(entry.path, ENGLISH, 16, chat=True)]
    plain, _, _ = run(host, chat_id, ENGLISH, TextParams(max_new_tokens=16, greedy=True))
    assert plain.texts == [greedy_reference(entry.path, ENGLISH, 16)]
    assert plain.texts != output.texts
    # A base model has no template: chat=True falls back to the plain prompt.
    base_id = install_tiny_lm("llama")
    base = ModelRegistry(paths).get(base_id)
    assert base.instruct is False
    fallback, _, _ = run(host, base_id, ENGLISH, chat)
    assert fallback.texts == [greedy_reference(base.path, ENGLISH, 16)]


@pytest.mark.parametrize("arch", ARCHS)
def test_stop_sequence_is_trimmed_from_text_and_stream(
    arch: str, install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    model_id = install_tiny_lm(arch)
    full, _, _ = run(host, model_id, ENGLISH, TextParams(max_new_tokens=40, greedy=True))
    text = full.texts[0]
    # A stop sequence taken from the middle of what the model writes: two characters, as stable as the text itself.
    start = next(i for i in range(len(text) // 3, len(text) - 2) if "\ufffd" not in text[i : i + 2])
    stop = text[start : start + 2]
    expected = text[: text.find(stop)]
    params = TextParams(max_new_tokens=40, greedy=True, stop=(stop, "\u2603never"))
    output, chunks, _ = run(host, model_id, ENGLISH, params)
    assert output.texts == [expected]
    assert stop not in output.texts[0]
    assert "".join(c.text for c in chunks) == expected
    assert output.stopped_early == [True]
    assert output.new_tokens < full.new_tokens or full.new_tokens < 40  # generation halted at the stop


# ---------------------------------------------------------------- refusals and load errors


def test_pickle_only_folder_is_refused_unless_allowed(
    install_tiny_lm: Install, host: EngineHost, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_id = install_tiny_lm("llama-pickle")
    entry = ModelRegistry(paths).get(model_id)
    assert entry.pickle_only
    monkeypatch.delenv("AIGC_ALLOW_PICKLE", raising=False)
    with pytest.raises(UserError) as refused:
        run(host, model_id, ENGLISH, GREEDY)
    assert str(refused.value) == (
        "llama-pickle only has pickle weights (.bin); this app loads safetensors only, because pickle files can run "
        "code. Convert it to safetensors or allow its pickle weights in Models > Installed (or with "
        "`aigc models allow-pickle`)."
    )
    assert host.loaded_models() == []
    monkeypatch.setenv("AIGC_ALLOW_PICKLE", "1")
    output, _, _ = run(host, model_id, ENGLISH, GREEDY)
    # Built from the same seed as the safetensors llama: the same weights, so the same text.
    safe_id = install_tiny_lm("llama", "llama-safe")
    safe, _, _ = run(host, safe_id, ENGLISH, GREEDY)
    assert output.texts == safe.texts


def test_the_consent_reaches_the_engine_through_its_hosts_registry(
    tiny_lm_source: Callable[[str], Path], paths: AppPaths
) -> None:
    """The engine reads the user's consent from the registry its host was given, not from the default folders."""
    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.models.safety import set_pickle_consent
    from aigc_desktop.core.settings import Settings

    folder = tiny_models_copy(tiny_lm_source("llama-pickle"), paths.models_dir / "pk")
    registry = ModelRegistry(paths)
    settings = Settings.load(paths)
    set_pickle_consent(settings, registry.get("pk"), True)
    settings.save(paths)
    with pytest.raises(UserError, match="only has pickle weights"):  # a bare engine has no settings to read
        EngineHost(resolve=registry.get).ensure_loaded("pk", RunContext())
    host = EngineHost(registry)
    result = host.run(text_spec("pk", ENGLISH, GREEDY, seed=0).resolved(), RunContext())
    host.unload_all()
    assert result.output.texts == [greedy_reference(folder, ENGLISH)]


def tiny_models_copy(source: Path, target: Path) -> Path:
    import tiny_models

    return tiny_models.copy_model(source, target)


@pytest.mark.parametrize(
    "damage",
    ["garbage-json-value", "unknown-model-type", "shape-mismatch", "no-weights", "truncated-weights"],
)
def test_broken_folders_give_a_user_error_naming_the_model(
    damage: str, install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    import tiny_models

    model_id = install_tiny_lm("llama", "broken-model")
    folder = paths.models_dir / "broken-model"
    if damage == "garbage-json-value":
        tiny_models.edit_config(folder, hidden_size="sixty-four", num_hidden_layers=[1, 2])
    elif damage == "unknown-model-type":
        tiny_models.edit_config(folder, model_type="no-such-architecture")
    elif damage == "shape-mismatch":
        tiny_models.edit_config(folder, hidden_size=32, head_dim=8)
    elif damage == "no-weights":
        (folder / "model.safetensors").unlink()
    else:
        weights = folder / "model.safetensors"
        weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(UserError) as err:
        run(host, model_id, ENGLISH, GREEDY)
    message = str(err.value)
    assert "broken-model" in message and "\n" not in message
    assert host.loaded_models() == []


def test_a_json_garbage_config_is_not_listed_and_not_a_crash(
    install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    install_tiny_lm("llama", "garbage")
    (paths.models_dir / "garbage" / "config.json").write_text("{not json at all", encoding="utf-8")
    with pytest.raises(UserError):
        run(host, "garbage", ENGLISH, GREEDY)
    with pytest.raises(UserError):  # given as a path, the folder is not a model this app can load
        run(host, str(paths.models_dir / "garbage"), ENGLISH, GREEDY)


def test_empty_prompt_and_bad_params_are_user_errors(install_tiny_lm: Install, host: EngineHost) -> None:
    model_id = install_tiny_lm("gpt2")
    with pytest.raises(UserError, match="prompt is empty"):
        run(host, model_id, "   ", GREEDY)
    bad = JobSpec(kind=JobKind.TEXT, model_id=model_id, inputs={"prompt": ENGLISH}, params={"max_new_tokens": 0})
    with pytest.raises(UserError, match="Max new tokens"):
        host.run(bad, RunContext())


def test_long_prompt_is_clamped_to_the_context(install_tiny_lm: Install, host: EngineHost, paths: AppPaths) -> None:
    from transformers import AutoTokenizer

    model_id = install_tiny_lm("gpt2")  # absolute positions: past its 512 it would index out of range
    tokenizer = AutoTokenizer.from_pretrained(paths.models_dir / model_id, local_files_only=True)
    prompt = "word " * 150
    prompt_tokens = len(tokenizer(prompt)["input_ids"])
    assert 420 < prompt_tokens < 500
    output, _, _ = run(host, model_id, prompt, TextParams(max_new_tokens=100, greedy=True))
    assert output.new_tokens <= 512 - prompt_tokens
    with pytest.raises(UserError, match="shorten it"):
        run(host, model_id, "word " * 200, GREEDY)


# ---------------------------------------------------------------- prefix reuse


@pytest.mark.parametrize("arch", ("llama", "gpt2"))
def test_the_prompt_cache_is_reused_and_the_text_stays_the_same(
    arch: str, install_tiny_lm: Install, host: EngineHost, paths: AppPaths
) -> None:
    from aigc_desktop.core.engines.text_transformers import PREFIX_CHUNK

    model_id = install_tiny_lm(arch)
    entry = ModelRegistry(paths).get(model_id)
    story = " ".join(f"On day {i} the miller sang." for i in range(20))  # ~300 tokens: several chunks
    first, _, result = run(host, model_id, story, GREEDY)
    assert result.metrics["cached_tokens"] == 0 and result.metrics["prompt_tokens"] > 3 * PREFIX_CHUNK
    longer = story + first.texts[0] + " Then the rain came."
    on, _, reused = run(host, model_id, longer, GREEDY)
    n = int(result.metrics["prompt_tokens"])
    assert reused.metrics["cached_tokens"] == (n - 1) // PREFIX_CHUNK * PREFIX_CHUNK  # the first prompt's chunks
    # Greedy with the reused cache equals the library without any, token for token.
    assert on.texts == [greedy_reference(entry.path, longer)]
    # A seeded sampled text and its variants are the same whatever the cache held before.
    sampled = TextParams(max_new_tokens=12, n=2, temperature=1.0, top_k=0, top_p=1.0)
    after_reuse, _, _ = run(host, model_id, longer, sampled, seed=3)
    host.unload_all()
    fresh, _, fresh_result = run(host, model_id, longer, sampled, seed=3)
    assert fresh_result.metrics["cached_tokens"] == 0
    assert after_reuse.texts == fresh.texts and len(set(fresh.texts)) == 2
