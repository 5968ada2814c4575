"""`python -m rnncore ner [--arch rnn|gru|lstm|birnn] [--json] [TEXT ...]`: named-entity tags."""

from __future__ import annotations

from rnncore.cli import add_model_text_parser, run_per_text, texts_from


def add_parser(subparsers) -> None:
    from rnncore.tasks.ner.inference import NER_DEFAULT

    add_model_text_parser(subparsers, "ner", help="tag named entities (BIO over PER, LOC, ORG)",
                          default_arch=NER_DEFAULT, run=run)


def render(result: dict) -> str:
    return " ".join(token if label == "O" else f"{token}/{label}"
                    for token, label in zip(result["tokens"], result["labels"], strict=True))


def run(args) -> int:
    from rnncore.tasks.ner.inference import ner

    return run_per_text(texts_from(args.text), lambda text: ner(text, args.arch), render, args.json)
