"""UI stall: the largest gap between ticks of a 10 ms QTimer on the GUI thread, first with nothing running (the bare
event loop), then while a lane worker runs a CPU-heavy torch job (the hardware-check engine). Prints numbers.

    .venv/bin/python benchmarks/ui_stall.py [--seconds 3] [--size 1024]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-bench-"))

import itertools

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import app_paths
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.workers.queue import JobQueue


def gaps_while(app: QApplication, seconds: float, start: object = None, done: list[bool] | None = None) -> list[float]:
    """Tick a 10 ms timer until `seconds` pass (or `done` is set) and return the gaps between ticks in ms."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    if callable(start):
        start()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not (done and done[0]):
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    registry = ModelRegistry(app_paths().ensure())
    queue = JobQueue(lambda lane: EngineHost(registry))

    # Load torch in the worker first, so the measured window holds only the matrix work.
    warm: list[bool] = [False]
    queue.job_finished.connect(lambda *_: warm.__setitem__(0, True))
    spec = JobSpec(kind=JobKind.SYSTEM, model_id="torch-selfcheck", params={"size": 64, "iterations": 1}, seed=0)
    queue.submit(spec)
    while not warm[0]:
        app.processEvents()
        time.sleep(0.005)

    idle = gaps_while(app, args.seconds)
    done: list[bool] = [False]
    queue.job_finished.connect(lambda *_: done.__setitem__(0, True))
    heavy = JobSpec(
        kind=JobKind.SYSTEM, model_id="torch-selfcheck", params={"size": args.size, "iterations": 100000}, seed=0
    )
    job_holder: list[object] = []
    busy = gaps_while(app, args.seconds, start=lambda: job_holder.append(queue.submit(heavy)), done=done)
    queue.cancel_all()
    queue.shutdown()
    print(f"bare event loop, nothing running: largest gap {max(idle):.1f} ms over {len(idle)} ticks")
    print(
        f"torch {args.size}x{args.size} matmuls on a worker: largest gap {max(busy):.1f} ms over {len(busy)} ticks"
        f"   (goal <= 50 ms)"
    )
    print(f"ratio busy/bare largest gap: {max(busy) / max(idle):.2f}x")


if __name__ == "__main__":
    main()
