"""How the shipped named-entity taggers are trained and scored: real news and web text, plus the
generated classroom sentences, over PER, LOC and ORG.

Sources (files under the data folder; MISC and the WNUT types without a counterpart become O):

- news: CoNLL-2003 train (training) and valid (half dev, half our own test, by a stable hash);
- web: WNUT-17 train (training; person -> PER, location -> LOC, corporation and group -> ORG) and dev
  (half dev, half test); Universal NER English-EWT dev (the only EWT file here: half training, a
  quarter dev, a quarter test), its training half seen four times an epoch;
- generated: rnncore's classroom sentences (generate.py), their own train / dev / test frames and names.

Every sentence is re-tokenised as typed text would be (:func:`retokenize`): the tagger is trained on
the tokens the app will hand it. Words are the course vocabulary's ids (lowercase); capitals and
unseen words reach the tagger through the character CNN and the shape features. Words seen once in
training are replaced by <UNK> half of the time (other words 5%), so that the tagger learns to tag
from context (Lample et al., 2016), and a tenth of the real sentences are read all lowercase each
epoch. The baseline, computed by the same command, tags each word with its most frequent tag in the
same training data (the CoNLL-2003 shared task's baseline idea).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import torch
import torch.nn.functional as F

from rnncore import corpora
from rnncore.encoding import SHAPE_FEATURES, Encoder, char_vocab, collate, pad_labels
from rnncore.models import ModelConfig, Tagger
from rnncore.text import course_vocab, normalize, tokenize
from rnncore.training import (
    Progress,
    TrainConfig,
    batches_by_length,
    cpu_minutes_since,
    fit,
    print_progress,
    round_metrics,
    round_to_half,
    save_trained,
    split_held_out,
    split_of,
)

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
TYPES = ("PER", "LOC", "ORG")
CLASSROOM = Path(__file__).resolve().parent / "classroom.conll"  # sentences written to exercise the lesson
NER_SIZES = {"n_e": 64, "n_a": 128, "n_char_e": 25, "n_char_filters": 50, "dropout": 0.3}
CONFIG = TrainConfig(epochs=30, batch_size=32, lr=2e-3, clip=5.0, patience=4, lr_decay=0.93, max_minutes=16.0)
WORD_DROPOUT = {"singleton": 0.5, "other": 0.05}
LOWERCASE_SHARE = 0.1  # real sentences read all lowercase in an epoch
UNER_COPIES = 4  # the web training half is small: seen this many times an epoch
GENERATED = {"train": 4000, "dev": 1000, "test": 1000}
FILES = {
    "conll_train": "ner/conll2003/train.txt", "conll_valid": "ner/conll2003/valid.txt",
    "wnut_train": "ner/web/wnut17/wnut17train.conll", "wnut_dev": "ner/web/wnut17/emerging.dev.conll",
    "uner_dev": "ner/web/uner-ewt/en_ewt-ud-dev.iob2",
}
WNUT_TYPES = {"person": "PER", "location": "LOC", "corporation": "ORG", "group": "ORG",
              "creative-work": "O", "product": "O"}
WHAT = {
    "news": "CoNLL-2003 (Reuters news)", "web": "Universal NER English-EWT (web text)",
    "social": "WNUT-17 (social media)", "generated": "rnncore's generated classroom sentences",
}

Sentence = tuple[list[str], list[str]]


def retokenize(tokens: Sequence[str], tags: Sequence[str]) -> Sentence:
    """The sentence as :func:`rnncore.text.tokenize` splits it when typed (the tokens joined by spaces),
    with each tag projected: a token's first piece keeps its tag, the others continue its entity."""
    new_tokens, new_tags = [], []
    for token, tag in zip(tokens, tags, strict=True):
        pieces = tokenize(token) or ([normalize(token)] if normalize(token).strip() else [])
        for k, piece in enumerate(pieces):
            new_tokens.append(piece)
            new_tags.append(tag if k == 0 or tag == "O" else "I-" + tag[2:])
    return new_tokens, new_tags


def is_all_caps(tokens: Sequence[str]) -> bool:
    """CoNLL's datelines and sports tables: every word of two letters or more in capitals."""
    words = [t for t in tokens if sum(ch.isalpha() for ch in t) >= 2]
    return bool(words) and all(t.upper() == t for t in words)


def _read(data_dir: Path, key: str, **options) -> list[Sentence]:
    path = data_dir / FILES[key]
    if not path.is_file():
        raise ValueError(f"{path}: not found (named-entity corpus; see the README's Data section)")
    return [retokenize(t, g) for t, g in corpora.read_conll(path, **options) if t]


def _halves(sentences: Sequence[Sentence], salt: str, dev: float, test: float) -> dict[str, list[Sentence]]:
    parts: dict[str, list[Sentence]] = {"train": [], "dev": [], "test": []}
    for sentence in sentences:
        parts[split_of(" ".join(sentence[0]), salt, dev, test)].append(sentence)
    return parts


