"""The arithmetic of the three model lessons (named entities, sentiment, language model).

:mod:`rnncore.predict` answers each task (tags, stars, P(sentence), a sample); this module adds the
views the lessons teach with, so that the pages only lay numbers out:

- Named entities (many-to-many, T_x = T_y): entities from BIO tags, the notes' binary
  y<t> (1 = part of a name), and what a left-to-right model says at step t, when it has read only
  x<1>..x<t>.
- Sentiment (many-to-one): the expected rating, the rating after each prefix and where it turns, and
  the order-blind bag-of-words baseline trained on the same reviews as the RNNs.
- Language model (one-to-many): P(sentence) as a product, in the notes' a x 10^b form; the softmax at
  each sampled step, at other temperatures; samples marked new or seen in training; the same
  sentence as word and as character units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from rnncore.metrics import bio_spans
from rnncore.models import sampling_distribution
from rnncore.predict import Sample, encoder_of, lm_units

ARCH_NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM", "birnn": "BRNN"}
"""How the lessons name each architecture: "birnn" is the notes' bidirectional RNN (BRNN)."""


def is_bidirectional(meta: dict) -> bool:
    return meta["config"]["arch"] == "birnn"


# -- checkpoint facts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointFacts:
    """What a checkpoint's JSON says about its model: size, held-out scores, how it was trained."""

    arch: str
    params: int
    test: dict  # metrics on the held-out test split (frames and names never seen in training)
    challenge: dict  # metrics on the hand-written challenge set in tests/challenge/ ({} if none)
    epochs: int  # epochs actually run (early stopping may end before the limit)
    command: str


def checkpoint_facts(meta: dict) -> CheckpointFacts:
    metrics = meta.get("metrics", {})
    training = meta.get("training", {})
    return CheckpointFacts(
        arch=meta["config"]["arch"],
        params=int(meta["params"]),
        test=dict(metrics.get("test", {})),
        challenge=dict(metrics.get("challenge", {})),
        epochs=len(training.get("history", [])),
        command=str(training.get("command", "")),
    )


# -- named entities -----------------------------------------------------------------------------

ENTITY_TYPES = {"PER": "Person", "LOC": "Location", "ORG": "Organisation", "MISC": "Other name"}


@dataclass(frozen=True)
class Entity:
    type: str  # PER, LOC, ORG or MISC
    start: int  # first token, 0-based
    end: int  # one past the last token
    text: str  # its tokens joined by spaces


def entities(tokens: Sequence[str], labels: Sequence[str]) -> list[Entity]:
    """The named entities in a BIO tag sequence, with the tokens they cover."""
    return [Entity(kind, start, end, " ".join(tokens[start:end])) for kind, start, end in bio_spans(labels)]


def name_flags(labels: Sequence[str]) -> list[int]:
    """The notes' binary output: y<t> = 1 when token t is part of a name (any B- or I- tag), else 0."""
    return [0 if label == "O" else 1 for label in labels]


def name_probability(probs: Tensor, labels: Sequence[str]) -> list[float]:
    """P(y<t> = 1) = 1 - P(O) for each token; probs is (T_x, n_y) in the order of ``labels``."""
    outside = list(labels).index("O")
    return (1.0 - probs[:, outside]).tolist()


@dataclass(frozen=True)
class StepChoice:
    """What a tagger says at step t on its own: the most probable tag of y_hat<t> and its probability."""

    label: str
    prob: float
    name_prob: float  # 1 - P(O)


@torch.no_grad()
def tag_probs(model, meta: dict, tokens: Sequence[str]) -> Tensor:
    """y_hat<t> for every token of one sentence: (T_x, n_y) probabilities."""
    batch = encoder_of(meta).batch([list(tokens)])
    return F.softmax(model(**batch)[0], dim=-1)  # (T_x, n_y)


@torch.no_grad()
def tag_probs_from_prefixes(model, meta: dict, tokens: Sequence[str]) -> Tensor:
    """Row t holds y_hat<t> of the sentence cut after x<t>: each prefix x<1>..x<t> run on its own.

    This is the definition of "what the model could say having read only x<1>..x<t>"; it costs T_x
    runs. For a left-to-right model it equals the one-pass output (see :func:`left_to_right_choices`).
    Shape: (T_x, n_y).
    """
    T_x = len(tokens)
    batch = encoder_of(meta).batch([list(tokens[: t + 1]) for t in range(T_x)])  # m = T_x prefixes
    probs = F.softmax(model(**batch), dim=-1)  # (T_x prefixes, T_x, n_y)
    steps = torch.arange(T_x)
    return probs[steps, steps]  # (T_x, n_y): prefix t read at its own last step


