"""The storyboard in the project: it survives save/reopen, autosave recovery copies and project archives; its
timeline times captions by the narration's recorded sentences, and falls back to one caption per scene."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from story_project import story_project

from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project import recovery
from aigc_desktop.core.project.archive import export_archive, import_archive
from aigc_desktop.core.project.inspection import inspect_project
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.project.store import load_project, save_project
from aigc_desktop.core.story.board import Motion, PictureSource, Scene, Storyboard
from aigc_desktop.core.story.timeline import build_timeline, sentence_spans, srt_text


def assert_same_story(a: Storyboard, b: Storyboard) -> None:
    assert [vars(s) for s in b.scenes] == [vars(s) for s in a.scenes]
    assert vars(b.music) == vars(a.music) and b.crossfade_s == a.crossfade_s
    assert [(p.id, p.name, p.spec_id) for p in b.pictures] == [(p.id, p.name, p.spec_id) for p in a.pictures]
    for pa, pb in zip(a.pictures, b.pictures, strict=True):
        assert pb.image.tobytes() == pa.image.tobytes()


def edited_story() -> Project:
    project = story_project(3, Motion.ZOOM)
    project.story.scenes[2].motion = Motion.PAN
    project.story.scenes[1].duration_s = 7.5
    project.story.scenes[0].prompt = "a harbour at dawn, watercolour"
    project.story.scenes.append(Scene(text="The end.", duration_s=2.0))
    project.story.music.duck_db = -15.0
    project.story.music.loop = False
    project.story.crossfade_s = 0.8
    return project


def test_storyboard_survives_save_and_reopen(tmp_path: Path) -> None:
    project = edited_story()
    path = tmp_path / "s.aigc"
    save_project(project, path)
    again = load_project(path).project
    assert_same_story(project.story, again.story)
    assert again.story.scenes[3].picture is PictureSource.NONE and again.story.scenes[2].motion is Motion.PAN
    # Saved again unchanged, its pictures are reused, not rewritten (they are assets like layers).
    report = save_project(again, path)
    assert report.assets_written == 0


def test_removed_pictures_leave_the_file_on_the_next_save(tmp_path: Path) -> None:
    project = edited_story()
    path = tmp_path / "s.aigc"
    save_project(project, path)
    project.story.pictures.pop()
    save_project(project, path)
    with sqlite3.connect(path) as con:
        count = con.execute("SELECT COUNT(*) FROM assets WHERE media = 'img'").fetchone()[0]
    assert count == 2  # the layer and the one picture left


def test_a_project_from_before_storyboards_opens_with_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "old.aigc"
    save_project(edited_story(), path)
    with sqlite3.connect(path) as con:
        manifest = json.loads(con.execute("SELECT json FROM manifest").fetchone()[0])
        del manifest["story"]
        con.execute("UPDATE manifest SET json = ?", (json.dumps(manifest),))
    assert load_project(path).project.story == Storyboard()


def test_a_missing_story_picture_is_reported_not_fatal(tmp_path: Path) -> None:
    project = edited_story()
    path = tmp_path / "s.aigc"
    save_project(project, path)
    key = json.loads(sqlite3.connect(path).execute("SELECT json FROM manifest").fetchone()[0])["story"]["pictures"][0]
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM assets WHERE hash = ?", (key["asset"],))
    report = load_project(path)
    assert report.missing_assets == ["story picture 'photo 1'"]
    info = inspect_project(path, decode=True)
    assert info.missing_assets == ["story picture 'photo 1'"]


def test_storyboard_survives_an_archive_round_trip(tmp_path: Path) -> None:
    project = edited_story()
    archive = export_archive(project, tmp_path / "s.aigcz")
    target = import_archive(archive, tmp_path / "imported.aigc")
    assert_same_story(project.story, load_project(target).project.story)


def test_storyboard_survives_autosave_recovery(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "data", tmp_path / "config", tmp_path / "logs", tmp_path / "cache").ensure()
    project = edited_story()
    copy = recovery.write_recovery(paths, project, None)
    try:
        restored = load_project(copy).project
        assert_same_story(project.story, restored.story)
    finally:
        recovery.discard_recovery(paths, project.id)


# ---------------------------------------------------------------- timeline


def test_scenes_last_their_narration_plus_pause_or_their_duration() -> None:
    project = edited_story()
    timeline = build_timeline(project)
    lengths = [s.end_s - s.start_s for s in timeline.slots]
    clips = [project.find_clip(s.narration_id or "") for s in project.story.scenes[:3]]
    expected = [c.duration_s + 1.5 for c in clips if c is not None] + [2.0]
    np.testing.assert_allclose(lengths, expected)
    assert timeline.duration_s == pytest.approx(sum(expected))
    assert [s.start_s for s in timeline.slots][1:] == [s.end_s for s in timeline.slots][:-1]


def test_captions_fall_back_to_the_scene_when_the_clip_was_edited_after_narrating() -> None:
    project = story_project(1)
    clip = project.find_clip(project.story.scenes[0].narration_id or "")
    assert clip is not None and sentence_spans(project, clip) is not None
    clip.samples = clip.samples[: clip.samples.size // 2].copy()  # trimmed in the Audio pane
    assert sentence_spans(project, clip) is None
    (cue,) = build_timeline(project).cues
    assert (cue.start_s, cue.end_s, cue.text) == (0.0, pytest.approx(clip.duration_s), "Scene 1 begins. It ends here.")


def test_srt_times_are_milliseconds() -> None:
    project = story_project(1)
    text = srt_text(build_timeline(project).cues)
    assert text.startswith("1\n00:00:00,000 --> 00:00:01,000\nScene 1 begins.\n\n2\n00:00:01,250 --> 00:00:02,250\n")