def generated_sentences(split: str, n: int, seed: int) -> list[Sentence]:
    from rnncore.tasks.ner.generate import generate_ner

    mapped = []
    for tokens, tags in generate_ner(n, seed, split):
        mapped.append((tokens, [t if t == "O" or t[2:] in TYPES else "O" for t in tags]))
    return mapped


def read_classroom() -> list[Sentence]:
    return corpora.read_conll(CLASSROOM, tag_map={"MISC": "O"})


def sources(data_dir: Path | None, data: Sequence[Path] = (), seed: int = 0) -> dict[str, dict[str, list[Sentence]]]:
    """source -> split -> sentences. With ``data`` (CoNLL columns), each file is a source of its own,
    cut 80/10/10 by a seeded shuffle; otherwise the real corpora under ``data_dir`` and the generated ones."""
    if data:
        return {Path(p).stem: dict(zip(("train", "dev", "test"), split_held_out(
            [retokenize(t, g) for t, g in corpora.read_conll(p, tag_map={"MISC": "O"}) if t], seed), strict=True))
            for p in data}
    news = _halves(_read(data_dir, "conll_valid", tag_map={"MISC": "O"}), "ner-news", 0.5, 0.5)
    news["train"] = _read(data_dir, "conll_train", tag_map={"MISC": "O"})
    web = _halves(_read(data_dir, "uner_dev", iob2_columns=True), "ner-web", 0.25, 0.25)
    social = _halves(_read(data_dir, "wnut_dev", tag_map=WNUT_TYPES), "ner-social", 0.5, 0.5)
    social["train"] = _read(data_dir, "wnut_train", tag_map=WNUT_TYPES)
    generated = {split: generated_sentences(split, n, seed + k) for k, (split, n) in enumerate(GENERATED.items())}
    return {"news": news, "web": web, "social": social, "generated": generated}


def training_mix(splits: dict[str, dict[str, list[Sentence]]]) -> list[tuple[str, Sentence]]:
    mix = []
    for name, parts in splits.items():
        copies = UNER_COPIES if name == "web" else 1
        mix += [(name, s) for s in parts["train"]] * copies
    return mix


class MostFrequentTag:
    """The baseline: each word gets the tag it carries most often in training (case kept; unseen -> O),
    and the tags are repaired to valid BIO."""

    def __init__(self, sentences: Sequence[Sentence]):
        counts: dict[str, Counter] = {}
        for tokens, tags in sentences:
            for token, tag in zip(tokens, tags, strict=True):
                counts.setdefault(token, Counter())[tag] += 1
        self.tag_of = {token: c.most_common(1)[0][0] for token, c in counts.items()}

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return corpora.iob_to_bio([self.tag_of.get(t, "O") for t in tokens])


def scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    from rnncore.tasks.ner.metrics import entity_f1, name_detection_f1

    typed = entity_f1(gold, pred)
    return round_metrics({
        "entity_f1": typed["f1"], "entity_precision": typed["precision"], "entity_recall": typed["recall"],
        "name_detection_f1": name_detection_f1(gold, pred)["f1"], "sentences": len(gold),
        **{f"f1_{kind}": typed["per_type"].get(kind, {}).get("f1", 0.0) for kind in TYPES},
    })


def ner_metrics(model, meta: dict, sentences: Sequence[Sentence]) -> dict:
    """Typed entity F1 (exact spans, PER/LOC/ORG), precision, recall, name-detection F1 and F1 per type."""
    from rnncore.tasks.ner.inference import tag_tokens

    pred = []
    for k in range(0, len(sentences), 256):
        pred += [labels for labels, _, _ in tag_tokens(model, meta, [t for t, _ in sentences[k : k + 256]])]
    return scores([tags for _, tags in sentences], pred)


def evaluation_sets(splits: dict[str, dict[str, list[Sentence]]]) -> dict[str, list[Sentence]]:
    """"source/split" -> sentences, news lines in capitals also apart, and the classroom set."""
    sets = {}
    for part in ("test", "dev"):
        for name, parts in splits.items():
            if parts[part]:
                sets[f"{name}/{part}"] = parts[part]
        if "news" in splits:
            sets[f"news/{part}/all caps"] = [s for s in splits["news"][part] if is_all_caps(s[0])]
            sets[f"news/{part}/mixed case"] = [s for s in splits["news"][part] if not is_all_caps(s[0])]
    return sets


