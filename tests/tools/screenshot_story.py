"""The Story pane in a chosen interface language, as the app places its window (run under Xvfb): a real storyboard
(pictures, narration clips with sentence spans, a music bed), a scene with motion previewed mid-way, an export in
progress, and the finished export; then frames pulled from the exported MP4 at each scene's midpoint.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/tools/screenshot_story.py OUT_DIR [zh_CN|en]

The language needs its .qm built (`python installer/translations.py release`); without it the texts stay English.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screens")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AIGC_DESKTOP_HOME", tempfile.mkdtemp(prefix="aigc-shot-"))
    import av
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from story_project import narration

    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.project.model import Clip, Project
    from aigc_desktop.core.story.board import Motion, PictureSource, Scene, StoryPicture
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.i18n import apply_language
    from aigc_desktop.ui.main_window import MainWindow
    from benchmarks.story_export import CAPTIONS, music, picture

    app = QApplication(sys.argv[:1])
    print("translation found:", apply_language(language))
    ctx = AppContext.start(app_paths().ensure())
    win = MainWindow(ctx)
    win.show()
    project = Project(name="灯塔" if language.startswith("zh") else "The lighthouse")
    project.document.text = "\n\n".join(CAPTIONS[:6])
    for n, text in enumerate(CAPTIONS[:6]):
        pic = StoryPicture(f"scene {n + 1}", picture(n))
        project.story.pictures.append(pic)
        clip = narration(project, [text], seconds_each=2.0)
        clip.name = f"旁白 {n + 1}" if language.startswith("zh") else f"Narration {n + 1}"
        motion = (Motion.ZOOM, Motion.NONE, Motion.PAN)[n % 3]
        project.story.scenes.append(Scene(text, PictureSource.PICTURE, pic.id, clip.id, motion=motion, prompt=text))
    bed = Clip("海风" if language.startswith("zh") else "Sea wind", music(8.0), 22050)
    project.clips.append(bed)
    project.story.music.clip_id = bed.id
    win.show_project(project, None)
    pane = win.story_pane
    video = out / f"{language}-story.mp4"

    def board() -> None:
        win.show_pane(pane)
        pane.bind()
        pane.scene_list.setCurrentRow(1)

    def preview() -> None:
        pane.scene_list.setCurrentRow(0)
        pane.preview.slider.setValue(600)
        pane.burn_check.setChecked(True)

    def exporting() -> None:
        pane.export_to(video)

    def exported() -> None:
        pass

    stages = [("story-board", board, 500), ("story-preview", preview, 500), ("story-exporting", exporting, 2500)]

    def step(i: int = 0) -> None:
        if i == len(stages):

            def wait_done() -> None:
                if pane.model.exporting:
                    QTimer.singleShot(300, wait_done)
                    return
                target = out / f"{language}-story-exported.png"
                app.primaryScreen().grabWindow(0).save(str(target))
                print(target)
                win.session.dirty = False
                win.close()
                app.quit()

            wait_done()
            return
        name, stage, delay = stages[i]
        stage()

        def take() -> None:
            target = out / f"{language}-{name}.png"
            app.primaryScreen().grabWindow(0).save(str(target))
            print(target)
            step(i + 1)

        QTimer.singleShot(delay, take)

    QTimer.singleShot(600, step)
    app.exec()
    ctx.queue.shutdown()
    # Frames from the exported video, at each scene's midpoint.
    from aigc_desktop.core.story.timeline import build_timeline

    mids = [slot.mid_s for slot in build_timeline(project).slots]
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        fps = float(stream.average_rate)
        wanted = {int(m * fps): n for n, m in enumerate(mids)}
        for index, frame in enumerate(container.decode(stream)):
            if index in wanted:
                target = out / f"{language}-frame-scene{wanted[index] + 1}.png"
                frame.to_image().save(target)
                print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
