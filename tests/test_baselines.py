"""Order-blind baselines: a bag of words that cannot see order, a bigram that can only see one letter back."""

from __future__ import annotations

import json
import math
import random
from collections import Counter, defaultdict

import numpy as np
import pytest

from rnncore.plaintext import read_labeled_lines_tagged
from rnncore.tasks.lm.ngram import BigramCharModel
from rnncore.tasks.sentiment.bow import BagOfWords
from rnncore.tasks.sentiment.generate import generate_review_records, polarity
from rnncore.tasks.sentiment.recipe import CLASSROOM as CHALLENGE
from rnncore.text import tokenize


def first_names(split: str) -> list[str]:
    """Held-out-safe lowercase first names: the NER generator's Faker names of one split (disjoint
    across splits), letters only, a stand-in for makemore's names, which tests never read."""
    from rnncore.tasks.ner.generate import name_pool

    return sorted({n.lower() for n in name_pool(split).all_first() if n.isalpha() and n.isascii()})


NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

TINY = [("great wonderful film", 5), ("good nice film", 4), ("okay average film", 3),
        ("dull weak film", 2), ("awful terrible film", 1), ("wonderful great book", 5),
        ("nice good book", 4), ("average okay book", 3), ("weak dull book", 2), ("terrible awful book", 1)]


def test_bag_of_words_fits_a_tiny_separable_set_exactly():
    model = BagOfWords(epochs=200, seed=0).fit([t for t, _ in TINY], [s for _, s in TINY])
    assert model.predict([t for t, _ in TINY]) == [s for _, s in TINY]
    probs = model.predict_proba(["great wonderful film", "an unseen sentence"])
    assert probs.shape == (2, 5)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-6)


def test_bag_of_words_is_seeded_and_leaves_the_global_stream_alone():
    import torch

    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = BagOfWords(epochs=20, seed=7).fit([t for t, _ in TINY], [s for _, s in TINY])
    after = torch.rand(1)
    b = BagOfWords(epochs=20, seed=7).fit([t for t, _ in TINY], [s for _, s in TINY])
    assert torch.equal(before, after)
    assert np.array_equal(a.predict_proba(["good film"]), b.predict_proba(["good film"]))


def test_bag_of_words_gives_a_sentence_and_its_shuffled_words_the_same_probabilities():
    """The point of the lesson: order is invisible to it, exactly."""
    reviews = generate_review_records(1500, seed=3)
    model = BagOfWords(epochs=60, seed=0).fit([r.text for r in reviews], [r.stars for r in reviews])
    rng = random.Random(0)
    sentences = ["I didn't enjoy the film at all.", "The plot was dull at first, but the ending was brilliant.",
                 "Not bad at all.", "The food was not good, the service was not bad."]
    for sentence in sentences:
        words = tokenize(sentence)
        shuffled = words[:]
        while shuffled == words:
            rng.shuffle(shuffled)
        p_original, p_shuffled = model.predict_proba([" ".join(words), " ".join(shuffled)])
        assert np.array_equal(p_original, p_shuffled), sentence
    # ... while the two meanings of the same words differ for a reader of order
    a, b = model.predict_proba(["the food was good , not bad", "the food was bad , not good"])
    assert np.array_equal(a, b)


def test_bag_of_words_rejects_bad_training_input():
    with pytest.raises(ValueError, match="as many stars"):
        BagOfWords().fit(["a", "b"], [1])
    with pytest.raises(ValueError, match="1..5"):
        BagOfWords().fit(["a"], [0])
    with pytest.raises(RuntimeError, match="fit"):
        BagOfWords().predict(["a"])


@pytest.fixture(scope="module")
def trained_bag_of_words():
    reviews = generate_review_records(5000, seed=0, split="train")
    return BagOfWords(epochs=150, seed=0).fit([r.text for r in reviews], [r.stars for r in reviews])


