"""The setup window (ui/setup_window.py) with a scripted backend (tests/fake_install.py): what was found and the
override, disk space, progress, cancel, no network → offline bundle, a failing package and Retry, done → Start; its
texts in a pseudo language and a live language switch; and one real build through the real backend (slow)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fake_install import GB, FakeBackend, FakeRun
from i18n_sweep import pseudo_language, untranslated
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.runtime import build, hardware, layout
from aigc_desktop.ui import setup_window as sw
from aigc_desktop.ui.i18n import ENGLISH, apply_language, current_language
from aigc_desktop.ui.units import format_bytes

RTX = hardware.Hardware("cuda", (hardware.Gpu("NVIDIA GeForce RTX 4070", 12282),))
NO_GPU = hardware.Hardware("cpu")


def window(qtbot, backend: FakeBackend, tmp_path: Path) -> sw.SetupWindow:  # type: ignore[no-untyped-def]
    w = sw.SetupWindow(backend, folder=tmp_path / "runtime")
    qtbot.addWidget(w)
    w.show()
    return w


def start(w: sw.SetupWindow, backend: FakeBackend) -> FakeRun:
    w.next_button.click()  # Welcome → Location
    assert w.pages.currentIndex() == sw.LOCATION and w.next_button.text() == "Install"
    w.next_button.click()
    assert w.pages.currentIndex() == sw.INSTALL
    return backend.runs[-1]


def test_gpu_found_installs_for_cuda(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX)
    w = window(qtbot, backend, tmp_path)
    assert w.found_label.text() == "Graphics card: NVIDIA GeForce RTX 4070 with 12 GB of memory."
    assert w.kind_radios["cuda"].isChecked() and w.kind_radios["cuda"].text() == "NVIDIA GPU (CUDA)"
    assert not w.override_label.isVisible()
    run = start(w, backend)
    assert (run.kind, run.folder, run.bundle) == ("cuda", tmp_path / "runtime", None)


def test_no_gpu_installs_for_cpu(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(NO_GPU)
    w = window(qtbot, backend, tmp_path)
    assert w.found_label.text().startswith("No NVIDIA graphics card was found")
    assert w.kind_radios["cpu"].isChecked()
    assert start(w, backend).kind == "cpu"


def test_override_is_said_and_used(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX)
    w = window(qtbot, backend, tmp_path)
    w.kind_radios["cpu"].click()
    assert w.kind == "cpu" and w.override_label.isVisible()
    assert "differently from what was found" in w.override_label.text()
    w.next_button.click()
    assert w.needed_label.text() == "3.6 GB"  # the CPU runtime's need (1 GB × 3.3 + 0.3 GB), not the CUDA one's
    w.next_button.click()
    assert backend.runs[-1].kind == "cpu"


def test_progress_time_left_and_details(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX)
    w = window(qtbot, backend, tmp_path)
    run = start(w, backend)
    assert w.stage_label.text() == "Starting…" and w.bar.value() == 0
    assert not w.cancel_button.isHidden() and w.next_button.isHidden() and w.back_button.isHidden()
    stage = QT_TRANSLATE_NOOP("Setup", "Downloading {name}…").format(name="torch")
    run.progress.emit(build.Progress(0.25, stage, 1 * GB, 4 * GB, 0, 95, seconds_left=200.0))
    assert w.bar.value() == 250 and w.stage_label.text() == "Downloading torch…"
    assert w.counts_label.text() == "1.0 GB of 4.0 GB downloaded · 0 of 95 packages installed"
    assert w.time_label.text() == "About 3 min 20 s left"
    run.progress.emit(build.Progress(0.6, stage, 4 * GB, 4 * GB, 40, 95, seconds_left=None))
    assert w.bar.value() == 600 and w.time_label.text() == "Estimating the time left…"
    run.log.emit("Collecting torch==2.9.1")
    assert w.log_view.isHidden()
    w.details_button.click()
    assert w.log_view.isVisible() and "Collecting torch==2.9.1" in w.log_view.toPlainText()
    assert w.details_button.text() == "Hide details"


def test_cancel_returns_to_location_with_a_note(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX)
    w = window(qtbot, backend, tmp_path)
    run = start(w, backend)
    w.cancel_button.click()
    assert run.cancel_requested and not w.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: w.pages.currentIndex() == sw.LOCATION)
    assert w.notice_label.text() == "Installation cancelled. Nothing was left half-installed."
    assert w.next_button.isEnabled() and w.isVisible()  # Install again is one click away
    w.next_button.click()
    assert len(backend.runs) == 2 and w.notice_label.text() == ""


def test_no_network_offers_an_offline_bundle(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(NO_GPU)
    w = window(qtbot, backend, tmp_path)
    run = start(w, backend)
    run.failed.emit(build.NoNetwork(QT_TRANSLATE_NOOP("Setup", "No internet connection: the package server ({host}) "
        "cannot be reached. Connect to the internet and try again, or install from an offline bundle.").format(
            host="pypi.org")))  # fmt: skip
    assert w.error_box.isVisible() and "No internet connection" in w.error_label.text()
    assert w.offline_button.isVisible() and w.retry_button.isVisible() and not w.change_button.isVisible()
    bundle = tmp_path / "aigc-runtime-cpu.tar"
    bundle.write_bytes(b"")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bundle), ""))
    w.offline_button.click()
    assert w.pages.currentIndex() == sw.LOCATION and w.bundle_check.isChecked()
    assert w.bundle_edit.text() == str(bundle)
    w.next_button.click()
    assert backend.runs[-1].bundle == bundle


def test_bundle_folder_chosen_by_its_manifest(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(NO_GPU)
    w = window(qtbot, backend, tmp_path)
    w.next_button.click()
    folder = tmp_path / "aigc-runtime-cpu"
    folder.mkdir()
    (folder / "bundle.json").write_text("{}")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(folder / "bundle.json"), ""))
    w.bundle_check.click()
    assert not w.next_button.isEnabled()  # bundle chosen but no path yet
    w.bundle_button.click()
    assert w.bundle_edit.text() == str(folder) and w.next_button.isEnabled()
    w.next_button.click()
    assert backend.runs[-1].bundle == folder


def test_not_enough_disk_blocks_install_until_another_folder(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX, download=3 * GB, free=3 * GB)
    roomy = tmp_path / "big-disk"
    roomy.mkdir()
    backend.free_at[roomy] = 500 * GB
    w = window(qtbot, backend, tmp_path)
    w.next_button.click()
    assert (w.needed_label.text(), w.free_label.text()) == ("10.2 GB", "3.0 GB")
    assert w.space_warning.isVisible() and "Not enough free space" in w.space_warning.text()
    assert not w.next_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(roomy))
    w.folder_button.click()
    assert w.folder_edit.text() == str(roomy) and w.free_label.text() == "500.0 GB"
    assert not w.space_warning.isVisible() and w.next_button.isEnabled()
    w.next_button.click()
    assert backend.runs[-1].folder == roomy
    assert layout.location() == roomy  # remembered for the next start


def test_space_needed_with_and_without_a_bundle(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The wheels downloaded into the build count with what they unpack to; a bundle folder's are on disk already
    (only what they unpack to is needed); a bundle archive is unpacked next to the runtime, so its wheels count."""
    backend = FakeBackend(RTX, download=3 * GB, free=9 * GB)
    w = window(qtbot, backend, tmp_path)
    assert "(about 3.0 GB to download)" in w.intro.text()
    w.next_button.click()
    assert w.needed_label.text() == "10.2 GB"  # 3 GB of wheels + 6.9 GB installed (× 2.3) + 0.3 GB for the venv
    assert w.space_warning.isVisible() and not w.next_button.isEnabled()
    folder = tmp_path / "aigc-runtime-cuda"
    folder.mkdir()
    w.bundle_check.click()
    w.bundle_edit.setText(str(folder))
    assert w.needed_label.text() == "7.2 GB"  # 6.9 GB installed + 0.3 GB
    assert not w.space_warning.isVisible() and w.next_button.isEnabled()
    archive = tmp_path / "aigc-runtime-cuda.tar"
    archive.write_bytes(b"")
    w.bundle_edit.setText(str(archive))
    assert w.needed_label.text() == "10.2 GB" and not w.next_button.isEnabled()
    w.bundle_edit.setText(str(folder))
    w.bundle_check.click()  # no bundle after all: the download counts again
    assert w.needed_label.text() == "10.2 GB" and not w.next_button.isEnabled()
    w.bundle_check.click()
    assert w.needed_label.text() == "7.2 GB"
    w.next_button.click()
    assert backend.runs[-1].bundle == folder


