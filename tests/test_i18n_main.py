"""The window's shell in two languages (issue #12): View ▸ Language switches live and is remembered, the first start
follows the system locale, Qt's own dialogs follow, nothing in the menus, tabs, status bar, History dock and the
window's dialogs escapes translation, a switch there and back restores every text, and Han is drawn in a
Simplified-Chinese face."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from i18n_sweep import OPEN, _visible_texts, pseudo_language, untranslated
from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtGui import QFont, QFontDatabase, QTextLayout
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import HistoryEntry, HistoryStatus
from aigc_desktop.core.project.recovery import RecoveryInfo
from aigc_desktop.core.settings import Settings
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.ui import units
from aigc_desktop.ui.dialogs import save_changes_box, show_error
from aigc_desktop.ui.fonts import SIMPLIFIED_CHINESE_FACES, use_chinese_faces
from aigc_desktop.ui.history_panel import entry_line, spec_lines
from aigc_desktop.ui.i18n import (
    CHINESE,
    ENGLISH,
    LANGUAGES,
    TRANSLATIONS_DIR,
    apply_language,
    current_language,
    system_language,
)
from aigc_desktop.ui.main_window import MainWindow
from aigc_desktop.ui.recovery_dialog import RecoveryDialog

REPO = Path(__file__).resolve().parent.parent
# Rightly not translated: each language is listed by its own name in View ▸ Language.
LANGUAGE_NAMES = list(LANGUAGES.values())


def settle() -> None:
    """Deliver the LanguageChange events Qt posted when a translator came or went."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def all_texts(root: QWidget) -> dict[str, str]:
    """Every visible text of `root`, its children and their menus, by where it is (the sweep's own walk)."""
    texts: dict[str, str] = {}
    widgets = [root, *root.findChildren(QWidget)]
    seen: set[int] = set()
    while widgets:
        widget = widgets.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        for where, text in _visible_texts(widget):
            texts[f"{where}@{id(widget)}"] = text
        widgets += [a.menu() for a in widget.actions() if isinstance(a.menu(), QMenu)]
    return texts


def history_entry(kind: JobKind = JobKind.IMAGE, summary: str = "a lighthouse") -> HistoryEntry:
    spec = JobSpec(kind=kind, model_id="tiny-sd", inputs={"prompt": "灯塔 at dusk"}, params={"steps": 4}, seed=7)
    return HistoryEntry(spec=spec, status=HistoryStatus.FINISHED, started_at=time.time(), seconds=75.4, summary=summary)


def recovery_infos(tmp_path: Path) -> list[RecoveryInfo]:
    good = RecoveryInfo(
        project_id="a",
        name="novel",
        original_path=None,
        saved_at=time.time(),
        pid=0,
        counts={"words": 8, "layers": 1, "clips": 2, "history": 0},
        copy_path=tmp_path / "a.aigc",
        sidecar_path=tmp_path / "a.json",
    )
    damaged = RecoveryInfo(
        project_id="b",
        name="Untitled",
        original_path=tmp_path / "old.aigc",
        saved_at=0.0,
        pid=0,
        copy_path=tmp_path / "b.aigc",
        sidecar_path=tmp_path / "b.json",
        problem=QT_TRANSLATE_NOOP("Recovery", "it is not a project file"),
    )
    return [good, damaged]


@pytest.fixture
def chinese() -> Iterator[None]:
    """The Chinese interface for one test (the autouse fixture puts English back for the next)."""
    assert (TRANSLATIONS_DIR / "aigc_desktop_zh_CN.qm").exists(), "run `python installer/translations.py release`"
    assert apply_language(CHINESE)
    settle()
    yield
    apply_language(ENGLISH)
    settle()


# ---------------------------------------------------------------- the language switch


