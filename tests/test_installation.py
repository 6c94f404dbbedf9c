"""Help ▸ About (version + THIRD_PARTY_NOTICES) and Help ▸ Repair installation (ui/installation.py): the repair
starts the real launcher command the app was given (here a script that records its arguments) and closes the app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from i18n_sweep import pseudo_language, untranslated
from PySide6.QtWidgets import QMessageBox

from aigc_desktop import __version__
from aigc_desktop.ui import installation


@pytest.fixture
def launcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """AIGC_LAUNCHER as installer/launcher.py sets it, pointing at a stand-in that writes down how it was called."""
    record = tmp_path / "launcher-args.txt"
    script = tmp_path / "launcher.py"
    script.write_text(f"import sys\nopen({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\n")
    monkeypatch.setenv(installation.LAUNCHER_ENV, f"{sys.executable} {script}")
    return record


def test_about_shows_the_version_and_the_licences(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.menus.about.trigger()
    dialog = window.findChild(installation.AboutDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.version.text() == f"AIGC Desktop {__version__}"
    notices = dialog.notices.toPlainText()
    for needle in ("piper-tts", "GPL-3.0", "llama-cpp-python", "llama.cpp", "MIT", "torch", "Gemma"):
        assert needle in notices, needle
    with pseudo_language():
        assert untranslated(dialog, content=[dialog.notices]) == []
    dialog.close()


def test_repair_is_hidden_in_a_source_checkout(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert not window.menus.repair.isVisible()
    monkeypatch.delenv(installation.LAUNCHER_ENV, raising=False)
    assert installation.repair_installation(window) is False and window.isVisible()


def test_repair_starts_the_launcher_and_closes_the_app(qtbot, launcher, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert window.menus.repair.isVisible() and window.menus.repair.text() == "&Repair installation…"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.menus.repair.trigger()
    # The launcher runs as its own process: its file exists a moment before its words are written.
    qtbot.waitUntil(lambda: launcher.exists() and launcher.read_text() == "--repair", timeout=60_000)
    assert not window.isVisible()


def test_repair_declined_changes_nothing(qtbot, launcher, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert installation.repair_installation(window) is False
    assert window.isVisible() and not launcher.exists()


@pytest.mark.parametrize(
    ("answer", "removes"), [(QMessageBox.StandardButton.Yes, True), (QMessageBox.StandardButton.No, False)]
)
def test_uninstall_question_about_models(qapp, tmp_path: Path, monkeypatch, answer, removes) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: (asked.append(text), answer)[1])
    assert installation.ask_remove_models(tmp_path / "models") is removes
    assert asked == [f"Also delete the downloaded models in {tmp_path / 'models'}? Your projects are kept either way."]
