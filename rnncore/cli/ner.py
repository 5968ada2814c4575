"""`python -m rnncore ner [--arch rnn|gru|lstm|birnn] [--json] [TEXT ...]`: named-entity tags."""

from __future__ import annotations

from rnncore.cli import run_per_text, texts_from


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("ner", help="tag named entities (BIO over PER, LOC, ORG, MISC)")
    parser.add_argument("--arch", choices=["rnn", "gru", "lstm", "birnn"], default="birnn")
    parser.add_argument("--json", action="store_true", help="one JSON object per input line")
    parser.add_argument("text", nargs="*", help="the text (default: one per line from standard input)")
    parser.set_defaults(func=run)


def render(result: dict) -> str:
    return " ".join(token if label == "O" else f"{token}/{label}"
                    for token, label in zip(result["tokens"], result["labels"], strict=True))


def run(args) -> int:
    from rnncore.predict import ner

    return run_per_text(texts_from(args.text), lambda text: ner(text, args.arch), render, args.json)
