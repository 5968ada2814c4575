"""AppTest of the lesson "Language model": scores and samples shown equal rnncore.tasks.lm.inference's on the same input."""

from __future__ import annotations

import html
import json
import math

import pandas as pd
import pytest
import torch

from rnncore import encoding, shipped
from rnncore.explain import sampling
from rnncore.tasks import SHIPPED
from rnncore.tasks.lm import inference as lm_inference
from rnncore.text import tokenize
from tests.apptest_helpers import assert_clean
from ui import lm_ui
from ui.models_ui import is_shipped

PAGE = "lessons/language_model.py"
ARCHS = ["rnn", "gru", "lstm"]
WORD_ARCHS = [arch for task, arch in SHIPPED if task == "lm-word"]  # the LSTM only
PAIR, PEAR = "The apple and pair salad", "The apple and pear salad"
PRESETS = [PAIR, PEAR, "The cat sat on the mat.", "Salad pear and apple the"]
MAX_UNITS = {"word": 30, "char": 24}


@pytest.fixture(autouse=True)
def shipped_language_models():
    """Every language model the project ships is here: the page tests below run on them, never skipped."""
    stems = [f"{task}-{arch}" for task, arch in SHIPPED if task.startswith("lm-")]
    assert stems and all(is_shipped(stem) for stem in stems)


def tables(at, column: str) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe if column in df.value.columns]


def table(at, column: str) -> pd.DataFrame:
    found = tables(at, column)
    assert len(found) == 1, f"{len(found)} tables with column {column!r}"
    return found[0]


