"""How the shipped language models are trained and scored: words on real English, characters on names.

Word level (one-to-many over the course vocabulary): four real sources, each cut into train, dev (early
stopping) and test (scored once at the end) so that the held-out text is as new to the model as a
stranger's would be:

- everyday: the English side of the Tatoeba pairs (distinct sentences), by a stable hash of each
  sentence, 90/5/5;
- reviews: the Stanford Sentiment Treebank's sentences (one review snippet each), the same way;
- news: every CoNLL-2003 training sentence trains; dev and test are CoNLL's validation file (other
  Reuters stories), halved by the same hash. A sentence of a story is no stranger to its neighbours,
  and a trigram that has seen the neighbours scores it far better than one seeing new stories would;
- encyclopedia: WikiText-2's validation file (its paragraphs and headings; its test file is not here),
  cut by whole articles for the same reason: 3 of its 60 articles are dev, 3 test, by a stable hash
  of their titles.

Every sequence is tokenized as a typed sentence would be (:func:`rnncore.text.tokenize`), so "does n't"
and "doesn't" are one token. The ids are the course vocabulary's, with <EOS> after <UNK>: the row of
the embedding a student looks up on "Words to vectors" is the row the model reads. Nothing is planted:
"The apple and pear salad" is scored as the real text taught the model. Beside every figure the same
command fits an interpolated Kneser-Ney trigram on exactly the same training ids.

Character level: makemore's names.txt, its 1,000 test names drawn as makemore draws them (a
``torch.randperm`` under seed 3407), 1,000 more held out for early stopping; the baseline is a
character bigram with add-alpha smoothing tuned on those dev names.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path

import torch
import torch.nn.functional as F

from rnncore import corpora
from rnncore.encoding import Encoder
from rnncore.models import LanguageModel, ModelConfig
from rnncore.text import EOS, Vocab, course_vocab, tokenize
from rnncore.training import (
    Progress,
    TrainConfig,
    batches_by_length,
    batches_by_tokens,
    cpu_minutes_since,
    fit,
    print_progress,
    round_metrics,
    save_trained,
    split_held_out,
    split_of,
)

WORD_SOURCES = {  # name -> (file under the data folder, what it is)
    "everyday": ("translation/eng-fra.train.tsv", "Tatoeba English sentences (manythings.org pairs)"),
    "reviews": ("sentiment/sst/stsa.fine.train", "Stanford Sentiment Treebank sentences (film reviews)"),
    "news": ("ner/conll2003/train.txt",
             "CoNLL-2003 sentences (Reuters news; dev and test are other stories, its validation file)"),
    "encyclopedia": ("lm/wikitext-2/wiki.valid.tokens",
                     "WikiText-2 validation file (Wikipedia; whole articles held out)"),
}
NEWS_HELD_OUT = "ner/conll2003/valid.txt"  # the news source's dev and test: stories its training file lacks
ARTICLES_HELD_OUT = 0.05  # share of WikiText articles for dev, and as many for test (at least one each of 3+)
NAMES_FILE = "lm/names/names.txt"
MAKEMORE_SEED, MAKEMORE_TEST = 3407, 1000  # makemore's split of names.txt

SIZES = {"word": {"n_e": 256, "n_a": 256, "dropout": 0.2}, "char": {"n_e": 48, "n_a": 128, "dropout": 0.1}}
# Words drawn per batch for the sampled softmax the word model trains with (0: the full softmax). The
# output layer over V = 10,002 words is most of a step's cost; scoring each target against 1,024 words
# drawn from the training unigrams^0.75 makes an epoch several times cheaper, so the time limit buys
# several times more epochs. Dev and test figures always use the full softmax.
SAMPLED = {"word": 1024, "char": 0}
# Word batches hold about this many tokens (<EOS> included) rather than a number of sequences (0: batches
# of cfg.batch_size). A WikiText paragraph has 87 tokens on average and up to 426, a Tatoeba sentence 7:
# in the mean loss of a batch of 64 of each, a paragraph's token weighed 13 times less than a sentence's
# on average, and over 60 times less in the longest paragraphs.
BATCH_TOKENS = {"word": 512, "char": 0}
PROPOSAL_POWER = 0.75
CONFIGS = {
    # the word model's batch_size is unused: BATCH_TOKENS["word"] sets its batches
    "word": TrainConfig(epochs=20, batch_size=64, lr=3e-3, clip=1.0, patience=2, lr_decay=0.85, max_minutes=16.0,
                        fused_adam=True),
    "char": TrainConfig(epochs=25, batch_size=64, lr=3e-3, clip=1.0, patience=3, lr_decay=0.92, max_minutes=10.0),
}
CLASSROOM_PAIR = ("The apple and pear salad", "The apple and pair salad")  # the notes' speech-recognition example


def word_vocab() -> Vocab:
    """The course vocabulary (a = 1, ..., <UNK> = 10,000) with <EOS> = 10,001 after it."""
    return Vocab([*course_vocab().tokens, EOS], lowercase=True)


def source_path(name: str, data_dir: Path, relative: str | None = None) -> Path:
    path = data_dir / (relative or WORD_SOURCES[name][0])
    if not path.is_file():
        raise ValueError(f"{path}: not found (the {name} source of the word language model; see the README's Data)")
    return path


def read_word_source(name: str, data_dir: Path) -> list[str]:
    """The lines (sentences or paragraphs) of one word-level source's main file, as text."""
    path = source_path(name, data_dir)
    if name == "everyday":
        return sorted({english for english, _ in corpora.read_tatoeba(path)})
    if name == "reviews":
        return [text for text, _ in corpora.read_sst5(path)]
    if name == "news":
        return news_lines(path)
    return corpora.read_wikitext(path)


