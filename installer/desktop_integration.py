"""Menu entry, icon and the .aigc file type for one user, without root (the tarball's "Add to menu"; the .deb puts
the same files under /usr/share). Pure Python, so the frozen launcher carries it:

    add_to_menu(files)       ~/.local/share/{applications,icons,mime}: the entry runs `files.command`
    remove_from_menu()       the same files removed (the tarball's Uninstall)
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DESKTOP = "aigc-desktop.desktop"
MIME_TYPE = "application/x-aigc-project"
MIME_XML = "aigc-desktop-mime.xml"


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


@dataclass(frozen=True)
class Files:
    """What the entry is made from: the launcher's command line, the shipped entry, icon and MIME type."""

    command: list[str]
    desktop: Path
    icon: Path
    mime_xml: Path
    uninstall: Path | None = None  # a tarball's uninstall.sh: the entry's Uninstall action


def _exec(words: list[str]) -> str:
    """Quoted as the Desktop Entry spec wants (double quotes around each argument that needs them)."""
    return " ".join(f'"{w}"' if any(c in w for c in ' "\\$`') or not w else w for w in words)


def desktop_entry(template: str, command: list[str], icon: Path, uninstall: Path | None) -> str:
    """The shipped entry with absolute paths (a tarball is not on PATH) and, for a tarball, an Uninstall action."""
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={_exec(command)} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        elif line.startswith("Icon="):
            line = f"Icon={icon}"
        lines.append(line)
    if uninstall is not None:
        lines.append("Actions=uninstall;")
        lines += ["", "[Desktop Action uninstall]", "Name=Uninstall AIGC Desktop", "Name[zh_CN]=卸载 AIGC Desktop"]
        lines.append(f"Exec={_exec([str(uninstall)])}")
    return "\n".join(lines) + "\n"


def _set_default(mime_type: str, desktop: str) -> None:
    """mimeapps.list [Default Applications] (what `xdg-mime default` writes), edited in place."""
    path = config_home() / "mimeapps.list"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = [line for line in text.splitlines() if not line.startswith(f"{mime_type}=")]
    if "[Default Applications]" not in lines:
        lines += ["[Default Applications]"]
    at = lines.index("[Default Applications]") + 1
    lines.insert(at, f"{mime_type}={desktop}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _refresh(share: Path) -> None:
    for cmd in (
        ["update-mime-database", str(share / "mime")],
        ["update-desktop-database", str(share / "applications")],
    ):
        if shutil.which(cmd[0]):
            subprocess.run(cmd, check=False, capture_output=True)


def add_to_menu(files: Files) -> Path:
    """Install the entry, the icon and the .aigc type for this user; the entry's path."""
    share = data_home()
    apps, mime, icons = share / "applications", share / "mime" / "packages", share / "icons/hicolor/scalable/apps"
    for folder in (apps, mime, icons):
        folder.mkdir(parents=True, exist_ok=True)
    icon = icons / "aigc-desktop.svg"
    shutil.copyfile(files.icon, icon)
    shutil.copyfile(files.mime_xml, mime / MIME_XML)
    entry = apps / DESKTOP
    partial = entry.with_suffix(".partial")
    partial.write_text(desktop_entry(files.desktop.read_text(encoding="utf-8"), files.command, icon, files.uninstall))
    partial.chmod(0o755)
    partial.replace(entry)
    _set_default(MIME_TYPE, DESKTOP)
    _refresh(share)
    return entry


def exec_words(entry: Path) -> list[str]:
    """The Exec line of an installed entry, split as a launcher would (what a double-click runs)."""
    for line in entry.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            return shlex.split(line[5:])
    return []


def remove_from_menu() -> None:
    share = data_home()
    for path in (
        share / "applications" / DESKTOP,
        share / "mime" / "packages" / MIME_XML,
        share / "icons/hicolor/scalable/apps/aigc-desktop.svg",
    ):
        path.unlink(missing_ok=True)
    mimeapps = config_home() / "mimeapps.list"
    if mimeapps.exists():
        kept = [line for line in mimeapps.read_text().splitlines() if line != f"{MIME_TYPE}={DESKTOP}"]
        mimeapps.write_text("\n".join(kept) + "\n")
    _refresh(share)
