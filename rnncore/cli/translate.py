"""`python -m rnncore translate [--source en|fr] [--arch gru|lstm] [--attention|--no-attention] [--beam K]
[--json] [TEXT ...]`: translate with a shipped encoder-decoder.

English -> French with attention by default; ``--source fr`` translates French into English. With no
TEXT, one text a line from standard input. ``--beam 1`` is greedy decoding; the default is the beam
width the model was scored with (its checkpoint's JSON). A combination that is not shipped ends in one
line and exit status 2 before any text is read.
"""

from __future__ import annotations

import argparse

from rnncore.cli import UserError, run_per_text, texts_from, whole_number


def add_parser(subparsers) -> None:
    from rnncore.tasks.translate.inference import MAX_BEAM

    parser = subparsers.add_parser("translate", help="translate English into French (or back) with an encoder-decoder")
    parser.add_argument("--source", choices=["en", "fr"], default="en",
                        help="the language of the text: en (into French, default) or fr (into English)")
    parser.add_argument("--arch", choices=["gru", "lstm"], default="gru", help="the encoder's and decoder's cell")
    parser.add_argument("--attention", action=argparse.BooleanOptionalAction, default=True,
                        help="the decoder attends to every encoder state (default), or reads only the summary")
    parser.add_argument("--beam", type=whole_number(1, MAX_BEAM, "a beam width"), metavar="K",
                        help=f"beam search with K hypotheses (1 = greedy; 1..{MAX_BEAM}; default: the model's)")
    parser.add_argument("--json", action="store_true", help="one JSON object per input line")
    parser.add_argument("text", nargs="*", help="the text (default: one per line from standard input)")
    parser.set_defaults(func=run)


def shipped_choices() -> list[str]:
    from rnncore.tasks import SHIPPED

    return [f"{task}-{arch}" for task, arch in SHIPPED if task.startswith("translate-")]


def run(args) -> int:
    from rnncore.checkpoint import CheckpointError
    from rnncore.tasks.translate import inference

    name = inference.stem(args.source, args.arch, args.attention)
    if not inference.is_shipped(name):
        shipped = ", ".join(n for n in shipped_choices() if inference.is_shipped(n)) or "none"
        raise UserError(f"{name} is not shipped (shipped: {shipped})")

    def compute(text: str) -> dict:
        try:
            return inference.translate(text, args.source, args.arch, args.attention, args.beam)
        except (ValueError, CheckpointError) as err:
            raise UserError(str(err)) from None

    return run_per_text(texts_from(args.text), compute, lambda r: r["translation"], args.json)
