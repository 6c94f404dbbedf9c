"""The main window: three panes on tabs, File/Edit/Help menus, the queue in the status bar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QTabWidget, QWidget

from aigc_desktop import __version__
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.paths import ARCHIVE_SUFFIX, PROJECT_SUFFIX
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.specs import JobKind, JobResult, JobSpec
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.document import DocumentModel
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.autosave import Autosaver
from aigc_desktop.ui.dialogs import ask_save_changes, show_error
from aigc_desktop.ui.document.pane import DocumentPane
from aigc_desktop.ui.history_panel import HistoryPanel
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.pane_page import PanePage
from aigc_desktop.ui.queue_status import QueueStatus
from aigc_desktop.ui.window_geometry import place_window
from aigc_desktop.workers.jobs import Job, JobHandler

# Reading, writing, exporting and recovering projects are imported where used: the first paint needs none of them,
# and they pull numpy, PIL and the XML/HTTP standard library (~250 ms of start-up).
# The Canvas and Audio panes are built after the first paint (ui/pane_page.py).
if TYPE_CHECKING:
    from aigc_desktop.core.project.recovery import RecoveryInfo
    from aigc_desktop.state.audio import AudioModel
    from aigc_desktop.state.canvas import CanvasModel
    from aigc_desktop.state.image_generation import ImageGeneration
    from aigc_desktop.ui.audio.pane import AudioPane
    from aigc_desktop.ui.canvas.pane import CanvasPane
    from aigc_desktop.ui.drag_out import DragOut
    from aigc_desktop.ui.models_window import ModelsWindow
    from aigc_desktop.ui.recovery_dialog import RecoveryDialog
    from aigc_desktop.ui.train_dialog import TrainDialog
log = logging.getLogger(__name__)
PROJECT_FILTER = f"AIGC Desktop projects (*{PROJECT_SUFFIX})"
ARCHIVE_FILTER = f"AIGC Desktop project archives (*{ARCHIVE_SUFFIX})"
# File > Export items: kind → (menu text, save dialog filter ending in the file's suffix).
EXPORT_KINDS: dict[str, tuple[str, str]] = {
    "md": ("Document as Markdown…", "Markdown (*.md)"),
    "html": ("Document as HTML…", "HTML (*.html)"),
    "txt": ("Document as plain text…", "Plain text (*.txt)"),
    "canvas": ("Canvas as PNG…", "PNG images (*.png)"),
    "layer": ("Selected layer as PNG…", "PNG images (*.png)"),
    "wav": ("Selected clip as WAV…", "WAV audio (*.wav)"),
    "flac": ("Selected clip as FLAC…", "FLAC audio (*.flac)"),
}


class MainWindow(QMainWindow):
    """The window renders the open ProjectSession (title, unsaved star) and runs the project's life cycle: new, open,
    save, export, archives, recovery. The panes observe the same session."""

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
        self._pages = [document_page, self._canvas_page, self._audio_page]
        for page, title in zip(self._pages, ("Document", "Canvas", "Audio"), strict=True):
            self.tabs.addTab(page, title)
            page.built.connect(self._on_pane_built)
        document_page.pane()
        self.tabs.currentChanged.connect(self._update_edit_actions)
        self.setCentralWidget(self.tabs)
        self._painted = False
        self._drag_out: DragOut | None = None
        self.first_painted.connect(self._build_next_pane)

        self.queue_status = QueueStatus(ctx.queue, self)
        self.statusBar().addPermanentWidget(self.queue_status)
        ctx.queue.job_failed.connect(self._on_job_failed)
        ctx.queue.job_cancelled.connect(self._on_job_cancelled)

        self._build_menus()
        self._build_view_menu()
        ctx.settings.changed.connect(self._on_setting_changed)
        self.autosaver = Autosaver(self)
        self.show_project(Project(), None)
        place_window(self, ctx.settings.values.window_geometry)

    # ------------------------------------------------------------ structure

    def _build_canvas_pane(self) -> Pane:
        from aigc_desktop.state.canvas import CanvasModel
        from aigc_desktop.state.image_generation import ImageGeneration
        from aigc_desktop.ui.canvas.pane import CanvasPane

        model = CanvasModel(self.session, self)
        return CanvasPane(self.ctx, self.session, model, ImageGeneration(self.ctx, model, self))

    def _build_audio_pane(self) -> Pane:
        from aigc_desktop.state.audio import AudioModel
        from aigc_desktop.ui.audio.pane import AudioPane

        return AudioPane(self.ctx, self.session, AudioModel(self.ctx, self.session, self), self.document_model)

    def _on_pane_built(self, pane: Pane) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self._page_of(pane)), pane.title)
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

    def pane_for(self, kind: JobKind) -> Pane | None:
        """The pane that makes, replays and shows generations of `kind` (the History dock asks)."""
        return next((p for p in self.panes() if kind in p.job_kinds), None)

    def show_pane(self, pane: Pane) -> None:
        self.tabs.setCurrentWidget(self._page_of(pane))

    def _page_of(self, pane: Pane) -> PanePage:
        return next(page for page in self._pages if page.is_built and page.pane() is pane)

    def current_pane(self) -> Pane:
        page = self.tabs.currentWidget()
        assert isinstance(page, PanePage)
        return page.pane()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.action_new = self._action(file_menu, "&New", QKeySequence.StandardKey.New, self.new_project)
        self.action_open = self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.choose_open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.action_save = self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self.action_save_as = self._action(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, self.choose_save_as)
        self._build_export_menu(file_menu)
        self.action_export_archive = self._action(
            file_menu, "Export project archive…", None, self.choose_export_archive
        )
        self.action_import_archive = self._action(
            file_menu, "Import project archive…", None, self.choose_import_archive
        )
        file_menu.addSeparator()
        self.action_models = self._action(file_menu, "&Models…", None, self.open_models_window)
        self.action_models.setShortcut(QKeySequence("Ctrl+Shift+M"))
        file_menu.addSeparator()
        self.action_quit = self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)

        edit_menu = bar.addMenu("&Edit")
        self.action_undo = self._action(edit_menu, "&Undo", QKeySequence.StandardKey.Undo, self.undo)
        self.action_redo = self._action(edit_menu, "&Redo", QKeySequence.StandardKey.Redo, self.redo)

        tools_menu = bar.addMenu("&Tools")
        tools_menu.setObjectName("toolsMenu")
        self.action_train = self._action(tools_menu, "&Train on my images…", None, self.open_train_dialog)

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Check &hardware", None, self.run_hardware_check)
        self._action(help_menu, "Where are my files?", None, self.show_locations)
        self._action(help_menu, "&About AIGC Desktop", None, self.show_about)
        self._fill_recent()

    def _build_view_menu(self) -> None:
        """View menu (before Help): the History dock and the "Show AI-generated" toggle."""
        self.history_panel = HistoryPanel(self.session, self.document_model, self, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_panel)
        self.history_panel.hide()
        view_menu = QMenu("&View", self)
        view_menu.setObjectName("viewMenu")
        help_action = next((a for a in self.menuBar().actions() if a.text() == "&Help"), None)
        if help_action is not None:
            self.menuBar().insertMenu(help_action, view_menu)
        else:
            self.menuBar().addMenu(view_menu)
        self.action_history = self.history_panel.toggleViewAction()
        self.action_history.setText("History")
        view_menu.addAction(self.action_history)
        self.action_show_ai = QAction("Show AI-generated", self)
        self.action_show_ai.setCheckable(True)
        self.action_show_ai.setChecked(self.ctx.settings.values.show_ai)
        self.action_show_ai.toggled.connect(self.set_show_ai)
        view_menu.addAction(self.action_show_ai)

    def set_show_ai(self, on: bool) -> None:
        """Tint AI text and suffix AI layers/clips, or not; remembered across restarts (the panes follow the
        setting)."""
        self.ctx.settings.set("show_ai", on)

    def _on_setting_changed(self, name: str) -> None:
        if name == "show_ai":
            on = self.ctx.settings.values.show_ai
            if self.action_show_ai.isChecked() != on:
                self.action_show_ai.setChecked(on)

    def _action(self, menu: QMenu, text: str, shortcut: QKeySequence.StandardKey | None, slot: object) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # ------------------------------------------------------------ project life cycle

    def show_project(self, project: Project, path: Path | None) -> None:
        """Show `project` (saved at `path`, if anywhere) in place of the current one."""
        self.autosaver.discard()  # the project being replaced was saved, or the user chose to drop its changes
        self.session.replace(project, path)
        self._update_title()
        self._update_edit_actions()

    def _update_title(self, *_: object) -> None:
        s = self.session
        star = "*" if s.dirty else ""
        where = f" — {s.path}" if s.path else ""
        self.setWindowTitle(f"{s.project.name}{star}{where} — AIGC Desktop")

    def maybe_save(self) -> bool:
        """True when it is fine to replace the current project (saved, discarded, or nothing to lose)."""
        if not self.session.dirty:
            return True
        answer = ask_save_changes(self, self.session.project.name)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_project(self) -> None:
        if self.maybe_save():
            self.show_project(Project(), None)

    def choose_open(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(self.ctx.paths.projects_dir), PROJECT_FILTER)
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> bool:
        """Open `path`; on failure the current project stays as it was and the user reads why."""
        from aigc_desktop.core.project.store import load_project

        try:
            report = load_project(path)
        except UserError as exc:
            show_error(self, "Could not open project", str(exc))
            return False
        self.show_project(report.project, path)
        self._remember(path)
        if report.missing_assets:
            show_error(
                self,
                "Parts of the project are missing",
                "These could not be found and were left out:\n" + "\n".join(report.missing_assets),
            )
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def save(self) -> bool:
        if self.session.path is None:
            return self.choose_save_as()
        return self.save_as(self.session.path)

    def choose_save_as(self) -> bool:
        start = self.session.path or self.ctx.paths.projects_dir / f"{self.session.project.name}{PROJECT_SUFFIX}"
        target = self._ask_save_path("Save project as", start, PROJECT_FILTER, PROJECT_SUFFIX)
        return target is not None and self.save_as(target)

    def _ask_save_path(self, title: str, start: Path, file_filter: str, suffix: str) -> Path | None:
        """A file name from the save dialog, with `suffix` added when the user left it off; None if cancelled."""
        path, _ = QFileDialog.getSaveFileName(self, title, str(start), file_filter)
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() == suffix.lower() else target.with_name(target.name + suffix)

    def flush_panes(self) -> None:
        """Bring what the panes' widgets hold into the project (before a save, an export or an autosave)."""
        for pane in self.panes():
            pane.flush()

    def save_as(self, path: Path) -> bool:
        """Save to `path`. On failure the message says why and the project stays exactly as it was (name included),
        unsaved, so Save As to another place still has everything."""
        self.flush_panes()
        project = self.session.project
        old_name = project.name
        if path != self.session.path:
            project.name = path.stem
        vanished = path == self.session.path and not path.exists()  # moved or deleted since it was opened/saved
        from aigc_desktop.core.project.store import save_project

        try:
            report = save_project(project, path)
        except UserError as exc:
            project.name = old_name
            show_error(self, "Could not save", str(exc))
            return False
        self.session.mark_saved(path)
        self.autosaver.discard()
        self._update_title()
        self._remember(path)
        saved = f"Saved {path.name} in {report.seconds:.2f} s ({report.assets_written} new assets)"
        if vanished:
            saved = f"{path} was no longer there (moved or deleted?): saved the whole project to it again"
        self.statusBar().showMessage(saved, 10000 if vanished else 5000)
        return True

    def _remember(self, path: Path) -> None:
        self.ctx.settings.add_recent(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.ctx.settings.values.recent_projects
        if not recent:
            none = self.recent_menu.addAction("No recent projects")
            none.setEnabled(False)
            return
        for entry in recent:
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _checked=False, p=entry: self.open_recent(Path(p)))

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            self.ctx.settings.forget_recent(path)
            show_error(self, "Project not found", f"{path} no longer exists; it was removed from the recent list.")
            return
        if self.maybe_save():
            self.open_project(path)

    # ------------------------------------------------------------ export (File > Export; drag-out writes the same)

    def _build_export_menu(self, file_menu: QMenu) -> None:
        menu = file_menu.addMenu("&Export")
        menu.setObjectName("exportMenu")
        for kind, (text, _filter) in EXPORT_KINDS.items():
            action = menu.addAction(text)
            action.setObjectName(f"export_{kind}")
            action.triggered.connect(lambda _checked=False, k=kind: self.choose_export(k))

    def choose_export(self, kind: str) -> bool:
        """The save dialog for one File > Export item, then the matching export_* method."""
        text, file_filter = EXPORT_KINDS[kind]
        suffix = file_filter.rsplit("*", 1)[1].rstrip(")")
        name = self.session.project.name
        if kind == "layer" and (layer := self.canvas_model.current_layer()) is not None:
            name = layer.name
        elif kind in ("wav", "flac") and (clip := self.audio_model.current_clip()) is not None:
            name = clip.name
        target = self._ask_save_path(text.rstrip("…"), self._export_folder() / f"{name}{suffix}", file_filter, suffix)
        return target is not None and self.export_to(kind, target)

    def export_to(self, kind: str, path: Path) -> bool:
        """Writes one kind ("md", "html", "txt", "canvas", "layer", "wav", "flac") to `path`; errors are shown."""
        from aigc_desktop.core.project import export

        project = self.session.project
        try:
            if kind in export.DOCUMENT_FORMATS:
                self.document_pane.flush()  # the editor holds the latest text and AI marks
                export.write_document(path, kind, project)
            elif kind == "canvas":
                if not project.canvas.layers:
                    raise UserError("The canvas has no layers to export.")
                export.write_canvas_png(project, path)
            elif kind == "layer":
                layer = self.canvas_model.current_layer()
                if layer is None:
                    raise UserError("Select a layer first.")
                export.write_layer_png(project, layer, path)
            elif kind in ("wav", "flac"):
                clip = self.audio_model.current_clip()
                if clip is None:
                    raise UserError("Select a clip first.")
                return self.audio_pane.export_clip(clip, path, kind)  # shows its own errors
            else:
                raise UserError(f"Unknown export '{kind}'.")
        except UserError as exc:
            show_error(self, "Could not export", str(exc))
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    # ------------------------------------------------------------ project archives (.aigcz)

    def _export_folder(self) -> Path:
        """Where exports are offered: beside the project file, or the data folder for an unsaved project."""
        return self.session.path.parent if self.session.path else self.ctx.paths.data_dir

    def choose_export_archive(self) -> bool:
        start = self._export_folder() / f"{self.session.project.name}{ARCHIVE_SUFFIX}"
        target = self._ask_save_path("Export project archive", start, ARCHIVE_FILTER, ARCHIVE_SUFFIX)
        return target is not None and self.export_archive_to(target)

    def export_archive_to(self, path: Path) -> bool:
        """Write the project as shown (unsaved edits included) as one archive; errors are shown."""
        from aigc_desktop.core.project.archive import export_archive

        self.flush_panes()
        try:
            export_archive(self.session.project, path)
        except UserError as exc:
            show_error(self, "Could not export the project archive", str(exc))
            return False
        self.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def choose_import_archive(self) -> bool:
        """Ask for the archive, then for the new project file under the projects folder, then open it."""
        if not self.maybe_save():
            return False
        archive, _ = QFileDialog.getOpenFileName(
            self, "Import project archive", str(self.ctx.paths.data_dir), ARCHIVE_FILTER
        )
        if not archive:
            return False
        start = self.ctx.paths.projects_dir / f"{Path(archive).stem}{PROJECT_SUFFIX}"
        target = self._ask_save_path("Save imported project as", start, PROJECT_FILTER, PROJECT_SUFFIX)
        if target is None:
            return False
        # The save dialog has already asked before replacing an existing file.
        return self.import_archive_from(Path(archive), target, overwrite=True)

    def import_archive_from(self, archive: Path, target: Path, *, overwrite: bool = False) -> bool:
        """Check `archive`, save its project as `target` and open it; a refusal is shown and changes nothing."""
        from aigc_desktop.core.project.archive import import_archive

        try:
            import_archive(archive, target, overwrite=overwrite)
        except UserError as exc:
            show_error(self, "Could not import the project archive", str(exc))
            return False
        return self.open_project(target)

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

    def _refresh_model_pickers(self, *_: object) -> None:
        for pane in self.panes():
            pane.refresh_models()

    # ------------------------------------------------------------ crash recovery

    def offer_recoveries(self) -> RecoveryDialog | None:
        """At start: list the copies a crashed run left behind and let the user restore, discard or defer them."""
        from aigc_desktop.core.project import recovery
        from aigc_desktop.ui.recovery_dialog import RecoveryDialog

        infos = recovery.pending_recoveries(self.ctx.paths)
        if not infos:
            return None
        dialog = RecoveryDialog(infos, self)
        dialog.restore_requested.connect(self.restore_recovery)
        dialog.discard_requested.connect(self.discard_recovery)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def restore_recovery(self, info: RecoveryInfo) -> bool:
        """Show the recovered project, unsaved, so Save writes it back to where it came from (if anywhere)."""
        if not info.restorable:
            why = f"“{info.name}” cannot be restored: its copy is damaged ({info.problem})."
            show_error(self, "Could not restore", why)
            return False
        if not self.maybe_save():
            return False
        from aigc_desktop.core.project import recovery

        try:
            project = recovery.restore(info)
        except UserError as exc:
            show_error(self, "Could not restore", str(exc))
            return False
        self.show_project(project, info.original_path)
        self.session.mark_edited()
        self.autosaver.save_now()  # the copy is ours now: another instance starting later must not offer it too
        self.statusBar().showMessage(f"Restored unsaved changes of “{project.name}”. Save to keep them.", 10000)
        return True

    def discard_recovery(self, info: RecoveryInfo) -> None:
        from aigc_desktop.core.project import recovery

        recovery.discard_recovery(self.ctx.paths, info.project_id)

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
        return self.ctx.queue.submit(spec, title="Hardware check", handler=_HardwareCheck(self))

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

    def show_hardware_report(self, report: dict[str, object]) -> None:
        r = report
        QMessageBox.information(
            self,
            "Hardware check",
            f"Generation runs on: {r['device_name']} ({r['device']})\n"
            f"Matrix speed: {r['gflops']} GFLOP/s with {r['threads']} threads\n"
            f"torch {r['torch']} · GPU available: {'yes' if r['cuda_available'] else 'no'}",
        )

    def _on_job_cancelled(self, job: Job) -> None:
        self.statusBar().showMessage(f"Stopped: {job.title}", 5000)

    def _on_job_failed(self, job: Job, message: str) -> None:
        self.statusBar().showMessage(f"{job.title} failed: {message}", 10000)
        show_error(self, f"{job.title} failed", message, self.ctx.paths.log_file)

    # ------------------------------------------------------------ help

    def show_locations(self) -> None:
        p = self.ctx.paths
        QMessageBox.information(
            self,
            "Where are my files?",
            f"Projects: {p.projects_dir}\nModels: {p.models_dir}\nSettings: {p.config_dir}\n"
            f"Logs: {p.log_dir}\nCache: {p.cache_dir}",
        )

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About AIGC Desktop",
            f"AIGC Desktop {__version__}\nWrite, paint and record with local generative models, offline.",
        )

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
