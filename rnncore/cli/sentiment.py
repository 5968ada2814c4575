"""`python -m rnncore sentiment [--arch rnn|gru|lstm|birnn] [--json] [TEXT ...]`: 1 to 5 stars."""

from __future__ import annotations

from rnncore.cli import run_per_text, texts_from


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("sentiment", help="rate a review from 1 to 5 stars")
    parser.add_argument("--arch", choices=["rnn", "gru", "lstm", "birnn"], default="lstm")
    parser.add_argument("--json", action="store_true", help="one JSON object per input line")
    parser.add_argument("text", nargs="*", help="the text (default: one per line from standard input)")
    parser.set_defaults(func=run)


def render(result: dict) -> str:
    stars = result["stars"]
    return f"{'★' * stars}{'☆' * (5 - stars)} {stars}/5  {result['text']}"


def run(args) -> int:
    from rnncore.predict import sentiment

    return run_per_text(texts_from(args.text), lambda text: sentiment(text, args.arch), render, args.json)
