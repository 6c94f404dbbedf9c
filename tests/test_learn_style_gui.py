"""Tools ▸ Learn my style… in the real window (issue #17): the texts scanned and described (words, skipped files with
their reasons, the held-back slice), a corpus too small said plainly, a base that does not fit in memory refused
before starting with the numbers, a real LoRA run on a tiny Gemma 3 (live loss curve, held-back perplexity, a sample
after each epoch, Pause / Resume / Stop, closing asks), the style in the Document's model list and a Continue with
it, its provenance in the History, and the Styles tab (rename, remove, export, import)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from i18n_sweep import OPEN, pseudo_language, untranslated
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
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


def test_the_dialog_says_what_it_found_in_the_texts(qtbot: Any, window: Any, tmp_path: Path, install_tiny_lm: Any) -> None:
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
    assert all(can_train(window.ctx.registry.get(dialog.base_combo.itemData(i))) for i in range(dialog.base_combo.count()))
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
