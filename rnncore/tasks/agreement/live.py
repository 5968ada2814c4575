"""A live comparison trained in a background thread for one visitor, stoppable between epochs."""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable

from rnncore.tasks.agreement.compare import Comparison, Progress
from rnncore.turns import lower_thread_priority


class LiveTraining:
    """Build and train one comparison in a background thread, reporting after every epoch.

    The caller (a visitor's page script) stays free to draw progress and to be interrupted; it
    reads :meth:`updates`, and ends the run with :meth:`stop`, which waits for the epoch under way
    to finish and the partial results to be measured. The thread runs at a lower CPU priority
    (``niceness``) than the pages. It stops itself before an epoch once ``seconds_limit`` has
    passed, or once it has had ``fair_share_s`` and ``give_way()`` says that others are waiting for
    the turn; :attr:`stop_reason` says why ("asked", "time limit", "give way").
    ``make`` builds the comparison (about 1 s for the defaults), or returns a stopped one to continue
    it. Each update is ``(event, record)``: ``event`` None for the first, once the models exist;
    ``record`` is :meth:`Comparison.record`, taken in this thread so that the caller never reads
    models while they train.
    """

    def __init__(self, make: Callable[[], Comparison], seconds_limit: float, niceness: int = 10,
                 give_way: Callable[[], bool] | None = None, fair_share_s: float = math.inf):
        self._make = make
        self._give_way = give_way
        self.fair_share_s = fair_share_s
        self.stop_reason: str | None = None
        self.seconds_limit = seconds_limit
        self.niceness = niceness
        self.comparison: Comparison | None = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self._updates: queue.SimpleQueue[tuple[Progress | None, dict]] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="rnnlab-live-training", daemon=True)

    def start(self) -> LiveTraining:
        self.started = time.monotonic()
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def _should_stop(self) -> bool:
        if self._stop.is_set():
            self.stop_reason = "asked"
        elif self.seconds > self.seconds_limit:
            self.stop_reason = "time limit"
        elif self._give_way is not None and self.seconds > self.fair_share_s and self._give_way():
            self.stop_reason = "give way"
        return self.stop_reason is not None

    def _work(self) -> None:
        lower_thread_priority(self.niceness)
        try:
            comparison = self.comparison = self._make()
            self._updates.put((None, comparison.record()))
            comparison.run(lambda event: self._updates.put((event, comparison.record())), self._should_stop)
        except BaseException as error:  # handed to the caller, whose page shows it
            self.error = error

    def updates(self, timeout: float) -> list[tuple[Progress | None, dict]]:
        """The updates since the last call, waiting up to ``timeout`` seconds for the first."""
        try:
            found = [self._updates.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                found.append(self._updates.get_nowait())
            except queue.Empty:
                return found

    def stop(self) -> None:
        """Ask the run to stop before its next epoch, and wait until it has (results measured)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
