"""How the shipped sentiment classifiers are trained and scored: data, sizes, loss, metrics."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch
import torch.nn.functional as F

from rnncore.encoding import Encoder, collate, model_vocab
from rnncore.models import Classifier, ModelConfig
from rnncore.text import tokenize
from rnncore.training import (
    Progress,
    TrainConfig,
    batches_of,
    drop_words,
    fit,
    print_progress,
    round_metrics,
    save_trained,
    split_held_out,
)

CLASSROOM = Path(__file__).resolve().parent / "classroom.tsv"  # reviews written to exercise the lesson
SENTIMENT_SIZES = {"n_e": 48, "n_a": 64, "dropout": 0.3}


def sentiment_data(seed: int, data: Path | None, n_train: int = 20000):
    from rnncore.plaintext import read_labeled_lines
    from rnncore.tasks.sentiment.generate import generate_reviews

    if data is not None:
        reviews = read_labeled_lines(data)
        return split_held_out(reviews, seed)
    return (generate_reviews(n_train, seed, "train"), generate_reviews(1000, seed + 1, "dev"),
            generate_reviews(1500, seed + 2, "test"))


def read_classroom() -> list[tuple[str, int, str]]:
    """The hand-written classroom reviews (classroom.tsv beside this file): stars<TAB>phenomenon<TAB>text, '#' comments."""
    rows = []
    path = CLASSROOM
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            stars, phenomenon, text = line.split("\t", 2)
            rows.append((text, int(stars), phenomenon))
    return rows


def sentiment_metrics(model, meta: dict, reviews: Sequence[tuple]) -> dict:
    """:func:`~rnncore.tasks.sentiment.metrics.star_scores` of the model's most probable stars on
    (text, stars) or (text, stars, phenomenon) reviews."""
    from rnncore.tasks.sentiment.inference import star_probs
    from rnncore.tasks.sentiment.metrics import star_scores

    pred = []
    for k in range(0, len(reviews), 256):
        probs = star_probs(model, meta, [tokenize(r[0]) for r in reviews[k : k + 256]])
        pred += (probs.argmax(dim=1) + 1).tolist()
    phenomena = [r[2] for r in reviews] if reviews and len(reviews[0]) > 2 else None
    return round_metrics(star_scores([r[1] for r in reviews], pred, phenomena))


def train_sentiment(arch: str, out: Path | str, seed: int = 0, data: Path | None = None,
                    cfg: TrainConfig | None = None, progress: Progress | None = print_progress,
                    argv: Sequence[str] | None = None) -> dict:
    cfg = cfg or TrainConfig(epochs=25, batch_size=64, lr=3e-3, word_dropout=0.1, patience=4, seed=seed)
    train, dev, test = sentiment_data(seed, data)
    encoder = Encoder(model_vocab([tokenize(text) for text, _ in train]))
    config = ModelConfig(arch, len(encoder.words), SENTIMENT_SIZES["n_e"], SENTIMENT_SIZES["n_a"], 5,
                         dropout=SENTIMENT_SIZES["dropout"])
    torch.manual_seed(seed)
    model = Classifier(config)
    meta = {"task": "sentiment", "arch": arch, "labels": ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"],
            "encoder": encoder.to_dict()}
    generator = torch.Generator().manual_seed(seed)

    encoded = [(encoder.encode(tokenize(text)), stars - 1) for text, stars in train]

    def epoch_batches(rng):
        out = []
        for chunk in batches_of(encoded, cfg.batch_size, rng):
            batch = collate([inputs for inputs, _ in chunk])
            batch["ids"] = drop_words(batch["ids"], encoder.words.unk_id, cfg.word_dropout, generator)
            batch["y"] = torch.tensor([label for _, label in chunk])
            out.append(batch)
        return out

    def loss_of(model, batch):
        return F.cross_entropy(model(batch["ids"], batch["lengths"]), batch["y"])

    history = fit(model, epoch_batches, loss_of, lambda m: sentiment_metrics(m, meta, dev)["accuracy"], cfg, progress)
    metrics = {"test": sentiment_metrics(model, meta, test)}
    if data is None and CLASSROOM.exists():
        metrics["challenge"] = sentiment_metrics(model, meta, read_classroom())
    return save_trained(model, out, meta, metrics, history, cfg, argv, {"train_reviews": len(train)})
