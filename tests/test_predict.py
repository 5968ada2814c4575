"""Decoding and sampling rules, on tiny models and hand-made probabilities."""

import math

import torch

from rnncore.models import LanguageModel, ModelConfig, sampling_distribution
from rnncore.tasks.lm.inference import _detokenize
from rnncore.tasks.ner.inference import allowed_transitions, bio_decode

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def test_bio_transitions_forbid_i_after_o_or_another_type():
    allowed = allowed_transitions(LABELS)
    O, B_PER, I_PER, B_LOC, I_LOC = range(5)
    assert allowed[B_PER, I_PER] and allowed[I_PER, I_PER]
    assert not allowed[O, I_PER] and not allowed[B_LOC, I_PER] and not allowed[I_PER, I_LOC]
    assert allowed[O, B_LOC] and allowed[I_LOC, O]


def test_bio_decode_repairs_what_argmax_would_break():
    log_p = torch.log(torch.tensor([
        [0.90, 0.02, 0.04, 0.02, 0.02],  # O
        [0.10, 0.30, 0.40, 0.10, 0.10],  # argmax I-PER after O: invalid; B-PER wins
        [0.10, 0.05, 0.70, 0.05, 0.10],  # I-PER
    ]))
    assert bio_decode(log_p, LABELS) == [0, 1, 2]
    start = torch.log(torch.tensor([[0.1, 0.2, 0.6, 0.05, 0.05]]))  # may not start with I-
    assert bio_decode(start, LABELS) == [1]


def test_sampling_distribution_temperature_and_top_k():
    logits = torch.tensor([2.0, 1.0, 0.0, -1.0])
    cold = sampling_distribution(logits, 0.5, 0)
    hot = sampling_distribution(logits, 2.0, 0)
    assert math.isclose(float(cold.sum()), 1.0, rel_tol=1e-6) and cold[0] > hot[0]
    expected = torch.softmax(logits / 0.5, dim=0)
    assert torch.allclose(cold, expected)
    top2 = sampling_distribution(logits, 1.0, 2)
    assert top2[2] == 0 and top2[3] == 0
    assert torch.allclose(top2[:2], torch.softmax(logits[:2], dim=0))
    assert sampling_distribution(logits, 1.0, 0, banned=(0,))[0] == 0


def test_sampling_is_seeded_and_scores_sum_over_tokens():
    torch.manual_seed(0)
    model = LanguageModel(ModelConfig("gru", 12, 8, 8, 12, tie_weights=True)).eval()
    first = model.sample(1, 1, 15, seed=7)[0]
    assert first == model.sample(1, 1, 15, seed=7)[0]
    log_probs = model.token_log_probs([3, 4, 5], 1, 1)
    assert len(log_probs) == 4 and all(lp < 0 for lp in log_probs)
    with torch.no_grad():
        full = torch.log_softmax(model(torch.tensor([[1, 3, 4, 5]]))[0], dim=-1)
    assert math.isclose(sum(log_probs), float(full[0, 3] + full[1, 4] + full[2, 5] + full[3, 1]), rel_tol=1e-5)


def test_detokenize_glues_punctuation():
    assert _detokenize(["the", "cat", "'s", "bowl", ",", "empty", "."]) == "The cat's bowl, empty."
