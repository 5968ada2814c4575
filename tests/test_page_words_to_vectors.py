"""AppTest of the lesson "Words to vectors": what the page shows for the notes' sentences and for bad input."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from rnncore.explain import onehot as lessons
from rnncore.text import course_vocab, tokenize
from tests.apptest_helpers import assert_clean
from ui.text_ui import MAX_TEXT_CHARS, NOTES_EXAMPLES

PAGE = "lessons/words_to_vectors.py"
SHERLOCK = NOTES_EXAMPLES[0]
VOCAB = course_vocab()


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def token_table(at) -> pd.DataFrame:
    tables = [df.value for df in at.dataframe if "token x⟨t⟩" in df.value.columns]
    assert len(tables) == 1
    return tables[0]


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_defaults_show_the_notes_sentence(app_test):
    at = app_test(PAGE)
    assert_clean(at)
    assert at.text_area(key="w2v_text").value == SHERLOCK
    shown = metrics(at)
    assert shown["$T_x$, punctuation counted"] == "13"
    assert shown["$T_x$, without punctuation (the notes' count)"] == "12"
    table = token_table(at)
    assert list(table["token x⟨t⟩"]) == tokenize(SHERLOCK)
    row = table.set_index("token x⟨t⟩").loc["221B"]
    assert row["index"] == 10_000 == VOCAB.unk_id
    assert row["vocabulary entry"] == "<UNK>" and not row["in vocabulary"]
    for name in ["Holmes", "Watson", "London"]:
        assert table.set_index("token x⟨t⟩").loc[name, "index"] == VOCAB.id_of(name) != VOCAB.unk_id
    strip = at.html[0].proto.body
    assert "221B" in strip and "10,000 &lt;UNK&gt;" in strip
    assert strip.count('data-unk="true"') == sum(i == VOCAB.unk_id for i in VOCAB.encode(tokenize(SHERLOCK)))
    assert any(r"T_x = 13" in latex.value for latex in at.latex)
    # the default text is not repeated in the URL
    assert "w2v_text" not in at.query_params


def test_memory_figures_are_computed(app_test):
    at = app_test(PAGE)
    shown = metrics(at)
    T_x, V = 13, VOCAB.V
    assert shown["Dense float32 matrix, bytes"] == f"{T_x * V * 4:,}"
    assert shown["Index list (int64), bytes"] == f"{T_x * 8:,}"
    assert shown["Dense / index list"] == f"{V * 4 // 8:,}×"
    assert shown["Entries that are zero"] == f"{1 - 1 / V:.2%}"


def test_figures_hold_the_sentence(app_test):
    at = app_test(PAGE)
    ids = VOCAB.encode(tokenize(SHERLOCK))
    zoomed, full = plotly_specs(at)
    heatmap = zoomed["data"][0]
    assert heatmap["type"] == "heatmap"
    assert len(heatmap["z"]) == 13 and len(heatmap["z"][0]) == len(set(ids))
    assert all(sum(row) == 1 for row in heatmap["z"])
    scatter = full["data"][0]
    assert scatter["x"] == ids
    assert full["layout"]["xaxis"]["range"] == [0.5, VOCAB.V + 0.5]


def test_fc_and_rnn_parameters_follow_the_formulas(app_test):
    at = app_test(PAGE)
    T_x, V = 13, VOCAB.V
    for n_a in (100, 7):
        if n_a != 100:
            at.number_input(key="w2v_n_a").set_value(n_a).run()
        assert_clean(at)
        shown = metrics(at)
        assert shown["FC parameters"] == f"{T_x * V * n_a + n_a:,}"
        assert shown[f"FC parameters for $T_x = {T_x + 1}$ (one word longer)"] == f"{(T_x + 1) * V * n_a + n_a:,}"
        assert shown["RNN parameters ($W_{aa} + W_{ax} + b_a$)"] == f"{n_a * n_a + n_a * V + n_a:,}"
        assert shown[f"RNN parameters for $T_x = {T_x + 1}$"] == f"{n_a * n_a + n_a * V + n_a:,}"
        delta = next(m for m in at.metric if m.label.startswith("FC parameters for"))
        assert delta.proto.delta == f"+{V * n_a:,}"


@pytest.mark.parametrize("index", range(len(NOTES_EXAMPLES)))
def test_each_example_is_one_click_away(app_test, index):
    at = app_test(PAGE)
    example = NOTES_EXAMPLES[index]
    at.button(key=f"w2v_text_example_{index}").click().run()
    assert_clean(at)
    assert at.text_area(key="w2v_text").value == example
    assert metrics(at)["$T_x$, punctuation counted"] == str(len(tokenize(example)))
    assert list(token_table(at)["index"]) == VOCAB.encode(tokenize(example))
    # a lecturer can share the link: the text is in the URL unless it is the default
    assert at.query_params.get("w2v_text") == (None if example == SHERLOCK else example)


def test_punctuation_toggle_gives_the_notes_count(app_test):
    at = app_test(PAGE)
    at.toggle(key="w2v_punct").set_value(False).run()
    assert_clean(at)
    tokens = list(token_table(at)["token x⟨t⟩"])
    assert len(tokens) == 12 and tokens[-1] == "London"
    assert metrics(at)["FC parameters"] == f"{12 * VOCAB.V * 100 + 100:,}"


def test_state_is_read_from_the_url(app_test):
    at = app_test(PAGE, {"w2v_text": "Yesterday, Tom met Eliza in Paris.", "w2v_punct": "false"})
    assert_clean(at)
    assert at.text_area(key="w2v_text").value == "Yesterday, Tom met Eliza in Paris."
    assert at.toggle(key="w2v_punct").value is False
    assert list(token_table(at)["token x⟨t⟩"]) == ["Yesterday", "Tom", "met", "Eliza", "in", "Paris"]


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_shows_a_hint(app_test, text):
    at = app_test(PAGE)
    at.text_area(key="w2v_text").input(text).run()
    assert_clean(at)
    assert any("Type a sentence" in info.value for info in at.info)
    assert not at.metric and not at.get("plotly_chart")


def test_only_punctuation_without_punctuation_shows_a_hint(app_test):
    at = app_test(PAGE, {"w2v_text": "?!", "w2v_punct": "false"})
    assert_clean(at)
    assert any("Only punctuation" in info.value for info in at.info)


def test_very_long_text_is_cut_with_a_note(app_test):
    long_text = "Holmes met Watson in London. " * 40  # 1,160 characters, more than twice the limit
    at = app_test(PAGE, {"w2v_text": long_text})
    assert_clean(at)
    assert any("Limit reached" in w.value and f"first {MAX_TEXT_CHARS}" in w.value for w in at.warning)
    kept = long_text[:MAX_TEXT_CHARS].strip()
    assert list(token_table(at)["token x⟨t⟩"]) == tokenize(kept)
    assert metrics(at)["$T_x$, punctuation counted"] == str(len(tokenize(kept)))
    # a short text shows no note; a value sent past the browser's max_chars is cut the same way
    at.text_area(key="w2v_text").input("Tom met Eliza.").run()
    assert not at.warning
    at.text_area(key="w2v_text").set_value(long_text).run()
    assert_clean(at)
    assert any("Limit reached" in w.value for w in at.warning)
    assert list(token_table(at)["token x⟨t⟩"]) == tokenize(kept)


def test_clamp_text_cuts_and_strips():
    from ui.text_ui import clamp_text

    assert clamp_text("  hi  ").text == "hi" and not clamp_text("  hi  ").was_cut
    cut = clamp_text("a" * 1_000, 500)
    assert (len(cut.text), cut.was_cut) == (500, True)
    assert clamp_text(None).text == ""


def test_emoji_and_cjk_become_unk_tokens(app_test):
    at = app_test(PAGE, {"w2v_text": "I love 😀 and 我们去散步好吗"})
    assert_clean(at)
    table = token_table(at).set_index("token x⟨t⟩")
    for token in ["😀", "我们去散步好吗"]:
        assert table.loc[token, "index"] == VOCAB.unk_id
        assert table.loc[token, "vocabulary entry"] == "<UNK>"
    assert table.loc["love", "index"] == VOCAB.id_of("love") != VOCAB.unk_id


def test_markup_is_shown_as_text(app_test):
    at = app_test(PAGE, {"w2v_text": "<script>alert(1)</script>"})
    assert_clean(at)
    tokens = list(token_table(at)["token x⟨t⟩"])
    assert tokens == tokenize("<script>alert(1)</script>")
    strip = at.html[0].proto.body
    assert "&lt;" in strip and "<script" not in strip
    for element in [*at.markdown, *at.caption, *at.warning, *at.info]:
        assert "<script" not in element.value
    for spec in plotly_specs(at):
        assert "<script" not in json.dumps(spec["data"]) and "<script" not in json.dumps(spec["layout"])
    assert any(r"\text{``<''}" in latex.value for latex in at.latex)


def test_latex_special_characters_are_escaped(app_test):
    from ui.text_ui import latex_text

    assert latex_text(r"a\b{c}$&#%_^~") == (
        r"a\textbackslash{}b\{c\}\$\&\#\%\_\textasciicircum{}\textasciitilde{}"
    )
    at = app_test(PAGE, {"w2v_text": r"Pay $5 & {now} \later"})
    assert_clean(at)
    joined = "\n".join(latex.value for latex in at.latex)
    assert r"x^{\langle 2 \rangle} = \text{``\$''}" in joined
    at.selectbox(key="w2v_step").set_value(8).run()  # x<8> is the backslash token
    assert_clean(at)
    assert r"\text{one-hot}(\text{``\textbackslash{}''})" in "\n".join(latex.value for latex in at.latex)


def test_one_hot_vector_of_the_chosen_step(app_test):
    at = app_test(PAGE)
    joined = "\n".join(latex.value for latex in at.latex)
    holmes = f"{VOCAB.id_of('Holmes'):,}".replace(",", "{,}")
    assert r"\text{one-hot}(\text{``Holmes''})" in joined and rf"\underset{{{holmes}}}{{1}}" in joined
    at.selectbox(key="w2v_step").set_value(8).run()  # "221B" -> <UNK>, the last column
    joined = "\n".join(latex.value for latex in at.latex)
    assert r"[0,\, \dots,\, 0,\, \underset{10{,}000}{1}] \in \mathbb{R}^{10{,}000}" in joined


def test_dataset_shapes_in_both_layouts(app_test):
    at = app_test(PAGE)
    lengths = [len(tokenize(s)) for s in [SHERLOCK, *NOTES_EXAMPLES[1:3]]]
    shown = metrics(at)
    assert shown["The notes' layout $(n_x, m, T_x)$"] == f"({VOCAB.V:,}, 3, {max(lengths)})"
    assert shown["PyTorch batch-first $(m, T_x, n_x)$"] == f"(3, {max(lengths)}, {VOCAB.V:,})"
    batch_tables = [df.value for df in at.dataframe if list(df.value.index) == ["X^(1)", "X^(2)", "X^(3)"]]
    ids = next(table for table in batch_tables if pd.api.types.is_integer_dtype(table.dtypes.iloc[0]))
    assert ids.shape == (3, max(lengths))
    assert list(ids.iloc[1]) == VOCAB.encode(tokenize(NOTES_EXAMPLES[1])) + [0] * (max(lengths) - lengths[1])
    at.multiselect(key="w2v_batch").set_value([]).run()
    assert_clean(at)
    assert metrics(at)["PyTorch batch-first $(m, T_x, n_x)$"] == f"(1, 13, {VOCAB.V:,})"


def test_csv_of_the_columns_in_use(app_test):
    at = app_test(PAGE)
    tokens = tokenize(SHERLOCK)
    ids = VOCAB.encode(tokens)
    preview = next(code.value for code in at.code if code.value.startswith("t,token,"))
    rows = list(csv.reader(io.StringIO(preview)))
    used = sorted(set(ids))
    assert rows[0] == ["t", "token", *(f"{VOCAB.tokens[i]}:{i}" for i in used)]
    assert "<UNK>:10000" in rows[0] and f"holmes:{VOCAB.id_of('Holmes')}" in rows[0]
    assert [row[1] for row in rows[1:]] == tokens
    for row, index in zip(rows[1:], ids, strict=True):
        assert [int(v) for v in row[2:]] == [int(c == index) for c in used]
    assert preview == lessons.one_hot_csv(tokens, ids, VOCAB.tokens).rstrip("\n")  # st.code drops the last newline
    labels = [button.label for button in at.get("download_button")]
    assert labels == ["CSV, columns in use", f"CSV, all {VOCAB.V:,} columns"]
