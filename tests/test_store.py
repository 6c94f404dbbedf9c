from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.manifest import SCHEMA_VERSION
from aigc_desktop.core.project.model import AiSpan, Clip, HistoryEntry, Layer, Project
from aigc_desktop.core.project.store import ProjectFileError, load_project, save_project
from aigc_desktop.core.specs import JobKind, JobSpec


def sample_project() -> Project:
    p = Project(name="Demo")
    p.document.html = "<p>Hello <b>world</b></p>"
    p.document.text = "Hello world 你好"
    p.document.ai_spans = [AiSpan(6, 11, "spec-1")]
    img = Image.new("RGBA", (64, 48), (10, 20, 30, 255))
    img.putpixel((3, 4), (255, 0, 0, 128))
    p.canvas.width, p.canvas.height = 64, 48
    p.canvas.layers.append(Layer("Sketch", img, opacity=0.5, visible=False, x=2, y=3, spec_id="spec-2"))
    t = np.linspace(0, 1, 22050, dtype=np.float32)
    p.clips.append(Clip("Tone", 0.3 * np.sin(2 * np.pi * 440 * t), 22050, spec_id="spec-3"))
    spec = JobSpec(kind=JobKind.TEXT, model_id="gemma", inputs={"prompt": "Hi"}, params={"temperature": 0.7}, seed=1)
    p.history.append(
        HistoryEntry(
            spec=spec,
            status="finished",
            started_at=1.0,
            seconds=2.5,
            model_licence="Gemma",
            output_refs=["document"],
            summary="Hi there",
            metrics={"tokens_per_second": 48.0},
        )
    )
    return p


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_restores_everything(tmp_path: Path) -> None:
    p = sample_project()
    path = tmp_path / "demo.aigc"
    save_project(p, path)
    loaded = load_project(path)
    q = loaded.project
    assert loaded.schema_version == SCHEMA_VERSION and loaded.missing_assets == []
    assert (q.name, q.id, q.document.html, q.document.text) == (p.name, p.id, p.document.html, p.document.text)
    assert q.document.ai_spans == p.document.ai_spans
    (a,), (b,) = p.canvas.layers, q.canvas.layers
    assert (b.name, b.opacity, b.visible, b.x, b.y, b.spec_id, b.id) == (
        a.name,
        a.opacity,
        a.visible,
        a.x,
        a.y,
        a.spec_id,
        a.id,
    )
    assert b.image.tobytes() == a.image.tobytes()
    np.testing.assert_array_equal(q.clips[0].samples, p.clips[0].samples)
    assert q.clips[0].sample_rate == 22050
    assert q.history[0].spec == p.history[0].spec
    assert q.history[0].metrics == {"tokens_per_second": 48.0}


def test_saving_again_rewrites_only_changed_assets(tmp_path: Path) -> None:
    p = sample_project()
    path = tmp_path / "demo.aigc"
    first = save_project(p, path)
    assert (first.assets_written, first.assets_reused) == (2, 0)
    second = save_project(p, path)
    assert (second.assets_written, second.assets_reused) == (0, 2)
    p.canvas.layers[0].image.putpixel((0, 0), (1, 2, 3, 4))
    third = save_project(p, path)
    assert (third.assets_written, third.assets_reused) == (1, 1)
    with sqlite3.connect(path) as con:  # the replaced image's old data is gone
        assert con.execute("SELECT COUNT(*) FROM assets").fetchone()[0] == 2


def test_missing_asset_opens_the_rest_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "demo.aigc"
    save_project(sample_project(), path)
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM assets WHERE media = 'aud'")
    loaded = load_project(path)
    assert loaded.missing_assets == ["clip 'Tone'"]
    assert len(loaded.project.canvas.layers) == 1 and loaded.project.clips == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello, I am a text file\n" * 10, "not a readable project"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "not"),
    ],
)
def test_bad_files_give_one_clear_message_and_stay_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.aigc"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(ProjectFileError, match=message):
        load_project(path)
    assert digest(path) == before


def test_other_sqlite_database_and_newer_schema_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.aigc"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(ProjectFileError, match="not an AIGC Desktop project"):
        load_project(other)
    newer = tmp_path / "newer.aigc"
    save_project(sample_project(), newer)
    with sqlite3.connect(newer) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(ProjectFileError, match="newer AIGC Desktop"):
        load_project(newer)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="does not exist"):
        load_project(tmp_path / "nope.aigc")
    with pytest.raises(ProjectFileError, match="not a file"):
        load_project(tmp_path)


def test_save_into_read_only_place_says_so_and_keeps_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, which may write anywhere: make the database layer answer as a read-only folder does.
    real_connect = sqlite3.connect

    def read_only(*args: object, **kwargs: object) -> sqlite3.Connection:
        con = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        con.close()
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(UserError, match="read-only"):
        save_project(sample_project(), tmp_path / "x.aigc")
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".aigc"] == []


def test_save_failure_from_the_disk_becomes_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aigc_desktop.core.project.manifest as manifest

    def full(*_a: object, **_k: object) -> bytes:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(manifest, "_encode_layer", full)
    path = tmp_path / "demo.aigc"
    with pytest.raises(UserError, match="disk is full"):
        save_project(sample_project(), path)
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_failed_in_place_save_leaves_the_previous_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import aigc_desktop.core.project.manifest as manifest

    p = sample_project()
    path = tmp_path / "demo.aigc"
    save_project(p, path)
    p.document.text = "changed"
    p.canvas.layers[0].image.putpixel((0, 0), (9, 9, 9, 9))
    monkeypatch.setattr(manifest, "_encode_layer", lambda _layer: (_ for _ in ()).throw(OSError(28, "No space")))
    with pytest.raises(UserError):
        save_project(p, path)
    assert load_project(path).project.document.text == "Hello world 你好"


def test_decompression_bomb_layer_is_refused(tmp_path: Path) -> None:
    import aigc_desktop.core.project.store as store

    path = tmp_path / "bomb.aigc"
    save_project(sample_project(), path)
    huge = Image.new("1", (20000, 20000))  # 1-bit: small in memory, its PNG is tiny, decoding claims 400 Mpx
    import io

    buf = io.BytesIO()
    huge.save(buf, format="PNG")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE assets SET data = ? WHERE media = 'img'", (buf.getvalue(),))
    with pytest.raises(ProjectFileError, match="decompression bomb"):
        store.load_project(path)
