"""`aigc learn-style` and `aigc styles`: a run on a tiny Gemma3 with progress lines and a JSON report, Ctrl+C keeping
the last epoch (exit 130) and --resume finishing it, every bad input as one line on stderr with exit 2, and the styles
managed from the terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_learn_style import one_training_thread, style_corpus  # noqa: F401  (a fixture)

from aigc_desktop.cli import learn_style as cli_module
from aigc_desktop.cli.entry import main
from aigc_desktop.core.models import styles
from aigc_desktop.core.paths import AppPaths

pytestmark = pytest.mark.usefixtures("torch_one_thread", "one_training_thread")


@pytest.fixture
def tiny(install_tiny_lm: object) -> str:
    return install_tiny_lm("gemma3", "tiny")  # type: ignore[operator,no-any-return]


def test_cli_learns_a_style_and_reports_json(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, tiny: str, tmp_path: Path
) -> None:
    corpus = style_corpus(tmp_path / "texts")
    capsys.readouterr()  # the fixtures' own output (building the tiny model)
    code = main(["learn-style", "--texts", str(corpus), "--base", tiny, "--out", "Heron", "--steps", "4", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert report["model"] == "styles/Heron" and report["base"] == tiny and report["steps"] == 4
    assert report["words"] > 1000 and report["epochs"] == 2 and report["perplexity_after"] > 0
    lines = [line for line in captured.err.splitlines() if line.startswith(("aigc:", "epoch ", "step "))]
    assert lines[0].startswith("aigc: learning 'Heron' on "), captured.err
    assert lines[1].startswith("aigc: ") and "4 steps in 2 epoch(s)" in lines[1]
    epochs = [line.split(" ·")[0] for line in lines if line.startswith("epoch ")]
    assert epochs == ["epoch 1/2", "epoch 2/2"]

    # Managed from the terminal: list, export, import under another name, rename, remove.
    assert main(["styles", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["id"] == "styles/Heron" and row["usable"] and row["status"] == "finished"
    file = tmp_path / "heron.aigcstyle"
    assert main(["styles", "export", "Heron", str(file)]) == 0 and file.is_file()
    assert main(["styles", "import", str(file), "--name", "Heron 2"]) == 0
    assert main(["styles", "rename", "Heron 2", "Egret"]) == 0
    assert main(["styles", "remove", "Heron"]) == 0
    capsys.readouterr()
    assert [s.record.name for s in styles.list_styles(paths.models_dir)] == ["Egret"]
    assert main(["styles", "remove", "Heron"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "aigc: There is no style named 'Heron'."


def test_ctrl_c_keeps_the_last_epoch_and_resume_finishes(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, tiny: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigc_desktop.core.train.style_job import StyleEpoch

    real = cli_module._Lines.partial

    def interrupt_after_epoch_1(self: object, payload: object) -> None:
        real(self, payload)  # type: ignore[arg-type]
        if isinstance(payload, StyleEpoch) and payload.epoch == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_module._Lines, "partial", interrupt_after_epoch_1)
    corpus = style_corpus(tmp_path / "texts")
    capsys.readouterr()
    code = main(["learn-style", "--texts", str(corpus), "--base", tiny, "--out", "Heron", "--steps", "4"])
    err = capsys.readouterr().err
    assert code == 130
    assert err.strip().splitlines()[-1].startswith("aigc: interrupted; the style as of epoch 1 is saved in ")
    assert "--resume" in err
    [run] = styles.find_resumable(paths.models_dir)
    assert run.epochs_done == 1 and run.status == styles.StyleStatus.STOPPED

    monkeypatch.setattr(cli_module._Lines, "partial", real)
    assert main(["learn-style", "--out", "Heron", "--resume", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["steps"] == 4
    assert "resuming 'Heron' after epoch 1/2" in captured.err
    assert styles.find_resumable(paths.models_dir) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--texts", "{missing}", "--out", "x"], "There is no file or folder at"),
        (["--texts", "{small}", "--out", "x"], "Too little text to learn a style from: 3 words found, at least 1000"),
        (["--texts", "{binary}", "--out", "x"], "No text could be read: 1 file(s) skipped"),
        (["--texts", "{corpus}", "--out", "a/b"], "path separators"),
        (["--texts", "{corpus}", "--out", "taken"], "already exists"),
        (["--texts", "{corpus}", "--out", "x", "--base", "nope"], "No model 'nope'"),
        (["--texts", "{corpus}", "--out", "x", "--minutes", "0"], "time budget must be more than 0"),
        (["--texts", "{corpus}", "--out", "x", "--steps", "0"], "--steps must be 1 or more"),
        (["--out", "x"], "--texts: give the files or folders"),
        (["--out", "x", "--resume"], "There is no stopped run of 'x'"),
        (["--texts", "{corpus}", "--out", "x", "--minutes", "many"], "invalid float value"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    paths: AppPaths,
    tiny: str,
    tmp_path: Path,
) -> None:
    (tmp_path / "small.txt").write_text("three words only", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01" * 100)
    corpus = style_corpus(tmp_path / "texts")
    capsys.readouterr()
    taken = styles.style_folder(paths.models_dir, "taken")
    taken.mkdir(parents=True)
    (taken / "aigc_model.json").write_text("{}", encoding="utf-8")
    where = {
        "missing": tmp_path / "missing",
        "small": tmp_path / "small.txt",
        "binary": tmp_path / "binary.txt",
        "corpus": corpus,
    }
    argv = ["learn-style", "--base", tiny, *(a.format(**where) for a in args)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_styles_rename_and_remove_refuse_a_style_being_trained(
    capsys: pytest.CaptureFixture[str], paths: AppPaths
) -> None:
    """`aigc styles rename/remove` while a run (another process here) trains the style: one line, exit 2, nothing
    changed; after that run ends, both work."""
    from lock_holder import hold_in_child, kill
    from test_learn_style_inputs import _fake_style

    _fake_style(paths.models_dir, "Heron")
    child = hold_in_child(styles.training_lock_path(paths.models_dir, "Heron"))
    try:
        capsys.readouterr()
        assert main(["styles", "rename", "Heron", "Egret"]) == 2
        err = capsys.readouterr().err
        assert err == "aigc: The style 'Heron' is being trained right now: rename it after its training stops.\n"
        assert main(["styles", "remove", "Heron"]) == 2
        err = capsys.readouterr().err
        assert err == "aigc: The style 'Heron' is being trained right now: remove it after its training stops.\n"
        assert [s.record.name for s in styles.list_styles(paths.models_dir)] == ["Heron"]
    finally:
        kill(child)
    assert main(["styles", "rename", "Heron", "Egret"]) == 0
    assert main(["styles", "remove", "Egret"]) == 0
    assert styles.list_styles(paths.models_dir) == []
