"""ui.figures' one-call figures and ui.tables' Arrow tables: the shapes and labels they write are the ones
Plotly's own helpers write, and the tables hold the page's values in the page's order."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
import torch

from rnncore.tasks.ner import inference as ner_inference
from rnncore.text import tokenize
from ui import cells_ui, figures, models_ui, ner_ui, palette, tables


def layout_json(figure: go.Figure) -> dict:
    layout = figure.to_plotly_json()["layout"]
    layout.pop("template", None)
    return layout


def built(**layout) -> dict:
    return layout_json(go.Figure(layout=layout))


@pytest.mark.parametrize("dash", ["dot", "dash"])
def test_horizontal_rule_and_label_are_add_hlines(dash):
    theirs = go.Figure()
    theirs.add_hline(y=0.5, line_dash=dash, line_color=palette.RULE, annotation_text="chance")
    ours = built(shapes=[figures.horizontal_rule(0.5, dash=dash)],
                 annotations=[figures.horizontal_rule_label(0.5, "chance")])
    assert ours == layout_json(theirs)


def test_a_solid_horizontal_rule_is_add_hlines():
    theirs = go.Figure()
    theirs.add_hline(y=3.5, line=dict(color=palette.INK, width=2))
    assert built(shapes=[figures.horizontal_rule(3.5, dash=None, colour=palette.INK, width=2)]) == layout_json(theirs)


def test_vertical_rule_and_label_are_add_vlines():
    theirs = go.Figure()
    theirs.add_vline(x=30, line_dash="dash", line_color=palette.RULE, annotation_text="trained up to 30",
                     annotation_position="bottom right")
    theirs.add_vline(x=4, line=dict(color=palette.HIGHLIGHT, width=2))
    ours = built(shapes=[figures.vertical_rule(30), figures.vertical_rule(4, dash=None, colour=palette.HIGHLIGHT, width=2)],
                 annotations=[figures.vertical_rule_label(30, "trained up to 30")])
    assert ours == layout_json(theirs)


def test_the_contribution_frame_is_add_vrects():
    tokens = ["Apple", "is", "big"]
    theirs = go.Figure()
    theirs.add_vrect(x0=1.5, x1=2.5, line=dict(color=palette.HIGHLIGHT, width=2), fillcolor=palette.TRANSPARENT)
    ours = cells_ui.contribution_bars([0.1, 0.2, 0.3], [0.3, 0.2, 0.1], tokens, ["B-ORG", "O", "O"], current=2)
    assert layout_json(ours)["shapes"] == layout_json(theirs)["shapes"]
    assert list(ours.data[0].y) == [0.1, 0.2, 0.3] and list(ours.data[1].y) == [0.3, 0.2, 0.1]


def test_from_spec_takes_the_palette_unless_told_otherwise():
    assert list(figures.from_spec([], {}).layout.colorway) == palette.SERIES
    assert list(figures.from_spec([], {"colorway": ["#000000"]}).layout.colorway) == ["#000000"]


def test_heatmap_holds_every_value_units_down_steps_across():
    values = torch.arange(12, dtype=torch.float32).reshape(4, 3) / 12  # (T_x, n) = (4, 3)
    figure = cells_ui.heatmap(values, ["a", "b", "c", "d"], current=2, name="G_u", zmin=0, zmax=1)
    assert [list(row) for row in figure.data[0].z] == values.T.tolist()
    frame = figure.layout.shapes[0]
    assert (frame.x0, frame.x1, frame.y0, frame.y1) == (1.5, 2.5, 0.5, 3.5)


def test_tables_keep_values_order_and_empty_cells():
    table = tables.columns({"t": range(1, 4), "x⟨t⟩": ["a", "b", "c"], "P": [0.25, 0.5, 1.0]})
    assert table.column_names == ["t", "x⟨t⟩", "P"]
    assert table.to_pydict() == {"t": [1, 2, 3], "x⟨t⟩": ["a", "b", "c"], "P": [0.25, 0.5, 1.0]}
    rows = tables.rows([{"model": "LSTM", "parameters": 1200}, {"model": "baseline", "parameters": None}])
    assert rows.to_pylist() == [{"model": "LSTM", "parameters": 1200}, {"model": "baseline", "parameters": None}]


def test_the_kept_tagger_output_is_the_taggers_own_and_is_kept():
    tokens = tuple(tokenize("Yesterday, Ada Lovelace met a friend in Paris."))
    first = ner_ui.tagged("birnn", tokens)
    assert ner_ui.tagged("birnn", tokens) is first  # the second visitor gets the same result
    model, meta = models_ui.shipped_model(models_ui.stem_of("ner", "birnn"))
    labels, chosen, probs = ner_inference.tag_tokens(model, meta, [list(tokens)])[0]
    assert first.labels == labels and first.chosen_probs == chosen
    assert torch.equal(first.probs, probs)
    assert "B-PER" in first.labels  # a real tagger's answer, not a constant one


def test_the_language_models_bars_hold_each_units_probability():
    from ui import lm_ui

    figure = lm_ui.unit_probability_figure({"real": (["the", "cat", "<EOS>"], [0.1, 0.01, 0.5])})
    assert list(figure.data[0].y) == [0.1, 0.01, 0.5]
    assert list(figure.data[0].x) == ["y⟨1⟩", "y⟨2⟩", "y⟨3⟩"]
    assert figure.layout.yaxis.type == "log"
    chosen = lm_ui.softmax_figure([(4, "the", 0.5), (9, "a", 0.25)], chosen_id=9, title="Step 2")
    assert list(chosen.data[0].marker.color) == [lm_ui.OTHER_COLOUR, lm_ui.CHOSEN_COLOUR]
    assert chosen.layout.title.text == "Step 2"


def test_a_checkpoint_loaded_again_is_run_again(tmp_path, monkeypatch):
    import shutil

    from rnncore import checkpoint

    tokens = tuple(tokenize("Grace Hopper moved to Boston last spring."))
    first = ner_ui.tagged("birnn", tokens)
    for path in checkpoint.MODELS_DIR.glob("ner-birnn.*"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(checkpoint, "MODELS_DIR", tmp_path)  # another file: the shipped cache loads it afresh
    again = ner_ui.tagged("birnn", tokens)
    assert again is not first  # not the kept result of the other model object
    assert again.labels == first.labels and torch.equal(again.probs, first.probs)
