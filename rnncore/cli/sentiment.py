"""`python -m rnncore sentiment [--arch rnn|gru|lstm|birnn] [--json] [TEXT ...]`: 1 to 5 stars."""

from __future__ import annotations

from rnncore.cli import add_model_text_parser, run_per_text, texts_from


def add_parser(subparsers) -> None:
    from rnncore.tasks.sentiment.inference import SENTIMENT_DEFAULT

    add_model_text_parser(subparsers, "sentiment", help="rate a review from 1 to 5 stars",
                          default_arch=SENTIMENT_DEFAULT, run=run)


def render(result: dict) -> str:
    stars = result["stars"]
    return f"{'★' * stars}{'☆' * (5 - stars)} {stars}/5  {result['text']}"


def run(args) -> int:
    from rnncore.tasks.sentiment.inference import sentiment

    return run_per_text(texts_from(args.text), lambda text: sentiment(text, args.arch), render, args.json)
