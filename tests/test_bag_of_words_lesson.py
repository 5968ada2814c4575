"""The sentiment lesson's claim, checked on the default classifier: reading words in order beats counting
them.

On the hand-written challenge reviews where order decides, the default shipped classifier's polarity
accuracy is above the order-blind BagOfWords shipped beside it, fitted on the same training examples;
and the bag of words cannot tell a review from its words shuffled, while the classifier can. Both numbers are computed here from whatever checkpoints are shipped at run time.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from rnncore.checkpoint import read_meta
from rnncore.encoding import encoder_of
from rnncore.shipped import load_shipped
from rnncore.tasks.sentiment.bow import BagOfWords
from rnncore.tasks.sentiment.inference import SENTIMENT_DEFAULT, star_probs
from rnncore.tasks.sentiment.metrics import polarity_accuracy
from rnncore.tasks.sentiment.recipe import read_classroom
from rnncore.text import tokenize

# The two phenomena whose lines only word order decides (the generated held-out splits are checked in
# tests/test_shipped_models.py).
ORDER_PHENOMENA = ("negation", "contrast")
DEFAULT = f"sentiment-{SENTIMENT_DEFAULT}"


@pytest.fixture(scope="module")
def bag_of_words() -> BagOfWords:
    """The shipped baseline (assets/models/bow-sentiment, `python -m rnncore train bow`): fitted on the
    shipped sentiment models' training examples; CI tests what is shipped rather than refitting."""
    model, meta = BagOfWords.load("bow-sentiment")
    assert meta["reviews"] == sum(s["train"] for s in read_meta(DEFAULT)["sources"])
    return model


@pytest.fixture(scope="module")
def classifier():
    return load_shipped(DEFAULT)


@pytest.fixture(scope="module")
def challenge() -> list[tuple[str, int, str]]:
    return read_classroom()


def classifier_stars(classifier, token_lists: list[list[str]]) -> list[int]:
    model, meta = classifier
    return (star_probs(model, meta, token_lists).argmax(dim=1) + 1).tolist()


@pytest.mark.parametrize("phenomenon", ORDER_PHENOMENA)
def test_the_classifier_beats_the_bag_of_words_where_order_decides(bag_of_words, classifier, challenge, phenomenon):
    rows = [row for row in challenge if row[2] == phenomenon]
    assert len(rows) >= 10, f"the challenge set should hold at least 10 {phenomenon} reviews"
    gold = [stars for _, stars, _ in rows]
    ours = polarity_accuracy(gold, classifier_stars(classifier, [tokenize(text) for text, _, _ in rows]))
    bag_accuracy = polarity_accuracy(gold, bag_of_words.predict([text for text, _, _ in rows]))
    assert ours > bag_accuracy, (phenomenon, ours, bag_accuracy)


def shuffled_reviews(challenge, seed: int = 0) -> list[tuple[str, list[str], list[str]]]:
    """(text, its tokens, the same tokens in another order) for every negation and contrast review."""
    rng = random.Random(seed)
    out = []
    for text, _, phenomenon in challenge:
        if phenomenon in ORDER_PHENOMENA:
            tokens = tokenize(text)
            shuffled = tokens[:]
            while shuffled == tokens:
                rng.shuffle(shuffled)
            out.append((text, tokens, shuffled))
    return out


def test_the_bag_of_words_cannot_see_order_and_the_classifier_can(bag_of_words, classifier, challenge):
    reviews = shuffled_reviews(challenge)
    originals = bag_of_words.predict_proba([text for text, _, _ in reviews])  # (m, 5)
    scrambled = bag_of_words.predict_proba([" ".join(shuffled) for _, _, shuffled in reviews])  # (m, 5)
    assert np.array_equal(originals, scrambled)  # the same bag, bit for bit

    model, meta = classifier
    with torch.no_grad():
        logits = [model(**classifier_inputs(meta, [r[k] for r in reviews])) for k in (1, 2)]  # 2 x (m, 5)
    # Logits rather than probabilities: a saturated softmax could round two different answers alike.
    for i, (text, _, _) in enumerate(reviews):
        assert not torch.equal(logits[0][i], logits[1][i]), f"shuffling left {DEFAULT} unmoved on {text!r}"
    p_original, p_shuffled = (torch.softmax(z, dim=1) for z in logits)  # (m, 5) each
    total_variation = 0.5 * (p_original - p_shuffled).abs().sum(dim=1)  # (m,)
    assert float(total_variation.mean()) > 0.1, total_variation  # not a rounding error
    assert not torch.equal(p_original.argmax(dim=1), p_shuffled.argmax(dim=1))  # some ratings change outright


def classifier_inputs(meta: dict, token_lists: list[list[str]]) -> dict:
    """The classifier's inputs (ids, lengths), encoded as rnncore.tasks.sentiment.inference.star_probs encodes them."""
    batch = encoder_of(meta).batch(token_lists)
    return {"ids": batch["ids"], "lengths": batch["lengths"]}
