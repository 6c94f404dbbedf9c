"""The Audio pane in another language (issue #12): every visible text goes through the translator (the pseudo language
wraps each one in ⟦…⟧), a switch there and back restores the English texts exactly, the undo steps and the app's own
clip names follow the language, numbers follow QLocale, and Chinese typed through an input method reaches the text
box. Real window, queue and worker; fake engines stand in for Piper and MusicGen."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from fakes import FakeSpeechEngine
from i18n_sweep import OPEN, _visible_texts, pseudo_language, untranslated
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from aigc_desktop.core.audio.job import SpeechParams, speech_spec
from aigc_desktop.core.engines import base
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Clip
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.state.audio import clip_name
from aigc_desktop.ui.audio.pane import AudioPane
from aigc_desktop.ui.main_window import MainWindow

NO_DEVICE = QT_TRANSLATE_NOOP("AudioPlayback", "Playback is off: no sound output device was found. Export still works.")


@pytest.fixture(autouse=True)
def fake_audio_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.SPEECH, "piper"), "fakes:FakeSpeechEngine")
    monkeypatch.setitem(base.ENGINE_CLASSES, (ModelKind.MUSIC, "transformers"), "fakes:FakeMusicEngine")
    monkeypatch.setattr(FakeSpeechEngine, "delay", 0.0)
    monkeypatch.setattr(FakeSpeechEngine, "fail_after", None)
    monkeypatch.setattr(FakeSpeechEngine, "hold", None)
    yield


def audio(window: MainWindow) -> AudioPane:
    window.show_pane(window.audio_pane)
    return window.audio_pane


def settle() -> None:
    QApplication.processEvents()  # the LanguageChange events the translator's (un)installing posts


def wait_idle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.ctx.queue.idle() and not window.audio_model.running, timeout=20_000)


def tone(seconds: float = 2.0, rate: int = 22050, channels: int = 1) -> np.ndarray:
    t = np.arange(int(seconds * rate), dtype=np.float32) / rate
    mono = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    return mono if channels == 1 else np.stack([mono] * channels, axis=1)


def content(pane: AudioPane) -> list[QWidget]:
    """What the sweep leaves alone: the clip list (the user's clip names) and the voice and music model pickers
    (model names, and ui/model_selector.py, which has its own sweep)."""
    return [pane.clip_list, pane.model_selector, pane.music.model]


def sweep(pane: AudioPane) -> list[str]:
    return untranslated(pane, content=content(pane))


def texts(root: QWidget) -> list[tuple[str, str]]:
    """Every text a user can see or hover under `root`, with where it is; the clip rows and the undo steps too."""
    pane = root if isinstance(root, AudioPane) else None
    found = [(w, t) for child in [root, *root.findChildren(QWidget)] for w, t in _visible_texts(child)]
    if pane is not None:
        found += [(f"clip row {i}", pane.clip_list.item(i).text()) for i in range(pane.clip_list.count())]
        stack = pane.model.undo_stack
        found += [(f"undo step {i}", stack.command(i).text()) for i in range(stack.count())]
    return found


def test_every_audio_pane_text_is_translated(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Both tabs, with no clip, with a clip selected and with none selected, the playback note and a status line."""
    pane = audio(window)
    with pseudo_language():
        settle()
        assert sweep(pane) == []  # no clips yet
        assert pane.info.text() == "⟦No clips yet: generate, import or drop audio⟧"
        pane.model.add_clip(Clip("tone", tone(), 22050))
        pane.model.add_clip(Clip("stereo", tone(1.0, 44100, 2), 44100))
        pane.model.playback.stream_failed.emit(NO_DEVICE)  # the note a narration that cannot play shows
        assert pane.playback_note.isVisible() and pane.playback_note.text().startswith(OPEN)
        for tab in (pane.speech, pane.music):
            pane.side.setCurrentWidget(tab)
            assert sweep(pane) == [], tab
        assert pane.info.text() == "stereo · ⟦1.00 s⟧ · ⟦44100 Hz⟧ · ⟦2 channels⟧"
        pane.model.set_current(None)
        assert pane.info.text() == "⟦No clip selected⟧"
        assert sweep(pane) == []
        # A narration: its title, its status line and the clip's info are translated too.
        pane.speech.text.setPlainText("One. Two.")
        job = pane.generate_speech()
        assert job is not None and job.title == "Narration"
        wait_idle(qtbot, window)
        assert pane.info.text().startswith("⟦⟦Narration⟧: ") and "s of audio in" in pane.info.text()
        assert sweep(pane) == []
        # Refusals are shown translated.
        pane.speech.text.setPlainText("")
        assert pane.generate_speech() is None
        boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
        assert [(b.windowTitle(), b.text()) for b in boxes] == [
            ("⟦Cannot narrate⟧", "⟦Type or pick some text to narrate first.⟧")
        ]
        for box in boxes:
            box.close()
    settle()


def test_the_sweep_sees_the_pane_texts_in_english(window: MainWindow) -> None:
    """The sweep above means something: without the pseudo language it finds the pane's texts."""
    pane = audio(window)
    found = " | ".join(sweep(pane))
    for text in ("Voice:", "Import…", "Trim to selection", "Speech", "Music", "Narrate selection", "Play while"):
        assert text in found, text


def test_switching_language_and_back_restores_every_text(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = audio(window)
    pane.model.add_clip(Clip("tone", tone(), 22050))
    pane.model.fade_in(pane.model.require_clip(), 0.5)
    pane.model.rename_clip(pane.model.require_clip(), "Opening")
    pane.model.playback.stream_failed.emit(NO_DEVICE)
    pane.side.setCurrentWidget(pane.music)
    settle()
    english = texts(pane)
    assert ("undo step 1", "Fade in tone") in english and ("undo step 2", "Rename clip tone") in english
    assert any(t == "Voice:" for _, t in english) and any(t == "Music" for _, t in english)
    with pseudo_language():
        settle()
        switched = texts(pane)
        assert switched != english
        assert ("undo step 1", "⟦Fade in tone⟧") in switched
        assert any(t == "⟦Voice:⟧" for _, t in switched)
    settle()
    assert texts(pane) == english


def test_undo_steps_are_named_in_the_current_language(window: MainWindow) -> None:
    pane = audio(window)
    model = pane.model
    with pseudo_language():
        settle()
        model.add_clip(Clip("tone", tone(), 22050))
        clip = model.require_clip()
        model.trim(clip, 0.1, 1.5)
        model.fade_out(clip, 0.2)
        model.apply_gain(clip, 3.0)
        model.normalise(clip)
        model.rename_clip(clip, "Intro")
        model.delete_clip(clip)
        stack = model.undo_stack
        assert [stack.command(i).text() for i in range(stack.count())] == [
            "⟦Add clip tone⟧",
            "⟦Trim tone⟧",
            "⟦Fade out tone⟧",
            "⟦Gain tone⟧",
            "⟦Normalise tone⟧",
            "⟦Rename clip tone⟧",
            "⟦Delete clip Intro⟧",
        ]
        assert stack.undoText() == "⟦Delete clip Intro⟧"
    settle()
    assert stack.undoText() == "Delete clip Intro"  # back in English with the language


def test_clip_names_the_app_gives_follow_the_language() -> None:
    spec = speech_spec("voice", "", SpeechParams())
    assert clip_name(spec) == "Narration"
    with pseudo_language():
        assert clip_name(spec) == "⟦Narration⟧"
    # A narration is named by its first words; Chinese, written without spaces, by its first characters.
    assert clip_name(speech_spec("voice", "The lighthouse keeper opened the door slowly.", SpeechParams())) == (
        "The lighthouse keeper opened the"
    )
    long_chinese = "灯笼在风中摇晃，她想起了祖父说过的话：光不是为了看见，而是为了被看见。"
    assert clip_name(speech_spec("voice", long_chinese, SpeechParams())) == long_chinese[:20]


def test_durations_and_rates_follow_the_locale(window: MainWindow) -> None:
    pane = audio(window)
    pane.model.add_clip(Clip("tone", tone(2.0, 22050), 22050))
    assert pane.info.text() == "tone · 2.00 s · 22050 Hz · mono"
    assert pane.clip_list.item(0).text() == "tone  (2.0 s)"
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        pane.retranslate()
        assert pane.info.text() == "tone · 2,00 s · 22050 Hz · mono"  # no group separator in a rate
        assert pane.clip_list.item(0).text() == "tone  (2,0 s)"
    finally:
        QLocale.setDefault(before)
        pane.retranslate()
    assert pane.info.text() == "tone · 2.00 s · 22050 Hz · mono"


def test_chinese_typed_through_an_input_method_reaches_the_text_box(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pane = audio(window)
    box = pane.speech.text
    box.setFocus()
    composing = QInputMethodEvent("ni hao", [])  # the pinyin the user is typing, not yet text
    QCoreApplication.sendEvent(box, composing)
    assert box.toPlainText() == ""
    commit = QInputMethodEvent()
    commit.setCommitString("你好")
    QCoreApplication.sendEvent(box, commit)
    assert box.toPlainText() == "你好"
    more = QInputMethodEvent("shi jie", [])
    QCoreApplication.sendEvent(box, more)
    done = QInputMethodEvent()
    done.setCommitString("，世界。")
    QCoreApplication.sendEvent(box, done)
    assert box.toPlainText() == "你好，世界。"
    job = pane.generate_speech()
    assert job is not None and job.spec.inputs["text"] == "你好，世界。"
    wait_idle(qtbot, window)
    assert [c.name for c in window.session.project.clips] == ["你好，世界。"]
