"""The Story pane: a storyboard made from the document (or its selection), one scene per paragraph, edited here —
merge, split, reorder, delete; each scene's text, picture (a canvas layer, the whole canvas, an imported picture, or
one painted from its prompt), narration (a clip, or narrated with the chosen voice), timing and motion; the music bed
— previewed scene by scene and exported as a video with its subtitles.

The widgets render the StoryModel (state/story.py) and change it through its methods. The export runs on its own
thread (workers/story_export.py): a progress bar with the time left and Stop, the window responsive throughout; the
finished video can be dragged out like any artifact.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.project.model import HistoryEntry
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.core.story.board import Motion, PictureSource
from aigc_desktop.core.story.render import ASPECTS, ExportOptions, ExportResult
from aigc_desktop.core.story.timeline import Cue, sentence_spans
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.state.story import SCENE_INPUT, StoryModel
from aigc_desktop.ui.i18n import Retranslating, error_text, tr_msg, translate
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.story.preview import StoryPreview
from aigc_desktop.ui.story.video_handle import VideoHandle
from aigc_desktop.workers.jobs import Job

PICTURE_CHOICES = (
    (PictureSource.NONE, QT_TRANSLATE_NOOP("StoryPane", "Title card (the scene's text)")),
    (PictureSource.LAYER, QT_TRANSLATE_NOOP("StoryPane", "A canvas layer")),
    (PictureSource.CANVAS, QT_TRANSLATE_NOOP("StoryPane", "The whole canvas")),
    (PictureSource.PICTURE, QT_TRANSLATE_NOOP("StoryPane", "A picture kept in the story")),
)
MOTIONS = (
    (Motion.NONE, QT_TRANSLATE_NOOP("StoryPane", "None")),
    (Motion.ZOOM, QT_TRANSLATE_NOOP("StoryPane", "Slow zoom")),
    (Motion.PAN, QT_TRANSLATE_NOOP("StoryPane", "Slow pan")),
)


def _button(name: str, parent: QWidget) -> QPushButton:
    b = QPushButton(parent)
    b.setObjectName(name)
    return b


class StoryPane(Retranslating, Pane):
    pane_id = "story"
    title = QT_TRANSLATE_NOOP("StoryPane", "Story")
    model_kinds = (ModelKind.SPEECH,)  # the voice scenes are narrated with
    job_kinds = ()  # a scene's generations are speech and image jobs; History routes them here by their inputs

    def __init__(
        self,
        ctx: AppContext,
        session: ProjectSession,
        model: StoryModel,
        document: DocumentModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, session, parent)
        self.model = model
        self.document = document
        self._status: Msg | str | None = None
        self._filling = False  # widgets being filled from the model: their signals are not edits

        # -- left: the scenes
        self.from_document = _button("storyFromDocument", self)
        self.from_selection = _button("storyFromSelection", self)
        self.scene_list = QListWidget(self)
        self.scene_list.setObjectName("storyScenes")
        self.scene_list.setWordWrap(True)
        self.merge_button = _button("storyMerge", self)
        self.split_button = _button("storySplit", self)
        self.up_button = _button("storyUp", self)
        self.down_button = _button("storyDown", self)
        self.delete_button = _button("storyDelete", self)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.from_document)
        top.addWidget(self.from_selection)
        lv.addLayout(top)
        lv.addWidget(self.scene_list, 1)
        edits = QHBoxLayout()
        for b in (self.merge_button, self.split_button, self.up_button, self.down_button, self.delete_button):
            edits.addWidget(b)
        lv.addLayout(edits)

        # -- middle: the chosen scene
        self.scene_box = QGroupBox(self)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("storySceneText")
        self.prompt_edit = QPlainTextEdit(self)
        self.prompt_edit.setObjectName("storyScenePrompt")
        self.prompt_edit.setMaximumHeight(60)
        self.picture_combo = QComboBox(self)
        self.picture_combo.setObjectName("storyPictureSource")
        self.layer_combo = QComboBox(self)
        self.layer_combo.setObjectName("storyLayer")
        self.import_button = _button("storyImportPicture", self)
        self.generate_button = _button("storyGenerate", self)
        self.narration_combo = QComboBox(self)
        self.narration_combo.setObjectName("storyNarration")
        self.narrate_button = _button("storyNarrate", self)
        self.duration_spin = QDoubleSpinBox(self)
        self.duration_spin.setObjectName("storyDuration")
        self.duration_spin.setRange(0.5, 600.0)
        self.duration_spin.setDecimals(1)
        self.pause_spin = QDoubleSpinBox(self)
        self.pause_spin.setObjectName("storyPause")
        self.pause_spin.setRange(0.0, 30.0)
        self.pause_spin.setDecimals(1)
        self.pause_spin.setSingleStep(0.1)
        self.motion_combo = QComboBox(self)
        self.motion_combo.setObjectName("storyMotion")
        form = QFormLayout(self.scene_box)
        picture_row = QHBoxLayout()
        picture_row.addWidget(self.picture_combo, 1)
        picture_row.addWidget(self.layer_combo, 1)
        picture_buttons = QHBoxLayout()
        picture_buttons.addWidget(self.import_button)
        picture_buttons.addWidget(self.generate_button)
        narration_row = QHBoxLayout()
        narration_row.addWidget(self.narration_combo, 1)
        narration_row.addWidget(self.narrate_button)
        timing_row = QHBoxLayout()
        timing_row.addWidget(self.duration_spin)
        self.pause_label = QLabel(self)
        timing_row.addWidget(self.pause_label)
        timing_row.addWidget(self.pause_spin)
        self.form_labels = [QLabel(self) for _ in range(7)]
        form.addRow(self.form_labels[0], self.text_edit)
        form.addRow(self.form_labels[1], picture_row)
        form.addRow(self.form_labels[2], picture_buttons)
        form.addRow(self.form_labels[3], self.prompt_edit)
        form.addRow(self.form_labels[4], narration_row)
        form.addRow(self.form_labels[5], timing_row)
        form.addRow(self.form_labels[6], self.motion_combo)

        # -- right: preview, music bed, export
        self.preview = StoryPreview(self)
        self.music_box = QGroupBox(self)
        self.music_combo = QComboBox(self)
        self.music_combo.setObjectName("storyMusic")
        mv = QVBoxLayout(self.music_box)
        mv.addWidget(self.music_combo)
        self.export_box = QGroupBox(self)
        self.aspect_combo = QComboBox(self)
        self.aspect_combo.setObjectName("storyAspect")
        self.aspect_combo.addItems(list(ASPECTS))
        self.height_combo = QComboBox(self)
        self.height_combo.setObjectName("storyHeight")
        self.height_combo.addItems(["", ""])
        self.fps_combo = QComboBox(self)
        self.fps_combo.setObjectName("storyFps")
        self.fps_combo.addItems(["", ""])
        self.burn_check = QCheckBox(self)
        self.burn_check.setObjectName("storyBurnSubtitles")
        self.export_button = _button("storyExport", self)
        self.stop_button = _button("storyStop", self)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("storyProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.time_left = QLabel(self)
        self.time_left.setObjectName("storyTimeLeft")
        self.video_handle = VideoHandle(self)
        ev = QVBoxLayout(self.export_box)
        shape = QHBoxLayout()
        for w in (self.aspect_combo, self.height_combo, self.fps_combo):
            shape.addWidget(w)
        ev.addLayout(shape)
        ev.addWidget(self.burn_check)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button, 1)
        buttons.addWidget(self.stop_button)
        ev.addLayout(buttons)
        ev.addWidget(self.progress)
        ev.addWidget(self.time_left)
        ev.addWidget(self.video_handle)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.preview, 1)
        rv.addWidget(self.music_box)
        rv.addWidget(self.export_box)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.scene_box)
        splitter.addWidget(right)
        splitter.setSizes([300, 420, 420])
        self.body.addWidget(splitter, 1)
        self.status = QLabel(self)
        self.status.setObjectName("storyStatus")
        self.status.setWordWrap(True)
        self.body.addWidget(self.status)

        self._connect()
        self.retranslate()
        self.bind()

    def _connect(self) -> None:
        m = self.model
        self.from_document.clicked.connect(lambda: self.guarded(lambda: self._build(self.document.text())))
        self.from_selection.clicked.connect(lambda: self.guarded(self._build_from_selection))
        self.merge_button.clicked.connect(lambda: self.guarded(lambda: m.merge_with_next(self.current())))
        self.split_button.clicked.connect(
            lambda: self.guarded(lambda: m.split(self.current(), self.text_edit.textCursor().position()))
        )
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.delete_button.clicked.connect(lambda: self.guarded(lambda: m.delete(self.current())))
        self.scene_list.currentRowChanged.connect(self._show_scene)
        self.text_edit.textChanged.connect(self._text_edited)
        self.prompt_edit.textChanged.connect(self._prompt_edited)
        self.picture_combo.currentIndexChanged.connect(self._picture_chosen)
        self.layer_combo.currentIndexChanged.connect(self._picture_chosen)
        self.import_button.clicked.connect(self._import_picture)
        self.generate_button.clicked.connect(self._generate)
        self.narration_combo.currentIndexChanged.connect(self._narration_chosen)
        self.narrate_button.clicked.connect(self._narrate)
        self.duration_spin.valueChanged.connect(self._timing_edited)
        self.pause_spin.valueChanged.connect(self._timing_edited)
        self.motion_combo.currentIndexChanged.connect(self._motion_chosen)
        self.music_combo.currentIndexChanged.connect(self._music_chosen)
        self.aspect_combo.currentIndexChanged.connect(lambda _i: self._refresh_preview())
        self.export_button.clicked.connect(self._export)
        self.stop_button.clicked.connect(m.stop_export)
        m.scenes_changed.connect(self._fill_list)
        m.scene_changed.connect(self._scene_changed)
        m.status_changed.connect(self._show_status)
        m.export_progress.connect(self._export_progress)
        m.export_ended.connect(self._export_ended)
        m.running_changed.connect(self._running)

    def retranslate(self) -> None:
        self.model_label.setText(translate("StoryPane", "Voice:"))
        self.from_document.setText(translate("StoryPane", "From document"))
        self.from_document.setToolTip(translate("StoryPane", "Make one scene per paragraph of the document"))
        self.from_selection.setText(translate("StoryPane", "From selection"))
        self.from_selection.setToolTip(translate("StoryPane", "Make one scene per paragraph of the selected text"))
        self.merge_button.setText(translate("StoryPane", "Merge"))
        self.merge_button.setToolTip(translate("StoryPane", "Join this scene with the next one"))
        self.split_button.setText(translate("StoryPane", "Split"))
        self.split_button.setToolTip(translate("StoryPane", "Split this scene at the text cursor"))
        self.up_button.setText(translate("StoryPane", "Up"))
        self.down_button.setText(translate("StoryPane", "Down"))
        self.delete_button.setText(translate("StoryPane", "Delete"))
        self.scene_box.setTitle(translate("StoryPane", "Scene"))
        texts = (
            translate("StoryPane", "Text:"),
            translate("StoryPane", "Picture:"),
            "",
            translate("StoryPane", "Prompt:"),
            translate("StoryPane", "Narration:"),
            translate("StoryPane", "Duration (s):"),
            translate("StoryPane", "Motion:"),
        )
        for form_label, text in zip(self.form_labels, texts, strict=True):
            form_label.setText(text)
        self.pause_label.setText(translate("StoryPane", "Pause after (s):"))
        self.duration_spin.setToolTip(translate("StoryPane", "How long a scene without narration lasts"))
        self.prompt_edit.setPlaceholderText(translate("StoryPane", "What the painted picture should show"))
        self.import_button.setText(translate("StoryPane", "Import picture…"))
        self.generate_button.setText(translate("StoryPane", "Generate"))
        self.generate_button.setToolTip(
            translate("StoryPane", "Paint the picture from the prompt with the image model")
        )
        self.narrate_button.setText(translate("StoryPane", "Narrate"))
        self.narrate_button.setToolTip(translate("StoryPane", "Read the scene's text with the chosen voice"))
        for combo, choices in ((self.picture_combo, PICTURE_CHOICES), (self.motion_combo, MOTIONS)):
            for i, (_value, words) in enumerate(choices):
                if combo.count() <= i:
                    combo.addItem("")
                combo.setItemText(i, tr_msg(words))
        self.music_box.setTitle(translate("StoryPane", "Music bed (ducked under the narration)"))
        self.export_box.setTitle(translate("StoryPane", "Video"))
        self.burn_check.setText(translate("StoryPane", "Burn subtitles into the picture"))
        for i, lines in enumerate((720, 1080)):
            self.height_combo.setItemText(i, translate("StoryPane", "{lines}p").format(lines=lines))
        for i, fps in enumerate((30, 24)):
            self.fps_combo.setItemText(i, translate("StoryPane", "{fps} fps").format(fps=fps))
        self.export_button.setText(translate("StoryPane", "Export video…"))
        self.stop_button.setText(translate("StoryPane", "Stop"))
        self.video_handle.setText(translate("StoryPane", "Drag the video from here"))
        self._fill_clip_combos()
        self._fill_list()
        self._render_status()

    # ------------------------------------------------------------ binding and lists

    def bind(self) -> None:
        super().bind()
        self._fill_clip_combos()
        self._fill_list()

    def current(self) -> int:
        return self.scene_list.currentRow()

    def _fill_list(self) -> None:
        row = max(0, self.current())
        self._filling = True
        self.scene_list.clear()
        # Two lines per row, measured for Han text too: its fallback face is taller than the list font says, and a
        # row sized by the font alone drops its second line.
        height = round(self.scene_list.fontMetrics().height() * 2.9)
        for n in range(len(self.model.scenes)):
            item = QListWidgetItem(self._row_text(n))
            item.setSizeHint(QSize(0, height))
            self.scene_list.addItem(item)
        self._filling = False
        if self.model.scenes:
            self.scene_list.setCurrentRow(min(row, len(self.model.scenes) - 1))
        self._show_scene(self.current())
        self._update_buttons()

    def _row_text(self, n: int) -> str:
        scene = self.model.scenes[n]
        words = " ".join(scene.text.split())
        words = words if len(words) <= 60 else words[:59] + "…"
        seconds = QLocale().toString(self.model.scene_seconds(scene), "f", 1)
        marks = []
        if scene.narration_id:
            marks.append(translate("StoryPane", "narrated"))
        if scene.picture is not PictureSource.NONE:
            marks.append(translate("StoryPane", "picture"))
        extra = " · " + translate("StoryPane", ", ").join(marks) if marks else ""
        return translate("StoryPane", "{n}. {text}\n{seconds} s{extra}").format(
            n=n + 1, text=words, seconds=seconds, extra=extra
        )

    def _scene_changed(self, index: int) -> None:
        item = self.scene_list.item(index)
        if item is not None:
            item.setText(self._row_text(index))
        if index == self.current():
            self._show_scene(index)

    def _fill_clip_combos(self) -> None:
        self._filling = True
        clips = self.session.project.clips
        for combo, none_text in (
            (self.narration_combo, translate("StoryPane", "No narration")),
            (self.music_combo, translate("StoryPane", "No music")),
        ):
            combo.clear()
            combo.addItem(none_text, None)
            for clip in clips:
                combo.addItem(f"{clip.name} ({QLocale().toString(clip.duration_s, 'f', 1)} s)", clip.id)
        music = self.model.board.music.clip_id
        self.music_combo.setCurrentIndex(max(0, self.music_combo.findData(music)) if music else 0)
        self.layer_combo.clear()
        for layer in reversed(self.session.project.canvas.layers):
            self.layer_combo.addItem(layer.name, layer.id)
        self._filling = False

    def _show_scene(self, index: int) -> None:
        if self._filling:
            return
        has = 0 <= index < len(self.model.scenes)
        self.scene_box.setEnabled(has)
        self._update_buttons()
        if not has:
            self.preview.show_scene(None, -1, 0, [], self.aspect_combo.currentText())
            return
        scene = self.model.scenes[index]
        self._fill_clip_combos()
        self._filling = True
        if self.text_edit.toPlainText() != scene.text:
            self.text_edit.setPlainText(scene.text)
        if self.prompt_edit.toPlainText() != scene.prompt:
            self.prompt_edit.setPlainText(scene.prompt)
        self.picture_combo.setCurrentIndex([v for v, _ in PICTURE_CHOICES].index(scene.picture))
        self.layer_combo.setVisible(scene.picture is PictureSource.LAYER)
        if scene.picture is PictureSource.LAYER:
            self.layer_combo.setCurrentIndex(max(0, self.layer_combo.findData(scene.picture_ref)))
        self.narration_combo.setCurrentIndex(max(0, self.narration_combo.findData(scene.narration_id)))
        self.duration_spin.setValue(scene.duration_s)
        self.duration_spin.setEnabled(scene.narration_id is None)
        self.pause_spin.setValue(scene.pause_s)
        self.motion_combo.setCurrentIndex([v for v, _ in MOTIONS].index(scene.motion))
        self._filling = False
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        index = self.current()
        if not 0 <= index < len(self.model.scenes):
            return
        scene = self.model.scenes[index]
        clip = self.model.narration(scene)
        seconds = self.model.scene_seconds(scene)
        spans = sentence_spans(self.session.project, clip) if clip is not None else None
        cues = spans or [Cue(0.0, clip.duration_s if clip else seconds, scene.text)]
        try:
            self.preview.show_scene(self.session.project, index, seconds, cues, self.aspect_combo.currentText())
        except (UserError, OSError) as exc:  # a picture that cannot be drawn: say so under the pane
            self._show_status(error_text(exc))

    def _update_buttons(self) -> None:
        n, index = len(self.model.scenes), self.current()
        has = 0 <= index < n
        for b in (self.split_button, self.delete_button):
            b.setEnabled(has)
        self.merge_button.setEnabled(has and index < n - 1)
        self.up_button.setEnabled(has and index > 0)
        self.down_button.setEnabled(has and index < n - 1)
        self.export_button.setEnabled(n > 0 and not self.model.exporting)
        self.stop_button.setEnabled(self.model.exporting)

    # ------------------------------------------------------------ edits

    def _build(self, text: str) -> None:
        count = self.model.build_from_text(text)
        self._show_status(QT_TRANSLATE_NOOP("StoryPane", "{count} scenes made from the text").format(count=count))

    def _build_from_selection(self) -> None:
        text = self.document.selected_text()
        if not text.strip():
            raise UserError(QT_TRANSLATE_NOOP("StoryPane", "Select some text in the Document first."))
        self._build(text)

    def _move(self, step: int) -> None:
        index = self.current()
        self.model.move(index, index + step)
        self.scene_list.setCurrentRow(index + step)

    def _text_edited(self) -> None:
        if not self._filling and self.current() >= 0:
            self.model.set_text(self.current(), self.text_edit.toPlainText())

    def _prompt_edited(self) -> None:
        if not self._filling and self.current() >= 0:
            self.model.set_prompt(self.current(), self.prompt_edit.toPlainText())

    def _timing_edited(self) -> None:
        if not self._filling and self.current() >= 0:
            self.model.set_timing(self.current(), self.duration_spin.value(), self.pause_spin.value())

    def _motion_chosen(self, i: int) -> None:
        if not self._filling and self.current() >= 0:
            self.model.set_motion(self.current(), MOTIONS[i][0])

    def _picture_chosen(self) -> None:
        if self._filling or self.current() < 0:
            return
        source = PICTURE_CHOICES[self.picture_combo.currentIndex()][0]
        scene = self.model.scenes[self.current()]
        ref = ""
        if source is PictureSource.LAYER:
            ref = self.layer_combo.currentData() or ""
        elif source is PictureSource.PICTURE:
            if scene.picture is not PictureSource.PICTURE:
                self._import_picture()  # nothing kept yet for this scene: ask for one
                return
            ref = scene.picture_ref
        self.guarded(lambda: self.model.set_picture(self.current(), source, ref))

    def _import_picture(self) -> None:
        if self.current() < 0:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("StoryPane", "Import a picture for the scene"),
            "",
            translate("StoryPane", "Pictures (*.png *.jpg *.jpeg *.webp *.bmp)"),
        )
        if path:
            self.guarded(lambda: self.model.import_picture(self.current(), Path(path)))
        else:
            self._show_scene(self.current())

    def _generate(self) -> None:
        model_id = self.ctx.settings.default_model("canvas")
        entry = None
        if model_id:
            try:
                entry = self.ctx.registry.get(model_id)
            except UserError:
                entry = None
        entry = entry if entry is not None and entry.kind is ModelKind.IMAGE else None
        entry = entry or self.ctx.registry.default_for(ModelKind.IMAGE)
        if entry is None:
            self._show_status(
                QT_TRANSLATE_NOOP("StoryPane", "No image model is installed: import a picture or use a canvas layer.")
            )
            return
        self.guarded(lambda: self.model.generate_picture(self.current(), entry.id))

    def _narration_chosen(self) -> None:
        if not self._filling and self.current() >= 0:
            self.model.set_narration(self.current(), self.narration_combo.currentData())

    def _narrate(self) -> None:
        voice = self.model_selector.current_model_id()
        if not voice:
            self._show_status(QT_TRANSLATE_NOOP("StoryPane", "No voice is installed: add one in the Models window."))
            return
        self.guarded(lambda: self.model.narrate(self.current(), voice))

    def _music_chosen(self) -> None:
        if not self._filling:
            self.model.set_music(self.music_combo.currentData())

    # ------------------------------------------------------------ export

    def options(self) -> ExportOptions:
        return ExportOptions(
            aspect=self.aspect_combo.currentText(),
            height=720 if self.height_combo.currentIndex() == 0 else 1080,
            fps=30 if self.fps_combo.currentIndex() == 0 else 24,
            burn_subtitles=self.burn_check.isChecked(),
        )

    def _export(self) -> None:
        name = project_stem(self.session.path, self.session.project.name)
        path, _ = QFileDialog.getSaveFileName(
            self, translate("StoryPane", "Export video"), f"{name}.mp4", translate("StoryPane", "MP4 video (*.mp4)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        if path.suffix.lower() != ".mp4":
            path = path.with_name(path.name + ".mp4")
        self.flush()
        self.guarded(lambda: self.model.export(path, self.options()))

    def _running(self, on: bool) -> None:
        self.progress.setValue(0)
        self.time_left.setText(translate("StoryPane", "Starting…") if on else "")
        self._update_buttons()

    def _export_progress(self, fraction: float, left: float | None) -> None:
        self.progress.setValue(round(fraction * 1000))
        if left is not None:
            self.time_left.setText(
                translate("StoryPane", "{percent} % · about {seconds} s left").format(
                    percent=round(fraction * 100), seconds=round(left)
                )
            )

    def _export_ended(self, result: ExportResult | None) -> None:
        if result is not None:
            self.progress.setValue(1000)
            self.video_handle.show_video(result.path)
        self._update_buttons()

    # ------------------------------------------------------------ status, History

    def _show_status(self, message: Msg | str) -> None:
        self._status = message
        self._render_status()

    def _render_status(self) -> None:
        self.status.setText(tr_msg(self._status) if self._status else "")

    def regenerate(self, entry: HistoryEntry) -> Job | None:
        try:
            return self.model.regenerate(entry)
        except UserError as exc:
            self._show_status(exc.message)
            return None

    def show_output(self, ref: str, spec_id: str) -> None:
        """Select the scene showing `ref` (a story picture), else the scene the generation was made for."""
        entry = self.session.project.find_history(spec_id)
        scene_id = entry.spec.inputs.get(SCENE_INPUT) if entry is not None else None
        scenes = self.model.scenes
        row = next((i for i, s in enumerate(scenes) if s.picture is PictureSource.PICTURE and s.picture_ref == ref), -1)
        if row < 0:
            row = next((i for i, s in enumerate(scenes) if s.id == scene_id), -1)
        if row >= 0:
            self.scene_list.setCurrentRow(row)

    def flush(self) -> None:
        """The text boxes write through on every keystroke; nothing is held back."""


def project_stem(path: Path | None, name: str) -> str:
    return path.stem if path is not None else (str(name) or "story")
