"""The main window: three panes on tabs, the menus (ui/window_menus.py), the queue in the status bar, the History
dock, the models/servers/training dialogs and jobs; it switches the interface language live when the `language` setting
changes (every widget sets its texts again in retranslate(); nothing typed is touched). The project's files (new,
open, save, export, archives, crash recovery) are its base class, WindowFiles (ui/window_files.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QTabWidget, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.servers.config import ServerConfig
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui import units
from aigc_desktop.ui.autosave import Autosaver
from aigc_desktop.ui.crossings import Crossings
from aigc_desktop.ui.dialogs import ask_plain_http, show_error
from aigc_desktop.ui.document.pane import DocumentPane
from aigc_desktop.ui.history_panel import HistoryPanel
from aigc_desktop.ui.i18n import Retranslating, apply_language, resolve, tr_msg, translate
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.pane_page import PanePage
from aigc_desktop.ui.queue_status import QueueStatus
from aigc_desktop.ui.window_files import WindowFiles
from aigc_desktop.ui.window_geometry import place_window, refit_window
from aigc_desktop.ui.window_menus import WindowMenus
from aigc_desktop.workers.jobs import Job, JobHandler

# The Canvas and Audio panes are built after the first paint (ui/pane_page.py).
if TYPE_CHECKING:
    from aigc_desktop.state.audio import AudioModel
    from aigc_desktop.state.canvas import CanvasModel
    from aigc_desktop.state.image_generation import ImageGeneration
    from aigc_desktop.state.learn_style import StyleRun
    from aigc_desktop.ui.audio.pane import AudioPane
    from aigc_desktop.ui.canvas.pane import CanvasPane
    from aigc_desktop.ui.drag_out import DragOut
    from aigc_desktop.ui.learn_style_dialog import LearnStyleDialog
    from aigc_desktop.ui.models_window import ModelsWindow
    from aigc_desktop.ui.servers_dialog import ServersDialog
    from aigc_desktop.ui.story.pane import StoryPane
    from aigc_desktop.ui.train_dialog import TrainDialog
log = logging.getLogger(__name__)
# The tabs' titles, the window's own words: the Canvas and Audio panes do not exist yet when the window first paints.
TAB_TITLES = (
    QT_TRANSLATE_NOOP("MainWindow", "Document"),
    QT_TRANSLATE_NOOP("MainWindow", "Canvas"),
    QT_TRANSLATE_NOOP("MainWindow", "Audio"),
    QT_TRANSLATE_NOOP("MainWindow", "Story"),
)


class MainWindow(Retranslating, WindowFiles):
    """The window renders the open ProjectSession (title, unsaved star) and runs the project's life cycle (new, open,
    save, export, archives, recovery: WindowFiles). The panes observe the same session."""

    first_painted = Signal()  # once, right after the window's first paint: the moment for work it did not need

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.session = ProjectSession(ctx.registry, self)
        self.session.dirty_changed.connect(self._update_title)
        self.session.path_changed.connect(self._update_title)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("paneTabs")
        self.tabs.setDocumentMode(True)
        self.document_model = DocumentModel(ctx, self.session, self)
        self.document_pane = DocumentPane(ctx, self.session, self.document_model)
        document_page = PanePage(lambda: self.document_pane)
        self._canvas_page = PanePage(self._build_canvas_pane)
        self._audio_page = PanePage(self._build_audio_pane)
        self._story_page = PanePage(self._build_story_pane)
        self._pages = [document_page, self._canvas_page, self._audio_page, self._story_page]
        for page in self._pages:
            self.tabs.addTab(page, "")
            page.built.connect(self._on_pane_built)
        document_page.pane()
        self.tabs.currentChanged.connect(self._update_edit_actions)
        self.setCentralWidget(self.tabs)
        self._painted = False
        self._drag_out: DragOut | None = None
        self._style_run: StyleRun | None = None
        self.first_painted.connect(self._build_next_pane)

        self.queue_status = QueueStatus(ctx.queue, self)
        self.statusBar().addPermanentWidget(self.queue_status)
        ctx.queue.job_failed.connect(self._on_job_failed)
        ctx.queue.job_cancelled.connect(self._on_job_cancelled)
        ctx.servers.ask = self.confirm_plain_http

        self.crossings = Crossings(self)  # Illustrate, Narrate and Score from the Document to the other panes
        self.history_panel = HistoryPanel(self.session, self.document_model, self, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_panel)
        self.history_panel.hide()
        # The dock widens the window by its own width: on a laptop screen that pushed the right edge off the screen.
        self.history_panel.visibilityChanged.connect(self._on_dock_visibility)
        self.menus = WindowMenus(self)
        self.action_undo, self.action_redo = self.menus.undo, self.menus.redo
        self.action_train, self.action_history, self.action_show_ai = (
            self.menus.train,
            self.menus.history,
            self.menus.show_ai,
        )
        self.recent_menu = self.menus.recent_menu
        ctx.settings.changed.connect(self._on_setting_changed)
        self.autosaver = Autosaver(self)
        self.show_project(Project(), None)
        self.retranslate()
        place_window(self, ctx.settings.values.window_geometry)

    def retranslate(self) -> None:
        for i, title in enumerate(TAB_TITLES):
            self.tabs.setTabText(i, tr_msg(title))
        self.menus.retranslate()
        self._update_title()

    # ------------------------------------------------------------ structure

    def _build_canvas_pane(self) -> Pane:
        from aigc_desktop.state.canvas import CanvasModel
        from aigc_desktop.state.image_generation import ImageGeneration
        from aigc_desktop.ui.canvas.pane import CanvasPane

        model = CanvasModel(self.session, self)
        pane = CanvasPane(self.ctx, self.session, model, ImageGeneration(self.ctx, model, self))
        pane.layer_panel.paragraph_requested.connect(self.crossings.show_paragraph)  # a layer Illustrate painted
        return pane

    def _build_audio_pane(self) -> Pane:
        from aigc_desktop.state.audio import AudioModel
        from aigc_desktop.ui.audio.pane import AudioPane

        return AudioPane(self.ctx, self.session, AudioModel(self.ctx, self.session, self), self.document_model)

    def _build_story_pane(self) -> Pane:
        from aigc_desktop.state.story import StoryModel
        from aigc_desktop.ui.story.pane import StoryPane

        model = StoryModel(self.ctx, self.session, self.audio_model, self)
        return StoryPane(self.ctx, self.session, model, self.document_model)

    def _on_dock_visibility(self, visible: bool) -> None:
        if visible and self.fully_built:
            QTimer.singleShot(0, lambda: refit_window(self))  # after the dock's own layout request

    def _on_pane_built(self, pane: Pane) -> None:
        pane.undo_state_changed.connect(self._update_edit_actions)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)  # after this paint has reached the screen
        return super().event(event)

    def _build_next_pane(self) -> None:
        """Build the panes the first paint did without, one per event-loop turn (the window stays responsive)."""
        page = next((p for p in self._pages if not p.is_built), None)
        if page is None:
            _ = self.drag_out
            refit_window(self)
            return
        page.pane()
        QTimer.singleShot(0, self._build_next_pane)

    @property
    def fully_built(self) -> bool:
        """Every pane built and drag-out wired (a few event-loop turns after the first paint)."""
        return self._drag_out is not None

    @property
    def canvas_pane(self) -> CanvasPane:
        return cast("CanvasPane", self._canvas_page.pane())

    @property
    def audio_pane(self) -> AudioPane:
        return cast("AudioPane", self._audio_page.pane())

    @property
    def story_pane(self) -> StoryPane:
        return cast("StoryPane", self._story_page.pane())

    @property
    def canvas_model(self) -> CanvasModel:
        return self.canvas_pane.model

    @property
    def image_generation(self) -> ImageGeneration:
        return self.canvas_pane.generation

    @property
    def audio_model(self) -> AudioModel:
        return self.audio_pane.model

    @property
    def drag_out(self) -> DragOut:
        """Drag-out from the panes' lists, canvas and handles (wired once every pane is built)."""
        if self._drag_out is None:
            from aigc_desktop.ui.drag_out import DragOut

            self._drag_out = DragOut(self, self.ctx.paths.cache_dir)
        return self._drag_out

    def panes(self) -> list[Pane]:
        """Every pane, built now if it was not yet."""
        return [page.pane() for page in self._pages]

    def pane_for(self, kind: JobKind, spec: JobSpec | None = None) -> Pane | None:
        """The pane that makes, replays and shows generations of `kind` (the History dock asks); a scene's
        generation (its spec names the scene) belongs to the Story pane."""
        if spec is not None and "story_scene" in spec.inputs:
            return self.story_pane
        return next((p for p in self.panes() if kind in p.job_kinds), None)

    def show_pane(self, pane: Pane) -> None:
        self.tabs.setCurrentWidget(self._page_of(pane))

    def _page_of(self, pane: Pane) -> PanePage:
        return next(page for page in self._pages if page.is_built and page.pane() is pane)

    def current_pane(self) -> Pane:
        page = self.tabs.currentWidget()
        assert isinstance(page, PanePage)
        return page.pane()

    def set_show_ai(self, on: bool) -> None:
        """Tint AI text and suffix AI layers/clips, or not; remembered across restarts (the panes follow the
        setting)."""
        self.ctx.settings.set("show_ai", on)

    def _on_setting_changed(self, name: str) -> None:
        if name == "show_ai":
            on = self.ctx.settings.values.show_ai
            if self.action_show_ai.isChecked() != on:
                self.action_show_ai.setChecked(on)
        elif name == "language":
            self.set_language(resolve(self.ctx.settings.values.language))

    def set_language(self, language: str) -> None:
        """Switch the interface to `language` now: Qt sends every widget a LanguageChange and each sets its texts
        again; what the user typed stays as it is (no widget is rebuilt)."""
        apply_language(language)
        # Qt posts the LanguageChange events; delivering them now makes the switch complete when this returns.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.menus.check_language()  # also when the catalogue was missing and no LanguageChange came

    # ------------------------------------------------------------ models

    def open_models_window(self) -> ModelsWindow:
        """One Models window per main window: closing it hides it, so running downloads go on and show again."""
        from aigc_desktop.ui.models_window import ModelsWindow  # on first use: keeps start-up light

        window = self.findChild(ModelsWindow)
        if window is None:
            window = ModelsWindow(self.ctx, self)
            window.models_changed.connect(self._refresh_model_pickers)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_servers_dialog(self) -> ServersDialog:
        """Settings ▸ Servers: one per window, not modal (a test may take a while; the panes stay usable)."""
        from aigc_desktop.ui.servers_dialog import ServersDialog  # on first use: keeps start-up light

        dialog = self.findChild(ServersDialog)
        if dialog is None:
            dialog = ServersDialog(self.ctx.servers, self)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def confirm_plain_http(self, server: ServerConfig, warning: str) -> bool:
        """Asked before the first job of this run goes to a server over plain http on another machine."""
        return ask_plain_http(self, server.name, warning)

    def _refresh_model_pickers(self, *_: object) -> None:
        for pane in self.panes():
            pane.refresh_models()

    # ------------------------------------------------------------ edit

    def undo(self) -> None:
        self.current_pane().undo()

    def redo(self) -> None:
        self.current_pane().redo()

    def _update_edit_actions(self, *_: object) -> None:
        if not hasattr(self, "action_undo"):
            return
        pane = self.current_pane()
        self.action_undo.setEnabled(pane.can_undo())
        self.action_redo.setEnabled(pane.can_redo())

    # ------------------------------------------------------------ jobs

    def run_hardware_check(self) -> Job:
        spec = JobSpec(kind=JobKind.SYSTEM, model_id="torch-selfcheck", params={"size": 768, "iterations": 30})
        title = QT_TRANSLATE_NOOP("MainWindow", "Hardware check")
        return self.ctx.queue.submit(spec, title=title, handler=_HardwareCheck(self))

    def open_train_dialog(self) -> TrainDialog:
        """One non-modal training dialog per window, shown again (with its run) when reopened."""
        from aigc_desktop.ui.train_dialog import TrainDialog  # on first use: keeps start-up light

        dialog = self.findChild(TrainDialog)
        if dialog is None:
            dialog = TrainDialog(self.ctx, self.session, self)
            dialog.model_saved.connect(self._refresh_model_pickers)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    @property
    def style_run(self) -> StyleRun:
        """The window's "Learn my style" run (made on first use): it outlives its dialog being closed."""
        if self._style_run is None:
            from aigc_desktop.state.learn_style import StyleRun

            self._style_run = StyleRun(self.ctx, self.session, self)
            # A style is listed from its first saved epoch: the Document's model list shows it at once.
            self._style_run.epoch_saved.connect(self._refresh_model_pickers)
            self._style_run.style_saved.connect(self._refresh_model_pickers)
        return self._style_run

    def open_learn_style_dialog(self) -> LearnStyleDialog:
        """Tools ▸ Learn my style…: one non-modal dialog per window, shown again (with its run) when reopened."""
        from aigc_desktop.ui.learn_style_dialog import LearnStyleDialog  # on first use: keeps start-up light

        dialog = self.findChild(LearnStyleDialog)
        if dialog is None:
            dialog = LearnStyleDialog(self.style_run, self.document_model.text, self)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def offer_interrupted_styles(self) -> QMessageBox | None:
        """At start: offer to go on with a style whose learning was cut off when the app was killed."""
        from aigc_desktop.ui.learn_style_dialog import offer_interrupted_runs

        return offer_interrupted_runs(self, self.ctx.registry.models_dir, self.open_learn_style_dialog)

    def show_hardware_report(self, report: dict[str, object]) -> None:
        r = report
        gpu = translate("MainWindow", "yes") if r["cuda_available"] else translate("MainWindow", "no")
        text = translate(
            "MainWindow",
            "Generation runs on: {device_name} ({device})\n"
            "Matrix speed: {gflops} GFLOP/s with {threads} threads\n"
            "torch {torch} · GPU available: {gpu}",
        ).format(
            device_name=r["device_name"],
            device=r["device"],
            gflops=units.format_number(float(str(r["gflops"])), 2),
            threads=r["threads"],
            torch=r["torch"],
            gpu=gpu,
        )
        QMessageBox.information(self, translate("MainWindow", "Hardware check"), text)

    def _on_job_cancelled(self, job: Job) -> None:
        if job.refused:  # nothing was sent: say why rather than "Stopped"
            self.statusBar().showMessage(tr_msg(job.refused), 10000)
            return
        self.statusBar().showMessage(translate("MainWindow", "Stopped: {title}").format(title=tr_msg(job.title)), 5000)

    def _on_job_failed(self, job: Job, message: str) -> None:
        title, text = tr_msg(job.title), tr_msg(message)
        status = translate("MainWindow", "{title} failed: {message}").format(title=title, message=text)
        self.statusBar().showMessage(status, 10000)
        failed = translate("MainWindow", "{title} failed").format(title=title)
        show_error(self, failed, text, self.ctx.paths.log_file)

    # ------------------------------------------------------------ help

    def show_locations(self) -> None:
        p = self.ctx.paths
        text = translate(
            "MainWindow", "Projects: {projects}\nModels: {models}\nSettings: {settings}\nLogs: {logs}\nCache: {cache}"
        ).format(projects=p.projects_dir, models=p.models_dir, settings=p.config_dir, logs=p.log_dir, cache=p.cache_dir)
        QMessageBox.information(self, translate("MainWindow", "Where are my files?"), text)

    def show_about(self) -> None:
        from aigc_desktop.ui.installation import show_about

        show_about(self)

    # ------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.autosaver.stop()
        self.autosaver.discard()  # saved or knowingly dropped: nothing is left to recover
        self.drag_out.cleanup()  # a clean exit: dropped files were copied by now or the target has given up on them
        self.ctx.settings.set("window_geometry", bytes(self.saveGeometry().toHex().data()).decode())
        self.ctx.queue.shutdown()
        event.accept()


class _HardwareCheck(JobHandler):
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def finished(self, job: Job, result: JobResult | None) -> None:
        if result is not None:
            self.window.show_hardware_report(result.output)
