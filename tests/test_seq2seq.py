"""The encoder-decoder (rnncore.seq2seq) on tiny seeded models: decoding agrees with training, beam
search with K = 1 is greedy, attention weights are a distribution over the real source words, padding
changes nothing, checkpoints round-trip, and a model trained for a few seconds learns to reverse."""

from __future__ import annotations

import random

import pytest
import torch

from rnncore import checkpoint
from rnncore.seq2seq import EncoderDecoder, Seq2SeqConfig
from rnncore.threads import torch_threads

PAD, SOS, EOS = 0, 1, 2  # toy ids; words are 3..V-1


def tiny(arch: str = "gru", attention: bool = True, bidirectional: bool = True, seed: int = 0, V: int = 12,
         n: int = 16) -> EncoderDecoder:
    torch.manual_seed(seed)
    model = EncoderDecoder(Seq2SeqConfig(arch, V, V, n_e=n, n_a=n, n_s=2 * n, attention=attention,
                                         bidirectional=bidirectional, dropout=0.0))
    return model.eval()


def sources(seed: int = 0, n: int = 6, V: int = 12) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.randrange(3, V) for _ in range(rng.randint(1, 7))] for _ in range(n)]


VARIANTS = [("gru", True), ("gru", False), ("lstm", True), ("lstm", False), ("rnn", True)]


@pytest.mark.parametrize("arch,attention", VARIANTS)
def test_beam_of_one_is_greedy(arch, attention):
    model = tiny(arch, attention)
    for row in sources():
        x = torch.tensor([row])
        (greedy,) = model.greedy(x, None, SOS, EOS, 12, banned=())
        ((beam, *_),) = model.beam_search(x, None, SOS, EOS, 12, beam=1)
        assert beam.ids == greedy.ids and beam.finished == greedy.finished
        assert beam.step_log_probs == pytest.approx(greedy.step_log_probs, abs=1e-5)


@pytest.mark.parametrize("arch,attention", VARIANTS)
def test_teacher_forcing_gives_the_decoders_own_step_probabilities(arch, attention):
    """The fast training pass and the one-step-at-a-time decoder compute the same function."""
    model = tiny(arch, attention)
    x = torch.tensor([[3, 4, 5, 6]])
    (greedy,) = model.greedy(x, None, SOS, EOS, 8)
    written = [*greedy.ids, EOS]  # a capped translation ends with <EOS> too
    y_in = torch.tensor([[SOS, *greedy.ids]])
    logits, alpha = model(x, torch.tensor([4]), y_in)
    logits[..., [PAD, SOS]] = float("-inf")
    log_p = torch.log_softmax(logits[0], dim=-1)
    assert log_p[torch.arange(len(written)), written].tolist() == pytest.approx(greedy.step_log_probs, abs=1e-5)
    if attention:
        assert torch.allclose(alpha[0], greedy.alphas, atol=1e-5)


def test_attention_weights_are_a_distribution_over_the_real_source_words():
    model = tiny("gru", True)
    x = torch.tensor([[3, 4, 5, 6, 7], [8, 9, 0, 0, 0]])  # the second row is padded after 2 words
    y_in = torch.tensor([[SOS, 3, 4], [SOS, 5, 0]])
    _, alpha = model(x, torch.tensor([5, 2]), y_in, torch.tensor([3, 2]))  # (m, T_y, T_x)
    assert torch.allclose(alpha.sum(dim=2)[0], torch.ones(3))
    assert torch.allclose(alpha[1, :2].sum(dim=1), torch.ones(2))
    assert alpha[1, :, 2:].abs().max() == 0  # never on padding
    assert (alpha[0] > 0).all() and alpha[0].std() > 0  # not uniform, not one-hot: a real softmax


def test_without_attention_every_step_reads_the_same_summary():
    model = tiny("gru", False)
    enc = model.encode(torch.tensor([[3, 4, 5]]))
    s = torch.randn(1, 4, model.config.n_s)
    context, alpha = model.attend(s, enc)
    assert torch.equal(context[0, 0], enc.summary[0]) and torch.equal(context[0, 3], enc.summary[0])
    assert alpha.abs().max() == 0


def test_bidirectional_summary_is_the_last_forward_and_first_backward_state():
    model = tiny("gru", True)
    enc = model.encode(torch.tensor([[3, 4, 5]]))
    n_a = model.config.n_a
    assert torch.equal(enc.summary[0, :n_a], enc.a[0, -1, :n_a])  # a_fwd<T_x>
    assert torch.equal(enc.summary[0, n_a:], enc.a[0, 0, n_a:])  # a_bwd<1>


def test_padding_in_a_batch_changes_no_translation():
    model = tiny("gru", True, seed=3)
    rows = sources(seed=5, n=5)
    alone = [model.greedy(torch.tensor([row]), None, SOS, EOS, 10)[0] for row in rows]
    lengths = torch.tensor([len(r) for r in rows])
    x = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)
    for i, row in enumerate(rows):
        x[i, : len(row)] = torch.tensor(row)
    together = model.greedy(x, lengths, SOS, EOS, 10)
    for a, b, row in zip(alone, together, rows, strict=True):
        assert a.ids == b.ids
        assert a.step_log_probs == pytest.approx(b.step_log_probs, abs=1e-5)
        assert b.alphas[:, len(row):].abs().sum() == 0


