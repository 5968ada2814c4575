"""How the shipped sentiment classifiers are trained and scored: film-review sentences and phrases from
the Stanford Sentiment Treebank, plus generated classroom reviews, rated 1 to 5 stars (the notes' stars
are SST-5's five classes).

Sources (under the data folder):

- reviews: SST-5 training sentences (``stsa.fine.train``), split by a stable hash into train (80%),
  dev (10%) and our own test (10%); the treebank's own dev and test are held back from this project;
- phrases: GLUE SST-2's labelled phrases of the same trees, positive or negative. Every phrase that
  occurs inside a dev or test sentence is dropped first (they come from the same trees); the rest are
  learnt on the same 5-way softmax as polarity: -log(P(1) + P(2)) for a negative phrase,
  -log(P(4) + P(5)) for a positive one;
- generated: rnncore's classroom reviews (negation, contrast, intensifiers, double negation...), with
  held-out frames for dev and test.

Two phases: the whole mix (the SST sentences twice an epoch), then a short fine-tuning at a lower
learning rate on the sentences, fresh generated reviews and a fifth of the phrases; the epoch with the
best dev score (mean of SST dev exact stars, SST dev polarity and generated dev polarity) is kept. A bias
on the 3-star logit, chosen on SST dev, keeps a polar sentence from being called neutral too often; it
is written into the model and the JSON. Rows of course words never met in training are set to the
<UNK> row. The bag-of-words baseline is fitted on exactly the same examples by the same command.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from rnncore import corpora
from rnncore.encoding import Encoder
from rnncore.models import Classifier, ModelConfig
from rnncore.plaintext import read_labeled_lines_tagged
from rnncore.text import course_vocab, known_word_tokens
from rnncore.training import (
    Progress,
    TrainConfig,
    cpu_minutes_since,
    out_of_time,
    print_progress,
    round_metrics,
    round_to_half,
    save_trained,
    split_held_out,
    split_of,
)

CLASSROOM = Path(__file__).resolve().parent / "classroom.tsv"  # reviews written to exercise the lesson
LABELS = ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
SENTIMENT_SIZES = {"n_e": 100, "n_a": 128, "dropout": 0.3}
CONFIG = TrainConfig(epochs=8, batch_size=64, lr=2e-3, clip=5.0, patience=3, word_dropout=0.1, max_minutes=15.0)
FINE_TUNE = {"epochs": 3, "lr": 5e-4, "generated": 20000, "phrase_share": 0.2}
GENERATED = {"train": 20000, "dev": 1000, "test": 2000}
SST_COPIES = 2  # the sentences are few beside the phrases: seen twice an epoch
FILES = {"reviews": "sentiment/sst/stsa.fine.train", "phrases": "sentiment/sst/sst2.train.tsv"}
WHAT = {"reviews": "SST-5 sentences (film reviews, Rotten Tomatoes)", "phrases": "GLUE SST-2 phrases",
        "generated": "rnncore's generated classroom reviews"}
STARS, POLARITY = 0, 1  # the two kinds of target

Review = tuple  # (text, stars 1..5) or (text, stars, phenomenon)


def read_classroom() -> list[tuple[str, int, str]]:
    """The hand-written classroom reviews (classroom.tsv beside this file): stars<TAB>phenomenon<TAB>text."""
    return [(text, stars, phenomenon) for text, stars, phenomenon in read_labeled_lines_tagged(CLASSROOM)]


def _norm(text: str) -> str:
    return " " + re.sub(r"\s+", " ", text.lower()).strip() + " "


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def phrases_outside(phrases: Sequence[tuple[str, int]], held_out: Sequence[str]) -> tuple[list, dict]:
    """The phrases that occur in no held-out sentence (as whole words, or letters and digits only)."""
    words = "\n".join(_norm(t) for t in held_out)
    letters = "\n".join(_letters(t) for t in held_out)
    kept, dropped = [], 0
    for text, label in phrases:
        if _norm(text) in words or (_letters(text) and _letters(text) in letters):
            dropped += 1
        else:
            kept.append((text, label))
    return kept, {"phrases": len(phrases), "dropped_as_held_out": dropped, "kept": len(kept)}


def sources(data_dir: Path | None, data: Sequence[Path] = (), seed: int = 0) -> tuple[dict, list, dict]:
    """source -> split -> reviews, the training phrases, and the phrase filter's counts."""
    from rnncore.plaintext import read_labeled_lines
    from rnncore.tasks.sentiment.generate import generate_reviews_tagged

    if data:
        splits = {Path(p).stem: dict(zip(("train", "dev", "test"), split_held_out(read_labeled_lines(p), seed),
                                         strict=True)) for p in data}
        return splits, [], {}
    path = data_dir / FILES["reviews"]
    if not path.is_file():
        raise ValueError(f"{path}: not found (the SST-5 sentences; see the README's Data section)")
    reviews: dict[str, list] = {"train": [], "dev": [], "test": []}
    for text, stars in corpora.read_sst5(path):
        reviews[split_of(text, "sentiment-sst", 0.1, 0.1)].append((text, stars))
    phrase_path = data_dir / FILES["phrases"]
    if not phrase_path.is_file():
        raise ValueError(f"{phrase_path}: not found (the SST-2 phrases; see the README's Data section)")
    phrases, filtered = phrases_outside(corpora.read_sst2(phrase_path),
                                        [t for t, _ in reviews["dev"] + reviews["test"]])
    generated = {split: generate_reviews_tagged(n, seed + k, split) for k, (split, n) in enumerate(GENERATED.items())}
    return {"reviews": reviews, "generated": generated}, phrases, filtered


