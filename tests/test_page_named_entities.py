"""AppTest of the lesson "Named entities": what the page shows equals rnncore.tasks.ner.inference on the same text."""

from __future__ import annotations

import re

import pytest
import torch

from rnncore import shipped
from rnncore.explain import entities as entity_views
from rnncore.tasks.ner import inference as ner_inference
from rnncore.text import tokenize
from tests import references
from tests.apptest_helpers import assert_clean, table
from ui.models_ui import is_shipped

PAGE = "lessons/named_entities.py"
ARCHS = ["rnn", "gru", "lstm", "birnn"]
NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM", "birnn": "BRNN"}
DEFAULT_TEXT = "Yesterday, Tom met Eliza in Paris."
APPLE = "He met with Apple representatives today."
PRESETS = [
    DEFAULT_TEXT,
    "Sherlock Holmes and John Watson lived at 221B Baker Street in London.",
    APPLE,
    "Teddy bear is on sale.",
    "Teddy Roosevelt was a great president.",
]
LIMIT = 300


@pytest.fixture(autouse=True)
def shipped_taggers():
    missing = [arch for arch in ARCHS if not is_shipped(f"ner-{arch}")]
    if missing:
        pytest.skip(f"NER checkpoints not shipped yet: {missing} (python -m rnncore train ner --arch ...)")


