"""The main window's project files: new, open, save, Save As, recent projects, File ▸ Export, project archives
(.aigcz) and crash recovery. WindowFiles is the QMainWindow base of ui/main_window.py's MainWindow, so menus, panes
and tests keep calling `window.save_as(path)` and the rest on the window; it renders the open ProjectSession's title
(name, unsaved star, path). What it uses of the window (the session, the panes, the autosaver) is declared below and
built by MainWindow. Its texts keep the "MainWindow" translation context.

Reading, writing, exporting and recovering projects are imported where used: the first paint needs none of them, and
they pull numpy, PIL and the XML/HTTP standard library (~250 ms of start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.paths import ARCHIVE_SUFFIX, PROJECT_SUFFIX
from aigc_desktop.core.project.model import Project
from aigc_desktop.ui import units
from aigc_desktop.ui.dialogs import ask_save_changes, project_name, show_error
from aigc_desktop.ui.i18n import error_text, tr_msg, translate
from aigc_desktop.ui.window_menus import EXPORT_KINDS, archive_filter, project_filter

if TYPE_CHECKING:
    from aigc_desktop.core.project.recovery import RecoveryInfo
    from aigc_desktop.state.audio import AudioModel
    from aigc_desktop.state.canvas import CanvasModel
    from aigc_desktop.state.context import AppContext
    from aigc_desktop.state.session import ProjectSession
    from aigc_desktop.ui.audio.pane import AudioPane
    from aigc_desktop.ui.autosave import Autosaver
    from aigc_desktop.ui.document.pane import DocumentPane
    from aigc_desktop.ui.pane import Pane
    from aigc_desktop.ui.recovery_dialog import RecoveryDialog


class WindowFiles(QMainWindow):
    """The project's life cycle on the main window: what replaces, saves, exports and recovers the open project."""

    if TYPE_CHECKING:  # built by MainWindow
        ctx: AppContext
        session: ProjectSession
        autosaver: Autosaver
        document_pane: DocumentPane

        @property
        def canvas_model(self) -> CanvasModel: ...

        @property
        def audio_model(self) -> AudioModel: ...

        @property
        def audio_pane(self) -> AudioPane: ...

        def panes(self) -> list[Pane]: ...

        def _update_edit_actions(self, *_: object) -> None: ...

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
        self.setWindowTitle(f"{project_name(s.project.name)}{star}{where} — AIGC Desktop")

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
        path, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Open project"), str(self.ctx.paths.projects_dir), project_filter()
        )
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path) -> bool:
        """Open `path`; on failure the current project stays as it was and the user reads why."""
        from aigc_desktop.core.project.store import load_project

        try:
            report = load_project(path)
        except UserError as exc:
            show_error(self, translate("MainWindow", "Could not open project"), error_text(exc))
            return False
        self.show_project(report.project, path)
        self._remember(path)
        if report.missing_assets:
            show_error(
                self,
                translate("MainWindow", "Parts of the project are missing"),
                translate("MainWindow", "These could not be found and were left out:")
                + "\n"
                + "\n".join(tr_msg(m) for m in report.missing_assets),
            )
        self.statusBar().showMessage(translate("MainWindow", "Opened {path}").format(path=path), 5000)
        return True

    def save(self) -> bool:
        if self.session.path is None:
            return self.choose_save_as()
        return self.save_as(self.session.path)

    def choose_save_as(self) -> bool:
        name = project_name(self.session.project.name)
        start = self.session.path or self.ctx.paths.projects_dir / f"{name}{PROJECT_SUFFIX}"
        target = self._ask_save_path(
            translate("MainWindow", "Save project as"), start, project_filter(), PROJECT_SUFFIX
        )
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
            show_error(self, translate("MainWindow", "Could not save"), error_text(exc))
            return False
        self.session.mark_saved(path)
        self.autosaver.discard()
        self._update_title()
        self._remember(path)
        saved = translate("MainWindow", "Saved {name} in {seconds} s ({assets} new assets)").format(
            name=path.name, seconds=units.format_number(report.seconds, 2), assets=report.assets_written
        )
        if vanished:
            saved = translate(
                "MainWindow", "{path} was no longer there (moved or deleted?): saved the whole project to it again"
            ).format(path=path)
        self.statusBar().showMessage(saved, 10000 if vanished else 5000)
        return True

    def _remember(self, path: Path) -> None:
        self.ctx.settings.add_recent(path)

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            self.ctx.settings.forget_recent(path)
            show_error(
                self,
                translate("MainWindow", "Project not found"),
                translate("MainWindow", "{path} no longer exists; it was removed from the recent list.").format(
                    path=path
                ),
            )
            return
        if self.maybe_save():
            self.open_project(path)

    # ------------------------------------------------------------ export (File > Export; drag-out writes the same)

    def choose_export(self, kind: str) -> bool:
        """The save dialog for one File > Export item, then the matching export_* method."""
        text, file_filter = EXPORT_KINDS[kind]
        suffix = file_filter.rsplit("*", 1)[1].rstrip(")")  # from the English filter: a translation may reword it
        text, file_filter = tr_msg(text), tr_msg(file_filter)
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
                    raise UserError(QT_TRANSLATE_NOOP("MainWindow", "The canvas has no layers to export."))
                export.write_canvas_png(project, path)
            elif kind == "layer":
                layer = self.canvas_model.current_layer()
                if layer is None:
                    raise UserError(QT_TRANSLATE_NOOP("MainWindow", "Select a layer first."))
                export.write_layer_png(project, layer, path)
            elif kind in ("wav", "flac"):
                clip = self.audio_model.current_clip()
                if clip is None:
                    raise UserError(QT_TRANSLATE_NOOP("MainWindow", "Select a clip first."))
                return self.audio_pane.export_clip(clip, path, kind)  # shows its own errors
            else:
                raise UserError(QT_TRANSLATE_NOOP("MainWindow", "Unknown export '{kind}'.").format(kind=kind))
        except UserError as exc:
            show_error(self, translate("MainWindow", "Could not export"), error_text(exc))
            return False
        self.statusBar().showMessage(translate("MainWindow", "Exported {path}").format(path=path), 5000)
        return True

    # ------------------------------------------------------------ project archives (.aigcz)

    def _export_folder(self) -> Path:
        """Where exports are offered: beside the project file, or the data folder for an unsaved project."""
        return self.session.path.parent if self.session.path else self.ctx.paths.data_dir

    def choose_export_archive(self) -> bool:
        start = self._export_folder() / f"{project_name(self.session.project.name)}{ARCHIVE_SUFFIX}"
        title = translate("MainWindow", "Export project archive")
        target = self._ask_save_path(title, start, archive_filter(), ARCHIVE_SUFFIX)
        return target is not None and self.export_archive_to(target)

    def export_archive_to(self, path: Path) -> bool:
        """Write the project as shown (unsaved edits included) as one archive; errors are shown."""
        from aigc_desktop.core.project.archive import export_archive

        self.flush_panes()
        try:
            export_archive(self.session.project, path)
        except UserError as exc:
            show_error(self, translate("MainWindow", "Could not export the project archive"), error_text(exc))
            return False
        self.statusBar().showMessage(translate("MainWindow", "Exported {path}").format(path=path), 5000)
        return True

    def choose_import_archive(self) -> bool:
        """Ask for the archive, then for the new project file under the projects folder, then open it."""
        if not self.maybe_save():
            return False
        archive, _ = QFileDialog.getOpenFileName(
            self, translate("MainWindow", "Import project archive"), str(self.ctx.paths.data_dir), archive_filter()
        )
        if not archive:
            return False
        start = self.ctx.paths.projects_dir / f"{Path(archive).stem}{PROJECT_SUFFIX}"
        title = translate("MainWindow", "Save imported project as")
        target = self._ask_save_path(title, start, project_filter(), PROJECT_SUFFIX)
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
            show_error(self, translate("MainWindow", "Could not import the project archive"), error_text(exc))
            return False
        return self.open_project(target)

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
            why = translate("MainWindow", "“{name}” cannot be restored: its copy is damaged ({reason}).").format(
                name=project_name(info.name), reason=tr_msg(info.problem or "")
            )
            show_error(self, translate("MainWindow", "Could not restore"), why)
            return False
        if not self.maybe_save():
            return False
        from aigc_desktop.core.project import recovery

        try:
            project = recovery.restore(info)
        except UserError as exc:
            show_error(self, translate("MainWindow", "Could not restore"), error_text(exc))
            return False
        self.show_project(project, info.original_path)
        self.session.mark_edited()
        self.autosaver.save_now()  # the copy is ours now: another instance starting later must not offer it too
        restored = translate("MainWindow", "Restored unsaved changes of “{name}”. Save to keep them.")
        self.statusBar().showMessage(restored.format(name=project_name(project.name)), 10000)
        return True

    def discard_recovery(self, info: RecoveryInfo) -> None:
        from aigc_desktop.core.project import recovery

        recovery.discard_recovery(self.ctx.paths, info.project_id)
