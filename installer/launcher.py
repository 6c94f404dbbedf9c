"""AIGC Desktop's launcher: the program the menu entry, the .deb and the tarball start (frozen with PyInstaller,
PySide6 only — installer/build_packages.py). It owns no app code: it finds the runtime built for this machine and
runs the app (app/main.py) with the runtime's Python, or builds the runtime first.

    aigc-desktop [FILE.aigc]                 the app; first start: the setup window, then the app
    aigc-desktop --setup [--yes]             (re)build the runtime: the window, or in the terminal with --yes
                 [--hardware cpu|cuda] [--bundle PATH] [--location DIR] [--no-start]
    aigc-desktop --repair                    the setup window titled Repair (Help ▸ Repair installation starts it)
    aigc-desktop --make-bundle DIR [--hardware cpu|cuda]   an offline bundle (DIR and DIR.tar) for offline machines
    aigc-desktop --add-to-menu               menu entry, icon and .aigc type for this user (the tarball; no root)
    aigc-desktop --uninstall [--yes] [--remove-models]     remove the runtime (asks about models; never projects)
                                             and, for a tarball, its menu entry

Later starts take the fast path: no Qt, a few small imports, then exec() of the runtime's Python — the launcher's
process becomes the app, so nothing of it lingers.
"""

from __future__ import annotations

import os
import sys


def fast_python() -> str | None:
    """The finished runtime's Python on Linux, found with nothing but os and json (a later start's whole cost is
    here): the same answer as core/runtime/layout.installed() — tests/test_launcher.py holds them equal — without
    importing platformdirs, pathlib, dataclasses or argparse. None: take the full path."""
    if not sys.platform.startswith("linux"):
        return None
    import json

    home = os.environ.get("AIGC_DESKTOP_HOME", "").strip()
    if home:
        root = os.path.realpath(os.path.expanduser(home))
        data, config = os.path.join(root, "data"), os.path.join(root, "config")
    else:
        user = os.path.expanduser("~")
        data_home = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.join(user, ".local", "share")
        config_home = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.join(user, ".config")
        data, config = os.path.join(data_home, "aigc-desktop"), os.path.join(config_home, "aigc-desktop")
    try:
        with open(os.path.join(config, "runtime.json"), encoding="utf-8") as f:
            location = json.load(f).get("location", "") or os.path.join(data, "runtime")
    except (OSError, ValueError, AttributeError):
        location = os.path.join(data, "runtime")
    try:
        with open(os.path.join(location, "current.json"), encoding="utf-8") as f:
            marker = json.load(f)
        python = os.path.join(location, marker["folder"], "bin", "python")
        if not isinstance(marker.get("kind"), str) or not isinstance(marker.get("lock"), str):
            return None  # not a marker layout.installed() accepts
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return python if os.path.exists(python) else None


def quick_start() -> None:
    """`aigc-desktop [FILE] [--smoke]` with a finished runtime: exec it at once; return when that does not apply."""
    rest = sys.argv[1:]
    if any(a.startswith("-") and a != "--smoke" for a in rest) or len([a for a in rest if a != "--smoke"]) > 1:
        return
    python = fast_python()
    if python is None:
        return
    frozen = getattr(sys, "frozen", False)
    here = os.path.dirname(os.path.realpath(sys.executable if frozen else __file__))
    main_py = os.path.join(here, "app", "main.py") if frozen else os.path.join(os.path.dirname(here), "main.py")
    args = [os.path.abspath(a) if a != "--smoke" else a for a in rest]
    exec_app(python, main_py, args)


def exec_app(python: str, main_py: str, args: list[str]) -> None:
    """Become the app (exec): its exit code is ours, and no launcher process is left behind."""
    env = dict(os.environ)
    frozen = getattr(sys, "frozen", False)
    env[LAUNCHER_ENV] = sys.executable if frozen else f"{sys.executable} {os.path.realpath(__file__)}"
    if frozen:  # PyInstaller's library path is for the launcher's own libraries, not the runtime's
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        env.pop("LD_LIBRARY_PATH", None)
        if original:
            env["LD_LIBRARY_PATH"] = original
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(python, [python, main_py, *args], env)


LAUNCHER_ENV = "AIGC_LAUNCHER"  # tells the app how to come back here (Help ▸ Repair installation)
if __name__ == "__main__":
    quick_start()

import argparse  # noqa: E402  (the full path: everything past the quick start)
import time  # noqa: E402
from pathlib import Path  # noqa: E402