def test_view_language_lists_each_language_by_its_own_name_and_switches_live_keeping_what_was_typed(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    menu = window.menus.language_menu
    assert [a.text() for a in menu.actions()] == ["简体中文", "English"]
    assert all(a.isCheckable() for a in menu.actions()) and window.menus.language_group.isExclusive()
    assert window.menus.language_actions[ENGLISH].isChecked()
    window.document_pane.editor.setPlainText("Once upon a time 从前")
    prompt = window.canvas_pane.image_panel.prompt
    prompt.setPlainText("a lighthouse 灯塔")
    window.show_pane(window.canvas_pane)
    file_menu = window.menus.file_menu

    window.menus.language_actions[CHINESE].trigger()
    assert window.ctx.settings.values.language == CHINESE and current_language() == CHINESE
    assert Settings.load(window.ctx.paths).language == CHINESE  # remembered for the next start
    tabs = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["文档", "画布", "音频", "故事"]
    assert file_menu.title() == "文件(&F)" and window.action_undo.text() == "撤销(&U)"
    assert window.queue_status.label.text() == "空闲" and window.history_panel.windowTitle() == "历史记录"
    assert window.windowTitle().startswith("未命名*")
    assert window.menus.language_actions[CHINESE].isChecked()
    assert not window.menus.language_actions[ENGLISH].isChecked()
    assert QLocale().name() == "zh_CN"
    # Nothing typed is lost, nothing is rebuilt: same widgets, same text, same pane in front.
    assert window.document_pane.editor.toPlainText() == "Once upon a time 从前"
    assert prompt.toPlainText() == "a lighthouse 灯塔" and window.current_pane() is window.canvas_pane

    window.menus.language_actions[ENGLISH].trigger()
    assert current_language() == ENGLISH and window.ctx.settings.values.language == ENGLISH
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Document", "Canvas", "Audio", "Story"]
    assert file_menu.title() == "&File" and window.queue_status.label.text() == "Idle"
    assert window.document_pane.editor.toPlainText() == "Once upon a time 从前"


def test_the_window_starts_in_the_remembered_language_through_the_setting(window: MainWindow) -> None:
    window.ctx.settings.set("language", CHINESE)
    assert window.tabs.tabText(0) == "文档"
    window.ctx.settings.set("language", "")  # "" follows the system's locale
    assert current_language() == system_language()
    window.ctx.settings.set("language", ENGLISH)
    assert window.tabs.tabText(0) == "Document"


def test_first_start_follows_a_chinese_system_locale(tmp_path: Path) -> None:
    """main.py as a user on a Chinese system starts it for the first time: no setting yet, LANG says zh_CN."""
    assert (TRANSLATIONS_DIR / "aigc_desktop_zh_CN.qm").exists(), "run `python installer/translations.py release`"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        LANG="zh_CN.UTF-8",
        LC_ALL="zh_CN.UTF-8",
        LANGUAGE="zh_CN",
        AIGC_DESKTOP_HOME=str(tmp_path / "fresh-home"),
    )
    out = subprocess.run(
        [sys.executable, "main.py", "--smoke"], capture_output=True, text=True, timeout=120, env=env, cwd=REPO
    )
    assert out.returncode == 0, out.stderr
    (line,) = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    report = json.loads(line)
    assert report["language"] == CHINESE and report["first_tab"] == "文档"


def test_every_test_starts_in_english() -> None:
    """The autouse fixture (conftest.py): whatever an earlier test chose, this one reads English."""
    assert current_language() == ENGLISH and QLocale().language() == QLocale.Language.English
    assert QMessageBox.tr("Save") == "Save" and units.format_duration(75) == "1 min 15 s"


def test_qt_own_dialog_buttons_follow_the_language(qapp) -> None:  # type: ignore[no-untyped-def]
    box = QMessageBox(
        QMessageBox.Icon.Question, "t", "q", QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel
    )
    assert {box.button(b).text().replace("&", "") for b in (box.StandardButton.Save, box.StandardButton.Cancel)} == {
        "Save",
        "Cancel",
    }
    apply_language(CHINESE)  # qtbase_zh_CN.qm from PySide6's own translations folder
    try:
        box = QMessageBox(
            QMessageBox.Icon.Question, "t", "q", QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel
        )
        save, cancel = (box.button(b).text() for b in (box.StandardButton.Save, box.StandardButton.Cancel))
        assert "保存" in save and "取消" in cancel
    finally:
        apply_language(ENGLISH)


# ---------------------------------------------------------------- nothing escapes translation


