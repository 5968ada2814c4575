"""AppTest of the lesson "Translation": what the page shows equals rnncore's translation of the same text
(and the command line's, which test_cli_translate checks against the same function), the attention
heatmap is drawn with rows that sum to 1, the steps table carries the decoder's own probabilities, and
the BLEU figures are the checkpoints' JSON."""

from __future__ import annotations

import json
import math

import pytest

from rnncore.checkpoint import read_meta
from rnncore.tasks.translate import inference
from tests.apptest_helpers import assert_clean, table

PAGE = "lessons/translation.py"
STEMS = ["translate-en-fr-gru-attention", "translate-en-fr-gru", "translate-fr-en-gru-attention"]
STEPS = "P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩, x)"


@pytest.fixture(autouse=True)
def shipped_translation_models():
    missing = [stem for stem in STEMS if not inference.is_shipped(stem)]
    if missing:
        pytest.skip(f"translation models not shipped yet: {missing}")


def charts(at) -> list[dict]:
    """Plotly specs of the page's charts, in page order."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def heatmaps(at) -> list[dict]:
    return [trace for spec in charts(at) for trace in spec["data"] if trace["type"] == "heatmap"]


def shown_translation(at) -> str:
    (heading,) = [m.value for m in at.markdown if m.value.startswith("### ")]
    return heading[4:].replace("\\", "")


def metric(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_page_translates(at, text: str, source: str = "en", attention: bool = True, beam: int | None = None) -> dict:
    assert_clean(at)
    meta = read_meta(inference.stem(source, "gru", attention))
    beam = beam or meta["decoding"]["beam"]
    expected = inference.translate(text, source=source, attention=attention, beam=beam)
    assert shown_translation(at) == expected["translation"]
    shown = metric(at)
    assert shown["T_x (source tokens)"] == str(expected["T_x"]) and shown["T_y (output tokens)"] == str(expected["T_y"])
    assert shown["log P(y | x)"] == f"{expected['log_prob']:.2f}"
    steps = table(at, STEPS)
    assert len(steps) == expected["T_y"] + 1 and steps["written y⟨t⟩"].iloc[-1] == "<EOS>"
    assert math.isclose(sum(math.log(p) for p in steps[STEPS]), expected["log_prob"], abs_tol=1e-3)
    return expected


def test_defaults_translate_the_notes_sentence_into_french(app_test):
    at = app_test(PAGE)
    expected = assert_page_translates(at, "Shall we go for a walk?")
    attention = [h for h in heatmaps(at) if h.get("colorbar", {}).get("title", {}).get("text") == "α"]
    assert len(attention) == 1
    rows = attention[0]["z"]
    assert len(rows) == expected["T_y"] + 1 and len(rows[0]) == expected["T_x"]
    assert all(math.isclose(sum(row), 1, abs_tol=1e-4) for row in rows)
    assert len(heatmaps(at)) == 3  # the encoder's states, the summary and s<0>, the attention


def test_without_attention_the_page_says_so_and_translates_with_the_plain_model(app_test):
    at = app_test(PAGE, {"tr_model": "Without attention"})  # the URL holds the label
    assert_page_translates(at, "Shall we go for a walk?", attention=False)
    assert any("no attention" in i.value for i in at.info)
    assert len(heatmaps(at)) == 2


def test_french_to_english_and_greedy(app_test):
    at = app_test(PAGE, {"tr_dir": "French → English", "tr_beam": "1"})
    assert_page_translates(at, "Voulez-vous chanter avec moi ?", source="fr", beam=1)
    assert at.slider(key="tr_beam").value == 1


def test_a_typed_sentence_and_each_step(app_test):
    at = app_test(PAGE)
    at.text_area(key="tr_en").set_value("I have two brothers and a sister.").run()
    expected = assert_page_translates(at, "I have two brothers and a sister.")
    last = expected["T_y"] + 1
    at.slider(key="tr_step").set_value(last).run()
    assert_clean(at)
    at.text_area(key="tr_en").set_value("Go.").run()  # a shorter translation: the step is kept inside it
    assert_page_translates(at, "Go.")
    assert at.slider(key="tr_step").value <= inference.translate("Go.")["T_y"] + 1


def test_hostile_text_gives_a_message_or_a_translation(app_test):
    at = app_test(PAGE)
    for text in ["", "\u200b\u200b", "<script>alert(1)</script> **Tom**", "😀 👍🏽 🇫🇷", "a " * 100]:
        at.text_area(key="tr_en").set_value(text).run()
        assert not at.exception, (text, [e.message for e in at.exception])
        if not text.strip("\u200b "):
            assert at.info, "an empty box says what to do"
    at.text_area(key="tr_en").set_value("a " * 100).run()
    assert any("too long" in w.value.lower() for w in at.warning)


def type_text(at, text: str) -> None:
    """Type into the English box and rerun (the box is looked up in the latest run's tree each time)."""
    at.text_area(key="tr_en").set_value(text).run()


def warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_bad_input_gets_a_clear_message_and_no_made_up_translation(app_test):
    at = app_test(PAGE)
    type_text(at, "")
    assert_clean(at)
    assert any("Type a sentence" in i.value for i in at.info) and not at.metric
    type_text(at, "?! ... !!")
    assert_clean(at)
    assert any("Nothing to translate: no words, only punctuation or symbols" in w for w in warnings(at))
    assert not at.metric and not [m for m in at.markdown if m.value.startswith("### ")]
    type_text(at, "a " * 100)
    assert any("Too long to translate: 100 tokens" in w and "up to 60 tokens" in w for w in warnings(at))
    assert not at.metric
    type_text(at, "x" * 500)  # past the box's limit (a link can carry it): cut, then translated
    assert any("first 200 characters" in w for w in warnings(at))
    assert metric(at)["T_x (source tokens)"] == "1"


def test_unknown_words_are_named_and_the_page_says_what_they_cost(app_test):
    at = app_test(PAGE)
    type_text(at, "The cat is sleeping on the zorblax.")
    expected = assert_page_translates(at, "The cat is sleeping on the zorblax.")
    assert expected["unknown_source_tokens"] == ["zorblax"]
    (warning,) = [w for w in warnings(at) if "vocabulary" in w]
    assert warning.startswith("1 of the 7 words is not in the model's English vocabulary") and "zorblax" in warning
    assert "knows none of the words" not in warning
    type_text(at, "Zorblax quuxed the flibber.")
    expected = assert_page_translates(at, "Zorblax quuxed the flibber.")
    assert len(expected["unknown_source_tokens"]) == 3
    (warning,) = [w for w in warnings(at) if "vocabulary" in w]
    assert warning.startswith("3 of the 4 words are not")
    type_text(at, "Zorblax quuxed flibbers.")
    (warning,) = [w for w in warnings(at) if "vocabulary" in w]
    assert warning.startswith("3 of the 3 words are not") and "knows none of the words" in warning


def test_bleu_by_length_comes_from_the_checkpoints(app_test):
    at = app_test(PAGE)
    scores = table(at, "BLEU beam")
    for model, stem in (("with attention", STEMS[0]), ("no attention", STEMS[1])):
        row = scores[scores["model"].str.contains(model)].iloc[0]
        test = read_meta(stem)["metrics"]["test"]
        assert row["BLEU beam"] == test["beam"]["bleu"] and row["BLEU greedy"] == test["greedy"]["bleu"]
    baseline = scores[scores["model"].str.contains("word by word")].iloc[0]
    assert baseline["BLEU greedy"] == read_meta(STEMS[0])["metrics"]["test"]["word_by_word"]["bleu"]
    lines = [spec for spec in charts(at) if spec["data"][0]["type"] == "scatter"]
    (figure,) = lines
    by_name = {trace["name"]: trace["y"] for trace in figure["data"]}
    attention = read_meta(STEMS[0])["metrics"]["test"]["beam"]["bleu_by_length"]
    assert by_name["GRU encoder-decoder with attention"] == [v["bleu"] for v in attention.values()]
    plain = read_meta(STEMS[1])["metrics"]["test"]["beam"]["bleu_by_length"]
    read = [b for b, v in attention.items() if v["pairs"] >= 100]  # the page reads only well-filled buckets
    first, last = read[0], read[-1]
    (finding,) = [m.value for m in at.markdown if m.value.startswith("On the shortest sentences")]
    assert (f"({first} words) attention adds {attention[first]['bleu'] - plain[first]['bleu']:+.1f} BLEU; on the "
            f"longest well-filled bucket ({last} words) {attention[last]['bleu'] - plain[last]['bleu']:+.1f}.") in finding
    assert (f"From {first} to {last} words BLEU changes by {plain[last]['bleu'] - plain[first]['bleu']:+.1f} without "
            f"attention and {attention[last]['bleu'] - attention[first]['bleu']:+.1f} with it") in finding
