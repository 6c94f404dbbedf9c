"""Save through the window when the disk is full, the folder is read-only or the file was deleted underneath: one
clear message, the project in memory untouched and still unsaved, and Save As to another folder works.

Each failure is made two ways: "simulated" runs everywhere (SQLite's own page limit gives the very SQLITE_FULL a full
disk gives; SQLite's read-only answer; ENOSPC from fsync), "real" uses a tiny or read-only tmpfs and is skipped where
this process may not mount one (not root, or no CAP_SYS_ADMIN).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from aigc_desktop.core.project.model import AiSpan, Clip, HistoryEntry, Layer, Project
from aigc_desktop.core.project.store import load_project
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.ui.main_window import MainWindow

Mount = Callable[[str, str], Path]


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Mount]:
    """mount(name, options) → a fresh tmpfs folder under tmp_path; skips the test where mounting is not allowed."""
    mounted: list[Path] = []

    def mount(name: str, options: str) -> Path:
        point = tmp_path / name
        point.mkdir()
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("a real full or read-only folder needs a tmpfs mount (root)")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(title, message) of every error the window shows."""
    shown: list[tuple[str, str]] = []
    for module in ("main_window", "window_files"):  # the project's files are WindowFiles (ui/window_files.py)
        monkeypatch.setattr(
            f"aigc_desktop.ui.{module}.show_error", lambda _parent, title, message, *_a: shown.append((title, message))
        )
    return shown


def noise_layer(size: int = 96, seed: int = 0) -> Layer:
    """Random pixels: their PNG does not compress, so its size is known in advance (about size² × 4 bytes)."""
    pixels = np.random.default_rng(seed).integers(0, 256, (size, size, 4), dtype=np.uint8)
    return Layer(f"noise {seed}", Image.fromarray(pixels, "RGBA"))


def open_work(window: MainWindow) -> None:
    """A project with text (part AI-written), a layer, a clip and a history entry, then a typed edit: unsaved."""
    spec = JobSpec(kind=JobKind.TEXT, model_id="gemma-3", inputs={"prompt": "go"}, seed=1)
    project = Project(name="Voyage")
    project.history = [HistoryEntry(spec, "finished", 0.0, 1.0, output_refs=["document"])]
    project.document.text = "We sailed. The sea was calm."
    project.document.ai_spans = [AiSpan(11, 28, spec.id)]
    project.canvas.layers = [noise_layer()]
    project.clips = [Clip("wind", np.linspace(-0.5, 0.5, 4000, dtype=np.float32), 16000)]
    window.show_project(project, None)
    type_at_end(window, " Night fell.")


def type_at_end(window: MainWindow, text: str) -> None:
    editor = window.document_pane.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(text)


def content(project: Project) -> dict[str, Any]:
    return {
        "text": project.document.text,
        "spans": [vars(s) for s in project.document.ai_spans],
        "layers": [(layer.id, layer.name, layer.image.tobytes()) for layer in project.canvas.layers],
        "clips": [(clip.id, clip.samples.tobytes()) for clip in project.clips],
        "history": [h.spec.id for h in project.history],
    }


def state(window: MainWindow) -> dict[str, Any]:
    """What the user has: the project as the panes hold it, its name, path, unsaved flag and the window title."""
    window.flush_panes()
    return {
        **content(window.session.project),
        "name": window.session.project.name,
        "path": window.session.path,
        "dirty": window.session.dirty,
        "title": window.windowTitle(),
    }


def check_failed_save(window: MainWindow, before: dict[str, Any], errors: list[tuple[str, str]], why: str) -> None:
    assert len(errors) == 1, errors
    title, message = errors[0]
    assert title == "Could not save" and why in message and "Save As" in message, message
    assert "Traceback" not in message and "no transaction" not in message
    after = state(window)
    assert after == before  # nothing lost, nothing renamed, still unsaved
    assert after["dirty"] and "*" in after["title"]


def check_save_as_elsewhere(window: MainWindow, target: Path, before: dict[str, Any]) -> None:
    assert window.save_as(target), "Save As to another folder must work after a failed save"
    assert not window.session.dirty and window.session.path == target and "*" not in window.windowTitle()
    assert content(load_project(target).project) == {k: before[k] for k in content(window.session.project)}