@pytest.mark.parametrize("arch,attention", [("gru", True), ("lstm", False)])
def test_beam_search_of_a_batch_is_beam_search_of_each_source(arch, attention):
    model = tiny(arch, attention, seed=4)
    rows = sources(seed=7, n=6)
    alone = [model.beam_search(torch.tensor([row]), None, SOS, EOS, 9, beam=4)[0] for row in rows]
    lengths = torch.tensor([len(r) for r in rows])
    x = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)
    for i, row in enumerate(rows):
        x[i, : len(row)] = torch.tensor(row)
    together = model.beam_search(x, lengths, SOS, EOS, [9, 9, 3, 9, 9, 2], beam=4)
    for k, (a, b) in enumerate(zip(alone, together, strict=True)):
        if k in (2, 5):  # capped sooner: at most 3 and 2 words
            assert all(len(d.ids) <= (3 if k == 2 else 2) for d in b)
            continue
        assert [d.ids for d in a] == [d.ids for d in b]
        assert [d.log_prob for d in a] == pytest.approx([d.log_prob for d in b], abs=1e-5)


def test_the_length_cap_stops_a_decoder_that_never_ends():
    model = tiny("gru", True)
    with torch.no_grad():
        model.out.bias[EOS] = -1e4  # <EOS> all but impossible
    (greedy,) = model.greedy(torch.tensor([[3, 4]]), None, SOS, EOS, 5)
    assert len(greedy.ids) == 5 and not greedy.finished and len(greedy.step_log_probs) == 6
    best = model.beam_search(torch.tensor([[3, 4]]), None, SOS, EOS, 5, beam=3)[0][0]
    assert len(best.ids) == 5 and not best.finished


def test_beam_search_finds_at_least_as_probable_a_translation_as_greedy():
    for seed in range(4):
        model = tiny("gru", True, seed=seed)
        for row in sources(seed=seed, n=4):
            x = torch.tensor([row])
            (greedy,) = model.greedy(x, None, SOS, EOS, 12)
            (found,) = model.beam_search(x, None, SOS, EOS, 12, beam=6, length_penalty=0.0)
            assert found[0].log_prob >= greedy.log_prob - 1e-5
            assert [d.log_prob for d in found] == sorted((d.log_prob for d in found), reverse=True)


def test_the_decoder_never_writes_pad_or_a_banned_token():
    model = tiny("gru", True)
    with torch.no_grad():
        model.out.bias[PAD] = 1e4
        model.out.bias[SOS] = 1e4
    (greedy,) = model.greedy(torch.tensor([[3, 4]]), None, SOS, EOS, 6)
    assert PAD not in greedy.ids and SOS not in greedy.ids


@pytest.mark.parametrize("half", [False, True])
def test_checkpoint_round_trip(tmp_path, half):
    model = tiny("lstm", True, seed=2)
    checkpoint.save(model, tmp_path / "toy", half=half, task="toy")
    again, meta = checkpoint.load(tmp_path / "toy")
    assert isinstance(again, EncoderDecoder) and again.config == model.config
    assert meta["weights_dtype"] == ("float16" if half else "float32")
    assert again.out.weight is again.E_y.weight  # the tie survives
    x = torch.tensor([[3, 4, 5]])
    a, b = model.greedy(x, None, SOS, EOS, 8)[0], again.greedy(x, None, SOS, EOS, 8)[0]
    if not half:
        assert a.ids == b.ids and a.step_log_probs == pytest.approx(b.step_log_probs, abs=1e-6)
    else:
        assert a.step_log_probs[0] == pytest.approx(b.step_log_probs[0], abs=1e-2)


def test_a_tiny_model_learns_to_reverse_a_sequence():
    """A few seconds of training on reversal: exact on unseen sequences, far from a constant model."""
    V, generator = 10, random.Random(0)

    def example():
        row = [generator.randrange(3, V) for _ in range(generator.randint(2, 5))]
        return row, row[::-1]

    train, test = [example() for _ in range(1500)], [example() for _ in range(100)]
    test = [t for t in test if t not in train]
    model = tiny("gru", True, V=V, n=24).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    with torch_threads(1):  # small products: a second thread only waits (rnncore.threads)
        fit_reversal(model, optimizer, train, generator)
    model.eval()
    right = sum(model.greedy(torch.tensor([s]), None, SOS, EOS, 10)[0].ids == t for s, t in test)
    assert right / len(test) >= 0.85
    outputs = {tuple(model.greedy(torch.tensor([s]), None, SOS, EOS, 10)[0].ids) for s, _ in test}
    assert len(outputs) > len(test) // 2  # the outputs follow the inputs


def fit_reversal(model, optimizer, train, generator) -> None:
    for _epoch in range(8):
        generator.shuffle(train)
        for k in range(0, len(train), 50):
            batch = train[k: k + 50]
            x_len = torch.tensor([len(s) for s, _ in batch])
            x = torch.zeros(len(batch), 5, dtype=torch.long)
            y_in = torch.zeros(len(batch), 6, dtype=torch.long)
            y_out = torch.zeros(len(batch), 6, dtype=torch.long)
            for i, (s, t) in enumerate(batch):
                x[i, : len(s)] = torch.tensor(s)
                y_in[i, : len(t) + 1] = torch.tensor([SOS, *t])
                y_out[i, : len(t) + 1] = torch.tensor([*t, EOS])
            loss = model.loss(x, x_len, y_in, y_out, x_len + 1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