def left_to_right_choices(model, meta: dict, tokens: Sequence[str]) -> list[StepChoice]:
    r"""What a left-to-right tagger says at each step, from x<1>..x<t> alone.

    a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a) depends only on x<1>..x<t>, and each x<t> (embedding,
    characters, word shape) looks at most one token back, so one pass over the whole sentence gives,
    at step t, exactly what the model would output if the sentence stopped after x<t>
    (tests/test_lessons_models.py checks it against :func:`tag_probs_from_prefixes`).

    The choice is the argmax of y_hat<t>, the model's own answer at step t; the tags of
    :func:`rnncore.predict.tag_tokens` go through BIO decoding over the whole sentence instead,
    which can look ahead. A bidirectional model has no such reading: it raises ValueError.
    """
    if is_bidirectional(meta):
        raise ValueError("left_to_right_choices: a bidirectional model reads the whole sentence at every step")
    if not tokens:
        return []
    probs = tag_probs(model, meta, tokens)  # (T_x, n_y)
    return _choices(probs, meta["labels"])


def whole_sentence_choices(model, meta: dict, tokens: Sequence[str]) -> list[StepChoice]:
    """The argmax of y_hat<t> when the model has read the whole sentence (both directions for a BRNN)."""
    if not tokens:
        return []
    return _choices(tag_probs(model, meta, tokens), meta["labels"])


def step_choices(probs: Tensor, labels: Sequence[str]) -> list[StepChoice]:
    """The argmax of each row of y_hat (T_x, n_y), with its probability and P(part of a name)."""
    return _choices(probs, labels)


def _choices(probs: Tensor, labels: Sequence[str]) -> list[StepChoice]:
    best = probs.argmax(dim=-1)  # (T_x,)
    names = name_probability(probs, labels)
    return [StepChoice(labels[int(k)], float(probs[t, k]), names[t]) for t, k in enumerate(best)]


# -- sentiment ----------------------------------------------------------------------------------

N_STARS = 5


def expected_stars(probs: Tensor) -> Tensor:
    """E[stars] = sum_k k P(k stars), for probs (..., 5) over 1..5 stars."""
    return probs @ torch.arange(1, N_STARS + 1, dtype=probs.dtype)


@dataclass(frozen=True)
class Turn:
    t: int  # 1-based step whose word changed the rating
    word: str
    before: int  # stars after x<1>..x<t-1>
    after: int  # stars after x<1>..x<t>


def rating_turns(tokens: Sequence[str], prefix_probs: Tensor) -> list[Turn]:
    """Where the most probable rating changes as the sentence is read: prefix_probs is (T_x, 5)."""
    stars = (prefix_probs.argmax(dim=-1) + 1).tolist()
    return [
        Turn(t + 1, tokens[t], stars[t - 1], stars[t]) for t in range(1, len(stars)) if stars[t] != stars[t - 1]
    ]


def train_bag_of_words(seed: int, reviews: Sequence[tuple]):
    """The order-blind baseline (:class:`rnncore.baselines.BagOfWords`) fitted on (text, stars) reviews."""
    from rnncore.baselines import BagOfWords

    return BagOfWords(seed=seed).fit([r[0] for r in reviews], [r[1] for r in reviews])


def bag_of_words_parameters(bow) -> int:
    """Weights of the baseline: W_yx, one column of 5 votes per vocabulary word, and b_y."""
    return sum(p.numel() for p in (bow.W_yx.weight, bow.b_y))


def star_scores(gold: Sequence[int], pred: Sequence[int]) -> dict:
    """Exact-star accuracy, accuracy within one star and polarity accuracy (negative 1-2, neutral 3,
    positive 4-5), as the shipped checkpoints report them."""
    from rnncore.metrics import polarity_accuracy

    n = max(len(gold), 1)
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / n,
        "within_one_star": sum(abs(g - p) <= 1 for g, p in zip(gold, pred, strict=True)) / n,
        "polarity_accuracy": polarity_accuracy(gold, pred),
        "reviews": len(gold),
    }


def bag_of_words_scores(bow, reviews: Sequence[tuple]) -> dict:
    """:func:`star_scores` of the bag of words on (text, stars, ...) reviews."""
    return star_scores([r[1] for r in reviews], bow.predict([r[0] for r in reviews]))


