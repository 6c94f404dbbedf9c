"""Autosave to a recovery copy, and the offer to restore it after a crash (pytest-qt, offscreen).

The autosaver's tick is called directly where the timer itself is not the point, so the tests need no waiting.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from media_files import write_png, write_wav
from PIL import Image
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project import recovery
from aigc_desktop.core.project.model import Canvas, Clip, Document, Layer, Project
from aigc_desktop.core.project.store import load_project
from aigc_desktop.ui.main_window import MainWindow
from aigc_desktop.ui.recovery_dialog import RecoveryDialog

REPO = Path(__file__).resolve().parent.parent


# Writes a recovery copy from another process, which then dies without cleaning up: exactly what a crash leaves.
WRITE_AND_CRASH = """
import os, pickle, sys
from aigc_desktop.core.project import recovery
recovery.write_recovery(*pickle.load(sys.stdin.buffer))
os._exit(0)
"""


def recovery_files(paths: AppPaths) -> list[str]:
    folder = recovery.recovery_dir(paths)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def crashed_copy(paths: AppPaths, original: Path | None = None) -> Project:
    """A recovery copy, with text, a layer and a clip, left by a process that is gone."""
    project = Project(
        name="novel",
        document=Document(text="It was a dark and stormy night 雨"),
        canvas=Canvas(64, 48, [Layer("cover", Image.new("RGBA", (64, 48), (1, 2, 3, 255)))]),
        clips=[Clip("rain", np.linspace(-0.5, 0.5, 800, dtype=np.float32), 8000)],
    )
    out = subprocess.run(
        [sys.executable, "-c", WRITE_AND_CRASH],
        input=pickle.dumps((paths, project, original)),
        capture_output=True,
        timeout=120,
        cwd=REPO,
    )
    assert out.returncode == 0, out.stderr.decode()
    assert recovery.copy_path(paths, project.id).exists()
    return project


def fill(window: MainWindow, tmp_path: Path) -> None:
    window.document_pane.editor.setPlainText("Autosaved words 自动")
    window.canvas_pane.import_files([write_png(tmp_path / "leaf.png", (10, 200, 30, 255))])
    window.audio_pane.import_files([write_wav(tmp_path / "chirp.wav")])


def visible_errors(window: MainWindow) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


# ---------------------------------------------------------------- autosave


def test_dirty_window_tick_writes_a_recovery_copy_with_text_layers_and_clips(
    window: MainWindow, tmp_path: Path
) -> None:
    fill(window, tmp_path)
    assert window.session.dirty
    path = window.autosaver.tick()
    assert path == recovery.copy_path(window.ctx.paths, window.session.project.id)
    saved = load_project(path).project
    assert saved.document.text == "Autosaved words 自动"
    assert [layer.name for layer in saved.canvas.layers] == ["leaf"]
    assert saved.canvas.layers[0].image.getpixel((0, 0)) == (10, 200, 30, 255)
    (clip,) = saved.clips
    assert clip.name == "chirp" and clip.sample_rate == 16000
    side = json.loads(recovery.sidecar_path(window.ctx.paths, window.session.project.id).read_text(encoding="utf-8"))
    assert side["project_id"] == window.session.project.id and side["name"] == "Untitled"
    assert side["original_path"] is None and side["pid"] == os.getpid()
    assert side["counts"] == {"layers": 1, "clips": 1, "history": 0, "words": 4}  # 2 latin + 2 CJK characters
    assert window.session.dirty  # a recovery copy is not a save
    assert window.autosaver.last_seconds > 0


def test_clean_window_writes_nothing_and_an_idle_dirty_one_is_not_rewritten(window: MainWindow) -> None:
    assert window.autosaver.tick() is None
    assert recovery_files(window.ctx.paths) == []
    window.document_pane.editor.setPlainText("one")
    assert window.autosaver.tick() is not None
    assert window.autosaver.tick() is None  # nothing new since the last copy
    window.document_pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.document_pane.editor.insertPlainText(" two")
    path = window.autosaver.tick()
    assert path is not None and load_project(path).project.document.text == "one two"


def test_timer_follows_settings_and_fires(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    saver = window.autosaver
    assert saver.timer.isActive() and saver.timer.interval() == 30_000
    window.ctx.settings.set("autosave_seconds", 0)  # the autosaver follows the setting when it changes
    assert not saver.timer.isActive()
    window.ctx.settings.set("autosave_seconds", 1)
    window.document_pane.editor.setPlainText("by the clock")
    with qtbot.waitSignal(saver.written, timeout=5000) as blocker:
        pass
    assert load_project(blocker.args[0]).project.document.text == "by the clock"


def test_save_new_open_and_clean_close_discard_the_copy(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = window.ctx.paths
    window.document_pane.editor.setPlainText("draft")
    window.autosaver.tick()
    assert len(recovery_files(paths)) == 2
    target = tmp_path / "draft.aigc"
    assert window.save_as(target)
    assert recovery_files(paths) == []

    window.document_pane.editor.setPlainText("draft 2")
    window.autosaver.tick()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.new_project()
    assert recovery_files(paths) == []

    window.document_pane.editor.setPlainText("draft 3")
    window.autosaver.tick()
    assert window.open_project(target)  # (the caller asked maybe_save first; opening replaces the project)
    assert recovery_files(paths) == []

    window.document_pane.editor.setPlainText("draft 4")
    window.autosaver.tick()
    assert len(recovery_files(paths)) == 2
    window.close()  # "Discard" at the prompt: a clean quit leaves nothing to recover
    assert recovery_files(paths) == []


def test_a_failing_write_shows_one_status_message_and_autosave_keeps_going(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = recovery.write_recovery
    calls: list[int] = []

    def broken(*args: object) -> Path:
        calls.append(1)
        raise UserError("Could not save: the disk is full")

    monkeypatch.setattr(recovery, "write_recovery", broken)
    window.document_pane.editor.setPlainText("x")
    assert window.autosaver.tick() is None
    assert "Autosave failed" in window.statusBar().currentMessage()
    window.statusBar().clearMessage()
    window.document_pane.editor.insertPlainText("y")
    assert window.autosaver.tick() is None and len(calls) == 2
    assert window.statusBar().currentMessage() == ""  # no second message for the same run of failures
    assert visible_errors(window) == []  # and never a dialog
    monkeypatch.setattr(recovery, "write_recovery", real)
    assert window.autosaver.tick() is not None
    assert "works again" in window.statusBar().currentMessage()


# ---------------------------------------------------------------- after a crash


def test_restore_after_a_crash_brings_back_text_layers_and_clips(window: MainWindow, tmp_path: Path) -> None:
    paths = window.ctx.paths
    original = tmp_path / "novel.aigc"
    lost = crashed_copy(paths, original)
    (info,) = recovery.pending_recoveries(paths)
    assert (info.project_id, info.name, info.original_path) == (lost.id, "novel", original)
    assert info.counts == {"layers": 1, "clips": 1, "history": 0, "words": 8} and info.restorable

    assert window.restore_recovery(info)
    assert window.document_pane.editor.toPlainText() == "It was a dark and stormy night 雨"
    assert [layer.name for layer in window.session.project.canvas.layers] == ["cover"]
    assert window.canvas_pane.layer_list.count() == 1 and window.audio_pane.clip_list.count() == 1
    np.testing.assert_array_equal(window.session.project.clips[0].samples, lost.clips[0].samples)
    assert window.session.dirty and window.session.path == original and "novel*" in window.windowTitle()
    assert recovery.pending_recoveries(paths) == []  # the copy is this process's now: not offered twice

    assert window.save()  # Save writes back where the project came from, and the copy has done its job
    assert load_project(original).project.document.text == "It was a dark and stormy night 雨"
    assert recovery_files(paths) == []


def test_never_saved_project_restores_without_a_path(window: MainWindow) -> None:
    crashed_copy(window.ctx.paths, None)
    (info,) = recovery.pending_recoveries(window.ctx.paths)
    assert info.original_path is None
    assert window.restore_recovery(info)
    assert window.session.path is None and window.session.dirty


def test_the_start_dialog_lists_copies_and_its_buttons_restore_discard_or_defer(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    paths = window.ctx.paths
    crashed_copy(paths, Path("/somewhere/novel.aigc"))
    second = crashed_copy(paths, None)
    dialog = window.offer_recoveries()
    assert isinstance(dialog, RecoveryDialog) and dialog.isVisible()
    rows = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    texts = sorted((r.text(0), r.text(1), r.text(3)) for r in rows if r is not None)
    assert texts == [
        ("novel", "/somewhere/novel.aigc", "8 words, 1 layer, 1 clip, 0 generations"),
        ("novel", "never saved", "8 words, 1 layer, 1 clip, 0 generations"),
    ]
    dialog.later_button.click()  # Later: nothing changes, both are offered again next time
    assert len(recovery.pending_recoveries(paths)) == 2

    dialog = window.offer_recoveries()
    assert dialog is not None
    row = next(n for n, i in enumerate(dialog.infos) if i.project_id == second.id)
    dialog.list.setCurrentItem(dialog.list.topLevelItem(row))
    dialog.discard_button.click()
    assert dialog.isVisible() and dialog.list.topLevelItemCount() == 1
    assert [i.project_id for i in recovery.pending_recoveries(paths)] != [second.id]
    dialog.restore_button.click()
    assert not dialog.isVisible()
    assert window.session.project.name == "novel" and window.session.dirty
    assert window.session.path == Path("/somewhere/novel.aigc")


def test_a_deferred_copy_survives_opening_and_leaving_its_project(window: MainWindow, tmp_path: Path) -> None:
    # "Later" in the dialog, then the user opens the project the copy belongs to and moves on to a new one: only
    # this window's own copies are discarded on the way, never a crashed run's work the user has not decided on.
    from aigc_desktop.core.project.store import save_project

    original = tmp_path / "novel.aigc"
    project = crashed_copy(window.ctx.paths, original)
    save_project(Project(id=project.id, name="novel"), original)
    assert window.open_project(original) and window.session.project.id == project.id
    window.new_project()
    assert recovery.copy_path(window.ctx.paths, project.id).exists()
    assert [i.project_id for i in recovery.pending_recoveries(window.ctx.paths)] == [project.id]


def test_no_dialog_when_there_is_nothing_to_recover(window: MainWindow) -> None:
    assert window.offer_recoveries() is None


def test_a_copy_of_a_running_instance_is_not_offered(window: MainWindow) -> None:
    project = Project(name="busy", document=Document(text="still typing"))
    recovery.write_recovery(window.ctx.paths, project, None)  # our own pid: a live instance's work in progress
    assert recovery.pending_recoveries(window.ctx.paths) == []
    assert window.offer_recoveries() is None


def test_a_corrupt_copy_is_reported_not_restored_and_can_be_discarded(window: MainWindow) -> None:
    paths = window.ctx.paths
    project = crashed_copy(paths)
    recovery.copy_path(paths, project.id).write_bytes(b"\x00garbage, not a database" * 10)
    (info,) = recovery.pending_recoveries(paths)
    assert not info.restorable and info.problem == "it is not a project file"
    dialog = window.offer_recoveries()
    assert dialog is not None
    row = dialog.list.topLevelItem(0)
    assert row is not None and row.text(3).startswith("Damaged:")
    assert not dialog.restore_button.isEnabled() and dialog.discard_button.isEnabled()
    assert not window.restore_recovery(info)
    assert any("cannot be restored" in b.text() for b in visible_errors(window))
    assert window.document_pane.editor.toPlainText() == "" and not window.session.dirty  # the window is untouched
    window.discard_recovery(info)
    assert recovery_files(paths) == []


def test_a_database_that_is_no_project_fails_at_restore_with_a_message(window: MainWindow) -> None:
    import sqlite3

    paths = window.ctx.paths
    project = crashed_copy(paths)
    copy = recovery.copy_path(paths, project.id)
    copy.unlink()
    sqlite3.connect(copy).execute("CREATE TABLE t (x)").connection.close()
    (info,) = recovery.pending_recoveries(paths)
    assert info.restorable  # the cheap check passes; load_project is the judge
    assert not window.restore_recovery(info)
    assert any("not an AIGC Desktop project" in b.text() for b in visible_errors(window))


def test_an_unreadable_sidecar_still_offers_its_copy(window: MainWindow) -> None:
    paths = window.ctx.paths
    project = crashed_copy(paths)
    recovery.sidecar_path(paths, project.id).write_text("{not json", encoding="utf-8")
    (info,) = recovery.pending_recoveries(paths)
    assert info.restorable and info.name.startswith("Untitled")
    assert window.restore_recovery(info)
    assert window.document_pane.editor.toPlainText() == "It was a dark and stormy night 雨"


def test_a_leftover_sidecar_without_its_copy_is_tidied_away(paths: AppPaths) -> None:
    project = crashed_copy(paths)
    recovery.copy_path(paths, project.id).unlink()  # an interrupted discard
    assert recovery.pending_recoveries(paths) == []
    assert recovery_files(paths) == []


# ---------------------------------------------------------------- end to end: a real process that dies


CRASHING_APP = textwrap.dedent(
    """
    import os
    from aigc_desktop.core.models.registry import ModelRegistry
    from aigc_desktop.core.engines.host import EngineHost
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.settings import Settings
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow
    from aigc_desktop.workers.queue import JobQueue
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    paths = app_paths().ensure()
    ctx = AppContext.start(paths)
    window = MainWindow(ctx)
    window.show()
    window.document_pane.editor.setFocus()
    window.document_pane.editor.insertPlainText("typed before the crash")
    assert window.autosaver.tick() is not None
    os._exit(3)  # no close event, no cleanup: a crash
    """
)


def test_a_real_crash_leaves_a_copy_the_next_start_restores(window: MainWindow, aigc_home: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", AIGC_DESKTOP_HOME=str(aigc_home))
    out = subprocess.run(
        [sys.executable, "-c", CRASHING_APP], capture_output=True, text=True, timeout=120, env=env, cwd=REPO
    )
    assert out.returncode == 3, out.stderr
    (info,) = recovery.pending_recoveries(window.ctx.paths)
    assert info.counts["words"] == 4 and info.original_path is None
    assert window.restore_recovery(info)
    assert window.document_pane.editor.toPlainText() == "typed before the crash"
