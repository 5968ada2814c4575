"""What the language-model lesson teaches with (one-to-many): P(sentence) as a product, in the notes'
a x 10^b form; the softmax at each sampled step, at other temperatures; samples marked new or seen in
training; the same sentence as word and as character units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from rnncore.encoding import encoder_of
from rnncore.models import sampling_distribution
from rnncore.tasks.lm.inference import Sample, lm_units

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
    dropped: list[str]  # units the vocabulary lacks (<UNK>), left out as rnncore.tasks.lm.inference.sample does


def prefix_units(meta: dict, prefix: str) -> PrefixUnits:
    """The prefix as :func:`rnncore.tasks.lm.inference.sample` reads it: unknown units are left out."""
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
    """Each step of a :class:`~rnncore.tasks.lm.inference.Sample` with its context, in order."""
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
    """A :class:`~rnncore.tasks.lm.inference.Sample` reduced to what the lesson shows: tensors become short lists."""
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
