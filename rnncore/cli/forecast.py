"""`python -m rnncore forecast [--series S] [--arch rnn|gru|lstm] [--horizon H] [--rolling] [--json]`.

Reads a series from standard input, one number a line, oldest first. Prints the next H forecasts (each
fed back as the next input), or with ``--rolling`` one line ``{"t": t, "forecast": f}`` for every t the
model can serve, f made from values 1..t-1 only. The default model is the temperature forecaster.
"""

from __future__ import annotations

import json
import sys

from rnncore.cli import UserError, whole_number


def add_parser(subparsers) -> None:
    from rnncore.tasks.forecast.inference import FORECAST_DEFAULT, MAX_HORIZON, SERIES_DEFAULT
    from rnncore.tasks.forecast.series import SERIES

    parser = subparsers.add_parser("forecast", help="forecast a series read from stdin, one number a line")
    parser.add_argument("--series", choices=sorted(SERIES), default=SERIES_DEFAULT,
                        help="which shipped forecaster: the series it learnt (default temperature)")
    parser.add_argument("--arch", choices=["rnn", "gru", "lstm"], default=FORECAST_DEFAULT)
    parser.add_argument("--horizon", type=whole_number(1, MAX_HORIZON), default=1, metavar="H",
                        help=f"forecast H steps ahead (1..{MAX_HORIZON})")
    parser.add_argument("--rolling", action="store_true", help="one-step forecast of every value from the ones before")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(func=run)


def run(args) -> int:
    from rnncore.checkpoint import CheckpointError
    from rnncore.tasks.forecast.inference import forecast, parse_values, rolling

    try:
        values = parse_values(sys.stdin.read().splitlines())
        if not values:
            raise ValueError("no numbers on standard input (give one number a line, oldest first)")
        if args.rolling:
            rows = rolling(values, args.arch, args.series)
            for row in rows:
                print(json.dumps(row) if args.json else f"t = {row['t']:>5}  forecast {row['forecast']:.3f}")
            return 0
        result = forecast(values, args.horizon, args.arch, args.series)
    except (ValueError, CheckpointError) as err:
        raise UserError(str(err)) from None
    if args.json:
        print(json.dumps(result))
    else:
        for h, value in enumerate(result["forecast"], 1):
            print(f"+{h}: {value:.3f}")
    return 0
