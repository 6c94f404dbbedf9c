"""core.locks: one rule for "is a running process on this?" (model downloads, recovery copies, the built-in model's
assembly): a lock held by a live process keeps everyone else out; when that process is killed the lock is free at
once, with no pid to trust and nothing stale to wait out."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from lock_holder import REPO, hold_in_child, kill

from aigc_desktop.core import locks
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project import recovery
from aigc_desktop.core.project.model import Document, Project

posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL is POSIX")


@posix_only
def test_a_lock_held_by_a_live_process_keeps_others_out_and_is_free_the_moment_it_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "thing.lock"
    assert not locks.is_held(path) and not path.exists()  # asking does not create anything
    child = hold_in_child(path)
    try:
        assert locks.take(path) is None
        assert locks.is_held(path)
        assert locks.is_held(path)  # asking twice does not take it either
    finally:
        kill(child)
    mine = locks.take(path)  # at once: no waiting, no staleness rule
    assert mine is not None
    assert locks.is_held(path)  # held by this process counts too
    mine.release()
    assert not locks.is_held(path)


def test_within_one_process_a_second_taker_is_refused_and_release_can_remove_the_file(tmp_path: Path) -> None:
    path = tmp_path / "thing.lock"
    first = locks.take(path)
    assert first is not None
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(locks.take(path)))
    thread.start()
    thread.join()
    assert other == [None] and locks.take(path) is None  # another thread, the same thread: both kept out
    first.release(remove=True)
    assert not path.exists()
    first.release()  # twice is harmless
    with locks.holding(path) as held:
        assert held.path == path and locks.is_held(path)
    assert not path.exists() and not locks.is_held(path)


# ---------------------------------------------------------------- recovery copies


WRITE_AND_WAIT = """
import os, pickle, sys
from aigc_desktop.core.project import recovery
recovery.write_recovery(*pickle.loads(bytes.fromhex(sys.argv[1])))
print("written", flush=True)
sys.stdin.read()  # an instance that keeps running, until the test kills it
"""


def running_instance(paths: AppPaths, project: Project) -> subprocess.Popen[str]:
    """Another app instance that has autosaved `project` and is still running."""
    arg = pickle.dumps((paths, project, None)).hex()
    child = subprocess.Popen(
        [sys.executable, "-c", WRITE_AND_WAIT, arg], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "written"
    return child


@posix_only
def test_a_running_instances_copy_is_not_offered_and_is_offered_the_moment_it_is_killed(paths: AppPaths) -> None:
    project = Project(name="elsewhere", document=Document(text="typed in another window"))
    child = running_instance(paths, project)
    try:
        assert recovery.owner_running(paths, project.id)
        assert recovery.pending_recoveries(paths) == []
    finally:
        kill(child)  # a crash: no discard, the copy stays
    assert not recovery.owner_running(paths, project.id)
    (info,) = recovery.pending_recoveries(paths)
    assert info.project_id == project.id and info.restorable
    assert recovery.restore(info).document.text == "typed in another window"
    recovery.discard_recovery(paths, project.id)  # the crashed owner's lock file goes with its copy
    assert not recovery.lock_path(paths, project.id).exists()
    assert recovery.pending_recoveries(paths) == []


@posix_only
def test_a_copy_without_its_sidecar_is_judged_by_the_lock_not_by_its_age(paths: AppPaths) -> None:
    project = Project(name="first write", document=Document(text="x"))
    child = running_instance(paths, project)
    try:
        recovery.sidecar_path(paths, project.id).unlink()  # as if caught between the copy and its sidecar
        assert recovery.pending_recoveries(paths) == []  # a live owner: left alone, however young or old
    finally:
        kill(child)
    (info,) = recovery.pending_recoveries(paths)  # no grace period to wait out after a crash
    assert info.project_id == project.id and info.name.startswith("Untitled")


@posix_only
def test_the_pid_in_a_sidecar_no_longer_decides(paths: AppPaths) -> None:
    """A crashed instance's pid can be reused by any later process (even this one): its copy must still be offered."""
    project = Project(name="reused pid", document=Document(text="y"))
    kill(running_instance(paths, project))
    sidecar = recovery.sidecar_path(paths, project.id)
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**data, "pid": os.getpid()}), encoding="utf-8")  # now a live pid: ours
    (info,) = recovery.pending_recoveries(paths)
    assert info.pid == os.getpid() and info.project_id == project.id


def test_writing_and_discarding_a_copy_takes_and_frees_its_lock(paths: AppPaths) -> None:
    project = Project(name="mine", document=Document(text="z"))
    lock = recovery.lock_path(paths, project.id)
    recovery.write_recovery(paths, project, None)
    recovery.write_recovery(paths, project, None)  # taken once, kept
    assert locks.is_held(lock) and lock.parent != recovery.recovery_dir(paths)
    recovery.discard_recovery(paths, project.id)
    assert not lock.exists() and sorted(recovery.recovery_dir(paths).iterdir()) == []
