"""Another process holding a core.locks lock, for tests of "is someone on this?": a real, separate process that
the test can SIGKILL, exactly as a crash would end it."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_HOLD = """
import sys
from pathlib import Path
from aigc_desktop.core import locks
lock = locks.take(Path(sys.argv[1]))
print("held" if lock is not None else "busy", flush=True)
sys.stdin.read()  # holds it until killed (or until stdin closes)
"""


def hold_in_child(path: Path) -> subprocess.Popen[str]:
    """A child process that has taken the lock on `path` (asserted) and keeps it until `kill`."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert child.stdout is not None
    answer = child.stdout.readline().strip()
    if answer != "held":
        kill(child)
        raise AssertionError(f"the child could not take {path}: {answer or 'it died'}")
    return child


def kill(child: subprocess.Popen[str]) -> None:
    """SIGKILL: no cleanup runs in the child, as in a crash."""
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
