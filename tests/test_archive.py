"""Project archives (.aigcz): round trip, and every hostile archive refused with nothing written."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox
from test_store import sample_project

import aigc_desktop.core.project.archive as archive
from aigc_desktop.cli import entry as cli
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project.archive import export_archive, import_archive
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.project.store import ProjectFileError, load_project, save_project
from aigc_desktop.ui.main_window import MainWindow

FAKE_KEY = "img-" + "0" * 64


def good_archive(tmp_path: Path) -> Path:
    return export_archive(sample_project(), tmp_path / "demo.aigcz")


def rewrite(src: Path, dst: Path, *, add: dict[str | zipfile.ZipInfo, bytes] | None = None, drop: str = "") -> Path:
    """A copy of archive `src` with members dropped (names starting with `drop`) or added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if not (drop and info.filename.startswith(drop)):
                zout.writestr(info, zin.read(info))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def assert_same_project(a: Project, b: Project) -> None:
    assert b.document.html == a.document.html and b.document.text == a.document.text
    assert [vars(s) for s in b.document.ai_spans] == [vars(s) for s in a.document.ai_spans]
    assert (b.canvas.width, b.canvas.height) == (a.canvas.width, a.canvas.height)
    for la, lb in zip(a.canvas.layers, b.canvas.layers, strict=True):
        assert (lb.id, lb.name, lb.visible, lb.opacity, lb.x, lb.y, lb.spec_id) == (
            la.id,
            la.name,
            la.visible,
            la.opacity,
            la.x,
            la.y,
            la.spec_id,
        )
        assert lb.image.tobytes() == la.image.convert("RGBA").tobytes()
    for ca, cb in zip(a.clips, b.clips, strict=True):
        assert (cb.id, cb.name, cb.sample_rate, cb.spec_id) == (ca.id, ca.name, ca.sample_rate, ca.spec_id)
        np.testing.assert_array_equal(cb.samples, ca.samples)
    assert [h.spec.to_dict() for h in b.history] == [h.spec.to_dict() for h in a.history]
    assert [(h.status, h.summary, h.metrics, h.output_refs) for h in b.history] == [
        (h.status, h.summary, h.metrics, h.output_refs) for h in a.history
    ]


def test_round_trip_from_a_project_file(tmp_path: Path) -> None:
    original = sample_project()
    source = tmp_path / "demo.aigc"
    save_project(original, source)
    arch = export_archive(source, tmp_path / "out" / "demo.aigcz")
    assert sorted(p.name for p in arch.parent.iterdir()) == ["demo.aigcz"]  # no temp file left
    with zipfile.ZipFile(arch) as zf:
        names = zf.namelist()
        assert "project.json" in names and "README.txt" in names
        assert b"AIGC Desktop project archive" in zf.read("README.txt")
        assert sorted(n.rsplit(".", 1)[1] for n in names if n.startswith("assets/")) == ["npy", "png"]
    target = import_archive(arch, tmp_path / "imported.aigc")
    loaded = load_project(target).project
    assert_same_project(original, loaded)
    assert loaded.name == "imported" and loaded.id != original.id  # its own autosave identity


def test_import_never_replaces_an_existing_file_unless_asked(tmp_path: Path) -> None:
    arch = good_archive(tmp_path)
    target = tmp_path / "there.aigc"
    target.write_bytes(b"keep me")
    with pytest.raises(UserError, match="already exists"):
        import_archive(arch, target)
    assert target.read_bytes() == b"keep me"
    import_archive(arch, target, overwrite=True)
    assert load_project(target).project.document.text == "Hello world 你好"


def assert_refused(arch: Path, tmp_path: Path, match: str) -> None:
    before = sorted(p for p in tmp_path.rglob("*"))
    target = tmp_path / "target" / "new.aigc"
    with pytest.raises(ProjectFileError, match=match) as err:
        import_archive(arch, target)
    assert "\n" not in str(err.value)
    assert not target.parent.exists()
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written anywhere under tmp_path
    assert not (tmp_path.parent / "x").exists()


@pytest.mark.parametrize("name", ["../x", "/etc/x", "C:\\x", "C:/x", "assets/../../x", "a\\..\\..\\x", "./x"])
def test_zip_slip_names_are_refused(tmp_path: Path, name: str) -> None:
    arch = rewrite(good_archive(tmp_path), tmp_path / "slip.aigcz", add={zipfile.ZipInfo(name): b"evil"})
    assert_refused(arch, tmp_path, "was refused")


def test_symlink_entries_are_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("assets/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    arch = rewrite(good_archive(tmp_path), tmp_path / "link.aigcz", add={link: b"/etc/passwd"})
    assert_refused(arch, tmp_path, "symbolic link")


def test_zip_bomb_member_is_refused_before_inflating(tmp_path: Path) -> None:
    arch = rewrite(good_archive(tmp_path), tmp_path / "bomb.aigcz", add={f"assets/{FAKE_KEY}.png": bytes(50 * 1024**2)})
    assert arch.stat().st_size < 1024**2
    assert_refused(arch, tmp_path, "zip bomb")


def test_total_size_and_member_count_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    arch = good_archive(tmp_path)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)
    assert_refused(arch, tmp_path, "unpacks to more than")
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10**9)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 2)
    assert_refused(arch, tmp_path, "entries")


def test_decompression_bomb_image_inside_is_refused(tmp_path: Path) -> None:
    arch = good_archive(tmp_path)
    with zipfile.ZipFile(arch) as zf:
        png = next(n for n in zf.namelist() if n.endswith(".png"))
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, format="PNG")  # a tiny file that claims 400 Mpx
    bomb = rewrite(arch, tmp_path / "pxbomb.aigcz", drop=png, add={png: buf.getvalue()})
    assert_refused(bomb, tmp_path, "decompression bomb")