def news_lines(path: Path) -> list[str]:
    return [" ".join(tokens) for tokens, _ in corpora.read_conll(path)]


def articles_of(lines: Sequence[str]) -> list[list[str]]:
    """WikiText lines grouped by article: each article starts at a ``= Title =`` line (its ``= = Section
    = =`` lines stay inside it); lines before the first title, if any, make an article of their own."""
    articles: list[list[str]] = []
    for line in lines:
        if not articles or (line.startswith("= ") and not line.startswith("= =") and line.endswith(" =")):
            articles.append([])
        articles[-1].append(line)
    return articles


def split_articles(articles: Sequence[Sequence[str]], salt: str) -> dict[str, list[str]]:
    """train / dev / test lines, whole articles in each: ranked by an md5 of their first line, the first
    ARTICLES_HELD_OUT share of them (rounded, one at least) are test and as many more dev; with fewer than
    three articles every one trains."""
    ranked = sorted(articles, key=lambda lines: hashlib.md5(f"{salt}:{lines[0]}".encode()).hexdigest())
    n_held = max(1, round(ARTICLES_HELD_OUT * len(ranked))) if len(ranked) >= 3 else 0
    parts = {"train": ranked[2 * n_held :], "dev": ranked[n_held : 2 * n_held], "test": ranked[:n_held]}
    return {part: [line for article in group for line in article] for part, group in parts.items()}


def source_split_lines(name: str, data_dir: Path) -> dict[str, list[str]]:
    """train / dev / test lines of one real source, cut as the module's docstring says."""
    salt = f"lm-{name}"
    lines = read_word_source(name, data_dir)
    if name == "encyclopedia":
        return split_articles(articles_of(lines), salt)
    parts: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    if name == "news":
        parts["train"] = lines
        for line in news_lines(source_path(name, data_dir, NEWS_HELD_OUT)):
            parts[split_of(line, salt, dev=0.5, test=0.5)].append(line)
        return parts
    for line in lines:
        parts[split_of(line, salt)].append(line)
    return parts


