"""MusicGenEngine on a tiny random MusicGen of the real architecture, loaded exactly as a user's model: a folder in the
models dir, found by the registry, run through EngineHost. The library's own generate() is the reference.

Plus `aigc music`, run in a subprocess as a user runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from aigc_desktop.core.audio import edit as audio_edit
from aigc_desktop.core.audio.job import AudioOutput, MusicParams, music_spec
from aigc_desktop.core.engines.base import RunContext, has_engine
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.engines.music_musicgen import (
    MUSICGEN_SMALL_PARAMETERS,
    estimate_seconds,
    new_tokens_for,
    parameter_count,
)
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.specs import JobResult, ModelKind

REPO = Path(__file__).resolve().parent.parent
PROMPT = "calm piano with soft drums"
RATE = 32_000  # the tiny model's EnCodec, as musicgen-small
SHORT = MusicParams(duration_s=0.4)  # 20 frames: enough to see every behaviour, a few tenths of a second to make
Install = Callable[..., str]


pytestmark = pytest.mark.usefixtures("torch_one_thread")


@pytest.fixture
def music_id(install_tiny_music: Install) -> str:
    return install_tiny_music("musicgen", "tiny-musicgen")


def run(
    host: EngineHost, model_id: str, params: MusicParams = SHORT, seed: int | None = 0, ctx: RunContext | None = None,
    prompt: str = PROMPT, **inputs: Any,
) -> tuple[AudioOutput, JobResult]:  # fmt: skip
    result = host.run(music_spec(model_id, prompt, params, seed=seed, **inputs), ctx or RunContext())
    assert isinstance(result.output, AudioOutput)
    return result.output, result


def write_wav(path: Path, seconds: float, rate: int) -> Path:
    t = np.arange(round(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    return audio_edit.write_audio(path, samples, rate)


# ---------------------------------------------------------------- the engine


def test_registry_finds_the_folder_and_an_engine_runs_it(paths: AppPaths, music_id: str) -> None:
    entry = ModelRegistry(paths).get(music_id)
    assert entry.kind == ModelKind.MUSIC and entry.backend == "transformers" and not entry.pickle_only
    assert has_engine(ModelKind.MUSIC, "transformers")
    assert ModelRegistry(paths).default_for(ModelKind.MUSIC) == entry


def test_generates_the_asked_duration_at_the_model_rate(host: EngineHost, music_id: str) -> None:
    output, result = run(host, music_id)
    assert output.sample_rate == RATE and output.backend == "transformers" and output.first_audio_ms is None
    assert output.samples.dtype == np.float32 and output.samples.ndim == 1
    assert output.duration_s == pytest.approx(SHORT.duration_s, abs=1 / 50)  # within one EnCodec frame
    assert np.all(np.isfinite(output.samples)) and np.any(output.samples != 0)
    assert output.synthesis_s > 0 and result.seconds > 0
    assert result.metrics["steps"] == new_tokens_for(SHORT.duration_s, 50, 4) == 20 + 3
    assert result.metrics["device"] == "cpu" and result.metrics["dtype"] == "float32"


def test_same_seed_same_music_and_regenerate_replays(host: EngineHost, music_id: str) -> None:
    first, result = run(host, music_id, seed=11)
    again, _ = run(host, music_id, seed=11)
    assert np.array_equal(first.samples, again.samples)
    replayed = host.run(result.spec.replay(), RunContext()).output
    assert np.array_equal(first.samples, replayed.samples)
    other, _ = run(host, music_id, seed=12)
    assert not np.array_equal(first.samples, other.samples)
    # A spec without a seed gets one (recorded for Regenerate) and still replays exactly.
    _, unseeded = run(host, music_id, seed=None)
    assert unseeded.spec.seed is not None


def test_progress_is_reported_every_step_and_monotonic(host: EngineHost, music_id: str) -> None:
    fractions: list[float] = []
    ctx = RunContext(on_progress=lambda f, m: fractions.append(f) if f is not None else None)
    _, result = run(host, music_id, ctx=ctx)
    assert len(fractions) == result.metrics["steps"]
    assert fractions == sorted(fractions) and fractions[0] > 0 and fractions[-1] == 1.0


def test_cancel_from_the_progress_callback_stops_within_one_step(host: EngineHost, music_id: str) -> None:
    ctx = RunContext()
    seen: list[float] = []

    def on_progress(fraction: float | None, message: str) -> None:
        if fraction is not None:
            seen.append(fraction)
            if len(seen) == 3:
                ctx.cancel.cancel()

    ctx.on_progress = on_progress
    with pytest.raises(JobCancelled):
        run(host, music_id, MusicParams(duration_s=2.0), ctx=ctx)
    assert len(seen) == 3  # not one step more
    output, _ = run(host, music_id)  # the engine is still usable afterwards
    assert output.duration_s == pytest.approx(SHORT.duration_s, abs=1 / 50)


def test_continuation_starts_from_the_given_wav(host: EngineHost, music_id: str, tmp_path: Path) -> None:
    clip = write_wav(tmp_path / "start.wav", 0.3, 16000)  # another rate: the engine resamples it
    plain, _ = run(host, music_id)
    continued, result = run(host, music_id, continue_from=str(clip))
    # The result is the (re-encoded) clip followed by the new music, as MusicGen's continuation returns it.
    assert continued.duration_s == pytest.approx(0.3 + SHORT.duration_s, abs=2 / 50)
    assert continued.duration_s > plain.duration_s
    assert result.metrics["prompt_audio_s"] == pytest.approx(0.3)
    assert not np.array_equal(continued.samples[-len(plain.samples) :], plain.samples)


def test_continuation_equals_the_library_with_the_same_audio_prompt(
    host: EngineHost, music_id: str, paths: AppPaths, tmp_path: Path
) -> None:
    import torch
    from transformers import AutoProcessor, MusicgenForConditionalGeneration

    clip = write_wav(tmp_path / "start.wav", 0.3, RATE)
    app, _ = run(host, music_id, seed=5, continue_from=str(clip))
    folder = paths.models_dir / music_id
    processor = AutoProcessor.from_pretrained(folder, local_files_only=True)
    model = MusicgenForConditionalGeneration.from_pretrained(folder, local_files_only=True)
    audio, _ = audio_edit.read_audio(clip)
    inputs = processor(text=[PROMPT], audio=[audio], sampling_rate=RATE, padding=True, return_tensors="pt")
    torch.manual_seed(5)
    with torch.inference_mode():
        bare = model.generate(**inputs, do_sample=True, guidance_scale=3.0, max_new_tokens=20 + 3)
    assert np.array_equal(app.samples, bare[0, 0].numpy())


def test_app_output_equals_bare_generate_with_the_same_seed(host: EngineHost, music_id: str, paths: AppPaths) -> None:
    import torch
    from transformers import AutoProcessor, MusicgenForConditionalGeneration

    app, _ = run(host, music_id, MusicParams(duration_s=0.5), seed=42)
    folder = paths.models_dir / music_id
    processor = AutoProcessor.from_pretrained(folder, local_files_only=True)
    model = MusicgenForConditionalGeneration.from_pretrained(folder, local_files_only=True)
    inputs = processor(text=[PROMPT], padding=True, return_tensors="pt")
    torch.manual_seed(42)
    with torch.inference_mode():
        # 25 frames for 0.5 s at 50 Hz, plus the 3 steps the 4-codebook delay pattern costs.
        bare = model.generate(**inputs, do_sample=True, guidance_scale=3.0, max_new_tokens=25 + 3)
    assert bare.shape[-1] == len(app.samples) == 25 * 640
    assert np.array_equal(app.samples, bare[0, 0].numpy())


def test_params_reach_the_sampler(host: EngineHost, music_id: str) -> None:
    base, _ = run(host, music_id, seed=3)
    greedyish, _ = run(host, music_id, MusicParams(duration_s=0.4, top_k=1), seed=3)
    unguided, _ = run(host, music_id, MusicParams(duration_s=0.4, guidance=1.0), seed=3)
    assert not np.array_equal(base.samples, greedyish.samples)
    assert not np.array_equal(base.samples, unguided.samples)
    # top-k 1 takes the likeliest code every step: the seed no longer matters.
    again, _ = run(host, music_id, MusicParams(duration_s=0.4, top_k=1), seed=4)
    assert np.array_equal(greedyish.samples, again.samples)


@pytest.mark.parametrize(
    ("prompt", "params", "inputs", "match"),
    [
        ("   ", {}, {}, "prompt is empty"),
        (PROMPT, {"duration_s": 0}, {}, "duration"),
        (PROMPT, {"duration_s": 31}, {}, "duration"),
        (PROMPT, {"temperature": 0}, {}, "temperature"),
        (PROMPT, {}, {"continue_from": "/no/such/file.wav"}, "no audio file"),
    ],
)
def test_bad_requests_are_user_errors(
    host: EngineHost, music_id: str, prompt: str, params: dict[str, Any], inputs: dict[str, Any], match: str
) -> None:
    from aigc_desktop.core.specs import JobKind, JobSpec

    spec = JobSpec(kind=JobKind.MUSIC, model_id=music_id, inputs={"prompt": prompt, **inputs}, params=params, seed=0)
    with pytest.raises(UserError, match=match):
        host.run(spec, RunContext())


def test_pickle_only_folder_is_refused(host: EngineHost, install_tiny_music: Install, paths: AppPaths) -> None:
    model_id = install_tiny_music("musicgen-pickle")
    entry = ModelRegistry(paths).get(model_id)
    assert entry.kind == ModelKind.MUSIC and entry.pickle_only
    with pytest.raises(UserError, match="safetensors"):
        run(host, model_id)
    assert host.loaded_models() == []


def test_broken_folder_is_a_user_error_naming_the_model(host: EngineHost, install_tiny_music: Install) -> None:
    model_id = install_tiny_music("musicgen", "broken-musicgen")
    weights = host.resolve(model_id).path / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:4096])
    with pytest.raises(UserError, match="broken-musicgen"):
        run(host, model_id)


def test_estimate_is_the_measured_rate_scaled_by_size(tiny_music_source: Callable[[str], Path]) -> None:
    small = estimate_seconds(5.0, "cpu")
    assert 60 <= small <= 70  # 5 s took 60 s on the reference CPU, plus loading
    assert estimate_seconds(10.0, "cpu") > small
    assert estimate_seconds(5.0, "cpu", MUSICGEN_SMALL_PARAMETERS * 2) > 1.9 * (small - 5)
    assert estimate_seconds(5.0, "cuda") < small
    import torch
    from transformers import MusicgenForConditionalGeneration

    folder = tiny_music_source("musicgen")
    model = MusicgenForConditionalGeneration.from_pretrained(folder, local_files_only=True, dtype=torch.float32)
    # Every stored tensor counts (EnCodec's codebook buffers too; a tied embedding is stored once).
    stored = parameter_count(folder)
    assert stored is not None
    assert sum(p.numel() for p in model.parameters()) <= stored <= sum(t.numel() for t in model.state_dict().values())
    assert parameter_count(folder.parent / "nowhere") is None


# ---------------------------------------------------------------- aigc music


def aigc_music(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    # One thread: see one_thread(); the CLI itself uses torch's default.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_NUM_THREADS="1")
    return subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "music", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO,
    )


def test_cli_music_writes_a_tagged_wav_and_one_json_object(music_id: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / "song.wav"
    out.parent.mkdir()
    done = aigc_music("--prompt", PROMPT, "--duration", "0.4", "--seed", "9", "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"model", "out", "sample_rate", "duration_s", "synthesis_s", "first_audio_ms"}
    assert report["model"] == music_id and report["out"] == str(out) and report["sample_rate"] == RATE
    assert report["duration_s"] == pytest.approx(0.4, abs=1 / 50) and report["synthesis_s"] > 0
    assert report["first_audio_ms"] is None
    samples, rate = audio_edit.read_audio(out)
    assert rate == RATE and len(samples) == round(report["duration_s"] * RATE)
    tags = audio_edit.read_tags(out)
    assert tags["comment"] == f"AI-generated with {music_id}: {PROMPT}"
    assert tags["software"] == "AIGC Desktop" and tags["title"] == "song"
    # The estimate, and nothing else, goes to stderr (library warnings go to the log file).
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "expect about" in lines[0], done.stderr
    assert [p.name for p in out.parent.iterdir()] == ["song.wav"]


def text_model_folder(models_dir: Path) -> str:
    folder = models_dir / "some-text-model"
    folder.mkdir(parents=True)
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder.name


@pytest.mark.parametrize(
    "case",
    [
        "empty prompt",
        "zero duration",
        "too long",
        "unknown model",
        "text model",
        "unwritable output",
        "bad extension",
        "missing continuation",
        "no music model",
    ],
)
def test_cli_music_bad_input_is_one_line_and_exit_2(case: str, paths: AppPaths, tmp_path: Path) -> None:
    if case != "no music model":
        # Any folder with a musicgen config is listed as a music model; every check fails before it would load.
        (paths.models_dir / "tiny-musicgen").mkdir()
        (paths.models_dir / "tiny-musicgen" / "config.json").write_text('{"model_type": "musicgen"}')
    out = tmp_path / "out" / "x.wav"
    out.parent.mkdir()
    args = {
        "empty prompt": ["--prompt", " ", "--duration", "1"],
        "zero duration": ["--prompt", "x", "--duration", "0"],
        "too long": ["--prompt", "x", "--duration", "31"],
        "unknown model": ["--prompt", "x", "--duration", "1", "--model", "no-such-model"],
        "text model": ["--prompt", "x", "--duration", "1", "--model", text_model_folder(paths.models_dir)],
        "unwritable output": ["--prompt", "x", "--duration", "1", "--out", "/proc/aigc-test.wav"],
        "bad extension": ["--prompt", "x", "--duration", "1", "--out", str(out.with_suffix(".mp3"))],
        "missing continuation": ["--prompt", "x", "--duration", "1", "--continue-from", str(tmp_path / "no.wav")],
        "no music model": ["--prompt", "x", "--duration", "1"],
    }[case]
    if "--out" not in args:
        args += ["--out", str(out)]
    done = aigc_music(*args, timeout=60)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and not done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aigc"), done.stderr
    assert list(out.parent.iterdir()) == []
    if case == "no music model":
        assert "No music model is installed" in lines[0] and str(paths.models_dir) in lines[0]