@pytest.mark.parametrize(
    ("content", "match"),
    [(b"", "empty"), (b"just some text\n", "not a readable project archive"), (b"PK\x03\x04garbage", "not a")],
)
def test_not_a_zip_empty_and_garbage_are_refused(tmp_path: Path, content: bytes, match: str) -> None:
    arch = tmp_path / "bad.aigcz"
    arch.write_bytes(content)
    assert_refused(arch, tmp_path, match)


def test_corrupt_zip_is_refused(tmp_path: Path) -> None:
    arch = good_archive(tmp_path)
    data = bytearray(arch.read_bytes())
    truncated = tmp_path / "truncated.aigcz"
    truncated.write_bytes(bytes(data[: len(data) // 2]))
    assert_refused(truncated, tmp_path, "not a readable project archive")
    with zipfile.ZipFile(arch) as zf:  # flip bytes inside a stored asset: the CRC check catches it
        info = next(i for i in zf.infolist() if i.filename.endswith(".npy"))
    flipped = tmp_path / "flipped.aigcz"
    at = info.header_offset + 30 + len(info.filename) + 200
    data[at : at + 8] = bytes(b ^ 0xFF for b in data[at : at + 8])
    flipped.write_bytes(bytes(data))
    assert_refused(flipped, tmp_path, "not a readable project archive")


def test_manifest_and_asset_mismatch_and_strangers_are_refused(tmp_path: Path) -> None:
    arch = good_archive(tmp_path)
    missing = rewrite(arch, tmp_path / "missing.aigcz", drop="assets/aud-")
    assert_refused(missing, tmp_path, "absent")
    extra = rewrite(arch, tmp_path / "extra.aigcz", add={f"assets/{FAKE_KEY}.png": b"x"})
    assert_refused(extra, tmp_path, "not named by the manifest")
    stranger = rewrite(arch, tmp_path / "stranger.aigcz", add={"run-me.sh": b"rm -rf ~"})
    assert_refused(stranger, tmp_path, "not part of a project archive")
    wrong_suffix = rewrite(arch, tmp_path / "suffix.aigcz", add={f"assets/{FAKE_KEY}.npy": b"x"})
    assert_refused(wrong_suffix, tmp_path, "not part of a project archive")
    no_manifest = rewrite(arch, tmp_path / "nomanifest.aigcz", drop="project.json")
    assert_refused(no_manifest, tmp_path, "no project.json")


def test_newer_schema_and_bad_manifest_are_refused(tmp_path: Path) -> None:
    arch = good_archive(tmp_path)
    with zipfile.ZipFile(arch) as zf:
        document = json.loads(zf.read("project.json"))
    document["schema_version"] = 99
    newer = rewrite(arch, tmp_path / "newer.aigcz", drop="project.json", add={"project.json": json.dumps(document)})
    assert_refused(newer, tmp_path, "newer AIGC Desktop")
    broken = rewrite(arch, tmp_path / "broken.aigcz", drop="project.json", add={"project.json": b"{not json"})
    assert_refused(broken, tmp_path, "not valid JSON")
    del document["manifest"]["canvas"]
    document["schema_version"] = 1
    partial = rewrite(arch, tmp_path / "partial.aigcz", drop="project.json", add={"project.json": json.dumps(document)})
    assert_refused(partial, tmp_path, "incomplete")


def test_cli_export_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "demo.aigc"
    original = sample_project()
    save_project(original, source)
    arch = tmp_path / "demo.aigcz"
    assert cli.main(["project", "export", str(source), str(arch)]) == 0
    target = tmp_path / "back.aigc"
    assert cli.main(["project", "import", str(arch), str(target)]) == 0
    assert_same_project(original, load_project(target).project)
    capsys.readouterr()
    assert cli.main(["project", "import", str(arch), str(target)]) == 2  # exists
    assert cli.main(["project", "import", str(arch), str(target), "--force"]) == 0
    capsys.readouterr()
    (tmp_path / "junk.aigcz").write_bytes(b"junk")
    assert cli.main(["project", "import", str(tmp_path / "junk.aigcz"), str(tmp_path / "j.aigc")]) == 2
    assert cli.main(["project", "export", str(tmp_path / "nope.aigc"), str(tmp_path / "n.aigcz")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("aigc: ") for line in err)
    assert not (tmp_path / "j.aigc").exists() and not (tmp_path / "n.aigcz").exists()


def test_file_menu_export_and_import_archive(window: MainWindow, tmp_path: Path) -> None:
    window.document_pane.editor.setPlainText("Archived story")
    arch = tmp_path / "story.aigcz"
    assert window.export_archive_to(arch)  # unsaved edits included
    window.session.dirty = False  # no "save changes?" question
    window.new_project()
    target = window.ctx.paths.projects_dir / "story.aigc"
    assert window.import_archive_from(arch, target)
    assert window.session.path == target and window.document_pane.editor.toPlainText() == "Archived story"
    assert not window.session.dirty

    (tmp_path / "bad.aigcz").write_bytes(b"not a zip")
    assert not window.import_archive_from(tmp_path / "bad.aigcz", window.ctx.paths.projects_dir / "bad.aigc")
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert boxes and "bad.aigcz" in boxes[-1].text()
    assert window.session.path == target  # the open project stays
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    assert "Export project archive…" in texts and "Import project archive…" in texts
