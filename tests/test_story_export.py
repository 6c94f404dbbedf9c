"""Story export (core/story): the MP4 decodes with PyAV and matches the timeline, the subtitles match the narration,
the pictures survive, the music ducks, and every way an export can fail leaves nothing behind."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import av
import numpy as np
import pytest
from story_project import MUSIC_HZ, RATE, picture, story_project

from aigc_desktop.core.engines.base import CancelToken
from aigc_desktop.core.errors import JobCancelled, UserError
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.story.board import Motion, PictureSource, Scene
from aigc_desktop.core.story.encode import choose_encoder, read_metadata
from aigc_desktop.core.story.frames import SceneFrames, cover, frame_to_rgb, planes_of
from aigc_desktop.core.story.mix import StoryMixer
from aigc_desktop.core.story.render import ExportOptions, export_story
from aigc_desktop.core.story.timeline import build_timeline, parse_srt

FPS = 24


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255.0**2 / mse)


def decode(path: Path) -> tuple[list[np.ndarray], np.ndarray, int, float]:
    """(RGB frames, mono samples, audio rate, video fps) of an MP4."""
    frames: list[np.ndarray] = []
    pieces: list[np.ndarray] = []
    with av.open(str(path)) as container:
        vs, aus = container.streams.video[0], container.streams.audio[0]
        rate, fps = aus.codec_context.sample_rate, float(vs.average_rate)
        for packet in container.demux(vs, aus):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    frames.append(frame.to_ndarray(format="rgb24"))
                else:
                    pieces.append(frame.to_ndarray().reshape(-1))
    return frames, np.concatenate(pieces), rate, fps


def band_level_db(samples: np.ndarray, rate: int, start_s: float, end_s: float, hz: float) -> float:
    """The level of the `hz` component in [start_s, end_s): a windowed FFT's peak near hz, in dB."""
    seg = samples[round(start_s * rate) : round(end_s * rate)]
    window = np.hanning(seg.size)
    spectrum = np.abs(np.fft.rfft(seg * window)) / window.sum()  # amplitude, whatever the window's length
    freqs = np.fft.rfftfreq(seg.size, 1 / rate)
    near = (freqs > hz - 20) & (freqs < hz + 20)
    return 20 * math.log10(float(spectrum[near].max()) + 1e-12)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path, object]:
    project = story_project(3)
    out = tmp_path_factory.mktemp("story") / "story.mp4"
    result = export_story(project, out, ExportOptions(fps=FPS))
    return project, out, result


def test_the_video_lasts_the_narration_timeline_with_audio_at_the_project_rate(exported) -> None:  # type: ignore[no-untyped-def]
    project, out, result = exported
    timeline = build_timeline(project)
    frames, samples, rate, fps = decode(out)
    assert fps == FPS
    assert abs(len(frames) / fps - timeline.duration_s) <= 1 / fps
    assert rate == RATE == timeline.sample_rate == result.sample_rate
    with av.open(str(out)) as container:
        audio = container.streams.audio[0]
        assert audio.duration is not None and audio.time_base is not None
        assert abs(float(audio.duration * audio.time_base) - timeline.duration_s) <= 1 / fps
    # The decoder also returns AAC's priming and last-frame padding (the container's edit list trims them on play).
    assert 0 <= samples.size / rate - timeline.duration_s <= 2 * 1024 / rate
    assert frames[0].shape == (720, 1280, 3)


def test_subtitles_beside_the_video_cue_exactly_at_the_narration(exported) -> None:  # type: ignore[no-untyped-def]
    project, out, result = exported
    assert result.srt_path == out.with_suffix(".srt")
    cues = parse_srt(out.with_suffix(".srt").read_text(encoding="utf-8"))
    timeline = build_timeline(project)
    s0, s1, s2 = timeline.slots
    # Scenes 1 and 3 were narrated sentence by sentence: one cue per sentence, at its recorded span.
    assert [c.text for c in cues] == [
        "Scene 1 begins.", "It ends here.", "我自己的声音。", "Scene 3 begins.", "It ends here.",
    ]  # fmt: skip
    expected = [
        (s0.start_s, s0.start_s + 1.0), (s0.start_s + 1.25, s0.speech_end_s),
        (s1.start_s, s1.speech_end_s),  # the creator's own clip: one cue for the scene, as long as the clip
        (s2.start_s, s2.start_s + 1.0), (s2.start_s + 1.25, s2.speech_end_s),
    ]  # fmt: skip
    for cue, (a, b) in zip(cues, expected, strict=True):
        assert cue.start_s == pytest.approx(a, abs=0.0015) and cue.end_s == pytest.approx(b, abs=0.0015)


