"""Catalog downloads from the Hugging Face Hub: resumable across restarts, checked, and written only inside the models
folder. This module is the transfer itself (`download_model`: plan, fetch with Range requests, verify, install); the
rest of the download lives next to it:

- core.models.download_control: DownloadControl (pause/cancel), the DownloadStopped exceptions, DownloadProgress;
- core.models.download_staging: the `.downloads/<id>/` folders, what is installed or pending, one download per model;
- core.models.hub_errors: which Hub failures are retried, and the sentence each other one becomes.

Why the bytes are fetched here and not with `hf_hub_download`: huggingface_hub 2.4 downloads each file into a
process-unique temporary file (a uuid in its name) and deletes it when the download fails, so a killed app leaves an
orphan that nothing ever resumes (file_download.py, `_download_to_tmp_and_move`); it also has no pause or cancel hook
and checks the size only. So the files go to `<models>/.downloads/<id>/files/*.part` with HTTP Range requests, and a
`state.json` there says what they are; a new process (or the same one after Pause) continues where the file ends.
huggingface_hub still does what it is for: the revision (`HfApi.model_info`), the URLs (`hf_hub_url`), each file's
size, LFS sha256, commit and CDN location (`get_hf_file_metadata`), auth headers (`build_hf_headers`) and the HTTP
session (`get_session`, which also honours HF_HUB_OFFLINE). Its errors become one sentence for the user.

A finished download is verified (size, and sha256 from the catalog or else from the Hub's LFS metadata), described by
an install note, and only then renamed into `<models>/<kind>/<id>/` in one step, so a half-downloaded model is never
listed. huggingface_hub is imported lazily: listing the catalog must not pay for it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.models.catalog import CatalogFile, CatalogModel, check_relative_path
from aigc_desktop.core.models.detect import detect_model
from aigc_desktop.core.models.download_control import (
    DownloadCancelled,
    DownloadControl,
    DownloadProgress,
    DownloadStopped,
    ProgressFn,
)
from aigc_desktop.core.models.download_staging import (
    FILES_DIRNAME,
    PART_SUFFIX,
    STATE_FILE,
    claim,
    done_bytes,
    install_dir,
    is_installed,
    read_state,
    staging_dir,
)
from aigc_desktop.core.models.entry import ModelSource
from aigc_desktop.core.models.fit import gb
from aigc_desktop.core.models.hub_errors import RETRY_STATUS, TransientFailure, retry_reason, user_error
from aigc_desktop.core.models.installed import InstallInfo, write_install_info
from aigc_desktop.core.units import human_bytes

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
MAX_ATTEMPTS = 6  # per request, reset whenever bytes arrive
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 8.0, 8.0)
PROGRESS_INTERVAL_S = 0.1
SPEED_WINDOW_S = 5.0
DISK_MARGIN = 256 * 1024**2
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 30.0
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")

# The last progress message of a download (the CLI watches for it).
INSTALLED = QT_TRANSLATE_NOOP("Downloads", "Installed")


# ---------------------------------------------------------------- the download


def download_model(
    models_dir: Path,
    model: CatalogModel,
    on_progress: ProgressFn | None = None,
    control: DownloadControl | None = None,
    *,
    endpoint: str | None = None,
) -> Path:
    """Download, verify and install `model`; returns its install folder.

    Raises DownloadPaused / DownloadCancelled when stopped through `control`, UserError for everything the user
    should read (no network, not enough disk, a checksum that does not match, ...). Already installed: returns at once.
    """
    final = install_dir(models_dir, model)
    if is_installed(models_dir, model):
        return final
    if final.exists():
        raise UserError(
            QT_TRANSLATE_NOOP(
                "Downloads", "{path} already exists but is not a complete download of {name}; move it away first."
            ).format(path=final, name=model.name)
        )
    staging = staging_dir(models_dir, model.id)
    job = _Job(models_dir, model, staging, on_progress, control or DownloadControl(), endpoint)
    with claim(staging, model.id):
        try:
            job.run()
        except DownloadCancelled:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return final


@dataclass
class _FilePlan:
    spec: CatalogFile
    url: str
    headers: dict[str, str]
    size: int
    sha256: str | None
    sha_source: str  # who named the sha256: "the catalog" | "the Hub" | "" (size check only)
    target: Path
    done: bool = False

    @property
    def part(self) -> Path:
        return self.target.with_name(self.target.name + PART_SUFFIX)


@dataclass
class _Job:
    models_dir: Path
    model: CatalogModel
    staging: Path
    on_progress: ProgressFn | None
    control: DownloadControl
    endpoint_arg: str | None
    endpoint: str = ""
    state: dict[str, Any] = field(default_factory=dict)
    plans: list[_FilePlan] = field(default_factory=list)
    reached_hub: bool = False
    _samples: deque[tuple[float, int]] = field(default_factory=deque)
    _last_emit: float | None = None  # monotonic time of the last report; None: none yet (the clock starts at boot)

    @property
    def files_dir(self) -> Path:
        return self.staging / FILES_DIRNAME

    def run(self) -> None:
        from huggingface_hub import constants

        self.endpoint = (self.endpoint_arg or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")
        for spec in self.model.files:  # before anything is fetched or written
            check_relative_path(spec.path, f"{self.model.id}: file")
            check_relative_path(spec.save_as, f"{self.model.id}: save_as")
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self.state = self._load_state()
        self._emit(0, "", QT_TRANSLATE_NOOP("Downloads", "Connecting to the Hub…"), force=True)
        commit = self._resolve_commit()
        self.plans = [self._plan(spec, commit) for spec in self.model.files]
        self.state["total"] = sum(p.size for p in self.plans)
        self._save_state()
        self._check_disk()
        for index, plan in enumerate(self.plans, start=1):
            if not plan.done:
                self._fetch(plan, index)
        self._install(commit)

    # ------------------------------------------------------------ state on disk

    def _load_state(self) -> dict[str, Any]:
        state = read_state(self.staging)
        if state is not None and state.get("repo") == self.model.repo and state.get("revision") == self.model.revision:
            return state
        if state is not None:  # the catalog entry changed since: what was fetched may be another model
            log.info("restarting %s: the catalog entry changed", self.model.id)
            shutil.rmtree(self.files_dir, ignore_errors=True)
            self.files_dir.mkdir(parents=True, exist_ok=True)
        return {
            "model_id": self.model.id,
            "name": self.model.name,
            "kind": self.model.kind.value,
            "repo": self.model.repo,
            "revision": self.model.revision,
            "commit": "",
            "total": self.model.download_bytes,
            "files": {},
        }

    def _save_state(self) -> None:
        self.state["updated"] = time.time()
        atomic.write_json(self.staging / STATE_FILE, self.state)

    # ------------------------------------------------------------ talking to the Hub

    def _resolve_commit(self) -> str:
        """One commit for every file of the model, kept across restarts: a resumed file is never spliced from two
        versions of the repository."""
        if _COMMIT.match(self.model.revision):
            return self.model.revision
        known = str(self.state.get("commit") or "")
        if known:
            return known
        from huggingface_hub import HfApi

        api = HfApi(endpoint=self.endpoint)
        info = self._retrying(
            lambda: api.model_info(self.model.repo, revision=self.model.revision, timeout=CONNECT_TIMEOUT_S),
            QT_TRANSLATE_NOOP("Downloads", "the revision '{revision}' of {repo}").format(
                revision=self.model.revision, repo=self.model.repo
            ),
        )
        commit = str(getattr(info, "sha", "") or "")
        if not _COMMIT.match(commit):
            raise UserError(
                QT_TRANSLATE_NOOP("Downloads", "The Hub did not say which commit '{revision}' of {repo} is.").format(
                    revision=self.model.revision, repo=self.model.repo
                )
            )
        self.state["commit"] = commit
        self._save_state()
        return commit

    def _plan(self, spec: CatalogFile, commit: str) -> _FilePlan:
        from huggingface_hub import get_hf_file_metadata, hf_hub_url
        from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

        check_relative_path(spec.path, f"{self.model.id}: file")
        save_as = check_relative_path(spec.save_as, f"{self.model.id}: save_as")
        target = self.files_dir.joinpath(*save_as.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        # The only place files are written: refuse anything a symlink on the way would send elsewhere.
        if not target.parent.resolve().is_relative_to(self.files_dir.resolve()):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "{id}: {path} would be written outside the models folder; refused."
                ).format(id=self.model.id, path=spec.save_as)
            )
        record = self.state["files"].get(spec.save_as, {})
        if record.get("done") and target.is_file() and target.stat().st_size == record.get("size"):
            return _FilePlan(spec, "", {}, int(record["size"]), record.get("sha256"), "", target, done=True)
        url = hf_hub_url(self.model.repo, spec.path, revision=commit, endpoint=self.endpoint)
        headers: dict[str, str] = build_hf_headers()
        headers["Accept-Encoding"] = "identity"  # a compressed body has another length and cannot be resumed
        meta = self._retrying(
            lambda: get_hf_file_metadata(url, headers=headers, timeout=CONNECT_TIMEOUT_S, endpoint=self.endpoint),
            QT_TRANSLATE_NOOP("Downloads", "{path} of {repo}").format(path=spec.path, repo=self.model.repo),
        )
        hub_sha = meta.etag if meta.etag and _SHA256.match(meta.etag) else None
        if spec.size is not None and meta.size is not None and spec.size != meta.size:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads",
                    "{path} of {name} is {size} bytes on the Hub but the catalog expects {expected}: the file has "
                    "changed, so nothing was downloaded.",
                ).format(path=spec.path, name=self.model.name, size=meta.size, expected=spec.size)
            )
        if spec.sha256 and hub_sha and spec.sha256 != hub_sha:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads",
                    "{path} of {name} on the Hub is not the file the catalog names (sha256 differs), so nothing was "
                    "downloaded.",
                ).format(path=spec.path, name=self.model.name)
            )
        size = spec.size if spec.size is not None else meta.size
        if size is None:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "The Hub did not say how big {path} is, so its download could not be checked."
                ).format(path=spec.path)
            )
        fetch_url, fetch_headers = url, dict(headers)
        if meta.location and meta.location != url:
            fetch_url = meta.location
            if urlparse(meta.location).netloc != urlparse(url).netloc:
                fetch_headers.pop("authorization", None)  # a signed CDN address: the token stays with the Hub
        if record.get("etag") and record.get("etag") != meta.etag:
            log.info("%s changed on the Hub since the last attempt; starting it again", spec.path)
            target.with_name(target.name + PART_SUFFIX).unlink(missing_ok=True)
        sha = spec.sha256 or hub_sha
        self.state["files"][spec.save_as] = {
            "path": spec.path,
            "size": size,
            "sha256": sha,
            "etag": meta.etag,
            "done": False,
        }
        sha_source = (
            QT_TRANSLATE_NOOP("Downloads", "the catalog")
            if spec.sha256
            else QT_TRANSLATE_NOOP("Downloads", "the Hub")
            if sha
            else ""
        )
        return _FilePlan(spec, fetch_url, fetch_headers, size, sha, sha_source, target)

    def _retrying(self, call: Callable[[], Any], what: str) -> Any:
        """`call` with retries for transient failures; the first connection failure of a session is reported as
        'no network' at once (waiting half a minute to say so helps nobody)."""
        attempt = 0
        while True:
            self.control.check(self.model.id)
            try:
                result = call()
            except Exception as exc:
                transient = retry_reason(exc, self.reached_hub)
                if transient is None:
                    raise user_error(exc, what, self.model, self.endpoint) from exc
                attempt += 1
                if attempt >= MAX_ATTEMPTS:
                    raise UserError(
                        QT_TRANSLATE_NOOP(
                            "Downloads",
                            "Downloading {name} failed after {attempts} attempts ({reason}); what was fetched is "
                            "kept, try again later to continue.",
                        ).format(name=self.model.name, attempts=attempt, reason=transient)
                    ) from exc
                self._wait_before_retry(attempt, transient)
                continue
            self.reached_hub = True
            return result

    def _wait_before_retry(self, attempt: int, why: str) -> None:
        delay = BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)]
        log.warning("%s: %s; retrying in %.0f s", self.model.id, why, delay)
        self._emit(
            0,
            "",
            QT_TRANSLATE_NOOP("Downloads", "{reason}; retrying in {seconds} s…").format(
                reason=why, seconds=round(delay)
            ),
            force=True,
        )
        self.control.sleep(delay, self.model.id)

    # ------------------------------------------------------------ bytes

    def _check_disk(self) -> None:
        remaining = sum(
            0 if p.done else p.size - (p.part.stat().st_size if p.part.is_file() else 0) for p in self.plans
        )
        free = shutil.disk_usage(self.files_dir).free
        if free < remaining + DISK_MARGIN:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "Not enough disk space for {name}: it needs {need} more, {free} are free in {folder}."
                ).format(name=self.model.name, need=gb(remaining), free=gb(free), folder=self.models_dir)
            )

    def _fetch(self, plan: _FilePlan, index: int) -> None:
        from huggingface_hub import get_session

        part = plan.part
        have = part.stat().st_size if part.is_file() else 0
        if have > plan.size:  # longer than the file can be: not a prefix of it
            part.unlink()
            have = 0
        digest = hashlib.sha256()
        if have:
            self._hash_existing(part, digest, index, plan)
        session = get_session()
        attempt = 0
        while have < plan.size:
            self.control.check(self.model.id)
            headers = dict(plan.headers)
            if have:
                headers["Range"] = f"bytes={have}-"
            try:
                with session.stream(
                    "GET", plan.url, headers=headers, timeout=_timeout(), follow_redirects=True
                ) as response:
                    status = response.status_code
                    if status == 416 and have:  # the server says there is nothing past `have`
                        log.info("%s: range not satisfiable at %d; fetching it again", plan.spec.path, have)
                        part.unlink(missing_ok=True)
                        have, digest = 0, hashlib.sha256()
                        continue
                    if status in RETRY_STATUS:
                        raise TransientFailure(
                            QT_TRANSLATE_NOOP("Downloads", "the Hub answered HTTP {status}").format(status=status)
                        )
                    if status >= 400:
                        from huggingface_hub.utils import hf_raise_for_status  # type: ignore[attr-defined]

                        response.read()
                        hf_raise_for_status(response)
                    if have and (status != 206 or _range_start(response.headers.get("Content-Range")) != have):
                        log.info("%s: the server ignored the range request; starting the file again", plan.spec.path)
                        have, digest = 0, hashlib.sha256()
                        part.write_bytes(b"")
                    with part.open("ab") as out:
                        for chunk in response.iter_bytes(CHUNK):
                            if not chunk:
                                continue
                            if have + len(chunk) > plan.size:
                                raise UserError(
                                    QT_TRANSLATE_NOOP(
                                        "Downloads",
                                        "The Hub sent more than the {size} bytes {path} should have; the download "
                                        "was stopped.",
                                    ).format(size=plan.size, path=plan.spec.path)
                                )
                            out.write(chunk)
                            digest.update(chunk)
                            have += len(chunk)
                            attempt = 0  # bytes arrived: the connection works again
                            self._emit(index, plan.spec.path, "", current=have)
                            self.control.check(self.model.id)
                        out.flush()
                        os.fsync(out.fileno())  # the renamed file must hold its bytes after a power cut
            except (DownloadStopped, UserError):
                raise
            except Exception as exc:
                transient = retry_reason(exc, reached_hub=True)
                if transient is None:
                    raise user_error(exc, plan.spec.path, self.model, self.endpoint) from exc
                attempt += 1
                if attempt >= MAX_ATTEMPTS:
                    raise UserError(
                        QT_TRANSLATE_NOOP(
                            "Downloads",
                            "Downloading {name} failed after {attempts} attempts ({reason}); {size} of {path} "
                            "are kept, try again later to continue.",
                        ).format(
                            name=self.model.name,
                            attempts=attempt,
                            reason=transient,
                            size=human_bytes(have),
                            path=plan.spec.path,
                        )
                    ) from exc
                self._wait_before_retry(attempt, transient)
                # Every byte written was hashed as it was written, so normally the file ends where the hash does;
                # if not (the disk lost a buffer), hash what is really there.
                on_disk = part.stat().st_size if part.is_file() else 0
                if on_disk != have:
                    have, digest = on_disk, hashlib.sha256()
                    if have:
                        self._hash_existing(part, digest, index, plan)
        self._verify(plan, digest)
        os.replace(part, plan.target)
        self.state["files"][plan.spec.save_as]["done"] = True
        self._save_state()
        plan.done = True
        self._emit(index, plan.spec.path, "", force=True)

    def _hash_existing(self, part: Path, digest: Any, index: int, plan: _FilePlan) -> None:
        """Hash the bytes a previous attempt left, so the checksum covers the whole file (hash state cannot be
        saved across processes; reading the prefix back is cheap next to fetching it)."""
        self._emit(
            index, plan.spec.path, QT_TRANSLATE_NOOP("Downloads", "Checking what was already downloaded…"), force=True
        )
        with part.open("rb") as f:
            while block := f.read(8 * 1024 * 1024):
                digest.update(block)
                self.control.check(self.model.id)

    def _verify(self, plan: _FilePlan, digest: Any) -> None:
        size = plan.part.stat().st_size
        if size != plan.size:
            plan.part.unlink(missing_ok=True)
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "{path} arrived with {size} bytes instead of {expected}; it was deleted."
                ).format(path=plan.spec.path, size=size, expected=plan.size)
            )
        if plan.sha256 is None:
            log.info("%s: no sha256 known (catalog or Hub); checked its size only", plan.spec.path)
            return
        actual = digest.hexdigest()
        if actual != plan.sha256:
            plan.part.unlink(missing_ok=True)
            self.state["files"][plan.spec.save_as]["done"] = False
            self._save_state()
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads",
                    "{path} of {name} failed its checksum (sha256 {actual}…, {source} says {expected}…): the file "
                    "was deleted and the model was not installed.",
                ).format(
                    path=plan.spec.path,
                    name=self.model.name,
                    actual=actual[:12],
                    source=plan.sha_source,
                    expected=plan.sha256[:12],
                )
            )

    def _install(self, commit: str) -> None:
        target = self.files_dir / self.model.model_path if self.model.model_path else self.files_dir
        found = detect_model(target)
        if found is None or found.kind != self.model.kind:
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "Downloads",
                    "The downloaded files of {name} do not form a {kind} model this app can load; the catalog entry "
                    "is wrong. Nothing was installed.",
                ).format(name=self.model.name, kind=self.model.kind.value)
            )
        write_install_info(
            self.files_dir,
            InstallInfo(
                id=self.model.id,
                name=self.model.name,
                source=ModelSource.DOWNLOADED,
                model_path=self.model.model_path,
                licence=self.model.licence,
                languages=self.model.languages,
                repo=self.model.repo,
                revision=self.model.revision,
                commit=commit,
                files=tuple({"path": p.spec.save_as, "size": p.size, "sha256": p.sha256 or ""} for p in self.plans),
            ),
        )
        final = install_dir(self.models_dir, self.model)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.files_dir, final)  # one rename: the model appears complete or not at all
        atomic.fsync_dir(final.parent)  # and that rename survives a power cut
        shutil.rmtree(self.staging, ignore_errors=True)
        self._emit(len(self.plans), "", INSTALLED, force=True, current=0)

    # ------------------------------------------------------------ progress

    def _emit(self, index: int, file: str, message: str, *, force: bool = False, current: int | None = None) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if not force and self._last_emit is not None and now - self._last_emit < PROGRESS_INTERVAL_S:
            return
        self._last_emit = now
        total = sum(p.size for p in self.plans) or int(self.state.get("total") or self.model.download_bytes)
        done = 0 if self.plans else done_bytes(self.staging, self.state)
        for i, plan in enumerate(self.plans, start=1):
            if plan.done:
                done += plan.size
            elif i == index and current is not None:
                done += current
            elif plan.part.is_file():
                done += plan.part.stat().st_size
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > SPEED_WINDOW_S:
            self._samples.popleft()
        speed = None
        t0, d0 = self._samples[0]
        if now - t0 >= 0.5 and done > d0:
            speed = (done - d0) / (now - t0)
        eta = (total - done) / speed if speed else None
        self.on_progress(
            DownloadProgress(self.model.id, done, total, speed, eta, file, index, len(self.model.files), message)
        )


def _timeout() -> Any:
    import httpx2

    return httpx2.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)


def _range_start(content_range: str | None) -> int | None:
    match = re.match(r"^\s*bytes\s+(\d+)-", content_range or "")
    return int(match.group(1)) if match else None