def ids_of(text: str) -> list[int]:
    return course_vocab().encode(known_word_tokens(text)) or [course_vocab().unk_id]


def examples(splits: dict, phrases: Sequence, copies: int = SST_COPIES) -> list[tuple[list[int], int, int]]:
    """(ids, kind, target): target is stars - 1 for STARS, 0 negative / 1 positive for POLARITY."""
    out = []
    for name, parts in splits.items():
        out += [(ids_of(r[0]), STARS, r[1] - 1) for r in parts["train"]] * (copies if name == "reviews" else 1)
    out += [(ids_of(text), POLARITY, label) for text, label in phrases]
    return out


def epoch_batches(items: Sequence, batch_size: int, rng: random.Random, phrase_share: float = 1.0) -> list[list]:
    chosen = [item for item in items if item[1] == STARS or phrase_share >= 1.0 or rng.random() < phrase_share]
    rng.shuffle(chosen)
    batches, span = [], batch_size * 50
    for k in range(0, len(chosen), span):
        chunk = sorted(chosen[k : k + span], key=lambda item: len(item[0]))
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def loss_of(model: Classifier, batch: Sequence, unk_id: int, word_dropout: float, generator: torch.Generator):
    """Cross-entropy of the stars, or of the polarity marginal for a phrase, on the one 5-way softmax."""
    lengths = torch.tensor([len(ids) for ids, _, _ in batch])
    x = torch.zeros(len(batch), int(lengths.max()), dtype=torch.long)  # (m, T_x)
    for i, (ids, _, _) in enumerate(batch):
        x[i, : len(ids)] = torch.tensor(ids)
    hit = (torch.rand(x.shape, generator=generator) < word_dropout) & (x > 0)
    x = torch.where(hit, torch.full_like(x, unk_id), x)
    log_p = F.log_softmax(model(x, lengths), dim=-1)  # (m, 5)
    kind = torch.tensor([k for _, k, _ in batch])
    y = torch.tensor([t for _, _, t in batch])
    star_nll = -log_p.gather(1, y.clamp(max=4)[:, None])[:, 0]
    polarity_nll = -torch.where(y == 1, torch.logsumexp(log_p[:, 3:], dim=1), torch.logsumexp(log_p[:, :2], dim=1))
    return torch.where(kind == STARS, star_nll, polarity_nll).mean()


@torch.no_grad()
def logits_of(model: Classifier, texts: Sequence[str], batch_size: int = 256) -> torch.Tensor:
    """W_ya a<T_x> + b_y for every text: (m, 5)."""
    model.eval()
    seqs = [ids_of(t) for t in texts]
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out = torch.zeros(len(seqs), 5)
    for k in range(0, len(order), batch_size):
        rows = order[k : k + batch_size]
        lengths = torch.tensor([len(seqs[i]) for i in rows])
        x = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)
        for j, i in enumerate(rows):
            x[j, : len(seqs[i])] = torch.tensor(seqs[i])
        out[rows] = model(x, lengths)
    return out


def star_figures(gold: Sequence[int], pred: Sequence[int], phenomena: Sequence[str] | None = None) -> dict:
    """:func:`~rnncore.tasks.sentiment.metrics.star_scores` plus binary polarity on the polar reviews
    (a predicted 3 counts as wrong) and how often a polar review was called neutral."""
    from rnncore.tasks.sentiment.metrics import polarity, star_scores

    scores = star_scores(gold, pred, phenomena)
    polar = [(g, p) for g, p in zip(gold, pred, strict=True) if g != 3]
    scores["binary_polarity"] = sum(polarity(g) == polarity(p) for g, p in polar) / max(len(polar), 1)
    scores["neutral_on_polar"] = sum(p == 3 for _, p in polar) / max(len(polar), 1)
    scores["polar_reviews"] = len(polar)
    return round_metrics(scores)


