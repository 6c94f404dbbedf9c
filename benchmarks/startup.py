"""Start-up time: `main.py --smoke` (process start → first paint of the main window) against a bare PySide6
QMainWindow measured the same way, alternating, in the same run; prints the medians and their ratio (goal: app ≤
2.0× bare). Asserts nothing.

The package's bytecode is compiled first, as an installed copy has it (pip and the installer compile it); without
that, a checkout run with PYTHONDONTWRITEBYTECODE recompiles every module on every start (~180 ms here).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from machine import describe

REPO = Path(__file__).resolve().parent.parent

# The bare library: an empty QMainWindow, timed from process start to its first paint exactly as the app is.
BARE = """
import sys, json, os
from aigc_desktop.app import process_age_ms
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.resize(1200, 780)
out = {}
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint and not out:
            out["startup_ms"] = round(process_age_ms())
            QTimer.singleShot(0, app.quit)
        return False
f = F()
w.installEventFilter(f)
w.show()
app.exec()
print(json.dumps(out))
"""


def measure(cmd: list[str], env: dict[str, str]) -> int:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=120, check=True)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("{"))
    return int(json.loads(line)["startup_ms"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    compileall.compile_dir(REPO / "aigc_desktop", quiet=1)
    app_cmd, bare_cmd = [sys.executable, "main.py", "--smoke"], [sys.executable, "-c", BARE]
    app: list[int] = []
    bare: list[int] = []
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AIGC_DESKTOP_HOME=home)
        measure(app_cmd, env)  # warm the file cache once, as a second launch is
        measure(bare_cmd, env)
        for _ in range(args.runs):  # alternating, so a busy moment of the machine hits both alike
            app.append(measure(app_cmd, env))
            bare.append(measure(bare_cmd, env))
    app_ms, bare_ms = statistics.median(app), statistics.median(bare)
    print(f"app  main.py --smoke  runs (ms): {app}  median {app_ms:.0f} ms")
    print(f"bare QMainWindow      runs (ms): {bare}  median {bare_ms:.0f} ms")
    print(f"ratio app/bare: {app_ms / bare_ms:.2f}x (goal <= 2.0x)   app overhead: {app_ms - bare_ms:.0f} ms")


if __name__ == "__main__":
    main()
