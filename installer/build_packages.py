"""Build the Linux downloads from this checkout (dist/):

    .venv/bin/python installer/build_packages.py [--skip-freeze]

    dist/aigc-desktop-<version>-linux-x86_64.tar.gz   unpack anywhere; `aigc-desktop` (or "AIGC Desktop") starts it;
                                                      `aigc-desktop --add-to-menu` adds the menu entry for this user
    dist/aigc-desktop_<version>_amd64.deb             /opt/aigc-desktop, /usr/bin/aigc-desktop, menu entry, .aigc type

Both hold the same tree: the launcher frozen with PyInstaller (installer/launcher.py, PySide6 only; `_internal/`),
`app/` (main.py, aigc_desktop/ compiled, resources/ with the .qm), `locks/` (the pinned requirements per hardware
kind), `share/` (desktop entry, MIME type, icon), THIRD_PARTY_NOTICES.md, uninstall.sh. Not torch: the runtime is
built on the user's machine on first start. Needs PyInstaller (dev extra), dpkg-deb and the compiled translations.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aigc_desktop import __version__  # noqa: E402

DIST = ROOT / "dist"
BUILD = ROOT / "build" / "packages"
NAME = "aigc-desktop"
# Runtime needs of the .deb: Python for the runtime venv, the compilers for llama.cpp's portable build, Qt's xcb libs.
DEPENDS = (
    "python3 (>= 3.11), python3-venv, python3-pip, g++, cmake, libegl1, libgl1, libfontconfig1, libxkbcommon-x11-0, "
    "libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-randr0, "
    "libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libdbus-1-3, libglib2.0-0, libportaudio2, fonts-noto-cjk"
)
UNINSTALL_SH = """#!/bin/sh
# Remove this copy of AIGC Desktop: the runtime (asks about models; projects are never touched), the menu entry,
# then this folder.
here="$(cd "$(dirname "$0")" && pwd)"
"$here/aigc-desktop" --uninstall "$@" || exit $?
rm -rf "$here"
"""
POSTINST = """#!/bin/sh
set -e
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
"""
# Removing the package removes each user's runtime at its default place (models and projects stay: the models are
# the user's downloads, `aigc-desktop --uninstall` asks about them; projects are never touched).
POSTRM = r"""#!/bin/sh
set -e
if [ "$1" = remove ] || [ "$1" = purge ]; then
    getent passwd | cut -d: -f6 | sort -u | while read -r home; do
        [ -n "$home" ] && [ "$home" != / ] || continue
        config="$home/.config/aigc-desktop/runtime.json"
        chosen="$(sed -n 's/.*"location": *"\([^"]*\)".*/\1/p' "$config" 2>/dev/null || true)"
        for loc in "$home/.local/share/aigc-desktop/runtime" "$chosen"; do
            if [ -n "$loc" ] && [ -f "$loc/current.json" ]; then rm -rf "$loc"; fi
        done
        rm -f "$config"
    done
fi
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
"""


def run(cmd: list[str], **kw: object) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def freeze() -> Path:
    """The launcher, one folder (onedir starts faster than onefile: nothing to unpack on each start).

    PyInstaller's PySide6 run-time hook imports QtCore at every start (to embed a qt.conf): a third of a second
    that later starts, which never touch Qt, must not pay. The spec drops it; the launcher sets QT_PLUGIN_PATH
    itself before its first Qt import, and a qt.conf beside the executable gives Qt its prefix."""
    qm = sorted((ROOT / "resources" / "translations").glob("*.qm"))
    if not qm:
        raise SystemExit("no .qm files: run `python installer/translations.py release` first")
    options = ["--onedir", "--name", NAME, "--specpath", str(BUILD), "--paths", str(ROOT),
               "--paths", str(ROOT / "installer"),
               "--hidden-import", "aigc_desktop.ui.setup_window", "--hidden-import", "desktop_integration",
               "--add-data", f"{ROOT / 'resources' / 'translations'}/*.qm:resources/translations",
               "--add-data", f"{ROOT / 'resources' / 'aigc-desktop.svg'}:resources"]  # fmt: skip
    heavy = ["torch", "numpy", "PIL", "transformers", "diffusers", "llama_cpp", "piper", "onnxruntime", "tkinter"]
    heavy += ["PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtPdf", "PySide6.QtWebEngineCore"]
    for module in heavy:
        options += ["--exclude-module", module]
    BUILD.mkdir(parents=True, exist_ok=True)
    run(
        [sys.executable, "-m", "PyInstaller.utils.cliutils.makespec", *options, str(ROOT / "installer" / "launcher.py")]
    )
    spec = BUILD / f"{NAME}.spec"
    text = spec.read_text()
    text = text.replace("pyz = PYZ(", "a.scripts = [s for s in a.scripts if s[0] != 'pyi_rth_pyside6']\npyz = PYZ(", 1)
    spec.write_text(text)
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(BUILD / "pyinstaller"),
         "--workpath", str(BUILD / "work"), str(spec)], cwd=ROOT)  # fmt: skip
    out = BUILD / "pyinstaller" / NAME
    (out / "qt.conf").write_text("[Paths]\nPrefix=_internal/PySide6/Qt\n")
    return out


def tracked(paths: list[str]) -> list[Path]:
    out = subprocess.run(["git", "ls-files", *paths], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file()]


def stage(frozen: Path) -> Path:
    """The installed tree, shared by the tarball and the .deb."""
    top = BUILD / "stage" / f"{NAME}-{__version__}"
    shutil.rmtree(top.parent, ignore_errors=True)
    shutil.copytree(frozen, top, symlinks=True)
    app = top / "app"
    for f in tracked(["main.py", "pyproject.toml", "README.md", "aigc_desktop", "resources"]):
        target = app / f.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    for qm in (ROOT / "resources" / "translations").glob("*.qm"):
        shutil.copy2(qm, app / "resources" / "translations" / qm.name)
    # Bytecode for the runtime's Python (3.11 on Debian 12): /opt is read-only to users, so it could never cache.
    compileall.compile_dir(str(app / "aigc_desktop"), quiet=1)
    compileall.compile_file(str(app / "main.py"), quiet=1)
    shutil.copytree(ROOT / "installer" / "locks", top / "locks")
    share = top / "share"
    share.mkdir()
    shutil.copy2(ROOT / "resources" / "aigc-desktop.desktop", share / "aigc-desktop.desktop")
    shutil.copy2(ROOT / "resources" / "aigc-desktop.svg", share / "aigc-desktop.svg")
    shutil.copy2(ROOT / "installer" / "linux" / "aigc-desktop-mime.xml", share / "aigc-desktop-mime.xml")
    shutil.copy2(ROOT / "THIRD_PARTY_NOTICES.md", top / "THIRD_PARTY_NOTICES.md")
    (top / "AIGC Desktop").symlink_to(NAME)  # what a file manager shows to double-click
    return top


def tarball(top: Path) -> Path:
    tree = top.parent / f"tar-{top.name}" / top.name
    shutil.copytree(top, tree, symlinks=True)
    (tree / "uninstall.sh").write_text(UNINSTALL_SH)
    (tree / "uninstall.sh").chmod(0o755)
    out = DIST / f"{NAME}-{__version__}-linux-x86_64.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tf:
        tf.add(tree, arcname=top.name)
    return out


def deb(top: Path) -> Path:
    root = BUILD / "deb"
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / NAME
    shutil.copytree(top, opt, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    usr = root / "usr" / "share"
    for sub, src in (
        ("applications/aigc-desktop.desktop", top / "share" / "aigc-desktop.desktop"),
        ("mime/packages/aigc-desktop.xml", top / "share" / "aigc-desktop-mime.xml"),
        ("icons/hicolor/scalable/apps/aigc-desktop.svg", top / "share" / "aigc-desktop.svg"),
        ("doc/aigc-desktop/THIRD_PARTY_NOTICES.md", top / "THIRD_PARTY_NOTICES.md"),
    ):
        (usr / sub).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, usr / sub)
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    control = root / "DEBIAN"
    control.mkdir()
    (control / "control").write_text(
        f"Package: {NAME}\nVersion: {__version__}\nArchitecture: amd64\n"
        "Maintainer: AIGC Desktop <aigc-desktop@invalid>\n"
        f"Installed-Size: {size_kb}\nDepends: {DEPENDS}\nSection: graphics\nPriority: optional\n"
        "Homepage: https://github.com/aigc-desktop\n"
        "Description: Offline desktop studio: write, paint and record with local generative models\n"
        " AIGC Desktop builds its Python runtime (PyTorch for this machine's GPU or CPU) on first start,\n"
        " in the user's data folder, with a progress bar; later starts go straight to the app.\n"
    )
    for name, text in (("postinst", POSTINST), ("postrm", POSTRM)):
        (control / name).write_text(text)
        (control / name).chmod(0o755)
    out = DIST / f"{NAME}_{__version__}_amd64.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(root), str(out)])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-freeze", action="store_true", help="reuse build/packages/pyinstaller")
    args = parser.parse_args()
    DIST.mkdir(exist_ok=True)
    t0 = time.monotonic()
    frozen = BUILD / "pyinstaller" / NAME if args.skip_freeze else freeze()
    t1 = time.monotonic()
    top = stage(frozen)
    outs = [tarball(top), deb(top)]
    t2 = time.monotonic()
    print(f"freeze {t1 - t0:.0f} s, packages {t2 - t1:.0f} s")
    for out in outs:
        print(f"{out}  {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
