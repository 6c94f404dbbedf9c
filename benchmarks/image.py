"""Image engine overhead: seconds per step of the app's DiffusersImageEngine (through EngineHost, as the Canvas and
`aigc image` run it) against a bare diffusers call on the same pipeline object, and the app with step previews on
against off, in one run, on the same seed and settings. Prints numbers and ratios, asserts nothing.

Two models, both saved as a diffusers folder and loaded through the registry like a user's model:
- tiny: the tests' tiny random SD (tests/tiny_sd.py) at 64², where the fixed costs per step weigh most;
- sd15: Stable Diffusion 1.5's real shapes with random weights (860M-parameter UNet, 84M VAE, ViT-L/14-sized text
  encoder; speed depends on the shapes, not the values) at 256².
Seconds per step = wall time of one whole pipeline call (prompt encoding and VAE decoding included, identical work on
both sides) / denoising steps. Goals: app/bare ≤ 1.05, previews on/off ≤ 1.10. Other processes on a shared CPU
make wall-clock ratios swing by tens of percent, so the app's own work is also accounted inside the same runs: the
engine times the library's calls and, within them, its own step callbacks (previews, progress, Stop), which gives
app-run / library-work and the previews' share of a run without the noise.

    .venv/bin/python benchmarks/image.py [--models tiny,sd15] [--repeats N] [--threads N] [--size PX] [--steps N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tiny_sd: the offline tokenizer, the tiny and the SD-1.5-shaped models
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

PROMPT = "a watercolor painting of a red house in a green forest"
NEGATIVE = "blurry"
SEED = 1234
GUIDANCE = 7.5
SETTINGS = {"tiny": {"size": 64, "steps": 20, "repeats": 9}, "sd15": {"size": 256, "steps": 4, "repeats": 3}}
THREADS_ASKED = False  # --threads given: use it for every model


def build(name: str, folder: Path) -> int:
    import tiny_sd
    from diffusers import StableDiffusionPipeline

    started = time.perf_counter()
    if name == "tiny":
        pipe = tiny_sd.sd_pipeline()
    else:
        pipe = StableDiffusionPipeline(
            **tiny_sd.sd15_components(), safety_checker=None, feature_extractor=None, requires_safety_checker=False
        )
    tiny_sd.save_pipeline(pipe, folder)
    count = sum(p.numel() for m in (pipe.unet, pipe.vae, pipe.text_encoder) for p in m.parameters())
    print(f"{name}: built and saved {count / 1e6:.1f}M parameters in {time.perf_counter() - started:.1f} s", flush=True)
    return count


class Bench:
    """The app's path (registry entry, EngineHost, DiffusersImageEngine) and the bare call on its pipeline object."""

    def __init__(self, folder: Path, size: int, steps: int) -> None:
        import torch

        from aigc_desktop.core.engines.base import RunContext
        from aigc_desktop.core.engines.host import EngineHost
        from aigc_desktop.core.models.registry import ModelRegistry
        from aigc_desktop.core.paths import app_paths

        self.torch = torch
        self.size, self.steps = size, steps
        registry = ModelRegistry(app_paths().ensure())
        self.entry = registry.get(str(folder))
        self.host = EngineHost(registry)
        self.ctx = RunContext()
        started = time.perf_counter()
        _, engine = self.host.ensure_loaded(self.entry.id, self.ctx)
        print(f"app loaded {self.entry.name} in {time.perf_counter() - started:.1f} s", flush=True)
        self.pipe: Any = engine.pipeline  # type: ignore[attr-defined]  # the object the app itself runs

    def bare(self, steps: int | None = None) -> tuple[float, Any]:
        """diffusers alone, as its documentation shows it, on the app's own pipeline object."""
        started = time.perf_counter()
        image = self.pipe(
            PROMPT,
            negative_prompt=NEGATIVE,
            num_inference_steps=steps or self.steps,
            guidance_scale=GUIDANCE,
            width=self.size,
            height=self.size,
            generator=self.torch.Generator("cpu").manual_seed(SEED),
        ).images[0]
        return (time.perf_counter() - started) / (steps or self.steps), image

    def app(self, previews: bool, steps: int | None = None) -> tuple[float, Any, dict[str, float]]:
        """Seconds per step through EngineHost.run (spec → engine → pipeline → image), and where the time went."""
        from aigc_desktop.core.image.job import ImageOutput, ImageParams, image_spec

        params = ImageParams(
            steps=steps or self.steps, width=self.size, height=self.size, guidance=GUIDANCE, previews=previews
        )
        spec = image_spec(self.entry.id, PROMPT, params, SEED, negative_prompt=NEGATIVE)
        started = time.perf_counter()
        result = self.host.run(spec, self.ctx)
        seconds = time.perf_counter() - started
        assert isinstance(result.output, ImageOutput)
        metrics = {k: float(result.metrics[k]) for k in ("pipeline_seconds", "callback_seconds", "preview_seconds")}
        # The library's own work inside the app's run: its calls minus the callbacks the app hands it.
        library = metrics["pipeline_seconds"] - metrics["callback_seconds"]
        accounting = {
            "app_over_library": seconds / library,
            "preview_share": metrics["preview_seconds"] / seconds,
            "app_ms": (seconds - library) * 1000,
        }
        return seconds / params.steps, result.output.images[0], accounting


