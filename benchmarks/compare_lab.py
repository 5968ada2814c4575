"""The Compare lab's default run: accuracy at distance 30 and wall time per architecture.

Prints, for the default settings (rnncore.tasks.agreement.compare.CompareSettings()), each architecture's held-out
accuracy at the set distance, training seconds and parameters, the whole run's wall time (sentences,
models, training and evaluation) as a ratio of docs/ARCHITECTURE.md's 30 s budget, and the lesson's margins:
min(LSTM, GRU) accuracy and the gap to the vanilla RNN (the lab wants >= 0.90 and >= 0.15).
With --threads-too, the same run with every available CPU as torch threads, for the ratio; with
--seeds N, the accuracies for seeds 0..N-1 (does the lesson hold beyond the cached seed?); with
--sweep-seeds N, the sweep over clause lengths (rnncore.tasks.agreement.sweep) for seeds 0..N-1, its wall
time, and for each seed the RNN's longest learnt length (>= 0.90 at every d up to it) and where it stays
near chance (<= 0.65 from there on).
The load average is printed because the machine is shared: timings are pessimistic, never a verdict.

    python -m benchmarks.compare_lab [--seeds 5] [--threads-too] [--sweep-seeds 4]
"""

from __future__ import annotations

import argparse
import os
import time

import torch

from rnncore.tasks.agreement.compare import CompareSettings, Comparison
from rnncore.tasks.agreement.sweep import DistanceSweep, read_sweep


def available_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def timed_run(settings: CompareSettings, threads: int) -> tuple[Comparison, float]:
    start = time.perf_counter()
    comparison = Comparison(settings).run(threads=threads)
    return comparison, time.perf_counter() - start


def lesson_margins(summary: dict) -> tuple[float, float]:
    gated = min(summary["lstm"]["accuracy"], summary["gru"]["accuracy"])
    return gated, gated - summary["rnn"]["accuracy"]


def report(title: str, comparison: Comparison, wall: float) -> None:
    summary = comparison.summary()
    print(f"\n{title}")
    print(f"{'arch':6s} {'n_a':>4s} {'params':>7s} {'accuracy@' + str(comparison.settings.distance):>12s} {'train s':>8s}")
    for arch, row in summary.items():
        print(f"{arch:6s} {comparison.runs[arch].n_a:4d} {row['params']:7d} {row['accuracy']:12.3f} {row['seconds']:8.2f}")
    training = sum(row["seconds"] for row in summary.values())
    gated, gap = lesson_margins(summary)
    print(f"training seconds, all four: {training:.2f}; whole run (data, models, training, evaluation): {wall:.2f} s")
    print(f"whole run / 30 s budget: {wall / 30:.2f}")
    print(f"min(LSTM, GRU) accuracy: {gated:.3f} (lab wants >= 0.90); gap to the RNN: {gap:.3f} (wants >= 0.15)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=0, help="also run seeds 0..N-1 and print their accuracies")
    parser.add_argument("--sweep-seeds", type=int, default=0, help="also run the sweep for seeds 0..N-1")
    parser.add_argument("--threads-too", action="store_true", help="also train with every CPU as torch threads")
    args = parser.parse_args()

    cpus = available_cpus()
    torch.set_num_threads(cpus)
    settings = CompareSettings()
    Comparison(CompareSettings(distance=1, epochs=1, n_train=64, n_test=20)).run()  # warm-up: imports, kernels
    print(f"CPUs available: {cpus}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"settings: {settings.to_dict()}")

    comparison, wall = timed_run(settings, threads=1)
    report("default settings, 1 torch thread while training (the lab's choice)", comparison, wall)
    if args.threads_too and cpus > 1:
        wide, wide_wall = timed_run(settings, threads=cpus)
        report(f"default settings, {cpus} torch threads while training", wide, wide_wall)
        print(f"\n{cpus} threads / 1 thread, whole run: {wide_wall / wall:.2f}")

    if args.seeds:
        print(f"\nseeds 0..{args.seeds - 1}, accuracy at distance {settings.distance}:")
        print(f"{'seed':>4s} {'rnn':>6s} {'gru':>6s} {'lstm':>6s} {'birnn':>6s} {'gap':>6s}")
        shown = 0
        for seed in range(args.seeds):
            summary = Comparison(CompareSettings(seed=seed)).run().summary()
            gated, gap = lesson_margins(summary)
            shown += gated >= 0.90 and gap >= 0.15
            print(f"{seed:4d} " + " ".join(f"{summary[a]['accuracy']:6.3f}" for a in summary) + f" {gap:6.3f}")
        print(f"the lesson shows (gated >= 0.90, gap >= 0.15) for {shown} of {args.seeds} seeds")
    if args.sweep_seeds:
        print(f"\nsweep over clause lengths, seeds 0..{args.sweep_seeds - 1} (trained on 1..d, accuracy at d):")
        for seed in range(args.sweep_seeds):
            sweep = DistanceSweep(CompareSettings(seed=seed)).run(threads=1)
            by = sweep.by_distance()
            reading = read_sweep(by)
            print(f"seed {seed}: {sweep.seconds:.1f} s; RNN learns up to {reading.learnt_up_to}, near chance from "
                  f"{reading.chance_from}; lowest GRU/LSTM {reading.gated_lowest:.2f}")
            print(f"  {'d':6s} " + " ".join(f"{d:>5s}" for d in by["rnn"]))
            for arch, row in by.items():
                print(f"  {arch:6s} " + " ".join(f"{a:5.2f}" for a in row.values()))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
