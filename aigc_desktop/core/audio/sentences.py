"""Sentence splitting for streamed speech, and the check that a voice can read a text's script at all.

Speech engines synthesise one sentence at a time so that playback starts after the first one, so the splitter must be
fast (a 5,000-word chapter in milliseconds), must not cut "Mr. Smith" or "3.14" apart, and must bound the length of
each piece: a paragraph with no full stop would otherwise be one multi-minute synthesis before any sound. Chinese ends
a sentence with 。！？； or an ellipsis (…, ……) and no space; closing quotes and brackets after the end (”」』）》)
stay with their sentence, and mixed Chinese and English text splits at either kind of end.

A voice that cannot read the text's script is refused with a message (marked for translation) that names the
catalog's voice for that language, so the user knows what to download.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import reduce

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg

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

_CLOSERS = "\"'”’)]}»」』】）》〉〕"
# Chinese, Japanese and Korean letters (Han, kana, hangul), and the same plus CJK and full-width punctuation.
_CJK_LETTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = _CJK_LETTERS + "\u3000-\u303f\uff00-\uffef"
# One sentence end. CJK: 。！？； anywhere, or an ellipsis (…, ……, ...) or a half-width ! ? right after a CJK
# character; no space needed after. Western: terminators followed by space, the end of the line or a CJK letter
# ("Python.我们"). Closing quotes and brackets after either stay with the sentence.
_BOUNDARY = re.compile(
    rf"(?P<cjk>(?:[。！？；]|(?<=[{_CJK}])(?:…|\.{{3}}|[!?]))[。！？；…!?.]*[{re.escape(_CLOSERS)}]*)"
    rf"|(?P<west>(?:\.{{2,}}|[.!?…])[.!?…]*[{re.escape(_CLOSERS)}]*)(?=\s|$|[{_CJK_LETTERS}])"
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_SOFT_BREAKS = ",;:，、；：—"


def split_sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """The text as a list of sentences, in order, none empty, each at most `max_chars` characters (plus any stray
    punctuation kept with it). Nothing is lost: joined, the pieces are the text up to whitespace (unless the text has
    nothing to say at all: no letter or digit).

    Lines are boundaries too: headings and list items have no full stop but must not run into the next line.
    """
    sentences: list[str] = []
    pending = ""  # punctuation before the first sentence ("……" opening a text): it goes with the next one
    for line in text.splitlines():
        for sentence in _split_line(line):
            for piece in _cap_length(sentence, max_chars):
                if not any(ch.isalnum() for ch in piece):  # a stray "..." or "—": nothing to say on its own
                    if sentences:
                        sentences[-1] = f"{sentences[-1]} {piece}"
                    else:
                        pending = f"{pending} {piece}".strip()
                    continue
                sentences.append(f"{pending} {piece}" if pending else piece)
                pending = ""
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

_LANGUAGE_NAMES: dict[str, Msg] = {
    "en": QT_TRANSLATE_NOOP("Languages", "English"),
    "zh": QT_TRANSLATE_NOOP("Languages", "Chinese"),
    "ja": QT_TRANSLATE_NOOP("Languages", "Japanese"),
    "ko": QT_TRANSLATE_NOOP("Languages", "Korean"),
    "de": QT_TRANSLATE_NOOP("Languages", "German"),
    "fr": QT_TRANSLATE_NOOP("Languages", "French"),
    "es": QT_TRANSLATE_NOOP("Languages", "Spanish"),
    "it": QT_TRANSLATE_NOOP("Languages", "Italian"),
    "pt": QT_TRANSLATE_NOOP("Languages", "Portuguese"),
    "nl": QT_TRANSLATE_NOOP("Languages", "Dutch"),
    "ru": QT_TRANSLATE_NOOP("Languages", "Russian"),
    "uk": QT_TRANSLATE_NOOP("Languages", "Ukrainian"),
    "ar": QT_TRANSLATE_NOOP("Languages", "Arabic"),
    "fa": QT_TRANSLATE_NOOP("Languages", "Persian"),
    "he": QT_TRANSLATE_NOOP("Languages", "Hebrew"),
    "el": QT_TRANSLATE_NOOP("Languages", "Greek"),
    "hi": QT_TRANSLATE_NOOP("Languages", "Hindi"),
    "th": QT_TRANSLATE_NOOP("Languages", "Thai"),
    "vi": QT_TRANSLATE_NOOP("Languages", "Vietnamese"),
    "pl": QT_TRANSLATE_NOOP("Languages", "Polish"),
    "tr": QT_TRANSLATE_NOOP("Languages", "Turkish"),
    "sv": QT_TRANSLATE_NOOP("Languages", "Swedish"),
    "cs": QT_TRANSLATE_NOOP("Languages", "Czech"),
}
_LANGUAGE_NAMES["cmn"], _LANGUAGE_NAMES["eng"] = _LANGUAGE_NAMES["zh"], _LANGUAGE_NAMES["en"]
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
# What to call a text by its script ("the text is Chinese", "the text is written in Cyrillic letters").
_SCRIPT_TEXT_NAMES: dict[str, Msg] = {
    "han": QT_TRANSLATE_NOOP("Languages", "Chinese"),
    "kana": QT_TRANSLATE_NOOP("Languages", "Japanese"),
    "hangul": QT_TRANSLATE_NOOP("Languages", "Korean"),
    "cyrillic": QT_TRANSLATE_NOOP("Languages", "in Cyrillic letters"),
    "arabic": QT_TRANSLATE_NOOP("Languages", "Arabic"),
    "hebrew": QT_TRANSLATE_NOOP("Languages", "Hebrew"),
    "greek": QT_TRANSLATE_NOOP("Languages", "Greek"),
    "devanagari": QT_TRANSLATE_NOOP("Languages", "in Devanagari letters"),
    "thai": QT_TRANSLATE_NOOP("Languages", "Thai"),
    "latin": QT_TRANSLATE_NOOP("Languages", "in Latin letters"),
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


# Scripts whose every character is a syllable or a word; in the others a word is a run of letters.
_PER_CHARACTER = frozenset({"han", "kana", "hangul"})


def text_script(text: str) -> str | None:
    """The script most words of the text are written in (Japanese: any kana among Han), None without letters.

    Words, not letters: a Chinese character is a word or a syllable, an English word is several letters, so
    "我们使用 Python 和 PyTorch 训练模型" is Chinese (with two English names in it), not mostly Latin.
    """
    counts: Counter[str] = Counter()
    previous = None
    for script in map(_script_of, text):
        if script is not None and (script in _PER_CHARACTER or script != previous):
            counts[script] += 1
        previous = script
    if not counts:
        return None
    script, count = counts.most_common(1)[0]
    if count * 2 < sum(counts.values()):
        return None  # no script has a majority: a mixed text, let the voice try
    if script == "han" and counts["kana"] * 10 >= count:
        return "kana"
    return script


def _codes(languages: tuple[str, ...] | list[str]) -> list[str]:
    return [c.strip().lower().replace("_", "-").split("-")[0] for c in languages if c.strip()]


def reads_script(script: str, voice_languages: tuple[str, ...] | list[str]) -> bool:
    """Whether a voice declaring `voice_languages` reads text written in `script`."""
    return any(script in _LANGUAGE_SCRIPTS.get(code, frozenset({"latin"})) for code in _codes(voice_languages))


def catalog_voice_for(script: str) -> str | None:
    """The name of the catalog's voice for text in `script` (a Piper voice first: it runs offline on any CPU), or
    None when the catalog has none or cannot be read."""
    from aigc_desktop.core.models.catalog import load_catalog  # the catalog imports nothing of audio
    from aigc_desktop.core.specs import ModelKind

    try:
        voices = [m for m in load_catalog().models if m.kind is ModelKind.SPEECH and reads_script(script, m.languages)]
    except UserError:
        return None
    voices.sort(key=lambda m: m.backend != "piper")
    return voices[0].name if voices else None


def language_mismatch(text: str, voice_languages: tuple[str, ...] | list[str]) -> Msg | None:
    """A message for the user when the text is mostly in a script none of the voice's languages is written in; it
    names the catalog's voice for the text's language when there is one.

    None when the voice can read it, when the voice does not say its languages, or when the text has no letters.
    """
    codes = _codes(voice_languages)
    if not codes:
        return None
    script = text_script(text)
    if script is None or reads_script(script, codes):
        return None
    names = [_LANGUAGE_NAMES.get(c, c) for c in dict.fromkeys(codes)]
    speaks = reduce(
        lambda a, b: QT_TRANSLATE_NOOP("Languages", "{first} and {second}").format(first=a, second=b), names
    )
    text_is = _SCRIPT_TEXT_NAMES[script]
    if text_is.startswith("in "):
        return QT_TRANSLATE_NOOP(
            "Languages",
            "This voice speaks {speaks}; the text is written {text}. Choose a voice for its language (see Models).",
        ).format(speaks=speaks, text=text_is)
    voice = catalog_voice_for(script)
    if voice is None:
        return QT_TRANSLATE_NOOP(
            "Languages", "This voice speaks {speaks}; the text is {text}. Choose a {text} voice (see Models)."
        ).format(speaks=speaks, text=text_is)
    return QT_TRANSLATE_NOOP(
        "Languages",
        "This voice speaks {speaks}; the text is {text}. Choose a {text} voice, or download “{voice}” in Models.",
    ).format(speaks=speaks, text=text_is, voice=voice)
