"""The storyboard's file format: schema 2 (schema 1 plus the storyboard). Files of schema 1, written before or after
the storyboard shipped, open with everything they hold; a file of a newer schema is refused on opening and on saving
over it, with one clear sentence, and stays byte for byte as it was; each picture is hashed once per save."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from test_archive import assert_same_project
from test_story_board import assert_same_story, edited_story

from aigc_desktop.core.project import manifest, store
from aigc_desktop.core.project.archive import export_archive, import_archive
from aigc_desktop.core.project.inspection import inspect_project
from aigc_desktop.core.project.manifest import SCHEMA_VERSION
from aigc_desktop.core.project.store import ProjectFileError, load_project, save_project
from aigc_desktop.core.story.board import Storyboard


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_schema(path: Path, version: int, *, drop_story: bool = False) -> None:
    """Turn a file this app wrote into one of `version` (and, with drop_story, into a pre-storyboard one)."""
    with sqlite3.connect(path) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        if drop_story:
            manifest = json.loads(con.execute("SELECT json FROM manifest").fetchone()[0])
            del manifest["story"]
            con.execute("UPDATE manifest SET json = ?", (json.dumps(manifest),))
    con.close()


def test_the_storyboard_bumped_the_schema() -> None:
    assert SCHEMA_VERSION == 2 and set(manifest.MIGRATIONS) == {1}


def test_a_schema_1_file_with_a_storyboard_opens_with_everything(tmp_path: Path) -> None:
    project = edited_story()
    path = tmp_path / "v1.aigc"
    save_project(project, path)
    set_schema(path, 1)  # what the first storyboard release wrote: schema 1 with a "story" entry
    report = load_project(path)
    assert report.schema_version == 1 and report.missing_assets == []
    assert_same_project(project, report.project)
    assert_same_story(project.story, report.project.story)
    info = inspect_project(path, decode=True)
    assert (info.schema_version, info.problems, info.missing_assets) == (1, [], [])
    # Saved by this app, it becomes a schema 2 file that still holds everything.
    save_project(report.project, path)
    again = load_project(path)
    assert again.schema_version == 2
    assert_same_story(project.story, again.project.story)
    assert_same_project(project, again.project)


def test_a_schema_1_file_from_before_storyboards_opens_with_an_empty_one(tmp_path: Path) -> None:
    project = edited_story()
    path = tmp_path / "old.aigc"
    save_project(project, path)
    set_schema(path, 1, drop_story=True)
    report = load_project(path)
    assert report.project.story == Storyboard()
    assert_same_project(project, report.project)


def test_a_schema_1_archive_opens_with_its_storyboard(tmp_path: Path) -> None:
    project = edited_story()
    archive = export_archive(project, tmp_path / "s.aigcz")
    with zipfile.ZipFile(archive) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    document = json.loads(entries["project.json"])
    assert document["schema_version"] == 2
    document["schema_version"] = 1
    entries["project.json"] = json.dumps(document).encode()
    old = tmp_path / "old.aigcz"
    with zipfile.ZipFile(old, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    target = import_archive(old, tmp_path / "imported.aigc")
    assert_same_story(project.story, load_project(target).project.story)


def test_a_newer_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.aigc"
    save_project(edited_story(), path)
    set_schema(path, SCHEMA_VERSION + 1)
    before = digest(path)
    with pytest.raises(ProjectFileError, match=r"newer AIGC Desktop \(schema 3\); please update the app"):
        load_project(path)
    with pytest.raises(ProjectFileError, match="newer AIGC Desktop"):
        inspect_project(path)
    # Saving over it (Save As onto it, or a Save after a newer app wrote it) would drop what the newer app added.
    with pytest.raises(ProjectFileError, match=r"saving over it would lose what that version added\. Save to another"):
        save_project(edited_story(), path)
    assert digest(path) == before
    assert not list(tmp_path.glob(".*"))  # no temporary file left beside it


def test_an_app_that_knows_only_schema_1_refuses_a_storyboard_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal path a schema-1-only app takes with a file of this app: it neither drops the storyboard on opening
    nor replaces the file on saving."""
    path = tmp_path / "story.aigc"
    save_project(edited_story(), path)
    before = digest(path)
    monkeypatch.setattr(store, "SCHEMA_VERSION", 1)
    monkeypatch.setattr(store, "MIGRATIONS", {})
    with pytest.raises(ProjectFileError, match=r"story\.aigc was saved by a newer AIGC Desktop \(schema 2\)"):
        load_project(path)
    with pytest.raises(ProjectFileError, match="saving over it would lose"):
        save_project(edited_story(), path)
    assert digest(path) == before


def test_each_picture_is_hashed_once_per_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = edited_story()
    images = len(project.canvas.layers) + len(project.story.pictures)
    assert len(project.story.pictures) >= 2
    hashed: list[tuple[int, int]] = []
    real = manifest._image_key

    def counting(image: object) -> str:
        hashed.append(image.size)  # type: ignore[attr-defined]
        return real(image)  # type: ignore[arg-type]

    monkeypatch.setattr(manifest, "_image_key", counting)
    save_project(project, tmp_path / "s.aigc")
    assert len(hashed) == images
    hashed.clear()
    save_project(project, tmp_path / "s.aigc")  # in place, nothing new: still once each
    assert len(hashed) == images
    hashed.clear()
    export_archive(project, tmp_path / "s.aigcz")
    assert len(hashed) == images


def test_the_window_refuses_to_save_over_a_newer_file_and_keeps_the_work(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Save As onto a file a newer app wrote: one clear message, the file untouched, the work still open and unsaved
    (Save As to another place still has everything); opening it is refused the same way."""
    from PySide6.QtWidgets import QMessageBox

    newer = tmp_path / "newer.aigc"
    save_project(edited_story(), newer)
    set_schema(newer, SCHEMA_VERSION + 1)
    before = digest(newer)
    window.document_pane.editor.setPlainText("My unsaved chapter")
    assert window.save_as(newer) is False
    boxes = [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert len(boxes) == 1 and "saving over it would lose what that version added" in boxes[0]
    assert digest(newer) == before
    assert window.session.dirty and window.session.path is None
    assert window.save_as(tmp_path / "mine.aigc")
    assert load_project(tmp_path / "mine.aigc").project.document.text == "My unsaved chapter"
    assert window.open_project(newer) is False
    assert digest(newer) == before and window.session.path == tmp_path / "mine.aigc"
