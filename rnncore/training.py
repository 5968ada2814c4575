"""The one training loop every shipped model uses (Adam, clipping by norm, early stopping on a dev score),
and the small helpers around it: seeded batches, word dropout, the command line and metrics written to a
checkpoint.
"""

from __future__ import annotations

import hashlib
import math
import random
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import torch
from torch import nn

from rnncore import checkpoint
from rnncore.models import count_parameters

Progress = Callable[[dict], None]


@dataclass
class TrainConfig:
    epochs: int = 8
    batch_size: int = 32
    lr: float = 2e-3
    clip: float = 5.0  # gradient norm
    seed: int = 0
    patience: int = 3  # epochs without a better dev score before stopping early
    word_dropout: float = 0.0  # share of word ids replaced by <UNK> while training (Lample et al., 2016)
    lr_decay: float = 1.0  # the learning rate is multiplied by this after every epoch
    # No new epoch starts after this many CPU minutes of the training process (time.process_time): on a
    # loaded machine a model trains the same epochs, only later, instead of fewer epochs in the same wall time.
    max_minutes: float | None = None
    # torch's fused Adam kernel: the same update in one pass over the weights, 7x faster on the language
    # model's 3.1M weights (3 ms a step against 23), not bit for bit the per-tensor loop's rounding. Off
    # where shipped checkpoints were trained with the loop, so that retraining them gives their weights.
    fused_adam: bool = False


def out_of_time(began_cpu: float, max_minutes: float | None) -> bool:
    """Whether this process has spent more than ``max_minutes`` of CPU time since ``began_cpu``
    (a ``time.process_time()`` reading)."""
    return max_minutes is not None and time.process_time() - began_cpu > 60 * max_minutes


def cpu_minutes_since(began_cpu: float) -> float:
    return round((time.process_time() - began_cpu) / 60, 2)


def print_progress(event: dict) -> None:
    parts = [f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in event.items()]
    print("  " + " ".join(parts), file=sys.stderr, flush=True)