def same_words(tokens_a: Sequence[str], tokens_b: Sequence[str]) -> bool:
    """The two texts hold the same words, ignoring order and case: a bag of words cannot tell them apart."""
    return sorted(t.lower() for t in tokens_a) == sorted(t.lower() for t in tokens_b)


# -- language models ----------------------------------------------------------------------------

LN_10 = math.log(10.0)


@dataclass(frozen=True)
class Scientific:
    """A probability written as mantissa x 10^exponent, from its natural log (it may underflow a float)."""

    mantissa: float
    exponent: int

    @classmethod
    def from_log(cls, log_p: float) -> Scientific:
        log10 = log_p / LN_10
        exponent = math.floor(log10)
        mantissa = 10.0 ** (log10 - exponent)
        if mantissa >= 9.995:  # would print as "10.0"
            mantissa, exponent = mantissa / 10.0, exponent + 1
        return cls(mantissa, exponent)


@dataclass(frozen=True)
class ScoreComparison:
    log_ratio: float  # log P(b) - log P(a), natural log
    first_difference: int | None  # 0-based position where the two unit lists first differ

    @property
    def ratio(self) -> float:
        """P(b) / P(a); inf when it exceeds a float."""
        return math.exp(self.log_ratio) if self.log_ratio < 709.0 else math.inf


def compare_scores(units_a: Sequence[str], log_p_a: float, units_b: Sequence[str], log_p_b: float) -> ScoreComparison:
    first = next((t for t, (x, y) in enumerate(zip(units_a, units_b, strict=False)) if x != y), None)
    if first is None and len(units_a) != len(units_b):
        first = min(len(units_a), len(units_b))
    return ScoreComparison(log_p_b - log_p_a, first)


@dataclass(frozen=True)
class PrefixUnits:
    kept: list[str]  # units the model reads first
    dropped: list[str]  # units the vocabulary lacks (<UNK>), left out as rnncore.predict.sample does


def prefix_units(meta: dict, prefix: str) -> PrefixUnits:
    """The prefix as :func:`rnncore.predict.sample` reads it: unknown units are left out."""
    vocab = encoder_of(meta).words
    units = lm_units(meta, prefix) if prefix else []
    kept = [u for u in units if vocab.id_of(u) != vocab.unk_id]
    dropped = [u for u in units if vocab.id_of(u) == vocab.unk_id]
    return PrefixUnits(kept, dropped)


@dataclass(frozen=True)
class SampledStep:
    """One generated step: the units read so far, the distribution sampled from, the unit drawn."""

    context: list[str]  # y<1>..y<t-1> (prefix included), without the start token
    distribution: Tensor  # (V,) softmax(logits / temperature) over the top_k, as sampled
    chosen_id: int
    chosen: str  # the unit drawn; <EOS> ends the sequence


def sampled_steps(meta: dict, sample: Sample) -> list[SampledStep]:
    """Each step of a :class:`~rnncore.predict.Sample` with its context, in order."""
    vocab = encoder_of(meta).words
    n_generated = len([i for i in sample.chosen if i != vocab.eos_id])
    prefix = sample.units[: len(sample.units) - n_generated]
    generated = sample.units[len(prefix) :]
    steps = []
    for s, (dist, chosen_id) in enumerate(zip(sample.distributions, sample.chosen, strict=True)):
        steps.append(SampledStep([*prefix, *generated[:s]], dist, int(chosen_id), vocab.tokens[int(chosen_id)]))
    return steps


@dataclass(frozen=True)
class StepView:
    """One sampled step as the lesson shows it, in plain numbers (small enough to cache)."""

    context: list[str]  # y<1>..y<t-1>, prefix included
    chosen: str  # the unit drawn
    chosen_id: int
    p: float  # P(chosen) under the distribution it was drawn from
    rank: int  # 1 = the most probable unit
    entropy: float  # bits
    top: list[tuple[int, str, float]]  # the most probable units, the chosen one always included
    full: list[float] | None  # the whole distribution, kept only for small vocabularies (characters)


@dataclass(frozen=True)
class SampleView:
    text: str  # as a reader sees it: detokenized words, or a capitalised name
    units: list[str]
    ended: bool  # stopped by drawing <EOS>
    new: bool | None  # characters: not one of the training names; None for words
    steps: list[StepView]


