"""The command line: `python -m rnncore COMMAND ...` (contract in docs/ARCHITECTURE.md).

Each command lives in its own module of this package and exposes
``add_parser(subparsers)``; the parser it adds sets ``func`` to the function
that runs it.  Helpers here keep every command's input and error handling alike:
texts come from the arguments or, with none, one per line from standard input;
bad input ends in one clear line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from collections.abc import Callable, Iterable, Iterator

# Modules that register a sub-command, in the order `--help` lists them.
COMMAND_MODULES = ["onehot", "ner", "sentiment", "lm", "forecast", "translate", "gradients", "compare", "train"]

MAX_TEXT_CHARS = 10_000
MAX_SIZE = 1_000_000  # size options: the library clamps them further where it has a limit
MAX_SEED = 2**31 - 1  # torch's generators take 64-bit seeds; a bound people can read is kinder


def whole_number(low: int, high: int, what: str = "a whole number"):
    """An argparse ``type``: an integer in low..high, else one clear line (never an overflow deep in torch)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low:,} and {high:,}, got {text}")
        return value

    return parse


def seed_number(text: str) -> int:
    """An argparse ``type`` for ``--seed``: 0..MAX_SEED."""
    return whole_number(0, MAX_SEED, "a seed")(text)


def finite_number(text: str) -> float:
    """An argparse ``type``: a finite float (no nan, no inf)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text}")
    return value


class UserError(Exception):
    """Bad input from the user: printed as one line on stderr, exit status 2."""


def texts_from(args_text: list[str] | None) -> Iterator[str]:
    """The texts to process: the joined arguments, or one per line from stdin."""
    if args_text:
        yield " ".join(args_text)
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def check_text(text: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Reject what no model can take; return the text stripped of invisible characters and spaces."""
    from rnncore.text import strip_invisible

    stripped = strip_invisible(text).strip()
    if not stripped:
        raise UserError("empty text: type a sentence (nothing visible was given)")
    if len(stripped) > max_chars:
        raise UserError(f"text too long: {len(stripped)} characters (limit {max_chars})")
    return stripped


def run_per_text(
    texts: Iterable[str],
    compute: Callable[[str], dict],
    render: Callable[[dict], str],
    as_json: bool,
) -> int:
    """Apply ``compute`` to each text and print JSON or ``render``'s text.

    A bad line is reported on stderr and the others still run; the exit status
    is 2 if any line was bad.
    """
    status = 0
    for text in texts:
        try:
            result = compute(check_text(text))
        except UserError as err:
            print(f"error: {err}", file=sys.stderr)
            status = 2
            continue
        print(json.dumps(result, ensure_ascii=False) if as_json else render(result), flush=True)
    return status


def add_model_text_parser(subparsers, name: str, help: str, default_arch: str,
                          run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """The sub-command of a trained model that reads texts: ``NAME [--arch rnn|gru|lstm|birnn] [--json]
    [TEXT ...]``, as docs/ARCHITECTURE.md's contract gives ner and sentiment; ``run`` becomes its ``func``."""
    parser = subparsers.add_parser(name, help=help)
    parser.add_argument("--arch", choices=["rnn", "gru", "lstm", "birnn"], default=default_arch)
    parser.add_argument("--json", action="store_true", help="one JSON object per input line")
    parser.add_argument("text", nargs="*", help="the text (default: one per line from standard input)")
    parser.set_defaults(func=run)
    return parser


class OneLineParser(argparse.ArgumentParser):
    """argparse, except that a bad option ends in one line on stderr (no usage dump) and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m rnncore", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"rnncore.cli.{name}").add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
