"""Clip editing numbers and WAV/FLAC export with provenance tags (aigc_desktop.core.audio.edit)."""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from aigc_desktop.core.audio import edit as audio_edit
from aigc_desktop.core.errors import UserError

RATE = 8000


def tone(seconds: float = 1.0, freq: float = 440.0, amp: float = 0.5, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def stereo(seconds: float = 1.0) -> np.ndarray:
    return np.stack([tone(seconds, 440), tone(seconds, 660, 0.25)], axis=1)


# ---------------------------------------------------------------- editing


def test_trim_takes_the_exact_range_mono_and_stereo() -> None:
    ramp = np.arange(RATE, dtype=np.float32) / RATE
    part = audio_edit.trim(ramp, RATE, 0.25, 0.5)
    assert len(part) == RATE // 4 and part[0] == ramp[2000] and part[-1] == ramp[3999]
    both = audio_edit.trim(stereo(), RATE, 0.0, 1.0)
    assert both.shape == (RATE, 2) and both.dtype == np.float32
    assert np.shares_memory(part, ramp) is False


@pytest.mark.parametrize(("start", "end"), [(-0.1, 0.5), (0.5, 1.5), (0.6, 0.4), (0.3, 0.3), (math.nan, 0.5)])
def test_trim_outside_the_clip_is_a_user_error(start: float, end: float) -> None:
    with pytest.raises(UserError, match="trim"):
        audio_edit.trim(tone(), RATE, start, end)


def test_fade_is_linear_and_leaves_the_middle_alone() -> None:
    ones = np.ones(RATE, dtype=np.float32)
    faded = audio_edit.fade(ones, RATE, 0.1, 0.2)
    n_in, n_out = 800, 1600
    assert faded[0] == 0.0 and faded[-1] == 0.0
    assert np.allclose(faded[:n_in], np.arange(n_in) / n_in)
    assert np.allclose(faded[-n_out:], np.arange(n_out - 1, -1, -1) / n_out)
    assert np.all(faded[n_in : RATE - n_out] == 1.0)
    assert faded[n_in // 2] == pytest.approx(0.5)  # linear: half way in, half the amplitude
    two = audio_edit.fade(np.ones((RATE, 2), dtype=np.float32), RATE, 0.1, 0.0)
    assert np.array_equal(two[:, 0], two[:, 1]) and two[-1, 0] == 1.0
    assert np.array_equal(audio_edit.fade(ones, RATE, 0.0, 0.0), ones)


@pytest.mark.parametrize(("fade_in", "fade_out"), [(-0.1, 0.0), (0.6, 0.6), (0.0, math.inf)])
def test_bad_fades_are_user_errors(fade_in: float, fade_out: float) -> None:
    with pytest.raises(UserError):
        audio_edit.fade(tone(), RATE, fade_in, fade_out)


def test_gain_in_decibels() -> None:
    clip = tone(amp=0.5)
    assert audio_edit.gain(clip, 6.0206) == pytest.approx(clip * 2, abs=1e-5)
    assert audio_edit.gain(clip, -20) == pytest.approx(clip * 0.1, abs=1e-6)
    assert np.array_equal(audio_edit.gain(clip, 0), clip)
    assert audio_edit.gain(clip, 12).dtype == np.float32
    with pytest.raises(UserError):
        audio_edit.gain(clip, 200)
    with pytest.raises(UserError):
        audio_edit.gain(clip, math.nan)


def test_normalise_reaches_the_peak_and_keeps_silence() -> None:
    clip = tone(amp=0.2)
    louder = audio_edit.normalise(clip, -1.0)
    assert audio_edit.peak_db(louder) == pytest.approx(-1.0, abs=1e-4)
    assert np.max(np.abs(louder)) == pytest.approx(10 ** (-1 / 20), abs=1e-5)
    assert audio_edit.peak_db(audio_edit.normalise(stereo(), -6.0)) == pytest.approx(-6.0, abs=1e-4)
    silence = np.zeros(100, dtype=np.float32)
    assert np.array_equal(audio_edit.normalise(silence), silence)
    assert audio_edit.peak_db(silence) == -math.inf
    with pytest.raises(UserError):
        audio_edit.normalise(clip, 3.0)


def test_resample_keeps_duration_and_pitch() -> None:
    clip = tone(1.0, 440.0, rate=16000)
    up = audio_edit.resample(clip, 16000, 32000)
    assert len(up) == 32000 and up.dtype == np.float32
    spectrum = np.abs(np.fft.rfft(up))
    assert np.argmax(spectrum) * 32000 / len(up) == pytest.approx(440.0, abs=1.0)
    down = audio_edit.resample(stereo(), RATE, 4000)
    assert down.shape == (4000, 2)
    assert np.array_equal(audio_edit.resample(clip, 16000, 16000), clip)
    with pytest.raises(UserError):
        audio_edit.resample(clip, 0, 16000)


def test_mix_to_mono_averages_channels() -> None:
    both = stereo()
    mono = audio_edit.mix_to_mono(both)
    assert mono.shape == (RATE,) and np.allclose(mono, (both[:, 0] + both[:, 1]) / 2)
    assert np.array_equal(audio_edit.mix_to_mono(tone()), tone())


def test_bad_samples_are_user_errors() -> None:
    with pytest.raises(UserError):
        audio_edit.gain(np.zeros((2, 2, 2), dtype=np.float32), 1)
    with pytest.raises(UserError):
        audio_edit.gain(np.zeros(10, dtype=np.int16), 1)


# ---------------------------------------------------------------- export


TAGS = {
    "title": "Rain 雨",
    "comment": "AI-generated with tiny-musicgen: calm piano, 平静的钢琴",
    "software": "AIGC Desktop",
}


@pytest.mark.parametrize("fmt", ["wav", "flac"])
@pytest.mark.parametrize("layout", ["mono", "stereo"])
def test_export_round_trips_samples_and_tags(tmp_path: Path, fmt: str, layout: str) -> None:
    clip = tone(0.5) if layout == "mono" else stereo(0.5)
    path = audio_edit.write_audio(tmp_path / f"clip.{fmt}", clip, RATE, fmt, TAGS)
    assert path == tmp_path / f"clip.{fmt}"
    back, rate = audio_edit.read_audio(path)
    assert rate == RATE and back.shape == clip.shape
    assert np.max(np.abs(back - clip)) <= 1.0 / 32768 + 1e-7  # 16-bit quantisation
    assert audio_edit.read_tags(path) == TAGS
    import soundfile as sf

    info = sf.info(str(path))
    assert info.subtype == "PCM_16" and info.format == fmt.upper()
    assert [p.name for p in tmp_path.iterdir()] == [f"clip.{fmt}"]  # no temporary file left beside it


def test_export_clips_out_of_range_samples(tmp_path: Path) -> None:
    loud = np.array([2.0, -3.0, 0.5], dtype=np.float32)
    back, _ = audio_edit.read_audio(audio_edit.write_audio(tmp_path / "loud.wav", loud, RATE))
    assert back[0] == pytest.approx(1.0, abs=1e-4) and back[1] == -1.0 and back[2] == pytest.approx(0.5, abs=1e-4)


def test_long_tags_are_shortened_not_lost(tmp_path: Path) -> None:
    prompt = "平静的钢琴 " * 400  # far beyond what a WAV INFO string holds
    path = audio_edit.write_audio(tmp_path / "long.wav", tone(0.1), RATE, "wav", {"comment": prompt})
    comment = audio_edit.read_tags(path)["comment"]
    assert comment.endswith("…") and prompt.startswith(comment[:-1])
    assert len(comment.encode()) <= audio_edit.MAX_TAG_BYTES


def test_flac_holds_a_licence_but_wav_refuses_it(tmp_path: Path) -> None:
    path = audio_edit.write_audio(tmp_path / "a.flac", tone(0.1), RATE, "flac", {"license": "CC-BY-NC-4.0"})
    assert audio_edit.read_tags(path) == {"license": "CC-BY-NC-4.0"}
    with pytest.raises(UserError, match="license"):
        audio_edit.write_audio(tmp_path / "a.wav", tone(0.1), RATE, "wav", {"license": "CC-BY-NC-4.0"})
    assert not (tmp_path / "a.wav").exists()


def test_unwritable_folder_is_a_user_error_and_leaves_nothing(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        with pytest.raises(UserError, match="Cannot save"):
            audio_edit.write_audio(locked / "x.wav", tone(0.1), RATE)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(stat.S_IRWXU)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_even_root_cannot_write_is_a_user_error() -> None:
    target = Path("/proc") / "aigc-export-test.wav"
    with pytest.raises(UserError, match="Cannot save"):
        audio_edit.write_audio(target, tone(0.1), RATE)
    assert not target.exists()


def test_unwritable_targets_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        audio_edit.write_audio(tmp_path / "missing" / "x.wav", tone(0.1), RATE)
    with pytest.raises(UserError, match="folder"):
        audio_edit.write_audio(tmp_path, tone(0.1), RATE)
    with pytest.raises(UserError, match="WAV or FLAC"):
        audio_edit.write_audio(tmp_path / "x.mp3", tone(0.1), RATE, "mp3")
    with pytest.raises(UserError, match="empty"):
        audio_edit.write_audio(tmp_path / "x.wav", np.zeros(0, dtype=np.float32), RATE)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = audio_edit.write_audio(tmp_path / "keep.wav", tone(0.1), RATE, tags={"title": "old"})
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audio_edit.os, "replace", broken_replace)
    with pytest.raises(UserError, match="Could not save"):
        audio_edit.write_audio(path, tone(0.2), RATE, tags={"title": "new"})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.wav"]


def test_format_for_path() -> None:
    assert audio_edit.format_for_path("a/b.WAV") == "wav"
    assert audio_edit.format_for_path("b.flac") == "flac"
    for bad in ("b.mp3", "noext"):
        with pytest.raises(UserError):
            audio_edit.format_for_path(bad)


def test_provenance_tags() -> None:
    tags = audio_edit.provenance_tags("Clip 1", "musicgen-small", "lofi beat")
    assert tags == {
        "title": "Clip 1",
        "comment": "AI-generated with musicgen-small: lofi beat",
        "software": "AIGC Desktop",
    }
