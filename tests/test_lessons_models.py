"""rnncore.explain (entities, ratings, sampling) on tiny seeded models: the numbers the model lessons show."""

from __future__ import annotations

import math

import pytest
import torch

from rnncore import checkpoint
from rnncore.encoding import SHAPE_FEATURES, Encoder, char_vocab
from rnncore.explain import entities, ratings, sampling
from rnncore.models import Classifier, LanguageModel, ModelConfig, Tagger
from rnncore.tasks.lm.inference import sample, score
from rnncore.tasks.sentiment import metrics
from rnncore.tasks.sentiment.bow import bag_of_words_parameters, bag_of_words_scores, fit_on_reviews
from rnncore.tasks.sentiment.inference import stars_after_each_word
from rnncore.text import Vocab, tokenize
from tests import references

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
SENTENCE = tokenize("Yesterday, Tom met Eliza in Paris.")
APPLE = tokenize("He met with Apple representatives today.")


def tagger(arch: str, seed: int = 0) -> tuple[Tagger, dict]:
    words = ["yesterday", "tom", "met", "eliza", "in", "paris", "he", "with", "apple", "today"]
    encoder = Encoder(Vocab.from_words(words, lowercase=True), char_vocab([SENTENCE, APPLE], 1), features=True)
    config = ModelConfig(arch, len(encoder.words), 8, 6, len(LABELS), n_char_vocab=len(encoder.chars),
                         n_char_filters=4, n_features=len(SHAPE_FEATURES))
    torch.manual_seed(seed)
    model = Tagger(config).eval()
    return model, {"config": config.to_dict(), "labels": LABELS, "encoder": encoder.to_dict()}


@pytest.mark.parametrize("arch", ["rnn", "gru", "lstm"])
def test_left_to_right_output_at_t_is_what_the_prefix_alone_gives(arch):
    model, meta = tagger(arch)
    prefixes = references.tag_probs_from_prefixes(model, meta, APPLE)  # T_x separate runs
    one_pass = entities.tag_probs(model, meta, APPLE)
    assert prefixes.shape == one_pass.shape == (len(APPLE), len(LABELS))
    assert torch.allclose(prefixes, one_pass, atol=1e-6)
    choices = entities.left_to_right_choices(model, meta, APPLE)
    best = prefixes.argmax(dim=1)
    assert [c.label for c in choices] == [LABELS[int(k)] for k in best]
    assert [c.prob for c in choices] == pytest.approx([float(prefixes[t, k]) for t, k in enumerate(best)])
    assert [c.name_prob for c in choices] == pytest.approx((1 - prefixes[:, 0]).tolist())


def test_bidirectional_output_depends_on_later_words():
    model, meta = tagger("birnn", seed=3)
    prefixes = references.tag_probs_from_prefixes(model, meta, APPLE)
    whole = entities.tag_probs(model, meta, APPLE)
    # the last step sees the same words either way; earlier steps see "representatives today." only whole
    assert torch.allclose(prefixes[-1], whole[-1], atol=1e-6)
    assert not torch.allclose(prefixes[3], whole[3], atol=1e-4)
    with pytest.raises(ValueError, match="bidirectional"):
        entities.left_to_right_choices(model, meta, APPLE)
    assert len(entities.whole_sentence_choices(model, meta, APPLE)) == len(APPLE)


def test_entities_and_the_notes_binary_labels():
    tokens = ["Sherlock", "Holmes", "lived", "in", "London", "."]
    labels = ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    assert entities.name_flags(labels) == [1, 1, 0, 0, 1, 0]
    assert entities.entities(tokens, labels) == [
        entities.Entity("PER", 0, 2, "Sherlock Holmes"),
        entities.Entity("LOC", 4, 5, "London"),
    ]
    probs = torch.tensor([[0.25] + [0.75 / 8] * 8, [1.0] + [0.0] * 8])
    assert entities.name_probability(probs, LABELS) == pytest.approx([0.75, 0.0])


def test_expected_stars_and_turns():
    probs = torch.tensor([
        [0.0, 0.0, 0.1, 0.2, 0.7],  # 5 stars
        [0.1, 0.6, 0.3, 0.0, 0.0],  # turns to 2
        [0.2, 0.5, 0.3, 0.0, 0.0],  # stays 2
        [0.9, 0.1, 0.0, 0.0, 0.0],  # turns to 1
    ])
    assert ratings.expected_stars(probs).tolist() == pytest.approx([4.6, 2.2, 2.1, 1.1])
    turns = ratings.rating_turns(["I", "didn't", "enjoy", "it"], probs)
    assert turns == [ratings.Turn(2, "didn't", 5, 2), ratings.Turn(4, "it", 2, 1)]


