"""Prompts for other models drafted from the author's text (the Document's Illustrate and Score crossings).

A text model drafts them with the IMAGE_PROMPT / MUSIC_PROMPT actions (core/text/actions.py); `clean_draft` turns
its answer into one prompt line (small chat models like to add a label, quotes or a second paragraph). Without an
instruction-tuned model, `condense` gives the fallback the user is told about: the text itself, shortened to what an
image or music model reads (CLIP reads 77 tokens, about 300 characters of English).
"""

from __future__ import annotations

import re

from aigc_desktop.core.text.counting import is_chinese

PROMPT_CHARS = 300  # a drafted or condensed prompt is cut to this
SOURCE_CHARS = 4000  # what a draft reads of a long text: the mood of a piece shows in its opening pages
# A label a model may put before its answer ("Prompt:", "Image prompt -", "提示词：").
_LABEL = re.compile(r"^\s*(?:[\w ]{0,20}prompt|提示词|英文提示词)\s*[:：\-–]\s*", re.IGNORECASE)
_QUOTES = "\"'“”‘’`「」『』*"
_LIST_MARK = re.compile(r"^(?:[-•*]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])\s*")


def _cut(text: str, limit: int) -> str:
    """`text` at most `limit` characters, cut after a word (or any character in Chinese), without trailing commas."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not is_chinese(cut) and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,，、;；:：")


def excerpt(text: str, limit: int) -> str:
    """The start of `text` on one line, with "…" when it goes on (a paragraph named in a menu or a dialog). `limit`
    counts Latin letters: a Chinese character is as wide as two, so Chinese text gets half as many."""
    flat = " ".join(text.split())
    if is_chinese(flat):
        limit = max(1, limit // 2)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    if flat[limit] != " " and " " in cut:  # not in the middle of a word (Chinese has no spaces: any character)
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,，、;；:：.。") + "…"


def condense(text: str, limit: int = PROMPT_CHARS) -> str:
    """The text itself as a prompt: one line, whole sentences from its start while they fit, else cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    sentences = [s for s in _SENTENCE_END.split(flat) if s]
    kept = ""
    for sentence in sentences:
        joined = f"{kept} {sentence}".strip() if not is_chinese(sentence) else kept + sentence
        if len(joined) > limit:
            break
        kept = joined
    return kept or _cut(flat, limit)


def clean_draft(answer: str, limit: int = PROMPT_CHARS) -> str:
    """A model's answer as one prompt line: its first paragraph, without a label, quotes or list marks; "" when
    nothing usable is left (the caller falls back to the condensed text)."""
    lines = [line.strip() for line in answer.strip().splitlines()]
    first: list[str] = []
    for line in lines:
        if not line:
            if first:
                break
            continue
        first.append(_LIST_MARK.sub("", line))
    text = _LABEL.sub("", " ".join(p for p in first if p))
    text = text.strip().strip(_QUOTES).strip()
    return _cut(" ".join(text.split()), limit)
