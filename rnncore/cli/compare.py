"""`python -m rnncore compare`: the four architectures trained side by side (rnncore.tasks.agreement).

    python -m rnncore compare [--task agreement] [--distance D] [--seed S] [--json]

prints, with --json, one line ``{"rnn": {"accuracy", "seconds", "params"}, "gru": ..., "lstm": ...,
"birnn": ...}``: held-out accuracy at the set distance, training seconds and parameter count.
Progress goes to stderr.  The shipped cache and models are rebuilt with

    python -m rnncore compare --save assets/compare/default.json --save-models assets/models
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from rnncore.cli import MAX_SIZE, UserError, seed_number, whole_number
from rnncore.tasks.agreement.recipe import save_models, save_record


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
    p.set_defaults(func=run)


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
                        ("--save-models", args.save_models)):
        if value is not None:
            words += [flag, str(value)]
    return "python -m rnncore " + shlex.join(words)


def run(args) -> int:
    import torch

    from rnncore.tasks.agreement.compare import Comparison
    from rnncore.threads import available_cpus

    torch.set_num_threads(available_cpus())
    if args.threads < 1:
        raise UserError(f"--threads must be at least 1, got {args.threads}")
    try:
        comparison = Comparison(settings_from(args))
    except ValueError as err:
        raise UserError(str(err)) from err
    for note in comparison.notes:
        print(f"note: {note}", file=sys.stderr)

    def progress(event) -> None:
        if not args.quiet:
            print(f"{event.arch:5s} epoch {event.epoch}/{event.epochs}  loss {event.loss:.3f}  "
                  f"held-out accuracy {event.val_accuracy:.2f}  {event.seconds:.1f} s", file=sys.stderr, flush=True)

    comparison.run(progress, threads=args.threads)
    summary = comparison.summary()
    command = _command(args)
    if args.save:
        save_record(comparison, Path(args.save), command)
    if args.save_models:
        save_models(comparison, Path(args.save_models), command)
    if args.json:
        print(json.dumps(summary))
    else:
        print(render(summary, comparison.settings.distance))
    return 0


def render(summary: dict, distance: int) -> str:
    lines = [f"{'arch':6s} {'accuracy@' + str(distance):>12s} {'seconds':>8s} {'params':>7s}"]
    for arch, row in summary.items():
        lines.append(f"{arch:6s} {row['accuracy']:12.3f} {row['seconds']:8.2f} {row['params']:7d}")
    return "\n".join(lines)
