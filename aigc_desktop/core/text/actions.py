"""Writing actions: each a visible, editable preset of prompt template + parameters, in English and in Chinese.

Every action has an instruction template for instruction-tuned (chat) models and, where a plain completion prompt
does the job, a completion template that base models such as the embedded Gemma-3-270M can follow. An action with no
completion template is unavailable on a base model, and says why. The actions that need instructions
(`wants_instruct`) run on an instruction-tuned model by default (core/text/action_model.py).

The templates come in two languages, chosen by the text the action works on (`is_chinese`, core/text/counting.py):
a model answers in the language it is asked in, so Chinese text gets a Chinese prompt. The Chinese completion
templates are few-shot frames: one or two worked examples, then the author's text, ending exactly where the answer
starts (a base model continues the pattern it sees); their stop strings end the answer where the next example
would begin. Both languages offer completion templates for the same actions, so what a base model can do does not
depend on the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg


@dataclass(frozen=True)
class Prompts:
    """An action's templates in one language. {text} = the selection (or the document), {keywords} = the interest
    profile."""

    instruct: str
    completion: str | None = None  # None: base models cannot do it
    completion_params: Mapping[str, Any] = field(default_factory=dict)  # what the completion frame needs (its stops)


@dataclass(frozen=True)
class TextAction:
    id: str
    label: Msg  # shown in the interface language
    english: Prompts
    chinese: Prompts
    params: dict[str, Any] = field(default_factory=dict)  # overrides of the pane's controls
    needs_text: bool = True
    instruct_first: bool = False  # has a completion frame for base models, but an instruct model does it far better

    @property
    def wants_instruct(self) -> bool:
        """Whether the action needs instructions: it runs on an instruction-tuned model when one is installed."""
        return self.instruct_first or self.english.completion is None

    def available(self, instruct: bool) -> tuple[bool, str]:
        """Whether the action runs on an instruct (or a base) model, and if not why (a marked Msg)."""
        if instruct or self.english.completion is not None:
            return True, ""
        reason = QT_TRANSLATE_NOOP(
            "TextAction",
            "“{action}” needs an instruction-tuned (chat) model; the selected model is a base model that can only "
            "continue text. Install an -Instruct model to use it.",
        )
        return False, reason.format(action=self.label)

    def prompts(self, chinese: bool) -> Prompts:
        return self.chinese if chinese else self.english

    def template_for(self, instruct: bool, chinese: bool = False) -> str:
        prompts = self.prompts(chinese)
        if instruct or prompts.completion is None:
            return prompts.instruct
        return prompts.completion

    def params_for(self, instruct: bool, chinese: bool = False) -> dict[str, Any]:
        """The pane's overrides for one run: the action's own, plus what its completion frame needs."""
        prompts = self.prompts(chinese)
        if instruct or prompts.completion is None:
            return dict(self.params)
        return {**self.params, **prompts.completion_params}


def render(template: str, text: str, keywords: list[str], chinese: bool = False) -> str:
    """Fill a template; unknown braces stay as typed so users can edit templates freely."""
    if not text.strip():
        template = template.replace("\n\n{text}", "")
    interests = ("、".join(keywords) or "不限") if chinese else (", ".join(keywords) or "anything")
    return template.replace("{text}", text.strip()).replace("{keywords}", interests)


_POEM_FRAME = (
    "原文：春天来了，公园里的桃花全开了，孩子们在树下追着跑。\n短诗：\n桃花开满枝头，\n笑声落在树下，\n春风追着孩子，\n"
    "跑过整个晌午。\n\n原文：下了一夜的雪，早上推开门，院子里一片白。\n短诗：\n一夜无声，\n雪把院子铺平，\n推开门的那一刻，\n"
    "世界刚刚醒来。\n\n原文：{text}\n短诗：\n"
)
_TITLE_FRAME = (
    "文章：今天上午，市图书馆新馆正式开放。新馆共三层，可同时容纳一千多名读者，还专门设置了儿童阅读区。\n"
    "标题：图书馆新馆开放\n\n文章：小明每天放学都去河边喂一只流浪猫，一个月后，猫跟着他回了家。\n标题：跟我回家的猫\n\n"
    "文章：{text}\n标题："
)
_SLOGAN_FRAME = (
    "产品：一款保温十二小时的不锈钢水杯\n广告语：一杯暖意，陪你一整天\n\n产品：山区农家自己种的有机大米\n"
    "广告语：一口米香，一片山野\n\n产品：{text}\n广告语："
)

ACTIONS: tuple[TextAction, ...] = (
    TextAction(
        "poem",
        QT_TRANSLATE_NOOP("TextAction", "Poem"),
        Prompts(
            "Write a short poem about the following. Reply with the poem only.\n\n{text}",
            "A short poem about {text}\n\n",
        ),
        Prompts(
            "请以下面的内容为题材，写一首短诗。只回复诗本身。\n\n{text}",
            _POEM_FRAME,
            {"stop": ["\n\n", "原文：", "短诗："]},
        ),
        {"max_new_tokens": 120, "temperature": 0.9},
    ),
    TextAction(
        "title",
        QT_TRANSLATE_NOOP("TextAction", "Title / headline"),
        Prompts(
            "Write one short headline for the following text. Reply with the headline only.\n\n{text}",
            "Article:\n{text}\n\nHeadline:",
        ),
        Prompts("请为下面这段文字拟一个简短的标题。只回复标题本身。\n\n{text}", _TITLE_FRAME),
        # beam search gives several strong, distinct candidates for short outputs
        {"num_beams": 5, "n": 3, "max_new_tokens": 16, "stop": ["\n"], "greedy": True},
    ),
    TextAction(
        "slogan",
        QT_TRANSLATE_NOOP("TextAction", "Slogan"),
        Prompts(
            "Write a catchy slogan of at most ten words for the following. Reply with the slogan only.\n\n{text}",
            "Product: {text}\nCatchy slogan:",
        ),
        Prompts("请为下面的内容写一句朗朗上口的广告语，不超过十五个字。只回复广告语本身。\n\n{text}", _SLOGAN_FRAME),
        {"n": 3, "max_new_tokens": 20, "stop": ["\n"], "temperature": 1.0},
    ),
    TextAction(
        "summary",
        QT_TRANSLATE_NOOP("TextAction", "Summary"),
        Prompts("Summarise the following text in two or three sentences.\n\n{text}", "{text}\n\nTL;DR:"),
        # The answer starts on a line of its own: after a bare "：" a small model often writes a blank line first,
        # which the one-line stop would take for the end.
        Prompts("请用两三句话概括下面这段文字。\n\n{text}", "{text}\n\n用一句话概括上文：\n", {"stop": ["\n"]}),
        {"max_new_tokens": 120, "temperature": 0.3},
        instruct_first=True,  # the frame is the fallback for base models; summarising is what instruct models learn
    ),
    TextAction(
        "expand",
        QT_TRANSLATE_NOOP("TextAction", "Expand"),
        Prompts(
            "Expand the following into a richer, more detailed paragraph, keeping its voice and language.\n\n{text}"
        ),
        Prompts("请把下面的内容扩写成一段更丰富、更细致的文字，保持原有的语气和风格。\n\n{text}"),
        {"max_new_tokens": 300},
    ),
    TextAction(
        "rewrite",
        QT_TRANSLATE_NOOP("TextAction", "Rewrite"),
        Prompts("Rewrite the following text to read more clearly, keeping its meaning and language.\n\n{text}"),
        Prompts("请改写下面这段文字，让它读起来更清楚、更流畅，保持原意。\n\n{text}"),
        {"max_new_tokens": 300, "temperature": 0.7},
    ),
    TextAction(
        "shorten",
        QT_TRANSLATE_NOOP("TextAction", "Shorten"),
        Prompts(
            "Shorten the following text to about half its length, keeping its meaning, voice and language. Reply "
            "with the shortened text only.\n\n{text}"
        ),
        Prompts("请把下面这段文字缩写到原来的一半左右，保持原意和语气。只回复缩写后的文字。\n\n{text}"),
        {"max_new_tokens": 200, "temperature": 0.5},
    ),
    TextAction(
        "translate",
        QT_TRANSLATE_NOOP("TextAction", "Translate zh↔en"),
        Prompts(
            "Translate the following text. If it is Chinese, translate it into English; otherwise translate it into "
            "Simplified Chinese. Reply with the translation only.\n\n{text}"
        ),
        # Chosen for Chinese text: the direction is known.
        Prompts("请把下面的中文翻译成英文。只回复译文。\n\n{text}"),
        {"max_new_tokens": 400, "temperature": 0.2},
    ),
    TextAction(
        "brainstorm",
        QT_TRANSLATE_NOOP("TextAction", "Brainstorm from my interests"),
        Prompts(
            "I am interested in: {keywords}. Brainstorm five fresh ideas for pieces I could write, one per line, "
            "each with a one-sentence pitch.\n\n{text}"
        ),
        Prompts("我感兴趣的主题：{keywords}。请据此构思五个新鲜的写作点子，每行一个，各附一句话简介。\n\n{text}"),
        {"max_new_tokens": 300, "temperature": 1.0},
        needs_text=False,
    ),
)

# The crossings from the Document to the other panes (ui/crossings.py): a prompt for the Canvas's image model
# (Illustrate) or the Music tab (Score), drafted from the author's text. Not in the Actions tab's list: their answer
# is a prompt for another model, shown where that model runs. Image and music models read English, so the answer is
# English whatever the text's language; both need instructions (a base model gets the condensed text instead).
IMAGE_PROMPT = TextAction(
    "image_prompt",
    QT_TRANSLATE_NOOP("TextAction", "Draft an image prompt"),
    Prompts(
        "Describe one picture that illustrates the following passage, as a prompt for an image generator: one line "
        "of short English phrases separated by commas (subject, setting, light, mood, style). Reply with the prompt "
        "only.\n\n{text}"
    ),
    Prompts(
        "请为下面这段文字配一幅插图，写出给 AI 绘画用的英文提示词：一行，用逗号分隔的英文短语（主体、场景、光线、氛围、"
        "风格）。只回复提示词。\n\n{text}"
    ),
    {"max_new_tokens": 80, "temperature": 0.7},
)
MUSIC_PROMPT = TextAction(
    "music_prompt",
    QT_TRANSLATE_NOOP("TextAction", "Draft a music prompt"),
    Prompts(
        "Read the following text and describe background music that fits its mood, as a prompt for a music "
        "generator: one line in English naming the mood, tempo, instruments and genre. Reply with the prompt "
        "only.\n\n{text}"
    ),
    Prompts(
        "读下面这段文字，为它配一段符合情绪的背景音乐，写出给 AI 音乐生成用的英文提示词：一行英文，写明情绪、速度、乐器"
        "和风格。只回复提示词。\n\n{text}"
    ),
    {"max_new_tokens": 60, "temperature": 0.7},
)
CROSSING_ACTIONS: tuple[TextAction, ...] = (IMAGE_PROMPT, MUSIC_PROMPT)

ACTIONS_BY_ID = {a.id: a for a in (*ACTIONS, *CROSSING_ACTIONS)}
