"""The arithmetic behind the lessons' figures, so that every number a page shows is computed here.

Lesson "Words to vectors":

- how much memory a sentence takes as a dense one-hot matrix (T_x, V) against the list of its T_x
  vocabulary indices, and how sparse that matrix is;
- why a standard (fully connected) network does not suit sequences: its first layer on the flattened
  T_x * V input has T_x * V * n_h + n_h parameters and grows with every extra word, while an RNN shares
  W_aa (n_a, n_a), W_ax (n_a, n_x) and b_a (n_a,) across all time steps, whatever T_x is;
- a data set of m sentences X^(i) of lengths T_x^(i), padded with <PAD> (id 0, an all-zero one-hot
  row) into one batch, in the notes' layout (n_x, m, T_x) and in PyTorch's batch-first (m, T_x, n_x).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from rnncore.text import one_hot

PAD_ID = 0
"""Vocabulary id of <PAD>: it has no column in the one-hot matrix, so a padded step is a zero row."""


def is_punctuation(token: str) -> bool:
    """True for tokens made only of punctuation characters (Unicode categories P*), e.g. "." or "?".

    Symbols such as "<" or an emoji are not punctuation: they stay tokens (and become <UNK>).
    """
    return bool(token) and all(unicodedata.category(char).startswith("P") for char in token)


def drop_punctuation(tokens: Sequence[str]) -> list[str]:
    """The tokens the notes count: "... in London." has T_x = 12 there, 13 with the period."""
    return [token for token in tokens if not is_punctuation(token)]


# ---------------------------------------------------------------------------------------------
# Memory: dense one-hot matrix against an index list


@dataclass(frozen=True)
class OneHotMemory:
    """Memory of one sentence of T_x tokens over a vocabulary of V words."""

    T_x: int
    V: int
    dense_bytes: int  # the (T_x, V) one-hot matrix, every zero stored
    index_bytes: int  # the T_x vocabulary indices
    nonzeros: int  # one 1 per row

    @property
    def entries(self) -> int:
        return self.T_x * self.V

    @property
    def sparsity(self) -> float:
        """Fraction of the matrix's entries that are zero: 1 - T_x / (T_x V) = 1 - 1/V."""
        return 1.0 - self.nonzeros / self.entries if self.entries else 0.0

    @property
    def ratio(self) -> float:
        """How many times more bytes the dense matrix needs than the index list."""
        return self.dense_bytes / self.index_bytes if self.index_bytes else 0.0


def one_hot_memory(
    T_x: int, V: int, value_dtype: torch.dtype = torch.float32, index_dtype: torch.dtype = torch.int64
) -> OneHotMemory:
    """Bytes of the dense (T_x, V) one-hot matrix in ``value_dtype`` vs T_x indices in ``index_dtype``.

    dense = T_x * V * sizeof(value), index list = T_x * sizeof(index); the matrix holds T_x ones.
    """
    if T_x < 0 or V < 1:
        raise ValueError(f"one_hot_memory: need T_x >= 0 and V >= 1, got T_x={T_x}, V={V}")
    return OneHotMemory(
        T_x=T_x,
        V=V,
        dense_bytes=T_x * V * value_dtype.itemsize,
        index_bytes=T_x * index_dtype.itemsize,
        nonzeros=T_x,
    )


# ---------------------------------------------------------------------------------------------
# Parameters: a fully connected layer on the flattened sentence against an RNN's shared weights


def fc_layer_params(T_x: int, V: int, n_h: int) -> int:
    """Parameters of a fully connected layer from the flattened (T_x * V,) input to n_h units.

    h = g(W x_flat + b), W: (n_h, T_x * V), b: (n_h,)  ->  T_x * V * n_h + n_h.
    """
    return T_x * V * n_h + n_h


def rnn_shared_params(n_x: int, n_a: int) -> dict[str, int]:
    """Parameters of the course's RNN cell, shared by every time step:

    a<t> = tanh(W_aa a<t-1> + W_ax x<t> + b_a), W_aa: (n_a, n_a), W_ax: (n_a, n_x), b_a: (n_a,).
    """
    return {"W_aa": n_a * n_a, "W_ax": n_a * n_x, "b_a": n_a}


@dataclass(frozen=True)
class FcVsRnn:
    """The lesson's comparison for one sentence length T_x, vocabulary V and hidden size n_a (= n_h)."""

    T_x: int
    V: int
    n_a: int
    fc: int  # FC layer for T_x words
    fc_one_word_longer: int  # FC layer for T_x + 1 words: a different layer, trained from scratch
    rnn: dict[str, int]  # W_aa, W_ax, b_a

    @property
    def rnn_total(self) -> int:
        return sum(self.rnn.values())

    @property
    def fc_growth_per_word(self) -> int:
        """Extra FC parameters for one more word: V * n_h (the RNN needs none)."""
        return self.fc_one_word_longer - self.fc

    @property
    def torch_rnn_total(self) -> int:
        """torch.nn.RNN's count for the same cell: it keeps two bias vectors (b_ih, b_hh) where the
        course has one b_a, so n_a more parameters computing the same function."""
        return self.rnn_total + self.n_a


