"""Screenshots of Tools ▸ Learn my style… while a real LoRA run learns a small corpus (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_learn_style.py OUT_DIR \
        [--base tiny|embedded] [--minutes N] [--language zh_CN]

learn-style-before.png: the dialog with the texts scanned (words, a skipped file, the held-back slice, the memory
line, the plan) before Start. learn-style-training.png: mid-run, after two saved epochs (loss curve, held-back
perplexity, sample continuations). learn-style-model-list.png: the Document's model list open on the new style
under "Your styles". learn-style-styles-tab.png: the Models window's Styles tab.

--base tiny (default) learns on a tiny random Gemma 3 (tests/tiny_models.py: seconds; its samples are noise);
--base embedded on the built-in Gemma 3 270M (minutes on two cores; real sentences).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app_window import grab_screen, open_main_window, tool_args  # noqa: E402  (needs the sys.path line above)

# The texts: a voice with a signature phrase, in two files, a Chinese GB18030 file, and one file that cannot be read.
PARAGRAPHS = (
    "Lanternwise, the keeper counted the gulls over the harbour before the tide turned grey. She wrote their "
    "numbers in the salt-stained ledger, slow and careful, as her mother had taught her.",
    "Lanternwise, the village woke to the bell. Nets hung from the sheds like grey washing, and the boats came "
    "home one by one, low in the water, smelling of tar and rain.",
    "Lanternwise, the evening settled on the quay. The keeper climbed the ninety steps, trimmed the wick, and "
    "watched the first beam sweep the water, patient as a hand on a sleeping child.",
)


def write_texts(folder: Path, repeats: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(PARAGRAPHS * repeats)
    (folder / "harbour journal.txt").write_text(body, encoding="utf-8")
    (folder / "letters.md").write_text("# Letters\n\n" + body, encoding="utf-8")
    (folder / "灯塔笔记.txt").write_bytes(("灯塔守护者数着港口上空的海鸥，潮水还没有变灰。" * 30).encode("gb18030"))
    (folder / "scan.txt").write_bytes(b"\x00\x01PNG\x00" * 100)
    return folder


def main() -> int:
    out, options, _ = tool_args("--language", "--base", "--minutes")
    from PySide6.QtCore import QTimer

    from aigc_desktop.core.models import embedded
    from aigc_desktop.core.paths import app_paths

    paths = app_paths().ensure()
    base = options.get("--base", "tiny")
    if base == "tiny":
        import tiny_models

        tiny_models.save_tiny_lm(paths.models_dir / "tiny-gemma3", "gemma3")
        base_id = "tiny-gemma3"
    else:
        base_id = embedded.GEMMA_ID
    texts = write_texts(Path(tempfile.mkdtemp(prefix="aigc-texts-")) / "my writing", repeats=40)
    app, win = open_main_window((1340, 740), (10, 10), language=options.get("--language", ""))
    queue = win.ctx.queue
    win.show()
    dialog = win.open_learn_style_dialog()
    dialog.move(60, 30)
    dialog.fill_bases()
    index = dialog.base_combo.findData(base_id)
    if index < 0:
        print(f"no base {base_id}", flush=True)
        return 1
    dialog.base_combo.setCurrentIndex(index)
    dialog.minutes_spin.setValue(int(options.get("--minutes", "1")))
    if base == "tiny":
        dialog.overrides = {"max_epochs": 3}  # the tiny model: three epochs show the curve and the samples
    dialog.name_edit.setText("harbour voice")
    dialog.texts.set_paths([texts])

    def shot(name: str) -> None:
        grab_screen(out, name)

    state = {"stage": "scan"}

    def styles_tab() -> None:
        win.document_pane.model_selector.hidePopup()
        models = win.open_models_window()
        models.move(80, 40)
        models.tabs.setCurrentWidget(models.styles_tab)
        models.styles_tab.select("harbour voice")
        QTimer.singleShot(600, lambda: (shot("learn-style-styles-tab"), app.quit()))

    def model_list() -> None:
        dialog.hide()
        win.show_pane(win.document_pane)
        win.document_pane.refresh_models()
        selector = win.document_pane.model_selector
        selector.setCurrentIndex(max(0, selector.findData("styles/harbour voice")))
        selector.showPopup()
        QTimer.singleShot(600, lambda: (shot("learn-style-model-list"), styles_tab()))

    def tick() -> None:
        stage = state["stage"]
        run = dialog.run
        planned = run.prepared.epochs if run.prepared is not None else 3
        if stage == "scan" and not dialog.texts.scanning:
            QTimer.singleShot(300, lambda: (shot("learn-style-before"), dialog.start()))
            state["stage"] = "running"
        elif stage == "running" and run.running and len(run.epochs) >= max(1, min(2, planned - 1)):
            shot("learn-style-training")  # mid-run: the curve, the perplexity and the samples so far
            state["stage"] = "waiting"
        elif stage == "running" and not run.running and state.get("started"):
            shot("learn-style-training")  # a run too short to catch mid-way: what it showed at its end
            state["stage"] = "waiting"
        elif stage == "waiting" and not run.running:
            state["stage"] = "done"
            model_list()
        if run.running:
            state["started"] = "yes"

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(250)
    QTimer.singleShot(25 * 60 * 1000, app.quit)  # never hang a CI machine
    app.exec()
    queue.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
