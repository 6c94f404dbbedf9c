"""`aigc project info|check|export|import`: read-only checks of a project file, and project archives (.aigcz)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from aigc_desktop.cli.common import Parser
from aigc_desktop.core.paths import app_paths


def register(sub: Any) -> None:
    project = sub.add_parser("project", help="project files (.aigc): inspect, check, archive")
    project_sub = project.add_subparsers(dest="project_command", parser_class=Parser)
    info = project_sub.add_parser("info", help="schema, counts, missing assets and recovery copy of a project")
    info.add_argument("path", help="the project file (.aigc)")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(func=cmd_project_info)
    check = project_sub.add_parser(
        "check", help="validate a project: exit 0 healthy, 1 problems (one per line), 2 unreadable"
    )
    check.add_argument("path", help="the project file (.aigc)")
    check.set_defaults(func=cmd_project_check)
    export = project_sub.add_parser("export", help="write a project as one archive (.aigcz) to send or back up")
    export.add_argument("path", help="the project file (.aigc)")
    export.add_argument("archive", help="the archive to write (.aigcz)")
    export.set_defaults(func=cmd_project_export)
    imp = project_sub.add_parser("import", help="check an archive (.aigcz) and save its project as a .aigc file")
    imp.add_argument("archive", help="the archive to read (.aigcz)")
    imp.add_argument("path", help="the project file to create (.aigc)")
    imp.add_argument("--force", action="store_true", help="replace the project file if it exists")
    imp.set_defaults(func=cmd_project_import)


def cmd_project_info(args: argparse.Namespace) -> int:
    # Imported here: the store pulls in numpy and PIL, which `models list` and `--version` do not need.
    from aigc_desktop.core.project import recovery
    from aigc_desktop.core.project.inspection import inspect_project

    info = inspect_project(Path(args.path).expanduser())  # read-only; an unreadable file is one line, exit 2
    if info.project_id:  # the autosave copy a crashed session left of this project, if any
        copy = recovery.copy_path(app_paths(), info.project_id)
        info.recovery_copy = copy if copy.is_file() else None
    if args.json:
        print(json.dumps(info.to_dict(), ensure_ascii=False))
        return 0
    print(f"{info.path}: '{info.name}', schema {info.schema_version}")
    print(f"  {info.layers} layers, {info.clips} clips, {info.history} history entries")
    print(f"  missing assets: {', '.join(info.missing_assets) if info.missing_assets else 'none'}")
    print(f"  recovery copy: {info.recovery_copy if info.recovery_copy else 'none'}")
    if info.interrupted_save:
        print("  an interrupted save left a journal beside it; the last complete save is shown")
    return 0


def cmd_project_check(args: argparse.Namespace) -> int:
    from aigc_desktop.core.project.inspection import inspect_project

    info = inspect_project(Path(args.path).expanduser(), decode=True)
    if info.problems:
        for problem in info.problems:
            print(problem)
        return 1
    print(
        f"OK: {info.path.name} (schema {info.schema_version}, {info.layers} layers, {info.clips} clips, "
        f"{info.history} history entries)"
    )
    return 0


def cmd_project_export(args: argparse.Namespace) -> int:
    from aigc_desktop.core.project.archive import export_archive

    written = export_archive(Path(args.path).expanduser(), Path(args.archive).expanduser())
    print(f"Wrote {written}")
    return 0


def cmd_project_import(args: argparse.Namespace) -> int:
    from aigc_desktop.core.project.archive import import_archive

    written = import_archive(Path(args.archive).expanduser(), Path(args.path).expanduser(), overwrite=args.force)
    print(f"Imported {args.archive} as {written}")
    return 0