def _polarity_accuracy(model, rows):
    """Polarity accuracy (1-2 vs 4-5 stars; 3-star reviews left out) by phenomenon."""
    predicted = model.predict([text for text, _, _ in rows])
    hits = defaultdict(list)
    for (_, stars, phenomenon), guess in zip(rows, predicted, strict=True):
        if polarity(stars) is not None:
            hits[phenomenon].append(polarity(guess) == polarity(stars))
    return {p: sum(h) / len(h) for p, h in hits.items()}


def test_bag_of_words_reads_plain_reviews_but_not_negation_or_contrast(trained_bag_of_words):
    """On held-out frames, the order-blind model does well where one word decides and is near a
    coin toss where order decides: what the corpus is built to show."""
    test = generate_review_records(2000, seed=0, split="test")
    accuracy = _polarity_accuracy(trained_bag_of_words, [(r.text, r.stars, r.phenomenon) for r in test])
    assert accuracy["plain"] > 0.75 and accuracy["intensifier"] > 0.75, accuracy
    assert accuracy["negation"] < 0.7 and accuracy["contrast"] < 0.7, accuracy
    assert accuracy["double_negation"] < 0.75, accuracy


def test_bag_of_words_does_worse_where_order_decides_on_the_challenge_set(trained_bag_of_words):
    rows = read_labeled_lines_tagged(CHALLENGE)
    predicted = trained_bag_of_words.predict([text for text, _, _ in rows])
    hits = defaultdict(list)
    for (_, stars, phenomenon), guess in zip(rows, predicted, strict=True):
        if polarity(stars) is not None:
            group = "order" if phenomenon in ("negation", "contrast") else "words"
            if phenomenon != "double_negation":
                hits[group].append(polarity(guess) == polarity(stars))
    order, words = (sum(hits[g]) / len(hits[g]) for g in ("order", "words"))
    assert order < words - 0.1, (order, words)


# ---------------------------------------------------------------- bigram


def test_bigram_next_character_probabilities_sum_to_one():
    model = BigramCharModel(alpha=0.5).fit(["anna", "ben", "hannah", "bob"])
    for previous in [None, "a", "n", "b", "h", "o", "e"]:
        probs = model.next_char_probs(previous)
        assert set(probs) == {BigramCharModel.END, *"abehno"}
        assert math.isclose(sum(probs.values()), 1.0, rel_tol=1e-12)


def test_bigram_log_prob_is_the_sum_of_its_steps_and_counts_are_right():
    model = BigramCharModel(alpha=1.0).fit(["ab", "ab", "b"])
    # alphabet {a, b}: P(a|START) = (2+1)/(3+3), P(b|a) = (2+1)/(2+3), P(END|b) = (3+1)/(3+3)
    expected = math.log(3 / 6) + math.log(3 / 5) + math.log(4 / 6)
    assert math.isclose(model.log_prob("ab"), expected, rel_tol=1e-12)
    steps = [model.next_char_probs(None)["a"], model.next_char_probs("a")["b"],
             model.next_char_probs("b")[BigramCharModel.END]]
    assert math.isclose(model.log_prob("ab"), sum(math.log(p) for p in steps), rel_tol=1e-12)
    assert math.isclose(model.perplexity(["ab"]), math.exp(-expected / 3), rel_tol=1e-12)


def test_bigram_beats_uniform_perplexity_on_held_out_names():
    train, dev, test = first_names("train"), first_names("dev"), first_names("test")
    assert min(len(train), len(dev), len(test)) > 100 and not set(train) & set(test)
    model = BigramCharModel.tuned(train, dev, alphabet=NAME_ALPHABET)
    uniform = len(NAME_ALPHABET) + 1  # every character and END equally likely
    held_out = model.perplexity(test)
    counts = Counter(c for name in train for c in name + "$")  # "$": the end of a name
    unigram = math.exp(-sum(math.log(counts[c] / sum(counts.values())) for name in test for c in name + "$")
                       / sum(len(name) + 1 for name in test))
    assert held_out < unigram - 1 < uniform - 5, (held_out, unigram, uniform)  # one letter back helps
    assert model.perplexity(train) <= held_out * 1.1  # a count model barely overfits


