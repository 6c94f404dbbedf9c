"""Chinese writing in core: the 字数 count, telling Chinese text apart, the Chinese action templates, and those
templates run through real models — the embedded Gemma GGUF (a base model: the completion frames) and a tiny
random-weight Qwen2 with a chat template (the instruct path: it loads and applies the template; its text is noise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aigc_desktop.core.engines.base import RunContext
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import Msg
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.text.actions import ACTIONS, ACTIONS_BY_ID, render
from aigc_desktop.core.text.counting import count_text, count_words, is_chinese
from aigc_desktop.core.text.job import TextOutput, TextParams, text_spec

STORY = "灯笼在风中摇晃，她想起了祖父。Hello world"
CHINESE_TEXT = (
    "灯笼在风中摇晃，她想起了祖父说过的话：光不是为了看见，而是为了被看见。"
    "秋天的最后一个夜晚，阿梅提着祖父的灯笼爬上了山坡。"
)
NEWS = (
    "今年春节假期，全国铁路共发送旅客八千多万人次，比去年增长百分之十二。为了应对客流高峰，铁路部门加开了两千多趟列车。"
)


# ---------------------------------------------------------------- 字数


def test_han_characters_count_one_each_latin_words_one_each_punctuation_nothing() -> None:
    count = count_text(STORY)
    # 灯笼在风中摇晃 (7) + 她想起了祖父 (6) Han characters, Hello + world: 15 (the brief's "12 + 2 = 14" miscounts
    # the Han characters: there are 13).
    assert (count.han, count.words, count.kana, count.total) == (13, 2, 0, 15)
    assert count.characters == len(STORY)
    assert count_words(STORY) == 15


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("，。！？；：、“”‘’（）《》…—·「」『』【】～", 0),  # full-width punctuation
        (",.!?;:'\"()[]{}-–—…/\\", 0),  # ASCII punctuation
        ("   \n\t\u3000 ", 0),  # whitespace, the ideographic space included
        ("The night was dark, and the wind howled.", 8),
        ("don't stop: a well-known 3.5-star café", 6),  # joined by an apostrophe, hyphen or point inside
        ("我用Python和PyTorch训练了一个GAN模型", 13),  # 10 Han + 3 words
        ("第3章：2024年", 5),  # 第 章 年 + 3 + 2024
        ("ＡＢＣ １２３", 2),  # full-width letters and digits are words
        ("これは日本語です", 8),  # kana one each too
        ("𠀀𪜀", 2),  # Han beyond the Basic Multilingual Plane
    ],
)
def test_word_count_cases(text: str, total: int) -> None:
    assert count_words(text) == total


def test_is_chinese_means_mostly_han() -> None:
    assert is_chinese(STORY)
    assert is_chinese(CHINESE_TEXT)
    assert is_chinese("我用Python和PyTorch训练了一个GAN模型")  # English terms in a Chinese sentence
    assert not is_chinese("Rivers carry stories from the mountains to the sea.")
    assert not is_chinese("I visited 北京 last year with my friends")
    assert not is_chinese("これは日本語のテキストです")  # Japanese: more kana than Han
    # Nothing to go by: the caller's fallback.
    assert not is_chinese("")
    assert is_chinese("", otherwise=True)
    assert is_chinese("…… ！！", otherwise=True) and not is_chinese("……")


# ---------------------------------------------------------------- the Chinese templates


def test_every_action_has_chinese_templates_and_base_models_can_do_the_same_in_both_languages() -> None:
    assert [a.id for a in ACTIONS] == [
        "poem",
        "title",
        "slogan",
        "summary",
        "expand",
        "rewrite",
        "shorten",
        "translate",
        "brainstorm",
    ]
    for action in ACTIONS:
        zh, en = action.chinese, action.english
        assert (zh.completion is None) == (en.completion is None), action.id
        placeholder = "{keywords}" if action.id == "brainstorm" else "{text}"
        for template in (zh.instruct, zh.completion):
            if template is not None:
                assert placeholder in template and is_chinese(template), (action.id, template)
        # The label is marked for translation (the Chinese UI shows 写诗, 拟标题…).
        assert isinstance(action.label, Msg) and action.label.context == "TextAction"


def test_completion_frames_end_where_the_answer_starts_and_their_stops_end_it_where_an_example_does() -> None:
    for action in ACTIONS:
        frame = action.chinese.completion
        if frame is None:
            continue
        tail = frame.split("{text}")[-1]
        assert tail.rstrip("\n").endswith("："), (action.id, tail)  # "标题：", "短诗：\n"…
        stops = action.params_for(instruct=False, chinese=True).get("stop", [])
        examples = frame.split("{text}")[0]
        for stop in stops:
            assert stop in examples or stop == "\n", (action.id, stop)  # the examples show where an answer ends


def test_chinese_params_keep_the_actions_own_and_add_the_frames_stops() -> None:
    poem = ACTIONS_BY_ID["poem"]
    assert poem.params_for(instruct=False, chinese=True) == {
        "max_new_tokens": 120,
        "temperature": 0.9,
        "stop": ["\n\n", "原文：", "短诗："],
    }
    assert poem.params_for(instruct=True, chinese=True) == poem.params  # an instruct model ends on its own
    assert poem.params_for(instruct=False, chinese=False) == poem.params
    title = ACTIONS_BY_ID["title"]
    assert title.params_for(instruct=False, chinese=True)["num_beams"] == 5  # beam search as in English
    assert title.template_for(instruct=False, chinese=True).endswith("标题：")
    assert title.template_for(instruct=True, chinese=True).startswith("请为下面这段文字拟一个简短的标题")
    translate = ACTIONS_BY_ID["translate"]
    assert translate.template_for(instruct=True, chinese=True).startswith("请把下面的中文翻译成英文")
    assert "Simplified Chinese" in translate.template_for(instruct=True, chinese=False)  # English text: into Chinese


def test_render_fills_chinese_templates() -> None:
    brainstorm = ACTIONS_BY_ID["brainstorm"].template_for(instruct=True, chinese=True)
    assert render(brainstorm, "", ["山水", "科幻"], chinese=True).startswith("我感兴趣的主题：山水、科幻。")
    assert "主题：不限。" in render(brainstorm, "", [], chinese=True)
    assert render(brainstorm, "", [], chinese=True).endswith("一句话简介。")  # no empty {text} paragraph
    poem = render(ACTIONS_BY_ID["poem"].template_for(False, True), f"  {CHINESE_TEXT}\n", [], chinese=True)
    assert poem.endswith(f"原文：{CHINESE_TEXT}\n短诗：\n")
    assert render("{keywords}", "", ["a", "b"]) == "a, b"  # English as before


def test_bad_text_parameters_are_each_a_translatable_sentence() -> None:
    with pytest.raises(UserError) as caught:
        TextParams(temperature=-1, top_k=-1)
    assert str(caught.value) == "Temperature must not be negative. Top-k must not be negative."
    message = caught.value.message
    assert isinstance(message, Msg)
    parts = list(message.values.values())
    assert all(isinstance(p, Msg) and p.context == "TextParams" for p in parts) and len(parts) == 2


# ---------------------------------------------------------------- the instruct path: a tiny Qwen2 with a chat template


@pytest.fixture(scope="session")
def tiny_qwen2_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight Qwen2 with a ChatML chat template (tiny_models.py): an instruct model to the registry."""
    import tiny_models

    return tiny_models.save_tiny_qwen2(tmp_path_factory.mktemp("tiny-qwen2") / "qwen2-tiny-instruct")