def charts(at) -> list[dict]:
    """Plotly specs of the page's charts, in page order."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def metric(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_scores(at, text_a: str, text_b: str, arch: str) -> None:
    first, second = lm_inference.lm_score(text_a, arch), lm_inference.lm_score(text_b, arch)
    shown = metric(at)
    # shown to two decimals; the page's sum and the CLI's may round apart when they sit on a boundary
    assert float(shown["log P, first"]) == pytest.approx(first["log_prob"], abs=0.0051)
    assert float(shown["log P, second"]) == pytest.approx(second["log_prob"], abs=0.0051)
    likelier = "second" if second["log_prob"] > first["log_prob"] else "first"
    assert shown["More probable"] == f"the {likelier}"
    step_tables = tables(at, "log P so far")
    assert len(step_tables) == 2
    for shown_table, expected in zip(step_tables, (first, second), strict=True):
        assert [t.removesuffix(" (<UNK>)") for t in shown_table["y⟨t⟩"]] == expected["tokens"]
        assert list(shown_table["log P(y⟨t⟩ | …)"]) == pytest.approx(expected["token_log_probs"], abs=5e-4)
        assert list(shown_table["P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩)"]) == pytest.approx(
            [math.exp(x) for x in shown_table["log P(y⟨t⟩ | …)"]], rel=1e-6
        )
        assert shown_table["log P so far"].iloc[-1] == pytest.approx(expected["log_prob"], abs=5e-3)
    latex = "\n".join(element.value for element in at.latex)
    for expected in (first, second):
        shown_p = sampling.Scientific.from_log(expected["log_prob"])
        assert f"{shown_p.mantissa:.1f} \\times 10^{{{shown_p.exponent}}}" in latex
    bars = charts(at)[0]["data"]
    assert bars[0]["y"] == pytest.approx([math.exp(x) for x in first["token_log_probs"]], rel=1e-3)


def test_defaults_compare_the_notes_pair(app_test):
    at = app_test(PAGE)
    assert_clean(at)
    assert at.text_area(key="lm_text").value == PAIR
    assert at.text_input(key="lm_other").value == PEAR
    assert at.segmented_control(key="lm_arch").value == lm_inference.LM_DEFAULT
    assert_scores(at, PAIR, PEAR, lm_inference.LM_DEFAULT)
    assert not at.query_params


def test_the_notes_pair_says_whether_the_shipped_model_agrees_with_the_notes(app_test):
    at = app_test(PAGE)
    pear, pair = (lm_inference.lm_score(text, lm_inference.LM_DEFAULT)["log_prob"] for text in (PEAR, PAIR))
    verdicts = [m.value for m in at.markdown if m.value.startswith("The notes expect")]
    assert len(verdicts) == 1
    assert ("this model agrees" in verdicts[0]) == (pear > pair)
    assert lm_ui.times_text(abs(pear - pair)) in verdicts[0]
    at.button(key="lm_text_preset_2").click().run()  # another sentence against "pear salad": no verdict
    assert not [m for m in at.markdown if m.value.startswith("The notes expect")]


def test_notes_pair_verdict_follows_the_scores_whichever_box_holds_which():
    agrees = lm_ui.notes_pair_verdict(PEAR, " the APPLE and pair   salad", -40.0, -43.0)
    assert "this model agrees" in agrees and "20.1 times" in agrees  # e^3
    disagrees = lm_ui.notes_pair_verdict(PAIR, PEAR, -40.0, -47.0)
    assert "does not" in disagrees and "“pair salad” 1.1 × 10^3 times" in disagrees  # e^7 = 1097
    assert lm_ui.notes_pair_verdict(PEAR, "The cat sat on the mat.", -1.0, -2.0) is None
    assert lm_ui.notes_pair_verdict(PEAR, PEAR, -1.0, -1.0) is None


@pytest.mark.parametrize("index", range(len(PRESETS)))
def test_each_preset(app_test, index):
    at = app_test(PAGE)
    at.button(key=f"lm_text_preset_{index}").click().run()
    assert_clean(at)
    assert_scores(at, PRESETS[index], PEAR, lm_inference.LM_DEFAULT)


@pytest.mark.parametrize("arch", ["rnn", "gru"])
def test_an_architecture_without_a_word_model_says_so_and_still_writes_names(app_test, arch):
    assert arch not in WORD_ARCHS
    at = app_test(PAGE)
    at.segmented_control(key="lm_arch").set_value(arch).run()
    assert_clean(at)
    assert "log P, first" not in metric(at)
    assert any("Words are scored by the LSTM model only" in info.value for info in at.info)
    _, meta, samples = expected_samples("char", arch, 1.0, 0, 0, "", 5)
    assert list(table(at, "ended with <EOS>")["sample"]) == [sampling.sample_text(meta, s) for s in samples]


def expected_samples(level: str, arch: str, temperature: float, top_k: int, seed: int, prefix: str, n: int):
    model, meta = shipped.load_shipped(f"lm-{level}-{arch}")
    return model, meta, [
        lm_inference.sample(model, meta, MAX_UNITS[level], temperature, top_k, seed + i, prefix) for i in range(n)
    ]


@pytest.mark.parametrize(
    ("params", "level", "arch", "temperature", "top_k", "seed", "prefix", "n"),
    [
        ({}, "word", "lstm", 1.0, 0, 0, "", 5),
        ({"lm_level": "Characters", "lm_arch": "GRU", "lm_temp": "0.7", "lm_top_k": "5", "lm_seed": "42",
          "lm_n": "8"}, "char", "gru", 0.7, 5, 42, "", 8),
        ({"lm_level": "Characters", "lm_prefix": "Ma", "lm_seed": "3"}, "char", "lstm", 1.0, 0, 3, "Ma", 5),
        ({"lm_prefix": "the food", "lm_temp": "1.5", "lm_n": "3"}, "word", "lstm", 1.5, 0, 0, "the food", 3),
    ],
)
def test_samples_and_their_steps(app_test, params, level, arch, temperature, top_k, seed, prefix, n):
    at = app_test(PAGE, params)
    assert_clean(at)
    model, meta, samples = expected_samples(level, arch, temperature, top_k, seed, prefix, n)
    shown = table(at, "ended with <EOS>")
    assert list(shown["seed"]) == [seed + i for i in range(n)]
    assert list(shown["sample"]) == [sampling.sample_text(meta, s) for s in samples]
    assert list(shown["ended with <EOS>"]) == [sampling.sample_ended(meta, s) for s in samples]
    if level == "char":
        training = set(meta["training_names"])
        assert list(shown["new or seen"]) == [
            "seen in training" if "".join(s.units) in training else "new" for s in samples
        ]
        if prefix:
            assert all("".join(s.units).startswith(prefix.lower()) for s in samples)
    steps = sampling.sampled_steps(meta, samples[0])
    step_table = table(at, "P(sampled)")
    assert list(step_table["sampled y⟨t⟩"]) == [s.chosen for s in steps]
    assert list(step_table["P(sampled)"]) == pytest.approx([float(s.distribution[s.chosen_id]) for s in steps], abs=1e-6)
    assert list(step_table["rank"]) == [int((s.distribution > s.distribution[s.chosen_id]).sum()) + 1 for s in steps]
    # the temperature panels redo the first step from its logits: at T = 1 (no top-k) that is the sampled softmax
    if temperature == 1.0 and top_k == 0:
        panels = [c for c in charts(at) if any(a.get("text", "").startswith("T = 1 ") for a in c["layout"].get("annotations", []))]
        assert len(panels) == 1
        middle = panels[0]["data"][1]
        tokens = encoding.encoder_of(meta).words.tokens
        labels = [html.unescape(label) for label in middle["y"]]  # Plotly labels are escaped text
        ids = [tokens.index(label.replace("␣", " ")) if label != "⟨EOS⟩" else tokens.index("<EOS>") for label in labels]
        assert middle["x"] == pytest.approx([float(steps[0].distribution[i]) for i in ids], abs=1e-6)
    same_seed = table(at, f"sample, seed {seed}")
    for T, text in zip(same_seed["T"], same_seed[f"sample, seed {seed}"], strict=True):
        again = lm_inference.sample(model, meta, MAX_UNITS[level], float(T), top_k, seed, prefix)
        assert text == sampling.sample_text(meta, again)


def test_choosing_a_step_shows_its_softmax_with_the_sampled_unit_marked(app_test):
    at = app_test(PAGE, {"lm_level": "Characters", "lm_seed": "7"})
    assert_clean(at)
    _, meta, samples = expected_samples("char", "lstm", 1.0, 0, 7, "", 5)
    steps = sampling.sampled_steps(meta, samples[1])
    at.selectbox(key="lm_pick").set_value(1).run()
    at.selectbox(key="lm_step").set_value(len(steps)).run()
    assert_clean(at)
    last = steps[-1]
    bars = next(c for c in charts(at) if c["data"][0].get("orientation") == "h" and len(c["data"]) == 1)
    marked = [y for y, colour in zip(bars["data"][0]["y"], bars["data"][0]["marker"]["color"], strict=True)
              if colour == lm_ui.CHOSEN_COLOUR]
    assert marked == ["⟨EOS⟩" if last.chosen == "<EOS>" else last.chosen.replace(" ", "␣")]
    heatmap = next(c for c in charts(at) if c["data"][0]["type"] == "heatmap")
    assert len(heatmap["data"][0]["z"]) == len(steps)


def test_characters_against_words(app_test):
    text = "The apple and pear salad in Zanzibar"
    at = app_test(PAGE, {"lm_text": text})
    assert_clean(at)
    _, word_meta = shipped.load_shipped("lm-word-lstm")
    _, char_meta = shipped.load_shipped("lm-char-lstm")
    words = encoding.encoder_of(word_meta).words
    chars = encoding.encoder_of(char_meta).words
    rows = table(at, "characters outside the alphabet").set_index("sentence")
    assert list(rows.index) == [text, PEAR]
    for sentence in (text, PEAR):
        tokens = tokenize(sentence)
        row = rows.loc[sentence]
        assert row["T_y, words"] == len(tokens) and row["T_y, characters"] == len(sentence)
        assert row["<UNK> words"] == sum(words.id_of(t) == words.unk_id for t in tokens)
        assert row["characters outside the alphabet"] == sum(chars.id_of(c) == chars.unk_id for c in sentence.lower())
    word_html = next(h.proto.body for h in at.get("html") if 'class="word-units"' in h.proto.body)
    assert word_html.count('data-unk="true"') == rows.loc[text, "<UNK> words"]
    char_html = next(h.proto.body for h in at.get("html") if 'class="char-units"' in h.proto.body)
    assert char_html.count('class="unit"') == len(text)


def test_out_of_range_settings_in_the_url_never_break_the_page(app_test):
    at = app_test(PAGE, {"lm_temp": "99", "lm_top_k": "-3", "lm_seed": "1e99", "lm_n": "1000", "lm_level": "bytes",
                         "lm_prefix": "x" * 100})
    assert_clean(at)
    shown = table(at, "ended with <EOS>")
    assert 1 <= len(shown) <= 10


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_sentences_show_a_hint(app_test, text):
    at = app_test(PAGE)
    at.text_area(key="lm_text").input(text).run()
    at.text_input(key="lm_other").input(text).run()
    assert_clean(at)
    assert any("Type a sentence" in info.value for info in at.info)
    assert not tables(at, "log P so far")
    assert tables(at, "ended with <EOS>")  # sampling needs no sentence


def test_one_empty_sentence_scores_the_other(app_test):
    at = app_test(PAGE)
    at.text_input(key="lm_other").input("").run()
    assert_clean(at)
    assert len(tables(at, "log P so far")) == 1


def test_long_text_is_cut(app_test):
    long_text = "the food was good and the room was clean " * 10
    at = app_test(PAGE, {"lm_text": long_text})
    assert_clean(at)
    assert any("Limit reached" in w.value and "first 200" in w.value for w in at.warning)
    first = tables(at, "log P so far")[0]
    assert len(first) == len(tokenize(long_text[:200].strip())) + 1  # + <EOS>


@pytest.mark.parametrize("text", ["<b>pear</b> & \\salad {x} $5", "😀 pear 我们 [x](javascript:y)"])
def test_markup_is_text(app_test, text):
    at = app_test(PAGE, {"lm_text": text})
    assert_clean(at)
    latex = "\n".join(element.value for element in at.latex)
    assert r"\textbackslash{}" in latex or "\\" not in text
    for spec in charts(at):
        assert "<b>pear" not in json.dumps(spec)
    for element in [*at.markdown, *at.caption]:
        assert "<b>" not in element.value and "](javascript" not in element.value
    assert tables(at, "log P so far")


def test_the_page_never_changes_the_shared_models(app_test):
    model, _ = shipped.load_shipped("lm-word-lstm")
    before = {name: p.clone() for name, p in model.state_dict().items()}
    app_test(PAGE)
    assert not model.training and all(torch.equal(before[k], p) for k, p in model.state_dict().items())
