"""Project save and reopen: 50 layers of 1024² RGBA and 10 minutes of 22.05 kHz mono audio. Times a full save (new
file), an incremental save after one layer changed, and a load; prints the numbers and the file size. Asserts
nothing.

    .venv/bin/python benchmarks/project_save.py [--layers 50] [--size 1024] [--minutes 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aigc_desktop.core.project.model import Clip, Layer, Project
from aigc_desktop.core.project.store import load_project, save_project


def painted_layer(rng: np.random.Generator, size: int) -> Image.Image:
    """Smooth gradients plus a little noise: like painted content, it compresses somewhat but not to nothing."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    fx, fy, phase = rng.uniform(1, 8, 3)
    base = np.stack(
        [
            127 + 120 * np.sin(2 * np.pi * (fx * x + phase)),
            127 + 120 * np.cos(2 * np.pi * (fy * y + phase)),
            127 + 120 * np.sin(2 * np.pi * (fx * x + fy * y)),
            np.full_like(x, 255),
        ],
        axis=-1,
    )
    noise = rng.normal(0, 6, base.shape).astype(np.float32)
    noise[..., 3] = 0
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8), "RGBA")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=50)
    ap.add_argument("--size", type=int, default=1024)
    ap.add_argument("--minutes", type=float, default=10.0)
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    project = Project(name="Benchmark")
    project.canvas.width = project.canvas.height = args.size
    built = time.perf_counter()
    for i in range(args.layers):
        project.canvas.layers.append(Layer(f"Layer {i}", painted_layer(rng, args.size)))
    frames = int(args.minutes * 60 * 22050)
    t = np.arange(frames, dtype=np.float32) / 22050
    audio = 0.3 * np.sin(2 * np.pi * 220 * t) + rng.normal(0, 0.05, frames)  # tone + noise: float32 barely shrinks
    project.clips.append(Clip("Narration", audio, 22050))
    print(
        f"built {args.layers} layers of {args.size}² and {args.minutes:g} min of audio in "
        f"{time.perf_counter() - built:.1f} s"
    )

    with tempfile.TemporaryDirectory(prefix="aigc-bench-") as tmp:
        path = Path(tmp) / "bench.aigc"
        full = save_project(project, path)
        size_mb = path.stat().st_size / 1e6
        print(
            f"full save (new file):   {full.seconds:7.2f} s  ({full.assets_written} assets written, "
            f"file {size_mb:.1f} MB)"
        )

        project.canvas.layers[args.layers // 2].image = painted_layer(rng, args.size)
        inc = save_project(project, path)
        print(
            f"incremental save (1 layer changed): {inc.seconds:7.2f} s  ({inc.assets_written} written, "
            f"{inc.assets_reused} reused, file {path.stat().st_size / 1e6:.1f} MB)"
        )

        same = save_project(project, path)
        print(f"save with nothing changed: {same.seconds:7.2f} s")

        started = time.perf_counter()
        report = load_project(path)
        loaded = time.perf_counter() - started
        print(
            f"load:                   {loaded:7.2f} s  ({len(report.project.canvas.layers)} layers, "
            f"{report.project.clips[0].duration_s / 60:.1f} min audio)"
        )


if __name__ == "__main__":
    main()
