"""CPU threads for torch: how many this process may use, and a block run with a given number."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import torch


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask, which containers and `taskset` narrow),
    rather than os.cpu_count(), which counts the whole machine."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def set_threads() -> int:
    """Use the CPUs this process may run on (a container may allow fewer than the machine has),
    or RNNLAB_THREADS of them: two trainings side by side run faster with one thread each."""
    n = int(os.environ.get("RNNLAB_THREADS", 0)) or available_cpus()
    torch.set_num_threads(n)
    return n


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` intra-op threads (None: leave as is), then restore the previous count.

    Training here multiplies (32, 48) by (48, 96) matrices: a second thread only adds
    synchronisation, and on a busy 2-core host it made an epoch 20-40 times slower
    (measured: 1.2 s with one thread against 27-45 s with two, while other jobs ran).
    """
    previous = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n is not None:
            torch.set_num_threads(previous)
