"""Save-torture helper: a zygote that imports the store once, then forks one saver process per request.

Why fork: starting Python and importing numpy, PIL and the store costs ~0.2 s on a small machine, which would make
200+ SIGKILLs take minutes. A forked child starts in milliseconds yet is a real, separate process that the test
kills with SIGKILL at a random instant, exactly as a crash would. The zygote itself never opens a database, so no
SQLite state crosses a fork.

Protocol (one line each way, over stdin/stdout):
  "go PATH START loop"  -> the child saves versions START+1, START+2, ... into PATH forever
  "go PATH VERSION once" -> the child saves VERSION into PATH once (a first save: temp file + rename), then waits
  the zygote answers "child PID"; the child writes "saved V" after each save returns; once the test has killed it,
  the zygote answers "reaped PID STATUS". Children never exit on their own, so the PID stays theirs until killed.
Content is a pure function of the version (see build_project), so the test knows what every version must hold.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # no BLAS thread pool to be half-copied by fork

import signal
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from aigc_desktop.core.project.model import Clip, Layer, Project
from aigc_desktop.core.project.store import save_project

SIZE = 256
BASE_LAYERS = 8
CLIP_FRAMES = 22050
PROJECT_ID = "torture-project"


def layer_count(version: int) -> int:
    return BASE_LAYERS + (version % 2)  # a layer comes and goes, so the layer list itself changes too


def layer_seed(index: int, version: int) -> int:
    """Layer `index` changes in one version out of three (incremental saves rewrite a few assets, drop stale ones)."""
    return version - ((version + index) % 3)


def layer_pixels(index: int, seed: int) -> bytes:
    rng = np.random.default_rng([index, seed + 1_000_000])
    return rng.integers(0, 256, SIZE * SIZE * 4, dtype=np.uint8).tobytes()  # noise: PNG cannot shrink it


def clip_samples(version: int) -> np.ndarray:
    return (np.random.default_rng([version + 1_000_000, 7]).standard_normal(CLIP_FRAMES) * 0.1).astype(np.float32)


def build_project(version: int, cache: dict[tuple[int, int], Image.Image] | None = None) -> Project:
    p = Project(name="Torture", id=PROJECT_ID, created_at=1.0)
    p.document.text = f"version {version}"
    p.canvas.width = p.canvas.height = SIZE
    for i in range(layer_count(version)):
        key = (i, layer_seed(i, version))
        image = cache.get(key) if cache is not None else None
        if image is None:
            image = Image.frombytes("RGBA", (SIZE, SIZE), layer_pixels(*key))
            if cache is not None:
                cache[key] = image
        p.canvas.layers.append(Layer(f"L{i}", image, id=f"layer-{i}"))
    p.clips.append(Clip("Noise", clip_samples(version), 22050, id="clip-0"))
    return p


def _child(path: Path, version: int, mode: str) -> None:
    cache: dict[tuple[int, int], Image.Image] = {}
    if mode == "once":
        save_project(build_project(version), path)
        os.write(1, f"saved {version}\n".encode())
    else:
        while True:
            version += 1
            save_project(build_project(version, cache), path)
            os.write(1, f"saved {version}\n".encode())
            for key in [k for k in cache if k[1] < version - 3]:  # keep memory flat over long runs
                del cache[key]
    while True:
        signal.pause()


def main() -> None:
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            return
        _go, path, version, mode = words
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _child(Path(path), int(version), mode)
            except BaseException as exc:  # reported, so the test can tell a crash from a kill
                os.write(2, f"saver failed: {exc!r}\n".encode())
            finally:
                os._exit(code)
        os.write(1, f"child {pid}\n".encode())
        _, status = os.waitpid(pid, 0)
        os.write(1, f"reaped {pid} {status}\n".encode())


if __name__ == "__main__":
    main()