def sentiment_metrics(model, meta: dict, reviews: Sequence[Review]) -> dict:
    pred = (logits_of(model, [r[0] for r in reviews]).argmax(dim=1) + 1).tolist()
    phenomena = [r[2] for r in reviews] if reviews and len(reviews[0]) > 2 else None
    return star_figures([r[1] for r in reviews], pred, phenomena)


def dev_figure(sst: dict, generated: dict) -> float:
    """The one dev number: the mean of SST dev exact stars, SST dev binary polarity and generated dev
    polarity, from :func:`star_figures` dicts. It picks each model's epoch (before the neutral bias) and,
    on the shipped models' dev figures (after it), the default architecture."""
    return (sst["accuracy"] + sst["binary_polarity"] + generated["polarity_accuracy"]) / 3


def dev_score(model: Classifier, splits: dict) -> float:
    scores = [sentiment_metrics(model, {}, parts["dev"]) for parts in splits.values() if parts["dev"]]
    named = dict(zip(splits, scores, strict=False))
    if "reviews" in named:
        return dev_figure(named["reviews"], named.get("generated", named["reviews"]))
    return sum(s["accuracy"] for s in scores) / len(scores)


def neutral_bias(model: Classifier, dev: Sequence[Review]) -> float:
    """The bias on the 3-star logit, from -3 to 0 in steps of 0.2, with the best mean of exact-star and
    binary-polarity accuracy on dev (0 when no bias helps)."""
    logits = logits_of(model, [r[0] for r in dev])
    gold = [r[1] for r in dev]
    best, best_score = 0.0, -1.0
    for step in range(0, 16):
        bias = -0.2 * step
        shifted = logits.clone()
        shifted[:, 2] += bias
        figures = star_figures(gold, (shifted.argmax(dim=1) + 1).tolist())
        score = (figures["accuracy"] + figures["binary_polarity"]) / 2
        if score > best_score + 1e-9:
            best, best_score = bias, score
    return round(best, 2)


