"""Tools ▸ Learn my style… in the real window (issue #17): the texts scanned and described (words, skipped files with
their reasons, the held-back slice), a corpus too small said plainly, a base that does not fit in memory refused
before starting with the numbers, a real LoRA run on a tiny Gemma 3 (live loss curve, held-back perplexity, a sample
after each epoch, Pause / Resume / Stop, closing asks), the style in the Document's model list and a Continue with
it, its provenance in the History, and the Styles tab (rename, remove, export, import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from i18n_sweep import OPEN, pseudo_language, untranslated
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from aigc_desktop.core.models import fit, styles
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.ui.learn_style_dialog import LearnStyleDialog, can_train

pytestmark = pytest.mark.usefixtures("torch_one_thread")

# A voice with a signature: every paragraph opens with the same phrase, and a rare word family recurs.
PARAGRAPH = (
    "Lanternwise, the keeper counted the gulls over the harbour before the tide turned grey. "
    "She wrote their numbers in the salt-stained ledger, lanternwise and slow, as her mother had. "
    "Nothing in the village moved until the bell had rung twice and the boats were home.\n\n"
)


def write_texts(folder: Path, paragraphs: int = 40) -> Path:
    """A folder of the user's texts: two UTF-8 files and a GB18030 Chinese one (~1,500 words in all), plus two
    files that cannot be read (binary data; a text file with NUL bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.txt").write_text(PARAGRAPH * (paragraphs // 2), encoding="utf-8")
    (folder / "two.md").write_text("# Notes\n\n" + PARAGRAPH * (paragraphs - paragraphs // 2), encoding="utf-8")
    (folder / "灯塔.txt").write_bytes(("灯塔守护者数着港口上空的海鸥。" * 20).encode("gb18030"))
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    return folder


def settle() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    QApplication.processEvents()


def open_dialog(window: Any) -> LearnStyleDialog:
    window.menus.learn_style.trigger()
    dialog = window.findChild(LearnStyleDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    return dialog


def choose_base(dialog: LearnStyleDialog, model_id: str) -> None:
    index = dialog.base_combo.findData(model_id)
    assert index >= 0, [dialog.base_combo.itemData(i) for i in range(dialog.base_combo.count())]
    dialog.base_combo.setCurrentIndex(index)


def scanned(qtbot: Any, dialog: LearnStyleDialog, paths: list[Path]) -> None:
    dialog.texts.set_paths(paths)
    qtbot.waitUntil(lambda: not dialog.texts.scanning, timeout=20000)


# ---------------------------------------------------------------- before training


def test_the_dialog_says_what_it_found_in_the_texts(
    qtbot: Any, window: Any, tmp_path: Path, install_tiny_lm: Any
) -> None:
    base = install_tiny_lm("gemma3")
    window.ctx.registry.entries()  # (the window lists models on disk each time)
    dialog = open_dialog(window)
    dialog.fill_bases()
    assert not dialog.start_button.isEnabled()  # no texts yet
    assert "Choose your texts" in dialog.texts.count_label.text()
    scanned(qtbot, dialog, [write_texts(tmp_path / "my texts")])
    corpus = dialog.texts.corpus
    assert corpus is not None and len(corpus.files) == 3
    count = dialog.texts.count_label.text()
    assert count.startswith("3 texts read") or count.startswith("3 text(s) read"), count
    assert f"{corpus.words} words" in count and "tokens are counted when learning starts" in count
    skipped = dialog.texts.skipped_label
    assert skipped.isVisibleTo(dialog) and "broken.txt: not a text file" in skipped.text()
    assert "1 file" in skipped.text()
    assert "held back" in dialog.texts.held_back_label.text()
    # The bases: only models that can be trained; the tiny Gemma is one, and its memory need is said.
    choose_base(dialog, base)
    assert all(
        can_train(window.ctx.registry.get(dialog.base_combo.itemData(i))) for i in range(dialog.base_combo.count())
    )
    assert "Needs about" in dialog.memory_label.text() and "available" in dialog.memory_label.text()
    assert dialog.start_button.isEnabled()
    assert "min is turned into a number of steps" in dialog.plan_label.text()
    assert dialog.name_edit.text() == "my-style"


def test_a_corpus_too_small_or_unreadable_is_said_and_start_stays_off(
    qtbot: Any, window: Any, tmp_path: Path, install_tiny_lm: Any
) -> None:
    install_tiny_lm("gemma3")
    dialog = open_dialog(window)
    dialog.fill_bases()
    few = tmp_path / "few"
    few.mkdir()
    (few / "note.txt").write_text("Only a few words here.", encoding="utf-8")
    scanned(qtbot, dialog, [few])
    text = dialog.texts.count_label.text()
    assert "Too little text" in text and "at least 1000" in text and "red" not in text
    assert "c92a2a" in dialog.texts.count_label.styleSheet()
    assert not dialog.start_button.isEnabled()
    assert dialog.start() is None and "Too little text" in dialog.status_label.text()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"\x00\xff" * 100)
    scanned(qtbot, dialog, [bad])
    assert "No text could be read" in dialog.texts.count_label.text()
    scanned(qtbot, dialog, [tmp_path / "nowhere"])
    assert "There is no file or folder" in dialog.texts.count_label.text()
    assert not dialog.start_button.isEnabled()
    # The project's document, empty: said so.
    dialog.texts.use_document()
    qtbot.waitUntil(lambda: not dialog.texts.scanning)
    assert "The Document is empty" in dialog.texts.count_label.text()
    assert not dialog.texts.path_edit.isEnabled()
    assert window.ctx.queue.idle()


def test_a_base_that_does_not_fit_in_memory_is_refused_with_the_numbers(
    qtbot: Any, window: Any, tmp_path: Path, install_tiny_lm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = install_tiny_lm("gemma3")
    monkeypatch.setattr(fit, "available_memory", lambda: 50 * 1024 * 1024)  # 50 MB free
    dialog = open_dialog(window)
    dialog.fill_bases()
    choose_base(dialog, base)
    scanned(qtbot, dialog, [write_texts(tmp_path / "texts")])
    refusal = dialog.memory_label.text()
    assert "Not enough memory" in refusal and "0.1 GB is free" in refusal and "needs about" in refusal
    assert not dialog.start_button.isEnabled()
    assert dialog.start() is None and "Not enough memory" in dialog.status_label.text()
    assert window.ctx.queue.idle()
    monkeypatch.setattr(fit, "available_memory", lambda: 64 * 1024**3)
    dialog.fill_bases()  # choosing the base again measures again
    assert "Needs about" in dialog.memory_label.text() and dialog.start_button.isEnabled()


# ---------------------------------------------------------------- the language


def test_every_text_of_the_dialog_is_translated_and_a_live_switch_puts_english_back(
    qtbot: Any, window: Any, tmp_path: Path, install_tiny_lm: Any
) -> None:
    base = install_tiny_lm("gemma3")
    dialog = open_dialog(window)
    dialog.fill_bases()
    choose_base(dialog, base)
    scanned(qtbot, dialog, [write_texts(tmp_path / "texts")])
    english = [t for _, t in dialog_texts(dialog)]
    names = [dialog.base_combo.itemText(i) for i in range(dialog.base_combo.count())]
    with pseudo_language():
        settle()
        assert untranslated(dialog, allowed=names) == []
        assert OPEN in dialog.texts.skipped_label.text() and OPEN in dialog.memory_label.text()
        switched = [t for _, t in dialog_texts(dialog)]
        assert len(switched) == len(english)
        assert sum(1 for a, b in zip(english, switched, strict=True) if a != b) >= 20
    settle()
    assert [t for _, t in dialog_texts(dialog)] == english


def dialog_texts(dialog: LearnStyleDialog) -> list[tuple[Any, str]]:
    from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

    found: list[tuple[Any, str]] = [(dialog, dialog.windowTitle())]
    for w in dialog.findChildren(QLabel) + dialog.findChildren(QPushButton):
        found.append((w, f"{w.text()}|{w.toolTip()}"))
    for w in dialog.findChildren(QLineEdit):
        found.append((w, w.placeholderText()))
    for w in dialog.findChildren(QComboBox):
        found.append((w, "|".join(w.itemText(i) for i in range(w.count()))))
    return found


# ---------------------------------------------------------------- styles on disk: the model list and the Styles tab


def save_style(paths: AppPaths, base_id: str, name: str, words: int = 1234) -> styles.Style:
    """A style as the trainer saves its first epoch (core/models/styles.py begin_epoch_dir + commit_epoch, the same
    calls): a real peft LoRA adapter over the tiny base (peft's own initialisation: lora_B = 0)."""
    import time

    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    from aigc_desktop.core.models.registry import ModelRegistry

    registry = ModelRegistry(paths)
    base = registry.get(base_id)
    folder = styles.reserve_style_folder(paths.models_dir, name)
    temp = styles.begin_epoch_dir(folder, 1)
    model = get_peft_model(
        AutoModelForCausalLM.from_pretrained(base.path),
        LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM"),
    )
    model.save_pretrained(temp)
    (temp / "README.md").unlink(missing_ok=True)  # peft's model card: not part of a style (the trainer writes none)
    now = time.time()
    record = styles.StyleRecord(
        name=name,
        base_model_id=base.id,
        base_name=base.name,
        created=now,
        updated=now,
        words=words,
        tokens=words * 2,
        files=2,
        held_back_tokens=256,
        epochs_done=1,
        epochs_planned=1,
        steps_done=10,
        total_steps=10,
        status=styles.StyleStatus.FINISHED,
        perplexity_before=120.0,
        perplexity_after=80.5,
        adapter_dir=styles.epoch_dir_name(1),
        rank=4,
        alpha=8.0,
        seed=0,
        sources=("one.txt", "two.md"),
    )
    styles.commit_epoch(folder, temp, record)
    return styles.get_style(paths.models_dir, name, registry.entries())


def test_a_style_is_listed_under_your_styles_in_the_document_model_list(
    qtbot: Any, window: Any, paths: AppPaths, install_tiny_lm: Any
) -> None:
    base = install_tiny_lm("gemma3")
    save_style(paths, base, "lanternwise")
    window.document_pane.refresh_models()
    selector = window.document_pane.model_selector
    row = selector.findData("styles/lanternwise")
    assert row >= 0
    label = selector.itemText(row)
    assert "gemma3 · lanternwise" in label, label
    heading = selector.itemText(row - 1)
    assert heading == "Your styles" and not selector.model().item(row - 1).isEnabled()
    assert selector.findData(base) < row  # the base itself stays among the installed models, above
    assert "styles/lanternwise" in selector.itemData(row, 3)  # Qt.ToolTipRole
    with pseudo_language():
        settle()
        assert OPEN in selector.itemText(row - 1)  # the heading is the app's words; the style's name is not


def test_the_styles_tab_renames_exports_imports_and_removes(
    qtbot: Any, window: Any, paths: AppPaths, tmp_path: Path, install_tiny_lm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = install_tiny_lm("gemma3")
    save_style(paths, base, "lanternwise", words=4321)
    models = window.open_models_window()
    tab = models.styles_tab
    models.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 0).text() == "lanternwise"
    assert tab.table.item(0, 2).text() in ("4321 words", "4321 word(s)")
    assert tab.table.item(0, 4).text() == "120.0 → 80.5"
    assert "written with style lanternwise, trained on 4321 words of your texts" in tab.table.item(0, 0).toolTip()
    assert not tab.rename_button.isEnabled()
    tab.select("lanternwise")
    assert tab.rename_button.isEnabled() and tab.export_button.isEnabled() and tab.remove_button.isEnabled()
    window.ctx.settings.set_default_model("document", "styles/lanternwise")

    # Rename: a bad name is refused on the status line; a good one moves the style, the default follows it.
    assert tab.rename_selected("a/b") is False and "path separators" in tab.status.text()
    with qtbot.waitSignal(models.models_changed):
        assert tab.rename_selected("harbour voice")
    assert (paths.models_dir / "styles" / "harbour voice").is_dir()
    assert not (paths.models_dir / "styles" / "lanternwise").exists()
    assert window.ctx.settings.values.default_models["document"] == "styles/harbour voice"
    assert window.document_pane.model_selector.findData("styles/harbour voice") >= 0
    assert window.document_pane.model_selector.findData("styles/lanternwise") < 0
    assert "Renamed “lanternwise” to “harbour voice”." in tab.status.text()

    # Export: one small file; the suffix is added.
    written = tab.export_selected(tmp_path / "out" / "harbour")
    assert written is None and "Could not export" in tab.status.text()  # no such folder: said, nothing written
    (tmp_path / "out").mkdir()
    written = tab.export_selected(tmp_path / "out" / "harbour")
    assert written == tmp_path / "out" / "harbour.aigcstyle" and written.is_file()
    assert written.stat().st_size < 1024 * 1024 and "Exported" in tab.status.text()

    # Import it back: the name is taken (refused), then free once the original is removed.
    assert tab.import_file(written) is False and "already exists" in tab.status.text()
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) is None and False)
    assert tab.remove_selected() is False and tab.table.rowCount() == 1  # "No": nothing removed
    assert "Your texts are not touched" in asked[0]
    monkeypatch.setattr(tab, "confirm", lambda title, text: True)
    with qtbot.waitSignal(models.models_changed):
        assert tab.remove_selected()
    assert tab.table.rowCount() == 0 and not (paths.models_dir / "styles" / "harbour voice").exists()
    assert "document" not in window.ctx.settings.values.default_models or (
        window.ctx.settings.values.default_models["document"] != "styles/harbour voice"
    )
    assert window.document_pane.model_selector.findData("styles/harbour voice") < 0
    not_a_style = tmp_path / "x.aigcstyle"
    not_a_style.write_bytes(b"not a zip")
    assert tab.import_file(not_a_style) is False and "is not a style file" in tab.status.text()
    assert tab.import_file(written), tab.status.text()
    assert tab.table.rowCount() == 1 and "Imported the style “harbour voice”." in tab.status.text()
    assert window.document_pane.model_selector.findData("styles/harbour voice") >= 0
    # The Installed tab lists it as the user's style; removing it there removes only the style, never the base.
    models.installed_tab.refresh()
    assert models.installed_tab.select("styles/harbour voice")
    monkeypatch.setattr(models.installed_tab, "confirm", lambda title, text: "Its base model stays" in text)
    assert models.installed_tab.remove_selected()
    assert not (paths.models_dir / "styles" / "harbour voice").exists()
    assert window.ctx.registry.get(base).path.is_dir()
    with pseudo_language():
        settle()
        assert untranslated(models, allowed=("gemma3", "transformers", "llama.cpp")) == []


# ---------------------------------------------------------------- a real run on a tiny Gemma 3


def ready_dialog(
    qtbot: Any, window: Any, base: str, texts: Path, name: str = "harbour", epochs: int = 3
) -> LearnStyleDialog:
    dialog = open_dialog(window)
    # A minute's budget, cut at a few epochs, in short blocks: steps stay quick on a busy two-core machine.
    dialog.overrides = {"max_epochs": epochs, "block_tokens": 64, "batch_size": 2, "sample_tokens": 12}
    dialog.fill_bases()
    choose_base(dialog, base)
    dialog.minutes_spin.setValue(1)
    dialog.name_edit.setText(name)
    scanned(qtbot, dialog, [texts])
    assert dialog.start_button.isEnabled(), dialog.status_label.text()
    return dialog


def test_a_run_shows_its_curve_perplexity_and_samples_and_the_style_writes(
    qtbot: Any, window: Any, paths: AppPaths, tmp_path: Path, install_tiny_lm: Any
) -> None:
    base = install_tiny_lm("gemma3")
    dialog = ready_dialog(qtbot, window, base, write_texts(tmp_path / "texts"))
    plans: list[str] = []
    dialog.run.changed.connect(lambda: plans.append(dialog.plan_label.text()))  # after the dialog's own slot
    with qtbot.waitSignal(dialog.run.style_saved, timeout=300_000) as saved:
        job = dialog.start()
        assert job is not None and job.lane == "train"
        assert not dialog.start_button.isEnabled() and dialog.pause_button.isEnabled()
        assert not dialog.name_edit.isEnabled() and not dialog.texts.path_edit.isEnabled()
    assert saved.args == ["styles/harbour"]
    run = dialog.run
    prepared, out = run.prepared, run.output
    assert prepared is not None and out is not None
    # What the texts were, as the trainer counted them.
    count = dialog.texts.count_label.text()
    assert f"{prepared.corpus.tokens} tokens" in count
    assert f"Held back for checking: {prepared.corpus.held_back_tokens} tokens" in dialog.texts.held_back_label.text()
    plan = f"{prepared.total_steps} steps"
    assert any(p.startswith(plan) and "measured on this computer" in p for p in plans), plans
    assert "measured last time" in dialog.plan_label.text()  # after the run: the next one's estimate
    # The curve holds every step; a sample after every epoch, under the held-back opening.
    assert dialog.curves.steps == out.steps == len(run.losses)
    assert set(dialog.curves.series) == {"training"}
    assert len(dialog.samples.samples) == out.epochs == len(run.epochs) >= 1
    assert dialog.samples.opening == run.epochs[0].sample_prompt
    html = dialog.samples.toPlainText()
    assert f"After epoch {out.epochs}:" in html and "The opening (held back, never trained on):" in html
    perplexity = dialog.perplexity_label.text()
    assert perplexity.startswith("Held-back perplexity:") and "before →" in perplexity
    assert "Saved the style “harbour”" in dialog.status_label.text() and "words learned per minute" in (
        dialog.speed_label.text()
    )
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()
    assert dialog.start() is None and "already exists" in dialog.status_label.text()  # the name is taken now
    # After a run every text is still the app's words, translated (the samples are the model's: content).
    names = [dialog.base_combo.itemText(i) for i in range(dialog.base_combo.count())]
    with pseudo_language():
        settle()
        assert untranslated(dialog, allowed=names) == []
        assert OPEN in dialog.perplexity_label.text() and OPEN in dialog.samples.toPlainText()
    settle()
    # In the History, named; in the Document's model list, under its base's name.
    entry = window.session.project.history[-1]
    assert entry.status == "finished" and "Style “harbour”" in entry.summary
    assert entry.metrics["style"] == "styles/harbour"
    selector = window.document_pane.model_selector
    row = selector.findData("styles/harbour")
    assert row >= 0 and "· harbour" in selector.itemText(row)

    # Continue with it: the text is written with the style, and History says so.
    pane = window.document_pane
    selector.setCurrentIndex(row)
    pane.editor.setPlainText("Lanternwise, the keeper")
    cursor = pane.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    pane.editor.setTextCursor(cursor)
    pane.controls.max_new_tokens.setValue(8)
    history = len(window.session.project.history)
    job = pane.continue_writing()
    assert job is not None and job.spec.model_id == "styles/harbour"
    qtbot.waitUntil(lambda: len(window.session.project.history) > history, timeout=120_000)
    written = window.session.project.history[-1]
    assert written.status == "finished", written
    assert written.metrics["style"] == "harbour" and written.metrics["style_words"] == prepared.corpus.words
    from aigc_desktop.ui.history_panel import spec_lines

    note = f"written with style harbour, trained on {prepared.corpus.words} words of your texts"
    assert any(note in line for line in spec_lines(written))
    pane.side.setCurrentIndex(pane.side.count() - 1)
    assert note in pane.history_tab.history.item(0).text()


def test_pause_resume_stop_and_closing_the_dialog_mid_run_asks(
    qtbot: Any, window: Any, paths: AppPaths, tmp_path: Path, install_tiny_lm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = install_tiny_lm("gemma3")
    dialog = ready_dialog(qtbot, window, base, write_texts(tmp_path / "texts"), name="long run", epochs=20)
    job = dialog.start()
    assert job is not None
    run = dialog.run
    qtbot.waitUntil(lambda: run.progress is not None, timeout=120_000)

    dialog.pause_button.click()
    assert job.pause.paused and dialog.resume_button.isEnabled() and not dialog.pause_button.isEnabled()
    assert dialog.status_label.text().startswith("Paused")
    qtbot.wait(400)
    steps = dialog.curves.steps
    qtbot.wait(600)
    assert dialog.curves.steps == steps
    dialog.resume_button.click()
    assert not job.pause.paused and dialog.pause_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.curves.steps > steps, timeout=60_000)

    # Closing asks (the question's texts and buttons; its answers given here): "Cancel" keeps the dialog open, "Go on
    # in the background" hides it while the run goes on, "Stop learning" stops and keeps the last saved epoch.
    box = dialog.close_box()
    assert "“long run” is still learning" in box.text() and "last saved epoch is kept" in box.text()
    buttons = {b.objectName(): b.text() for b in box.buttons()}
    assert buttons["closeStop"] == "Stop learning" and buttons["closeKeep"] == "Go on in the background"
    assert "closeCancel" in buttons
    box.deleteLater()
    answers = iter(["cancel", "keep", "stop"])
    asked: list[str] = []

    def answer() -> str:
        asked.append("asked")
        return next(answers)

    monkeypatch.setattr(dialog, "ask_on_close", answer)
    dialog.close()
    assert dialog.isVisible() and run.running
    dialog.close()
    assert not dialog.isVisible() and run.running
    assert open_dialog(window) is dialog  # Tools ▸ Learn my style… shows the same run
    qtbot.waitUntil(lambda: run.saved_epoch is not None, timeout=180_000)
    with qtbot.waitSignal(run.style_saved, timeout=60_000) as saved:
        dialog.close()
    assert asked == ["asked"] * 3
    assert saved.args == ["styles/long run"]
    last = run.saved_epoch
    assert last is not None and not run.running
    assert f"Stopped. The style as of epoch {last.epoch} is saved" in dialog.status_label.text()
    assert window.session.project.history[-1].status == "cancelled"
    assert window.document_pane.model_selector.findData("styles/long run") >= 0
    # It stopped before its plan was done: the dialog offers to go on with it.
    dialog = open_dialog(window)
    assert dialog.continue_button.isVisibleTo(dialog) and "“long run” stopped after epoch" in (
        dialog.interrupted_label.text()
    )


def test_a_restart_after_the_app_was_killed_offers_to_resume(
    qtbot: Any, window: Any, paths: AppPaths, tmp_path: Path, install_tiny_lm: Any
) -> None:
    from dataclasses import replace

    base = install_tiny_lm("gemma3")
    dialog = ready_dialog(qtbot, window, base, write_texts(tmp_path / "texts"), name="cut off", epochs=20)
    dialog.start()
    run = dialog.run
    qtbot.waitUntil(lambda: run.saved_epoch is not None, timeout=180_000)
    with qtbot.waitSignal(run.style_saved, timeout=60_000):
        run.stop()
    # What a killed app leaves: the record still says "training" (a Stop writes "stopped"; the kill never does).
    folder = paths.models_dir / "styles" / "cut off"
    record = styles.read_record(folder)
    assert record is not None
    styles.write_record(folder, replace(record, status=styles.StyleStatus.TRAINING))
    done = record.epochs_done

    box = window.offer_interrupted_styles()
    assert box is not None and box.objectName() == "styleResumeOffer"
    assert f"“cut off” was cut off after epoch {done} of" in box.text()
    with qtbot.waitSignal(run.epoch_saved, timeout=180_000) as next_epoch:
        box.button(QMessageBox.StandardButton.Yes).click()
        assert run.running and run.job is not None and run.job.spec.inputs["resume"] is True
    assert next_epoch.args[0].epoch == done + 1  # it went on from where it was cut off
    with qtbot.waitSignal(run.style_saved, timeout=60_000):
        run.stop()
    # Nothing to offer when nothing was cut off.
    assert window.offer_interrupted_styles() is None


def test_the_document_counts_a_styles_memory_as_its_base_plus_its_adapter(
    qtbot: Any, home_with_gemma_gguf: Any, window: Any, paths: AppPaths
) -> None:
    """A style runs its whole base model with a small adapter over it: the Settings tab's memory line says the base's
    megabytes plus the adapter's (issue #17), read from the base's GGUF header, not the adapter file's size alone."""
    from aigc_desktop.core.models import embedded

    base = window.ctx.registry.get(embedded.GEMMA_ID)
    style = save_style_over(paths, base, "lanternwise", adapter_mib=3)
    window.document_pane.refresh_models()
    selector = window.document_pane.model_selector
    selector.setCurrentIndex(selector.findData(style.record.model_id))
    assert window.document_pane.model_selector.current_model_id() == "styles/lanternwise"
    text = window.document_pane.controls.context_cost.text()
    expected = round((base.size_bytes + 3 * 1024**2) / 1024**2)
    assert f"{expected:,} MB model" in text, text
    assert "per token is not known" not in text  # the base's header tells the cost of each token of context
    # The base alone: 3 MB less.
    selector.setCurrentIndex(selector.findData(base.id))
    text = window.document_pane.controls.context_cost.text()
    assert f"{round(base.size_bytes / 1024**2):,} MB model" in text, text


def save_style_over(paths: AppPaths, base: Any, name: str, adapter_mib: int) -> styles.Style:
    """A style over a GGUF base as the trainer saves it (begin_epoch_dir + commit_epoch), its GGUF LoRA `adapter_mib`
    MiB (the Document pane only measures it; nothing loads it here) and a peft copy beside it."""
    folder = styles.reserve_style_folder(paths.models_dir, name)
    temp = styles.begin_epoch_dir(folder, 1)
    (temp / styles.GGUF_ADAPTER_FILE).write_bytes(b"\0" * (adapter_mib * 1024**2))
    (temp / styles.PEFT_WEIGHTS_FILE).write_bytes(b"\0" * (2 * adapter_mib * 1024**2))
    (temp / styles.PEFT_CONFIG_FILE).write_text("{}", encoding="utf-8")
    record = styles.StyleRecord(
        name=name,
        base_model_id=base.id,
        base_name=base.name,
        created=1.0,
        updated=1.0,
        words=1234,
        tokens=2000,
        files=1,
        held_back_tokens=128,
        epochs_done=1,
        epochs_planned=1,
        steps_done=4,
        total_steps=4,
        status=styles.StyleStatus.FINISHED,
        perplexity_before=40.0,
        perplexity_after=20.0,
        adapter_dir=styles.epoch_dir_name(1),
        rank=8,
        alpha=16,
        seed=0,
    )
    styles.commit_epoch(folder, temp, record)
    return styles.get_style(paths.models_dir, name)


def test_the_styles_tab_refuses_to_rename_or_remove_a_style_being_trained(
    qtbot: Any, window: Any, paths: AppPaths, tmp_path: Path, install_tiny_lm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rename/Remove while a Learn-my-style job for that style waits on the queue, or while a run trains it (its
    trainer's lock: here another process, as `aigc learn-style` would be): the status line says why and nothing is
    asked or changed (issue #17). The Installed tab's Remove is refused the same way."""
    from lock_holder import hold_in_child, kill

    from aigc_desktop.core.train.style_job import StyleParams, learn_style_spec

    base = install_tiny_lm("gemma3")
    save_style(paths, base, "lanternwise")
    models = window.open_models_window()
    tab = models.styles_tab
    tab.select("lanternwise")
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) is None)

    # A job on the queue for this style (a resume of it). The GUI thread has not heard of its start yet (no events
    # processed), so from the window's side it waits; it ends on its own (an unfinished style cannot be resumed).
    spec = learn_style_spec(name="lanternwise", base="", resume=True, params=StyleParams(steps=1))
    job = window.ctx.queue.submit(spec, title="learn")
    assert tab.rename_selected("harbour") is False
    assert tab.status.text() == (
        "The style “lanternwise” is waiting to be trained: rename it after its training stops."
    )
    assert tab.remove_selected() is False and asked == []
    assert "waiting to be trained: remove it after its training stops" in tab.status.text()
    qtbot.waitUntil(lambda: job.done, timeout=60_000)

    child = hold_in_child(styles.training_lock_path(paths.models_dir, "lanternwise"))
    try:
        assert tab.rename_selected("harbour") is False
        assert tab.status.text() == (
            "The style “lanternwise” is being trained right now: rename it after its training stops."
        )
        assert tab.remove_selected() is False and asked == []
        assert "being trained right now: remove it" in tab.status.text()
        models.installed_tab.refresh()
        assert models.installed_tab.select("styles/lanternwise")
        monkeypatch.setattr(models.installed_tab, "confirm", lambda title, text: asked.append(text) is None)
        assert models.installed_tab.remove_selected() is False and asked == []
        assert "being trained right now: remove it" in models.installed_tab.status.text()
        with pseudo_language():
            tab.retranslate()
            assert tab.rename_selected("harbour") is False
            assert tab.status.text().startswith(OPEN)
    finally:
        kill(child)
    assert (paths.models_dir / "styles" / "lanternwise").is_dir()
    assert tab.rename_selected("harbour")
    assert tab.remove_selected() and asked and not (paths.models_dir / "styles" / "harbour").exists()
