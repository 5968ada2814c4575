"""ui.player: the steps it ships to the browser are the lesson's own numbers, and a visitor's text stays text."""

from __future__ import annotations

import json
import re

import pytest
import torch

from rnncore import shipped
from rnncore.explain import bidirectional, forward, gates
from rnncore.text import tokenize
from ui import models_ui, player

SENTENCE = "Yesterday, Tom met Eliza in Paris."


def embedded(html_text: str) -> dict:
    match = re.search(r'<script id="steps" type="application/json">(.*?)</script>', html_text, re.S)
    assert match, "no step data in the player"
    return json.loads(match.group(1))


def needs(stem: str):
    if not models_ui.is_shipped(stem):
        pytest.skip(f"assets/models/{stem} is not shipped")
    return shipped.load_shipped(stem)


def test_forward_steps_carry_the_forward_pass_numbers():
    model, meta = needs("ner-rnn")
    tokens = tokenize(SENTENCE)
    run = forward.rnn_forward(model, meta, tokens)
    data = embedded(player.player_html(player.forward_steps(run, tokens), start=3))
    assert data["tokens"] == tokens and data["start"] == 3
    names = [r["name"] for r in data["rows"]]
    assert names == ["a⟨{t-1}⟩", "W_aa a⟨{t-1}⟩", "W_ax x⟨{t}⟩", "sum + b_a", "a⟨{t}⟩ = g(sum)"]
    a_rows = data["rows"][-1]["values"]
    assert len(a_rows) == len(tokens)
    n = min(run.a.shape[1], player.MAX_UNITS)
    assert torch.allclose(torch.tensor(a_rows), run.a[:, :n], atol=5e-4)
    # a<t-1> at step t is a<t> of the step before: the player shows one chain, not separate numbers
    assert data["rows"][0]["values"][1:] == a_rows[:-1]
    assert data["outputs"][2].startswith("ŷ⟨3⟩: ")


def test_gate_steps_keep_gates_in_zero_one():
    model, meta = needs("sentiment-lstm")
    tokens = tokenize("I didn't enjoy the film at all.")
    trace = gates.gate_trace(model, meta, tokens)
    data = embedded(player.player_html(player.gate_steps(trace, tokens)))
    by_name = {r["name"]: r for r in data["rows"]}
    for gate in ("Γf (forget)", "Γu (update)", "Γo (output)"):
        values = torch.tensor(by_name[gate]["values"])
        assert by_name[gate]["low"] == 0.0 and 0.0 <= float(values.min()) and float(values.max()) <= 1.0
    c = torch.tensor(by_name["c⟨{t}⟩"]["values"])
    assert torch.allclose(c, trace.values["c"][:, : c.shape[1]], atol=5e-4)


def test_bidirectional_steps_show_both_directions():
    model, meta = needs("ner-birnn")
    tokens = tokenize(SENTENCE)
    run = bidirectional.bidirectional_forward(model, meta, tokens)
    tags = [run.labels[k] for k in run.chosen]
    data = embedded(player.player_html(player.bidirectional_steps(run, tokens, tags)))
    assert data["direction"] == "both"
    back = torch.tensor(data["rows"][3]["values"])
    assert torch.allclose(back, run.bwd.a[:, : back.shape[1]], atol=5e-4)
    # the backward state read at step t is the one computed at t + 1
    assert data["rows"][2]["values"][:-1] == data["rows"][3]["values"][1:]


def test_a_visitors_markup_cannot_leave_the_json():
    hostile = ["</script><script>alert(1)</script>", "__LABEL__", "&amp;<b>"]
    steps = player.Steps(tokens=hostile, rows=[player.row("a⟨{t}⟩", [[0.1], [0.2], [0.3]])])
    html_text = player.player_html(steps, label="Player")
    assert html_text.count("</script>") == 2  # the data's and the script's: none from the token
    assert "<script>alert" not in html_text
    assert embedded(html_text)["tokens"] == hostile
    assert 'aria-label="Player"' in html_text


def test_rows_must_match_the_sentence_and_are_cut_to_max_units():
    with pytest.raises(ValueError, match="2 steps, the sentence 3"):
        player.payload(player.Steps(tokens=["a", "b", "c"], rows=[player.row("x", [[0.0], [0.0]])]))
    wide = player.row("a", [[0.5] * 100])
    assert len(wide.values[0]) == player.MAX_UNITS


def test_nothing_is_fetched():
    html_text = player.player_html(player.Steps(tokens=["a"], rows=[player.row("a", [[0.0]])]))
    assert not re.search(r"(src|href)\s*=|https?://|@import|fetch\(|XMLHttpRequest|WebSocket", html_text)
