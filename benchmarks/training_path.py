"""rnncore's training path against the fused torch.nn module of the same size.

Prints, for RNN, GRU and LSTM, the time of one training step (forward, loss,
backward) of rnncore's Recurrent layer divided by torch.nn's on the same
padded batch, measured in this one run.  Budget (docs/ARCHITECTURE.md): ratio <= 1.5.

    python -m benchmarks.training_path [--m 32] [--T 30] [--n-x 64] [--n-a 64] [--repeats 30]
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnncore.cells import make_cell
from rnncore.layers import Recurrent

TORCH_MODULES = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


def step_seconds(step, repeats: int) -> float:
    """Median seconds of one call, after warming up."""
    for _ in range(3):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def measure(kind: str, m: int, T: int, n_x: int, n_a: int, repeats: int) -> tuple[float, float]:
    torch.manual_seed(0)
    x = torch.randn(m, T, n_x)  # (m, T_x, n_x)
    lengths = torch.randint(T // 2, T + 1, (m,))
    lengths[0] = T
    ours = Recurrent(make_cell(kind, n_x, n_a))
    reference = TORCH_MODULES[kind](n_x, n_a, batch_first=True)

    def ours_step():
        ours.zero_grad()
        ours(x, lengths).outputs.pow(2).sum().backward()

    def reference_step():
        reference.zero_grad()
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = reference(packed)
        out.data.pow(2).sum().backward()

    return step_seconds(ours_step, repeats), step_seconds(reference_step, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=32)
    parser.add_argument("--T", type=int, default=30)
    parser.add_argument("--n-x", type=int, default=64)
    parser.add_argument("--n-a", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"training step, m={args.m} T_x={args.T} n_x={args.n_x} n_a={args.n_a} (median of {args.repeats})")
    print("| cell | rnncore ms | torch.nn ms | ratio | budget 1.5x |")
    print("|---|---|---|---|---|")
    for kind in ("rnn", "gru", "lstm"):
        ours, ref = measure(kind, args.m, args.T, args.n_x, args.n_a, args.repeats)
        ratio = ours / ref
        print(f"| {kind} | {ours * 1e3:.2f} | {ref * 1e3:.2f} | {ratio:.2f} | {'ok' if ratio <= 1.5 else 'OVER'} |")


if __name__ == "__main__":
    main()
