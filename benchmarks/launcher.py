"""Launcher overhead on later starts: the frozen launcher (installer/build_packages.py builds it) finding the runtime
and exec()-ing its Python, against starting that Python directly — alternating, in the same run (goal: ≤ 0.3 s).

Two measures, medians of --runs each:
  - bare overhead: `aigc-desktop --smoke` whose runtime Python is /bin/true, against /bin/true itself (the launcher's
    own cost: its process start, the marker read, the exec);
  - whole start: `aigc-desktop --smoke` against `python app/main.py --smoke` (process start → first paint), with a
    runtime whose Python is this venv's.

    .venv/bin/python benchmarks/launcher.py [--launcher build/packages/stage/aigc-desktop-*/aigc-desktop] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

REPO = Path(__file__).resolve().parent.parent


def fake_runtime(home: Path, python: str) -> None:
    """A marked runtime whose bin/python runs `python` (what a built runtime looks like to the launcher)."""
    folder = home / "data" / "runtime" / "cpu-0123456789ab-1"
    (folder / "bin").mkdir(parents=True, exist_ok=True)
    (folder / "bin" / "python").write_text(f'#!/bin/sh\nexec {python} "$@"\n')
    (folder / "bin" / "python").chmod(0o755)
    marker = {"folder": folder.name, "kind": "cpu", "lock": "0123456789ab", "version": "0"}
    (home / "data" / "runtime" / "current.json").write_text(json.dumps(marker))


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> int:
    found = sorted(REPO.glob("build/packages/stage/aigc-desktop-*/aigc-desktop"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--launcher", type=Path, default=found[-1] if found else None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if args.launcher is None or not args.launcher.exists():
        print("no frozen launcher: run installer/build_packages.py first", file=sys.stderr)
        return 2
    main_py = args.launcher.parent / "app" / "main.py"
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        bare_home, app_home = Path(tmp) / "bare", Path(tmp) / "app"
        fake_runtime(bare_home, "/bin/true")
        fake_runtime(app_home, sys.executable)
        base = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        bare_env, app_env = dict(base, AIGC_DESKTOP_HOME=str(bare_home)), dict(base, AIGC_DESKTOP_HOME=str(app_home))
        timed([str(args.launcher), "--smoke"], app_env)  # warm the page cache once
        rows: dict[str, list[float]] = {"true": [], "launcher→true": [], "main.py": [], "launcher→main.py": []}
        for _ in range(args.runs):
            rows["true"].append(timed(["/bin/true"], bare_env))
            rows["launcher→true"].append(timed([str(args.launcher), "--smoke"], bare_env))
            rows["main.py"].append(timed([sys.executable, str(main_py), "--smoke"], app_env))
            rows["launcher→main.py"].append(timed([str(args.launcher), "--smoke"], app_env))
    med = {k: statistics.median(v) for k, v in rows.items()}
    for k, v in med.items():
        print(f"{k:18s} median {v * 1000:7.0f} ms  (runs: {', '.join(f'{x * 1000:.0f}' for x in rows[k])})")
    bare = med["launcher→true"] - med["true"]
    whole = med["launcher→main.py"] - med["main.py"]
    print(f"launcher overhead: bare {bare * 1000:.0f} ms; whole start {whole * 1000:+.0f} ms "
          f"(ratio {med['launcher→main.py'] / med['main.py']:.2f}×; goal ≤ 300 ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