def fit(
    model: nn.Module,
    train_batches: Callable[[random.Random], list[dict]],
    loss_of: Callable[[nn.Module, dict], torch.Tensor],
    dev_score: Callable[[nn.Module], float],
    cfg: TrainConfig,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Adam with gradient clipping and early stopping on a dev score (higher is better).

    ``train_batches(rng)`` gives one epoch of batches, shuffled by ``rng``.
    Returns the history; the model ends with the weights of its best dev epoch.
    """
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr, fused=cfg.fused_adam or None)
    schedule = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=cfg.lr_decay)
    best, best_state, stale, history = -math.inf, None, 0, []
    began = time.process_time()
    for epoch in range(1, cfg.epochs + 1):
        if out_of_time(began, cfg.max_minutes):
            break
        model.train()
        start, total, n = time.perf_counter(), 0.0, 0
        for batch in train_batches(rng):
            optimizer.zero_grad()
            loss = loss_of(model, batch)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            optimizer.step()
            total, n = total + loss.item(), n + 1
            if should_stop and should_stop():
                break
        schedule.step()
        model.eval()
        score = dev_score(model)
        event = {"epoch": epoch, "loss": total / max(n, 1), "dev": score, "seconds": time.perf_counter() - start}
        history.append(event)
        if progress:
            progress(event)
        if score > best:
            best, stale = score, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            stale += 1
        if stale >= cfg.patience or (should_stop and should_stop()):
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return {"epochs": history, "best_dev": best}


def batches_of(items: Sequence, batch_size: int, rng: random.Random | None) -> list[list]:
    order = list(range(len(items)))
    if rng is not None:
        rng.shuffle(order)
    return [[items[i] for i in order[k : k + batch_size]] for k in range(0, len(order), batch_size)]


def batches_by_length(items: Sequence, batch_size: int, rng: random.Random, length=len, pool: int = 50) -> list[list]:
    """Batches of items of similar length, so that little of each padded batch is padding: the items are
    shuffled, sorted by ``length`` within pools of ``pool`` batches, cut into batches, and the batches
    shuffled again (every epoch sees other neighbours and another order)."""
    order = list(range(len(items)))
    rng.shuffle(order)
    batches = []
    span = batch_size * pool
    for k in range(0, len(order), span):
        chunk = sorted(order[k : k + span], key=lambda i: length(items[i]))
        batches += [[items[i] for i in chunk[j : j + batch_size]] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def batches_by_tokens(items: Sequence, max_tokens: int, rng: random.Random, length=len) -> list[list]:
    """Batches of items of similar length holding at most ``max_tokens`` padded units each (a single
    longer item makes a batch of its own).

    A batch's loss is the mean over its units, so batches of a fixed number of items weigh each unit of
    a long item (a 300-word paragraph) far less than each unit of a short one (a 6-word sentence);
    batches of a fixed number of units weigh every unit alike, and cost about the same time each. The
    items are shuffled and then sorted by length (the shuffle varies who neighbours whom among items of
    one length, every epoch), cut greedily, and the batches shuffled again.
    """
    order = list(range(len(items)))
    rng.shuffle(order)
    order.sort(key=lambda i: length(items[i]))
    batches, current, longest = [], [], 0
    for i in order:
        size = length(items[i])
        if current and (len(current) + 1) * max(longest, size) > max_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(items[i])
        longest = max(longest, size)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def drop_words(ids: torch.Tensor, unk_id: int, p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Replace a share p of the real word ids by <UNK>, so the model learns to tag from context."""
    if p <= 0:
        return ids
    hit = (torch.rand(ids.shape, generator=generator) < p) & (ids > 0)
    return torch.where(hit, torch.full_like(ids, unk_id), ids)


def split_held_out(items: Sequence, seed: int, share: float = 0.1) -> tuple[list, list, list]:
    """A seeded shuffle cut into train, dev and test, the two held-out parts disjoint (``share`` of the
    items each, at least one): dev chooses the epoch, test is only ever scored once at the end.

    >>> train, dev, test = split_held_out(range(20), seed=0)
    >>> len(train), len(dev), len(test), sorted(set(dev) & set(test))
    (16, 2, 2, [])
    """
    items = list(items)
    if len(items) < 3:
        raise ValueError(f"need at least 3 examples to hold out a dev and a test one, got {len(items)}")
    random.Random(seed).shuffle(items)
    cut = max(1, int(len(items) * share))
    return items[2 * cut :], items[:cut], items[cut : 2 * cut]


def split_of(key: str, salt: str, dev: float = 0.05, test: float = 0.05) -> str:
    """"train", "dev" or "test" for one example, by a stable hash of its text (md5, not Python's salted
    hash): the same sentence lands in the same split whatever else the corpus holds, and every task
    that reads the same corpus with the same salt holds out the same sentences."""
    bucket = int(hashlib.md5(f"{salt}:{key}".encode()).hexdigest(), 16) % 10_000 / 10_000
    return "test" if bucket < test else "dev" if bucket < test + dev else "train"


DATA_PLACEHOLDER = "DATA"  # the README's name for the folder of corpora


def command_line(argv: Sequence[str] | None = None) -> str:
    """The command that built a checkpoint, as its JSON records it. The corpora folder is written as
    DATA: where it sits is one machine's detail, and a shipped file must not point outside the repository."""
    words = list(argv if argv is not None else sys.argv[1:])
    for i, word in enumerate(words):
        if word.startswith("--data-dir="):
            words[i] = f"--data-dir={DATA_PLACEHOLDER}"
        elif word == "--data-dir" and i + 1 < len(words):
            words[i + 1] = DATA_PLACEHOLDER
    return "python -m rnncore " + shlex.join(words)


def round_metrics(metrics: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()}


@torch.no_grad()
def round_to_half(model) -> None:
    """Round every floating weight to float16 and back, as checkpoint.save(half=True) stores them, so that
    the figures measured next are the shipped file's own (they move by up to ~0.001 otherwise)."""
    for tensor in model.state_dict().values():
        if tensor.is_floating_point():
            tensor.copy_(tensor.half().float())


def save_trained(model, out, meta, metrics, history, cfg, argv, sizes: dict, half: bool = False) -> dict:
    """Write the checkpoint with its metrics, parameter count and training record (command, settings,
    history); ``half`` stores float16 weights (rnncore.checkpoint.save)."""
    meta.update({
        "metrics": metrics,
        "params": count_parameters(model),
        "training": {"command": command_line(argv), **asdict(cfg), **sizes, "history": history["epochs"]},
    })
    checkpoint.save(model, out, half=half, **meta)
    return meta
