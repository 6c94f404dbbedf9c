"""The setup window: on first start (and from Help ▸ Repair installation) it builds the runtime for this machine.

Four pages: what was found (an NVIDIA GPU and its memory, or CPU only) with an override, and the language; where the
runtime goes with the disk space it needs (download and installed size; a bundle folder's wheels are not counted
again) against the free space, and an optional offline bundle; the build with one
progress bar, time left, Details (pip's log) and Cancel — a failure shows its message and the package's error with
Retry, no network offers an offline bundle; done → Start AIGC Desktop (`start_requested`). The work happens in an
`InstallBackend` (workers/runtime_setup.py): this module only shows state and forwards the user's choices.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.runtime import build, hardware, layout
from aigc_desktop.core.runtime.build import NoNetwork, NotEnoughSpace, PackageFailed
from aigc_desktop.ui.i18n import (
    LANGUAGES,
    Retranslating,
    apply_language,
    current_language,
    error_text,
    tr_msg,
    translate,
)
from aigc_desktop.ui.units import format_bytes, format_duration, format_gb, tr_local
from aigc_desktop.workers.runtime_setup import InstallBackend, InstallRun

WELCOME, LOCATION, INSTALL, DONE = range(4)


def _wrapping(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SetupWindow(Retranslating, QWidget):
    start_requested = Signal(object)  # layout.Installed: the user pressed Start AIGC Desktop

    def __init__(self, backend: InstallBackend, folder: Path | None = None, repair: bool = False) -> None:
        super().__init__()
        self.setObjectName("setup_window")
        self.backend = backend
        self.repair = repair
        self.hardware = backend.detect()
        self.kind: str = self.hardware.kind
        self.run: InstallRun | None = None
        self.installed: layout.Installed | None = None
        self.error: Exception | None = None
        self.progress: build.Progress | None = None
        self.cancelling = False
        self.notice = ""  # a one-line note on the location page (after a cancel): a marked Msg

        self.title = QLabel()
        self.title.setObjectName("setup_title")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._welcome_page())
        self.pages.addWidget(self._location_page())
        self.pages.addWidget(self._install_page())
        self.pages.addWidget(self._done_page())

        self.back_button = QPushButton()
        self.back_button.setObjectName("setup_back")
        self.next_button = QPushButton()
        self.next_button.setObjectName("setup_next")
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("setup_cancel")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.cancel_button):
            buttons.addWidget(b)
        layout_ = QVBoxLayout(self)
        layout_.setContentsMargins(28, 20, 28, 16)
        layout_.addWidget(self.title)
        layout_.addWidget(self.pages, 1)
        layout_.addLayout(buttons)
        self.resize(780, 560)
        self.set_folder(folder or layout.location())
        self.retranslate()

    # --- pages ---------------------------------------------------------------------------------------------------
    def _welcome_page(self) -> QWidget:
        page = QWidget()
        self.intro = _wrapping(QLabel())
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language.setObjectName("setup_language")
        self.language.setProperty("translated_items", False)  # each language in its own name
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.currentIndexChanged.connect(lambda: apply_language(str(self.language.currentData())))
        row = QHBoxLayout()
        row.addWidget(self.language_label)
        row.addWidget(self.language)
        row.addStretch(1)
        self.found_box = QGroupBox()
        self.found_label = _wrapping(QLabel())
        self.found_label.setObjectName("setup_found")
        self.kind_label = QLabel()
        self.kind_buttons = QButtonGroup(self)
        self.kind_radios: dict[str, QRadioButton] = {}
        found = QVBoxLayout(self.found_box)
        found.addWidget(self.found_label)
        found.addWidget(self.kind_label)
        for kind in hardware.KINDS:
            radio = QRadioButton()
            radio.setObjectName(f"setup_kind_{kind}")
            radio.setChecked(kind == self.kind)
            radio.toggled.connect(lambda on, k=kind: self.set_kind(k) if on else None)
            self.kind_buttons.addButton(radio)
            self.kind_radios[kind] = radio
            found.addWidget(radio)
        self.override_label = _wrapping(QLabel())
        self.override_label.setObjectName("setup_override_note")
        found.addWidget(self.override_label)
        box = QVBoxLayout(page)
        box.addWidget(self.intro)
        box.addLayout(row)
        box.addWidget(self.found_box)
        box.addStretch(1)
        return page

    def _location_page(self) -> QWidget:
        page = QWidget()
        self.location_intro = _wrapping(QLabel())
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("setup_folder")
        self.folder_edit.editingFinished.connect(lambda: self.set_folder(Path(self.folder_edit.text())))
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("setup_choose_folder")
        self.folder_button.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(self.folder_button)
        self.space_form = QFormLayout()
        self.needed_label, self.free_label = QLabel(), QLabel()
        self.needed_label.setObjectName("setup_needed")
        self.free_label.setObjectName("setup_free")
        self.needed_caption, self.free_caption = QLabel(), QLabel()
        self.space_form.addRow(self.needed_caption, self.needed_label)
        self.space_form.addRow(self.free_caption, self.free_label)
        self.space_warning = _wrapping(QLabel())
        self.space_warning.setObjectName("setup_space_warning")
        self.space_warning.setStyleSheet("color: #b00020;")
        self.bundle_check = QCheckBox()
        self.bundle_check.setObjectName("setup_use_bundle")
        self.bundle_check.toggled.connect(self._bundle_changed)
        self.bundle_edit = QLineEdit()
        self.bundle_edit.setObjectName("setup_bundle")
        self.bundle_edit.textChanged.connect(self._bundle_changed)
        self.bundle_button = QPushButton()
        self.bundle_button.setObjectName("setup_choose_bundle")
        self.bundle_button.clicked.connect(self.choose_bundle)
        bundle_row = QHBoxLayout()
        bundle_row.addWidget(self.bundle_edit, 1)
        bundle_row.addWidget(self.bundle_button)
        self.bundle_note = _wrapping(QLabel())
        self.notice_label = _wrapping(QLabel())
        self.notice_label.setObjectName("setup_notice")
        box = QVBoxLayout(page)
        box.addWidget(self.location_intro)
        box.addLayout(row)
        box.addLayout(self.space_form)
        box.addWidget(self.space_warning)
        box.addSpacing(12)
        box.addWidget(self.bundle_check)
        box.addLayout(bundle_row)
        box.addWidget(self.bundle_note)
        box.addSpacing(12)
        box.addWidget(self.notice_label)
        box.addStretch(1)
        return page

    def _install_page(self) -> QWidget:
        page = QWidget()
        self.stage_label = _wrapping(QLabel())
        self.stage_label.setObjectName("setup_stage")
        self.bar = QProgressBar()
        self.bar.setObjectName("setup_progress")
        self.bar.setRange(0, 1000)
        self.counts_label = _wrapping(QLabel())
        self.counts_label.setObjectName("setup_counts")
        self.time_label = QLabel()
        self.time_label.setObjectName("setup_time_left")
        self.error_box = QGroupBox()
        self.error_box.setObjectName("setup_error")
        self.error_label = _wrapping(QLabel())
        self.error_label.setObjectName("setup_error_message")
        self.error_details = _wrapping(QLabel())
        self.error_details.setObjectName("setup_error_details")
        self.error_details.setFont(QFont("monospace"))
        self.retry_button = QPushButton()
        self.retry_button.setObjectName("setup_retry")
        self.retry_button.clicked.connect(self.start_install)
        self.offline_button = QPushButton()
        self.offline_button.setObjectName("setup_offline")
        self.offline_button.clicked.connect(self.offer_bundle)
        self.change_button = QPushButton()
        self.change_button.setObjectName("setup_change_location")
        self.change_button.clicked.connect(lambda: self.show_page(LOCATION))
        error_buttons = QHBoxLayout()
        for b in (self.retry_button, self.offline_button, self.change_button):
            error_buttons.addWidget(b)
        error_buttons.addStretch(1)
        error_layout = QVBoxLayout(self.error_box)
        error_layout.addWidget(self.error_label)
        error_layout.addWidget(self.error_details)
        error_layout.addLayout(error_buttons)
        self.details_button = QPushButton()
        self.details_button.setObjectName("setup_details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("setup_log")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.log_view.setFont(QFont("monospace"))
        self.log_view.hide()
        details_row = QHBoxLayout()
        details_row.addWidget(self.details_button)
        details_row.addStretch(1)
        box = QVBoxLayout(page)
        box.addWidget(self.stage_label)
        box.addWidget(self.bar)
        box.addWidget(self.counts_label)
        box.addWidget(self.time_label)
        box.addWidget(self.error_box)
        box.addLayout(details_row)
        box.addWidget(self.log_view, 1)
        box.addStretch(0)
        self.error_box.hide()
        return page

    def _done_page(self) -> QWidget:
        page = QWidget()
        self.done_label = _wrapping(QLabel())
        self.done_label.setObjectName("setup_done")
        box = QVBoxLayout(page)
        box.addWidget(self.done_label)
        box.addStretch(1)
        return page

    # --- texts ---------------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(
            translate("SetupWindow", "Repair AIGC Desktop")
            if self.repair
            else translate("SetupWindow", "Set up AIGC Desktop")
        )
        page = self.pages.currentIndex()
        titles = {
            WELCOME: translate("SetupWindow", "Welcome to AIGC Desktop"),
            LOCATION: translate("SetupWindow", "Where to install"),
            INSTALL: translate("SetupWindow", "Installing"),
            DONE: translate("SetupWindow", "AIGC Desktop is ready"),
        }
        self.title.setText(titles[page])
        download = self.backend.needs(self.kind)  # from the internet: the bundle is chosen on the next page
        intro = (
            translate(
                "SetupWindow",
                "AIGC Desktop needs a few components made for this computer (up to {size} to download). This is "
                "done once; afterwards the app starts straight away.",
            )
            if download.estimated
            else translate(
                "SetupWindow",
                "AIGC Desktop needs a few components made for this computer (about {size} to download). This is "
                "done once; afterwards the app starts straight away.",
            )
        )
        self.intro.setText(intro.format(size=format_bytes(download.download)))
        self.language_label.setText(translate("SetupWindow", "Language:"))
        self.found_box.setTitle(translate("SetupWindow", "What this computer has"))
        self.found_label.setText(self._found_text())
        self.kind_label.setText(translate("SetupWindow", "Install for:"))
        for kind, radio in self.kind_radios.items():
            radio.setText(tr_local(hardware.KIND_LABELS[kind]))
        overridden = self.kind != self.hardware.found_kind
        self.override_label.setText(
            translate(
                "SetupWindow",
                "You chose differently from what was found; you can change it later with Repair installation.",
            )
            if overridden
            else ""
        )
        self.override_label.setVisible(overridden)
        self.location_intro.setText(
            translate("SetupWindow", "The components go into this folder. Your projects and models are kept elsewhere.")
        )
        self.folder_button.setText(translate("SetupWindow", "Change…"))
        self.needed_caption.setText(translate("SetupWindow", "Space needed:"))
        self.free_caption.setText(translate("SetupWindow", "Free space:"))
        self.bundle_check.setText(translate("SetupWindow", "Install from an offline bundle (no internet needed)"))
        self.bundle_edit.setPlaceholderText(
            translate("SetupWindow", "An offline bundle: a .tar file or a folder of wheels")
        )
        self.bundle_button.setText(translate("SetupWindow", "Choose…"))
        self.bundle_note.setText(
            translate(
                "SetupWindow",
                "No internet on this computer? Make an offline bundle on one that has it (aigc-desktop --make-bundle "
                "FOLDER) and bring it here.",
            )
        )
        self.notice_label.setText(tr_msg(self.notice) if self.notice else "")
        self.details_button.setText(
            translate("SetupWindow", "Hide details")
            if self.details_button.isChecked()
            else translate("SetupWindow", "Show details")
        )
        self.error_box.setTitle(translate("SetupWindow", "Installation stopped"))
        self.retry_button.setText(translate("SetupWindow", "Retry"))
        self.offline_button.setText(translate("SetupWindow", "Use an offline bundle…"))
        self.change_button.setText(translate("SetupWindow", "Choose another folder"))
        self.back_button.setText(translate("SetupWindow", "Back"))
        self.cancel_button.setText(translate("SetupWindow", "Cancel"))
        self._show_space()
        self._show_progress()
        self._show_error()
        self._show_done()
        self._update_buttons()

    def _found_text(self) -> str:
        if not self.hardware.gpus:
            return translate(
                "SetupWindow",
                "No NVIDIA graphics card was found: pictures, speech and text will be made on the processor (slower).",
            )
        gpu = max(self.hardware.gpus, key=lambda g: g.memory_mb)
        return translate("SetupWindow", "Graphics card: {name} with {memory} of memory.").format(
            name=gpu.name, memory=format_gb(gpu.memory_mb * 1024 * 1024)
        )

    def _bundle(self) -> Path | None:
        text = self.bundle_edit.text().strip()
        return Path(text) if self.bundle_check.isChecked() and text else None

    def _show_space(self) -> None:
        # A bundle folder's wheels are on disk already: only what they unpack to is needed (as the build checks).
        needs, free = self.backend.needs(self.kind, self._bundle()), self.backend.free_bytes(self.folder)
        needed = format_bytes(needs.disk)
        self.needed_label.setText(
            translate("SetupWindow", "up to {size}").format(size=needed) if needs.estimated else needed
        )
        self.free_label.setText(format_bytes(free))
        self.enough_space = free >= needs.disk
        writable = layout.writable(self.folder)
        if not writable:
            warning = translate("SetupWindow", "This folder cannot be written to. Choose another one.")
        elif not self.enough_space:
            warning = translate("SetupWindow", "Not enough free space here. Free some space or choose another folder.")
        else:
            warning = ""
        self.enough_space = self.enough_space and writable
        self.space_warning.setText(warning)
        self.space_warning.setVisible(bool(warning))

    def _show_progress(self) -> None:
        p = self.progress
        if p is None:
            self.stage_label.setText("" if self.error is not None else translate("SetupWindow", "Starting…"))
            self.bar.setValue(0)
            self.counts_label.setText("")
            self.time_label.setText("")
            self._hide_empty()
            return
        stage = translate("SetupWindow", "Cancelling…") if self.cancelling else tr_local(p.stage)
        self.stage_label.setText("" if self.error is not None else stage)  # stopped: the error box says where
        self.bar.setValue(round(p.fraction * 1000))
        parts = []
        if p.bytes_total:
            parts.append(
                translate("SetupWindow", "{done} of {total} downloaded").format(
                    done=format_bytes(p.bytes_done), total=format_bytes(p.bytes_total)
                )
            )
        if p.packages_total:
            parts.append(
                translate("SetupWindow", "{done} of {total} packages installed").format(
                    done=p.packages_done, total=p.packages_total
                )
            )
        self.counts_label.setText(" · ".join(parts))
        if p.fraction >= 1.0 or self.error is not None:  # a stopped build has no time left to show
            self.time_label.setText("")
        elif p.seconds_left is None:
            self.time_label.setText(translate("SetupWindow", "Estimating the time left…"))
        else:
            self.time_label.setText(
                translate("SetupWindow", "About {time} left").format(time=format_duration(p.seconds_left))
            )
        self._hide_empty()

    def _bundle_changed(self) -> None:
        self._show_space()
        self._update_buttons()

    def _hide_empty(self) -> None:
        """An empty line would leave a gap between the bar and what follows."""
        for label in (self.stage_label, self.counts_label, self.time_label):
            label.setVisible(bool(label.text()))

    def _show_error(self) -> None:
        exc = self.error
        self.error_box.setVisible(exc is not None)
        if exc is None:
            self.error_label.clear()
            self.error_details.clear()
            return
        message = getattr(exc, "message", None)  # a marked Msg (sizes inside shown in the interface's locale)
        self.error_label.setText(tr_local(message) if isinstance(message, str) else error_text(exc))
        details = exc.details if isinstance(exc, PackageFailed) else ""
        self.error_details.setText(details)
        self.error_details.setVisible(bool(details))
        self.offline_button.setVisible(isinstance(exc, NoNetwork))
        self.change_button.setVisible(isinstance(exc, NotEnoughSpace))

    def _show_done(self) -> None:
        if self.installed is not None:
            self.done_label.setText(
                translate(
                    "SetupWindow", "Everything is installed in {folder}. Next time AIGC Desktop starts straight away."
                ).format(folder=str(self.installed.folder))
            )

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        running = self.run is not None
        self.back_button.setVisible(page in (LOCATION,) or (page == INSTALL and not running))
        self.back_button.setEnabled(not running)
        if page == WELCOME:
            self.next_button.setText(translate("SetupWindow", "Next"))
            self.next_button.setEnabled(True)
        elif page == LOCATION:
            self.next_button.setText(translate("SetupWindow", "Install"))
            bundle_ok = not self.bundle_check.isChecked() or Path(self.bundle_edit.text().strip() or "/-").exists()
            self.next_button.setEnabled(self.enough_space and bundle_ok)
        elif page == INSTALL:
            self.next_button.setText(translate("SetupWindow", "Install"))
            self.next_button.setVisible(False)
        else:
            self.next_button.setText(translate("SetupWindow", "Start AIGC Desktop"))
            self.next_button.setEnabled(True)
        self.next_button.setVisible(page != INSTALL)
        self.cancel_button.setVisible(page != DONE)
        self.cancel_button.setEnabled(not self.cancelling)
        self.bundle_edit.setEnabled(self.bundle_check.isChecked())
        self.bundle_button.setEnabled(self.bundle_check.isChecked())

    # --- actions -------------------------------------------------------------------------------------------------
    def show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.retranslate()

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.kind_radios[kind].setChecked(True)
        self.retranslate()

    def set_folder(self, folder: Path) -> None:
        self.folder = folder.expanduser()
        self.folder_edit.setText(str(self.folder))
        if hasattr(self, "title"):
            self.retranslate()

    def set_bundle(self, bundle: Path | None) -> None:
        self.bundle_check.setChecked(bundle is not None)
        self.bundle_edit.setText(str(bundle) if bundle else "")

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, translate("SetupWindow", "Where to install"), str(self.folder))
        if chosen:
            self.set_folder(Path(chosen))

    def choose_bundle(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, translate("SetupWindow", "Choose an offline bundle"), str(Path.home()),
            translate("SetupWindow", "Offline bundles (*.tar *.tar.gz *.zip bundle.json)"),
        )  # fmt: skip
        if chosen:
            path = Path(chosen)
            self.set_bundle(path.parent if path.name == "bundle.json" else path)

    def offer_bundle(self) -> None:
        self.bundle_check.setChecked(True)
        self.show_page(LOCATION)
        self.choose_bundle()

    def go_back(self) -> None:
        self.show_page(
            max(WELCOME, self.pages.currentIndex() - 1 if self.pages.currentIndex() != INSTALL else LOCATION)
        )

    def go_next(self) -> None:
        page = self.pages.currentIndex()
        if page == WELCOME:
            self.show_page(LOCATION)
        elif page == LOCATION:
            self.start_install()
        elif page == DONE and self.installed is not None:
            self.start_requested.emit(self.installed)

    def start_install(self) -> None:
        self.error, self.progress, self.cancelling, self.notice = None, None, False, ""
        self.log_view.clear()
        self.pages.setCurrentIndex(INSTALL)
        try:
            run = self.backend.start(self.kind, self.folder, self._bundle())
        except Exception as exc:  # e.g. no Python to build with: the message, and Retry once it is fixed
            self._failed(exc)
            return
        if self.folder != layout.location():
            layout.remember_location(self.folder)
        self.run = run
        run.progress.connect(self._progress)
        run.log.connect(self.log_view.appendPlainText)
        run.finished.connect(self._finished)
        run.failed.connect(self._failed)
        run.cancelled.connect(self._cancelled)
        self.retranslate()

    def cancel(self) -> None:
        if self.run is not None:
            self.cancelling = True
            self.run.cancel()
            self.retranslate()
        else:
            self.close()

    def _progress(self, progress: build.Progress) -> None:
        self.progress = progress
        self._show_progress()

    def _finished(self, installed: layout.Installed) -> None:
        self.run, self.installed = None, installed
        self.show_page(DONE)

    def _failed(self, exc: Exception) -> None:
        self.run, self.error, self.cancelling = None, exc, False
        self.show_page(INSTALL)

    def _cancelled(self) -> None:
        self.run, self.cancelling, self.progress = None, False, None
        self.notice = QT_TRANSLATE_NOOP("SetupWindow", "Installation cancelled. Nothing was left half-installed.")
        self.show_page(LOCATION)

    def _toggle_details(self, on: bool) -> None:
        self.log_view.setVisible(on)
        self.retranslate()

    def closeEvent(self, event: QCloseEvent) -> None:
        run = self.run
        if run is not None:  # a build must not outlive its window: stop it, wait for its folder to be removed
            run.cancel()
            wait = getattr(run, "wait", None)
            if callable(wait):
                wait()
        super().closeEvent(event)
