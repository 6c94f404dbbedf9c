"""Sentence splitting for streamed speech, and the check that a voice can read a text's script at all.

Speech engines synthesise one sentence at a time so that playback starts after the first one, so the splitter must be
fast (a 5,000-word chapter in milliseconds), must not cut "Mr. Smith" or "3.14" apart, and must bound the length of
each piece: a paragraph with no full stop would otherwise be one multi-minute synthesis before any sound.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_SENTENCE_CHARS = 400

# Abbreviations that are (almost) never the end of a sentence: a title or "e.g." is followed by more of the sentence.
_ALWAYS_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "vs", "rev", "gen", "col", "capt", "lt", "sgt",
        "gov", "sen", "rep", "hon", "e.g", "i.e", "cf", "viz", "approx", "dept", "univ",
    }
)  # fmt: skip
# Abbreviations that often end a sentence too ("... and so on, etc."): a boundary only when a capital follows.
# "No. 5", "fig. 3" and "vol. 2" join the number after them; "I said no. Then" still ends.
_MAYBE_ABBREVIATIONS = frozenset(
    {"etc", "inc", "ltd", "co", "corp", "a.m", "p.m", "u.s", "u.k", "no", "nos", "fig", "figs", "vol", "pp", "ch",
     "sec", "eq", "est", "jan", "feb", "aug", "sept", "oct", "nov", "dec"}
)  # fmt: skip

_CLOSERS = "\"'”’)]}»」』】）"
# One sentence end: Western terminators (closing quotes allowed) followed by space or the end of the line, or CJK
# terminators, which need no space after them.
_BOUNDARY = re.compile(
    rf"(?P<west>(?:\.{{2,}}|[.!?…])[.!?…]*[{re.escape(_CLOSERS)}]*)(?=\s|$)"
    rf"|(?P<cjk>[。！？；]+[{re.escape(_CLOSERS)}]*)"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_SOFT_BREAKS = ",;:，、；：—"


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """The text as a list of sentences, in order, each at most `max_chars` characters, none empty.

    Lines are boundaries too: headings and list items have no full stop but must not run into the next line.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        for sentence in _split_line(line):
            for piece in _cap_length(sentence, max_chars):
                if any(ch.isalnum() for ch in piece):
                    sentences.append(piece)
                elif sentences:  # a stray "..." or "—": nothing to say, keep it with the sentence before
                    sentences[-1] = f"{sentences[-1]} {piece}"
    return sentences


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        end = match.end()
        if match.group("west") is not None and not _is_western_end(line, match.start(), end):
            continue
        piece = line[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    rest = line[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _is_western_end(line: str, dot_at: int, end: int) -> bool:
    if line[dot_at] != ".":
        return True  # "!", "?", "…" and "..." end a sentence whatever came before
    following = line[end:].lstrip()
    # Only the last few characters: searching from the line start would make long lines quadratic.
    word_match = _WORD_BEFORE.search(line, max(0, dot_at - 32), dot_at)
    if word_match is None:
        return True
    word = word_match.group(1).lower()
    if word in _ALWAYS_ABBREVIATIONS:
        return False
    if word in _MAYBE_ABBREVIATIONS:
        return bool(following) and following[0].isupper()
    # An initial ("J. K. Rowling") or a dotted acronym ("U.N."): one capital letter (after a dot or at a word start).
    letters = word_match.group(1).split(".")[-1]
    return not (len(letters) == 1 and letters.isupper())


def _cap_length(sentence: str, max_chars: int) -> list[str]:
    """Cut an over-long sentence at the last comma (else space) before the limit; each cut looks at max_chars
    characters only, so the whole is linear in the text length."""
    pieces: list[str] = []
    rest = sentence
    while len(rest) > max_chars:
        window = rest[: max_chars + 1]
        floor = max_chars // 3  # a cut very early would leave a tiny piece and a long one; prefer a space then
        cut = max((window.rfind(ch, floor) for ch in _SOFT_BREAKS), default=-1) + 1
        if cut <= 0:
            cut = window.rfind(" ", floor) + 1
        if cut <= 0:
            cut = max_chars  # no break at all (CJK without commas, a long URL): cut hard
        piece = rest[:cut].strip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    if rest.strip():
        pieces.append(rest.strip())
    return pieces


# ---------------------------------------------------------------- scripts and languages

_LANGUAGE_NAMES = {
    "en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "de": "German", "fr": "French",
    "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian",
    "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "el": "Greek", "hi": "Hindi", "th": "Thai", "vi": "Vietnamese",
    "pl": "Polish", "tr": "Turkish", "sv": "Swedish", "cs": "Czech", "cmn": "Chinese", "eng": "English",
}  # fmt: skip
# Script of each language a voice may declare; anything not listed is written in Latin letters.
_LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    "zh": frozenset({"han"}),
    "cmn": frozenset({"han"}),
    "yue": frozenset({"han"}),
    "ja": frozenset({"han", "kana"}),
    "ko": frozenset({"hangul", "han"}),
    "ru": frozenset({"cyrillic"}),
    "uk": frozenset({"cyrillic"}),
    "bg": frozenset({"cyrillic"}),
    "sr": frozenset({"cyrillic", "latin"}),
    "kk": frozenset({"cyrillic"}),
    "mn": frozenset({"cyrillic"}),
    "ar": frozenset({"arabic"}),
    "fa": frozenset({"arabic"}),
    "ur": frozenset({"arabic"}),
    "he": frozenset({"hebrew"}),
    "el": frozenset({"greek"}),
    "hi": frozenset({"devanagari"}),
    "mr": frozenset({"devanagari"}),
    "ne": frozenset({"devanagari"}),
    "th": frozenset({"thai"}),
}
# What to call a text by its script, and which voice to suggest.
_SCRIPT_TEXT_NAMES = {
    "han": "Chinese",
    "kana": "Japanese",
    "hangul": "Korean",
    "cyrillic": "in Cyrillic letters",
    "arabic": "Arabic",
    "hebrew": "Hebrew",
    "greek": "Greek",
    "devanagari": "in Devanagari letters",
    "thai": "Thai",
    "latin": "in Latin letters",
}
_SCRIPT_RANGES = (
    ("latin", 0x0041, 0x005A),
    ("latin", 0x0061, 0x007A),
    ("latin", 0x00C0, 0x024F),
    ("greek", 0x0370, 0x03FF),
    ("cyrillic", 0x0400, 0x052F),
    ("hebrew", 0x0590, 0x05FF),
    ("arabic", 0x0600, 0x06FF),
    ("devanagari", 0x0900, 0x097F),
    ("thai", 0x0E00, 0x0E7F),
    ("hangul", 0x1100, 0x11FF),
    ("kana", 0x3040, 0x30FF),
    ("han", 0x3400, 0x4DBF),
    ("han", 0x4E00, 0x9FFF),
    ("hangul", 0xAC00, 0xD7AF),
    ("han", 0xF900, 0xFAFF),
    ("han", 0x20000, 0x2FA1F),
)


def _script_of(ch: str) -> str | None:
    code = ord(ch)
    for script, low, high in _SCRIPT_RANGES:
        if low <= code <= high:
            return script
    return None


def text_script(text: str) -> str | None:
    """The script most letters of the text are written in (Japanese: any kana among Han), None without letters."""
    counts = Counter(s for s in map(_script_of, text) if s is not None)
    if not counts:
        return None
    script, count = counts.most_common(1)[0]
    if count * 2 < sum(counts.values()):
        return None  # no script has a majority: a mixed text, let the voice try
    if script == "han" and counts["kana"] * 10 >= count:
        return "kana"
    return script


def language_mismatch(text: str, voice_languages: tuple[str, ...] | list[str]) -> str | None:
    """A message for the user when the text is mostly in a script none of the voice's languages is written in.

    None when the voice can read it, when the voice does not say its languages, or when the text has no letters.
    """
    codes = [c.strip().lower().replace("_", "-").split("-")[0] for c in voice_languages if c.strip()]
    if not codes:
        return None
    script = text_script(text)
    if script is None:
        return None
    voice_scripts: set[str] = set()
    for code in codes:
        voice_scripts |= _LANGUAGE_SCRIPTS.get(code, frozenset({"latin"}))
    if script in voice_scripts:
        return None
    speaks = " and ".join(dict.fromkeys(_LANGUAGE_NAMES.get(c, c) for c in codes))
    text_is = _SCRIPT_TEXT_NAMES[script]
    if text_is.startswith("in "):
        return (
            f"This voice speaks {speaks}; the text is written {text_is}. Choose a voice for its language (see Models)."
        )
    return f"This voice speaks {speaks}; the text is {text_is}. Choose a {text_is} voice (see Models)."