def test_estimated_sizes_are_said_as_upper_bounds(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(NO_GPU, download=3 * GB, estimated=("cpu",))
    w = window(qtbot, backend, tmp_path)
    assert "(up to 1.0 GB to download)" in w.intro.text()
    w.next_button.click()
    assert w.needed_label.text() == "up to 3.6 GB"
    w.kind_radios["cuda"].setChecked(True)  # that lock's sizes are the files' own
    assert w.needed_label.text() == "10.2 GB" and "(about 3.0 GB to download)" in w.intro.text()


def test_shipped_cpu_lock_counts_torch(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real CPU lock (installer/locks/cpu.txt): its torch wheels' sizes are estimates, counted and said so."""
    lock_folder = Path(__file__).resolve().parent.parent / "installer" / "locks"
    backend = FakeBackend(NO_GPU, lock_folder=lock_folder)
    w = window(qtbot, backend, tmp_path)
    needs = build.disk_needs(backend.lock("cpu"))
    assert needs.estimated and needs.download > 1.4e9  # 0.63 GB without torch; its PyPI wheel alone is 0.9 GB
    assert f"(up to {format_bytes(needs.download)} to download)" in w.intro.text()
    w.next_button.click()
    assert w.needed_label.text() == f"up to {format_bytes(needs.disk)}"


def test_not_enough_space_found_during_the_build(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX)
    w = window(qtbot, backend, tmp_path)
    run = start(w, backend)
    run.failed.emit(build.NotEnoughSpace(QT_TRANSLATE_NOOP("Setup", "Not enough disk space in {folder}: {needed} "
        "needed, {free} free. Free some space or choose another location.").format(folder="/x", needed="2 GB",
        free="1 GB")))  # fmt: skip
    assert w.change_button.isVisible() and not w.offline_button.isVisible()
    w.change_button.click()
    assert w.pages.currentIndex() == sw.LOCATION


def test_failing_package_shows_its_error_and_retry_works(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(RTX)
    w = window(qtbot, backend, tmp_path)
    run = start(w, backend)
    run.progress.emit(build.Progress(0.3, QT_TRANSLATE_NOOP("Setup", "Done"), seconds_left=400.0))
    assert w.time_label.text() == "About 6 min 40 s left"
    error = "ERROR: Failed building wheel for llama-cpp-python"
    run.failed.emit(build.PackageFailed(QT_TRANSLATE_NOOP("Setup", "{name} could not be installed.").format(
        name="llama-cpp-python"), "llama-cpp-python", error))  # fmt: skip
    assert w.error_label.text() == "llama-cpp-python could not be installed."
    assert w.error_details.isVisible() and w.error_details.text() == error
    assert w.retry_button.isVisible() and not w.back_button.isHidden()
    assert w.time_label.isHidden() and w.stage_label.isHidden()  # stopped: no time left, no stage running
    received: list[layout.Installed] = []
    w.start_requested.connect(received.append)
    w.retry_button.click()
    assert len(backend.runs) == 2 and not w.error_box.isVisible()
    installed = backend.runs[-1].finish()
    assert w.pages.currentIndex() == sw.DONE and w.title.text() == "AIGC Desktop is ready"
    assert str(installed.folder) in w.done_label.text()
    assert w.next_button.text() == "Start AIGC Desktop" and w.cancel_button.isHidden()
    w.next_button.click()
    assert received == [installed]


def test_start_failing_at_once_is_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    backend = FakeBackend(NO_GPU)
    backend.start_error = build.UserError(build.QT_TRANSLATE_NOOP("Setup", "Python 3.11 or 3.12 with its venv module "
        "is needed to build the runtime. On Debian or Ubuntu: sudo apt install python3 python3-venv"))  # fmt: skip
    w = window(qtbot, backend, tmp_path)
    w.next_button.click()
    w.next_button.click()
    assert w.error_box.isVisible() and "python3-venv" in w.error_label.text()


# --- translations --------------------------------------------------------------------------------------------------
def _texts(root: QWidget) -> list[str]:
    return (
        [root.windowTitle()]
        + [w.text() for w in root.findChildren(QLabel)]
        + [b.text() for b in root.findChildren(sw.QPushButton)]
    )


def _each_state(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The window on each page and in each state a user can see (found GPU + override, space warning, running with
    progress, each error, done)."""
    backend = FakeBackend(RTX, free=1 * GB, estimated=("cpu",))  # the CPU lock's torch sizes: "up to"
    w = window(qtbot, backend, tmp_path)
    w.kind_radios["cpu"].click()
    yield w
    w.next_button.click()
    yield w
    backend.free = 500 * GB
    w.set_folder(tmp_path / "b")
    w.bundle_check.click()
    w.next_button.click()
    yield w
    w.bundle_check.click()
    w.next_button.click()
    run = backend.runs[-1]
    run.progress.emit(build.Progress(0.4, QT_TRANSLATE_NOOP("Setup", "Installing {names}…").format(names="torch"),
                                     10, 100, 3, 9, 100.0))  # fmt: skip
    w.details_button.click()
    yield w
    run.failed.emit(build.PackageFailed(QT_TRANSLATE_NOOP("Setup", "{name} could not be installed.").format(name="x"),
                                        "x", "ERROR: x"))  # fmt: skip
    yield w
    w.retry_button.click()
    backend.runs[-1].failed.emit(build.NoNetwork(QT_TRANSLATE_NOOP("Setup", "Done")))
    yield w
    w.retry_button.click()
    backend.runs[-1].finish()
    yield w


def test_every_text_translated_in_every_state(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    allowed = ["NVIDIA GeForce RTX 4070", "ERROR: x", "x", *sw.LANGUAGES.values()]
    for w in _each_state(qtbot, tmp_path):
        with pseudo_language():
            w.retranslate()
            problems = untranslated(w, allowed=allowed, content=[w.log_view, w.folder_edit, w.bundle_edit])
            assert problems == [], w.pages.currentIndex()


def test_live_switch_restores_english_exactly(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = window(qtbot, FakeBackend(RTX), tmp_path)
    before = _texts(w)
    with pseudo_language():
        assert _texts(w) != before
    assert _texts(w) == before


def test_language_combo_switches_the_interface(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = window(qtbot, FakeBackend(RTX), tmp_path)
    assert w.language.currentData() == ENGLISH
    w.language.setCurrentIndex(w.language.findData("zh_CN"))
    try:
        assert current_language() == "zh_CN"
    finally:
        apply_language(ENGLISH)
    assert w.title.text() == "Welcome to AIGC Desktop"


# --- the real backend -----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_real_build_through_the_window(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """LocalBackend + ThreadRun: a real venv from a real index, the window's bar filled by pip's own numbers."""
    from runtime_fixtures import module_wheel, pip_wheel, serve_index

    from aigc_desktop.workers.runtime_setup import LocalBackend

    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    for name in [k for k in list(__import__("os").environ) if k.startswith("PIP_") and k != "PIP_CONFIG_FILE"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AIGC_RUNTIME_PYTHON", sys.executable)
    wheels = tmp_path / "wheels"
    _, pip_version = pip_wheel(wheels)
    alpha = module_wheel(wheels, "alpha-pkg", "1.0", padding=2_000_000)
    locks_dir = tmp_path / "locks"
    locks_dir.mkdir()
    with serve_index(wheels) as index:
        pip_size = next(wheels.glob("pip-*.whl")).stat().st_size
        (locks_dir / "cpu.txt").write_text(
            f"# verify: alpha_pkg\n--index-url {index}\npip=={pip_version}  # size={pip_size}\n"
            f"alpha-pkg==1.0  # size={alpha.stat().st_size}\n"
        )
        monkeypatch.setattr(build, "DEFAULT_INDEX", index)
        backend = LocalBackend(locks_dir, "0.1.0", override="cpu")
        w = sw.SetupWindow(backend, folder=tmp_path / "runtime")
        qtbot.addWidget(w)
        values: list[int] = []
        w.bar.valueChanged.connect(values.append)
        w.next_button.click()
        w.next_button.click()
        qtbot.waitUntil(lambda: w.pages.currentIndex() != sw.INSTALL, timeout=240_000)
    assert w.pages.currentIndex() == sw.DONE, w.error_label.text() + w.log_view.toPlainText()[-2000:]
    assert w.installed == layout.installed(tmp_path / "runtime")
    assert values == sorted(values) and values[-1] == 1000 and len(set(values)) > 3
    assert "Successfully installed alpha-pkg-1.0" in w.log_view.toPlainText()