def test_rating_after_each_prefix_for_a_classifier():
    torch.manual_seed(0)
    vocab = Vocab.from_words(["i", "didn't", "enjoy", "the", "film"], lowercase=True)
    model = Classifier(ModelConfig("lstm", len(vocab), 6, 5, 5)).eval()
    meta = {"config": model.config.to_dict(), "encoder": Encoder(vocab).to_dict()}
    tokens = ["I", "didn't", "enjoy", "the", "film"]
    per_prefix = stars_after_each_word(model, meta, tokens)
    turns = ratings.rating_turns(tokens, per_prefix)
    stars = (per_prefix.argmax(1) + 1).tolist()
    assert all(stars[turn.t - 1] == turn.after and stars[turn.t - 2] == turn.before for turn in turns)
    assert len(turns) == sum(a != b for a, b in zip(stars, stars[1:], strict=False))


def test_bag_of_words_is_blind_to_order():
    reviews = [("the plot was dull but the acting was superb", 4), ("the acting was superb but the plot was dull", 2),
               ("superb", 5), ("dull", 1)] * 5
    bow = fit_on_reviews(0, reviews)
    first, second = "The plot was dull but the acting was superb.", "The acting was superb but the plot was dull."
    a, b = bow.predict_proba([first, second])
    assert a.tolist() == pytest.approx(b.tolist())
    assert ratings.same_words(tokenize(first), tokenize(second)) and not ratings.same_words(["not", "good"], ["good"])
    scores = bag_of_words_scores(bow, [(first, 4, "contrast"), (second, 2, "contrast"), ("superb", 5, "plain")])
    assert bag_of_words_parameters(bow) == 5 * len(bow.vocab) + 5
    assert scores["reviews"] == 3 and scores["accuracy"] in (1 / 3, 2 / 3)  # one of the pair must be wrong


def test_star_scores():
    scores = metrics.star_scores([1, 2, 3, 5], [1, 4, 3, 4])
    assert scores["accuracy"] == 0.5 and scores["within_one_star"] == 0.75
    assert scores["polarity_accuracy"] == 0.75  # 2 -> 4 crosses from negative to positive; 5 -> 4 does not


@pytest.mark.parametrize(
    ("log10_p", "mantissa", "exponent"), [(math.log10(3.2e-13), 3.2, -13), (math.log10(5.7e-10), 5.7, -10), (0.0, 1.0, 0)]
)
def test_scientific_form_of_a_probability(log10_p, mantissa, exponent):
    shown = sampling.Scientific.from_log(log10_p * math.log(10))
    assert shown.exponent == exponent and shown.mantissa == pytest.approx(mantissa)
    tiny = sampling.Scientific.from_log(-2000.0)  # exp(-2000) is 0.0 as a float; the form still holds it
    assert tiny.exponent == math.floor(-2000 / math.log(10)) and 1 <= tiny.mantissa < 10


def test_compare_scores():
    pair, pear = ["the", "apple", "and", "pair", "salad"], ["the", "apple", "and", "pear", "salad"]
    result = sampling.compare_scores(pair, -30.0, pear, -21.0)
    assert result.first_difference == 3 and result.ratio == pytest.approx(math.exp(9.0))
    assert sampling.compare_scores(pair, -1.0, pair + ["."], -2.0).first_difference == 5
    assert sampling.compare_scores(pair, 0.0, pair, 0.0).first_difference is None


def language_model(level: str) -> tuple[LanguageModel, dict]:
    units = ["the", "apple", "and", "pear", "salad", "."] if level == "word" else list("abcdeilmnor ")
    vocab = Vocab.from_words(units, lowercase=level == "word", eos=True)
    torch.manual_seed(1)
    model = LanguageModel(ModelConfig("gru", len(vocab), 8, 8, len(vocab), tie_weights=True)).eval()
    meta = {"config": model.config.to_dict(), "encoder": Encoder(vocab).to_dict(), "level": level}
    if level == "char":
        meta["training_names"] = ["anna", "emil"]
    return model, meta


def test_sampled_steps_rebuild_each_context_and_temperatures_reproduce_the_sample():
    model, meta = language_model("word")
    drawn = sample(model, meta, n_max=8, temperature=0.7, top_k=4, seed=5, prefix="The apple")
    steps = sampling.sampled_steps(meta, drawn)
    assert len(steps) == len(drawn.distributions)
    assert steps[0].context == ["the", "apple"]
    for s, step in enumerate(steps):
        assert step.context == drawn.units[: 2 + s]
        assert step.distribution[step.chosen_id] > 0
        again = sampling.distributions_at(model, meta, step.context, [0.7, 1.0, 2.0], top_k=4)
        assert torch.allclose(again[0.7], step.distribution, atol=1e-6)
        assert (again[2.0] > 0).sum() == (again[0.7] > 0).sum() == 4  # top-k keeps 4 at every temperature
        assert float(again[0.7].max()) >= float(again[1.0].max()) >= float(again[2.0].max())
    assert sampling.sample_ended(meta, drawn) == (steps[-1].chosen == "<EOS>")
    if len(steps) < 8:
        assert steps[-1].chosen == "<EOS>"