def test_bigram_samples_are_seeded_and_mostly_new_names():
    train = first_names("train")
    model = BigramCharModel(alpha=0.1, alphabet=NAME_ALPHABET).fit(train)
    assert model.sample(50, seed=1) == model.sample(50, seed=1)
    assert model.sample(50, seed=1) != model.sample(50, seed=2)
    samples = model.sample(300, seed=0)
    assert all(set(s) <= set(NAME_ALPHABET) for s in samples)
    assert sum(s not in set(train) for s in samples) / len(samples) > 0.5


def test_bigram_rejects_characters_outside_its_alphabet():
    model = BigramCharModel().fit(["abc"])
    with pytest.raises(ValueError, match="alphabet"):
        model.log_prob("abz")
    with pytest.raises(ValueError, match="alpha"):
        BigramCharModel(alpha=0)


def test_bag_of_words_saved_and_loaded_predicts_exactly_as_fitted(tmp_path):
    texts = [t for t, _ in TINY]
    model = BagOfWords(epochs=40, lr=0.1, weight_decay=1e-3, min_count=2, seed=3).fit(texts, [s for _, s in TINY])
    json_path = model.save(tmp_path / "bow", reviews=len(TINY), command="by hand")
    assert json_path == tmp_path / "bow.json" and (tmp_path / "bow.safetensors").is_file()
    loaded, meta = BagOfWords.load(tmp_path / "bow")
    assert meta["model"] == "BagOfWords" and meta["reviews"] == 10 and meta["command"] == "by hand"
    assert meta["config"] == {"epochs": 40, "lr": 0.1, "weight_decay": 1e-3, "min_count": 2, "seed": 3}
    assert meta["vocab"] == sorted(model.vocab, key=model.vocab.get) and loaded.vocab == model.vocab
    assert "film" in loaded.vocab and "great" in loaded.vocab and "unseen" not in loaded.vocab
    probes = [*texts, "film film great", "unseen words only", "", "Great, FILM!"]
    assert np.array_equal(loaded.predict_proba(probes), model.predict_proba(probes))  # bit for bit
    assert loaded.predict(probes) == model.predict(probes)
    assert not loaded.W_yx.weight.requires_grad and not loaded.b_y.requires_grad


def test_bag_of_words_load_refuses_another_model_and_wrong_shapes(tmp_path):
    model = BagOfWords(epochs=5).fit([t for t, _ in TINY], [s for _, s in TINY])
    model.save(tmp_path / "bow")
    record = json.loads((tmp_path / "bow.json").read_text(encoding="utf-8"))
    (tmp_path / "bow.json").write_text(json.dumps({**record, "model": "Classifier"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a BagOfWords"):
        BagOfWords.load(tmp_path / "bow")
    (tmp_path / "bow.json").write_text(json.dumps({**record, "vocab": record["vocab"][:-1]}), encoding="utf-8")
    with pytest.raises(ValueError, match="do not fit"):
        BagOfWords.load(tmp_path / "bow")
    with pytest.raises(RuntimeError, match="fit"):
        BagOfWords().save(tmp_path / "unfitted")


def test_fitting_the_bag_of_words_never_touches_torchs_global_generator(monkeypatch):
    """A server fits it beside visitors' live runs, which share torch's global generator: the fit must
    draw from a generator of its own and never seed or restore the global one."""
    import torch

    def refuse(*args, **kwargs):
        raise AssertionError("the fit used torch's global random state")

    monkeypatch.setattr(torch, "manual_seed", refuse)
    monkeypatch.setattr(torch.random, "set_rng_state", refuse)
    monkeypatch.setattr(torch.random, "get_rng_state", refuse)
    before = torch.default_generator.get_state()
    model = BagOfWords(epochs=30, seed=3).fit(["good film", "bad film", "great", "awful"], [5, 1, 5, 1])
    assert torch.equal(torch.default_generator.get_state(), before)
    again = BagOfWords(epochs=30, seed=3).fit(["good film", "bad film", "great", "awful"], [5, 1, 5, 1])
    assert torch.equal(model.W_yx.weight, again.W_yx.weight)  # same seed, same weights