def test_pseudo_language_sweep_of_the_window_its_dock_and_its_dialogs(
    window: MainWindow, tmp_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window.session.project.history.append(history_entry())
    window.session.history_changed.emit()
    window.history_panel.show()
    window.history_panel.list.setCurrentRow(0)
    window.session.mark_edited()
    panes = window.panes()
    recovery = RecoveryDialog(recovery_infos(tmp_path), window)
    recovery.show()
    with pseudo_language():
        settle()
        # Others' panes are their own sweep; the pane base's model label, pickers and drag handles are this one's.
        # (The Audio pane names its label "Voice:" itself: its own share.)
        labels = [p.model_label for p in panes if p is not window.audio_pane]
        shell_parts = labels + [p.model_selector for p in panes]
        handles = [window.drag_out.canvas_handle, window.drag_out.document_handle]
        # A pane's popup menus are windows of their own: listed with the panes (QWidget.isAncestorOf stops there).
        pane_menus = [m for p in panes for m in p.findChildren(QMenu)]
        assert untranslated(window, allowed=LANGUAGE_NAMES, content=[*panes, *pane_menus]) == []
        for part in [*shell_parts, *handles]:
            assert untranslated(part) == [], part.objectName()
        assert untranslated(recovery, allowed=["novel", "unknown-path"]) == []
        assert all(OPEN in recovery.list.headerItem().text(c) for c in range(4))
        row = recovery.list.topLevelItem(0)
        assert row is not None and OPEN in row.text(3) and OPEN in recovery.list.topLevelItem(1).text(0)
        # Message boxes are built when needed (in the language of that moment), and live only while shown.
        message = QT_TRANSLATE_NOOP("ProjectStore", "the disk is full")
        error = show_error(
            window, QT_TRANSLATE_NOOP("MainWindow", "Could not save"), UserError(message).message, Path("/l")
        )
        save_box = save_changes_box(window, window.session.project.name)
        assert untranslated(error) == [] and OPEN in error.text() and OPEN in error.informativeText()
        assert untranslated(save_box) == []
        assert OPEN in window.history_panel.spec_view.toPlainText().splitlines()[0]
        assert OPEN in window.history_panel.list.item(0).text()
        assert OPEN in window.queue_status.stop.toolTip()
    recovery.close()
    error.close()
    save_box.deleteLater()


def test_english_to_pseudo_and_back_restores_every_text_of_the_window(window: MainWindow, tmp_path: Path) -> None:
    window.session.project.history.append(history_entry(summary=""))
    window.session.history_changed.emit()
    window.history_panel.show()
    window.history_panel.list.setCurrentRow(0)
    recovery = RecoveryDialog(recovery_infos(tmp_path), window)
    before = all_texts(window)
    recovery_before = all_texts(recovery)
    spec_before = window.history_panel.spec_view.toPlainText()
    with pseudo_language():
        settle()
        during = all_texts(window)
        assert window.history_panel.spec_view.toPlainText() != spec_before
    settle()
    assert sum(during[k] != v for k, v in before.items() if k in during) > 50  # the switch reached the window
    assert all_texts(window) == before
    assert all_texts(recovery) == recovery_before
    assert window.history_panel.spec_view.toPlainText() == spec_before
    recovery.close()


# ---------------------------------------------------------------- Chinese as it reads


def test_the_shell_in_chinese_counts_times_and_units(window: MainWindow, tmp_path: Path, chinese: None) -> None:
    recovery = RecoveryDialog(recovery_infos(tmp_path), window)
    first, second = (recovery.list.topLevelItem(i) for i in range(2))
    assert first is not None and second is not None
    assert first.text(3) == "8 字，1 个图层，2 个片段，0 次生成" and first.text(1) == "从未保存"
    assert second.text(0) == "未命名" and second.text(2) == "未知" and second.text(3) == "已损坏：不是项目文件"
    assert recovery.windowTitle() == "恢复未保存的作品" and recovery.restore_button.text() == "恢复(&R)"
    entry = history_entry()
    assert "1 分 15 秒" in entry_line(entry) and "已完成" in entry_line(entry)
    assert "种子：7" in spec_lines(entry) and "参数 steps：4" in spec_lines(entry)
    assert units.format_duration(0.74, tenths=True) == "0.7 秒" and units.format_bytes(5 * 1024**2) == "5.0 MB"
    assert window.canvas_pane.model_selector.currentText() == "未安装图像模型"
    recovery.close()


def test_english_texts_are_what_they_were(window: MainWindow, tmp_path: Path) -> None:
    """The English interface reads as before the strings were marked (plural forms from the English catalogue)."""
    recovery = RecoveryDialog(recovery_infos(tmp_path), window)
    first = recovery.list.topLevelItem(0)
    assert first is not None and first.text(3) == "8 words, 1 layer, 2 clips, 0 generations"
    entry = history_entry()
    assert entry_line(entry).split(" · ")[2:] == ["finished", "1 min 15 s\na lighthouse"]
    assert "seed: 7" in spec_lines(entry) and "param steps: 4" in spec_lines(entry)
    assert units.format_bytes(512) == "512 B" and units.format_bytes(1.5 * 1024**3) == "1.5 GB"
    recovery.close()


# ---------------------------------------------------------------- fonts


def han_families(font: QFont, text: str = "简体中文设置直角骨") -> set[str]:
    """The faces Qt really draws `text` with in `font` (fallback included)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def test_han_is_drawn_with_a_simplified_chinese_face_never_a_japanese_one(qapp: QApplication) -> None:
    before = qapp.font()
    try:
        faces = use_chinese_faces(qapp)
        assert faces and faces[0] in SIMPLIFIED_CHINESE_FACES  # fonts-noto-cjk is installed here
        for font in (qapp.font(), QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont), QFont(before.family())):
            used = han_families(font)
            assert used and all(f.lower() in {x.lower() for x in SIMPLIFIED_CHINESE_FACES} for f in used), used
            assert not any(" JP" in f or " KR" in f for f in used)
        latin = han_families(qapp.font(), "Save")
        assert latin and not any("CJK" in f for f in latin)  # Latin keeps the system's UI face
    finally:
        qapp.setFont(before)