def evaluate(model, meta: dict, splits: dict[str, dict[str, list[Sentence]]], with_classroom: bool = True) -> dict:
    """Every held-out figure of a tagger, and under "baseline" the most-frequent-tag baseline's, fitted on
    the same training mix."""
    baseline = MostFrequentTag([s for _, s in training_mix(splits)])
    sets = evaluation_sets(splits)
    if with_classroom:
        sets["classroom"] = read_classroom()
    metrics, baselines = {}, {}
    for key, sentences in sets.items():
        if sentences:
            metrics[key] = ner_metrics(model, meta, sentences)
            baselines[key] = scores([g for _, g in sentences], [baseline.tag(t) for t, _ in sentences])
    metrics["baseline"] = baselines
    return metrics


def train_ner(arch: str, out: Path | str, seed: int = 0, data_dir: Path | None = None, data: Sequence[Path] = (),
              cfg: TrainConfig | None = None, progress: Progress | None = print_progress,
              argv: Sequence[str] | None = None) -> dict:
    """Train ``ner-<arch>`` and save it with its figures per source beside the most-frequent-tag baseline's."""
    cfg = cfg or TrainConfig(**{**CONFIG.__dict__, "seed": seed})
    start, start_cpu = time.perf_counter(), time.process_time()
    splits = sources(data_dir, data, seed)
    mix = training_mix(splits)
    labels = list(LABELS)
    label_id = {label: i for i, label in enumerate(labels)}
    encoder = Encoder(course_vocab(), char_vocab([tokens for _, (tokens, _) in mix]), features=True)
    config = ModelConfig(arch, len(encoder.words), NER_SIZES["n_e"], NER_SIZES["n_a"], len(labels),
                         n_char_vocab=len(encoder.chars), n_char_e=NER_SIZES["n_char_e"],
                         n_char_filters=NER_SIZES["n_char_filters"], n_features=len(SHAPE_FEATURES),
                         dropout=NER_SIZES["dropout"])
    torch.manual_seed(seed)
    model = Tagger(config)
    meta = {"task": "ner", "arch": arch, "labels": labels, "encoder": encoder.to_dict()}
    unk = encoder.words.unk_id
    id_counts = Counter(i for _, (tokens, _) in mix for i in encoder.word_ids(tokens))

    def encoded(tokens: list[str]) -> dict:
        e = encoder.encode(tokens)
        e["drop"] = torch.tensor([0.0 if i == unk else WORD_DROPOUT["singleton" if id_counts[i] == 1 else "other"]
                                  for i in e["ids"].tolist()])
        return e

    # Encode once (characters and shape features are the slow part), the lowercased copy beside it.
    items = []
    for name, (tokens, tags) in mix:
        lower = encoded([t.lower() for t in tokens]) if name != "generated" else None
        items.append((encoded(tokens), lower, [label_id[t] for t in tags]))
    generator = torch.Generator().manual_seed(seed)

    def epoch_batches(rng: random.Random):
        batches = []
        for chunk in batches_by_length(items, cfg.batch_size, rng, length=lambda item: len(item[2])):
            chosen = [lower if lower is not None and rng.random() < LOWERCASE_SHARE else e for e, lower, _ in chunk]
            batch = collate([{k: v for k, v in c.items() if k != "drop"} for c in chosen])
            T_x = batch["ids"].shape[1]
            p = torch.zeros(len(chosen), T_x)  # (m, T_x) word-dropout probability per token
            for r, c in enumerate(chosen):
                p[r, : len(c["drop"])] = c["drop"]
            hit = torch.rand(p.shape, generator=generator) < p
            batch["ids"] = torch.where(hit, torch.full_like(batch["ids"], unk), batch["ids"])
            batch["y"] = pad_labels([y for _, _, y in chunk], T_x)
            batches.append(batch)
        return batches

    def loss_of(model, batch):
        y = batch.pop("y")
        logits = model(**batch)  # (m, T_x, n_y)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)

    dev_name = "news" if "news" in splits else next(iter(splits))
    dev = splits[dev_name]["dev"]

    def dev_score(model) -> float:
        return ner_metrics(model, meta, dev)["entity_f1"]

    history = fit(model, epoch_batches, loss_of, dev_score, cfg, progress)
    round_to_half(model)
    metrics = evaluate(model, meta, splits, with_classroom=not data)
    train_counts = Counter(name for name, _ in mix)
    meta["sources"] = [{"name": name, "what": WHAT.get(name, "your own file"), "train": len(parts["train"]),
                        "dev": len(parts["dev"]), "test": len(parts["test"]),
                        "share": round(train_counts[name] / len(mix), 4),
                        "copies_per_epoch": UNER_COPIES if name == "web" else 1} for name, parts in splits.items()]
    sizes = {"train_sentences": len(mix), "minutes": round((time.perf_counter() - start) / 60, 2),
             "cpu_minutes": cpu_minutes_since(start_cpu),
             "word_dropout": WORD_DROPOUT, "lowercase_share": LOWERCASE_SHARE}
    return save_trained(model, out, meta, metrics, history, cfg, argv, sizes, half=True)
