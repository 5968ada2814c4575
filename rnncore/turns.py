"""Sharing a small server's CPUs between visitors: turns in line, and background work at low priority.

:class:`TurnQueue` gives turns at a shared resource, first come first served, with each waiter's
place in line; :func:`lower_thread_priority` lowers a long job's thread in the OS scheduler.

A class that presses *Train live* at once must not split two CPUs thirty ways: the Compare lab
lets ``slots`` runs train at a time and queues the rest in the order they asked.  A waiter can
ask for its place (1 = next), give up at any time (a Stop, a closed tab), and waits in short
steps so that its caller can redraw and be interrupted between them.

    turns = TurnQueue(slots=1)
    ticket = turns.join()
    try:
        while not turns.wait(ticket, timeout=0.5):
            show(turns.place(ticket))
        ...  # the turn is ours
    finally:
        turns.leave(ticket)
"""

from __future__ import annotations

import itertools
import os
import threading
from collections import deque


class TurnQueue:
    """At most ``slots`` holders at once; the others wait in the order they joined."""

    def __init__(self, slots: int = 1):
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self._changed = threading.Condition()
        self._waiting: deque[int] = deque()
        self._holding: set[int] = set()
        self._tickets = itertools.count(1)

    def join(self) -> int:
        """Enter the line; returns this waiter's ticket."""
        with self._changed:
            ticket = next(self._tickets)
            self._waiting.append(ticket)
            return ticket

    def wait(self, ticket: int, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the turn; True once ``ticket`` holds one."""
        with self._changed:
            return self._changed.wait_for(lambda: self._take_turn(ticket), timeout)

    def _take_turn(self, ticket: int) -> bool:
        if ticket in self._holding:
            return True
        if ticket not in self._waiting:
            raise KeyError(f"ticket {ticket} is not in line (it left, or never joined)")
        if len(self._holding) < self.slots and self._waiting[0] == ticket:
            self._waiting.popleft()
            self._holding.add(ticket)
            return True
        return False

    def place(self, ticket: int) -> int:
        """0 while holding a turn; otherwise 1 for the next in line, 2 for the one after, ..."""
        with self._changed:
            if ticket in self._holding:
                return 0
            return self._waiting.index(ticket) + 1

    def leave(self, ticket: int) -> None:
        """Give up the turn or the place in line (safe to call twice); wakes the others."""
        with self._changed:
            self._holding.discard(ticket)
            if ticket in self._waiting:
                self._waiting.remove(ticket)
            self._changed.notify_all()

    @property
    def waiting(self) -> int:
        with self._changed:
            return len(self._waiting)

    @property
    def holding(self) -> int:
        with self._changed:
            return len(self._holding)


def lower_thread_priority(niceness: int) -> bool:
    """Raise the calling thread's nice value by ``niceness`` (Linux schedules threads one by one).

    Live training is background work: when the CPUs are contended, the kernel should run the
    visitors' page scripts first. Lowering one's own priority needs no privilege; where the
    platform has no per-thread priority this does nothing. Returns whether it took effect.
    """
    if niceness <= 0 or not hasattr(os, "setpriority") or not hasattr(threading, "get_native_id"):
        return False
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
    except OSError:
        return False
    return True
