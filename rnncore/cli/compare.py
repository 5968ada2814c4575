"""`python -m rnncore compare`: the four architectures trained side by side (rnncore.tasks.agreement).

    python -m rnncore compare [--task agreement] [--distance D] [--seed S] [--json] [--no-sweep]

prints, with --json, one line ``{"rnn": {"accuracy", "seconds", "params", "by_distance",
"model_by_distance"}, "gru": ..., "lstm": ..., "birnn": ...}``: held-out accuracy at the set distance,
training seconds and parameter count of the comparison at that distance; ``by_distance`` the held-out
accuracy at each distance d of the sweep (rnncore.tasks.agreement.sweep) of the cell trained on clauses
of 1..d words ({"1": 1.0, ..., "30": 0.48}); ``model_by_distance`` the set distance's models measured at
every evaluation distance. ``--no-sweep`` trains the set distance only (``by_distance`` then holds it
alone), as does ``--task lookahead``. Progress goes to stderr.  The shipped cache and models are rebuilt with

    python -m rnncore compare --save assets/compare/default.json --save-models assets/models \
        --save-sweep assets/compare/sweep
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from rnncore.cli import MAX_SIZE, UserError, seed_number, whole_number
from rnncore.tasks.agreement.recipe import save_models, save_record, save_sweep


def add_parser(subparsers) -> None:
    from rnncore.tasks.agreement.data import TASKS

    p = subparsers.add_parser(
        "compare",
        help="train RNN, GRU, LSTM and BRNN side by side on a long-range dependency",
        description=__doc__.splitlines()[0],
    )
    p.add_argument("--task", choices=TASKS, default="agreement",
                   help="agreement: was/were after a clause; lookahead: only a BRNN can see the deciding word")
    p.add_argument("--distance", type=whole_number(0, MAX_SIZE), default=None, help="words in the distractor clause (default 30)")
    p.add_argument("--seed", type=seed_number, default=0)
    p.add_argument("--epochs", type=whole_number(1, MAX_SIZE), default=None)
    p.add_argument("--hidden", type=whole_number(1, MAX_SIZE), default=None, help="n_a (with --budget params: the LSTM's)")
    p.add_argument("--budget", choices=("n_a", "params"), default=None,
                   help="equal hidden size, or equal parameter count (default)")
    p.add_argument("--batch-size", type=whole_number(1, MAX_SIZE), default=None)
    p.add_argument("--threads", type=whole_number(1, 256), default=1,
                   help="torch threads while training (default 1: faster for these small matrices)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--save", metavar="PATH", help="write the full record (curves, accuracy by distance) as JSON")
    p.add_argument("--save-models", metavar="DIR", help="save each trained model as DIR/<task>-<arch>")
    p.add_argument("--save-sweep", metavar="DIR",
                   help="write the sweep's record as DIR/sweep.json and its other distances' models as "
                   "DIR/<task>-<arch>-d<D>")
    p.add_argument("--distances", type=distance_list, default=None, metavar="D,D,...",
                   help="the sweep's clause lengths (default 1,2,3,5,10,15,20,30; the set distance is always in)")
    p.add_argument("--no-sweep", action="store_true",
                   help="train at the set distance only, not at every distance of the sweep")
    p.set_defaults(func=run)


def distance_list(text: str) -> tuple[int, ...]:
    """An argparse ``type``: comma-separated clause lengths, each a whole number in the distance limits."""
    from rnncore.tasks.agreement.compare import LIMITS

    parse = whole_number(*LIMITS["distance"], "a distance")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError(f"expected distances such as 1,3,10, got {text!r}")
    return tuple(parse(part) for part in parts)


def settings_from(args):
    from rnncore.tasks.agreement.compare import CompareSettings

    overrides = {
        "distance": args.distance,
        "epochs": args.epochs,
        "n_a": args.hidden,
        "budget": args.budget,
        "batch_size": args.batch_size,
    }
    return CompareSettings(task=args.task, seed=args.seed, **{k: v for k, v in overrides.items() if v is not None})


def _command(args) -> str:
    """The command line that reproduces this run, rebuilt from the parsed arguments."""
    words = ["compare", "--task", args.task, "--seed", str(args.seed)]
    for flag, value in (("--distance", args.distance), ("--epochs", args.epochs), ("--hidden", args.hidden),
                        ("--budget", args.budget), ("--batch-size", args.batch_size), ("--save", args.save),
                        ("--save-models", args.save_models), ("--save-sweep", args.save_sweep)):
        if value is not None:
            words += [flag, str(value)]
    if args.distances is not None:
        words += ["--distances", ",".join(str(d) for d in args.distances)]
    if args.no_sweep:
        words.append("--no-sweep")
    return "python -m rnncore " + shlex.join(words)


def run(args) -> int:
    import torch

    from rnncore.tasks.agreement.sweep import DistanceSweep
    from rnncore.threads import available_cpus

    torch.set_num_threads(available_cpus())
    if args.threads < 1:
        raise UserError(f"--threads must be at least 1, got {args.threads}")
    if args.no_sweep and (args.save_sweep or args.distances):
        raise UserError("--save-sweep and --distances need the sweep: drop --no-sweep")
    if args.task != "agreement" and (args.save_sweep or args.distances):
        raise UserError(f"--save-sweep and --distances are for the agreement task, not {args.task}")
    sweeping = not args.no_sweep and args.task == "agreement"  # lookahead: the clause follows the deciding word
    try:
        sweep = DistanceSweep(settings_from(args), distances=args.distances if sweeping else ())
    except ValueError as err:
        raise UserError(str(err)) from err
    for note in sweep.notes:
        print(f"note: {note}", file=sys.stderr)

    def progress(step) -> None:
        if not args.quiet:
            event = step.event
            print(f"distance {step.distance:2d} ({step.done + 1}/{step.total})  {event.arch:5s} epoch "
                  f"{event.epoch}/{event.epochs}  loss {event.loss:.3f}  held-out accuracy {event.val_accuracy:.2f}  "
                  f"{event.seconds:.1f} s", file=sys.stderr, flush=True)

    sweep.run(progress, threads=args.threads)
    summary = sweep.summary()
    command = _command(args)
    if args.save:
        save_record(sweep.main, Path(args.save), command)
    if args.save_models:
        save_models(sweep.main, Path(args.save_models), command)
    if args.save_sweep:
        save_sweep(sweep, Path(args.save_sweep), command, with_set_distance=not args.save_models)
    if args.json:
        print(json.dumps(summary))
    else:
        print(render(summary, sweep.settings.distance))
    return 0


def render(summary: dict, distance: int) -> str:
    lines = [f"{'arch':6s} {'accuracy@' + str(distance):>12s} {'seconds':>8s} {'params':>7s}"]
    for arch, row in summary.items():
        lines.append(f"{arch:6s} {row['accuracy']:12.3f} {row['seconds']:8.2f} {row['params']:7d}")
    distances = list(next(iter(summary.values()))["by_distance"])
    if len(distances) > 1:
        lines += ["", "trained on clauses of 1..d words, held-out accuracy at d:",
                  f"{'d':6s} " + " ".join(f"{d:>5s}" for d in distances)]
        for arch, row in summary.items():
            lines.append(f"{arch:6s} " + " ".join(f"{row['by_distance'][d]:5.2f}" for d in distances))
    return "\n".join(lines)
