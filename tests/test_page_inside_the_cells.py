"""AppTests of the "Inside the cells" lessons: forward pass, gates, bidirectional RNN, architecture shapes.

Every number the pages show is read back and compared with rnncore.explain run on the same shipped
model and the same tokens. A lesson whose checkpoint is not shipped is skipped, saying which.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import torch

from rnncore import checkpoint
from rnncore.explain import bidirectional, forward, gates, projection
from rnncore.shipped import load_shipped
from rnncore.tasks.ner import inference as ner_inference
from rnncore.text import tokenize
from tests.apptest_helpers import assert_clean
from ui import cells_ui, diagrams, models_ui
from ui.text_ui import NOTES_EXAMPLES

FORWARD, GATES, BIDIRECTIONAL, SHAPES = (
    "lessons/forward_pass.py", "lessons/gates.py", "lessons/bidirectional.py", "lessons/architecture_shapes.py"
)
SHERLOCK, TOM, APPLE, FILM = NOTES_EXAMPLES[0], NOTES_EXAMPLES[1], NOTES_EXAMPLES[2], NOTES_EXAMPLES[3]
TOL = 1e-6


def shipped(stem: str):
    if not models_ui.is_shipped(stem):
        pytest.skip(f"assets/models/{stem} is not shipped yet (python -m rnncore train ...)")
    return load_shipped(stem)


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def table_with(at, column: str) -> pd.DataFrame:
    tables = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(tables) == 1, [list(df.value.columns) for df in at.dataframe]
    return tables[0]


def diagram(at, css_class: str) -> tuple[str, str]:
    """(the <div> st.html shows, the SVG inside its image) of the diagram with this class."""
    bodies = [h.proto.body for h in at.html if h.proto.body.startswith(f'<div class="{css_class}')]
    assert len(bodies) == 1
    return bodies[0], diagrams.svg_of(bodies[0])


def current_step(body: str) -> int:
    return int(re.search(r'data-current="(\d+)"', body).group(1))


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def close(column, expected: torch.Tensor) -> bool:
    return max(abs(a - b) for a, b in zip(list(column), expected.tolist(), strict=True)) < TOL


# -- Forward pass, step by step ------------------------------------------------------------------------


def test_forward_pass_shows_the_models_numbers_at_step_1(app_test):
    model, meta = shipped("ner-rnn")
    at = app_test(FORWARD)
    assert_clean(at)
    tokens = tokenize(SHERLOCK)
    run = forward.rnn_forward(model, meta, tokens)
    shown = metrics(at)
    assert {name: shown[f"${name}$"] for name in ("n_x", "n_a", "n_y", "m", "T_x")} == {
        k: str(v) for k, v in run.shapes.items()
    }
    assert shown["$n_x$"] == str(model.config.n_x) and shown["$T_x$"] == "13"
    assert shown["a, the notes' layout $(n_a, m, T_x)$"] == f"({model.config.n_a}, 1, 13)"
    assert shown["ŷ, the notes' layout $(n_y, m, T_x)$"] == f"({len(meta['labels'])}, 1, 13)"
    assert shown["a, PyTorch $(m, T_x, n_a)$"] == f"(1, 13, {model.config.n_a})"
    table = table_with(at, "W_aa a⟨t-1⟩")
    steps = run.steps
    assert close(table["a⟨t-1⟩"], torch.zeros(model.config.n_a))
    assert close(table["W_ax x⟨t⟩"], steps.W_ax_x[0]) and close(table["b_a"], steps.b_a)
    assert close(table["sum"], steps.z[0]) and close(table["a⟨t⟩ = tanh(sum)"], run.a[0])
    # the simplified form, computed as one product, gives the two-term sum
    assert close(table["W_a [a⟨t-1⟩, x⟨t⟩]"], steps.W_aa_a_prev[0] + steps.W_ax_x[0])
    assert float(shown["Largest difference, the two ways"]) < 1e-5
    outputs = table_with(at, "ŷ⟨t⟩")
    assert list(outputs["label"]) == meta["labels"] and close(outputs["ŷ⟨t⟩"], run.y_hat[0])
    x_table = table_with(at, "x⟨t⟩")
    assert close(x_table["x⟨t⟩"], run.inputs.x[0])
    assert list(dict.fromkeys(x_table["part"])) == ["E[id]", "char CNN", "shape features"]
    body, svg = diagram(at, "unrolled-rnn")
    assert current_step(body) == 1 and 'data-steps="13"' in body and 'data-last="9"' in body
    assert all(token in svg for token in ("Sherlock", "221B", "Baker")) and "London" not in svg
    for label in run.predicted()[:9]:
        assert f">{label}</text>" in svg


def test_forward_pass_moves_with_the_slider_and_the_buttons(app_test):
    model, meta = shipped("ner-rnn")
    run = forward.rnn_forward(model, meta, tokenize(SHERLOCK))
    at = app_test(FORWARD)
    at.slider(key="fp_t").set_value(5).run()
    assert_clean(at)
    assert any(h.value == "Step t = 5" for h in at.header)
    table = table_with(at, "W_aa a⟨t-1⟩")
    assert close(table["a⟨t-1⟩"], run.a[3]) and close(table["a⟨t⟩ = tanh(sum)"], run.a[4])
    assert close(table["W_aa a⟨t-1⟩"], run.steps.W_aa_a_prev[4])
    assert current_step(diagram(at, "unrolled-rnn")[0]) == 5
    at.button(key="fp_t_next").click().run()
    assert at.slider(key="fp_t").value == 6 and current_step(diagram(at, "unrolled-rnn")[0]) == 6
    at.button(key="fp_t_prev").click().run()
    at.button(key="fp_t_prev").click().run()
    assert at.slider(key="fp_t").value == 4
    at.slider(key="fp_t").set_value(13).run()
    at.button(key="fp_t_next").click().run()  # no step after T_x
    assert at.slider(key="fp_t").value == 13
    # the heatmap holds every a<t>, one column per token, the current step framed
    heatmap = next(spec for spec in plotly_specs(at) if spec["data"][0]["type"] == "heatmap")
    assert torch.allclose(torch.tensor(heatmap["data"][0]["z"]), run.a.T, atol=TOL)
    assert heatmap["layout"]["shapes"][0]["x0"] == 12.5
    path = next(spec for spec in plotly_specs(at) if spec["data"][0].get("mode") == "lines+markers+text")
    coords = projection.pca_2d(run.a).coords
    assert torch.allclose(torch.tensor([path["data"][0]["x"], path["data"][0]["y"]]).T, coords, atol=1e-5)


def test_forward_pass_state_in_the_url_and_the_many_to_one_model(app_test):
    model, meta = shipped("sentiment-rnn")
    at = app_test(FORWARD, {"fp_model": "Star rating", "fp_text": FILM, "fp_t": "3"})
    assert_clean(at)
    tokens = tokenize(FILM)
    run = forward.rnn_forward(model, meta, tokens)
    assert run.many_to_one and at.slider(key="fp_t").value == 3
    assert close(table_with(at, "W_aa a⟨t-1⟩")["a⟨t⟩ = tanh(sum)"], run.a[2])
    outputs = table_with(at, "ŷ⟨t⟩")
    assert close(outputs["ŷ⟨t⟩"], run.y_hat[2])
    note = "would say if the sentence stopped" if run.pooling == "last" else "reads the mean of a⟨1⟩"
    assert any(note in c.value for c in at.caption)
    best = int(run.output.argmax())
    assert any(f"{run.labels[best]} ({float(run.output[best]):.3f})" in c.value for c in at.caption)
    _, svg = diagram(at, "unrolled-rnn")
    assert re.findall(r"ŷ⟨(\d+)⟩", svg) == [str(len(tokens))]  # one output, at T_x only


def test_forward_pass_random_a0_is_seeded(app_test):
    model, meta = shipped("ner-rnn")
    at = app_test(FORWARD, {"fp_a0": "random", "fp_seed": "42"})
    assert_clean(at)
    a0 = forward.initial_state(model.config.n_a, "random", 42)
    table = table_with(at, "W_aa a⟨t-1⟩")
    assert close(table["a⟨t-1⟩"], a0)
    run = forward.rnn_forward(model, meta, tokenize(SHERLOCK), a0="random", seed=42)
    assert close(table["a⟨t⟩ = tanh(sum)"], run.a[0])
    assert any("random a⟨0⟩" in c.value for c in at.caption)


def test_forward_pass_bad_input(app_test):
    shipped("ner-rnn")
    at = app_test(FORWARD, {"fp_text": "   "})
    assert_clean(at)
    assert any("Type a sentence" in info.value for info in at.info) and not at.html
    long_text = "Holmes met Watson in London. " * 17  # 102 tokens, 493 characters
    at = app_test(FORWARD, {"fp_text": long_text, "fp_t": "60"})
    assert_clean(at)
    assert any(f"first {cells_ui.MAX_STEPS}" in w.value for w in at.warning)
    assert metrics(at)["$T_x$"] == str(cells_ui.MAX_STEPS)
    body, _ = diagram(at, "unrolled-rnn")
    assert current_step(body) == 60 and 'data-first="52"' in body and 'data-last="60"' in body
    # a shorter sentence brings the step back inside it
    at.text_area(key="fp_text").input(TOM).run()
    assert_clean(at)
    assert at.slider(key="fp_t").value == len(tokenize(TOM)) == 8
    # one token: no slider, t = 1
    at.text_area(key="fp_text").input("Holmes").run()
    assert_clean(at)
    assert not at.slider and metrics(at)["$T_x$"] == "1"


def test_forward_pass_markup_and_emoji_stay_text(app_test):
    shipped("ner-rnn")
    at = app_test(FORWARD, {"fp_text": "<script>alert(1)</script> met 😀 in <b>Paris</b>"})
    assert_clean(at)
    tokens = tokenize("<script>alert(1)</script> met 😀 in <b>Paris</b>")
    assert tokens[:3] == ["<", "script", ">"]
    body, svg = diagram(at, "unrolled-rnn")
    assert ">&lt;</text>" in svg and ">&gt;</text>" in svg  # the tokens "<" and ">", drawn as text
    assert "<script" not in body and "<script" not in svg and "<b>" not in svg
    for element in [*at.markdown, *at.caption]:
        assert "<script" not in element.value
    heatmap = next(spec for spec in plotly_specs(at) if spec["data"][0]["type"] == "heatmap")
    ticks = heatmap["layout"]["xaxis"]["ticktext"]
    assert ticks[0] == "1·&lt;" and ticks[12] == "13·😀" and len(ticks) == len(tokens)
    for spec in plotly_specs(at):
        assert "<script" not in json.dumps(spec) and "<b>" not in json.dumps(spec)


def test_a_missing_checkpoint_says_how_to_build_it(app_test, monkeypatch, tmp_path):
    monkeypatch.setattr(checkpoint, "MODELS_DIR", tmp_path)
    at = app_test(FORWARD)
    assert_clean(at)
    assert any("python -m rnncore train ner --arch rnn" in w.value for w in at.warning)
    at = app_test(BIDIRECTIONAL)
    assert any("python -m rnncore train ner --arch birnn" in w.value for w in at.warning)


# -- GRU and LSTM gates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("arch,task,stem", [("LSTM", "Star rating", "sentiment-lstm"),
                                            ("GRU", "Entity tagger", "ner-gru")])
def test_gate_heatmaps_and_the_cell_at_a_step(app_test, arch, task, stem):
    model, meta = shipped(stem)
    at = app_test(GATES, {"gt_arch": arch, "gt_task": task, "gt_t": "3"})
    assert_clean(at)
    tokens = tokenize(FILM)
    trace = gates.gate_trace(model, meta, tokens)
    names = [*trace.gates, "c_tilde", "c"] + (["a"] if trace.arch == "lstm" else [])
    heatmaps = [spec for spec in plotly_specs(at) if spec["data"][0]["type"] == "heatmap"]
    assert len(heatmaps) == len(names)
    for spec, name in zip(heatmaps, names, strict=True):
        assert torch.allclose(torch.tensor(spec["data"][0]["z"]), trace.values[name].T, atol=TOL), name
        assert spec["layout"]["shapes"][0]["x0"] == 2.5  # step 3 framed
    step = trace.at(3)
    table = table_with(at, "c⟨t-1⟩")
    assert close(table["c⟨t-1⟩"], step["c_prev"]) and close(table["c̃⟨t⟩"], step["c_tilde"])
    for name in trace.gates:
        assert close(table[{"G_u": "Γu", "G_r": "Γr", "G_f": "Γf", "G_o": "Γo"}[name]], step[name])
    body, svg = diagram(at, f"cell-diagram {trace.arch}")
    assert current_step(body) == 3
    for name in trace.gates:
        mean = float(step[name].mean())
        assert f'data-name="{name}" data-mean="{mean:.6f}"' in svg
    latex = "\n".join(item.value for item in at.latex)
    assert cells_ui.column_latex(step["c"]) in latex


def test_gru_page_measures_its_distance_from_torch_gru(app_test):
    model, meta = shipped("ner-gru")
    at = app_test(GATES, {"gt_arch": "GRU", "gt_task": "Entity tagger"})
    assert_clean(at)
    difference = gates.compare_with_torch_gru(model, meta, tokenize(FILM)).max_difference
    note = next(info.value for info in at.info if "torch.nn.GRU" in info.value)
    assert f"**{difference:.3f}**" in note and "1 − Γu" in note
    at = app_test(GATES, {"gt_arch": "LSTM", "gt_task": "Entity tagger"})
    assert not any("torch.nn.GRU" in info.value for info in at.info)
    assert any("torch.nn.LSTM computes this same function" in c.value for c in at.caption)


# -- Bidirectional RNN ----------------------------------------------------------------------------------------


def test_bidirectional_terms_add_up_to_the_logits(app_test):
    model, meta = shipped("ner-birnn")
    at = app_test(BIDIRECTIONAL, {"bi_t": "4"})
    assert_clean(at)
    tokens = tokenize(APPLE)
    assert tokens[3] == "Apple"
    run = bidirectional.bidirectional_forward(model, meta, tokens)
    tags = [run.labels[k] for k in run.chosen]
    assert tags == ner_inference.tag_tokens(model, meta, [tokens])[0][0]
    f, b, _ = run.chosen_parts()
    shown = metrics(at)
    assert shown["Tag"] == tags[3]
    assert shown["Forward term"] == cells_ui.fmt(float(f[3])) and shown["Backward term"] == cells_ui.fmt(float(b[3]))
    table = table_with(at, "forward term")
    assert close(table["forward term"], run.from_fwd[3]) and close(table["backward term"], run.from_bwd[3])
    total = torch.tensor((table["forward term"] + table["backward term"] + table["b_y"]).tolist())
    assert torch.allclose(total, run.logits[3], atol=1e-5) and close(table["logit"], run.logits[3])
    mf, mb, mbias = (float(part[3]) for part in run.margin_parts())
    runner_up = run.labels[run.runner_up()[3]]
    assert any(f"runner-up `{runner_up}`" in md.value and f"forward half gives {cells_ui.fmt(mf, 2)}" in md.value
               and f"backward half {cells_ui.fmt(mb, 2)}" in md.value for md in at.markdown)
    latex = "\n".join(item.value for item in at.latex)
    assert r"\text{computed 4th of 7}" in latex and r"\text{computed 4th of 7}" in latex
    at.slider(key="bi_t").set_value(2).run()
    latex = "\n".join(item.value for item in at.latex)
    assert r"\text{computed 2nd of 7}" in latex and r"\text{computed 6th of 7}" in latex
    body, svg = diagram(at, "bidirectional-rnn")
    assert current_step(body) == 2
    assert "(7)" in svg and all(f">{tag}</text>" in svg for tag in tags)
    bars = next(spec for spec in plotly_specs(at) if spec["data"][0]["type"] == "bar")
    assert torch.allclose(torch.tensor(bars["data"][0]["y"]), f, atol=TOL)
    assert torch.allclose(torch.tensor(bars["data"][1]["y"]), b, atol=TOL)


def test_bidirectional_against_the_left_to_right_tagger(app_test):
    shipped("ner-birnn")
    model, meta = shipped("ner-rnn")
    at = app_test(BIDIRECTIONAL)
    assert_clean(at)
    table = table_with(at, "left to right (ner-rnn)")
    assert list(table["left to right (ner-rnn)"]) == ner_inference.tag_tokens(model, meta, [tokenize(APPLE)])[0][0]


# -- Architecture shapes ---------------------------------------------------------------------------------------


def highlighted(at) -> list[str]:
    cards = [h.proto.body for h in at.html if h.proto.body.startswith('<div class="shape-card"')]
    assert len(cards) == 4
    return [re.search(r'data-shape="([^"]+)"', c).group(1) for c in cards if 'data-highlighted="true"' in c]


@pytest.mark.parametrize("param,shape", [(None, "many-to-many-equal"), ("Many-to-one", "many-to-one"),
                                         ("One-to-many", "one-to-many"), ("<b>nonsense</b>", "many-to-many-equal")])
def test_architecture_shapes_highlight_the_lesson_shape(app_test, param, shape):
    at = app_test(SHAPES, {"shape": param} if param else None)
    assert_clean(at)
    assert highlighted(at) == [shape]
    assert [s.value for s in at.subheader] == list(diagrams.SHAPE_TITLES.values())
    svgs = [diagrams.svg_of(h.proto.body) for h in at.html]
    assert "x⟨4⟩" in svgs[0] and "ŷ⟨4⟩" in svgs[0]  # T_x = T_y
    assert "x⟨3⟩" in svgs[1] and "ŷ⟨3⟩" in svgs[1] and "x⟨4⟩" not in svgs[1]  # read, then write


def test_diagrams_escape_tokens_and_window_long_sentences():
    tokens = ["<img src=x onerror=alert(1)>", "&", "Paris"]
    svg = diagrams.svg_of(diagrams.unrolled_rnn_svg(tokens, 2, ["O", "O", "B-LOC"]))
    assert "<img" not in svg and "&lt;img" in svg and "&amp;" in svg
    assert diagrams.visible_steps(5, 3) == (1, 5)
    assert diagrams.visible_steps(40, 1) == (1, 9) and diagrams.visible_steps(40, 20) == (16, 24)
    assert diagrams.visible_steps(40, 40) == (32, 40)
    body = diagrams.bidirectional_svg([f"w{k}" for k in range(30)], 30)
    svg = diagrams.svg_of(body)
    assert 'data-first="22"' in body and "w21" in svg and "w20" not in svg and "(1)" in svg