FROZEN = getattr(sys, "frozen", False)
BASE = Path(sys.executable).resolve().parent if FROZEN else Path(__file__).resolve().parent.parent
if not FROZEN:
    sys.path.insert(0, str(BASE))
    sys.path.insert(0, str(BASE / "installer"))
APP = BASE / "app" if FROZEN else BASE  # main.py, aigc_desktop/, resources/
# The locks shipped beside the launcher; AIGC_LOCKS_DIR points elsewhere (tests build tiny runtimes from tiny locks).
LOCKS = Path(os.environ.get("AIGC_LOCKS_DIR") or (BASE / "locks" if FROZEN else BASE / "installer" / "locks"))

from aigc_desktop.core.runtime import layout  # noqa: E402  (after the path line: running from a checkout)


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="aigc-desktop", description="AIGC Desktop")
    p.add_argument("project", nargs="?", help="a project file to open")
    p.add_argument("--setup", action="store_true", help="build (or rebuild) the runtime")
    p.add_argument("--repair", action="store_true", help="the setup window, to re-check and rebuild the runtime")
    p.add_argument("--yes", action="store_true", help="no window, no questions: the detected/given choices")
    p.add_argument("--hardware", choices=("cpu", "cuda"), help="build for this instead of what was detected")
    p.add_argument("--bundle", type=Path, help="install from this offline bundle (folder or .tar)")
    p.add_argument("--location", type=Path, help="where the runtime goes (remembered)")
    p.add_argument("--no-start", action="store_true", help="after --setup, do not start the app")
    p.add_argument("--make-bundle", type=Path, metavar="DIR", help="write an offline bundle for --hardware")
    p.add_argument("--add-to-menu", action="store_true", help="add the menu entry and the .aigc type for this user")
    p.add_argument("--uninstall", action="store_true", help="remove the runtime (and, if asked, the models)")
    p.add_argument("--remove-models", action="store_true", help="with --uninstall --yes: delete the models too")
    p.add_argument("--smoke", action="store_true", help="passed to the app: paint once offscreen, print JSON, exit")
    return p.parse_args(argv)


def start_app(installed: layout.Installed, args: argparse.Namespace) -> int:
    rest = [str(Path(args.project).resolve())] if args.project else []
    exec_app(str(installed.python), str(APP / "main.py"), rest + (["--smoke"] if args.smoke else []))
    return 0  # not reached


def fail(message: str) -> int:
    print(f"aigc-desktop: {message}", file=sys.stderr)
    return 1


def backend(args: argparse.Namespace) -> object:
    from aigc_desktop import __version__
    from aigc_desktop.workers.runtime_setup import LocalBackend

    return LocalBackend(LOCKS, __version__, override=args.hardware)


def setup_in_terminal(args: argparse.Namespace) -> layout.Installed | None:
    """--setup --yes: the same build as the window's, its progress on stderr; None (after one line) on failure."""
    from aigc_desktop import __version__
    from aigc_desktop.core.errors import UserError
    from aigc_desktop.core.runtime import build, hardware, locks

    found = hardware.detect(args.hardware)
    gpus = ", ".join(f"{g.name} ({g.memory_mb} MiB)" for g in found.gpus) or "no NVIDIA GPU"
    print(f"[setup] found: {gpus}; building for: {found.kind}", file=sys.stderr)
    root = args.location or layout.location()
    last = [-1.0, 0.0]

    def progress(p: build.Progress) -> None:
        now = time.monotonic()
        if p.fraction - last[0] >= 0.01 or now - last[1] > 10 or p.fraction >= 1.0:
            left = f", ~{p.seconds_left:.0f} s left" if p.seconds_left is not None else ""
            counts = f" {p.bytes_done / 1e6:.0f}/{p.bytes_total / 1e6:.0f} MB" if p.bytes_total else ""
            pkgs = f" {p.packages_done}/{p.packages_total} packages" if p.packages_total else ""
            print(f"[setup] {p.fraction * 100:5.1f}% {p.stage}{counts}{pkgs}{left}", file=sys.stderr, flush=True)
            last[:] = [p.fraction, now]

    log_file = root / "setup.log"
    try:
        root.mkdir(parents=True, exist_ok=True)
        if args.location:
            layout.remember_location(root)
        with log_file.open("a", encoding="utf-8") as log:
            plan = build.default_plan(locks.load(found.kind, LOCKS), root, __version__, args.bundle)
            installed = build.RuntimeBuilder(plan, progress, lambda line: log.write(line + "\n")).run()
    except build.PackageFailed as exc:
        fail(f"{exc} {exc.details.splitlines()[-1] if exc.details else ''} (log: {log_file})")
        return None
    except (UserError, OSError) as exc:
        fail(f"{exc} (log: {log_file})")
        return None
    except KeyboardInterrupt:
        fail("cancelled; nothing was left half-installed")
        return None
    print(f"[setup] ready: {installed.folder}", file=sys.stderr)
    return installed


