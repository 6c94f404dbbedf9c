"""The Linguist files: up to date with the code, Chinese complete, placeholders intact, the glossary's terms used."""

from __future__ import annotations

import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installer"))

import translations  # noqa: E402 - installer/translations.py, the tool setup.sh runs

PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^}]*)?\}")


def messages(ts: Path) -> list[ET.Element]:
    return list(ET.parse(ts).getroot().iter("message"))


def translations_of(message: ET.Element) -> list[str]:
    node = message.find("translation")
    assert node is not None
    forms = node.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [node.text or ""]


@pytest.mark.slow
def test_the_ts_files_are_up_to_date_with_the_code(tmp_path: Path) -> None:
    """Running lupdate again changes nothing: every visible string in the code is in the .ts files, and every
    entry there is still in the code."""
    for language in translations.LANGUAGES:
        shutil.copy(translations.ts_file(language), tmp_path)
    translations.update(tmp_path)
    for language in translations.LANGUAGES:
        fresh = translations.ts_file(language, tmp_path).read_text(encoding="utf-8")
        kept = translations.ts_file(language).read_text(encoding="utf-8")
        assert fresh == kept, f"run `python installer/translations.py update` ({language} is out of date)"


def test_chinese_is_complete_and_keeps_every_placeholder() -> None:
    problems = []
    for m in messages(translations.ts_file("zh_CN")):
        source = m.findtext("source") or ""
        state = m.find("translation").get("type", "")  # type: ignore[union-attr]
        if state in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{state}: {source!r}")
            continue
        for text in translations_of(m):
            if not text.strip():
                problems.append(f"empty: {source!r}")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source!r} → {text!r}")
            elif m.get("numerus") == "yes" and "%n" in source and "%n" not in text:
                problems.append(f"%n missing: {source!r} → {text!r}")
    assert not problems, "\n".join(problems)


def test_english_plurals_have_both_forms() -> None:
    for m in messages(translations.ts_file("en")):
        assert m.get("numerus") == "yes"
        forms = translations_of(m)
        assert len(forms) == 2 and all("%n" in f for f in forms), (m.findtext("source"), forms)


def glossary() -> dict[str, str]:
    """English term → the one Chinese word for it: the "Checked terms" table of resources/translations/GLOSSARY.md
    (the other tables list words to use that depend on where they stand, so no test can check them)."""
    terms = {}
    text = (ROOT / "resources" / "translations" / "GLOSSARY.md").read_text(encoding="utf-8")
    checked = text.split("## Checked terms", 1)[1].split("\n## ", 1)[0]
    for line in checked.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and not set(cells[0]) <= {"-", " "} and cells[0] != "English":
            terms[cells[0].lower()] = cells[1]
    return terms


def test_the_glossary_terms_are_used_consistently() -> None:
    """Where a source text uses a glossary term (as a word), its Chinese uses the glossary's word for it. A
    placeholder such as {model} is a value, not a word of the text: it is left out."""
    problems = []
    terms = glossary()
    assert {"layer", "clip", "model", "generate"} <= terms.keys()
    for m in messages(translations.ts_file("zh_CN")):
        source = PLACEHOLDER.sub("", m.findtext("source") or "").lower()
        for term, chinese in terms.items():
            if re.search(rf"\b{re.escape(term)}s?\b", source) and not any(chinese in t for t in translations_of(m)):
                problems.append(f"{term} → {chinese}: {m.findtext('source')!r} → {translations_of(m)}")
    assert not problems, "\n".join(problems)