def marks(html_body: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of every highlighted entity in the sentence HTML."""
    return [
        (kind, int(start), int(end))
        for kind, start, end in re.findall(r'data-type="(\w+)" data-start="(\d+)" data-end="(\d+)"', html_body)
    ]


def sentence_html(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if 'class="ner-sentence"' in h.proto.body]


def assert_shows_tags(at, text: str, arch: str) -> None:
    """The token table, the highlighted sentence and y<t> agree with rnncore.tasks.ner.inference.ner(text, arch)."""
    expected = ner_inference.ner(text, arch)
    tokens = table(at, "y⟨t⟩ (1 = part of a name)")
    assert list(tokens["x⟨t⟩"]) == expected["tokens"] == tokenize(text)
    assert list(tokens["tag"]) == expected["labels"]
    assert list(tokens["P(tag)"]) == pytest.approx(expected["probs"], abs=5e-5)
    assert list(tokens["y⟨t⟩ (1 = part of a name)"]) == [int(label != "O") for label in expected["labels"]]
    entities = entity_views.entities(expected["tokens"], expected["labels"])
    assert marks(sentence_html(at)[0]) == [(e.type, e.start, e.end) for e in entities]
    metric = {m.label: m.value for m in at.metric}
    assert metric["$T_x$ (tokens read)"] == metric["$T_y$ (tags written)"] == str(len(expected["tokens"]))
    assert metric["Entities found"] == str(len(entities))


def test_defaults_show_the_notes_example_with_the_brnn(app_test):
    at = app_test(PAGE)
    assert_clean(at)
    assert at.text_area(key="ner_text").value == DEFAULT_TEXT
    assert at.segmented_control(key="ner_arch").value == ner_inference.NER_DEFAULT == "birnn"
    assert_shows_tags(at, DEFAULT_TEXT, "birnn")
    assert "ner_text" not in at.query_params and "ner_arch" not in at.query_params  # defaults keep the URL clean


@pytest.mark.parametrize("index", range(len(PRESETS)))
def test_each_preset_is_one_click_away(app_test, index):
    at = app_test(PAGE)
    at.button(key=f"ner_text_preset_{index}").click().run()
    assert_clean(at)
    assert at.text_area(key="ner_text").value == PRESETS[index]
    assert_shows_tags(at, PRESETS[index], "birnn")
    assert at.query_params.get("ner_text") == (None if index == 0 else PRESETS[index])


@pytest.mark.parametrize("arch", ["rnn", "gru", "lstm"])
def test_switching_the_architecture(app_test, arch):
    at = app_test(PAGE)
    at.segmented_control(key="ner_arch").set_value(arch).run()
    assert_clean(at)
    assert_shows_tags(at, DEFAULT_TEXT, arch)


def test_a_shared_link_opens_on_its_sentence_and_architecture(app_test):
    at = app_test(PAGE, {"ner_text": APPLE, "ner_arch": "LSTM"})  # the URL holds the name on the button
    assert_clean(at)
    assert at.text_area(key="ner_text").value == APPLE
    assert at.segmented_control(key="ner_arch").value == "lstm"
    assert_shows_tags(at, APPLE, "lstm")


def test_an_unknown_architecture_in_the_url_falls_back(app_test):
    at = app_test(PAGE, {"ner_arch": "transformer"})
    assert_clean(at)
    assert_shows_tags(at, DEFAULT_TEXT, "birnn")
    assert "ner_arch" not in at.query_params  # an invalid value is dropped from the URL


def test_four_architectures_side_by_side_with_their_checkpoint_figures(app_test):
    at = app_test(PAGE, {"ner_text": PRESETS[1]})
    assert_clean(at)
    tags = table(at, "BRNN")
    assert list(tags["x⟨t⟩"]) == tokenize(PRESETS[1])
    for arch in ARCHS:
        assert list(tags[NAMES[arch]]) == ner_inference.ner(PRESETS[1], arch)["labels"]
    assert len(sentence_html(at)) == 1 + len(ARCHS)  # the chosen model's, then one per architecture
    for body, arch in zip(sentence_html(at)[1:], ARCHS, strict=True):
        labels = ner_inference.ner(PRESETS[1], arch)["labels"]
        assert marks(body) == [(e.type, e.start, e.end) for e in entity_views.entities(tokenize(PRESETS[1]), labels)]
    figures = table(at, "news F1").set_index("model")
    columns = {"news F1": ("news/test", "entity_f1"), "web F1": ("web/test", "entity_f1"),
               "social F1": ("social/test", "entity_f1"), "classroom F1": ("classroom", "entity_f1"),
               "classroom name F1 (y⟨t⟩)": ("classroom", "name_detection_f1")}
    for arch in ARCHS:
        meta = shipped.load_shipped(f"ner-{arch}")[1]
        row = figures.loc[NAMES[arch]]
        assert row["parameters"] == meta["params"]
        assert row["epochs"] == len(meta["training"]["history"])
        for column, (key, score) in columns.items():
            assert row[column] == pytest.approx(meta["metrics"][key][score])
    # the most-frequent-tag row: the figures the default tagger's own training command computed
    baseline = shipped.load_shipped(f"ner-{ner_inference.NER_DEFAULT}")[1]["metrics"]["baseline"]
    for column, (key, score) in columns.items():
        assert figures.loc["Most frequent tag", column] == pytest.approx(baseline[key][score])
    assert figures.loc["Most frequent tag", "news F1"] < figures.loc[NAMES["birnn"], "news F1"]


def test_what_the_left_to_right_rnn_could_see_on_the_apple_sentence(app_test):
    at = app_test(PAGE, {"ner_text": APPLE})
    assert_clean(at)
    shown = table(at, "the RNN has read")
    tokens = tokenize(APPLE)
    assert list(shown["the RNN has read"]) == [" ".join(tokens[: t + 1]) for t in range(len(tokens))]
    # the RNN column is what the RNN says when the sentence is cut after x<t>: T_x separate runs
    rnn, rnn_meta = shipped.load_shipped("ner-rnn")
    prefixes = references.tag_probs_from_prefixes(rnn, rnn_meta, tokens)
    labels = rnn_meta["labels"]
    assert list(shown["RNN says"]) == [labels[int(k)] for k in prefixes.argmax(dim=1)]
    assert list(shown["P (RNN)"]) == pytest.approx(prefixes.max(dim=1).values.tolist(), abs=1e-5)
    brnn, brnn_meta = shipped.load_shipped("ner-birnn")
    whole = entity_views.tag_probs(brnn, brnn_meta, tokens)
    assert list(shown["BRNN says (whole sentence)"]) == [brnn_meta["labels"][int(k)] for k in whole.argmax(dim=1)]
    pairs = zip(shown["RNN says"], shown["BRNN says (whole sentence)"], strict=True)
    assert list(shown["differ"]) == [a != b for a, b in pairs]
    apple = tokens.index("Apple")
    differ_note = next(md.value for md in at.markdown if md.value.startswith(("They disagree", "On this sentence")))
    assert (f"x⟨{apple + 1}⟩ **Apple**" in differ_note) == bool(shown["differ"].iloc[apple])
    chart = at.get("plotly_chart")
    assert chart  # the P(part of a name) bars


def test_the_teddy_pair_same_first_word_different_endings(app_test):
    at = app_test(PAGE)
    assert_clean(at)
    pair = table(at, "P(name), BRNN")
    assert list(pair["sentence"]) == PRESETS[3:5]
    rnn, rnn_meta = shipped.load_shipped("ner-rnn")
    brnn, brnn_meta = shipped.load_shipped("ner-birnn")
    for row, text in zip(pair.itertuples(), PRESETS[3:5], strict=True):
        tokens = tokenize(text)
        alone = entity_views.tag_probs(rnn, rnn_meta, tokens[:1])[0]  # the RNN fed "Teddy" and nothing else
        assert row[pair.columns.get_loc("P(name), RNN") + 1] == pytest.approx(1 - float(alone[0]), abs=1e-6)
        whole = entity_views.tag_probs(brnn, brnn_meta, tokens)[0]
        assert row[pair.columns.get_loc("P(name), BRNN") + 1] == pytest.approx(1 - float(whole[0]), abs=1e-6)
    assert pair["P(name), RNN"].iloc[0] == pytest.approx(pair["P(name), RNN"].iloc[1], abs=1e-6)
    note = next(md.value for md in at.markdown if md.value.startswith("“Teddy bear"))
    assert "the same answer" in note and f"{pair['P(name), BRNN'].iloc[1]:.0%}" in note


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_text_shows_a_hint(app_test, text):
    at = app_test(PAGE)
    at.text_area(key="ner_text").input(text).run()
    assert_clean(at)
    assert any("Type a sentence" in info.value for info in at.info)
    assert not at.metric and not at.get("plotly_chart")


def test_long_text_is_cut_with_a_note(app_test):
    long_text = "Tom met Eliza in Paris. " * 30  # 720 characters
    at = app_test(PAGE, {"ner_text": long_text})
    assert_clean(at)
    assert any("Limit reached" in w.value and f"first {LIMIT}" in w.value for w in at.warning)
    assert_shows_tags(at, long_text[:LIMIT].strip(), "birnn")
    at.text_area(key="ner_text").set_value(long_text).run()  # a value past the browser's max_chars
    assert_clean(at)
    assert list(table(at, "y⟨t⟩ (1 = part of a name)")["x⟨t⟩"]) == tokenize(long_text[:LIMIT].strip())


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script> met Tom", "I ❤️ Paris 😀 and 我们去散步", "**Tom** met [Eliza](javascript:x) in $Paris$"],
)
def test_markup_emoji_and_markdown_are_shown_as_text(app_test, text):
    at = app_test(PAGE, {"ner_text": text})
    assert_clean(at)
    assert_shows_tags(at, text, "birnn")
    for body in (h.proto.body for h in at.get("html")):
        assert "<script" not in body and "javascript:x)" not in body.replace("&", "")
    for element in [*at.markdown, *at.caption]:
        assert "<script" not in element.value
        assert "](javascript" not in element.value  # a link can never form from user text


def test_the_page_never_changes_the_shared_models(app_test):
    model, _ = shipped.load_shipped("ner-birnn")
    before = {name: p.clone() for name, p in model.state_dict().items()}
    app_test(PAGE, {"ner_text": APPLE})
    assert not model.training
    assert all(torch.equal(before[name], p) for name, p in model.state_dict().items())


def test_a_missing_checkpoint_is_named_and_the_page_uses_the_others(app_test, monkeypatch):
    from ui import models_ui

    monkeypatch.setattr(models_ui, "is_shipped", lambda stem: stem != "ner-birnn")
    at = app_test(PAGE)
    assert not at.exception
    assert "`ner-birnn`" in at.warning[0].value and "python -m rnncore train ner" in at.warning[0].value
    picker = at.get("button_group")[0]
    assert len(picker.proto.options) == 3  # RNN, GRU, LSTM
    assert table(at, "tag") is not None  # tagged with the first shipped one instead of the BRNN

    monkeypatch.setattr(models_ui, "is_shipped", lambda stem: False)
    at = app_test(PAGE)
    assert not at.exception
    assert "`ner-rnn`" in at.warning[0].value
    assert not at.get("button_group") and not at.dataframe  # nothing to pick, nothing tagged
