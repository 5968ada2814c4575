"""`python -m rnncore onehot [--json] TEXT`: tokens, course-vocabulary indices and the one-hot rows."""

from __future__ import annotations

from rnncore.cli import run_per_text, texts_from


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("onehot", help="tokens x<t>, their index in the 10,000-word vocabulary, one-hot")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("text", nargs="*")
    parser.set_defaults(func=run)


def encode(text: str) -> dict:
    from rnncore.text import course_vocab, tokenize

    vocab = course_vocab()
    tokens = tokenize(text)
    ids = vocab.encode(tokens)
    return {"text": text, "tokens": tokens, "indices": ids, "unknown": [i == vocab.unk_id for i in ids],
            "T_x": len(tokens), "V": vocab.V,
            "one_hot_nonzero": [[t, i - 1] for t, i in enumerate(ids)]}


def render(r: dict) -> str:
    rows = [f"T_x = {r['T_x']}, V = {r['V']:,}"]
    for t, (token, index, unk) in enumerate(zip(r["tokens"], r["indices"], r["unknown"], strict=True), 1):
        rows.append(f"x<{t}> = {token!r:>16}  index {index:>6}{'  <UNK>' if unk else ''}")
    return "\n".join(rows)


def run(args) -> int:
    return run_per_text(texts_from(args.text), encode, render, args.json)
