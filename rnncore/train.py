"""Training: one loop for every model, and a builder per shipped checkpoint.

``python -m rnncore train all`` rebuilds every file in assets/models from
scratch: seeded corpora, seeded initialisation, the same numbers on every run
on the same machine.  Each builder evaluates on the held-out split (whole
frames and name lists never seen in training) and on the hand-written
challenge sets in tests/challenge/, and writes those metrics, the vocabulary,
the labels and the exact command into the checkpoint's JSON.
"""

from __future__ import annotations

import math
import random
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from rnncore import checkpoint
from rnncore.encoding import SHAPE_FEATURES, Encoder, char_vocab, collate, model_vocab, pad_labels
from rnncore.models import Classifier, LanguageModel, ModelConfig, Tagger, count_parameters
from rnncore.text import Vocab, tokenize

REPO = Path(__file__).resolve().parent.parent
CHALLENGE = REPO / "tests" / "challenge"
Progress = Callable[[dict], None]


@dataclass
class TrainConfig:
    epochs: int = 8
    batch_size: int = 32
    lr: float = 2e-3
    clip: float = 5.0  # gradient norm
    seed: int = 0
    patience: int = 3  # epochs without a better dev score before stopping early
    word_dropout: float = 0.0  # share of word ids replaced by <UNK> while training (Lample et al., 2016)


def set_threads() -> int:
    """Use the CPUs this process may run on (a container may allow fewer than the machine has),
    or RNNLAB_THREADS of them: two trainings side by side run faster with one thread each."""
    import os

    n = int(os.environ.get("RNNLAB_THREADS", 0)) or max(1, len(os.sched_getaffinity(0)))
    torch.set_num_threads(n)
    return n


def print_progress(event: dict) -> None:
    parts = [f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in event.items()]
    print("  " + " ".join(parts), file=sys.stderr, flush=True)