def leftovers(folder: Path) -> list[str]:
    """Temp files a failed save must not leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith("-journal"))


# ---------------------------------------------------------------- disk full


@pytest.fixture
def page_limit(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """limit(extra_pages): every project database the store opens may grow by at most that many 4 KiB pages, after
    which SQLite's pager fails exactly as on a full disk (SQLITE_FULL, "database or disk is full")."""
    real_connect = sqlite3.connect

    def limit(extra_pages: int) -> None:
        def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            con = real_connect(*args, **kwargs)
            pages = con.execute("PRAGMA page_count").fetchone()[0]
            con.execute(f"PRAGMA max_page_count = {max(pages, 1) + extra_pages}")
            return con

        monkeypatch.setattr(sqlite3, "connect", connect)

    return limit


def test_disk_full_on_first_save_simulated(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], page_limit: Callable[[int], None]
) -> None:
    open_work(window)
    before = state(window)
    folder = tmp_path / "full"
    page_limit(8)  # the tables fit, the 36 KB layer does not
    assert not window.save_as(folder / "Voyage.aigc")
    check_failed_save(window, before, errors, "the disk is full")
    assert not (folder / "Voyage.aigc").exists() and leftovers(folder) == []
    page_limit(10_000)
    check_save_as_elsewhere(window, tmp_path / "elsewhere" / "Voyage.aigc", before)


def test_disk_full_on_save_in_place_simulated(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], page_limit: Callable[[int], None]
) -> None:
    open_work(window)
    path = tmp_path / "Voyage.aigc"
    assert window.save_as(path)
    saved = content(load_project(path).project)
    window.session.project.canvas.layers.append(noise_layer(seed=1))  # a new asset: the file must grow
    window.canvas_model.reload()
    type_at_end(window, " Stars.")
    before = state(window)
    page_limit(0)
    assert not window.save()  # File > Save: in place
    check_failed_save(window, before, errors, "the disk is full")
    assert content(load_project(path).project) == saved and leftovers(tmp_path) == []  # the last save, intact
    page_limit(10_000)
    check_save_as_elsewhere(window, tmp_path / "other" / "Voyage.aigc", before)


