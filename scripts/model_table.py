"""Write the shipped models' held-out metrics into README.md, read from each checkpoint's JSON.

    python -m scripts.model_table          # rewrite the table between the README's markers
    python -m scripts.model_table --check  # exit 1 if the README's table differs from the JSON

The numbers are never typed: a test runs --check, so a retrained model with a stale README fails CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
MODELS = REPO / "assets" / "models"
START, END = "<!-- models:start -->", "<!-- models:end -->"


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _flat(record: dict, prefix: str = "") -> dict:
    """{"test": {"greedy": {"bleu": 30.1}}} -> {"test.greedy.bleu": 30.1}, every level; a flat record (the
    compare lab's) keeps its keys."""
    out = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        out[f"{prefix}{key}"] = value
    return out


def _rows(task: str) -> list[dict]:
    rows = []
    for path in sorted(MODELS.glob(f"{task}-*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        row = {"stem": path.stem}
        row.update(_flat(meta.get("metrics", {})))
        row["params"] = meta.get("params", row.get("params"))
        row["training_minutes"] = meta.get("training", {}).get("minutes")
        rows.append(row)
    return rows


TABLES = [
    ("Named entities (many-to-many)", "ner", [
        ("challenge typed F1", "challenge.entity_f1"), ("challenge name detection F1", "challenge.name_detection_f1"),
        ("held-out typed F1", "test.entity_f1"), ("held-out name detection F1", "test.name_detection_f1")]),
    ("Sentiment (many-to-one)", "sentiment", [
        ("challenge polarity", "challenge.polarity_accuracy"), ("challenge negation", "challenge.polarity_accuracy_negation"),
        ("challenge contrast", "challenge.polarity_accuracy_contrast"), ("held-out stars exact", "test.accuracy"),
        ("held-out polarity", "test.polarity_accuracy")]),
    ("Word language model (one-to-many)", "lm-word", [
        ("held-out perplexity", "test.perplexity"), ("prefers real order to shuffled", "test.prefers_real_order"),
        ("log P(apple and pear salad)", "test.log_p_apple_and_pear_salad"),
        ("log P(apple and pair salad)", "test.log_p_apple_and_pair_salad")]),
    ("Character language model on names", "lm-char", [
        ("held-out perplexity", "test.perplexity"), ("bigram baseline perplexity", "test.bigram_perplexity"),
        ("new names among 200 samples", "test.new_sample_share")]),
    ("Translation (encoder-decoder, T_x != T_y), corpus BLEU / chrF on the held-out Tatoeba test split", "translate", [
        ("test BLEU greedy", "test.greedy.bleu"), ("test BLEU beam", "test.beam.bleu"),
        ("test chrF beam", "test.beam.chrf"), ("test BLEU word by word", "test.word_by_word.bleu"),
        ("dev BLEU beam", "dev.beam.bleu"), ("training minutes", "training_minutes")]),
    ("Agreement (compare lab, many-to-one)", "agreement", [
        ("held-out accuracy at distance 30", "accuracy"), ("training seconds", "seconds")]),
]


def table() -> str:
    out = []
    for title, task, columns in TABLES:
        rows = _rows(task)
        if not rows:
            continue
        out += [f"**{title}**", "", "| model | parameters | " + " | ".join(c for c, _ in columns) + " |",
                "|---|---:|" + "---:|" * len(columns)]
        for row in rows:
            out.append(f"| `{row['stem']}` | {row['params']:,} | " + " | ".join(_fmt(row.get(k)) for _, k in columns) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def rewrite(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new = rewrite(text)
    if args.check:
        if new != text:
            print("README.md's model table is stale: run python -m scripts.model_table", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
