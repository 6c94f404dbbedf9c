"""Screenshots of every step of the setup window (ui/setup_window.py), with the scripted backend of its tests
(tests/fake_install.py) so each state shows without a real multi-GB download (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_setup.py OUT_DIR [--language zh_CN]
        [--frozen PATH/aigc-desktop]

setup-1-welcome.png (GPU found, CPU chosen: the override note), setup-1-welcome-nogpu.png, setup-2-location-cpu.png
(the CPU lock: its torch sizes are estimates, "up to"), setup-2-location.png,
setup-2-no-space.png, setup-3-progress.png (with Details), setup-3-failed.png (a package's error, Retry),
setup-3-retry.png (Retry: the build runs again), setup-3-offline.png (no network → offline bundle),
setup-2-bundle.png (Use an offline bundle… → the bundle archive chosen), setup-2-bundle-folder.png (a bundle folder:
its wheels not counted again in the space needed), setup-2-cancelled.png (Cancel during the build), setup-4-done.png.
Each is the whole 1366×768 screen. The sizes shown are the shipped locks' (installer/locks).

--frozen: also frozen-1-welcome.png, the frozen launcher itself (an unpacked tarball's or /opt/aigc-desktop's
`aigc-desktop --setup`, real backend: this machine's hardware, disk and locks) started with an empty home in the
language asked for, its first window grabbed from the screen, then closed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_window import grab_screen, tool_args  # noqa: E402  (needs the sys.path lines above)


def main() -> int:
    out, options, _ = tool_args("--language", "--frozen")
    language, frozen = options.get("--language", ""), options.get("--frozen", "")
    from fake_install import GB, FakeBackend
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QFileDialog

    from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
    from aigc_desktop.core.runtime import build, hardware
    from aigc_desktop.ui.fonts import use_chinese_faces
    from aigc_desktop.ui.i18n import ENGLISH, apply_language
    from aigc_desktop.ui.setup_window import SetupWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_chinese_faces(app)  # type: ignore[arg-type]
    apply_language(language or ENGLISH)
    home = Path(os.environ["AIGC_DESKTOP_HOME"])

    def shot(w: SetupWindow, name: str) -> None:
        w.raise_()
        w.activateWindow()
        grab_screen(out, name, settle=True)

    def opened(backend: FakeBackend) -> SetupWindow:
        w = SetupWindow(backend, folder=home / "data" / "runtime")
        w.show()
        geo = QGuiApplication.primaryScreen().availableGeometry()
        w.move(geo.center() - w.rect().center())
        return w

    gpu = hardware.Hardware("cuda", (hardware.Gpu("NVIDIA GeForce RTX 4070", 12282),))
    locks = ROOT / "installer" / "locks"
    nogpu = FakeBackend(hardware.Hardware("cpu"), lock_folder=locks)
    w = opened(nogpu)
    shot(w, "setup-1-welcome-nogpu")
    w.next_button.click()
    shot(w, "setup-2-location-cpu")
    w.close()

    backend = FakeBackend(gpu, free=3 * GB, lock_folder=locks)
    w = opened(backend)
    w.kind_radios["cpu"].click()
    shot(w, "setup-1-welcome")
    w.kind_radios["cuda"].click()
    w.next_button.click()
    shot(w, "setup-2-no-space")
    backend.free = 180 * GB
    w.set_folder(home / "data" / "runtime")
    shot(w, "setup-2-location")
    w.next_button.click()
    run = backend.runs[-1]
    for line in (
        "$ python -m pip wheel --no-deps --progress-bar raw -w .wheels pip==26.3 accelerate==1.15.0 ...",
        "Collecting torch==2.9.1",
        "  Downloading torch-2.9.1-cp311-cp311-manylinux_2_28_x86_64.whl (899.7 MB)",
        "Saved .wheels/numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl",
    ):
        run.log.emit(line)
    stage = QT_TRANSLATE_NOOP("Setup", "Downloading {name}…").format(name="torch")
    run.progress.emit(build.Progress(0.31, stage, int(2.9 * GB), int(4.3 * GB), 0, 95, seconds_left=412.0))
    w.details_button.click()
    shot(w, "setup-3-progress")
    w.details_button.click()
    message = QT_TRANSLATE_NOOP("Setup", "{name} could not be installed.").format(name="llama-cpp-python")
    details = "ERROR: Failed building wheel for llama-cpp-python\nerror: command 'cmake' failed: No such file"
    run.failed.emit(build.PackageFailed(message, "llama-cpp-python", details))
    shot(w, "setup-3-failed")
    w.retry_button.click()
    retry = backend.runs[-1]
    retry.log.emit("$ python -m pip wheel --no-deps --progress-bar raw -w .wheels pip==26.3 accelerate==1.15.0 ...")
    retry.progress.emit(build.Progress(0.02, QT_TRANSLATE_NOOP("Setup", "Creating the Python environment…")))
    shot(w, "setup-3-retry")
    offline = QT_TRANSLATE_NOOP(
        "Setup",
        "No internet connection: the package server ({host}) cannot be reached. Connect to the internet "
        "and try again, or install from an offline bundle.",
    ).format(host="pypi.org")
    retry.failed.emit(build.NoNetwork(offline))
    shot(w, "setup-3-offline")
    bundle = home / "aigc-runtime-cuda.tar"
    bundle.write_bytes(b"")  # the path must exist for Install to be enabled
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(bundle), ""))  # type: ignore[method-assign]
    w.offline_button.click()
    shot(w, "setup-2-bundle")
    (home / "aigc-runtime-cuda").mkdir()
    w.set_bundle(home / "aigc-runtime-cuda")
    shot(w, "setup-2-bundle-folder")
    w.next_button.click()
    install = backend.runs[-1]
    install.progress.emit(build.Progress(0.01, QT_TRANSLATE_NOOP("Setup", "Unpacking the offline bundle…")))
    w.cancel_button.click()
    for _ in range(5):
        app.processEvents()
    shot(w, "setup-2-cancelled")
    w.next_button.click()
    backend.runs[-1].finish()
    shot(w, "setup-4-done")
    w.close()
    if frozen:
        frozen_shot(Path(frozen), language, lambda name: grab_screen(out, name, settle=True))
    return 0


def frozen_shot(exe: Path, language: str, shot: Callable[[str], None]) -> None:
    """The frozen launcher's own first window: a new process on this display, a home of its own (no runtime, no
    settings), the system language set to the one asked for; the screen is grabbed once its window is up."""
    home = Path(tempfile.mkdtemp(prefix="aigc-frozen-"))
    lang = "zh_CN.UTF-8" if language.startswith("zh") else "en_US.UTF-8"
    display = {k: os.environ[k] for k in ("DISPLAY", "XAUTHORITY") if k in os.environ}
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": lang, "LANGUAGE": lang.split(".")[0],
           "QT_QPA_PLATFORM": "xcb", **display}  # fmt: skip
    process = subprocess.Popen([str(exe), "--setup", "--no-start"], env=env)
    try:
        time.sleep(8)  # the frozen Qt starting, nvidia-smi asked, the locks read
        assert process.poll() is None, f"the launcher exited with {process.returncode}"
        shot("frozen-1-welcome")
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    raise SystemExit(main())
