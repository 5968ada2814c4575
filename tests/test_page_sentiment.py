"""AppTest of the lesson "Sentiment": the stars and probabilities shown equal rnncore.tasks.sentiment.inference on the same text."""

from __future__ import annotations

import json
import re

import pytest

from rnncore import checkpoint
from rnncore.encoding import tokens_for
from rnncore.explain import ratings
from rnncore.shipped import load_shipped
from rnncore.tasks.sentiment import bow as bow_module
from rnncore.tasks.sentiment import inference
from tests.apptest_helpers import assert_clean, table
from ui.models_ui import bag_of_words, is_shipped, md_escape, shipped_bag_of_words

PAGE = "lessons/sentiment.py"
ARCHS = ["rnn", "gru", "lstm", "birnn"]
NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM", "birnn": "BRNN"}
NOTES = "I didn't enjoy the film at all."
PAIR = ("The plot was dull, but the acting was superb.", "The acting was superb, but the plot was dull.")
PRESETS = [NOTES, "There is nothing to like in this movie.", *PAIR, "Not bad at all."]
LIMIT = 300


@pytest.fixture(autouse=True)
def shipped_classifiers():
    missing = [arch for arch in ARCHS if not is_shipped(f"sentiment-{arch}")]
    if missing:
        pytest.skip(f"sentiment checkpoints not shipped yet: {missing} (python -m rnncore train sentiment ...)")


def shown_stars(at) -> int:
    bodies = [h.proto.body for h in at.get("html") if 'class="stars"' in h.proto.body]
    assert len(bodies) == 1
    stars = int(re.search(r'data-stars="(\d)"', bodies[0]).group(1))
    assert bodies[0].count("★") == stars and bodies[0].count("☆") == 5 - stars
    return stars


def chart(at, title_word: str | None = None) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def assert_shows_rating(at, text: str, arch: str) -> None:
    expected = inference.sentiment(text, arch)
    assert shown_stars(at) == expected["stars"]
    metric = {m.label: m.value for m in at.metric}
    assert metric["Most probable rating"] == (f"{expected['stars']} star" + ("s" if expected["stars"] > 1 else ""))
    bars = chart(at)[0]["data"][0]
    assert bars["y"] == pytest.approx(expected["probs"], abs=5e-5)
    assert float(metric["Expected stars, E[stars] = Σ k·P(k)"]) == pytest.approx(
        sum((k + 1) * p for k, p in enumerate(expected["probs"])), abs=0.006
    )


def test_defaults_rate_the_notes_review(app_test):
    at = app_test(PAGE)
    assert_clean(at)
    assert at.text_area(key="sent_text").value == NOTES
    assert at.segmented_control(key="sent_arch").value == inference.SENTIMENT_DEFAULT
    assert_shows_rating(at, NOTES, inference.SENTIMENT_DEFAULT)
    assert not at.query_params


@pytest.mark.parametrize("index", range(len(PRESETS)))
def test_each_preset(app_test, index):
    at = app_test(PAGE)
    at.button(key=f"sent_text_preset_{index}").click().run()
    assert_clean(at)
    assert_shows_rating(at, PRESETS[index], inference.SENTIMENT_DEFAULT)
    assert at.query_params.get("sent_text") == (None if index == 0 else PRESETS[index])


@pytest.mark.parametrize("arch", [a for a in ("rnn", "gru", "lstm", "birnn") if a != inference.SENTIMENT_DEFAULT])
def test_switching_the_architecture(app_test, arch):
    at = app_test(PAGE)
    at.segmented_control(key="sent_arch").set_value(arch).run()
    assert_clean(at)
    assert_shows_rating(at, NOTES, arch)


def test_a_shared_link_opens_as_shown(app_test):
    at = app_test(PAGE, {"sent_text": PAIR[0], "sent_arch": "BRNN", "sent_a": "Not good.", "sent_b": "Good."})
    assert_clean(at)
    assert at.segmented_control(key="sent_arch").value == "birnn"  # not the default: the link chose it
    assert_shows_rating(at, PAIR[0], "birnn")
    assert at.text_input(key="sent_a").value == "Not good." and at.text_input(key="sent_b").value == "Good."


