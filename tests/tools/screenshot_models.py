"""Screenshots of the Models window with downloads from a local fake Hub, across a killed and restarted app:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_models.py OUT_DIR [--language zh_CN]

This process serves the fake Hub (tests/fake_hub.py) and a catalog: the shipped one plus one small demo model, served
throttled so the download takes a while. It then runs the app twice in child processes sharing one AIGC_DESKTOP_HOME:
1. "start": Models > Catalog, download the demo model, grab the screen mid-download, then SIGKILL itself (as a crash
   or a power cut would end the app);
2. "resume": reopen Models: the download shows as paused where the first run died; Resume, grab; when installed,
   import a tiny transformers text model (built like the tests build it) from a folder, grab Installed and the Import
   tab; then pick the imported model in the Document pane and continue a text with it, grab.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

DEMO_ID = "demo-tiny-gguf"
LANGUAGE_ENV = "AIGC_SHOT_LANGUAGE"  # --language, handed to the two app runs
DEMO_SIZE = 24_000_000
THROTTLE = 2_000_000  # bytes per second: the demo takes about 12 s


from app_window import open_main_window  # noqa: E402  (needs the sys.path line above)


def main() -> int:
    args = sys.argv[1:]
    if "--language" in args:  # the interface language of the shots (the app's View > Language)
        at = args.index("--language")
        os.environ[LANGUAGE_ENV] = args[at + 1]
        del args[at : at + 2]
    if len(args) > 1 and args[0] in ("start", "resume"):
        return run_app(args[0], Path(args[1]))
    out = Path(args[0] if args else "screens").resolve()
    out.mkdir(parents=True, exist_ok=True)
    from fake_hub import FakeHub, catalog_entry, gguf_bytes

    work = Path(tempfile.mkdtemp(prefix="aigc-models-shot-"))
    hub = FakeHub(throttle=THROTTLE).start()
    hub.add("aigc-demo/Tiny-Demo-GGUF", "tiny-demo-q4_k_m.gguf", gguf_bytes(DEMO_SIZE))
    hub.add("aigc-demo/Tiny-Demo-GGUF", "README.md", b"---\nlicense: apache-2.0\n---\n", lfs=False)
    demo = catalog_entry(
        hub,
        DEMO_ID,
        "aigc-demo/Tiny-Demo-GGUF",
        kind="text",
        backend="llama.cpp",
        model_path="tiny-demo-q4_k_m.gguf",
        name="Tiny demo GGUF (served by the local fake Hub)",
        licence="Apache-2.0",
        description="A 24 MB stand-in file served by tests/fake_hub.py, throttled to 2 MB/s.",
        description_zh="由 tests/fake_hub.py 提供的 24 MB 替身文件，限速 2 MB/s。",
        # Shows how an entry that fetches more on first use says so (the demo itself fetches nothing).
        needs_online={"what": "demo-extra-data", "source": "huggingface.co", "approx_bytes": 40_000_000},
        ram_gb=0.2,
    )
    shipped = json.loads((ROOT / "resources" / "catalog.json").read_text(encoding="utf-8"))
    catalog = work / "catalog.json"
    catalog.write_text(json.dumps({"schema": 1, "models": [demo, *shipped["models"]]}), encoding="utf-8")
    home = work / "home"  # discovery looks here: an LM Studio folder with one model
    lm = home / ".lmstudio" / "models" / "lmstudio-community" / "Story-GGUF"
    lm.mkdir(parents=True)
    (lm / "story-writer-Q4_K_M.gguf").write_bytes(gguf_bytes(5_000_000, seed=3))
    import tiny_models

    tiny_models.save_tiny_lm(work / "my-models" / "tiny-llama-chat", "llama", chat=True)
    env = dict(
        os.environ,
        AIGC_DESKTOP_HOME=str(work / "aigc-home"),
        AIGC_CATALOG=str(catalog),
        HF_ENDPOINT=hub.url,
        HOME=str(home),
        HF_HUB_CACHE=str(home / ".cache" / "huggingface" / "hub"),
        AIGC_SHOT_IMPORT=str(work / "my-models" / "tiny-llama-chat"),
    )
    env.pop("QT_QPA_PLATFORM", None)  # a real window on the X server
    first = subprocess.run([sys.executable, __file__, "start", str(out)], env=env, timeout=300)
    print(f"first run ended with {first.returncode} (killed: {first.returncode == -signal.SIGKILL})", flush=True)
    second = subprocess.run([sys.executable, __file__, "resume", str(out)], env=env, timeout=300)
    resumed = [r for r in hub.requests if r.method == "GET" and r.range]
    print(f"range requests after the restart: {[r.range for r in resumed]}", flush=True)
    hub.stop()
    return second.returncode


def run_app(phase: str, out: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.core.models.download_state import DownloadState
    from aigc_desktop.core.paths import app_paths

    app_paths().ensure()
    language(QApplication.instance() or QApplication(sys.argv[:1]))
    app, win = open_main_window((1260, 760), (10, 10))
    queue = win.ctx.queue
    win.show()
    models = win.open_models_window()
    models.resize(1180, 680)
    models.move(50, 60)
    models.tabs.setCurrentWidget(models.catalog_tab)
    catalog = models.catalog_tab
    catalog.select(DEMO_ID)
    doc = win.document_pane

    def shot(name: str) -> None:
        app.primaryScreen().grabWindow(0).save(str(out / f"{name}.png"))
        print(out / f"{name}.png", flush=True)

    def fraction() -> float:
        row = catalog.rows.get(DEMO_ID)
        return row.fraction if row is not None else 0.0

    steps: list[Callable[[], bool]] = []  # each returns True when done

    def once(action: Callable[[], None]) -> Callable[[], bool]:
        def step() -> bool:
            action()
            return True

        return step

    if phase == "start":

        def midway() -> bool:
            if fraction() < 0.35:
                return False
            shot("models-catalog-downloading")
            os.kill(os.getpid(), signal.SIGKILL)  # no clean shutdown: the app "crashes" mid-download
            return True

        steps += [once(lambda: catalog.download_button.click()), midway]
    else:
        imported: list[str] = []

        def after_restart() -> None:
            shot("models-catalog-paused-after-restart")
            catalog.download_button.click()  # "Resume"

        def resuming() -> bool:
            row = catalog.rows.get(DEMO_ID)
            if row is None or row.progress is None or row.progress.fraction < 0.6:
                return False
            shot("models-catalog-resuming")
            return True

        def installed() -> bool:
            if catalog.rows[DEMO_ID].state is not DownloadState.INSTALLED:
                return False
            task = models.import_tab.import_path(Path(os.environ["AIGC_SHOT_IMPORT"]), link=False)
            if task is not None:
                task.finished.connect(lambda entries: imported.extend(e.id for e in entries))
            return True

        def show_installed() -> bool:
            if not imported:
                return False
            models.tabs.setCurrentWidget(models.installed_tab)
            models.installed_tab.select(imported[0])
            return True

        def show_import() -> None:
            shot("models-installed")
            models.tabs.setCurrentWidget(models.import_tab)

        def write_with_it() -> None:
            shot("models-import")
            models.hide()
            win.tabs.setCurrentWidget(doc)
            selector = doc.model_selector
            selector.setCurrentIndex(selector.findData(imported[0]))
            doc.editor.setPlainText("The lighthouse keeper opened the door and")
            doc.editor.moveCursor(QTextCursor.MoveOperation.End)
            doc.controls.seed.setText("7")
            doc.controls.max_new_tokens.setValue(24)
            doc.continue_writing()

        def written() -> bool:
            if not queue.idle():
                return False
            shot("models-used-in-document-pane")
            win.session.dirty = False
            win.close()
            app.quit()
            return True

        steps += [
            once(after_restart),
            resuming,
            installed,
            show_installed,
            once(lambda: QTimer.singleShot(0, lambda: None)),
            once(show_import),
            once(write_with_it),
            written,
        ]

    def pump() -> None:
        if steps and steps[0]():
            steps.pop(0)
        if steps:
            QTimer.singleShot(300, pump)

    QTimer.singleShot(1200, pump)
    QTimer.singleShot(240_000, app.quit)  # never hang a screenshot run
    app.exec()
    models.tasks.shutdown()
    queue.shutdown()
    return 0 if not steps else 1


def language(app: Any) -> None:
    """Switch to the --language given (once the QApplication exists, before the window is built)."""
    wanted = os.environ.get(LANGUAGE_ENV, "")
    if wanted:
        from aigc_desktop.ui.i18n import apply_language

        print(f"language {wanted}: catalogue found: {apply_language(wanted)}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
