"""Offline bundles: every wheel a lock needs in one folder (or a .tar of it), for machines without internet.

    make_bundle(lock, Path("aigc-runtime-cpu"), python, on_log)          # a folder
    archive(Path("aigc-runtime-cpu"))                                     # → aigc-runtime-cpu.tar

Made on a machine with the network (or a warm pip cache: pip takes what it has cached), with `pip wheel --no-deps`,
so llama.cpp's sdist arrives compiled (a portable build, locks.BUILD_ENV). The setup window and `--setup --bundle`
take either form; `bundle.json` names the lock it was made from.
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.runtime.locks import BUILD_ENV, Lock

MANIFEST = "bundle.json"


def make_bundle(lock: Lock, folder: Path, python: str, on_log: Callable[[str], None] = print) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [python, "-m", "pip", "wheel", "--no-deps", "-w", str(folder), *lock.index_options]
    cmd += [p.requirement for p in lock.pins]
    on_log("$ " + " ".join(cmd))
    env = {**os.environ, **BUILD_ENV, "PIP_NO_INPUT": "1"}
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    for line in done.stdout.splitlines():
        on_log(line)
    if done.returncode != 0:
        raise UserError(
            QT_TRANSLATE_NOOP("Setup", "The offline bundle could not be made (pip exited with {code}).").format(
                code=done.returncode
            )
        )
    wheels = sorted(p.name for p in folder.glob("*.whl"))
    manifest = {"kind": lock.kind, "lock": lock.digest, "wheels": wheels}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return folder


def archive(folder: Path, target: Path | None = None) -> Path:
    """An uncompressed tar of the bundle (wheels are zip files already: gzip would only cost time)."""
    out = target or folder.with_suffix(".tar")
    partial = out.with_name(out.name + ".partial")
    with tarfile.open(partial, "w") as tf:
        tf.add(folder, arcname=folder.name)
    partial.replace(out)
    return out