def word_splits(data_dir: Path | None, data: Sequence[Path] = ()) -> dict[str, dict[str, list[list[str]]]]:
    """source -> split -> token lists. With ``data`` (one sentence a line), each file is a source of its
    own, cut 80/10/10 by a seeded shuffle."""
    from rnncore.plaintext import read_lines

    splits: dict[str, dict[str, list[list[str]]]] = {}
    if data:
        for path in data:
            train, dev, test = split_held_out(read_lines(path), seed=0)
            splits[Path(path).stem] = {part: [tokenize(s) for s in lines if tokenize(s)]
                                       for part, lines in (("train", train), ("dev", dev), ("test", test))}
        return splits
    for name in WORD_SOURCES:
        lines = source_split_lines(name, data_dir)
        splits[name] = {part: [tokens for tokens in map(tokenize, lines[part]) if tokens] for part in lines}
    return splits


def names_splits(data_dir: Path | None, data: Sequence[Path] = ()) -> dict[str, list[str]]:
    """train / dev / test names: makemore's 1,000 test names, 1,000 dev names, the rest to train."""
    path = Path(data[0]) if data else data_dir / NAMES_FILE
    if not path.is_file():
        raise ValueError(f"{path}: not found (names for the character-level model; see the README's Data)")
    names = corpora.read_names(path)
    order = torch.randperm(len(names), generator=torch.Generator().manual_seed(MAKEMORE_SEED)).tolist()
    n_test = min(MAKEMORE_TEST, len(names) // 10)
    cut = len(names) - n_test  # makemore's test names are the permutation's last ones (rp[-test_set_size:])
    test = [names[i] for i in order[cut:]]
    dev = [names[i] for i in order[cut - n_test : cut]]
    return {"train": [names[i] for i in order[: cut - n_test]], "dev": dev, "test": test}


def char_vocab(names: Sequence[str]) -> Vocab:
    return Vocab.from_words(sorted({ch for name in names for ch in name}), lowercase=False, eos=True)


def lm_batch(vocab: Vocab, units: Sequence[Sequence[str]]) -> dict:
    """Inputs <EOS> y<1> .. y<T> and targets y<1> .. y<T> <EOS>, padded: (m, T + 1) each."""
    seqs = [vocab.encode(u) for u in units]
    T = max(len(s) for s in seqs) + 1
    x = torch.zeros(len(seqs), T, dtype=torch.long)  # (m, T + 1)
    y = torch.full((len(seqs), T), -100, dtype=torch.long)  # (m, T + 1), -100: padding, no loss
    for i, s in enumerate(seqs):
        x[i, : len(s) + 1] = torch.tensor([vocab.eos_id, *s])
        y[i, : len(s) + 1] = torch.tensor([*s, vocab.eos_id])
    return {"x": x, "y": y, "lengths": torch.tensor([len(s) + 1 for s in seqs])}


@torch.no_grad()
def lm_nll(model, vocab: Vocab, sequences: Sequence[Sequence[str]], batch_size: int = 128) -> tuple[float, int]:
    """Summed negative log-likelihood (natural log) and the number of predicted units, <EOS> included."""
    total, count = 0.0, 0
    ordered = sorted(sequences, key=len)
    for k in range(0, len(ordered), batch_size):
        a, y = real_steps(model, lm_batch(vocab, ordered[k : k + batch_size]))
        total += float(F.cross_entropy(model.output_layer(a), y, reduction="sum"))
        count += len(y)
    return total, count


def real_steps(model, batch: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """The states a<t> and targets at the batch's real steps only, (N, n_a) and (N,): the output layer
    over V is the costly part, and padding needs none of it."""
    keep = batch["y"] != -100  # (m, T + 1)
    return model.states(batch["x"])[keep], batch["y"][keep]


def unigram_proposal(sequences: Sequence[Sequence[int]], vocab_size: int, eos_id: int,
                     power: float = PROPOSAL_POWER) -> torch.Tensor:
    """Q(w) proportional to count(w)^power over the training targets (every word and each <EOS>), with
    one count added to every id but <PAD> so that no word is never drawn: (V,), summing to 1."""
    targets = torch.tensor([i for ids in sequences for i in (*ids, eos_id)], dtype=torch.long)
    counts = torch.bincount(targets, minlength=vocab_size).double() + 1  # (V,)
    counts[0] = 0.0
    weights = (counts**power).float()  # (V,)
    return weights / weights.sum()


def sampled_softmax_loss(model, batch: dict, proposal: torch.Tensor, n_sampled: int,
                         generator: torch.Generator) -> torch.Tensor:
    r"""Mean sampled-softmax loss (Jean et al., 2015) over the batch's real targets.

    ``n_sampled`` words S are drawn from Q with replacement, shared by the batch. Each target y is scored
    against them with every logit z_w = W_ya[w] a<t> + b_y[w] corrected by log E[count of w in S] =
    log(n_sampled Q(w)), so that the softmax over {y} and S estimates the full one:

    .. math:: \ell = -\log \frac{e^{z_y - \log K Q(y)}}{e^{z_y - \log K Q(y)} + \sum_{s \in S, s \neq y} e^{z_s - \log K Q(s)}}

    A drawn word equal to the target is left out of that target's sum (an "accidental hit").
    """
    a, y = real_steps(model, batch)  # (N, n_a), (N,)
    drawn = torch.multinomial(proposal, n_sampled, replacement=True, generator=generator)  # (K,)
    log_expected = torch.log(n_sampled * proposal)  # (V,)
    W_ya, b_y = model.out.weight, model.out.bias  # (V, n_a), (V,)
    z_y = (a * W_ya[y]).sum(dim=1) + b_y[y] - log_expected[y]  # (N,)
    z_s = a @ W_ya[drawn].T + b_y[drawn] - log_expected[drawn]  # (N, K)
    z_s = z_s.masked_fill(drawn[None, :] == y[:, None], float("-inf"))
    logits = torch.cat([z_y[:, None], z_s], dim=1)  # (N, 1 + K): the target is column 0
    return F.cross_entropy(logits, torch.zeros(len(y), dtype=torch.long))


def full_softmax_loss(model, batch: dict) -> torch.Tensor:
    """Mean cross-entropy over the batch's real targets, the logits computed at real steps only."""
    a, y = real_steps(model, batch)  # (N, n_a), (N,)
    return F.cross_entropy(model.output_layer(a), y)  # logits (N, V)


def shuffled_words(tokens: Sequence[str], rng: random.Random) -> list[str] | None:
    """The same words in another order (None if every order is the same, as for "a a")."""
    for _ in range(10):
        shuffled = list(tokens)
        rng.shuffle(shuffled)
        if shuffled != list(tokens):
            return shuffled
    return None


@torch.no_grad()
def prefers_real_order(model, vocab: Vocab, sentences: Sequence[Sequence[str]], limit: int = 1000) -> dict:
    """Share of held-out sentences the model scores above the same words shuffled (seeded)."""
    rng, wins, n = random.Random(0), 0, 0
    for tokens in sentences[:limit]:
        fake = shuffled_words(tokens, rng)
        if fake is None:
            continue
        real = sum(model.token_log_probs(vocab.encode(tokens), vocab.eos_id, vocab.eos_id))
        other = sum(model.token_log_probs(vocab.encode(fake), vocab.eos_id, vocab.eos_id))
        wins, n = wins + (real > other), n + 1
    return {"share": wins / max(n, 1), "pairs": n}


def word_metrics(model, vocab: Vocab, splits: dict, kneser_ney) -> dict:
    """Per source and held-out split: the model's perplexity, the trigram's on the same tokens, their ratio."""
    from rnncore.tasks.lm.inference import score

    metrics: dict = {}
    for part in ("test", "dev"):
        every_nll = every_count = every_kn = 0.0
        for name, parts in splits.items():
            sequences = parts[part]
            if not sequences:
                continue
            nll, count = lm_nll(model, vocab, sequences)
            kn = -sum(sum(kneser_ney.token_log_probs(vocab.encode(s))) for s in sequences)
            unknown = sum(vocab.encode(s).count(vocab.unk_id) for s in sequences)
            metrics[f"{name}/{part}"] = {
                "perplexity": math.exp(nll / count), "kneser_ney_perplexity": math.exp(kn / count),
                "ratio_to_kneser_ney": math.exp((nll - kn) / count), "tokens": count,
                "unk_share": unknown / count, "sequences": len(sequences),
            }
            every_nll, every_count, every_kn = every_nll + nll, every_count + count, every_kn + kn
        metrics[f"all/{part}"] = {"perplexity": math.exp(every_nll / every_count),
                                  "kneser_ney_perplexity": math.exp(every_kn / every_count),
                                  "ratio_to_kneser_ney": math.exp((every_nll - every_kn) / every_count),
                                  "tokens": int(every_count)}
    everyday = [s for s in splits.get("everyday", {}).get("test", []) if len(s) > 1]
    every_test = [s for parts in splits.values() for s in parts["test"] if 1 < len(s) <= 40]
    if everyday:
        metrics["everyday/test"]["prefers_real_order"] = prefers_real_order(model, vocab, everyday)["share"]
    metrics["all/test"]["prefers_real_order"] = prefers_real_order(model, vocab, every_test)["share"]
    meta = {"encoder": Encoder(vocab).to_dict(), "level": "word"}
    pear, pair = (score(model, meta, text).log_prob for text in CLASSROOM_PAIR)
    metrics["classroom"] = {"log_p_apple_and_pear_salad": pear, "log_p_apple_and_pair_salad": pair}
    return {key: round_metrics(value) for key, value in metrics.items()}


def char_metrics(model, vocab: Vocab, names: dict[str, list[str]], meta: dict) -> dict:
    from rnncore.tasks.lm.inference import sample
    from rnncore.tasks.lm.ngram import BigramCharModel

    alphabet = vocab.tokens[1:-2]  # the letters, without <PAD>, <EOS>, <UNK>
    letters = set(alphabet)
    spelled = {part: [n for n in group if set(n) <= letters] for part, group in names.items()}
    bigram = BigramCharModel.tuned(spelled["train"], spelled["dev"], alphabet)
    metrics = {}
    for part in ("test", "dev"):
        nll, count = lm_nll(model, vocab, [list(n) for n in names[part]])
        bigram_nll = -sum(bigram.log_prob(n) for n in spelled[part])
        bigram_count = sum(len(n) + 1 for n in spelled[part])
        metrics[f"names/{part}"] = {"loss_per_char": nll / count, "perplexity": math.exp(nll / count),
                                    "bigram_loss_per_char": bigram_nll / bigram_count,
                                    "bigram_perplexity": math.exp(bigram_nll / bigram_count),
                                    "names": len(names[part]), "characters": count}
        metrics[f"names/{part}"]["loss_below_bigram"] = 1 - (nll / count) / (bigram_nll / bigram_count)
    known = set(names["train"])
    samples = ["".join(sample(model, meta, n_max=20, seed=s).units) for s in range(500)]
    metrics["samples"] = {"new_share": sum(s not in known and len(s) > 1 for s in samples) / len(samples),
                          "drawn": len(samples), "bigram_alpha": bigram.alpha,
                          "makemore_transformer_loss_per_char": 1.92}
    return {key: round_metrics(value) for key, value in metrics.items()}


def train_lm(arch: str, level: str, out: Path | str, seed: int = 0, data_dir: Path | None = None,
             data: Sequence[Path] = (), cfg: TrainConfig | None = None, progress: Progress | None = print_progress,
             argv: Sequence[str] | None = None) -> dict:
    """Train ``lm-<level>-<arch>`` on the real sources (or the user's ``data`` files) and save it with its
    held-out figures beside the count-based baseline's."""
    base = CONFIGS[level]
    cfg = cfg or TrainConfig(**{**base.__dict__, "seed": seed})
    start, start_cpu = time.perf_counter(), time.process_time()
    if level == "word":
        splits = word_splits(data_dir, data)
        vocab = word_vocab()
        train = [s for parts in splits.values() for s in parts["train"]]
        dev = [s for parts in splits.values() for s in parts["dev"]]
        known = {} if data else WORD_SOURCES  # a file of the user's named news.txt is not CoNLL-2003
        sources = [{"name": name, "file": known[name][0] if name in known else str(name),
                    **({"held_out_file": NEWS_HELD_OUT} if name == "news" and known else {}),
                    "what": known.get(name, ("", "your own text"))[1],
                    **{part: len(parts[part]) for part in ("train", "dev", "test")},
                    "train_tokens": sum(len(s) + 1 for s in parts["train"])} for name, parts in splits.items()]
    else:
        names = names_splits(data_dir, data)
        vocab = char_vocab(names["train"])
        train, dev = [list(n) for n in names["train"]], [list(n) for n in names["dev"]]
        sources = [{"name": "names", "file": NAMES_FILE if not data else str(data[0]),
                    "what": "makemore's names.txt (US Social Security baby names, 2018)",
                    **{part: len(group) for part, group in names.items()}}]
    total_train = sum(src.get("train_tokens", src["train"]) for src in sources)
    for src in sources:
        src["share"] = round(src.get("train_tokens", src["train"]) / total_train, 4)
    sizes = SIZES[level]
    config = ModelConfig(arch, len(vocab), sizes["n_e"], sizes["n_a"], len(vocab), dropout=sizes["dropout"],
                         tie_weights=sizes["n_e"] == sizes["n_a"])
    torch.manual_seed(seed)
    model = LanguageModel(config)
    meta = {"task": "lm", "level": level, "arch": arch, "encoder": Encoder(vocab).to_dict(), "sources": sources}
    if level == "char":  # the app marks sampled names as new or seen; it needs the training names
        meta["training_names"] = sorted(set(names["train"]))

    def epoch_batches(rng):
        if BATCH_TOKENS[level]:  # + 1: the <EOS> every sequence is read with
            chunks = batches_by_tokens(train, BATCH_TOKENS[level], rng, length=lambda s: len(s) + 1)
        else:
            chunks = batches_by_length(train, cfg.batch_size, rng)
        return [lm_batch(vocab, chunk) for chunk in chunks]

    n_sampled = SAMPLED[level] if SAMPLED[level] < len(vocab) else 0
    if n_sampled:
        proposal = unigram_proposal([vocab.encode(s) for s in train], len(vocab), vocab.eos_id)
        draws = torch.Generator().manual_seed(seed)

    def loss_of(model, batch):
        if n_sampled and model.training:
            return sampled_softmax_loss(model, batch, proposal, n_sampled, draws)
        return full_softmax_loss(model, batch)

    def dev_score(model):
        nll, count = lm_nll(model, vocab, dev)
        return -nll / count

    history = fit(model, epoch_batches, loss_of, dev_score, cfg, progress)
    if level == "word":
        from rnncore.tasks.lm.ngram import KneserNeyTrigram

        kneser_ney = KneserNeyTrigram(len(vocab) - 1, vocab.eos_id, vocab.eos_id).fit([vocab.encode(s) for s in train])
        metrics = word_metrics(model, vocab, splits, kneser_ney)
    else:
        metrics = char_metrics(model, vocab, names, meta)
    sizes_record = {"train_sequences": len(train), "batch_tokens": BATCH_TOKENS[level] or None,
                    "minutes": round((time.perf_counter() - start) / 60, 2), "cpu_minutes": cpu_minutes_since(start_cpu),
                    "sampled_softmax": {"drawn": n_sampled, "proposal_power": PROPOSAL_POWER} if n_sampled else None}
    return save_trained(model, out, meta, metrics, history, cfg, argv, sizes_record)
