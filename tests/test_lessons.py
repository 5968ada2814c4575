"""rnncore.explain.onehot: the numbers behind the "Words to vectors" lesson, checked against real tensors/modules."""

import csv
import io

import pytest
import torch

from rnncore.explain import onehot as lessons
from rnncore.text import course_vocab, one_hot, tokenize

SHERLOCK = "Sherlock Holmes and John Watson lived at 221B Baker Street in London."


def test_punctuation_is_dropped_the_way_the_notes_count():
    tokens = tokenize(SHERLOCK)
    assert len(tokens) == 13
    assert len(lessons.drop_punctuation(tokens)) == 12
    assert lessons.drop_punctuation(tokens)[-1] == "London"
    assert lessons.is_punctuation("?") and lessons.is_punctuation("？") and lessons.is_punctuation("...")
    # symbols and pictures are tokens to look up (-> <UNK>), not punctuation
    for token in ["<", "😀", "221B", "didn't", "'s", ""]:
        assert not lessons.is_punctuation(token), token


def test_one_hot_memory_matches_the_real_tensors():
    vocab = course_vocab()
    ids = vocab.encode(tokenize(SHERLOCK))
    x = one_hot(ids, vocab.V)  # (T_x, V)
    index_list = torch.tensor(ids, dtype=torch.int64)  # (T_x,)
    memory = lessons.one_hot_memory(len(ids), vocab.V)
    assert memory.dense_bytes == x.nelement() * x.element_size() == 13 * 10_000 * 4
    assert memory.index_bytes == index_list.nelement() * index_list.element_size() == 13 * 8
    assert memory.nonzeros == int(x.count_nonzero())
    assert memory.sparsity == pytest.approx(float((x == 0).float().mean()))
    assert memory.ratio == pytest.approx(5000.0)
    half = lessons.one_hot_memory(13, 10_000, value_dtype=torch.float16, index_dtype=torch.int16)
    assert (half.dense_bytes, half.index_bytes) == (13 * 10_000 * 2, 13 * 2)
    assert lessons.one_hot_memory(0, 10).sparsity == 0.0
    with pytest.raises(ValueError, match="one_hot_memory"):
        lessons.one_hot_memory(3, 0)


@pytest.mark.parametrize("T_x, V, n_a", [(3, 7, 5), (4, 11, 2), (1, 1, 1)])
def test_fc_and_rnn_counts_equal_torch_modules(T_x, V, n_a):
    comparison = lessons.compare_fc_and_rnn(T_x, V, n_a)
    fc = torch.nn.Linear(T_x * V, n_a)
    fc_longer = torch.nn.Linear((T_x + 1) * V, n_a)
    assert comparison.fc == sum(p.numel() for p in fc.parameters())
    assert comparison.fc_one_word_longer == sum(p.numel() for p in fc_longer.parameters())
    assert comparison.fc_growth_per_word == V * n_a
    # torch's RNN cell has weight_ih = W_ax, weight_hh = W_aa and two biases where the course has b_a
    cell = torch.nn.RNNCell(V, n_a)
    assert comparison.rnn["W_ax"] == cell.weight_ih.numel()
    assert comparison.rnn["W_aa"] == cell.weight_hh.numel()
    assert comparison.rnn["b_a"] == cell.bias_ih.numel()
    assert comparison.torch_rnn_total == sum(p.numel() for p in cell.parameters())
    assert comparison.rnn_total == n_a * n_a + n_a * V + n_a


def test_fc_vs_rnn_for_the_notes_sentence():
    comparison = lessons.compare_fc_and_rnn(T_x=12, V=10_000, n_a=100)
    assert comparison.fc == 12 * 10_000 * 100 + 100 == 12_000_100
    assert comparison.rnn == {"W_aa": 10_000, "W_ax": 1_000_000, "b_a": 100}
    assert comparison.fc_one_word_longer - comparison.fc == 1_000_000
    with pytest.raises(ValueError, match="compare_fc_and_rnn"):
        lessons.compare_fc_and_rnn(0, 10, 10)


def test_pad_batch_layouts():
    vocab = course_vocab()
    sentences = [SHERLOCK, "Yesterday, Tom met Eliza in Paris.", "The apple and pear salad"]
    id_lists = [vocab.encode(tokenize(s)) for s in sentences]
    batch = lessons.pad_batch(id_lists)
    assert batch.lengths == (13, 8, 5)
    assert (batch.m, batch.T_x) == (3, 13)
    assert batch.padded_steps == 3 * 13 - (13 + 8 + 5)
    assert batch.ids[1, :8].tolist() == id_lists[1]
    assert batch.ids[1, 8:].tolist() == [0] * 5
    x = batch.one_hot_batch_first(vocab.V)
    assert x.shape == (3, 13, 10_000)  # (m, T_x, n_x)
    course = batch.one_hot_course_layout(vocab.V)
    assert course.shape == (10_000, 3, 13)  # (n_x, m, T_x)
    # X^(2)<4> = "met" ("Yesterday", ",", "Tom", "met"): example i=2 is index 1, step t=4 is index 3
    met = vocab.id_of("met")
    assert x[1, 3, met - 1] == 1 and course[met - 1, 1, 3] == 1
    assert x[1, 3].sum() == 1
    # a padded step is an all-zero one-hot row, so it adds nothing to W_ax x<t>
    assert x[2, 5:].abs().sum() == 0
    assert torch.equal(course.permute(1, 2, 0), x)
    assert batch.batch_first_shape(vocab.V) == tuple(x.shape)
    assert batch.course_shape(vocab.V) == tuple(course.shape)
    with pytest.raises(ValueError, match="pad_batch"):
        lessons.pad_batch([])


def test_one_hot_csv_used_columns_and_full():
    vocab = course_vocab()
    tokens = tokenize("The cat, the 221B.")
    ids = vocab.encode(tokens)
    text = lessons.one_hot_csv(tokens, ids, vocab.tokens)
    rows = list(csv.reader(io.StringIO(text)))
    used = sorted(set(ids))
    assert rows[0] == ["t", "token", *(f"{vocab.tokens[i]}:{i}" for i in used)]
    assert rows[0][-1] == "<UNK>:10000"
    assert [row[1] for row in rows[1:]] == tokens  # the "," token survives CSV quoting
    matrix = [[int(v) for v in row[2:]] for row in rows[1:]]
    assert matrix == [[1 if column == i else 0 for column in used] for i in ids]
    full = list(csv.reader(io.StringIO(lessons.one_hot_csv(tokens, ids, vocab.tokens, used_only=False))))
    assert len(full[0]) == 2 + 10_000 and full[0][2] == "a:1"
    dense = one_hot(ids, vocab.V).int().tolist()
    assert [[int(v) for v in row[2:]] for row in full[1:]] == dense
    with pytest.raises(ValueError, match="one_hot_csv"):
        lessons.one_hot_csv(tokens, ids[:-1], vocab.tokens)