def test_each_scene_midpoint_shows_its_picture(exported) -> None:  # type: ignore[no-untyped-def]
    project, out, _result = exported
    frames, _samples, _rate, fps = decode(out)
    for n, slot in enumerate(build_timeline(project).slots):
        frame = frames[int(slot.mid_s * fps)]
        expected = np.asarray(cover(picture(n), (1280, 720)))
        assert psnr(frame, expected) >= 30, n
        others = [psnr(frame, np.asarray(picture(m))) for m in range(3) if m != n]
        assert max(others) < psnr(frame, expected) - 3  # and not another scene's


def test_music_is_ducked_at_least_10_db_under_narration(exported) -> None:  # type: ignore[no-untyped-def]
    project, out, _result = exported
    _frames, samples, rate, _fps = decode(out)
    s0, s1, _s2 = build_timeline(project).slots
    under = band_level_db(samples, rate, s0.start_s + 0.3, s0.start_s + 0.9, MUSIC_HZ)  # during the first sentence
    between = band_level_db(samples, rate, s0.speech_end_s + 0.4, s0.end_s - 0.4, MUSIC_HZ)  # the pause after it
    assert between - under >= 10, (between, under)
    also = band_level_db(samples, rate, s1.start_s + 0.3, s1.speech_end_s - 0.3, MUSIC_HZ)
    assert between - also >= 10


def test_the_mp4_says_what_made_it(exported) -> None:  # type: ignore[no-untyped-def]
    _project, out, result = exported
    tags = read_metadata(out)
    prov = tags["provenance"]
    # An AI layer and AI voices next to the creator's own pictures and recording: a composite.
    assert prov["digital_source_type"].endswith("/compositeWithTrainedAlgorithmicMedia")
    assert "compositeWithTrainedAlgorithmicMedia" in tags["comment"]
    assert prov["models"] == ["tiny-sd"] and prov["voices"] == ["joe-us-piper"]
    assert [(s["picture"], s["narration"]) for s in prov["scenes"]] == [("ai", "ai"), ("own", "own"), ("own", "ai")]
    assert prov["music"]["source"] == "own"
    assert prov["encoder"] == result.encoder.to_dict() and tags["title"] == "Story test"


def test_the_encoder_choice_is_recorded_with_its_reason_and_licence() -> None:
    choice = choose_encoder()
    assert choice.codec in av.codecs_available
    if choice.kind == "x264":  # this machine: no hardware encoder opens and the wheel has no libopenh264
        assert "libopenh264" in choice.reason and "GPL" in choice.licence
    else:
        assert choice.kind in ("hardware", "openh264") and "LGPL" in choice.licence


def test_a_forced_encoder_that_does_not_open_falls_back_in_order() -> None:
    assert choose_encoder("h264_nonexistent") == choose_encoder()


@pytest.mark.parametrize(
    ("present", "prefer", "codec", "kind", "licence"),
    [
        ({"h264_vaapi", "libopenh264", "libx264"}, None, "h264_vaapi", "hardware", "LGPL"),
        ({"h264_nvenc", "h264_qsv", "libx264"}, None, "h264_nvenc", "hardware", "LGPL"),
        ({"libopenh264", "libx264"}, None, "libopenh264", "openh264", "BSD-2-Clause"),
        ({"libx264"}, None, "libx264", "x264", "GPL-2.0+"),
        ({"h264_nvenc", "libopenh264", "libx264"}, "libx264", "libx264", "x264", "GPL-2.0+"),
        ({"libopenh264", "libx264"}, "h264_nvenc", "libopenh264", "openh264", "BSD-2-Clause"),
    ],
)
def test_the_encoder_order_hardware_then_openh264_then_x264(
    monkeypatch: pytest.MonkeyPatch, present: set[str], prefer: str | None, codec: str, kind: str, licence: str
) -> None:
    """The order of the choice, for encoders this machine cannot open (no GPU encoder, no libopenh264 in the wheel):
    `_opens`, the real probe that the test above exercises, answers from `present` instead."""
    from aigc_desktop.core.story import encode

    monkeypatch.setattr(encode, "_opens", lambda name: name in present)
    encode.choose_encoder.cache_clear()
    try:
        choice = encode.choose_encoder(prefer)
        assert (choice.codec, choice.kind) == (codec, kind) and licence in choice.licence
        assert codec in choice.reason or (kind == "x264" and "has no libopenh264" in choice.reason)
    finally:
        encode.choose_encoder.cache_clear()


def test_no_h264_encoder_at_all_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    from aigc_desktop.core.story import encode

    monkeypatch.setattr(encode, "_opens", lambda name: False)
    encode.choose_encoder.cache_clear()
    try:
        with pytest.raises(UserError, match=r"No H\.264 encoder"):
            encode.choose_encoder()
    finally:
        encode.choose_encoder.cache_clear()