def run_epochs(model, items, cfg, lr, epochs, phrase_share, rng, generator, splits, record, progress, began,
               best, max_minutes, phase: int) -> None:
    """Adam over ``items`` for up to ``epochs`` epochs (patience cfg.patience), keeping in ``best`` the
    [dev score, weights] of the best epoch seen so far, across phases."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    stale = 0
    for epoch in range(1, epochs + 1):
        if out_of_time(began, max_minutes):
            break
        start, total, count = time.perf_counter(), 0.0, 0
        model.train()
        for batch in epoch_batches(items, cfg.batch_size, rng, phrase_share):
            optimizer.zero_grad()
            loss = loss_of(model, batch, course_vocab().unk_id, cfg.word_dropout, generator)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            optimizer.step()
            total, count = total + loss.item(), count + 1
        score = dev_score(model, splits)
        event = {"phase": phase, "epoch": epoch,
                 "loss": total / max(count, 1), "dev": score, "seconds": time.perf_counter() - start}
        record.append(event)
        if progress:
            progress(event)
        if score > best[0]:
            best[0], best[1], stale = score, {k: v.detach().clone() for k, v in model.state_dict().items()}, 0
        else:
            stale += 1
            if stale >= cfg.patience:
                break


def train_sentiment(arch: str, out: Path | str, seed: int = 0, data_dir: Path | None = None,
                    data: Sequence[Path] = (), cfg: TrainConfig | None = None,
                    progress: Progress | None = print_progress, argv: Sequence[str] | None = None) -> dict:
    """Train ``sentiment-<arch>`` and save it with its figures per source beside the bag of words'."""
    from rnncore.tasks.sentiment.generate import generate_reviews_tagged

    cfg = cfg or TrainConfig(**{**CONFIG.__dict__, "seed": seed})
    began, began_wall = time.process_time(), time.perf_counter()
    splits, phrases, filtered = sources(data_dir, data, seed)
    items = examples(splits, phrases)
    vocab = course_vocab()
    config = ModelConfig(arch, len(vocab), SENTIMENT_SIZES["n_e"], SENTIMENT_SIZES["n_a"], 5,
                         dropout=SENTIMENT_SIZES["dropout"])
    torch.manual_seed(seed)
    model = Classifier(config)
    rng, generator = random.Random(seed), torch.Generator().manual_seed(seed)
    record: list[dict] = []
    best = [-math.inf, None]
    run_epochs(model, items, cfg, cfg.lr, cfg.epochs, 1.0, rng, generator, splits, record, progress, began, best,
               cfg.max_minutes, phase=1)
    seen = Counter(i for ids, _, _ in items for i in ids)
    if not data:  # phase 2: the sentences, fresh generated reviews, a share of the phrases
        model.load_state_dict(best[1])
        fresh = generate_reviews_tagged(FINE_TUNE["generated"], seed + 10, "train")
        tune = [(ids_of(r[0]), STARS, r[1] - 1) for r in splits["reviews"]["train"] + fresh]
        tune += [item for item in items if item[1] == POLARITY]
        seen.update(i for ids, _, _ in tune for i in ids)
        run_epochs(model, tune, cfg, FINE_TUNE["lr"], FINE_TUNE["epochs"], FINE_TUNE["phrase_share"], rng,
                   generator, splits, record, progress, began, best, None, phase=2)
    model.load_state_dict(best[1])
    model.eval()
    unseen = [i for i in range(1, len(vocab)) if i not in seen and i != vocab.unk_id]
    with torch.no_grad():
        model.E.weight[unseen] = model.E.weight[vocab.unk_id].clone()  # never trained: read them as <UNK>
    dev_reviews = splits["reviews"]["dev"] if "reviews" in splits else next(iter(splits.values()))["dev"]
    bias = neutral_bias(model, dev_reviews) if not data else 0.0
    with torch.no_grad():
        model.out.bias[2] += bias
    meta = {"task": "sentiment", "arch": arch, "labels": LABELS, "encoder": Encoder(vocab, known_words=True).to_dict(),
            "neutral_bias": bias,
            "unseen_rows_set_to_unk": len(unseen)}
    round_to_half(model)
    metrics = evaluate(model, splits)
    bow = fit_baseline(splits, phrases, seed)
    metrics["baseline"] = evaluate_baseline(bow, splits)
    meta["sources"] = [{"name": name, "what": WHAT.get(name, "your own file"), "train": len(parts["train"]),
                        "dev": len(parts["dev"]), "test": len(parts["test"])} for name, parts in splits.items()]
    if phrases:
        meta["sources"].append({"name": "phrases", "what": WHAT["phrases"], "train": len(phrases), "dev": 0,
                                "test": 0, **filtered})
    total = sum(s["train"] * (SST_COPIES if s["name"] == "reviews" else 1) for s in meta["sources"])
    for s in meta["sources"]:
        s["share"] = round(s["train"] * (SST_COPIES if s["name"] == "reviews" else 1) / total, 4)
    history = {"epochs": [{k: round(v, 4) if isinstance(v, float) else v for k, v in e.items()} for e in record]}
    sizes = {"train_examples": len(items), "minutes": round((time.perf_counter() - began_wall) / 60, 2),
             "cpu_minutes": cpu_minutes_since(began),
             "fine_tune": FINE_TUNE if not data else None}
    return save_trained(model, out, meta, metrics, history, cfg, argv, sizes, half=True)


def evaluate(model: Classifier, splits: dict) -> dict:
    metrics = {}
    for part in ("test", "dev"):
        for name, parts in splits.items():
            if parts[part]:
                metrics[f"{name}/{part}"] = sentiment_metrics(model, {}, parts[part])
    if CLASSROOM.exists():
        metrics["classroom"] = sentiment_metrics(model, {}, read_classroom())
    return metrics


def fit_baseline(splits: dict, phrases: Sequence, seed: int):
    """The bag of words on exactly the training examples (phrases as 2 or 4 stars: it has one 5-way fit)."""
    from rnncore.tasks.sentiment.bow import BagOfWords

    texts, stars = [], []
    for name, parts in splits.items():
        copies = SST_COPIES if name == "reviews" else 1
        texts += [r[0] for r in parts["train"]] * copies
        stars += [r[1] for r in parts["train"]] * copies
    texts += [t for t, _ in phrases]
    stars += [4 if label else 2 for _, label in phrases]
    return BagOfWords(seed=seed).fit(texts, stars)


def evaluate_baseline(bow, splits: dict) -> dict:
    figures = {}
    for part in ("test", "dev"):
        for name, parts in splits.items():
            reviews = parts[part]
            if reviews:
                phenomena = [r[2] for r in reviews] if len(reviews[0]) > 2 else None
                figures[f"{name}/{part}"] = star_figures([r[1] for r in reviews], bow.predict([r[0] for r in reviews]),
                                                         phenomena)
    if CLASSROOM.exists():
        classroom = read_classroom()
        figures["classroom"] = star_figures([r[1] for r in classroom], bow.predict([r[0] for r in classroom]),
                                            [r[2] for r in classroom])
    return figures