def qt_paths() -> None:
    """What PyInstaller's PySide6 run-time hook would do at every start (build_packages.py drops it): only here,
    before the first Qt import."""
    if FROZEN:
        os.environ.setdefault("QT_PLUGIN_PATH", str(Path(sys._MEIPASS) / "PySide6" / "Qt" / "plugins"))  # type: ignore[attr-defined]


def setup_window(args: argparse.Namespace, repair: bool) -> layout.Installed | None:
    qt_paths()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from aigc_desktop.ui.fonts import use_chinese_faces
    from aigc_desktop.ui.i18n import apply_language, system_language
    from aigc_desktop.ui.setup_window import SetupWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("AIGC Desktop")
    app.setDesktopFileName("aigc-desktop")
    icon = APP / "resources" / "aigc-desktop.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    use_chinese_faces(app)
    apply_language(system_language())
    window = SetupWindow(backend(args), folder=args.location, repair=repair)  # type: ignore[arg-type]
    if args.bundle:
        window.set_bundle(args.bundle)
    chosen: list[layout.Installed] = []
    window.start_requested.connect(lambda installed: (chosen.append(installed), window.close()))
    window.show()
    app.exec()
    return chosen[0] if chosen else None


def make_bundle(args: argparse.Namespace) -> int:
    from aigc_desktop.core.errors import UserError
    from aigc_desktop.core.runtime import build, bundle, hardware, locks

    kind = args.hardware or hardware.detect().kind
    python = build.find_python()
    if python is None:
        return fail("Python 3.11 or 3.12 is needed to make a bundle (sudo apt install python3 python3-venv)")
    try:
        folder = bundle.make_bundle(
            locks.load(kind, LOCKS), args.make_bundle, python, lambda s: print(s, file=sys.stderr)
        )
    except UserError as exc:
        return fail(str(exc))
    print(bundle.archive(folder))
    return 0


def uninstall(args: argparse.Namespace) -> int:
    """Remove the runtime; the models only when the user says so; projects never."""
    import shutil

    from aigc_desktop.core.paths import app_paths

    root = layout.location()
    models = app_paths().models_dir
    remove_models = args.remove_models
    if not args.yes and models.is_dir() and any(models.iterdir()):
        qt_paths()
        from PySide6.QtWidgets import QApplication

        from aigc_desktop.ui.i18n import apply_language, system_language
        from aigc_desktop.ui.installation import ask_remove_models

        app = QApplication.instance() or QApplication(sys.argv[:1])
        apply_language(system_language())
        remove_models = ask_remove_models(models)
        del app
    shutil.rmtree(root, ignore_errors=True)
    layout.config_file().unlink(missing_ok=True)
    if not str(BASE).startswith("/opt/"):  # this copy's own menu entry (the .deb's belongs to dpkg)
        from desktop_integration import remove_from_menu

        remove_from_menu()
    print(f"removed the runtime: {root}", file=sys.stderr)
    if remove_models:
        shutil.rmtree(models, ignore_errors=True)
        print(f"removed the models: {models}", file=sys.stderr)
    return 0


def menu_files() -> object:
    from desktop_integration import Files

    if FROZEN:
        share = BASE / "share"
        uninstall = BASE / "uninstall.sh"
        return Files([sys.executable], share / "aigc-desktop.desktop", share / "aigc-desktop.svg",
                     share / "aigc-desktop-mime.xml", uninstall if uninstall.exists() else None)  # fmt: skip
    resources = BASE / "resources"
    return Files([sys.executable, str(Path(__file__).resolve())], resources / "aigc-desktop.desktop",
                 resources / "aigc-desktop.svg", BASE / "installer" / "linux" / "aigc-desktop-mime.xml")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.make_bundle:
        return make_bundle(args)
    if args.uninstall:
        return uninstall(args)
    if args.add_to_menu:
        from desktop_integration import add_to_menu

        print(add_to_menu(menu_files()))
        return 0
    if args.location and not (args.setup or args.repair):
        layout.remember_location(args.location)
    installed = None if (args.setup or args.repair) else layout.installed()
    if installed is None:
        installed = setup_in_terminal(args) if args.yes else setup_window(args, repair=args.repair)
        if installed is None:
            return 1
        if args.no_start:
            return 0
    return start_app(installed, args)


if __name__ == "__main__":
    raise SystemExit(main())