def test_burned_in_captions_draw_chinese_text(tmp_path: Path) -> None:
    project = story_project(2, music=False)
    project.story.scenes[1].pause_s = 0.2
    out = tmp_path / "burned.mp4"
    export_story(project, out, ExportOptions(fps=FPS, burn_subtitles=True, write_srt=False))
    assert not out.with_suffix(".srt").exists()
    frames, _s, _r, fps = decode(out)
    slot = build_timeline(project).slots[1]
    frame = frames[int((slot.start_s + 0.9) * fps)]  # "我自己的声音。" showing
    plain = np.asarray(cover(picture(1), (1280, 720)))
    bottom = slice(int(720 * 0.75), 720)
    changed = np.abs(frame[bottom].astype(int) - plain[bottom].astype(int)).max(axis=2) > 60
    assert changed.sum() > 2000  # the glyphs' strokes and outlines, not codec noise
    top = np.abs(frame[:360].astype(int) - plain[:360].astype(int)).max(axis=2) > 60
    assert top.sum() < changed.sum() / 5  # and nothing drawn over the picture (the block's edges: 4:2:0 chroma)


@pytest.mark.parametrize(("aspect", "height", "size"), [("9:16", 720, (720, 1280)), ("1:1", 1080, (1080, 1080))])
def test_other_shapes(tmp_path: Path, aspect: str, height: int, size: tuple[int, int]) -> None:
    project = story_project(1, music=False)
    out = tmp_path / "shape.mp4"
    result = export_story(project, out, ExportOptions(aspect=aspect, height=height, fps=30))
    with av.open(str(out)) as container:
        vs = container.streams.video[0]
        assert (vs.codec_context.width, vs.codec_context.height) == size == result.size


def test_pan_moves_by_even_sub_pixel_steps() -> None:
    """No jitter: a vertical bar in a panning picture moves by the same fraction of a pixel every frame."""
    project = story_project(2, Motion.PAN, music=False)
    scene = project.story.scenes[1]  # its bright block is a quarter of the way across: it stays in view
    frames = SceneFrames.build(project, scene, (640, 360))
    xs = []
    for n in range(60):
        y = frame_to_rgb(frames.frame(n / 59), (640, 360))[:, :, 0].astype(np.float64)
        column = y[100:160].mean(axis=0)  # rows inside the bright block
        weights = np.clip(column - 200, 0, None)  # the block only (240), not the gradient (< 120)
        xs.append(float((weights * np.arange(weights.size)).sum() / weights.sum()))
    steps = np.diff(xs)
    assert np.all(steps < 0)  # the view pans right, so the block moves left
    assert 0.2 < abs(float(steps.mean())) < 1.5  # less than a pixel or so per frame: whole pixels would jump
    assert float(np.std(steps)) < 0.15 * abs(float(steps.mean()))