def test_the_rating_after_each_word(app_test):
    at = app_test(PAGE, {"sent_text": PAIR[0]})
    assert_clean(at)
    model, meta = load_shipped(f"sentiment-{inference.SENTIMENT_DEFAULT}")
    tokens = tokens_for(meta, PAIR[0])
    # each prefix x<1>..x<t> rated on its own, independently of the page's batched computation
    alone = [inference.star_probs(model, meta, [tokens[: t + 1]])[0] for t in range(len(tokens))]
    stars = [int(p.argmax()) + 1 for p in alone]
    shown = table(at, "read so far")
    assert list(shown["x⟨t⟩"]) == tokens
    assert list(shown["stars"]) == stars
    assert list(shown["E[stars]"]) == pytest.approx([float(ratings.expected_stars(p)) for p in alone], abs=1e-4)
    turns = [(t + 1, tokens[t], stars[t - 1], stars[t]) for t in range(1, len(tokens)) if stars[t] != stars[t - 1]]
    note = next(md.value for md in at.markdown if md.value.startswith("The most probable rating"))
    for t, word, before, after in turns[:8]:
        assert f"x⟨{t}⟩ **{md_escape(word)}**: {before} → {after} stars" in note
    if not turns:
        assert f"stays at {stars[-1]} stars" in note
    stacked = chart(at)[1]
    assert [trace["name"] for trace in stacked["data"][:5]] == ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
    assert stacked["data"][5]["y"] == pytest.approx(list(shown["E[stars]"]), abs=1e-6)


def test_four_architectures_and_the_bag_of_words(app_test):
    at = app_test(PAGE, {"sent_text": PAIR[1]})
    assert_clean(at)
    rows = table(at, "P(1 star)").set_index("model")
    for arch in ARCHS:
        expected = inference.sentiment(PAIR[1], arch)
        assert rows.loc[NAMES[arch], "stars"] == expected["stars"]
        assert [rows.loc[NAMES[arch], f"P({k} star{'s' if k > 1 else ''})"] for k in range(1, 6)] == pytest.approx(
            expected["probs"], abs=5e-5
        )
    baseline = bag_of_words()  # the page's cached baseline: the shipped one
    bow = baseline.predict_proba([PAIR[1]])[0]
    assert rows.loc["Bag of words", "stars"] == int(bow.argmax()) + 1
    figures = table(at, "SST test: stars").set_index("model")
    columns = {"SST test: stars": ("reviews/test", "accuracy"), "SST test: polarity": ("reviews/test", "binary_polarity"),
               "generated test: polarity": ("generated/test", "polarity_accuracy"),
               "classroom: polarity": ("classroom", "polarity_accuracy")}
    for arch in ARCHS:
        meta = load_shipped(f"sentiment-{arch}")[1]
        assert figures.loc[NAMES[arch], "parameters"] == meta["params"]
        for column, (key, score) in columns.items():
            assert figures.loc[NAMES[arch], column] == pytest.approx(meta["metrics"][key][score])
    # the baseline's row: the figures its training command wrote, equal to the shipped file's own
    lstm = load_shipped("sentiment-lstm")[1]["metrics"]["baseline"]
    shipped = checkpoint.read_meta("bow-sentiment")["metrics"]
    for column, (key, score) in columns.items():
        assert figures.loc["Bag of words", column] == pytest.approx(lstm[key][score]) == pytest.approx(shipped[key][score])
    caption = next(c.value for c in at.caption if "Bag of words" in c.value)
    reviews = next(s for s in lstm_sources() if s["name"] == "reviews")
    assert f"{reviews['test']:,} test and {reviews['dev']:,} dev reviews held out" in caption