def describe_sample(meta: dict, sample: Sample, top: int = 12, full_up_to: int = 128) -> SampleView:
    """A :class:`~rnncore.predict.Sample` reduced to what the lesson shows: tensors become short lists."""
    tokens = encoder_of(meta).words.tokens
    keep_full = len(tokens) <= full_up_to
    steps = [
        StepView(
            step.context,
            step.chosen,
            step.chosen_id,
            float(step.distribution[step.chosen_id]),
            rank_of(step.distribution, step.chosen_id),
            entropy_bits(step.distribution),
            top_units(step.distribution, tokens, top, must_include=step.chosen_id),
            step.distribution.tolist() if keep_full else None,
        )
        for step in sampled_steps(meta, sample)
    ]
    new = is_new_name(meta, sample) if meta.get("level") == "char" else None
    return SampleView(sample_text(meta, sample), list(sample.units), sample_ended(meta, sample), new, steps)


@torch.no_grad()
def next_unit_logits(model, meta: dict, context: Sequence[str]) -> Tensor:
    """The logits of y_hat<t> after reading <EOS> (the start) and ``context``: (V,)."""
    vocab = encoder_of(meta).words
    ids = torch.tensor([[vocab.eos_id, *vocab.encode(context)]])  # (1, 1 + len(context))
    return model(ids)[0, -1]  # (V,)


def distributions_at(model, meta: dict, context: Sequence[str], temperatures: Sequence[float],
                     top_k: int = 0) -> dict[float, Tensor]:
    """The same step's softmax(logits / T) at each temperature T (<UNK> banned, as when sampling)."""
    logits = next_unit_logits(model, meta, context)
    unk = encoder_of(meta).words.unk_id
    return {T: sampling_distribution(logits, T, top_k, banned=(unk,)) for T in temperatures}


def top_units(distribution: Tensor, tokens: Sequence[str], k: int, must_include: int | None = None) -> list[tuple[int, str, float]]:
    """The k most probable units as (id, unit, p), most probable first, plus ``must_include`` if it is not
    among them (so a sampled unit is always on the chart)."""
    k = max(1, min(k, distribution.numel()))
    values, ids = torch.topk(distribution, k)
    rows = [(int(i), tokens[int(i)], float(p)) for p, i in zip(values, ids, strict=True) if float(p) > 0]
    if must_include is not None and all(i != must_include for i, _, _ in rows):
        rows.append((must_include, tokens[must_include], float(distribution[must_include])))
    return rows


def rank_of(distribution: Tensor, unit_id: int) -> int:
    """1 + how many units were more probable than ``unit_id`` at this step (1 = the most probable)."""
    return 1 + int((distribution > distribution[unit_id]).sum())


def sample_ended(meta: dict, sample: Sample) -> bool:
    """The sample stopped by drawing <EOS> (rather than at the length limit)."""
    eos = encoder_of(meta).words.eos_id
    return bool(sample.chosen) and int(sample.chosen[-1]) == eos


def entropy_bits(distribution: Tensor) -> float:
    """H = -sum p log2 p: how many yes/no questions the step's choice is worth; higher = more random."""
    p = distribution[distribution > 0]
    return float(-(p * torch.log2(p)).sum())


def sample_text(meta: dict, sample: Sample) -> str:
    return sample.text(meta.get("level", "word"))


def is_new_name(meta: dict, sample: Sample) -> bool:
    """A sampled name is new when its characters are not one of the training names (lowercase)."""
    return "".join(sample.units).lower() not in set(meta.get("training_names", []))


@dataclass(frozen=True)
class LevelView:
    """One sentence as a model of one level reads it."""

    level: str  # "word" or "char"
    units: list[str]  # y<1>..y<T_y>, <EOS> not included
    unknown: list[bool]  # unit is <UNK> to this model's vocabulary
    V: int  # one-hot width of the vocabulary (every unit but <PAD>)

    @property
    def T(self) -> int:
        return len(self.units)

    @property
    def n_unknown(self) -> int:
        return sum(self.unknown)


def level_view(meta: dict, text: str) -> LevelView:
    vocab = encoder_of(meta).words
    units = lm_units(meta, text)
    return LevelView(meta.get("level", "word"), units, [vocab.id_of(u) == vocab.unk_id for u in units], vocab.V)


def unit_probabilities(token_log_probs: Sequence[float]) -> list[float]:
    """P(y<t> | y<1>..y<t-1>) from natural-log scores."""
    return [math.exp(lp) for lp in token_log_probs]

