"""A visitor's live comparison, trained in the server's worker process (:mod:`rnncore.workers`).

The page script that started it stays free to draw progress and to be interrupted: it reads
:meth:`LiveTraining.updates` and ends the run with :meth:`LiveTraining.stop`, which waits for the
epoch under way to finish and the partial results to be measured. The comparison trains in the
worker, never in the server's interpreter; the finished (or stopped) :class:`Comparison` comes back
to the server whole (models, optimiser moments, generators), so that Continue can send it again.
"""

from __future__ import annotations

import math
import pickle
import time
from collections.abc import Callable

from rnncore.tasks.agreement.compare import CompareSettings, Comparison, Progress
from rnncore.workers import Job, JobChannel, Worker

ABANDONED = "abandoned"  # the stop reason rnncore.workers gives a job whose reader stopped heartbeating


def one_torch_thread() -> None:
    """The worker's setup: one intra-op thread, as every live run has always trained (and as the
    cached default run was made), so the same settings give the same figures bit for bit."""
    import torch

    torch.set_num_threads(1)


def training_worker(name: str = "rnnlab-live-training", **options) -> Worker:
    """The worker process a server trains its visitors' comparisons in (one at a time)."""
    return Worker(name=name, setup=one_torch_thread, **options)


def train_in_worker(payload: tuple[CompareSettings | bytes, float], channel: JobChannel) -> bytes:
    """The job, in the worker: build (settings) or unpickle (a stopped run) the comparison, train it,
    report ``(event, record)`` after every epoch, and return the comparison pickled.

    ``event`` is None for the first update, once the models exist; ``record`` is
    :meth:`Comparison.record`. Plain pickle on both ways: torch's multiprocessing reductions would
    hand tensors over in shared memory that dies with the worker.
    """
    start, seconds_limit = payload
    began = time.monotonic()
    comparison = pickle.loads(start) if isinstance(start, bytes) else Comparison(start)
    channel.report((None, comparison.record()))

    def should_stop() -> bool:
        if channel.stop_reason is None and time.monotonic() - began > seconds_limit:
            channel.stop_reason = "time limit"
        return channel.should_stop()

    def abandoned() -> bool:  # asked before every batch: a tab gone gives the CPU and the turn back at once
        return channel.should_stop() and channel.stop_reason == ABANDONED

    comparison.run(lambda event: channel.report((event, comparison.record())), should_stop, threads=1,
                   abandon=abandoned)
    return pickle.dumps(comparison, protocol=pickle.HIGHEST_PROTOCOL)


class LiveTraining:
    """One comparison trained in ``worker``, reporting after every epoch; see the module docstring.

    It stops itself before an epoch once ``seconds_limit`` has passed, once it has had ``fair_share_s``
    and ``give_way()`` says others are waiting for the turn, and once its reader has not called
    :meth:`heartbeat` for ``stale_after_s`` (the visitor's tab is gone). :attr:`stop_reason` says why
    ("asked", "time limit", "give way", "abandoned"); :attr:`error` says what went wrong if the
    training raised or the worker died. ``on_end`` runs once when the run has ended, whatever ended it.
    ``start`` is the settings of a new run, or a stopped :class:`Comparison` to continue.
    """

    def __init__(self, start: CompareSettings | Comparison, seconds_limit: float, worker: Worker,
                 give_way: Callable[[], bool] | None = None, fair_share_s: float = math.inf,
                 stale_after_s: float = math.inf, on_end: Callable[[], None] | None = None):
        self._start = start
        self.seconds_limit = seconds_limit
        self.worker = worker
        self._give_way = give_way
        self.fair_share_s = fair_share_s
        self.stale_after_s = stale_after_s
        self._on_end = on_end
        self._job: Job | None = None
        self._comparison: Comparison | None = None

    def start(self) -> LiveTraining:
        start = self._start
        payload = (start if isinstance(start, CompareSettings)
                   else pickle.dumps(start, protocol=pickle.HIGHEST_PROTOCOL), self.seconds_limit)
        self._job = self.worker.submit(train_in_worker, payload, stale_after_s=self.stale_after_s,
                                       policy=self._policy, on_end=[self._ended])
        return self

    def _policy(self, job: Job) -> str | None:
        if self._give_way is not None and job.seconds > self.fair_share_s and self._give_way():
            return "give way"
        return None

    def _ended(self, _job: Job) -> None:
        if self._on_end is not None:
            self._on_end()

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    @property
    def seconds(self) -> float:
        return self._job.seconds if self._job is not None else 0.0

    @property
    def stop_reason(self) -> str | None:
        return self._job.stop_reason if self._job is not None else None

    @property
    def error(self) -> str | None:
        return self._job.error if self._job is not None else None

    @property
    def comparison(self) -> Comparison | None:
        """The trained (or stopped) comparison once the run has ended; None before, or if it failed."""
        if self._comparison is None and self._job is not None and not self._job.running and self._job.result:
            self._comparison = pickle.loads(self._job.result)
        return self._comparison

    def heartbeat(self) -> None:
        if self._job is not None:
            self._job.heartbeat()

    def updates(self, timeout: float) -> list[tuple[Progress | None, dict]]:
        """The updates since the last call, waiting up to ``timeout`` seconds for the first."""
        return self._job.updates(timeout) if self._job is not None else []

    def stop(self, reason: str = "asked") -> None:
        """Ask the run to stop before its next epoch, and wait until it has (results measured)."""
        if self._job is not None:
            self._job.stop(reason)