def test_zoom_grows_by_even_sub_pixel_steps() -> None:
    """No jitter in a zoom either: the bright block's width (its area along a row, so fractions of a pixel count)
    grows a little every frame, by nearly the same amount, to the motion's margin at the end."""
    project = story_project(3, Motion.ZOOM, music=False)
    frames = SceneFrames.build(project, project.story.scenes[2], (640, 360))  # its block is near the centre
    widths = []
    for n in range(60):
        y = planes_of(frames.frame(n / 59), (640, 360))[0]
        row = y[110:150].astype(np.float64).mean(axis=0)[200:420]  # rows inside the block, and some background
        if n == 0:
            background, block = (row[0] + row[-1]) / 2, row[row.size // 2]
        widths.append(float(np.clip((row - background) / (block - background), 0, None).sum()))
    steps = np.diff(widths)
    assert np.all(steps > 0)  # the view narrows every frame: the block grows, never stands still or shrinks
    assert 0.1 < float(steps.mean()) < 0.5  # a fraction of a pixel per frame: whole pixels would jump
    assert float(np.std(steps)) < 0.2 * float(steps.mean())
    assert 1.10 < widths[-1] / widths[0] < 1.14  # the motion's margin (1.12) by the scene's end


def test_mixer_ramps_the_duck_and_fades_out() -> None:
    project = story_project(2)
    timeline = build_timeline(project)
    mixer = StoryMixer(timeline, project.find_clip(project.story.music.clip_id or ""), project.story.music)
    a, b = timeline.narration_spans()[0]
    t = np.array([a - 0.5, a - 0.125, a, b, b + 0.125, b + 0.5])
    np.testing.assert_allclose(mixer.duck_amount(t), [0, 0.5, 1, 1, 0.5, 0], atol=1e-9)
    end = timeline.duration_s  # the last narration ended 1.5 s before: the bed is back at its level, fading out
    level = 10 ** (project.story.music.volume_db / 20)
    gain = mixer.music_gain(np.array([end - 1.2, end - 1.0, end - 0.5, end - 1e-6]))
    np.testing.assert_allclose(gain[:3], [0.6 * level, level / 2, level / 4], rtol=1e-6)
    assert gain[3] < 1e-5


# ---------------------------------------------------------------- failures leave nothing behind


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_stop_during_export_leaves_no_file(tmp_path: Path) -> None:
    project = story_project(3)
    cancel = CancelToken()

    def progress(fraction: float, _message: str) -> None:
        if fraction > 0.3:
            cancel.cancel()

    with pytest.raises(JobCancelled):
        export_story(project, tmp_path / "story.mp4", ExportOptions(fps=FPS), progress=progress, cancel=cancel)
    assert listing(tmp_path) == []


def test_stop_keeps_an_earlier_export(tmp_path: Path) -> None:
    out = tmp_path / "story.mp4"
    out.write_bytes(b"an earlier video")
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(JobCancelled):
        export_story(story_project(1), out, ExportOptions(fps=FPS), cancel=cancel)
    assert out.read_bytes() == b"an earlier video" and listing(tmp_path) == ["story.mp4"]


def refused(project: Project, out: Path, *words: str) -> None:
    before = listing(out.parent)
    with pytest.raises(UserError) as info:
        export_story(project, out, ExportOptions(fps=FPS))
    message = str(info.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert listing(out.parent) == before


def test_a_missing_picture_or_clip_is_named(tmp_path: Path) -> None:
    project = story_project(3)
    project.story.pictures.clear()
    refused(project, tmp_path / "a.mp4", "Scene 2", "picture")
    project = story_project(3)
    project.canvas.layers.clear()
    refused(project, tmp_path / "a.mp4", "Scene 1", "layer")
    project = story_project(3)
    project.clips.remove(project.find_clip(project.story.scenes[2].narration_id or "") or project.clips[0])
    refused(project, tmp_path / "a.mp4", "Scene 3", "narration")
    project = story_project(1)
    project.clips = [c for c in project.clips if c.id != project.story.music.clip_id]
    refused(project, tmp_path / "a.mp4", "music")


def test_an_empty_storyboard_and_a_nine_hour_one_are_refused(tmp_path: Path) -> None:
    refused(Project(), tmp_path / "a.mp4", "empty")
    long = Project()
    long.story.scenes = [Scene(text=f"{n}", duration_s=600.0) for n in range(54)]  # 9 hours of silent scenes
    refused(long, tmp_path / "a.mp4", "9.0 hours", "at most 2 hours")
    assert long.story.scenes[0].picture is PictureSource.NONE  # the storyboard itself is untouched


def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.geteuid() != 0:
            refused(story_project(1), folder / "a.mp4", "Cannot save", "Permission denied")
        else:  # root writes anywhere: the export runs without CAP_DAC_OVERRIDE, so the folder's mode binds it too
            done = run_child(
                f"export_story(story_project(1), Path({str(folder / 'a.mp4')!r}))",
                wrapper=["setpriv", "--bounding-set", "-dac_override"],
            )
            assert done.returncode == 3, done.stderr
            assert "Cannot save" in done.stdout and "Permission denied" in done.stdout
        assert listing(folder) == []
    finally:
        folder.chmod(0o700)


def run_child(
    call: str, *, prelude: str = "", wrapper: tuple[str, ...] | list[str] = ()
) -> subprocess.CompletedProcess[str]:
    """`call` in a fresh Python: a UserError is printed and exits 3."""
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from pathlib import Path
        from story_project import story_project
        from aigc_desktop.core.errors import UserError
        from aigc_desktop.core.story.render import ExportOptions, export_story
        """
    )
    script += (
        textwrap.dedent(prelude) + f"try:\n    {call}\nexcept UserError as exc:\n    print(exc)\n    sys.exit(3)\n"
    )
    return subprocess.run(
        [*(wrapper or []), sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )


def test_a_full_disk_gives_one_clear_message_and_no_file(tmp_path: Path) -> None:
    """A real write failure from the kernel: the export runs in a child process whose file-size limit (RLIMIT_FSIZE)
    is far below a video's size, so a write fails part-way, as on a disk that fills up."""
    prelude = """
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))
        """
    done = run_child(f"export_story(story_project(3), Path({str(tmp_path / 'full.mp4')!r}))", prelude=prelude)
    assert done.returncode == 3, done.stderr
    assert "the disk is full" in done.stdout and "your story is kept" in done.stdout
    assert listing(tmp_path) == []
