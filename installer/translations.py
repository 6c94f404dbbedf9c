"""Qt Linguist files for the interface: keep the .ts sources up to date with the code, compile them to .qm.

    .venv/bin/python installer/translations.py update    # after changing visible strings: refresh the .ts files
    .venv/bin/python installer/translations.py release   # compile .ts → .qm (setup.sh does this)

resources/translations/aigc_desktop_zh_CN.ts holds every string with its Chinese; aigc_desktop_en.ts only the plural
("%n …") strings, whose English forms need a translation file too. Locations are not stored: the files change only
when the strings do. The compiled .qm files are build output (not in git).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "aigc_desktop"
TRANSLATIONS = ROOT / "resources" / "translations"
CATALOG = "aigc_desktop"
LANGUAGES = {"zh_CN": [], "en": ["-pluralonly"]}  # language → extra lupdate options


def ts_file(language: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"{CATALOG}_{language}.ts"


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease from the same environment as this Python."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(beside) if beside.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found: install PySide6-Essentials")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES.rglob("*.py"))


def update(folder: Path = TRANSLATIONS) -> None:
    """Refresh the .ts files in `folder` from the code (new strings come in unfinished, vanished ones go)."""
    folder.mkdir(parents=True, exist_ok=True)
    for language, options in LANGUAGES.items():
        cmd = [tool("lupdate"), "-silent", "-locations", "none", "-no-obsolete", *options, *sources()]
        subprocess.run([*cmd, "-ts", str(ts_file(language, folder))], cwd=ROOT, check=True)


def release(folder: Path = TRANSLATIONS, out: Path | None = None) -> list[Path]:
    """Compile every .ts in `folder` to a .qm (in `out`, default beside it); the written files."""
    written = []
    for ts in sorted(folder.glob(f"{CATALOG}_*.ts")):
        qm = (out or folder) / ts.with_suffix(".qm").name
        subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True)
        written.append(qm)
    return written


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "release":
        release()
    else:
        raise SystemExit("usage: translations.py update|release")