def fit(
    model: nn.Module,
    train_batches: Callable[[random.Random], list[dict]],
    loss_of: Callable[[nn.Module, dict], torch.Tensor],
    dev_score: Callable[[nn.Module], float],
    cfg: TrainConfig,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Adam with gradient clipping and early stopping on a dev score (higher is better).

    ``train_batches(rng)`` gives one epoch of batches, shuffled by ``rng``.
    Returns the history; the model ends with the weights of its best dev epoch.
    """
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    best, best_state, stale, history = -math.inf, None, 0, []
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        start, total, n = time.perf_counter(), 0.0, 0
        for batch in train_batches(rng):
            optimizer.zero_grad()
            loss = loss_of(model, batch)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), cfg.clip)
            optimizer.step()
            total, n = total + loss.item(), n + 1
            if should_stop and should_stop():
                break
        model.eval()
        score = dev_score(model)
        event = {"epoch": epoch, "loss": total / max(n, 1), "dev": score, "seconds": time.perf_counter() - start}
        history.append(event)
        if progress:
            progress(event)
        if score > best:
            best, stale = score, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            stale += 1
        if stale >= cfg.patience or (should_stop and should_stop()):
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return {"epochs": history, "best_dev": best}


def batches_of(items: Sequence, batch_size: int, rng: random.Random | None) -> list[list]:
    order = list(range(len(items)))
    if rng is not None:
        rng.shuffle(order)
    return [[items[i] for i in order[k : k + batch_size]] for k in range(0, len(order), batch_size)]


def drop_words(ids: torch.Tensor, unk_id: int, p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """Replace a share p of the real word ids by <UNK>, so the model learns to tag from context."""
    if p <= 0:
        return ids
    hit = (torch.rand(ids.shape, generator=generator) < p) & (ids > 0)
    return torch.where(hit, torch.full_like(ids, unk_id), ids)


def command_line(argv: Sequence[str] | None = None) -> str:
    return "python -m rnncore " + shlex.join(argv if argv is not None else sys.argv[1:])


def _round(metrics: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()}


# -- named entities -------------------------------------------------------------------------------

NER_SIZES = {"n_e": 64, "n_a": 64, "n_char_e": 16, "n_char_filters": 32, "dropout": 0.25}


def ner_data(seed: int, data: Path | None, n_train: int = 14000):
    from rnncore.data.conll import read_conll
    from rnncore.data.ner import LABELS, generate_ner

    if data is not None:
        sentences = read_conll(data, labels=LABELS)
        random.Random(seed).shuffle(sentences)
        cut = max(1, len(sentences) // 10)
        return sentences[cut:], sentences[:cut], sentences[:cut]
    return (
        generate_ner(n_train, seed, "train"),
        generate_ner(1000, seed + 1, "dev"),
        generate_ner(1500, seed + 2, "test"),
    )


def ner_metrics(model, meta: dict, sentences) -> dict:
    from rnncore.metrics import entity_f1, name_detection_f1
    from rnncore.predict import tag_tokens

    gold = [tags for _, tags in sentences]
    pred = []
    for k in range(0, len(sentences), 256):
        pred += [labels for labels, _, _ in tag_tokens(model, meta, [t for t, _ in sentences[k : k + 256]])]
    typed = entity_f1(gold, pred)
    return _round({"entity_f1": typed["f1"], "entity_precision": typed["precision"],
                   "entity_recall": typed["recall"], "name_detection_f1": name_detection_f1(gold, pred)["f1"],
                   "sentences": len(sentences)})


def train_ner(arch: str, out: Path | str, seed: int = 0, data: Path | None = None, cfg: TrainConfig | None = None,
              progress: Progress | None = print_progress, argv: Sequence[str] | None = None) -> dict:
    from rnncore.data.conll import read_conll
    from rnncore.data.ner import LABELS

    cfg = cfg or TrainConfig(epochs=10, batch_size=64, lr=3e-3, word_dropout=0.25, seed=seed)
    train, dev, test = ner_data(seed, data, n_train=20000)  # 20,000 generated sentences: held-out F1 +0.03 over 14,000
    labels = list(LABELS)
    label_id = {label: i for i, label in enumerate(labels)}
    token_lists = [tokens for tokens, _ in train]
    encoder = Encoder(model_vocab(token_lists), char_vocab(token_lists), features=True)
    config = ModelConfig(arch, len(encoder.words), NER_SIZES["n_e"], NER_SIZES["n_a"], len(labels),
                         n_char_vocab=len(encoder.chars), n_char_e=NER_SIZES["n_char_e"],
                         n_char_filters=NER_SIZES["n_char_filters"], n_features=len(SHAPE_FEATURES),
                         dropout=NER_SIZES["dropout"])
    torch.manual_seed(seed)
    model = Tagger(config)
    meta = {"task": "ner", "arch": arch, "labels": labels, "encoder": encoder.to_dict()}
    generator = torch.Generator().manual_seed(seed)

    # Encode once: shape features and character ids are the slow part of a batch.
    encoded = [(encoder.encode(tokens), [label_id[t] for t in tags]) for tokens, tags in train]

    def epoch_batches(rng):
        out = []
        for chunk in batches_of(encoded, cfg.batch_size, rng):
            batch = collate([inputs for inputs, _ in chunk])
            batch["ids"] = drop_words(batch["ids"], encoder.words.unk_id, cfg.word_dropout, generator)
            batch["y"] = pad_labels([labels for _, labels in chunk], batch["ids"].shape[1])
            out.append(batch)
        return out

    def loss_of(model, batch):
        y = batch.pop("y")
        logits = model(**batch)  # (m, T_x, n_y)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)

    dev_encoded = [encoder.encode(tokens) for tokens, _ in dev]

    def dev_f1(model) -> float:
        """Typed entity F1 of the argmax tags on the dev split (Viterbi only for the reported metrics)."""
        from rnncore.metrics import entity_f1

        pred = []
        with torch.no_grad():
            for k in range(0, len(dev_encoded), 256):
                chunk = dev_encoded[k : k + 256]
                best = model(**collate(chunk)).argmax(dim=-1)  # (m, T_x)
                pred += [[labels[j] for j in best[i, : len(e["ids"])].tolist()] for i, e in enumerate(chunk)]
        return entity_f1([tags for _, tags in dev], pred)["f1"]

    history = fit(model, epoch_batches, loss_of, dev_f1, cfg, progress)
    metrics = {"test": ner_metrics(model, meta, test)}
    challenge = CHALLENGE / "ner.conll"
    if data is None and challenge.exists():
        metrics["challenge"] = ner_metrics(model, meta, read_conll(challenge))
    return _finish(model, out, meta, metrics, history, cfg, argv, {"train_sentences": len(train)})


# -- sentiment ------------------------------------------------------------------------------------

SENTIMENT_SIZES = {"n_e": 48, "n_a": 64, "dropout": 0.3}


def sentiment_data(seed: int, data: Path | None, n_train: int = 20000):
    from rnncore.data.plaintext import read_labeled_lines
    from rnncore.data.sentiment import generate_reviews

    if data is not None:
        reviews = read_labeled_lines(data)
        random.Random(seed).shuffle(reviews)
        cut = max(1, len(reviews) // 10)
        return reviews[cut:], reviews[:cut], reviews[:cut]
    return (generate_reviews(n_train, seed, "train"), generate_reviews(1000, seed + 1, "dev"),
            generate_reviews(1500, seed + 2, "test"))


def read_sentiment_challenge() -> list[tuple[str, int, str]]:
    """tests/challenge/sentiment.tsv: stars<TAB>phenomenon<TAB>text, '#' comments."""
    rows = []
    path = CHALLENGE / "sentiment.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            stars, phenomenon, text = line.split("\t", 2)
            rows.append((text, int(stars), phenomenon))
    return rows


def sentiment_metrics(model, meta: dict, reviews: Sequence[tuple]) -> dict:
    from rnncore.metrics import polarity_accuracy
    from rnncore.predict import star_probs

    gold = [r[1] for r in reviews]
    pred = []
    for k in range(0, len(reviews), 256):
        probs = star_probs(model, meta, [tokenize(r[0]) for r in reviews[k : k + 256]])
        pred += (probs.argmax(dim=1) + 1).tolist()
    exact = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    within_one = sum(abs(g - p) <= 1 for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)
    result = {"accuracy": exact, "within_one_star": within_one, "polarity_accuracy": polarity_accuracy(gold, pred),
              "reviews": len(reviews)}
    if reviews and len(reviews[0]) > 2:  # per phenomenon (negation, contrast, ...)
        for phenomenon in sorted({r[2] for r in reviews}):
            idx = [i for i, r in enumerate(reviews) if r[2] == phenomenon]
            result[f"polarity_accuracy_{phenomenon}"] = polarity_accuracy([gold[i] for i in idx], [pred[i] for i in idx])
    return _round(result)


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
    if data is None and (CHALLENGE / "sentiment.tsv").exists():
        metrics["challenge"] = sentiment_metrics(model, meta, read_sentiment_challenge())
    return _finish(model, out, meta, metrics, history, cfg, argv, {"train_reviews": len(train)})


BOW_STEM = "bow-sentiment"  # not sentiment-*: scripts/model_table.py lists those as the RNN classifiers


def fit_bag_of_words(seed: int = 0, data: Path | None = None):
    """The sentiment lesson's order-blind baseline (:class:`rnncore.baselines.BagOfWords`), fitted on the
    training reviews of the shipped sentiment models (:func:`sentiment_data`) and scored on their test
    split and on the challenge set. Returns ``(model, meta)``, meta as its JSON keeps it (no command).

    One thread: the full-batch steps are small, and the figures are then those of the app's one-thread
    server, where this also runs when the shipped file is missing. The caller's setting is put back.
    """
    from rnncore.compare import torch_threads
    from rnncore.lessons_models import bag_of_words_parameters, bag_of_words_scores, train_bag_of_words

    start = time.perf_counter()
    train, _, test = sentiment_data(seed, data)
    with torch_threads(1):
        model = train_bag_of_words(seed, train)
    metrics = {"test": bag_of_words_scores(model, test)}
    if data is None and (CHALLENGE / "sentiment.tsv").exists():
        metrics["challenge"] = bag_of_words_scores(model, read_sentiment_challenge())
    meta = {
        "task": "sentiment",
        "metrics": metrics,
        "reviews": len(train),
        "parameters": bag_of_words_parameters(model),
        "seconds": round(time.perf_counter() - start, 2),
    }
    return model, meta


def train_bag_of_words(out: Path | str, seed: int = 0, data: Path | None = None,
                       argv: Sequence[str] | None = None) -> dict:
    """:func:`fit_bag_of_words`, saved as ``out``.safetensors + .json with its command; returns the JSON record."""
    model, meta = fit_bag_of_words(seed, data)
    meta["command"] = command_line(argv)
    model.save(out, **meta)
    return meta


# -- language models ------------------------------------------------------------------------------

LM_SIZES = {"word": {"n_e": 96, "n_a": 96, "dropout": 0.2}, "char": {"n_e": 48, "n_a": 96, "dropout": 0.1}}


def lm_data(level: str, seed: int, data: Path | None):
    """Sequences of units (words or lowercase characters) for train, dev and test."""
    if data is not None:
        from rnncore.data.plaintext import read_lines

        lines = read_lines(data)
        random.Random(seed).shuffle(lines)
        cut = max(1, len(lines) // 10)
        split = lines[cut:], lines[:cut], lines[:cut]
    elif level == "word":
        from rnncore.data.sentences import generate_sentences

        split = (generate_sentences(15000, seed, "train"), generate_sentences(1000, seed + 1, "dev"),
                 generate_sentences(1500, seed + 2, "test"))
    else:
        from rnncore.data.names import name_lists

        split = tuple(name_lists(s) for s in ("train", "dev", "test"))
    to_units = tokenize if level == "word" else (lambda s: list(s.lower()))
    return tuple([to_units(s) for s in part if s.strip()] for part in split), split


def lm_vocab(level: str, train_units: list[list[str]], shipped_names: bool) -> Vocab:
    """Word LMs: course words seen twice in training.  Char LMs: the names' alphabet, so that a
    letter met only in held-out names (e.g. "ť") is still a letter, not <UNK>."""
    if level == "word":
        return model_vocab(train_units, eos=True, min_count=2)
    if shipped_names:
        from rnncore.data.names import NAME_ALPHABET

        chars = sorted(set(NAME_ALPHABET))
    else:
        chars = sorted({ch for units in train_units for ch in units})
    return Vocab.from_words(chars, lowercase=False, eos=True)


def lm_batch(vocab: Vocab, units: list[list[str]]) -> dict:
    """Inputs <EOS> y<1> .. y<T> and targets y<1> .. y<T> <EOS>, padded: (m, T + 1) each."""
    seqs = [vocab.encode(u) for u in units]
    T = max(len(s) for s in seqs) + 1
    x = torch.zeros(len(seqs), T, dtype=torch.long)
    y = torch.full((len(seqs), T), -100, dtype=torch.long)
    for i, s in enumerate(seqs):
        x[i, : len(s) + 1] = torch.tensor([vocab.eos_id, *s])
        y[i, : len(s) + 1] = torch.tensor([*s, vocab.eos_id])
    return {"x": x, "y": y, "lengths": torch.tensor([len(s) + 1 for s in seqs])}


@torch.no_grad()
def lm_nll(model, vocab: Vocab, sequences: list[list[str]]) -> tuple[float, int]:
    """Summed negative log-likelihood (natural log) and the number of predicted units, <EOS> included."""
    total, count = 0.0, 0
    for k in range(0, len(sequences), 256):
        batch = lm_batch(vocab, sequences[k : k + 256])
        logits = model(batch["x"], batch["lengths"])
        total += float(F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["y"].reshape(-1),
                                       ignore_index=-100, reduction="sum"))
        count += int((batch["y"] != -100).sum())
    return total, count


def lm_metrics(model, meta: dict, level: str, test: list[list[str]], raw: tuple[list[str], ...]) -> dict:
    from rnncore.predict import encoder_of, sample, score

    vocab = encoder_of(meta).words
    nll, count = lm_nll(model, vocab, test)
    metrics = {"perplexity": math.exp(nll / count), "sequences": len(test)}
    if level == "word":  # does it prefer real word order to the same words shuffled?
        rng, wins, n = random.Random(0), 0, 0
        for units in test[:400]:
            shuffled = units[:]
            for _ in range(5):
                rng.shuffle(shuffled)
                if shuffled != units:
                    break
            if shuffled == units:
                continue
            real = sum(model.token_log_probs(vocab.encode(units), vocab.eos_id, vocab.eos_id))
            fake = sum(model.token_log_probs(vocab.encode(shuffled), vocab.eos_id, vocab.eos_id))
            wins, n = wins + (real > fake), n + 1
        metrics["prefers_real_order"] = wins / max(n, 1)
        pear = score(model, meta, "The apple and pear salad").log_prob
        pair = score(model, meta, "The apple and pair salad").log_prob
        metrics["log_p_apple_and_pear_salad"], metrics["log_p_apple_and_pair_salad"] = pear, pair
    else:
        from rnncore.baselines import BigramCharModel

        train_raw, dev_raw, _ = raw
        alphabet = encoder_of(meta).words.tokens[1:-2]  # the letters, without <PAD>, <EOS>, <UNK>
        letters = set(alphabet)

        def spelled(names):  # the bigram model refuses letters outside its alphabet
            return [n for n in (str(x).lower() for x in names) if n and set(n) <= letters]

        bigram = BigramCharModel.tuned(spelled(train_raw), spelled(dev_raw), alphabet)
        metrics["bigram_perplexity"] = bigram.perplexity(spelled("".join(u) for u in test))
        known = {name.lower() for name in train_raw}
        samples = ["".join(sample(model, meta, n_max=20, seed=s).units) for s in range(200)]
        metrics["new_sample_share"] = sum(s not in known and len(s) > 1 for s in samples) / len(samples)
    return _round(metrics)


def train_lm(arch: str, level: str, out: Path | str, seed: int = 0, data: Path | None = None,
             cfg: TrainConfig | None = None, progress: Progress | None = print_progress,
             argv: Sequence[str] | None = None) -> dict:
    cfg = cfg or TrainConfig(epochs=12 if level == "word" else 20, seed=seed, batch_size=64, lr=3e-3)
    (train, dev, test), raw = lm_data(level, seed, data)
    vocab = lm_vocab(level, train, shipped_names=data is None)
    sizes = LM_SIZES[level]
    config = ModelConfig(arch, len(vocab), sizes["n_e"], sizes["n_a"], len(vocab), dropout=sizes["dropout"],
                         tie_weights=sizes["n_e"] == sizes["n_a"])
    torch.manual_seed(seed)
    model = LanguageModel(config)
    meta = {"task": "lm", "level": level, "arch": arch, "encoder": Encoder(vocab).to_dict()}
    if level == "char":  # the app marks sampled names as new or seen; it needs the training names
        meta["training_names"] = sorted({name.lower() for name in raw[0]})

    def epoch_batches(rng):
        return [lm_batch(vocab, chunk) for chunk in batches_of(train, cfg.batch_size, rng)]

    def loss_of(model, batch):
        logits = model(batch["x"], batch["lengths"])
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch["y"].reshape(-1), ignore_index=-100)

    def dev_score(model):
        nll, count = lm_nll(model, vocab, dev)
        return -nll / count

    history = fit(model, epoch_batches, loss_of, dev_score, cfg, progress)
    metrics = {"test": lm_metrics(model, meta, level, test, raw)}
    return _finish(model, out, meta, metrics, history, cfg, argv, {"train_sequences": len(train)})


def _finish(model, out, meta, metrics, history, cfg, argv, sizes: dict) -> dict:
    meta.update({
        "metrics": metrics,
        "params": count_parameters(model),
        "training": {"command": command_line(argv), **asdict(cfg), **sizes, "history": history["epochs"]},
    })
    checkpoint.save(model, out, **meta)
    return meta


# -- everything -----------------------------------------------------------------------------------

SHIPPED = (
    [("ner", arch) for arch in ("birnn", "lstm", "gru", "rnn")]
    + [("sentiment", arch) for arch in ("lstm", "gru", "rnn", "birnn")]
    + [("lm-word", arch) for arch in ("lstm", "gru", "rnn")]
    + [("lm-char", arch) for arch in ("lstm", "gru", "rnn")]
)


def train_task(task: str, arch: str, out_dir: Path | None = None, seed: int = 0, data: Path | None = None,
               progress: Progress | None = print_progress, argv: Sequence[str] | None = None,
               cfg: TrainConfig | None = None) -> dict:
    """Train one shipped model (task in ner, sentiment, lm-word, lm-char) into ``out_dir/<task>-<arch>``."""
    out = (out_dir or checkpoint.MODELS_DIR) / f"{task}-{arch}"
    if task == "ner":
        return train_ner(arch, out, seed, data, cfg, progress, argv)
    if task == "sentiment":
        return train_sentiment(arch, out, seed, data, cfg, progress, argv)
    if task in ("lm-word", "lm-char"):
        return train_lm(arch, task.split("-")[1], out, seed, data, cfg, progress, argv)
    raise ValueError(f"unknown task {task!r}; expected ner, sentiment, lm-word, lm-char or all")