def measure(name: str, repeats: int, size: int | None = None, steps: int | None = None) -> dict[str, float]:
    import torch

    settings = {**SETTINGS[name], **({"size": size} if size else {}), **({"steps": steps} if steps else {})}
    threads = torch.get_num_threads()
    if name == "tiny" and not THREADS_ASKED:
        torch.set_num_threads(1)  # a model this small is all thread hand-offs: one thread is 5× faster here
    try:
        return _measure(name, repeats, settings)
    finally:
        torch.set_num_threads(threads)


def _measure(name: str, repeats: int, settings: dict[str, int]) -> dict[str, float]:
    import numpy as np
    import torch

    with tempfile.TemporaryDirectory(prefix=f"image-bench-{name}-") as tmp:
        build(name, Path(tmp) / name)
        bench = Bench(Path(tmp) / name, settings["size"], settings["steps"])
        warm = 2 if name == "sd15" else 4
        bench.bare(warm)  # first-call allocations and lazy kernels, not timed
        bench.app(True, warm)
        times: dict[str, list[float]] = {"bare": [], "off": [], "on": []}
        # per app run kind ("off", "on"): the accounting of each run
        accounting: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
        images: dict[str, Any] = {}

        def one(which: str) -> None:
            if which == "bare":
                per_step, images[which] = bench.bare()
            else:
                per_step, images[which], parts = bench.app(which == "on")
                accounting[which].append(parts)
            times[which].append(per_step)

        same = True
        order = ["bare", "off", "on"]
        for i in range(repeats):  # rotate the order, so neither a busy moment nor going first favours one side
            for which in order[i % 3 :] + order[: i % 3]:
                one(which)
            same = same and all(
                np.array_equal(np.asarray(images["bare"]), np.asarray(images[w])) for w in ("off", "on")
            )
            print(
                f"{name} round {i + 1}: bare {times['bare'][-1]:.4f}, app {times['off'][-1]:.4f}, "
                f"app+previews {times['on'][-1]:.4f} s/step",
                flush=True,
            )
        bench.host.unload_all()
    b_med, off_med, on_med = (statistics.median(times[k]) for k in ("bare", "off", "on"))
    b_min, off_min, on_min = (min(times[k]) for k in ("bare", "off", "on"))
    app_ms = statistics.median(a["app_ms"] for a in accounting["off"])
    inside = statistics.median(a["app_over_library"] for a in accounting["off"])
    share = statistics.median(a["preview_share"] for a in accounting["on"])
    print()
    print(
        f"== {name}: {settings['size']}² px, {settings['steps']} steps, CFG {GUIDANCE}, "
        f"{torch.get_num_threads()} threads, {repeats} rounds =="
    )
    print("wall clock (noisy on a shared CPU)     median      best")
    print(f"bare diffusers (same pipeline object)  {b_med:.4f}    {b_min:.4f} s/step")
    print(f"app, previews off                      {off_med:.4f}    {off_min:.4f} s/step")
    print(f"app, previews on                       {on_med:.4f}    {on_min:.4f} s/step")
    print(f"ratio app/bare                         {off_med / b_med:.3f}     {off_min / b_min:.3f}  (goal <= 1.05)")
    print(f"ratio previews on/off                  {on_med / off_med:.3f}     {on_min / off_min:.3f}  (goal <= 1.10)")
    print("measured inside the same app runs (not disturbed by other processes' load)")
    print(f"app's own work per run, previews off   {app_ms:.1f} ms (spec, inputs, scheduler, step callbacks)")
    print(f"app run / library work in it           {inside:.4f}  (goal <= 1.05)")
    print(f"previews' share of a run               {share * 100:.2f} %  (goal <= 10 %)")
    print(f"identical pixels bare / app / previews {same}")
    print()
    return {"app_bare": off_med / b_med, "previews": on_med / off_med, "inside": inside, "preview_share": share}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="tiny,sd15", help="comma-separated: tiny, sd15 (default both)")
    parser.add_argument(
        "--repeats", type=int, help="timed rounds of bare / app / app+previews (default 9 tiny, 3 sd15)"
    )
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice)")
    parser.add_argument("--size", type=int, help="image side in pixels (default 64 tiny, 256 sd15; a GPU takes 512)")
    parser.add_argument("--steps", type=int, help="denoising steps (default 20 tiny, 4 sd15)")
    args = parser.parse_args()

    import diffusers
    import torch

    if args.threads:
        global THREADS_ASKED
        THREADS_ASKED = True
        torch.set_num_threads(args.threads)

    diffusers.utils.logging.disable_progress_bar()
    diffusers.utils.logging.set_verbosity_error()
    print(f"torch {torch.__version__}, diffusers {diffusers.__version__}, {torch.get_num_threads()} threads, "
          f"cuda={torch.cuda.is_available()}")  # fmt: skip
    print("Other work on this machine shares the CPU: the numbers are noisy; the medians of alternating runs help.")
    for name in args.models.split(","):
        name = name.strip()
        measure(name, args.repeats or SETTINGS[name]["repeats"], args.size, args.steps)


if __name__ == "__main__":
    main()
