"""The shipped checkpoints: their JSON's metrics are reproduced from the weights, and the lessons'
claims hold on them (the bidirectional tagger beats the left-to-right one, the character model
beats the bigram, the word model prefers real word order)."""

import json
import math

import pytest

from rnncore import checkpoint
from rnncore.corpora import read_conll
from rnncore.shipped import load_shipped
from rnncore.tasks import SHIPPED
from rnncore.tasks.lm.inference import score
from rnncore.tasks.lm.recipe import lm_nll
from rnncore.tasks.ner.inference import ner, tag_tokens
from rnncore.tasks.ner.recipe import CLASSROOM as NER_CLASSROOM
from rnncore.tasks.ner.recipe import ner_metrics
from rnncore.tasks.sentiment.bow import BOW_STEM, BagOfWords, bag_of_words_scores
from rnncore.tasks.sentiment.inference import sentiment
from rnncore.tasks.sentiment.recipe import (
    read_classroom,
    sentiment_data,
    sentiment_metrics,
)
from rnncore.text import tokenize
from scripts import model_table

STEMS = [f"{task}-{arch}" for task, arch in SHIPPED]


@pytest.mark.parametrize("stem", STEMS)
def test_every_shipped_model_loads_with_its_training_record(stem):
    model, meta = load_shipped(stem)
    assert not model.training
    assert meta["training"]["command"].startswith("python -m rnncore train ")
    assert meta["params"] == sum(p.numel() for p in model.parameters())
    assert meta["metrics"]["test"], "held-out metrics are written at training time"


@pytest.mark.parametrize("arch", ["birnn", "rnn"])
def test_ner_challenge_metrics_in_json_are_reproduced(arch):
    model, meta = load_shipped(f"ner-{arch}")
    again = ner_metrics(model, meta, read_conll(NER_CLASSROOM))
    assert again == meta["metrics"]["challenge"]


@pytest.mark.parametrize("arch", ["lstm", "rnn"])
def test_sentiment_challenge_metrics_in_json_are_reproduced(arch):
    model, meta = load_shipped(f"sentiment-{arch}")
    assert sentiment_metrics(model, meta, read_classroom()) == meta["metrics"]["challenge"]



def test_shipped_bag_of_words_reproduces_its_json_metrics():
    """The sentiment lesson's baseline is shipped, not refitted: its weights give the JSON's figures on
    the sentiment models' test split and on the challenge set, and it saw their training reviews."""
    model, meta = BagOfWords.load(BOW_STEM)
    train, _, test = sentiment_data(meta["config"]["seed"], None)
    assert bag_of_words_scores(model, test) == meta["metrics"]["test"]
    assert bag_of_words_scores(model, read_classroom()) == meta["metrics"]["challenge"]
    assert meta["metrics"]["test"]["reviews"] == len(test) == 1500
    assert meta["reviews"] == len(train) == checkpoint.read_meta("sentiment-lstm")["training"]["train_reviews"]
    assert meta["parameters"] == 5 * len(model.vocab) + 5 == model.W_yx.weight.numel() + model.b_y.numel()
    assert meta["command"] == "python -m rnncore train bow" and meta["seconds"] > 0
    # the lesson's point, on what is shipped: the LSTM reads order, the bag of words cannot
    lstm = checkpoint.read_meta("sentiment-lstm")["metrics"]["challenge"]
    assert lstm["polarity_accuracy"] > meta["metrics"]["challenge"]["polarity_accuracy"]

AMBIGUOUS = {"apple", "amazon", "jordan", "washington", "paris", "tesla", "may", "teddy"}


def ambiguous_word_accuracy(arch: str) -> float:
    """Share of the challenge set's ambiguous words (Apple the company or the fruit, ...) tagged right:
    mostly sentences whose deciding words come after the word, which a left-to-right RNN cannot see."""
    model, meta = load_shipped(f"ner-{arch}")
    sentences = read_conll(NER_CLASSROOM)
    predicted = [labels for labels, _, _ in tag_tokens(model, meta, [tokens for tokens, _ in sentences])]
    right = [gold[i] == pred[i] for (tokens, gold), pred in zip(sentences, predicted, strict=True)
             for i, token in enumerate(tokens) if token.lower() in AMBIGUOUS]
    assert len(right) >= 20
    return sum(right) / len(right)


def test_bidirectional_tagger_beats_left_to_right_where_the_context_comes_after():
    birnn, rnn = ambiguous_word_accuracy("birnn"), ambiguous_word_accuracy("rnn")
    assert birnn >= 0.9 and birnn > rnn + 0.2  # measured: 22/23 against 15/23
    meta = checkpoint.read_meta("ner-birnn")["metrics"]["challenge"]
    assert meta["entity_f1"] > checkpoint.read_meta("ner-rnn")["metrics"]["challenge"]["entity_f1"]


def test_flagship_sentence_needs_the_words_after_apple():
    tags = dict(zip(*[ner("He met with Apple representatives today.", "birnn")[k] for k in ("tokens", "labels")],
                    strict=True))
    assert tags["Apple"] == "B-ORG" and tags["He"] == "O"


def test_ner_command_result_matches_the_notes_example():
    result = ner("Yesterday, Tom met Eliza in Paris.")
    tags = dict(zip(result["tokens"], result["labels"], strict=True))
    assert tags["Tom"] == "B-PER" and tags["Paris"] == "B-LOC" and tags["Yesterday"] == "O"


def test_sentiment_rates_the_notes_review_low():
    assert sentiment("I didn't enjoy the film at all.")["stars"] <= 2


def test_character_model_beats_the_bigram_and_samples_new_names():
    for arch in ("rnn", "gru", "lstm"):
        test = checkpoint.read_meta(f"lm-char-{arch}")["metrics"]["test"]
        assert test["perplexity"] < test["bigram_perplexity"]
        assert test["new_sample_share"] > 0.5


def test_word_lstm_prefers_real_order_and_pear_to_pair():
    model, meta = load_shipped("lm-word-lstm")
    test = meta["metrics"]["test"]
    assert test["prefers_real_order"] >= 0.95
    pear = score(model, meta, "The apple and pear salad").log_prob
    pair = score(model, meta, "The apple and pair salad").log_prob
    assert pear > pair
    assert math.isclose(pear, test["log_p_apple_and_pear_salad"], abs_tol=1e-3)


def test_word_lm_perplexity_in_json_is_reproduced():
    from rnncore.tasks.lm.sentences import generate_sentences

    model, meta = load_shipped("lm-word-rnn")
    from rnncore.encoding import encoder_of

    test = [tokenize(s) for s in generate_sentences(1500, 2, "test")]
    nll, count = lm_nll(model, encoder_of(meta).words, test)
    assert math.isclose(math.exp(nll / count), meta["metrics"]["test"]["perplexity"], rel_tol=1e-3)


def test_readme_model_table_is_written_from_the_json():
    text = model_table.README.read_text(encoding="utf-8")
    assert model_table.rewrite(text) == text, "run: python -m scripts.model_table"


def test_assets_stay_small_and_are_never_pickles():
    files = list(checkpoint.MODELS_DIR.glob("*"))
    assert sum(f.stat().st_size for f in files) < 30e6
    assert not [f for f in files if f.suffix in {".pt", ".pth", ".pkl", ".ckpt"}]
    for f in checkpoint.MODELS_DIR.glob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))
