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
import sys
from collections.abc import Callable, Iterable, Iterator

# Modules that register a sub-command, in the order `--help` lists them.
COMMAND_MODULES = ["onehot", "ner", "sentiment", "lm", "gradients", "compare", "train"]

MAX_TEXT_CHARS = 10_000


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
    """Reject what no model can take; return the text stripped."""
    stripped = text.strip()
    if not stripped:
        raise UserError("empty text: type a sentence")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rnncore", description=__doc__.splitlines()[0])
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
