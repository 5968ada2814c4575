"""rnncore.turns: first come, first served turns with places in line, and a thread that gives way."""

from __future__ import annotations

import os
import threading

import pytest

from rnncore.turns import TurnQueue, lower_thread_priority


def test_one_slot_goes_in_the_order_of_joining_and_places_count_down():
    turns = TurnQueue(slots=1)
    first, second, third = turns.join(), turns.join(), turns.join()
    assert [turns.place(t) for t in (first, second, third)] == [1, 2, 3]
    assert not turns.wait(second, timeout=0)  # not second's turn while first is ahead of it
    assert turns.wait(first, timeout=0)
    assert [turns.place(t) for t in (first, second, third)] == [0, 1, 2]
    assert not turns.wait(second, timeout=0.05)  # first holds the only slot
    turns.leave(first)
    assert turns.wait(second, timeout=0) and turns.place(third) == 1
    assert (turns.holding, turns.waiting) == (1, 1)


def test_leaving_the_line_lets_the_next_one_through_and_is_safe_twice():
    turns = TurnQueue(slots=1)
    holder, quitter, patient = turns.join(), turns.join(), turns.join()
    assert turns.wait(holder, timeout=0)
    turns.leave(quitter)  # a Stop while waiting
    turns.leave(quitter)
    assert turns.place(patient) == 1
    turns.leave(holder)
    assert turns.wait(patient, timeout=0)
    with pytest.raises(KeyError):
        turns.wait(quitter, timeout=0)  # a ticket that left cannot take a turn


def test_two_slots_serve_two_at_once():
    turns = TurnQueue(slots=2)
    tickets = [turns.join() for _ in range(3)]
    assert turns.wait(tickets[0], timeout=0) and turns.wait(tickets[1], timeout=0)
    assert not turns.wait(tickets[2], timeout=0) and turns.place(tickets[2]) == 1
    with pytest.raises(ValueError):
        TurnQueue(slots=0)


def test_waiting_threads_get_their_turns_in_order():
    turns = TurnQueue(slots=1)
    order: list[int] = []
    holder = turns.join()
    assert turns.wait(holder, timeout=0)
    tickets = [turns.join() for _ in range(4)]

    def visitor(name: int, ticket: int) -> None:
        while not turns.wait(ticket, timeout=0.01):  # short steps, as a page that redraws
            pass
        order.append(name)
        turns.leave(ticket)

    threads = [threading.Thread(target=visitor, args=(n, t)) for n, t in reversed(list(enumerate(tickets)))]
    for thread in threads:
        thread.start()
    turns.leave(holder)
    for thread in threads:
        thread.join(timeout=30)
    assert order == [0, 1, 2, 3]
    assert (turns.holding, turns.waiting) == (0, 0)


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no per-thread priority on this platform")
def test_a_thread_lowers_its_own_priority_and_no_one_else_s():
    process_nice = os.getpriority(os.PRIO_PROCESS, 0)
    seen: dict[str, int | bool] = {}

    def worker() -> None:
        seen["lowered"] = lower_thread_priority(5)
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["lowered"] is True
    assert seen["nice"] == min(19, process_nice + 5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == process_nice  # this thread unchanged
    assert lower_thread_priority(0) is False