def lstm_sources() -> list[dict]:
    return load_shipped("sentiment-lstm")[1]["sources"]


def test_without_the_shipped_bag_of_words_the_rnns_still_show(app_test, monkeypatch):
    """A server without assets/models/bow-sentiment (it needs the corpora to be fitted, so it is never
    fitted on a server): the RNN rows, the figures table (its baseline row from the RNNs' JSON) and a note."""
    monkeypatch.setattr(bow_module, "BOW_STEM", "no-such-bag-of-words")
    shipped_bag_of_words.clear()
    try:
        at = app_test(PAGE, {"sent_text": PAIR[1]})
        assert_clean(at)
        assert any("bag-of-words baseline is not shipped" in info.value for info in at.info)
        rows = table(at, "P(1 star)").set_index("model")
        assert list(rows.index) == [NAMES[arch] for arch in ARCHS]
        assert "Bag of words" in set(table(at, "SST test: stars")["model"])
        assert "Bag of words" not in set(table(at, "tells them apart")["model"])
    finally:
        shipped_bag_of_words.clear()


def test_same_words_in_another_order(app_test):
    at = app_test(PAGE)
    assert_clean(at)
    assert (at.text_input(key="sent_a").value, at.text_input(key="sent_b").value) == PAIR
    order = table(at, "tells them apart").set_index("model")
    for arch in ARCHS:
        assert order.loc[NAMES[arch], "stars, first"] == inference.sentiment(PAIR[0], arch)["stars"]
        assert order.loc[NAMES[arch], "stars, second"] == inference.sentiment(PAIR[1], arch)["stars"]
    bow = order.loc["Bag of words"]
    assert bow["stars, first"] == bow["stars, second"] and not bow["tells them apart"]
    assert bow["E[stars], first"] == pytest.approx(bow["E[stars], second"], abs=1e-9)
    assert any("same words" in md.value for md in at.markdown)
    at.button(key="sent_pair_1").click().run()
    assert_clean(at)
    assert at.text_input(key="sent_a").value == "The food was good, not bad."
    assert table(at, "tells them apart").loc[4, "stars, first"] == table(at, "tells them apart").loc[4, "stars, second"]


@pytest.mark.parametrize("text", ["", "  \n"])
def test_empty_review_shows_a_hint(app_test, text):
    at = app_test(PAGE)
    at.text_area(key="sent_text").input(text).run()
    assert_clean(at)
    assert any("Type a sentence" in info.value for info in at.info)
    assert not [h for h in at.get("html") if 'class="stars"' in h.proto.body]
    at.text_input(key="sent_a").input("").run()
    assert_clean(at)
    assert any("both boxes" in info.value for info in at.info)


def test_long_review_is_cut_with_a_note(app_test):
    long_text = "The food was good but the service was slow. " * 20  # 880 characters
    at = app_test(PAGE, {"sent_text": long_text, "sent_a": "x" * 500})
    assert_clean(at)
    assert any("Limit reached" in w.value and f"first {LIMIT}" in w.value for w in at.warning)
    assert any("first 200 characters" in w.value for w in at.warning)
    assert_shows_rating(at, long_text[:LIMIT].strip(), inference.SENTIMENT_DEFAULT)
    meta = load_shipped(f"sentiment-{inference.SENTIMENT_DEFAULT}")[1]
    assert list(table(at, "read so far")["x⟨t⟩"]) == tokens_for(meta, long_text[:LIMIT].strip())


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)> was **great**", "😀😀 $5 [link](javascript:x) 我们"])
def test_markup_and_emoji_are_text(app_test, text):
    at = app_test(PAGE, {"sent_text": text})
    assert_clean(at)
    assert_shows_rating(at, text, inference.SENTIMENT_DEFAULT)
    for element in [*at.markdown, *at.caption]:
        assert "<img" not in element.value and "](javascript" not in element.value
    for spec in chart(at):
        assert "<img" not in json.dumps(spec)
