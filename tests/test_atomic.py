"""core.atomic: a file is replaced whole or not at all; with durable=True its bytes reach the disk before the rename
and the rename after it (fsync of the file, then of its folder), and a failure leaves no temporary file."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from aigc_desktop.core import atomic
from aigc_desktop.core.project.model import Document, Project
from aigc_desktop.core.project.store import load_project, save_project


@dataclass
class Synced:
    """One os.fsync call: what the descriptor was (from fstat, so no platform-specific fd → path lookup), and
    whether the target existed with that same file at that moment."""

    st: os.stat_result
    is_dir: bool
    target_was_it: bool


def same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], list[Synced]]:
    """Records every os.fsync of the process (then really does it); call the result with the target to watch."""
    real = os.fsync
    watched: list[Path] = []
    seen: list[Synced] = []

    def recording(fd: int) -> None:
        st = os.fstat(fd)
        target = watched[0] if watched else None
        was = target is not None and target.exists() and same(target.stat(), st)
        seen.append(Synced(st, stat.S_ISDIR(st.st_mode), was))
        real(fd)

    monkeypatch.setattr(os, "fsync", recording)

    def watch(target: Path) -> list[Synced]:
        watched[:] = [target]
        return seen

    return watch


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_durable_fsyncs_the_new_file_before_the_rename_and_the_folder_after(
    tmp_path: Path, fsyncs: Callable[[Path], list[Synced]]
) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("old")
    seen = fsyncs(target)
    atomic.write_text(target, "new", durable=True)
    assert target.read_text() == "new" and leftovers(tmp_path) == []
    file_sync, dir_sync = seen
    assert not file_sync.is_dir and same(file_sync.st, target.stat())  # the file that became the target...
    assert not file_sync.target_was_it  # ...synced while still under its temporary name
    assert dir_sync.is_dir and same(dir_sync.st, tmp_path.stat())


def test_without_durable_nothing_is_synced(tmp_path: Path, fsyncs: Callable[[Path], list[Synced]]) -> None:
    seen = fsyncs(tmp_path / "a.json")
    atomic.write_json(tmp_path / "a.json", {"x": 1})
    atomic.write_bytes(tmp_path / "b.bin", b"\0")
    assert seen == [] and (tmp_path / "b.bin").read_bytes() == b"\0"


@pytest.mark.parametrize("durable", [False, True])
def test_a_failure_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "data.json"
    atomic.write_json(target, {"v": 1})
    with pytest.raises(RuntimeError), atomic.replacing(target, durable=durable) as temp:
        temp.write_text("half")
        raise RuntimeError("killed mid-write")
    assert target.read_text() == '{\n  "v": 1\n}' and leftovers(tmp_path) == []


def test_a_failing_fsync_of_the_file_is_raised_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.txt"
    target.write_text("old")

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # a file system that reports it late

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError) as failed:
        atomic.write_text(target, "new", durable=True)
    assert failed.value.errno == errno.ENOSPC
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_synced_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fsync

    def files_only(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "folders cannot be synced here")  # as on some platforms
        real(fd)

    monkeypatch.setattr(os, "fsync", files_only)
    atomic.write_bytes(tmp_path / "x.bin", b"data", durable=True)
    assert (tmp_path / "x.bin").read_bytes() == b"data" and leftovers(tmp_path) == []


def test_a_new_project_file_and_a_trained_model_are_written_durably(
    tmp_path: Path, fsyncs: Callable[[Path], list[Synced]]
) -> None:
    import torch

    from aigc_desktop.core.models.detect import AIGC_MODEL_FILE
    from aigc_desktop.core.train import checkpoint

    path = tmp_path / "novel.aigc"
    seen = fsyncs(path)
    save_project(Project(name="n", document=Document(text="words")), path)
    assert load_project(path).project.document.text == "words"
    assert any(same(s.st, path.stat()) and not s.target_was_it for s in seen)
    assert any(s.is_dir and same(s.st, tmp_path.stat()) for s in seen)
    assert leftovers(tmp_path) == []

    folder = tmp_path / "model"
    folder.mkdir()
    seen.clear()
    checkpoint.write_checkpoint(folder, {"epochs_trained": 1}, {"w": torch.zeros(2)}, Image.new("RGB", (4, 4)))
    names = [checkpoint.WEIGHTS_FILE, checkpoint.SAMPLES_FILE, AIGC_MODEL_FILE]
    files = [s.st for s in seen if not s.is_dir]
    assert [next(n for n in names if same((folder / n).stat(), st)) for st in files] == names  # in this order
    assert sum(s.is_dir and same(s.st, folder.stat()) for s in seen) == 3
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
