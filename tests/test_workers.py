"""rnncore.workers: jobs in a spawned worker process, stopped on request, when nobody reads them, or by
force; a worker that dies ends its job with a message and the next job gets a new worker."""

from __future__ import annotations

import os
import signal
import time

import pytest

from rnncore.workers import Worker

# The job functions run in the worker: module-level, so that the child imports them by name.


def count_to(n, channel):
    for k in range(n):
        channel.report(k)
    return n * 10


def report_until_stopped(period, channel):
    k = 0
    while not channel.should_stop():
        channel.report(k)
        k += 1
        time.sleep(period)
    return k


def ignore_stops(seconds, channel):
    time.sleep(seconds)
    return "late"


def fail(message, channel):
    raise ValueError(message)


@pytest.fixture
def worker():
    # A grace a busy shared machine cannot miss: the worker runs at a lower priority, and under load it
    # waited more than 1 s for the CPU before answering a stop (the job then ended as WorkerDied).
    worker = Worker(name="test-worker", stop_grace_s=30.0)
    yield worker
    worker.shutdown()


def all_updates(job) -> list:
    updates = []
    while job.running:
        job.heartbeat()
        updates += job.updates(timeout=0.05)
    return updates + job.updates(timeout=0)


def test_a_job_runs_in_another_process_reports_progress_and_returns_its_result(worker):
    ended = []
    job = worker.submit(count_to, 5, on_end=[ended.append])
    assert all_updates(job) == [0, 1, 2, 3, 4]
    assert (job.result, job.error, job.stop_reason) == (50, None, None)
    assert ended == [job]  # the callback ran once, with the job
    assert worker.pid not in (None, os.getpid())
    again = worker.submit(count_to, 2)
    assert all_updates(again) == [0, 1] and again.result == 20
    assert worker.started_processes == 1  # the same process served both


def test_one_job_at_a_time(worker):
    job = worker.submit(report_until_stopped, 0.01)
    with pytest.raises(RuntimeError, match="busy"):
        worker.submit(count_to, 1)
    job.stop()
    assert not worker.busy
    assert worker.submit(count_to, 1).wait(60)


def test_stop_asks_the_job_and_waits_for_its_end(worker):
    job = worker.submit(report_until_stopped, 0.01)
    assert job.updates(timeout=60)  # it has started
    job.stop("asked")
    assert not job.running and job.stop_reason == "asked" and job.error is None
    assert job.result >= 1  # the job's own return value: how far it got


def test_a_job_nobody_reads_is_stopped_as_abandoned_and_heartbeats_keep_one_alive(worker):
    # The limit is generous beside the heartbeats' 50 ms: a busy shared machine may pause this thread.
    read = worker.submit(report_until_stopped, 0.01, stale_after_s=3.0)
    deadline = time.monotonic() + 5.0  # longer than the limit, heartbeating all along
    while time.monotonic() < deadline:
        read.heartbeat()
        read.updates(timeout=0.05)
    assert read.running
    read.stop()
    assert read.stop_reason == "asked"

    unread = worker.submit(report_until_stopped, 0.01, stale_after_s=1.0)
    assert unread.wait(60)  # nobody heartbeats: the owner stops it
    assert unread.stop_reason == "abandoned" and unread.error is None
    assert unread.seconds >= 1.0


def test_a_policy_stops_a_job_with_its_reason(worker):
    job = worker.submit(report_until_stopped, 0.01, policy=lambda j: "give way" if j.seconds > 0.3 else None)
    assert job.wait(60)
    assert job.stop_reason == "give way"


def test_a_failing_job_says_what_it_raised_and_the_worker_goes_on(worker):
    job = worker.submit(fail, "no data")
    assert job.wait(60)
    assert job.error == "ValueError: no data" and job.result is None
    pid = worker.pid
    assert worker.submit(count_to, 1).wait(60) and worker.pid == pid


def test_a_killed_worker_ends_its_job_with_a_message_and_the_next_job_gets_a_new_one(worker):
    ended = []
    job = worker.submit(report_until_stopped, 0.01, on_end=[ended.append])
    assert job.updates(timeout=60)
    os.kill(worker.pid, signal.SIGKILL)
    assert job.wait(60)
    assert job.error == "WorkerDied: the training process stopped unexpectedly (exit code -9)"
    assert ended == [job]
    assert worker.pid is None and not worker.busy
    after = worker.submit(count_to, 3)
    assert all_updates(after) == [0, 1, 2] and after.result == 30
    assert worker.started_processes == 2


def test_a_job_that_ignores_stop_is_ended_after_the_grace():
    worker = Worker(name="test-worker-short-grace", stop_grace_s=1.0)
    job = worker.submit(ignore_stops, 120)
    job.stop()  # returns: the worker is killed stop_grace_s (1 s) after the request
    assert job.error.startswith("WorkerDied") and "did not stop within 1 s of being asked" in job.error
    assert job.stop_reason == "asked"
    worker.shutdown()


def test_an_idle_worker_exits_and_comes_back_on_the_next_job():
    worker = Worker(name="test-idle-worker", idle_exit_s=0.5)
    try:
        assert worker.submit(count_to, 1).wait(60)
        first = worker.pid
        deadline = time.monotonic() + 60
        while worker.pid is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert worker.pid is None  # gave its memory back
        assert worker.submit(count_to, 1).wait(60)
        assert worker.pid not in (None, first) and worker.started_processes == 2
    finally:
        worker.shutdown()