def test_a_described_sample_keeps_what_the_lesson_shows():
    model, meta = language_model("char")
    drawn = sample(model, meta, n_max=6, temperature=1.5, seed=2)
    view = sampling.describe_sample(meta, drawn, top=3)
    steps = sampling.sampled_steps(meta, drawn)
    assert view.units == drawn.units and view.text == sampling.sample_text(meta, drawn)
    assert view.ended == sampling.sample_ended(meta, drawn) and view.new == sampling.is_new_name(meta, drawn)
    assert [s.chosen for s in view.steps] == [s.chosen for s in steps]
    for shown, step in zip(view.steps, steps, strict=True):
        assert shown.p == pytest.approx(float(step.distribution[step.chosen_id]))
        assert shown.full == pytest.approx(step.distribution.tolist())
        assert shown.chosen_id in [i for i, _, _ in shown.top] and len(shown.top) in (3, 4)
    word_model, word_meta = language_model("word")
    word_view = sampling.describe_sample(word_meta, sample(word_model, word_meta, n_max=4, seed=0), full_up_to=5)
    assert word_view.new is None and all(s.full is None for s in word_view.steps)


def test_top_units_always_show_the_chosen_unit():
    dist = torch.tensor([0.0, 0.5, 0.3, 0.15, 0.05])
    tokens = ["<PAD>", "a", "b", "c", "d"]
    assert sampling.top_units(dist, tokens, 2) == [(1, "a", 0.5), (2, "b", pytest.approx(0.3))]
    assert sampling.top_units(dist, tokens, 2, must_include=4)[-1] == (4, "d", pytest.approx(0.05))
    assert sampling.entropy_bits(torch.tensor([0.5, 0.5, 0.0])) == pytest.approx(1.0)
    assert [sampling.rank_of(dist, i) for i in (1, 2, 4)] == [1, 2, 4]


def test_prefix_units_and_level_views():
    model, meta = language_model("word")
    prefix = sampling.prefix_units(meta, "The zebra apple")
    assert prefix.kept == ["The", "apple"] and prefix.dropped == ["zebra"]
    word = sampling.level_view(meta, "The apple and kiwi salad")
    assert word.T == 5 and word.unknown == [False, False, False, True, False] and word.n_unknown == 1
    _, char_meta = language_model("char")
    chars = sampling.level_view(char_meta, "Anna")
    assert chars.units == list("anna") and chars.n_unknown == 0 and chars.level == "char"


def test_sampled_names_are_marked_new_or_seen():
    model, meta = language_model("char")
    drawn = sample(model, meta, n_max=6, seed=0)
    name = "".join(drawn.units)
    assert sampling.is_new_name(meta, drawn) == (name not in {"anna", "emil"})
    seen = type(drawn)(list("anna"), [], [])
    assert not sampling.is_new_name(meta, seen) and sampling.sample_text(meta, seen) == "Anna"


def test_scores_are_products_of_step_probabilities():
    model, meta = language_model("word")
    result = score(model, meta, "The apple and pear salad")
    probs = sampling.unit_probabilities(result.token_log_probs)
    assert math.prod(probs) == pytest.approx(math.exp(result.log_prob))


def test_checkpoint_facts_read_the_json():
    meta = {"config": {"arch": "lstm"}, "params": 1234,
            "metrics": {"reviews/test": {"accuracy": 0.5}, "baseline": {"reviews/test": {"accuracy": 0.25}}},
            "sources": [{"name": "reviews", "test": 10}],
            "training": {"command": "python -m rnncore train sentiment --arch lstm", "history": [{}, {}, {}],
                         "minutes": 2.5}}
    facts = checkpoint.checkpoint_facts(meta)
    assert (facts.arch, facts.params, facts.epochs, facts.minutes) == ("lstm", 1234, 3, 2.5)
    assert facts.score("reviews/test", "accuracy") == 0.5
    assert facts.score("reviews/test", "accuracy", baseline=True) == 0.25
    assert facts.score("news/test", "accuracy") is None and facts.source("reviews") == {"name": "reviews", "test": 10}
    assert facts.command == "python -m rnncore train sentiment --arch lstm"
