"""The job queue and lane workers: real QThreads, real signals, a real torch job."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from fakes import RecordingEngine, fake_entry
from PySide6.QtCore import QTimer

from aigc_desktop.core.engines import base
from aigc_desktop.core.engines.host import EngineHost
from aigc_desktop.core.errors import ModelNotFound, UserError
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.workers.jobs import Job, JobState
from aigc_desktop.workers.queue import JobQueue


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in ModelKind:
        monkeypatch.setitem(base.ENGINE_CLASSES, (kind, "fake"), "fakes:RecordingEngine")
    RecordingEngine.loads.clear()
    RecordingEngine.unloads.clear()
    RecordingEngine.threads.clear()


def resolve(model_id: str):  # type: ignore[no-untyped-def]
    if model_id.startswith("missing"):
        raise ModelNotFound(f"No model called {model_id}.")
    kind = ModelKind.SPEECH if model_id.startswith("voice") else ModelKind.TEXT
    return fake_entry(model_id, kind)


@pytest.fixture
def queue(qtbot, fake_backend: None) -> Iterator[JobQueue]:  # type: ignore[no-untyped-def]
    q = JobQueue(lambda lane: EngineHost(resolve=resolve))
    yield q
    q.shutdown()


def text(model: str = "m1", **params: object) -> JobSpec:
    return JobSpec(kind=JobKind.TEXT, model_id=model, params=params)


def test_real_torch_job_runs_on_a_worker_while_the_gui_timer_ticks(qtbot) -> None:  # type: ignore[no-untyped-def]
    q = JobQueue(lambda lane: EngineHost(resolve=lambda mid: (_ for _ in ()).throw(ModelNotFound(mid))))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    progress: list[float] = []
    q.job_progress.connect(lambda job: progress.append(job.fraction) if job.fraction is not None else None)
    spec = JobSpec(kind=JobKind.SYSTEM, model_id="torch-selfcheck", params={"size": 512, "iterations": 80}, seed=3)
    window: list[float] = []
    q.job_started.connect(lambda _job: window.append(time.perf_counter()))
    with qtbot.waitSignal(q.job_finished, timeout=120_000) as blocker:
        job = q.submit(spec)
    window.append(time.perf_counter())
    timer.stop()
    q.shutdown()
    finished_job, result = blocker.args
    assert finished_job is job and job.state is JobState.FINISHED
    assert result.output["device"] in ("cpu", "cuda") and result.output["gflops"] > 0
    assert progress[-1] == pytest.approx(1.0) and len(progress) == 80
    # The GUI thread kept running its timer while the worker computed (~20 GFLOP: a few hundred ms here).
    during = [t for t in ticks if window[0] <= t <= window[1]]
    assert len(during) >= 3
    assert "torch" not in threading.current_thread().name


def test_jobs_run_on_the_lane_thread_and_the_model_loads_once(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignals([queue.job_finished] * 1, timeout=5000):
        queue.submit(text())
    with qtbot.waitSignal(queue.job_finished, timeout=5000):
        queue.submit(text())
    assert RecordingEngine.loads == ["m1"]
    assert set(RecordingEngine.threads) == {"lane-text"}


def test_selecting_another_model_of_the_same_kind_unloads_the_first(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(queue.job_finished, timeout=5000):
        queue.preload(text("m1"))
    with qtbot.waitSignal(queue.job_finished, timeout=5000):
        queue.submit(text("m2"))
    assert RecordingEngine.loads == ["m1", "m2"] and RecordingEngine.unloads == ["m1"]


def test_a_job_that_raises_leaves_the_worker_usable(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(queue.job_failed, timeout=5000) as failed:
        queue.submit(text(fail=True))
    assert failed.args[1] == "RuntimeError: boom"
    with qtbot.waitSignal(queue.job_finished, timeout=5000) as done:
        queue.submit(text())
    assert done.args[1].output["model"] == "m1"


def test_user_errors_reach_the_gui_as_their_own_sentence(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(queue.job_failed, timeout=5000) as failed:
        queue.submit(text("missing-model"))
    assert failed.args[1] == "No model called missing-model."


def test_cancel_stops_a_running_job_at_its_next_step_and_drops_waiting_ones(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    cancelled: list[Job] = []
    queue.job_cancelled.connect(cancelled.append)
    with qtbot.waitSignal(queue.job_started, timeout=5000):
        running = queue.submit(text(steps=1000, sleep=0.01))
    waiting = queue.submit(text())
    assert waiting.state is JobState.WAITING and queue.waiting() == [waiting]
    queue.cancel(waiting.id)
    assert cancelled == [waiting]
    started = time.perf_counter()
    with qtbot.waitSignal(queue.job_cancelled, timeout=5000):
        queue.cancel(running.id)
    assert running.state is JobState.CANCELLED
    assert time.perf_counter() - started < 5  # stopped at a step, long before its 10 s of work
    with qtbot.waitSignal(queue.job_finished, timeout=5000):  # and the lane takes new work
        queue.submit(text())
    assert queue.idle()


def test_what_streamed_before_a_failure_reaches_the_window_before_the_failure(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    # Pieces after the first are batched (~50 ms); a job that breaks right after them must not lose the batch.
    events: list[str] = []
    queue.job_partial.connect(lambda job, chunk: events.append(chunk.text))
    queue.job_failed.connect(lambda job, message: events.append(f"failed: {message}"))
    with qtbot.waitSignal(queue.job_failed, timeout=5000):
        queue.submit(text(steps=5, break_at=3, words=True))
    assert "".join(events[:-1]) == "w0 w1 w2 " and events[-1] == "failed: broke at step 3"


def test_shutting_down_twice_with_a_job_running_is_harmless(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    # The window's close shuts the queue down while a job still runs; the app (or a test) shutting it down again, or
    # Stop on that job, must not find a lane missing.
    with qtbot.waitSignal(queue.job_started, timeout=5000):
        running = queue.submit(text(steps=1000, sleep=0.01))
    queue.shutdown()
    queue.shutdown()
    queue.cancel(running.id)
    assert running.cancel.cancelled


def test_lanes_run_side_by_side_and_queue_in_order(qtbot, queue: JobQueue) -> None:  # type: ignore[no-untyped-def]
    order: list[str] = []
    queue.job_finished.connect(lambda job, _r: order.append(job.title))
    with qtbot.waitSignal(queue.job_started, timeout=5000):
        queue.submit(text(steps=30, sleep=0.01), title="long text")
    queue.submit(text(), title="short text")
    queue.submit(JobSpec(kind=JobKind.SPEECH, model_id="voice1"), title="speech")
    assert len(queue.waiting()) == 1  # speech started at once on its own lane; the second text job waits
    qtbot.waitUntil(queue.idle, timeout=5000)
    assert order.index("long text") < order.index("short text")
    assert order[0] == "speech"


def test_unknown_backend_is_a_clear_failure(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    q = JobQueue(lambda lane: EngineHost(resolve=lambda mid: fake_entry(mid, backend="nobody")))
    try:
        with qtbot.waitSignal(q.job_failed, timeout=5000) as failed:
            q.submit(text())
        assert "No engine can run text models of backend 'nobody'" in failed.args[1]
    finally:
        q.shutdown()
    with pytest.raises(UserError):
        base.create_engine(ModelKind.TEXT, "nobody")
