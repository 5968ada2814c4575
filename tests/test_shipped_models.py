"""The shipped checkpoints as CI can check them without the corpora.

What is recomputed from the weights: every figure on text that lives in this repository or that rnncore
generates (the classroom sets, the generated held-out splits, the character model's samples, the word
model's classroom pair). The figures on the real held-out splits cannot be recomputed here (the corpora
are never shipped); for them the tests check that the JSON is complete and that each model beats the
baseline its own training command computed on the same split, which is what the lessons say.
"""

from __future__ import annotations

import json
import math

import pytest

from rnncore import checkpoint
from rnncore.shipped import load_shipped
from rnncore.tasks import SHIPPED
from rnncore.tasks.lm.inference import sample, score
from rnncore.tasks.ner import recipe as ner_recipe
from rnncore.tasks.ner.inference import ner, tag_tokens
from rnncore.tasks.sentiment import recipe as sentiment_recipe
from rnncore.tasks.sentiment.bow import BOW_STEM, BagOfWords
from rnncore.tasks.sentiment.inference import sentiment
from scripts import model_table

STEMS = [f"{task}-{arch}" for task, arch in SHIPPED]
NER_ARCHS = ["birnn", "lstm", "gru", "rnn"]
SENTIMENT_ARCHS = ["lstm", "gru", "rnn", "birnn"]
NER_SOURCES = ["news", "web", "social", "generated"]


def train_count(source: dict) -> int:
    train = source["train"]
    return train["pairs"] if isinstance(train, dict) else train


def metrics_of(stem: str) -> dict:
    return checkpoint.read_meta(stem)["metrics"]


@pytest.mark.parametrize("stem", STEMS)
def test_every_shipped_model_loads_with_its_training_record(stem):
    model, meta = load_shipped(stem)
    assert not model.training
    command = meta["training"]["command"]
    assert command.startswith("python -m rnncore train ") and "--data-dir DATA" in command
    assert meta["params"] == sum(p.numel() for p in model.parameters())
    sources = meta["sources"]
    # a translator's one source counts pairs and sentences apart: {"train": {"pairs": 66272, ...}}
    assert sources and all(train_count(s) > 0 for s in sources)
    assert math.isclose(sum(s.get("share", 1.0 if len(sources) == 1 else 0.0) for s in sources), 1.0, abs_tol=0.002)
    assert meta["training"]["minutes"] > 0 and meta["training"]["history"]


# ---------------------------------------------------------------- named entities


@pytest.fixture(scope="module")
def ner_generated_test():
    """The generated test split exactly as the recipe draws it (same sizes, seeds and split)."""
    seed = list(ner_recipe.GENERATED).index("test")
    return ner_recipe.generated_sentences("test", ner_recipe.GENERATED["test"], seed)


@pytest.mark.parametrize("arch", NER_ARCHS)
def test_ner_figures_on_repository_text_are_reproduced_from_the_weights(arch, ner_generated_test):
    model, meta = load_shipped(f"ner-{arch}")
    assert ner_recipe.ner_metrics(model, meta, ner_recipe.read_classroom()) == meta["metrics"]["classroom"]
    assert ner_recipe.ner_metrics(model, meta, ner_generated_test) == meta["metrics"]["generated/test"]


@pytest.mark.parametrize("arch", NER_ARCHS)
def test_every_tagger_beats_the_most_frequent_tag_on_every_real_test_split(arch):
    metrics = metrics_of(f"ner-{arch}")
    for source in NER_SOURCES:
        ours, baseline = metrics[f"{source}/test"], metrics["baseline"][f"{source}/test"]
        assert ours["sentences"] == baseline["sentences"] > 100
        assert ours["entity_f1"] > baseline["entity_f1"], source


def test_the_real_news_test_split_is_learnt():
    """Figures from the JSON (the corpora are not here): CoNLL news is the biggest real source."""
    for arch in NER_ARCHS:
        assert metrics_of(f"ner-{arch}")["news/test"]["entity_f1"] >= 0.7


AMBIGUOUS = {"apple", "amazon", "jordan", "washington", "paris", "tesla", "may", "teddy"}


