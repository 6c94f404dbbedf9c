"""The Story pane's state: the project's storyboard, edited through this model's methods (scenes from the document,
merge, split, reorder, delete; each scene's text, picture, narration, timing and motion; the music bed), the
generations it starts for scenes (narration through the Audio model's speech path, pictures through the image lane)
and the video export on its own thread.

Widgets render it and listen to `scenes_changed` / `scene_changed(index)`; every change marks the project edited.
A scene's generations are recorded in History with the scene's id in their inputs (`story_scene`), so Regenerate
routes back here and the new picture or narration goes to the same scene.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.project.model import Clip, HistoryEntry, HistoryStatus, Project
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec
from aigc_desktop.core.story import build
from aigc_desktop.core.story.board import Motion, PictureSource, Scene, Storyboard, StoryPicture
from aigc_desktop.core.story.render import ExportOptions, ExportResult
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.workers.jobs import Job, JobHandler
from aigc_desktop.workers.story_export import StoryExportRun

if TYPE_CHECKING:
    from aigc_desktop.state.audio import AudioModel

SCENE_INPUT = "story_scene"  # the spec input that names the scene a generation was made for


def snapshot(project: Project) -> Project:
    """What an export reads, copied on the GUI thread so the user can keep editing while it renders: the storyboard
    and the layers' pixels are copied; clips and pictures are shared (an edit replaces their arrays, never changes
    them in place)."""
    layers = [copy.copy(layer) for layer in project.canvas.layers]
    for layer in layers:
        layer.image = layer.image.copy()
    canvas = copy.copy(project.canvas)
    canvas.layers = layers
    story = Storyboard(
        [copy.copy(s) for s in project.story.scenes],
        list(project.story.pictures),
        copy.copy(project.story.music),
        project.story.crossfade_s,
    )
    return Project(
        name=project.name,
        canvas=canvas,
        clips=[copy.copy(c) for c in project.clips],
        history=list(project.history),
        id=project.id,
        story=story,
    )


class StoryModel(QObject):
    scenes_changed = Signal()  # scenes came, went or moved
    scene_changed = Signal(int)  # one scene's content changed
    status_changed = Signal(object)  # one line (a Msg) about the latest action
    export_progress = Signal(float, object)  # fraction, seconds left (None until it can be told)
    export_ended = Signal(object)  # ExportResult, or None when stopped or failed
    running_changed = Signal(bool)  # an export is running

    def __init__(
        self, ctx: AppContext, session: ProjectSession, audio: AudioModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.audio = audio
        self.export_run: StoryExportRun | None = None
        self.last_export: ExportResult | None = None
        self._export_started = 0.0
        self._pending_narrations: dict[str, str] = {}  # spec id → scene id
        ctx.queue.job_finished.connect(self._on_job_finished)
        session.project_replaced.connect(self.scenes_changed)

    # ------------------------------------------------------------ reading

    @property
    def board(self) -> Storyboard:
        return self.session.project.story

    @property
    def scenes(self) -> list[Scene]:
        return self.board.scenes

    def scene(self, index: int) -> Scene:
        if not 0 <= index < len(self.scenes):
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "Choose a scene first."))
        return self.scenes[index]

    def narration(self, scene: Scene) -> Clip | None:
        return self.session.project.find_clip(scene.narration_id) if scene.narration_id else None

    def scene_seconds(self, scene: Scene) -> float:
        clip = self.narration(scene)
        return clip.duration_s + scene.pause_s if clip is not None else scene.duration_s

    # ------------------------------------------------------------ the storyboard

    def _edited(self, index: int | None = None) -> None:
        self.session.mark_edited()
        if index is None:
            self.scenes_changed.emit()
        else:
            self.scene_changed.emit(index)

    def build_from_text(self, text: str) -> int:
        """Replace the scenes with one per paragraph of `text`; returns how many."""
        board = build.storyboard_from_text(text)
        if not board.scenes:
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "There is no text to make scenes from."))
        self.board.scenes = board.scenes
        self._edited()
        return len(board.scenes)

    def merge_with_next(self, index: int) -> None:
        if not 0 <= index < len(self.scenes) - 1:
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "Choose a scene that has another after it."))
        build.merge_with_next(self.board, index)
        self._edited()

    def split(self, index: int, position: int) -> None:
        before = len(self.scenes)
        build.split_at(self.board, index, position)
        if len(self.scenes) == before:
            raise UserError(
                QT_TRANSLATE_NOOP("StoryModel", "Put the text cursor where the scene should be split, inside its text.")
            )
        self._edited()

    def move(self, index: int, to: int) -> None:
        build.move(self.board, index, to)
        self._edited()

    def delete(self, index: int) -> None:
        self.scene(index)
        build.delete(self.board, index)
        self._edited()

    def set_text(self, index: int, text: str) -> None:
        scene = self.scene(index)
        if scene.text != text:
            scene.text = text
            self._edited(index)

    def set_prompt(self, index: int, prompt: str) -> None:
        scene = self.scene(index)
        if scene.prompt != prompt:
            scene.prompt = prompt
            self._edited(index)

    def set_timing(self, index: int, duration_s: float, pause_s: float) -> None:
        scene = self.scene(index)
        if (scene.duration_s, scene.pause_s) != (duration_s, pause_s):
            scene.duration_s, scene.pause_s = duration_s, pause_s
            self._edited(index)

    def set_motion(self, index: int, motion: Motion) -> None:
        scene = self.scene(index)
        if scene.motion is not motion:
            scene.motion = motion
            self._edited(index)

    def set_picture(self, index: int, source: PictureSource, ref: str = "") -> None:
        scene = self.scene(index)
        if source is PictureSource.LAYER and self.session.project.find_layer(ref) is None:
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "Choose a canvas layer."))
        scene.picture, scene.picture_ref = source, ref
        self._drop_unused_pictures()
        self._edited(index)

    def import_picture(self, index: int, path: Path) -> None:
        from aigc_desktop.core.media import read_image_file

        image = read_image_file(path)  # unreadable, too large: one clear sentence
        picture = StoryPicture(path.stem, image)
        self.board.pictures.append(picture)
        self.set_picture(index, PictureSource.PICTURE, picture.id)

    def _drop_unused_pictures(self) -> None:
        for picture in self.board.unused_pictures():
            self.board.pictures.remove(picture)

    def set_narration(self, index: int, clip_id: str | None) -> None:
        scene = self.scene(index)
        scene.narration_id = clip_id
        self._edited(index)

    def set_music(self, clip_id: str | None) -> None:
        self.board.music.clip_id = clip_id
        self.session.mark_edited()

    # ------------------------------------------------------------ generations for a scene

    def narrate(self, index: int, voice_id: str) -> Job:
        """Narrate the scene's text with `voice_id` through the Audio model (the clip appears there too); the clip
        becomes the scene's narration when it is done."""
        from aigc_desktop.core.audio.job import SpeechParams, speech_spec

        scene = self.scene(index)
        if not scene.text.strip():
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "The scene has no text to narrate."))
        spec = speech_spec(voice_id, scene.text, SpeechParams(), None, story_scene=scene.id)  # SCENE_INPUT
        self._pending_narrations[spec.id] = scene.id
        return self.audio.submit(spec, QT_TRANSLATE_NOOP("StoryModel", "Narrate scene"))

    def generate_picture(
        self, index: int, model_id: str, size: tuple[int, int] = (768, 432), steps: int | None = None
    ) -> Job:
        """Paint the scene's picture from its prompt (or its text) with the image model; it is kept in the story.
        768×432: the 16:9 shape at the size SD-class models paint well."""
        from aigc_desktop.core.image.job import ImageParams, image_spec

        scene = self.scene(index)
        prompt = (scene.prompt or scene.text).strip()[:500]
        if not prompt:
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "Write a prompt for the scene's picture first."))
        defaults = ImageParams()
        params = ImageParams(width=size[0], height=size[1], steps=steps or defaults.steps)
        spec = image_spec(model_id, prompt, params, None)
        spec = JobSpec(spec.kind, spec.model_id, {**spec.inputs, SCENE_INPUT: scene.id}, spec.params, spec.seed)
        return self.ctx.queue.submit(
            spec, QT_TRANSLATE_NOOP("StoryModel", "Paint scene"), handler=_ScenePicture(self, scene.id)
        )

    def regenerate(self, entry: HistoryEntry) -> Job | None:
        """Replay a scene's recorded generation; the result goes to the same scene (if it is still there)."""
        scene_id = str(entry.spec.inputs.get(SCENE_INPUT, ""))
        index = next((i for i, s in enumerate(self.scenes) if s.id == scene_id), None)
        if index is None:
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "The scene this was made for is no longer in the story."))
        spec = entry.spec.replay()
        if spec.kind is JobKind.SPEECH:
            self._pending_narrations[spec.id] = scene_id
            return self.audio.submit(spec, QT_TRANSLATE_NOOP("StoryModel", "Narrate scene"))
        return self.ctx.queue.submit(
            spec, QT_TRANSLATE_NOOP("StoryModel", "Paint scene"), handler=_ScenePicture(self, scene_id)
        )

    def _on_job_finished(self, job: Job, result: JobResult | None) -> None:
        scene_id = self._pending_narrations.pop(job.spec.id, None)
        if scene_id is None:
            return
        # The Audio model made the clip from the first sentence on; let its handler finish first.
        QTimer.singleShot(0, lambda: self._attach_narration(job.spec.id, scene_id))

    def _attach_narration(self, spec_id: str, scene_id: str) -> None:
        clip = next((c for c in self.session.project.clips if c.spec_id == spec_id), None)
        index = next((i for i, s in enumerate(self.scenes) if s.id == scene_id), None)
        if clip is None or index is None:
            return
        self.set_narration(index, clip.id)
        self.status_changed.emit(QT_TRANSLATE_NOOP("StoryModel", "Scene {n} narrated").format(n=index + 1))

    def _picture_made(self, scene_id: str, picture: StoryPicture) -> None:
        index = next((i for i, s in enumerate(self.scenes) if s.id == scene_id), None)
        if index is None:
            return
        self.board.pictures.append(picture)
        self.set_picture(index, PictureSource.PICTURE, picture.id)
        self.status_changed.emit(QT_TRANSLATE_NOOP("StoryModel", "Scene {n} painted").format(n=index + 1))

    # ------------------------------------------------------------ export

    @property
    def exporting(self) -> bool:
        return self.export_run is not None

    def export(self, out: Path, options: ExportOptions) -> None:
        """Start exporting on the export thread; checks that need no rendering (an empty storyboard, a missing
        picture or clip, a read-only folder) are raised here, before anything starts."""
        from aigc_desktop.core.audio.edit import check_writable
        from aigc_desktop.core.story.timeline import build_timeline

        if self.export_run is not None:
            raise UserError(QT_TRANSLATE_NOOP("StoryModel", "A video is being exported already."))
        project = snapshot(self.session.project)
        build_timeline(project)
        check_writable(out)
        run = StoryExportRun(project, out, options, self)
        run.progress.connect(self._on_export_progress)
        run.finished.connect(self._on_export_finished)
        run.failed.connect(self._on_export_failed)
        run.cancelled.connect(self._on_export_cancelled)
        self.export_run = run
        self._export_started = time.monotonic()
        self.running_changed.emit(True)
        self.status_changed.emit(QT_TRANSLATE_NOOP("StoryModel", "Exporting {name}…").format(name=out.name))
        run.start()

    def stop_export(self) -> None:
        if self.export_run is not None:
            self.export_run.stop()

    def _on_export_progress(self, fraction: float, _message: object) -> None:
        elapsed = time.monotonic() - self._export_started
        left = elapsed / fraction * (1 - fraction) if fraction > 0.03 else None
        self.export_progress.emit(fraction, left)

    def _end_export(self, result: ExportResult | None, status: Msg) -> None:
        run, self.export_run = self.export_run, None
        if run is not None:
            run.wait()
            run.deleteLater()
        self.last_export = result or self.last_export
        self.running_changed.emit(False)
        self.status_changed.emit(status)
        self.export_ended.emit(result)

    def _on_export_finished(self, result: ExportResult) -> None:
        status = QT_TRANSLATE_NOOP("StoryModel", "Exported {name}: {length} s of video in {seconds} s ({codec})")
        self._end_export(
            result,
            status.format(
                name=result.path.name,
                length=f"{result.duration_s:.1f}",
                seconds=f"{result.seconds:.1f}",
                codec=result.encoder.codec,
            ),
        )

    def _on_export_failed(self, message: str) -> None:
        self._end_export(None, message)  # type: ignore[arg-type]

    def _on_export_cancelled(self) -> None:
        self._end_export(None, QT_TRANSLATE_NOOP("StoryModel", "Export stopped; no file was left behind."))


@dataclass(eq=False)
class _ScenePicture(JobHandler):
    model: StoryModel
    scene_id: str
    started_at: float = field(default_factory=time.time)

    def finished(self, job: Job, result: JobResult | None) -> None:
        from aigc_desktop.core.image.job import ImageOutput

        if result is None or not isinstance(result.output, ImageOutput) or not result.output.images:
            return
        picture = StoryPicture(
            str(job.spec.inputs.get("prompt", ""))[:40], result.output.images[0], spec_id=job.spec.id
        )
        self.model.session.record(
            job.spec,
            HistoryStatus.FINISHED,
            started_at=self.started_at,
            seconds=result.seconds,
            output_refs=[picture.id],
            summary=QT_TRANSLATE_NOOP("StoryModel", "Scene picture"),
            metrics=dict(result.metrics),
        )
        self.model._picture_made(self.scene_id, picture)

    def failed(self, job: Job, message: str) -> None:
        self.model.status_changed.emit(message)
