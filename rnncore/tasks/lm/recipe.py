"""How the shipped language models (words and characters) are trained and scored."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

import torch
import torch.nn.functional as F

from rnncore.encoding import Encoder, model_vocab
from rnncore.models import LanguageModel, ModelConfig
from rnncore.text import Vocab, tokenize
from rnncore.training import (
    Progress,
    TrainConfig,
    batches_of,
    fit,
    print_progress,
    round_metrics,
    save_trained,
    split_held_out,
)

LM_SIZES = {"word": {"n_e": 96, "n_a": 96, "dropout": 0.2}, "char": {"n_e": 48, "n_a": 96, "dropout": 0.1}}


def lm_data(level: str, seed: int, data: Path | None):
    """Sequences of units (words or lowercase characters) for train, dev and test."""
    if data is not None:
        from rnncore.plaintext import read_lines

        lines = read_lines(data)
        split = split_held_out(lines, seed)
    elif level == "word":
        from rnncore.tasks.lm.sentences import generate_sentences

        split = (generate_sentences(15000, seed, "train"), generate_sentences(1000, seed + 1, "dev"),
                 generate_sentences(1500, seed + 2, "test"))
    else:
        from rnncore.tasks.lm.names import name_lists

        split = tuple(name_lists(s) for s in ("train", "dev", "test"))
    to_units = tokenize if level == "word" else (lambda s: list(s.lower()))
    return tuple([to_units(s) for s in part if s.strip()] for part in split), split


def lm_vocab(level: str, train_units: list[list[str]], shipped_names: bool) -> Vocab:
    """Word LMs: course words seen twice in training.  Char LMs: the names' alphabet, so that a
    letter met only in held-out names (e.g. "ť") is still a letter, not <UNK>."""
    if level == "word":
        return model_vocab(train_units, eos=True, min_count=2)
    if shipped_names:
        from rnncore.tasks.lm.names import NAME_ALPHABET

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
    from rnncore.encoding import encoder_of
    from rnncore.tasks.lm.inference import sample, score

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
        from rnncore.tasks.lm.ngram import BigramCharModel

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
    return round_metrics(metrics)


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
    return save_trained(model, out, meta, metrics, history, cfg, argv, {"train_sequences": len(train)})
