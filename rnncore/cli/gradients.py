"""`python -m rnncore gradients [--arch rnn|gru|lstm] [--steps T] [--json]`: ||dL/da<t>|| for t = 1..T.

L is the loss at the last step.  By default the cell is the shipped sentiment model reading a review of
T words that opens with the notes' "I didn't enjoy the film at all." (when that model is installed), else
a cell at initialisation reading seeded random inputs; ``--source`` chooses.  ``--json`` prints
``{"arch", "steps", "norms"}``.  Out-of-range settings are clamped, with a note on stderr.
"""

from __future__ import annotations

import json
import sys

from rnncore.cli import MAX_SIZE, UserError, finite_number, seed_number, whole_number


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("gradients", help="per-time-step gradient norms ||dL/da<t>||")
    parser.add_argument("--arch", choices=["rnn", "gru", "lstm"], default="rnn")
    parser.add_argument("--steps", type=whole_number(-MAX_SIZE, MAX_SIZE), default=50, metavar="T", help="sequence length T (2..200)")
    parser.add_argument("--json", action="store_true", help='print {"arch", "steps", "norms"}')
    parser.add_argument(
        "--source",
        choices=["auto", "trained", "init"],
        default="auto",
        help="trained sentiment model, cell at initialisation, or auto (trained when installed)",
    )
    parser.add_argument("--radius", type=finite_number, default=0.6, help="at init: spectral radius of W_aa")
    parser.add_argument("--n-a", type=whole_number(1, MAX_SIZE), default=32, dest="n_a", help="at init: hidden size n_a")
    parser.add_argument(
        "--activation", choices=["tanh", "relu", "sigmoid"], default="tanh", help="at init: RNN g"
    )
    parser.add_argument(
        "--forget-bias", type=finite_number, default=1.0, dest="forget_bias", help="at init: LSTM b_f"
    )
    parser.add_argument("--seed", type=seed_number, default=0)
    parser.set_defaults(func=run)


def render(profile) -> str:
    lines = [
        f"arch {profile.arch}, T = {profile.steps}, L = {profile.loss:.4g} ({profile.details.get('source', '')})",
        f"||dL/da<1>|| / ||dL/da<T>|| = {profile.first_to_last:.3g}; per step {profile.measured_rate:.3g}",
    ]
    if profile.rate is not None:
        lines.append(f"analytic rate per step {profile.rate:.3g} ({profile.rate_name})")
    lines += [f"t = {t:>3}  {norm:.4e}" for t, norm in enumerate(profile.norms, start=1)]
    return "\n".join(lines)


def run(args) -> int:
    from rnncore.explain import bptt, spectral

    try:
        profile, notes = bptt.default_profile(
            args.arch,
            steps=args.steps,
            source=args.source,
            settings=spectral.InitSettings(
                n_a=args.n_a,
                radius=args.radius,
                activation=args.activation,
                forget_bias=args.forget_bias,
                seed=args.seed,
            ),
        )
    except (ValueError, FileNotFoundError) as err:
        raise UserError(str(err)) from err
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(json.dumps(profile.to_json()) if args.json else render(profile), flush=True)
    return 0