def test_enospc_from_the_file_system_on_save(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC where a file system reports it late, at fsync of the new file before it replaces the old one."""
    open_work(window)
    before = state(window)

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)  # every fsync of the process: the save path's is the one that runs
    assert not window.save_as(tmp_path / "Voyage.aigc")
    check_failed_save(window, before, errors, "the disk is full")
    assert list(tmp_path.glob("*Voyage*")) == []
    monkeypatch.undo()
    check_save_as_elsewhere(window, tmp_path / "fine" / "Voyage.aigc", before)


def test_disk_full_real_tmpfs(window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], tmpfs: Mount) -> None:
    small = tmpfs("small", "size=256k")
    open_work(window)
    assert window.save_as(small / "Voyage.aigc")  # ~60 KB: fits
    saved = content(load_project(small / "Voyage.aigc").project)
    window.session.project.canvas.layers.append(noise_layer(size=300, seed=2))  # 360 KB of pixels that do not compress
    window.canvas_model.reload()
    type_at_end(window, " Stars.")
    before = state(window)
    assert not window.save()
    check_failed_save(window, before, errors, "the disk is full")
    assert content(load_project(small / "Voyage.aigc").project) == saved and leftovers(small) == []
    errors.clear()
    assert not window.save_as(small / "Copy.aigc")  # Save As on the same full disk fails the same way
    check_failed_save(window, before, errors, "the disk is full")
    assert sorted(p.name for p in small.iterdir()) == ["Voyage.aigc"]
    check_save_as_elsewhere(window, tmp_path / "roomy" / "Voyage.aigc", before)


# ---------------------------------------------------------------- read-only folder


def test_read_only_folder_simulated(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What SQLite answers in a read-only place (this may run as root, which writes anywhere)."""
    open_work(window)
    before = state(window)
    real_connect = sqlite3.connect

    def read_only(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        real_connect(*args, **kwargs).close()
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(sqlite3, "connect", read_only)
    assert not window.save_as(tmp_path / "locked" / "Renamed.aigc")  # Save As, so the name would change too
    check_failed_save(window, before, errors, "read-only")
    monkeypatch.undo()
    check_save_as_elsewhere(window, tmp_path / "open" / "Renamed.aigc", before)
    assert window.session.project.name == "Renamed"  # a successful Save As names the project after its file


def test_read_only_folder_real(window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], tmpfs: Mount) -> None:
    folder = tmpfs("mounted", "size=4m")
    open_work(window)
    assert window.save_as(folder / "Voyage.aigc")
    saved = content(load_project(folder / "Voyage.aigc").project)
    remount_read_only(folder)  # e.g. a USB stick whose write-protect switch was flipped, or a share gone read-only
    type_at_end(window, " Stars.")
    before = state(window)
    assert not window.save()
    check_failed_save(window, before, errors, "read-only")
    errors.clear()
    assert not window.save_as(folder / "Other name.aigc")
    check_failed_save(window, before, errors, "read-only")
    assert content(load_project(folder / "Voyage.aigc").project) == saved
    check_save_as_elsewhere(window, tmp_path / "writable" / "Voyage.aigc", before)


# ---------------------------------------------------------------- file deleted underneath


@pytest.mark.parametrize("what", ["file", "folder"])
def test_project_deleted_between_open_and_save(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], what: str
) -> None:
    """Save writes the whole project again where it was, and says that it did; nothing is lost."""
    open_work(window)
    path = tmp_path / "projects" / "Voyage.aigc"
    assert window.save_as(path)
    window.new_project()
    assert window.open_project(path)
    type_at_end(window, " Stars.")
    before = state(window)
    if what == "file":
        path.unlink()
    else:
        shutil.rmtree(path.parent)
    assert window.save()
    assert errors == [] and not window.session.dirty and "*" not in window.windowTitle()
    assert content(load_project(path).project) == {k: before[k] for k in content(window.session.project)}
    assert "no longer there" in window.statusBar().currentMessage()


def test_project_replaced_by_a_folder_cannot_be_saved_over(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]]
) -> None:
    open_work(window)
    path = tmp_path / "Voyage.aigc"
    assert window.save_as(path)
    path.unlink()
    path.mkdir()  # something else now has the name
    type_at_end(window, " Stars.")
    before = state(window)
    assert not window.save()
    assert errors and errors[0][0] == "Could not save" and str(path) in errors[0][1]
    assert state(window) == before and leftovers(tmp_path) == []
    check_save_as_elsewhere(window, tmp_path / "new" / "Voyage.aigc", before)


def test_save_shortcut_after_a_failure_still_asks_nothing_and_keeps_trying(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], page_limit: Callable[[int], None], qtbot
) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+S on a full disk fails each time with its message; once there is room, the same Ctrl+S saves."""
    open_work(window)
    path = tmp_path / "Voyage.aigc"
    assert window.save_as(path)
    window.session.project.canvas.layers.append(noise_layer(seed=3))
    window.canvas_model.reload()
    type_at_end(window, " More.")
    page_limit(0)
    for _ in range(2):
        qtbot.keyClick(window.document_pane.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(errors) == 2 and window.session.dirty
    page_limit(10_000)
    qtbot.keyClick(window.document_pane.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.session.dirty and len(load_project(path).project.canvas.layers) == 2


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.01])
def test_a_truncated_project_opens_with_a_message_and_stays_untouched(
    window: MainWindow, tmp_path: Path, errors: list[tuple[str, str]], keep: float
) -> None:
    """A project cut short (copied onto a disk that filled up, a download that stopped) is refused with one
    sentence, the file is left as it is, and the work already open stays open."""
    open_work(window)
    path = tmp_path / "Voyage.aigc"
    assert window.save_as(path)
    data = path.read_bytes()
    cut = tmp_path / "cut.aigc"
    cut.write_bytes(data[: int(len(data) * keep)])
    before = state(window)
    assert not window.open_project(cut)
    (title, message), *more = errors
    assert not more and title == "Could not open project" and message.startswith("cut.aigc is not a readable project")
    assert state(window) == before and cut.read_bytes() == data[: int(len(data) * keep)]
