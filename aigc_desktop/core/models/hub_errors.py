"""How a failure talking to the Hugging Face Hub is handled: retried (and why, in words) or turned into one sentence
for the user. Used by core.models.downloads for every request it makes; huggingface_hub and httpx2 are imported
lazily, as there.
"""

from __future__ import annotations

import logging
from urllib.parse import urlparse

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.catalog import CatalogModel

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class TransientFailure(Exception):
    """A failure worth retrying (the server is busy, the connection dropped)."""


def retry_reason(exc: BaseException, reached_hub: bool) -> str | None:
    """Why `exc` is worth retrying, or None when it is not."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    if isinstance(exc, TransientFailure):
        reason = exc.args[0] if exc.args else ""
        return reason if isinstance(reason, str) else str(exc)  # the marked Msg itself, not its English copy
    if isinstance(exc, OfflineModeIsEnabled | httpx2.ProxyError):
        return None
    if isinstance(exc, httpx2.ConnectError | httpx2.ConnectTimeout):
        return QT_TRANSLATE_NOOP("Downloads", "the connection failed") if reached_hub else None
    if isinstance(exc, httpx2.TimeoutException):
        return QT_TRANSLATE_NOOP("Downloads", "the Hub stopped answering")
    if isinstance(exc, httpx2.TransportError):
        return QT_TRANSLATE_NOOP("Downloads", "the connection was interrupted")
    if isinstance(exc, HfHubHTTPError) and exc.response is not None and exc.response.status_code in RETRY_STATUS:
        return QT_TRANSLATE_NOOP("Downloads", "the Hub answered HTTP {status}").format(status=exc.response.status_code)
    return None


def user_error(exc: BaseException, what: str, model: CatalogModel, endpoint: str) -> UserError:
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    host = urlparse(endpoint).netloc or endpoint
    if isinstance(exc, OfflineModeIsEnabled):
        return UserError(
            QT_TRANSLATE_NOOP(
                "Downloads",
                "Downloads are switched off (HF_HUB_OFFLINE is set). The built-in models and models you import work "
                "without a network.",
            )
        )
    if isinstance(exc, httpx2.ProxyError):
        return UserError(
            QT_TRANSLATE_NOOP("Downloads", "The proxy refused the connection to {host}: {reason}.").format(
                host=host, reason=exc
            )
        )
    if isinstance(exc, httpx2.ConnectError | httpx2.ConnectTimeout | httpx2.NetworkError):
        return UserError(
            QT_TRANSLATE_NOOP(
                "Downloads",
                "No network: {host} cannot be reached, so {name} cannot be downloaded now. The built-in models and "
                "models you import work without a network.",
            ).format(host=host, name=model.name)
        )
    if isinstance(exc, GatedRepoError):
        return UserError(
            QT_TRANSLATE_NOOP(
                "Downloads",
                "{repo} is gated on the Hub: accept its licence at https://huggingface.co/{repo} and log in (hf auth "
                "login) first.",
            ).format(repo=model.repo)
        )
    if isinstance(exc, RepositoryNotFoundError):
        return UserError(
            QT_TRANSLATE_NOOP("Downloads", "The Hub has no repository {repo} (or it is private).").format(
                repo=model.repo
            )
        )
    if isinstance(exc, RevisionNotFoundError):
        return UserError(
            QT_TRANSLATE_NOOP("Downloads", "The Hub repository {repo} has no revision '{revision}'.").format(
                repo=model.repo, revision=model.revision
            )
        )
    if isinstance(exc, RemoteEntryNotFoundError):
        return UserError(
            QT_TRANSLATE_NOOP("Downloads", "The Hub repository {repo} has no file {what}.").format(
                repo=model.repo, what=what
            )
        )
    if isinstance(exc, HfHubHTTPError) and exc.response is not None:
        return UserError(
            QT_TRANSLATE_NOOP("Downloads", "The Hub refused {what} (HTTP {status}).").format(
                what=what, status=exc.response.status_code
            )
        )
    if isinstance(exc, OSError):
        return UserError(
            QT_TRANSLATE_NOOP("Downloads", "Could not write {name} to disk: {reason}.").format(
                name=model.name, reason=exc.strerror or exc
            )
        )
    log.exception("download of %s failed", model.id, exc_info=exc)
    return UserError(
        QT_TRANSLATE_NOOP("Downloads", "Downloading {name} failed: {error}: {reason}").format(
            name=model.name, error=type(exc).__name__, reason=exc
        )
    )
