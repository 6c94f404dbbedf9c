"""One window per user (ui/single_instance.py, app.py): a second start — a real second process running main.py as
the desktop entry does — hands its file to the running window, which opens it and shows the project in its title."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aigc_desktop.app import _bring_forward
from aigc_desktop.core.project.model import Document, Project
from aigc_desktop.core.project.store import save_project
from aigc_desktop.ui.single_instance import InstanceServer, hand_over, server_name

REPO = Path(__file__).resolve().parent.parent


def second_start(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "main.py", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_second_start_hands_its_file_to_the_running_window(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = InstanceServer()
    assert server.listen()
    server.file_received.connect(lambda path: _bring_forward(window, path))
    project = tmp_path / "Moon story.aigc"
    save_project(Project(name="Moon story", document=Document(text="Once upon a time")), project)
    before = window.windowTitle()
    process = second_start(str(project))
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=60_000)
    finally:
        if process.poll() is None:
            process.kill()
    _, err = process.communicate()
    assert process.returncode == 0, err
    qtbot.waitUntil(lambda: window.windowTitle() != before)
    assert window.windowTitle() == f"Moon story — {project} — AIGC Desktop"
    assert window.session.path == project and window.session.project.document.text == "Once upon a time"
    server.close()


def test_no_running_instance_means_no_hand_over(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert not hand_over(tmp_path / "x.aigc", name=server_name() + "-nobody")


def test_a_start_without_a_file_only_brings_the_window_forward(qtbot) -> None:  # type: ignore[no-untyped-def]
    server = InstanceServer(server_name() + "-t")
    assert server.listen()
    with qtbot.waitSignal(server.file_received) as got:
        # hand_over blocks while waiting for the answer; run it in a second process to keep this loop free.
        code = (
            "import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);"
            "from aigc_desktop.ui.single_instance import hand_over; sys.exit(0 if hand_over(None, sys.argv[1]) else 3)"
        )
        process = subprocess.Popen([sys.executable, "-c", code, server.name], cwd=REPO)
    assert got.args == [None]
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
    assert process.returncode == 0
    server.close()


def test_a_crashed_instance_socket_does_not_block_listening(qapp) -> None:  # type: ignore[no-untyped-def]
    name = server_name() + "-crashed"
    first = InstanceServer(name)
    assert first.listen()
    # A crash leaves the socket file; a fresh server (the next start) must still listen.
    second = InstanceServer(name)
    first.server.close()
    assert second.listen()
    second.close()
