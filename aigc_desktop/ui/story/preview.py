"""The Story pane's preview: a scene's frame at any point of its motion, drawn from the same code the export uses
(core.story.frames) at a small size, with a scrub slider and Play. No video is written: frames are composed on
demand, a few milliseconds each at this size."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QVBoxLayout, QWidget

from aigc_desktop.core.project.model import Project
from aigc_desktop.core.story.frames import SceneFrames, caption_overlay, frame_to_rgb
from aigc_desktop.core.story.render import ASPECTS
from aigc_desktop.core.story.timeline import Cue
from aigc_desktop.ui.i18n import Retranslating, translate

PREVIEW_SHORT_SIDE = 270
PREVIEW_FPS = 15
STEPS = 1000  # slider resolution over one scene


def preview_size(aspect: str) -> tuple[int, int]:
    a, b = ASPECTS[aspect]
    if a >= b:
        return round(PREVIEW_SHORT_SIDE * a / b) // 2 * 2, PREVIEW_SHORT_SIDE
    return PREVIEW_SHORT_SIDE, round(PREVIEW_SHORT_SIDE * b / a) // 2 * 2


class StoryPreview(Retranslating, QWidget):
    played_to_end = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyPreview")
        self.picture = QLabel(self)
        self.picture.setObjectName("storyPreviewPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(240, 140)
        self.picture.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("storyScrub")
        self.slider.setRange(0, STEPS)
        self.play_button = QPushButton(self)
        self.play_button.setObjectName("storyPlay")
        self.play_button.setCheckable(True)
        self.time_label = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture, 1)
        layout.addLayout(row)
        self._frames: SceneFrames | None = None
        self._cues: list[Cue] = []
        self._seconds = 0.0
        self._size = preview_size("16:9")
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // PREVIEW_FPS)
        self._timer.timeout.connect(self._tick)
        self.slider.valueChanged.connect(self._draw)
        self.play_button.toggled.connect(self._play)
        self.retranslate()

    def retranslate(self) -> None:
        self.play_button.setText(
            translate("StoryPreview", "Pause") if self._timer.isActive() else translate("StoryPreview", "Play")
        )
        self.play_button.setToolTip(translate("StoryPreview", "Play the scene's motion and captions (no sound)"))
        self.slider.setToolTip(translate("StoryPreview", "Scrub through the scene"))

    def show_scene(self, project: Project | None, index: int, seconds: float, cues: list[Cue], aspect: str) -> None:
        """Show scene `index` of `project` (None: nothing), `seconds` long, with its captions (times from 0)."""
        self._timer.stop()
        self.play_button.setChecked(False)
        self._size = preview_size(aspect)
        if project is None or not 0 <= index < len(project.story.scenes):
            self._frames = None
            self.picture.clear()
            self.time_label.clear()
            return
        self._frames = SceneFrames.build(project, project.story.scenes[index], self._size)
        self._cues, self._seconds = cues, max(seconds, 0.1)
        self.slider.setValue(0)
        self._draw()

    def _draw(self) -> None:
        if self._frames is None:
            return
        progress = self.slider.value() / STEPS
        t = progress * self._seconds
        frame = self._frames.frame(progress)
        cue = next((c for c in self._cues if c.start_s <= t < c.end_s), None)
        if cue is not None and (overlay := caption_overlay(cue.text, self._size)) is not None:
            frame = overlay.blend_into(frame)
        rgb = frame_to_rgb(frame, self._size)
        h, w = rgb.shape[:2]
        image = QImage(rgb.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()
        self.picture.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
        self.time_label.setText(f"{t:4.1f} / {self._seconds:.1f} s")

    def _play(self, on: bool) -> None:
        if on and self._frames is not None:
            if self.slider.value() >= STEPS:
                self.slider.setValue(0)
            self._timer.start()
        else:
            self._timer.stop()
        self.retranslate()

    def _tick(self) -> None:
        step = round(STEPS / (self._seconds * PREVIEW_FPS))
        value = self.slider.value() + max(1, step)
        if value >= STEPS:
            self.slider.setValue(STEPS)
            self.play_button.setChecked(False)
            self.played_to_end.emit()
        else:
            self.slider.setValue(value)