def ambiguous_word_accuracy(arch: str) -> float:
    """Share of the classroom set's ambiguous words (Apple the company or the fruit, ...) tagged right:
    mostly sentences whose deciding words come after the word, which a left-to-right RNN cannot see."""
    model, meta = load_shipped(f"ner-{arch}")
    sentences = ner_recipe.read_classroom()
    predicted = [labels for labels, _, _ in tag_tokens(model, meta, [tokens for tokens, _ in sentences])]
    right = [gold[i] == pred[i] for (tokens, gold), pred in zip(sentences, predicted, strict=True)
             for i, token in enumerate(tokens) if token.lower() in AMBIGUOUS]
    assert len(right) >= 20
    return sum(right) / len(right)


def test_bidirectional_tagger_beats_left_to_right_where_the_context_comes_after():
    birnn, rnn = ambiguous_word_accuracy("birnn"), ambiguous_word_accuracy("rnn")
    assert birnn > rnn + 0.1, (birnn, rnn)
    for source in ("news", "web"):
        assert metrics_of("ner-birnn")[f"{source}/test"]["entity_f1"] > metrics_of("ner-rnn")[f"{source}/test"][
            "entity_f1"]


def test_the_notes_sentences_are_tagged_as_the_notes_tag_them():
    tags = dict(zip(*[ner("Yesterday, Tom met Eliza in Paris.")[k] for k in ("tokens", "labels")], strict=True))
    assert (tags["Tom"], tags["Eliza"], tags["Paris"], tags["Yesterday"]) == ("B-PER", "B-PER", "B-LOC", "O")
    tags = dict(zip(*[ner("He met with Apple representatives today.", "birnn")[k] for k in ("tokens", "labels")],
                    strict=True))
    assert tags["Apple"] == "B-ORG" and tags["He"] == "O"


# ---------------------------------------------------------------- sentiment


@pytest.fixture(scope="module")
def sentiment_generated_test():
    """The generated test reviews exactly as the recipe draws them."""
    from rnncore.tasks.sentiment.generate import generate_reviews_tagged

    seed = list(sentiment_recipe.GENERATED).index("test")
    return generate_reviews_tagged(sentiment_recipe.GENERATED["test"], seed, "test")


@pytest.mark.parametrize("arch", SENTIMENT_ARCHS)
def test_sentiment_figures_on_repository_text_are_reproduced_from_the_weights(arch, sentiment_generated_test):
    model, meta = load_shipped(f"sentiment-{arch}")
    metrics = meta["metrics"]
    assert sentiment_recipe.sentiment_metrics(model, meta, sentiment_recipe.read_classroom()) == metrics["classroom"]
    assert sentiment_recipe.sentiment_metrics(model, meta, sentiment_generated_test) == metrics["generated/test"]


@pytest.mark.parametrize("arch", ["lstm", "gru"])  # the BRNN and the RNN, two vanilla RNNs, are not held to it
def test_gated_classifiers_beat_the_bag_of_words_on_sst_and_where_order_decides(arch):
    metrics = metrics_of(f"sentiment-{arch}")
    baseline = metrics["baseline"]
    assert metrics["reviews/test"]["binary_polarity"] > baseline["reviews/test"]["binary_polarity"]
    assert metrics["reviews/test"]["reviews"] == baseline["reviews/test"]["reviews"] > 500
    for phenomenon in ("negation", "contrast"):
        key = f"polarity_accuracy_{phenomenon}"
        assert metrics["generated/test"][key] > baseline["generated/test"][key] + 0.05, phenomenon


def test_the_default_classifier_is_the_one_with_the_best_dev_figure():
    """The CLI's and the lesson's default is chosen on dev, by the figure that picks each model's epoch."""
    from rnncore.tasks.sentiment.inference import SENTIMENT_DEFAULT

    figures = {arch: sentiment_recipe.dev_figure(metrics_of(f"sentiment-{arch}")["reviews/dev"],
                                                 metrics_of(f"sentiment-{arch}")["generated/dev"])
               for arch in SENTIMENT_ARCHS}
    assert SENTIMENT_DEFAULT == max(figures, key=figures.get), figures


