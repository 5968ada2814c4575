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


def _flatten(record: dict, prefix: str = "") -> dict:
    """{"news/test": {"entity_f1": 0.8}} -> {"news/test.entity_f1": 0.8}, at any depth."""
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _rows(task: str) -> list[dict]:
    rows = []
    for path in sorted(MODELS.glob(f"{task}-*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        row = {"stem": path.stem, **_flatten(meta.get("metrics", {}))}
        row["params"] = meta.get("params", row.get("params"))
        row["training_minutes"] = meta.get("training", {}).get("minutes")
        rows.append(row)
    return rows


def _value(row: dict, key: str):
    """A figure by its flattened key; a key ending in "*" takes the first key that starts with it (the
    autoregression's order is part of its name: "baselines.ar(21).mae")."""
    if key.endswith("*"):
        head, _, tail = key[:-1].rpartition("|")
        return next((v for k, v in row.items() if k.startswith(head) and k.endswith(tail)), None)
    return row.get(key)


TABLES = [
    ("Named entities (many-to-many): typed F1 over PER/LOC/ORG on held-out test sentences", "ner", [
        ("news", "news/test.entity_f1"), ("news, baseline", "baseline.news/test.entity_f1"),
        ("web (UNER EWT)", "web/test.entity_f1"), ("web, baseline", "baseline.web/test.entity_f1"),
        ("social (WNUT-17)", "social/test.entity_f1"), ("generated", "generated/test.entity_f1"),
        ("classroom", "classroom.entity_f1"), ("classroom name detection", "classroom.name_detection_f1")]),
    ("Sentiment (many-to-one)", "sentiment", [
        ("SST-5 exact stars", "reviews/test.accuracy"), ("SST binary polarity", "reviews/test.binary_polarity"),
        ("baseline exact", "baseline.reviews/test.accuracy"),
        ("baseline binary", "baseline.reviews/test.binary_polarity"),
        ("generated negation", "generated/test.polarity_accuracy_negation"),
        ("baseline negation", "baseline.generated/test.polarity_accuracy_negation"),
        ("generated contrast", "generated/test.polarity_accuracy_contrast"),
        ("baseline contrast", "baseline.generated/test.polarity_accuracy_contrast"),
        ("classroom polarity", "classroom.polarity_accuracy")]),
    ("Word language model (one-to-many): held-out perplexity, all sources", "lm-word", [
        ("perplexity", "all/test.perplexity"), ("Kneser-Ney trigram", "all/test.kneser_ney_perplexity"),
        ("ratio", "all/test.ratio_to_kneser_ney"), ("ratio, everyday", "everyday/test.ratio_to_kneser_ney"),
        ("ratio, reviews", "reviews/test.ratio_to_kneser_ney"), ("ratio, news", "news/test.ratio_to_kneser_ney"),
        ("ratio, encyclopedia", "encyclopedia/test.ratio_to_kneser_ney"),
        ("prefers real order", "all/test.prefers_real_order"),
        ("log P(apple and pear salad)", "classroom.log_p_apple_and_pear_salad"),
        ("log P(apple and pair salad)", "classroom.log_p_apple_and_pair_salad")]),
    ("Character language model on names.txt: test loss per character (nats)", "lm-char", [
        ("model", "names/test.loss_per_char"), ("bigram baseline", "names/test.bigram_loss_per_char"),
        ("below the bigram", "names/test.loss_below_bigram"), ("new names among samples", "samples.new_share")]),
    ("Forecasting: one-step error on each series' test period", "forecast", [
        ("MAE", "test.mae"), ("RMSE", "test.rmse"), ("persistence MAE", "baselines.persistence.mae"),
        ("seasonal naive MAE", "baselines.seasonal_naive.mae"), ("AR(p) MAE", "baselines.ar(|.mae*")]),
    ("Translation (encoder-decoder, T_x != T_y), corpus BLEU / chrF on the held-out Tatoeba test split", "translate", [
        ("test BLEU greedy", "test.greedy.bleu"), ("test BLEU beam", "test.beam.bleu"),
        ("test chrF beam", "test.beam.chrf"), ("test BLEU word by word", "test.word_by_word.bleu"),
        ("dev BLEU beam", "dev.beam.bleu"), ("training minutes", "training_minutes")]),
    ("Agreement (compare lab, many-to-one)", "agreement", [
        ("held-out accuracy at distance 30", "accuracy"), ("at distance 1", "accuracy_by_distance.1"),
        ("training seconds", "seconds")]),
]


def _defaults() -> set[str]:
    """The stems the command line runs when no --arch is given, marked in the tables."""
    from rnncore.tasks.ner.inference import NER_DEFAULT
    from rnncore.tasks.sentiment.inference import SENTIMENT_DEFAULT

    return {f"ner-{NER_DEFAULT}", f"sentiment-{SENTIMENT_DEFAULT}"}


def table() -> str:
    out, defaults = [], _defaults()
    for title, task, columns in TABLES:
        rows = _rows(task)
        if not rows:
            continue
        out += [f"**{title}**", "", "| model | parameters | " + " | ".join(c for c, _ in columns) + " |",
                "|---|---:|" + "---:|" * len(columns)]
        for row in rows:
            name = f"`{row['stem']}`" + (" (default)" if row["stem"] in defaults else "")
            out.append(f"| {name} | {row['params']:,} | " + " | ".join(_fmt(_value(row, k)) for _, k in columns) + " |")
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
