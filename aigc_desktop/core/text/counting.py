"""Counting words the way writers count them, and telling Chinese text from other text.

Chinese is written without spaces, and Chinese writers count 字数 by characters: each Han character is one, each word
of a language written with spaces (a run of letters or digits: "Hello", "2024", "well-known") is one, punctuation
(ASCII and full-width: ，。！？；：、“”‘’（）《》…—) and whitespace are not counted. English text counts as it always
did: one per word. Japanese kana count one each too (also written without spaces); they are not Han, so a Japanese
text is not taken for Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# CJK Unified Ideographs and their extensions A–H, the compatibility ideographs, and 〇 (a Han numeral).
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3040-\u30ff\u31f0-\u31ff"
_HAN_RE = re.compile(f"[{_HAN}]")
_KANA_RE = re.compile(f"[{_KANA}]")
_SPACELESS_RE = re.compile(f"[{_HAN}{_KANA}]")
# A word: letters or digits of any script written with spaces, joined by an apostrophe, hyphen or a point inside
# ("don't", "well-known", "3.5"); underscores are not letters.
_WORD_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


@dataclass(frozen=True)
class TextCount:
    han: int  # Han characters, one each
    kana: int  # Japanese kana, one each
    words: int  # words of languages written with spaces, numbers included
    characters: int  # every character, spaces and line breaks included

    @property
    def total(self) -> int:
        """字数: what a writer calls the length of the text (Han characters and kana one each, plus words)."""
        return self.han + self.kana + self.words

    def __add__(self, other: TextCount) -> TextCount:
        return TextCount(
            self.han + other.han, self.kana + other.kana, self.words + other.words, self.characters + other.characters
        )

    def __sub__(self, other: TextCount) -> TextCount:
        return TextCount(
            self.han - other.han, self.kana - other.kana, self.words - other.words, self.characters - other.characters
        )


def count_text(text: str) -> TextCount:
    return TextCount(
        han=len(_HAN_RE.findall(text)),
        kana=len(_KANA_RE.findall(text)),
        words=len(_WORD_RE.findall(_SPACELESS_RE.sub(" ", text))),
        characters=len(text),
    )


def recount(count: TextCount, old: str, new: str, position: int, removed: int, added: int) -> TextCount:
    """The count of `new`, from `count` (of `old`) and one edit: `new` is `old` with `removed` characters at
    `position` replaced by `added` others. Only the words around the edit are counted again (typing into a long
    book must not count the whole book on every key): no word and no match spans a space or a line break, so the
    counts of the text on either side of the nearest ones do not change."""
    left = max(old.rfind(" ", 0, position), old.rfind("\n", 0, position)) + 1
    old_end = position + removed
    right = min((i for i in (old.find(" ", old_end), old.find("\n", old_end)) if i >= 0), default=len(old))
    after = len(old) - right  # the same unchanged text follows the edit in both
    return count - count_text(old[left:right]) + count_text(new[left : len(new) - after])


def count_words(text: str) -> int:
    """字数 of `text`: Han characters and kana one each, each word of a spaced language one, punctuation nothing."""
    return count_text(text).total


def is_chinese(text: str, *, otherwise: bool = False) -> bool:
    """Whether `text` is mostly Chinese: at least as many Han characters as words and kana together (a Han
    character stands for about a word). `otherwise` when the text has neither (empty, only punctuation)."""
    count = count_text(text)
    if count.total == 0:
        return otherwise
    return count.han > 0 and count.han >= count.words + count.kana
