"""Learn my style: every bad input is refused with a clear message before training (no torch needed), the texts are
read in every encoding a creator's files come in, and styles are managed (rename, remove, export, import) without
ever leaving a half-written folder in the models folder."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models import styles
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.train import corpus as corpus_mod
from aigc_desktop.core.train.corpus import MIN_WORDS, count_words, decode_text, scan_corpus
from aigc_desktop.core.train.style_job import (
    BaseShape,
    StyleParams,
    check_memory,
    learn_style_spec,
    memory_needed,
    trainable_base,
)

ENGLISH = "The heron waited by the river stone in the morning light. " * 40  # 440 words
CHINESE = "清晨的河边，白鹭静静地站在石头上，等待着第一缕阳光。" * 40  # 23 CJK characters a line


def test_encodings_are_detected_and_read(tmp_path: Path) -> None:
    files = {
        "utf8.txt": ENGLISH.encode("utf-8"),
        "bom.md": b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"),
        "utf16.txt": ENGLISH.encode("utf-16"),  # Python writes the BOM
        "gb.txt": CHINESE.encode("gb18030"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    found = scan_corpus([tmp_path], min_words=1)
    by_name = {Path(f.path).name: f for f in found.summary.files}
    assert {n: f.encoding for n, f in by_name.items()} == {
        "bom.md": "utf-8-sig",
        "gb.txt": "gb18030",
        "utf16.txt": "utf-16",
        "utf8.txt": "utf-8",
    }
    texts = dict(zip([Path(f.path).name for f in found.summary.files], found.texts, strict=True))
    assert texts["gb.txt"].startswith("清晨的河边") and texts["utf16.txt"].startswith("The heron")
    assert "\ufeff" not in texts["bom.md"]
    assert by_name["gb.txt"].words == count_words(CHINESE) == 40 * 23  # each Chinese character counts as a word
    assert by_name["utf8.txt"].words == 440


def test_docx_paragraphs_are_read(tmp_path: Path) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>Paragraph {i} of the story.</w:t></w:r></w:p>" for i in range(3))
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(tmp_path / "story.docx", "w") as archive:
        archive.writestr("word/document.xml", xml)
    found = scan_corpus([tmp_path / "story.docx"], min_words=1)
    assert found.texts == ("Paragraph 0 of the story.\n\nParagraph 1 of the story.\n\nParagraph 2 of the story.",)
    assert found.summary.files[0].encoding == "docx"


def test_binary_and_undecodable_files_are_skipped_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH * 3, encoding="utf-8")
    (tmp_path / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes(bytes([0x80, 0xFF, 0x81, 0xFE]) * 50)
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "empty.md").write_bytes(b"")
    found = scan_corpus([tmp_path])
    assert [Path(f.path).name for f in found.summary.files] == ["good.txt"]
    reasons = {Path(s.path).name: str(s.reason) for s in found.summary.skipped}
    assert "binary" in reasons["picture.txt"]
    assert "not UTF-8 or GB18030" in reasons["latin1.txt"]
    assert "not a readable .docx" in reasons["broken.docx"]
    assert "empty" in reasons["empty.md"]
    assert found.summary.problems[0].startswith(sorted(reasons)[0])


def test_no_text_found_names_a_skipped_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(UserError, match=r"No text could be read: 1 file\(s\) skipped, for example a.txt: not a text"):
        scan_corpus([tmp_path])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match="No text found"):
        scan_corpus([empty])
    with pytest.raises(UserError, match="There is no file or folder at"):
        scan_corpus([tmp_path / "missing"])


def test_too_little_text_states_the_threshold(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("A few words only, far too few.", encoding="utf-8")
    with pytest.raises(UserError, match=f"7 words found, at least {MIN_WORDS} are needed"):
        scan_corpus([tmp_path])


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:  # a sparse 2 GB file: no disk used, and reading it would take the machine down
        f.truncate(2 * 1024**3)
    (tmp_path / "ok.txt").write_text(ENGLISH * 3, encoding="utf-8")
    read: list[Path] = []
    real = corpus_mod.read_text_file
    monkeypatch.setattr(corpus_mod, "read_text_file", lambda p: read.append(p) or real(p))
    found = scan_corpus([tmp_path])
    assert [Path(p).name for p in read] == ["ok.txt"]
    [skipped] = found.summary.skipped
    assert "too large (2048 MB; at most 32 MB per file" in str(skipped.reason)


def test_utf16_without_bom_is_named_binary() -> None:
    reason = decode_text("hello".encode("utf-16-le"))
    assert isinstance(reason, str) and "byte-order mark" in reason


def test_bad_params_and_names_are_one_clear_sentence() -> None:
    with pytest.raises(UserError, match="The time budget must be more than 0"):
        StyleParams(minutes=0)
    with pytest.raises(UserError, match="rank must be from 1 to 256"):
        StyleParams(rank=0)
    with pytest.raises(UserError, match="Give the style a name"):
        learn_style_spec(name="  ", base="x", texts=["/"])
    with pytest.raises(UserError, match="cannot hold path separators"):
        learn_style_spec(name="a/b", base="x", texts=["/"])
    with pytest.raises(UserError, match="Choose the texts"):
        learn_style_spec(name="a", base="x")


def _entry(path: Path, **kw: object) -> ModelEntry:
    fields: dict[str, object] = {
        "id": "m",
        "name": "M",
        "kind": ModelKind.TEXT,
        "backend": "llama.cpp",
        "path": path,
        "size_bytes": 1,
        "licence": "",
        "source": ModelSource.LOCAL,
    }
    fields.update(kw)
    return ModelEntry(**fields)  # type: ignore[arg-type]


def test_not_enough_memory_is_refused_before_starting_with_the_numbers(tmp_path: Path) -> None:
    """A GGUF not assembled yet is estimated from its size; with 1 GB free the run is refused, naming both numbers
    (tests/test_learn_style_gguf.py checks the estimate from the real file's header)."""
    entry = _entry(tmp_path / "not-assembled.gguf", size_bytes=253_113_024, name="Gemma")
    with pytest.raises(UserError, match=r"training needs about \d+\.\d GB, 1\.0 GB is free"):
        check_memory(entry, StyleParams(), available=1_000_000_000)
    assert check_memory(entry, StyleParams(), available=64 * 10**9).ok


def test_memory_estimate_grows_with_batch_and_vocabulary() -> None:
    shape = BaseShape(parameters=268_000_000, vocab=262_144, hidden=640, layers=18)
    small, big = memory_needed(shape, StyleParams(batch_size=1)), memory_needed(shape, StyleParams(batch_size=8))
    assert big > small > shape.parameters * 8  # at least the float32 weights twice (dequantising)


def test_only_local_text_models_can_be_taught(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is not a text model"):
        trainable_base(_entry(tmp_path, kind=ModelKind.IMAGE))
    with pytest.raises(UserError, match="cannot be trained here"):
        trainable_base(_entry(tmp_path, backend="openai", source=ModelSource.SERVER))
    with pytest.raises(UserError, match="is already a style"):
        trainable_base(_entry(tmp_path, adapter=tmp_path / "a.gguf", base_id="base"))


# ---------------------------------------------------------------- managing styles (no training: a written record)


def _fake_style(models_dir: Path, name: str, base: str = "tiny") -> Path:
    """A style folder as the trainer leaves it: the record and an epoch folder with the adapter files."""
    folder = styles.style_folder(models_dir, name)
    folder.mkdir(parents=True)
    epoch = folder / "epoch-0002"
    epoch.mkdir()
    for file in (styles.GGUF_ADAPTER_FILE, styles.PEFT_WEIGHTS_FILE, styles.PEFT_CONFIG_FILE):
        (epoch / file).write_bytes(b"x" * 10)
    record = styles.StyleRecord(
        name=name,
        base_model_id=base,
        base_name="Tiny",
        created=1.0,
        updated=1.0,
        words=1234,
        tokens=2000,
        files=2,
        held_back_tokens=128,
        epochs_done=2,
        epochs_planned=2,
        steps_done=10,
        total_steps=10,
        status=styles.StyleStatus.FINISHED,
        perplexity_before=40.0,
        perplexity_after=20.0,
        adapter_dir="epoch-0002",
        rank=16,
        alpha=32,
        seed=0,
        sources=("a.txt", "b.txt"),
    )
    styles.write_record(folder, record)
    return folder


def test_rename_remove_export_import(paths: AppPaths, tmp_path: Path) -> None:
    models = paths.models_dir
    _fake_style(models, "Heron")
    style = styles.rename_style(models, "Heron", "Egret")
    assert style.path.name == "Egret" and style.record.model_id == "styles/Egret"
    assert [s.record.name for s in styles.list_styles(models)] == ["Egret"]
    with pytest.raises(UserError, match="no style named"):
        styles.rename_style(models, "Heron", "X")

    exported = styles.export_style(models, "Egret", tmp_path / "egret")
    assert exported.name == "egret.aigcstyle"
    with zipfile.ZipFile(exported) as archive:
        assert sorted(archive.namelist()) == [
            "aigc_model.json",
            "epoch-0002/adapter.gguf",
            "epoch-0002/adapter_config.json",
            "epoch-0002/adapter_model.safetensors",
        ]
    with pytest.raises(UserError, match="already exists"):
        styles.import_style(models, exported)
    imported = styles.import_style(models, exported, "Egret copy")
    assert imported.record.words == 1234 and (imported.path / "epoch-0002" / "adapter.gguf").is_file()

    styles.remove_style(models, "Egret")
    assert [s.record.name for s in styles.list_styles(models)] == ["Egret copy"]
    assert not [p for p in styles.styles_dir(models).iterdir() if p.name.startswith(".")]


def test_import_refuses_what_is_not_a_style(paths: AppPaths, tmp_path: Path) -> None:
    bad = tmp_path / "bad.aigcstyle"
    bad.write_bytes(b"nope")
    with pytest.raises(UserError, match="is not a style file"):
        styles.import_style(paths.models_dir, bad)
    sneaky = tmp_path / "sneaky.aigcstyle"
    _fake_style(tmp_path / "elsewhere", "S")
    meta = (styles.style_folder(tmp_path / "elsewhere", "S") / "aigc_model.json").read_text()
    with zipfile.ZipFile(sneaky, "w") as archive:
        archive.writestr("aigc_model.json", meta)
        archive.writestr("../../escape.txt", "x")
    with pytest.raises(UserError, match="unexpected contents"):
        styles.import_style(paths.models_dir, sneaky)
    assert not (paths.models_dir.parent / "escape.txt").exists()
    assert styles.list_styles(paths.models_dir) == []


def test_registry_lists_a_style_over_its_installed_base_only(paths: AppPaths, install_tiny_lm: object) -> None:
    registry = ModelRegistry(paths)
    _fake_style(paths.models_dir, "Orphan", base="not-installed")
    assert [e.id for e in registry.entries(ModelKind.TEXT) if e.source is ModelSource.STYLE] == []
    base_id = install_tiny_lm("gemma3", "tiny")  # type: ignore[operator]
    _fake_style(paths.models_dir, "Heron", base=base_id)
    [entry] = [e for e in registry.entries(ModelKind.TEXT) if e.source is ModelSource.STYLE]
    base = registry.get(base_id)
    assert entry.id == "styles/Heron" and entry.name == f"{base.name} · Heron"
    assert entry.path == base.path and entry.backend == base.backend == "transformers"
    assert entry.adapter == styles.style_folder(paths.models_dir, "Heron") / "epoch-0002"
    assert registry.get("styles/Heron") == entry
    # The style folder itself is not listed as a model of its own.
    assert all(e.backend != styles.STYLE_BACKEND for e in registry.entries())
    note = styles.provenance_for(paths.models_dir, "styles/Heron")
    assert note == "written with style Heron, trained on 1234 words of your texts"
    assert styles.provenance_for(paths.models_dir, base_id) is None
    listed = {s.record.name: s.usable for s in styles.list_styles(paths.models_dir, registry.entries(ModelKind.TEXT))}
    assert listed == {"Heron": True, "Orphan": False}
    assert json.loads(json.dumps(entry.to_dict()))["base_id"] == base_id


def test_a_run_killed_after_an_epoch_is_offered_for_resuming(paths: AppPaths) -> None:
    """A killed app leaves the record "training" with the epoch's resume state beside it (no Stop ran): a restart
    finds it. A folder left before any epoch (no aigc_model.json) is no style and does not block the name."""
    from dataclasses import replace

    folder = _fake_style(paths.models_dir, "Killed")
    record = styles.read_record(folder)
    assert record is not None
    styles.write_record(folder, replace(record, status=styles.StyleStatus.TRAINING, epochs_done=1, epochs_planned=3))
    (folder / "epoch-0002" / styles.TRAINER_STATE_FILE).write_text("{}", encoding="utf-8")
    (folder / styles.TRAINING_DIR).mkdir()
    [run] = styles.find_resumable(paths.models_dir)
    assert (run.name, run.status, run.epochs_done, run.epochs_planned) == ("Killed", "training", 1, 3)
    early = styles.style_folder(paths.models_dir, "Early")
    (early / styles.TRAINING_DIR).mkdir(parents=True)
    styles.check_style_name_free(paths.models_dir, "Early")
    assert styles.reserve_style_folder(paths.models_dir, "Early") == early and not any(early.iterdir())
    assert [s.record.name for s in styles.list_styles(paths.models_dir)] == ["Killed"]


def test_a_style_being_trained_is_neither_renamed_nor_removed_nor_its_name_taken(
    paths: AppPaths, tmp_path: Path
) -> None:
    """While a run holds a style's training lock (a real other process here, as `aigc learn-style` beside the window
    is), renaming or removing the style, or renaming/importing another style to its name, is refused with a clear
    message and touches nothing; once that process is gone (SIGKILL: the kernel frees the lock), all of it works."""
    from lock_holder import hold_in_child, kill

    models = paths.models_dir
    _fake_style(models, "Heron")
    _fake_style(models, "Egret")
    exported = styles.export_style(models, "Egret", tmp_path / "egret")
    early = styles.style_folder(models, "Early")  # a run before its first epoch: its folder holds no style yet
    (early / styles.TRAINING_DIR).mkdir(parents=True)
    heron = hold_in_child(styles.training_lock_path(models, "Heron"))
    early_run = hold_in_child(styles.training_lock_path(models, "Early"))
    try:
        assert styles.is_training(models, "Heron") and not styles.is_training(models, "Egret")
        with pytest.raises(UserError, match="'Heron' is being trained right now: rename it after its training stops"):
            styles.rename_style(models, "Heron", "Stork")
        with pytest.raises(UserError, match="'Heron' is being trained right now: remove it after its training stops"):
            styles.remove_style(models, "Heron")
        with pytest.raises(UserError, match="'Early' is being trained right now; choose another name"):
            styles.rename_style(models, "Egret", "Early")
        with pytest.raises(UserError, match="'Early' is being trained right now; choose another name"):
            styles.import_style(models, exported, "Early")
        with pytest.raises(UserError, match="'Heron' is already being trained"):
            styles.hold_training_lock(models, "Heron")  # a second run of the same name
        assert [s.record.name for s in styles.list_styles(models)] == ["Egret", "Heron"]
        assert (early / styles.TRAINING_DIR).is_dir()  # the other run's folder is untouched
    finally:
        kill(heron)
        kill(early_run)
    assert not styles.is_training(models, "Heron")
    assert styles.rename_style(models, "Heron", "Stork").record.name == "Stork"
    styles.remove_style(models, "Stork")
    assert [s.record.name for s in styles.list_styles(models)] == ["Egret"]
    lock = styles.hold_training_lock(models, "Egret")  # as a trainer does; this process holds it now
    try:
        with pytest.raises(UserError, match="is being trained right now"):
            styles.remove_style(models, "Egret")
    finally:
        lock.release(remove=True)
    styles.remove_style(models, "Egret")


def test_a_style_exported_while_a_new_epoch_is_saved_is_exported_whole(
    paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trainer saves epoch 3 (replacing epoch 2's folder) while the export reads epoch 2: the export starts over
    and writes epoch 3 with its own record, never a record naming an adapter the file lacks. Not while training: a
    vanished adapter is a clear message."""
    from dataclasses import replace

    from lock_holder import hold_in_child, kill

    models = paths.models_dir
    folder = _fake_style(models, "Heron")
    real_write = styles._write_export
    calls: list[str] = []

    def new_epoch_meanwhile(style: styles.Style, target: Path) -> None:
        calls.append(style.record.adapter_dir)
        if len(calls) == 1:  # the trainer commits epoch 3 between the export's read of the record and of the files
            temp = styles.begin_epoch_dir(folder, 3)
            for file in (styles.GGUF_ADAPTER_FILE, styles.PEFT_WEIGHTS_FILE, styles.PEFT_CONFIG_FILE):
                (temp / file).write_bytes(b"3" * 10)
            styles.commit_epoch(folder, temp, replace(style.record, adapter_dir="epoch-0003", epochs_done=3))
        real_write(style, target)

    monkeypatch.setattr(styles, "_write_export", new_epoch_meanwhile)
    trainer = hold_in_child(styles.training_lock_path(models, "Heron"))
    try:
        exported = styles.export_style(models, "Heron", tmp_path / "heron")
    finally:
        kill(trainer)
    assert calls == ["epoch-0002", "epoch-0003"]
    with zipfile.ZipFile(exported) as archive:
        names = sorted(archive.namelist())
        record = json.loads(archive.read("aigc_model.json"))["style"]
        assert archive.read("epoch-0003/adapter.gguf") == b"3" * 10
    assert names == [
        "aigc_model.json",
        "epoch-0003/adapter.gguf",
        "epoch-0003/adapter_config.json",
        "epoch-0003/adapter_model.safetensors",
    ]
    assert record["adapter_dir"] == "epoch-0003" and record["epochs_done"] == 3
    assert styles.import_style(models, exported, "Heron copy").record.epochs_done == 3

    def adapter_vanishes(style: styles.Style, target: Path) -> None:
        calls.append(style.record.adapter_dir)
        shutil.rmtree(style.peft_dir)
        real_write(style, target)

    monkeypatch.setattr(styles, "_write_export", adapter_vanishes)
    with pytest.raises(UserError, match="Could not export the style"):  # nobody training: no retry, a message
        styles.export_style(models, "Heron", tmp_path / "again")
    assert calls[2:] == ["epoch-0003"] and not list(tmp_path.glob("*again*"))  # and no half file
