"""The interface language: 简体中文 or English, chosen on first start from the system locale, switched live.

Switching installs Qt translators (ours, built from resources/translations/*.ts, and Qt's own qtbase for its dialogs
and context menus); Qt then sends every widget a LanguageChange event, and widgets set their texts again in their
`retranslate()` (see `Retranslating`). Texts are marked with explicit contexts: `translate("Context", "text")` here,
`QT_TRANSLATE_NOOP` in core (core/i18n.py), whose `Msg`s `tr_msg` shows translated.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from aigc_desktop.state.localized import translated

log = logging.getLogger(__name__)

ENGLISH, CHINESE = "en", "zh_CN"
# Each language by its own name: a user who cannot read the current language still finds theirs.
LANGUAGES: dict[str, str] = {CHINESE: "简体中文", ENGLISH: "English"}
TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
APP_CATALOG = "aigc_desktop"

_installed: list[QTranslator] = []
_current = ENGLISH


def system_language() -> str:
    """简体中文 for a Chinese system locale (zh_CN, zh_SG, zh_TW… — Simplified is what we have), else English."""
    return CHINESE if QLocale.system().name().lower().startswith("zh") else ENGLISH


def resolve(setting: str) -> str:
    """The language to use for the setting's value ("" follows the system)."""
    return setting if setting in LANGUAGES else system_language()


def current_language() -> str:
    return _current


def apply_language(language: str) -> bool:
    """Install `language`'s translators (replacing the previous ones) and make it the default locale for numbers
    and dates. Every widget gets a LanguageChange event. False when our catalogue for it was not found (the texts
    stay English; Qt's own dialogs may still follow)."""
    global _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("apply_language needs a QApplication")
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    found = _load(app, TRANSLATIONS_DIR, f"{APP_CATALOG}_{language}")
    if language != ENGLISH:
        _load(app, Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), f"qtbase_{language}")
    QLocale.setDefault(QLocale(language))
    _current = language
    return found


def _load(app: QCoreApplication, folder: Path, name: str) -> bool:
    translator = QTranslator(app)
    if not translator.load(name, str(folder)):
        log.warning("no translation %s in %s", name, folder)
        return False
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)
    return True


def translate(context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(context, source, disambiguation, n)


tr_msg = translated  # `text` in the interface language when it is a marked Msg: one rule for state and ui


def error_text(exc: BaseException) -> str:
    """What to show for an exception: its marked message translated, else its text."""
    message = getattr(exc, "message", None)
    return tr_msg(message) if isinstance(message, str) else str(exc)


class Retranslating:
    """Mixin for widgets (list it before the Qt class): `retranslate()` sets every visible text, and runs again on
    each LanguageChange. Call `self.retranslate()` at the end of `__init__`."""

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]