@pytest.fixture
def qwen2_id(tiny_qwen2_source: Path, paths: AppPaths) -> str:
    import shutil

    shutil.copytree(tiny_qwen2_source, paths.models_dir / "qwen2-tiny-instruct")
    return "qwen2-tiny-instruct"


def library_chat_greedy(folder: Path, prompt: str, max_new_tokens: int) -> tuple[str, str]:
    """(the chat text the library's template makes of `prompt`, the library's own greedy answer to it)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from aigc_desktop.core.engines.text_transformers import cpu_dtype_name

    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, dtype=getattr(torch, cpu_dtype_name()))
    chat = tokenizer.apply_chat_template(
        [{"role": "user", "content": prompt}], add_generation_prompt=True, tokenize=False
    )
    encoded = tokenizer(chat, return_tensors="pt", add_special_tokens=False)
    with torch.inference_mode():
        out = model.generate(**encoded, max_new_tokens=max_new_tokens, do_sample=False, repetition_penalty=1.1)
    return chat, tokenizer.decode(out[0][encoded["input_ids"].shape[1] :], skip_special_tokens=True)


@pytest.mark.usefixtures("torch_one_thread")
def test_chinese_instruct_templates_run_through_a_chat_model(qwen2_id: str, host: EngineHost, paths: AppPaths) -> None:
    entry = ModelRegistry(paths).get(qwen2_id)
    assert (entry.backend, entry.instruct) == ("transformers", True)  # its chat template makes it an instruct model
    for action in ACTIONS:
        prompt = render(action.template_for(instruct=True, chinese=True), CHINESE_TEXT, ["山水"], chinese=True)
        overrides: dict[str, Any] = {**action.params_for(instruct=True, chinese=True), "max_new_tokens": 6}
        params = TextParams(**{**overrides, "stop": tuple(overrides.get("stop", ())), "chat": True})
        result = host.run(text_spec(qwen2_id, prompt, params, seed=3), RunContext())
        output = result.output
        assert isinstance(output, TextOutput)
        assert len(output.texts) == params.n and all(isinstance(t, str) for t in output.texts), action.id
    # What the engine sent is the chat template around the Chinese prompt: the library's greedy run on exactly that
    # text writes what the engine writes.
    prompt = render(ACTIONS_BY_ID["summary"].template_for(True, True), CHINESE_TEXT, [], chinese=True)
    chat, expected = library_chat_greedy(entry.path, prompt, 12)
    assert chat.startswith("<|im_start|>user\n请用两三句话概括下面这段文字。")
    assert chat.endswith("<|im_end|>\n<|im_start|>assistant\n")
    greedy = TextParams(max_new_tokens=12, greedy=True, chat=True)
    output = host.run(text_spec(qwen2_id, prompt, greedy, seed=0), RunContext()).output
    assert isinstance(output, TextOutput) and output.texts == [expected]


# ---------------------------------------------------------------- the completion frames on the embedded Gemma


@pytest.mark.integration
def test_chinese_completion_frames_get_chinese_answers_from_the_embedded_base_model(
    home_with_gemma_gguf: ModelRegistry,
) -> None:
    """Gemma-3-270M is a small base model: its answers are weak, but each frame gets Chinese text back (not an
    empty string cut off by a stop string, not the next example). Answers are capped at 48 tokens to keep it quick.
    Three seeded variants per frame: one sampled answer of so small a model may be blank (one was, for seed 1, once
    the engine's reading order changed); a broken frame gives no Chinese in any of them."""
    from aigc_desktop.core.models import embedded

    host = EngineHost(home_with_gemma_gguf)
    texts = {"poem": CHINESE_TEXT, "title": NEWS, "slogan": CHINESE_TEXT, "summary": NEWS}
    try:
        for action in ACTIONS:
            if action.chinese.completion is None:
                continue
            prompt = render(action.template_for(False, True), texts[action.id], [], chinese=True)
            values = action.params_for(instruct=False, chinese=True)
            capped = min(int(values["max_new_tokens"]), 48)
            params = TextParams(**{**values, "stop": tuple(values.get("stop", ())), "max_new_tokens": capped, "n": 3})
            output = host.run(text_spec(embedded.GEMMA_ID, prompt, params, seed=1), RunContext()).output
            assert isinstance(output, TextOutput)
            answers = [t for t in output.texts if t.strip()]
            assert answers and any(is_chinese(t) for t in answers), (action.id, output.texts)
            assert not any(s in t for t in output.texts for s in params.stop), (action.id, output.texts)
            assert not any("原文：" in t or "文章：" in t or "产品：" in t for t in output.texts), output.texts
    finally:
        host.unload_all()
