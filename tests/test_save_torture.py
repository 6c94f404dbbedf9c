"""Saves are atomic, opening never writes: SIGKILL a saving process at random instants (>= 200 times) and reopen
after every kill; plus `inspect_project` and `aigc project info/check` on healthy, damaged and foreign files."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import Image

from aigc_desktop.cli import entry as cli
from aigc_desktop.core.project.inspection import inspect_project
from aigc_desktop.core.project.manifest import SCHEMA_VERSION
from aigc_desktop.core.project.model import Clip, Layer, Project
from aigc_desktop.core.project.store import ProjectFileError, load_project, save_project

REPO = Path(__file__).resolve().parent.parent
SAVE_LOOP = REPO / "tests" / "tools" / "save_loop.py"
KILLS = 220

posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX")


def _save_loop() -> ModuleType:
    spec = importlib.util.spec_from_file_location("save_loop", SAVE_LOOP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(path: Path) -> tuple[str, int, list[str]]:
    """Content, mtime and the names in the folder: opening must change none of them (no -journal, -wal, -shm)."""
    return digest(path), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


class Zygote:
    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), OPENBLAS_NUM_THREADS="1")
        self.proc = subprocess.Popen(
            [sys.executable, str(SAVE_LOOP)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
        )

    def line(self) -> list[str]:
        assert self.proc.stdout is not None
        text = self.proc.stdout.readline()
        assert text, f"the save loop died: {self.proc.stderr.read() if self.proc.stderr else ''}"
        return text.split()

    def start(self, path: Path, version: int, mode: str) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"go {path} {version} {mode}\n")
        self.proc.stdin.flush()
        word, pid = self.line()
        assert word == "child"
        return int(pid)

    def kill(self, pid: int, after: float) -> list[int]:
        """SIGKILL the child `after` seconds from now; return the versions it reported saved."""
        deadline = time.perf_counter() + after
        time.sleep(max(0.0, deadline - time.perf_counter()))
        os.kill(pid, signal.SIGKILL)
        versions: list[int] = []
        while True:
            words = self.line()
            if words[0] == "saved":
                versions.append(int(words[1]))
                continue
            assert words[:2] == ["reaped", str(pid)], words
            status = int(words[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"the saver ended by itself (status {status}) instead of being killed"
            )
            return versions

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _hot_journal(path: Path) -> bool:
    """A rollback journal SQLite would replay: it exists and its header was synced (a cold one starts zeroed)."""
    try:
        with path.with_name(path.name + "-journal").open("rb") as f:
            return f.read(8) == JOURNAL_MAGIC
    except FileNotFoundError:
        return False


def _check_version(project: Project, version: int, sl: ModuleType, digests: dict[tuple[int, int], str]) -> None:
    """Everything in `project` is exactly what the save loop puts in `version`: no mix of two versions."""
    assert len(project.canvas.layers) == sl.layer_count(version)
    for i, layer in enumerate(project.canvas.layers):
        key = (i, sl.layer_seed(i, version))
        if key not in digests:
            digests[key] = hashlib.sha256(sl.layer_pixels(*key)).hexdigest()
        assert (layer.id, layer.name) == (f"layer-{i}", f"L{i}")
        assert hashlib.sha256(layer.image.tobytes()).hexdigest() == digests[key], f"layer {i} of version {version}"
    (clip,) = project.clips
    np.testing.assert_array_equal(clip.samples, sl.clip_samples(version))


def _version_of(path: Path) -> tuple[Project, int]:
    report = load_project(path)
    assert report.missing_assets == []
    text = report.project.document.text
    assert text.startswith("version "), text
    return report.project, int(text.split()[1])


@posix_only
def test_sigkill_during_saves_never_leaves_a_broken_project(tmp_path: Path) -> None:
    sl = _save_loop()
    rng = random.Random(20240607)
    digests: dict[tuple[int, int], str] = {}
    path = tmp_path / "torture.aigc"
    save_project(sl.build_project(0), path)
    version = 0
    stats: Counter[str] = Counter()
    started = time.perf_counter()
    zygote = Zygote()
    try:
        # Calibrate: time a few complete saves, so kill delays spread over whole save cycles, commit included.
        pid = zygote.start(path, version, "loop")
        assert zygote.proc.stdout is not None
        times = []
        for _ in range(4):
            words = zygote.line()
            assert words[0] == "saved"
            times.append(time.perf_counter())
        zygote.kill(pid, 0)
        cycle = (times[-1] - times[0]) / (len(times) - 1)
        _project, version = _version_of(path)

        for k in range(KILLS):
            if k % 10 == 9:  # a first save over a file that is not a project: temp file + rename
                target = tmp_path / f"fresh-{k}.aigc"
                target.write_bytes(b"not a project yet\n" * 10)
                old = digest(target)
                pid = zygote.start(target, 10_000 + k, "once")
                saved = zygote.kill(pid, rng.uniform(0, 6 * cycle))
                if digest(target) == old:
                    stats["first save: old file kept"] += 1
                    assert saved == []
                else:
                    project, got = _version_of(target)
                    _check_version(project, got, sl, digests)
                    assert got == 10_000 + k
                    stats["first save: new project"] += 1
                continue
            before = version
            pid = zygote.start(path, version, "loop")
            saved = zygote.kill(pid, rng.uniform(0, 3 * cycle))
            last_done = saved[-1] if saved else before
            if k % 7 == 0 or _hot_journal(path):  # inspection reads the same, through a copy when the journal is hot
                info = inspect_project(path)
                assert info.interrupted_save == _hot_journal(path)
                assert info.layers in (sl.layer_count(last_done), sl.layer_count(last_done + 1))
                assert info.missing_assets == [] and len(info.problems) == int(info.interrupted_save)
            before_open = fingerprint(path)
            project, version = _version_of(path)
            assert fingerprint(path) == before_open, "opening changed the file"
            assert last_done <= version <= last_done + 1, (before, saved, version)
            _check_version(project, version, sl, digests)
            stats["old version (the last save that returned)" if version == last_done else "new version"] += 1
            stats["saves completed before the kill"] += len(saved)
            stats["killed mid-commit (hot journal left)"] += int(_hot_journal(path))
    finally:
        zygote.close()
    seconds = time.perf_counter() - started
    kills = KILLS + 1
    summary = f"{kills} kills in {seconds:.1f} s (save cycle {cycle * 1000:.0f} ms), 0 corrupt: {dict(stats)}"
    print(summary)
    assert stats["old version (the last save that returned)"] + stats["new version"] == KILLS - KILLS // 10, summary
    assert stats["killed mid-commit (hot journal left)"] > 0, summary  # some kills landed inside the commit
    leftovers = [p.name for p in tmp_path.iterdir() if ".partial" in p.name]  # core.atomic's temp files
    assert all(p.startswith(".fresh-") for p in leftovers), leftovers  # only killed first saves leave a temp file


# ---------------------------------------------------------------- inspect_project and `aigc project info/check`


def small_project() -> Project:
    from aigc_desktop.core.project.model import HistoryEntry
    from aigc_desktop.core.specs import JobKind, JobSpec

    p = Project(name="Small")
    p.canvas.width = p.canvas.height = 32
    rng = np.random.default_rng(1)
    for i in range(3):
        pixels = rng.integers(0, 256, (32, 32, 4), dtype=np.uint8)
        p.canvas.layers.append(Layer(f"Layer {i}", Image.fromarray(pixels, "RGBA")))
    p.clips.append(Clip("Tone", np.zeros(2205, dtype=np.float32), 22050))
    spec = JobSpec(kind=JobKind.TEXT, model_id="gemma", inputs={"prompt": "Hi"}, params={}, seed=1)
    p.history.append(HistoryEntry(spec=spec, status="finished", started_at=1.0, seconds=1.0))
    return p


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()  # only what the command prints, not what fixtures printed before it
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.aigc"
    save_project(small_project(), path)
    return path


def test_healthy_project_info_and_check(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = fingerprint(project_path)
    info = inspect_project(project_path, decode=True)
    assert (info.schema_version, info.name, info.layers, info.clips, info.history) == (SCHEMA_VERSION, "Small", 3, 1, 1)
    assert info.missing_assets == [] and info.problems == [] and info.recovery_copy is None
    code, out, err = run_cli(capsys, "project", "info", str(project_path), "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["layers"] == 3 and data["clips"] == 1 and data["history"] == 1 and data["recovery_copy"] is None
    assert data["schema_version"] == SCHEMA_VERSION and data["missing_assets"] == [] and data["problems"] == []
    code, out, _ = run_cli(capsys, "project", "info", str(project_path))
    assert code == 0 and "3 layers, 1 clips, 1 history entries" in out
    code, out, _ = run_cli(capsys, "project", "check", str(project_path))
    assert code == 0 and out.startswith("OK: demo.aigc")
    assert fingerprint(project_path) == before


def test_the_autosave_copy_of_a_project_is_reported(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from aigc_desktop.core.paths import app_paths
    from aigc_desktop.core.project import recovery

    project = load_project(project_path).project
    copy = recovery.write_recovery(app_paths().ensure(), project, project_path)
    code, out, _ = run_cli(capsys, "project", "info", str(project_path), "--json")
    assert code == 0 and json.loads(out)["recovery_copy"] == str(copy)
    recovery.discard_recovery(app_paths(), project.id)
    code, out, _ = run_cli(capsys, "project", "info", str(project_path), "--json")
    assert json.loads(out)["recovery_copy"] is None


def test_missing_and_damaged_assets_are_problems(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(project_path) as con:
        con.execute("DELETE FROM assets WHERE media = 'aud'")
        key = con.execute("SELECT hash, data FROM assets WHERE media = 'img' LIMIT 1").fetchone()
        con.execute("UPDATE assets SET data = ? WHERE hash = ?", (bytes(key[1])[:200], key[0]))
    con.close()
    before = fingerprint(project_path)
    info = inspect_project(project_path)
    assert info.missing_assets == ["clip 'Tone'"] and len(info.problems) == 1  # no decoding without decode=True
    code, out, _ = run_cli(capsys, "project", "check", str(project_path))
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2, out
    assert any("clip 'Tone'" in line and "missing" in line for line in lines)
    assert any("layer" in line and "not a readable image" in line for line in lines)
    assert fingerprint(project_path) == before


def test_check_finds_truncated_audio_and_a_bomb(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, format="PNG")  # decoding would claim 400 Mpx; the header says so
    with sqlite3.connect(project_path) as con:
        (audio,) = con.execute("SELECT data FROM assets WHERE media = 'aud'").fetchone()
        con.execute("UPDATE assets SET data = ? WHERE media = 'aud'", (bytes(audio)[:-100],))
        key = con.execute("SELECT hash FROM assets WHERE media = 'img' LIMIT 1").fetchone()[0]
        con.execute("UPDATE assets SET data = ? WHERE hash = ?", (buf.getvalue(), key))
    con.close()
    code, out, _ = run_cli(capsys, "project", "check", str(project_path))
    assert code == 1
    assert "truncated" in out and "decompression bomb" in out, out


@pytest.mark.parametrize("kind", ["newer", "foreign", "empty", "text", "wal", "missing"])
def test_unreadable_files_exit_2_with_one_line_and_stay_untouched(
    tmp_path: Path, project_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / f"{kind}.aigc"
    expected = {
        "newer": "newer AIGC Desktop",
        "foreign": "not an AIGC Desktop project",
        "empty": "empty",
        "text": "not a readable project",
        "wal": "not an AIGC Desktop project",
        "missing": "does not exist",
    }[kind]
    if kind == "newer":
        shutil.copyfile(project_path, path)
        with sqlite3.connect(path) as con:
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
        con.close()
    elif kind in ("foreign", "wal"):
        con = sqlite3.connect(path)
        if kind == "wal":
            con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("hello\n" * 50)
    before = fingerprint(path) if path.exists() else None
    for args in (["info", str(path)], ["info", "--json", str(path)], ["check", str(path)]):
        code, out, err = run_cli(capsys, "project", *args)
        assert code == 2 and out == "" and len(err.splitlines()) == 1 and expected in err, (args, err)
    with pytest.raises(ProjectFileError, match=expected):
        load_project(path)
    assert (fingerprint(path) if path.exists() else None) == before


def _leave_hot_journal(path: Path) -> None:
    """A save killed mid-transaction: the new pages are in the file, the old ones in a hot journal beside it."""
    code = (
        "import os, signal, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "con.execute('PRAGMA cache_size=1')\n"  # tiny cache: changed pages spill into the file before COMMIT
        "con.execute('BEGIN IMMEDIATE')\n"
        "con.execute('UPDATE assets SET data = zeroblob(length(data))')\n"
        "con.execute(\"UPDATE manifest SET json = '{broken'\")\n"
        "con.execute('INSERT INTO assets VALUES (\\'x\\', \\'img\\', zeroblob(300000))')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=False, timeout=60)
    assert path.with_name(path.name + "-journal").stat().st_size > 0


@posix_only
def test_hot_journal_is_reported_read_through_and_left_alone(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _leave_hot_journal(project_path)
    journal = project_path.with_name(project_path.name + "-journal")
    before, journal_before = fingerprint(project_path), digest(journal)
    info = inspect_project(project_path, decode=True)
    assert info.interrupted_save and info.layers == 3 and info.missing_assets == []
    assert len(info.problems) == 1 and "interrupted save" in info.problems[0]
    code, out, _ = run_cli(capsys, "project", "check", str(project_path))
    assert code == 1 and "interrupted save" in out and len(out.splitlines()) == 1
    code, out, _ = run_cli(capsys, "project", "info", "--json", str(project_path))
    assert code == 0 and json.loads(out)["interrupted_save"] is True
    loaded = load_project(project_path)  # the last complete save, read from a rolled-back copy
    assert loaded.project.name == "Small" and len(loaded.project.canvas.layers) == 3
    assert fingerprint(project_path) == before and digest(journal) == journal_before
    save_project(loaded.project, project_path)  # the next save rolls the file back and writes on top
    assert not journal.exists() and inspect_project(project_path, decode=True).problems == []


def test_foreign_database_with_a_hot_journal_is_not_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "other.aigc"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE assets (data)")
        con.execute("INSERT INTO assets VALUES (zeroblob(50000))")
    con.close()
    _leave_hot_journal_foreign(path)
    before = fingerprint(path)
    with pytest.raises(ProjectFileError, match="not an AIGC Desktop project"):
        load_project(path)
    with pytest.raises(ProjectFileError, match="not an AIGC Desktop project"):
        inspect_project(path)
    assert fingerprint(path) == before


def _leave_hot_journal_foreign(path: Path) -> None:
    code = (
        "import os, signal, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "con.execute('PRAGMA cache_size=1')\n"
        "con.execute('BEGIN IMMEDIATE')\n"
        "con.execute('INSERT INTO assets VALUES (zeroblob(400000))')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=False, timeout=60)
    assert path.with_name(path.name + "-journal").stat().st_size > 0


def test_project_check_as_a_command(project_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-m", "aigc_desktop", "project", "check", str(project_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0 and out.stdout.startswith("OK: "), out.stderr