def compare_fc_and_rnn(T_x: int, V: int, n_a: int) -> FcVsRnn:
    """FC layer on the flattened (T_x, V) sentence vs an RNN with n_a hidden units over n_x = V inputs."""
    if T_x < 1 or V < 1 or n_a < 1:
        raise ValueError(f"compare_fc_and_rnn: need T_x, V, n_a >= 1, got T_x={T_x}, V={V}, n_a={n_a}")
    return FcVsRnn(
        T_x=T_x,
        V=V,
        n_a=n_a,
        fc=fc_layer_params(T_x, V, n_a),
        fc_one_word_longer=fc_layer_params(T_x + 1, V, n_a),
        rnn=rnn_shared_params(n_x=V, n_a=n_a),
    )


# ---------------------------------------------------------------------------------------------
# A data set of m sentences in one padded batch


@dataclass(frozen=True)
class PaddedBatch:
    """m sentences X^(1..m) padded with <PAD> (id 0) to the longest, T_x = max_i T_x^(i)."""

    ids: torch.Tensor  # (m, T_x) int64, 0 where padded
    lengths: tuple[int, ...]  # T_x^(i) for i = 1..m

    @property
    def m(self) -> int:
        return self.ids.shape[0]

    @property
    def T_x(self) -> int:
        return self.ids.shape[1]

    @property
    def padded_steps(self) -> int:
        """Positions that hold <PAD> instead of a word: m * T_x - sum_i T_x^(i)."""
        return self.m * self.T_x - sum(self.lengths)

    def batch_first_shape(self, V: int) -> tuple[int, int, int]:
        """Shape of :meth:`one_hot_batch_first` without building it: (m, T_x, n_x)."""
        return (self.m, self.T_x, V)

    def course_shape(self, V: int) -> tuple[int, int, int]:
        """Shape of :meth:`one_hot_course_layout` without building it: (n_x, m, T_x)."""
        return (V, self.m, self.T_x)

    def one_hot_batch_first(self, V: int) -> torch.Tensor:
        """PyTorch's batch-first layout (m, T_x, n_x), n_x = V; a padded step is an all-zero row."""
        return one_hot(self.ids, V)  # (m, T_x, n_x)

    def one_hot_course_layout(self, V: int) -> torch.Tensor:
        """The notes' layout (n_x, m, T_x): x[:, i, t] is the one-hot column of X^(i)<t>."""
        return self.one_hot_batch_first(V).permute(2, 0, 1)  # (n_x, m, T_x)


def pad_batch(id_lists: Sequence[Sequence[int]]) -> PaddedBatch:
    """Pad m lists of vocabulary ids with <PAD> = 0 to the longest one.

    >>> pad_batch([[5, 6, 7], [8]]).ids.tolist()
    [[5, 6, 7], [8, 0, 0]]
    """
    if not id_lists:
        raise ValueError("pad_batch: need at least one sentence (m >= 1)")
    lengths = tuple(len(ids) for ids in id_lists)
    T_x = max(lengths)
    ids = torch.full((len(id_lists), T_x), PAD_ID, dtype=torch.int64)  # (m, T_x)
    for i, sentence in enumerate(id_lists):
        ids[i, : len(sentence)] = torch.tensor(list(sentence), dtype=torch.int64)
    return PaddedBatch(ids=ids, lengths=lengths)


# ---------------------------------------------------------------------------------------------
# Export


def one_hot_csv(
    tokens: Sequence[str], ids: Sequence[int], words: Sequence[str], used_only: bool = True
) -> str:
    """The (T_x, V) one-hot matrix as CSV: a row per time step t, a column per vocabulary entry.

    ``words[index]`` is the vocabulary word of column ``index`` (``Vocab.tokens``: ``words[0]`` is <PAD>,
    so V = len(words) - 1). The header is ``t,token`` followed by ``word:index`` for each column. With
    ``used_only`` only the columns holding a 1 are written, in index order; otherwise all V columns.
    """
    if len(tokens) != len(ids):
        raise ValueError(f"one_hot_csv: {len(tokens)} tokens but {len(ids)} ids")
    columns = sorted(set(ids)) if used_only else range(1, len(words))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["t", "token", *(f"{words[c]}:{c}" for c in columns)])
    for t, (token, index) in enumerate(zip(tokens, ids, strict=True), start=1):
        writer.writerow([t, token, *(1 if c == index else 0 for c in columns)])
    return out.getvalue()
