"""Guess first, on the entity, sentiment, language-model and Compare lessons (AppTest): off by default,
on with ?guess=on; before the guess is committed the model's answer is nowhere on the page; afterwards
both are shown and the session's score counts right and wrong guesses."""

from __future__ import annotations

import json

import pytest

from rnncore.tasks.lm import inference as lm_inference
from rnncore.tasks.ner import inference as ner_inference
from rnncore.tasks.sentiment import inference as sentiment_inference
from tests.apptest_helpers import assert_clean
from tests.conftest import REPO_ROOT, make_app_test
from ui import guess, models_ui

NOTES_REVIEW = "I didn't enjoy the film at all."
TOM = "Yesterday, Tom met Eliza in Paris."


def needs(*stems: str) -> None:
    missing = [s for s in stems if not models_ui.is_shipped(s)]
    if missing:
        pytest.skip(f"not shipped: {missing}")


def metric(at, label: str) -> str | None:
    found = [m.value for m in at.metric if m.label == label]
    return found[0] if found else None


def score_line(at) -> str:
    (line,) = [c.value for c in at.caption if c.value.startswith("Your score on this lesson")]
    return line


def commit(at) -> None:
    (button,) = [b for b in at.button if b.label == "Commit my guess"]
    button.click().run()


def hidden(at) -> bool:
    return any(guess.HIDDEN_NOTE in i.value for i in at.info)


def test_off_by_default_on_through_the_url():
    needs("sentiment-lstm")
    plain = make_app_test("lessons/sentiment.py")
    assert [t.value for t in plain.toggle if t.label == "Guess first"] == [False]
    assert not hidden(plain) and metric(plain, "Most probable rating") is not None
    on = make_app_test("lessons/sentiment.py", {"guess": "on"})
    assert [t.value for t in on.toggle if t.label == "Guess first"] == [True]
    assert hidden(on)


def test_sentiment_hides_the_rating_then_scores_the_guess():
    needs(*(f"sentiment-{a}" for a in ("rnn", "gru", "lstm", "birnn")))
    stars = sentiment_inference.sentiment(NOTES_REVIEW, sentiment_inference.SENTIMENT_DEFAULT)["stars"]
    at = make_app_test("lessons/sentiment.py", {"guess": "on", "sent_text": NOTES_REVIEW})
    assert_clean(at)
    assert hidden(at)
    assert metric(at, "Most probable rating") is None  # the answer is nowhere on the page
    assert not [h for h in at.get("html") if 'class="stars' in h.proto.body]
    assert not [c for c in at.get("plotly_chart")]
    assert score_line(at).startswith("Your score on this lesson: 0 of 0")

    at.radio(key="guess_value_sentiment").set_value(stars)
    commit(at)
    assert_clean(at)
    assert metric(at, "Your guess") == f"{stars} ★" and metric(at, "The model") == f"{stars} ★"
    assert metric(at, "Verdict") == "right"
    assert score_line(at).startswith("Your score on this lesson: 1 of 1")
    assert metric(at, "Most probable rating") is not None  # revealed: the lesson's sections are back

    at.run()  # a rerun neither scores again nor hides the answer
    assert score_line(at).startswith("Your score on this lesson: 1 of 1") and not hidden(at)

    other = "The plot was dull, but the acting was superb."
    truth = sentiment_inference.sentiment(other, sentiment_inference.SENTIMENT_DEFAULT)["stars"]
    at.text_area(key="sent_text").input(other).run()
    assert hidden(at) and metric(at, "Most probable rating") is None  # a new round
    wrong = 5 if truth != 5 else 1
    at.radio(key="guess_value_sentiment").set_value(wrong)
    commit(at)
    assert metric(at, "Verdict") == "not this time"
    assert score_line(at).startswith("Your score on this lesson: 1 of 2; in all lessons this session: 1 of 2")


def test_named_entities_hides_the_tags_then_compares_word_by_word():
    needs(*(f"ner-{a}" for a in ("rnn", "gru", "lstm", "birnn")))
    record = ner_inference.ner(TOM, ner_inference.NER_DEFAULT)
    truth = guess.token_types(record["tokens"], record["labels"])
    at = make_app_test("lessons/named_entities.py", {"guess": "on", "ner_text": TOM})
    assert_clean(at)
    assert hidden(at)
    assert not [h for h in at.get("html") if "ner-sentence" in h.proto.body]  # no highlighted entities yet
    assert metric(at, "Entities found") is None

    for kind in {kind for kind in truth.values()}:
        at.multiselect(key=f"guess_value_named_entities_{kind}").set_value(
            [i for i, k in truth.items() if k == kind])
    commit(at)
    assert_clean(at)
    assert metric(at, "Verdict") == "right"
    words = len(guess.word_options(record["tokens"]))
    assert [m.delta for m in at.metric if m.label == "Verdict"] == [f"{words} of {words} words agree"]
    assert score_line(at).startswith("Your score on this lesson: 1 of 1")
    assert [h for h in at.get("html") if "ner-sentence" in h.proto.body]  # revealed

    guessed = {}  # "no names at all": wrong for a sentence with names, and scored
    assert guess.judge_entities(guessed, record["tokens"], record["labels"]).right is (truth == {})


def test_language_model_hides_the_probabilities_then_scores():
    needs("lm-word-lstm")
    first, second = "The apple and pear salad", "The apple and pair salad"
    p_first = lm_inference.lm_score(first, lm_inference.LM_DEFAULT)["log_prob"]
    p_second = lm_inference.lm_score(second, lm_inference.LM_DEFAULT)["log_prob"]
    likelier = "first" if p_first >= p_second else "second"
    at = make_app_test("lessons/language_model.py", {"guess": "on", "lm_text": first, "lm_other": second})
    assert_clean(at)
    assert hidden(at) and metric(at, "log P, first") is None
    at.radio(key="guess_value_language_model").set_value("second" if likelier == "first" else "first")
    commit(at)
    assert metric(at, "Verdict") == "not this time" and metric(at, "The model") == f"the {likelier}"
    assert score_line(at).startswith("Your score on this lesson: 0 of 1")
    assert metric(at, "log P, first") == f"{p_first:.2f}"  # revealed, with the lesson's own number


def test_compare_hides_the_results_then_accepts_any_of_tied_winners():
    record = json.loads((REPO_ROOT / "assets" / "compare" / "default.json").read_text(encoding="utf-8"))
    distance, winners = guess.compare_winners(record)
    accuracies = {a: r["accuracy_by_distance"][str(distance)] for a, r in record["archs"].items()}
    assert set(winners) == {a for a, v in accuracies.items() if v == max(accuracies.values())}
    at = make_app_test("lessons/compare.py", {"guess": "on"})
    assert_clean(at)
    assert hidden(at)
    assert not [m for m in at.metric if m.label.endswith("accuracy")]  # no result on the page
    at.radio(key="guess_value_compare").set_value(winners[-1])
    commit(at)
    assert metric(at, "Verdict") == "right"
    assert score_line(at).startswith("Your score on this lesson: 1 of 1")
    assert [m for m in at.metric if m.label.endswith("accuracy")]  # the results are shown
