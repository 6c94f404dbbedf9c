"""The download row's state machine (core/models/download_state.py), without Qt: every transition from every state,
the illegal ones refused, and what each state keeps (progress only while downloading, the error only while failed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aigc_desktop.core.models.download_control import DownloadProgress, PendingDownload
from aigc_desktop.core.models.download_state import DownloadRow, DownloadState, IllegalTransition

AVAILABLE, DOWNLOADING, PAUSED, FAILED, INSTALLED = (
    DownloadState.AVAILABLE,
    DownloadState.DOWNLOADING,
    DownloadState.PAUSED,
    DownloadState.FAILED,
    DownloadState.INSTALLED,
)


def progress(done: int = 400, total: int = 1000) -> DownloadProgress:
    return DownloadProgress("m", done, total, speed=100.0, eta_s=6.0, file="m.gguf", file_index=1, file_count=1)


def pending(done: int = 300, total: int = 1000) -> PendingDownload:
    return PendingDownload("m", "M", done, total, active=False)


def row_in(state: DownloadState) -> DownloadRow:
    """A row in `state` as the window would hold it, reached through the transitions."""
    row = DownloadRow()
    if state is AVAILABLE:
        return row
    if state is INSTALLED:
        row.sync(installed=True, pending=None)
        return row
    row.start()
    row.advance(progress())
    if state is PAUSED:
        row.pause()
        row.sync(installed=False, pending=pending())
    elif state is FAILED:
        row.fail("No network")
    return row


# The transitions, each with the states it leaves from and the state it lands in.
TRANSITIONS: dict[str, tuple[Callable[[DownloadRow], None], set[DownloadState], DownloadState]] = {
    "start": (DownloadRow.start, {AVAILABLE, FAILED}, DOWNLOADING),
    "resume": (DownloadRow.resume, {PAUSED}, DOWNLOADING),
    "download": (DownloadRow.download, {AVAILABLE, PAUSED, FAILED}, DOWNLOADING),
    "advance": (lambda row: row.advance(progress(500)), {DOWNLOADING}, DOWNLOADING),
    "pause": (DownloadRow.pause, {DOWNLOADING}, PAUSED),
    "fail": (lambda row: row.fail("Disk full"), {DOWNLOADING}, FAILED),
    "finish": (DownloadRow.finish, {DOWNLOADING}, INSTALLED),
    "cancel": (DownloadRow.cancel, {DOWNLOADING, PAUSED, FAILED}, AVAILABLE),
}


@pytest.mark.parametrize("state", list(DownloadState))
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_every_transition_from_every_state_lands_where_the_table_says_or_is_refused(
    name: str, state: DownloadState
) -> None:
    move, allowed, target = TRANSITIONS[name]
    row = row_in(state)
    assert row.state is state
    if state in allowed:
        move(row)
        assert row.state is target
        assert row.can_download == (target in (AVAILABLE, PAUSED, FAILED))
    else:
        before = (row.state, row.progress, row.pending, row.error)
        with pytest.raises(IllegalTransition, match=f"a download that is {state.value}"):
            move(row)
        assert (row.state, row.progress, row.pending, row.error) == before  # a refused transition changes nothing


def test_a_download_runs_pauses_resumes_and_installs() -> None:
    row = DownloadRow()
    assert (row.state, row.fraction, row.resumable, row.can_download) == (AVAILABLE, 0.0, False, True)
    row.start()
    assert row.state is DOWNLOADING and row.progress is None and not row.can_download  # "Starting…"
    row.advance(progress(400))
    assert row.progress == progress(400) and row.fraction == 0.4
    row.pause()
    assert row.state is PAUSED and row.progress is None  # the live figure goes; the folder tells what is kept
    row.sync(installed=False, pending=pending(400))
    assert row.state is PAUSED and row.resumable and row.fraction == 0.4
    row.download()  # the Resume button
    assert row.state is DOWNLOADING and row.pending == pending(400)
    row.advance(progress(1000))
    row.finish()
    assert (row.state, row.progress, row.pending, row.fraction) == (INSTALLED, None, None, 0.0)


def test_a_failure_keeps_its_message_until_the_user_tries_again() -> None:
    row = row_in(DOWNLOADING)
    row.fail("No network: 127.0.0.1:1 cannot be reached.")
    assert (row.state, row.progress, row.error) == (FAILED, None, "No network: 127.0.0.1:1 cannot be reached.")
    row.sync(installed=False, pending=pending())  # refreshing the tab does not hide why it stopped
    assert row.state is FAILED and row.error.startswith("No network") and row.resumable
    row.sync(installed=False, pending=None)
    assert row.state is FAILED and not row.resumable
    row.download()  # Download again: a fresh start, the old message goes
    assert (row.state, row.error) == (DOWNLOADING, "")


def test_cancel_forgets_what_was_kept() -> None:
    row = row_in(PAUSED)
    assert row.resumable
    row.cancel()
    assert (row.state, row.pending, row.progress, row.error) == (AVAILABLE, None, None, "")


def test_sync_takes_what_the_models_folder_says() -> None:
    row = DownloadRow()
    row.sync(installed=False, pending=pending())
    assert row.state is PAUSED and row.pending == pending()  # an unfinished download kept from before a restart
    row.sync(installed=False, pending=None)
    assert row.state is AVAILABLE and row.pending is None  # deleted by `aigc models remove`
    row.sync(installed=True, pending=pending())
    assert row.state is INSTALLED and row.pending is None  # an installed model has nothing to resume
    row.sync(installed=False, pending=None)
    assert row.state is AVAILABLE  # removed under Installed
    failed = row_in(FAILED)
    failed.sync(installed=True, pending=None)
    assert (failed.state, failed.error) == (INSTALLED, "")


def test_a_running_download_owns_its_row() -> None:
    row = row_in(DOWNLOADING)
    with pytest.raises(IllegalTransition, match="cannot sync a download that is downloading"):
        row.sync(installed=True, pending=None)
    assert row.state is DOWNLOADING and row.progress == progress()


def test_the_states_are_the_words_they_were() -> None:
    assert [s.value for s in DownloadState] == ["available", "downloading", "paused", "failed", "installed"]
    assert DownloadState.PAUSED == "paused"
