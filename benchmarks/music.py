"""Music engine overhead: seconds of plain `model.generate` vs the app's MusicGenEngine through EngineHost, in one run
on the same folder, prompt, seed and duration. Prints numbers, asserts nothing.

The model has the public musicgen-small shape with random weights (ENVIRONMENT.md, "Real-size shapes": T5 768/12
layers, EnCodec 32 kHz, decoder 1024 hidden / 24 layers / 4 codebooks of 2048; 588M parameters), saved as safetensors
in a temporary folder with the tests' tiny T5 tokenizer (its ids are valid in the big vocabulary): speed depends on the
shapes, not on the values. The goal is app/bare ≤ 1.05.

    .venv/bin/python benchmarks/music.py [--duration 2] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tiny_music: the offline tokenizer and the real-size config
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

PROMPT = "calm piano with soft drums"
SEED = 1234
GUIDANCE = 3.0


def build_model(folder: Path) -> int:
    import tiny_music

    started = time.perf_counter()
    processor = tiny_music.build_processor()
    model = tiny_music.build_model(tiny_music.musicgen_small_config())
    model.save_pretrained(folder)  # safetensors
    processor.save_pretrained(folder)
    count = sum(p.numel() for p in model.parameters())
    print(f"built a musicgen-small-shaped model ({count / 1e6:.0f}M params) in {time.perf_counter() - started:.1f} s")
    return count


class Bare:
    """The library alone, as its documentation shows it."""

    def __init__(self, folder: Path) -> None:
        import torch
        from transformers import AutoProcessor, MusicgenForConditionalGeneration

        self.torch = torch
        self.processor = AutoProcessor.from_pretrained(folder, local_files_only=True)
        self.model = MusicgenForConditionalGeneration.from_pretrained(folder, local_files_only=True).eval()
        self.rate = int(self.model.config.audio_encoder.sampling_rate)

    def run(self, max_new_tokens: int) -> tuple[float, Any]:
        torch = self.torch
        inputs = self.processor(text=[PROMPT], padding=True, return_tensors="pt")
        started = time.perf_counter()
        torch.manual_seed(SEED)
        with torch.inference_mode():
            audio = self.model.generate(
                **inputs, do_sample=True, guidance_scale=GUIDANCE, max_new_tokens=max_new_tokens
            )
        return time.perf_counter() - started, audio[0, 0].numpy()


class App:
    """The app's path: registry entry, EngineHost, MusicGenEngine, a RunContext collecting progress."""

    def __init__(self, folder: Path) -> None:
        from aigc_desktop.core.engines.base import RunContext
        from aigc_desktop.core.engines.host import EngineHost
        from aigc_desktop.core.models.registry import ModelRegistry
        from aigc_desktop.core.paths import app_paths

        registry = ModelRegistry(app_paths().ensure())
        self.entry = registry.get(str(folder))
        self.host = EngineHost(registry)
        self.steps = 0

        def on_progress(fraction: float | None, message: str) -> None:
            if fraction is not None:
                self.steps += 1

        self.ctx = RunContext(on_progress=on_progress)
        started = time.perf_counter()
        self.host.ensure_loaded(self.entry.id, self.ctx)
        print(f"app loaded the model in {time.perf_counter() - started:.1f} s")

    def run(self, duration_s: float) -> tuple[float, Any]:
        from aigc_desktop.core.audio.job import AudioOutput, MusicParams, music_spec

        spec = music_spec(self.entry.id, PROMPT, MusicParams(duration_s=duration_s, guidance=GUIDANCE), seed=SEED)
        self.steps = 0
        started = time.perf_counter()
        result = self.host.run(spec, self.ctx)
        seconds = time.perf_counter() - started
        assert isinstance(result.output, AudioOutput)
        return seconds, result.output.samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=2.0, help="seconds of music per run (default 2)")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of each, alternating (default 2)")
    args = parser.parse_args()

    import numpy as np
    import torch

    from aigc_desktop.core.engines.music_musicgen import estimate_seconds, new_tokens_for

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, cuda={torch.cuda.is_available()}")
    with tempfile.TemporaryDirectory(prefix="musicgen-small-shaped-") as tmp:
        folder = Path(tmp) / "musicgen-small-shaped"
        count = build_model(folder)
        bare = Bare(folder)
        app = App(folder)
        steps = new_tokens_for(args.duration, 50, 4)
        print(f"{args.duration:g} s of audio = {steps} decoding steps; estimate_seconds says "
              f"{estimate_seconds(args.duration, 'cpu', count):.0f} s")  # fmt: skip

        # Warm-up (first-call allocations, lazy kernels) for both, not timed.
        bare.run(new_tokens_for(0.1, 50, 4))
        app.run(0.1)

        bare_times: list[float] = []
        app_times: list[float] = []
        same = True
        for i in range(args.repeats):  # alternate, so a busy moment on the machine hits both alike
            b_s, b_audio = bare.run(steps)
            a_s, a_audio = app.run(args.duration)
            bare_times.append(b_s)
            app_times.append(a_s)
            same = same and bool(np.array_equal(b_audio, a_audio))
            print(f"run {i + 1}: bare {b_s:.2f} s, app {a_s:.2f} s ({app.steps} progress reports)", flush=True)
        audio_s = len(a_audio) / bare.rate
        b_best, a_best = min(bare_times), min(app_times)
        print()
        print(f"audio per run            {audio_s:.2f} s at {bare.rate} Hz")
        print(f"bare model.generate      {b_best:.2f} s (best of {args.repeats}), RTF {b_best / audio_s:.2f}")
        print(f"app via EngineHost       {a_best:.2f} s (best of {args.repeats}), RTF {a_best / audio_s:.2f}")
        print(f"ratio app/bare           {a_best / b_best:.3f} (goal <= 1.05)")
        print(f"identical samples        {same}")
        print(f"seconds per audio second {a_best / audio_s:.1f} (estimate_seconds: 12.0 for 588M on the 2-core CPU)")
        app.host.unload_all()


if __name__ == "__main__":
    main()