def test_shipped_bag_of_words_is_the_baseline_the_rnns_were_scored_beside(sentiment_generated_test):
    """The lesson's live bag of words is the one whose figures the RNN checkpoints carry: same command,
    same examples, same figures; and its weights reproduce them on the repository's text."""
    model, meta = BagOfWords.load(BOW_STEM)
    lstm = checkpoint.read_meta("sentiment-lstm")
    assert meta["metrics"] == lstm["metrics"]["baseline"]
    assert meta["reviews"] == sum(s["train"] for s in lstm["sources"])
    assert meta["parameters"] == 5 * len(model.vocab) + 5 == model.W_yx.weight.numel() + model.b_y.numel()
    assert meta["command"] == "python -m rnncore train bow --data-dir DATA"
    reviews = sentiment_generated_test
    figures = sentiment_recipe.star_figures([r[1] for r in reviews], model.predict([r[0] for r in reviews]),
                                            [r[2] for r in reviews])
    assert figures == meta["metrics"]["generated/test"]


def test_the_notes_review_is_rated_low():
    """The gated classifiers and the BRNN rate the notes' review 1 star. The one-way vanilla RNN is not held
    to it: the lesson's table shows whatever it says."""
    for arch in ("lstm", "gru", "birnn"):
        probs = sentiment("I didn't enjoy the film at all.", arch)["probs"]
        assert max(range(5), key=probs.__getitem__) == 0, arch
        assert probs[0] > (0.9 if arch in ("lstm", "gru") else 0.5), arch


# ---------------------------------------------------------------- language models


@pytest.mark.parametrize("arch", ["lstm", "gru", "rnn"])
def test_character_models_beat_the_bigram_and_their_samples_are_reproduced(arch):
    model, meta = load_shipped(f"lm-char-{arch}")
    metrics = meta["metrics"]
    test = metrics["names/test"]
    assert test["names"] == 1000 and test["loss_per_char"] < test["bigram_loss_per_char"]
    known = set(meta["training_names"])
    drawn = ["".join(sample(model, meta, n_max=20, seed=s).units) for s in range(metrics["samples"]["drawn"])]
    new = sum(name not in known and len(name) > 1 for name in drawn) / len(drawn)
    assert round(new, 4) == metrics["samples"]["new_share"] and new > 0.5


def test_the_word_model_against_the_trigram_and_the_classroom_pair():
    """What the lesson's table shows, as measured: the LSTM is far below a uniform guess over V and prefers
    real sentences to their shuffled words; the lesson prints its ratio to the Kneser-Ney trigram of the
    same training text per source, and says whether it agrees with the notes on their pair."""
    model, meta = load_shipped("lm-word-lstm")
    metrics = meta["metrics"]
    V = model.config.vocab_size
    for key in ("all/test", "everyday/test", "reviews/test", "news/test", "encyclopedia/test"):
        ours, trigram = metrics[key]["perplexity"], metrics[key]["kneser_ney_perplexity"]
        assert ours < V / 20, key
        assert metrics[key]["ratio_to_kneser_ney"] == pytest.approx(ours / trigram, abs=1e-3), key
    assert metrics["all/test"]["prefers_real_order"] >= 0.95
    pear = score(model, meta, "The apple and pear salad").log_prob
    pair = score(model, meta, "The apple and pair salad").log_prob
    classroom = metrics["classroom"]
    assert math.isclose(pear, classroom["log_p_apple_and_pear_salad"], abs_tol=1e-3)
    assert math.isclose(pair, classroom["log_p_apple_and_pair_salad"], abs_tol=1e-3)


# ---------------------------------------------------------------- forecasting


@pytest.mark.parametrize("arch", ["lstm", "gru", "rnn"])
def test_temperature_forecasters_beat_persistence_on_the_test_year(arch):
    metrics = metrics_of(f"forecast-temperature-{arch}")
    assert metrics["test"]["n"] == metrics["baselines"]["persistence"]["n"] == 365
    assert metrics["test"]["mae"] < metrics["baselines"]["persistence"]["mae"]


# ---------------------------------------------------------------- the files


def test_readme_model_table_is_written_from_the_json():
    text = model_table.README.read_text(encoding="utf-8")
    assert model_table.rewrite(text) == text, "run: python -m scripts.model_table"


def test_assets_stay_small_and_are_never_pickles():
    files = [f for f in checkpoint.MODELS_DIR.parent.rglob("*") if f.is_file()]
    assert sum(f.stat().st_size for f in files) < 60e6
    assert not [f for f in files if f.suffix in {".pt", ".pth", ".pkl", ".ckpt", ".pickle"}]
    for f in checkpoint.MODELS_DIR.glob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))
