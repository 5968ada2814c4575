"""AppTest of the lab "Compare the cells": the cached first view, a live run with a tiny budget, a
stopped run kept in the session, and URL settings clamped in Python."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace

from streamlit.testing.v1 import AppTest

from rnncore import ASSETS
from rnncore.tasks.agreement.compare import CompareSettings, Comparison
from tests.conftest import REPO_ROOT
from ui import compare_ui

PAGE = str(REPO_ROOT / "lessons" / "compare.py")
TIMEOUT = 300  # the first run imports torch, and a live run trains; a timeout means hung
NAMES = {"rnn": "RNN", "gru": "GRU", "lstm": "LSTM", "birnn": "BRNN"}
TINY = {"cmp_w_distance": 2, "cmp_w_epochs": 1, "cmp_w_hidden": 8, "cmp_w_batch": 64, "cmp_w_seed": 5}


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    return at.run()


def set_tiny(at: AppTest) -> None:
    """Move the widgets to the TINY budget, as a visitor would."""
    for key, value in TINY.items():
        (at.number_input(key) if key == "cmp_w_seed" else
         at.select_slider(key) if key == "cmp_w_batch" else at.slider(key)).set_value(value)
    at.run()


def shown_metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_first_view_shows_the_cached_default_results_at_once():
    at = open_page()
    assert not at.exception
    record = json.loads((ASSETS / "compare" / "default.json").read_text())
    distance = record["settings"]["distance"]
    assert any(f"Held-out accuracy at distance {distance}" in m.value for m in at.markdown)
    metrics = shown_metrics(at)
    for arch, run in record["archs"].items():
        assert metrics[f"{NAMES[arch]} accuracy"] == f"{run['accuracy']:.3f}"
    table = at.table[0].value
    assert list(table.index) == [NAMES[a] for a in record["archs"]]
    assert list(table["parameters"]) == [run["params"] for run in record["archs"].values()]
    assert list(table["training seconds"]) == [round(run["seconds"], 2) for run in record["archs"].values()]
    assert any("Cached results of the default settings" in c.value for c in at.caption)
    assert any("Not a tuned comparison" in i.value for i in at.info)
    # loss, accuracy per epoch, these models against distance, the sweep over training distances
    assert len(at.get("plotly_chart")) == 4


def chart_traces(at: AppTest, index: int) -> list[dict]:
    return json.loads(at.get("plotly_chart")[index].proto.spec)["data"]


def test_the_sweep_figure_and_its_words_come_from_the_shipped_sweep():
    at = open_page()
    sweep = json.loads((ASSETS / "compare" / "sweep" / "sweep.json").read_text())
    assert any(h.value == "Can each cell learn it at all?" for h in at.header)
    traces = chart_traces(at, 3)
    assert [t["name"] for t in traces] == [NAMES[a] for a in sweep["archs"]]  # no runs of this visitor yet
    for trace, run in zip(traces, sweep["archs"].values(), strict=True):
        assert trace["x"] == sweep["distances"]
        assert trace["y"] == [run["by_distance"][str(d)] for d in sweep["distances"]]
    rnn = {int(d): a for d, a in sweep["archs"]["rnn"]["by_distance"].items()}
    learnt = max(d for d in rnn if all(rnn[e] >= 0.9 for e in rnn if e <= d))
    chance = min(d for d in rnn if all(rnn[e] <= 0.65 for e in rnn if e >= d))
    story = next(m.value for m in at.markdown if "The vanilla RNN learns" in m.value)
    assert f"clauses of up to {learnt} words" in story
    assert f"from {chance} words on, it stays near chance ({rnn[chance]:.2f} at {chance}, {rnn[30]:.2f} at 30)" in story
    assert learnt >= 3 and rnn[30] <= 0.65  # what the lesson is for: short clauses learnt, long ones not


def test_a_live_run_at_another_distance_joins_the_sweep_figure():
    """A visitor's finished run lands on the figure at its distance. The markers are the runs of the settings
    on the widgets: with other settings, the earlier runs leave the figure (another experiment) and the
    caption names what differs from the lines' defaults."""
    at = open_page()
    at.slider("cmp_w_distance").set_value(1).run()
    at.button(key="cmp_train").click().run()
    assert not at.exception
    expected = Comparison(replace(CompareSettings(), distance=1)).run().summary()
    own = {t["name"]: t for t in chart_traces(at, 3) if t["name"].endswith("your runs")}
    assert set(own) == {f"{NAMES[a]}, your runs" for a in expected}
    for arch, row in expected.items():
        assert own[f"{NAMES[arch]}, your runs"]["x"] == [1]
        assert own[f"{NAMES[arch]}, your runs"]["y"] == [row["accuracy"]]
    assert expected["rnn"]["accuracy"] >= 0.9  # the RNN learns a one-word clause live too
    set_tiny(at)
    at.button(key="cmp_train").click().run()
    own_after = [t for t in chart_traces(at, 3) if t["name"].endswith("your runs")]
    assert [t["x"] for t in own_after] == [[2]] * 4  # the tiny run alone: the run at 1 had other settings
    assert any("your settings (n_a 8, epochs 1, batch size 64, seed 5)" in c.value for c in at.caption)


def test_a_tiny_live_run_shows_what_rnncore_compare_returns():
    at = open_page()
    set_tiny(at)
    at.button(key="cmp_train").click().run()
    assert not at.exception

    settings = replace(CompareSettings(), distance=2, epochs=1, n_a=8, batch_size=64, seed=5)
    expected = Comparison(settings).run()
    summary = expected.summary()
    metrics = shown_metrics(at)
    table = at.table[0].value
    for arch in expected.runs:
        assert metrics[f"{NAMES[arch]} accuracy"] == f"{summary[arch]['accuracy']:.3f}"
        row = table.loc[NAMES[arch]]
        assert row["parameters"] == summary[arch]["params"]
        assert row["n_a"] == expected.runs[arch].n_a
        assert row["epochs trained"] == 1
        assert row["accuracy at distance 2"] == round(summary[arch]["accuracy"], 3)
    assert any("trained in this session" in c.value for c in at.caption)
    # the run is this visitor's, kept for the next rerun
    assert at.session_state["compare_run"].summary()["lstm"]["accuracy"] == summary["lstm"]["accuracy"]
    at.run()
    assert shown_metrics(at) == metrics


def test_a_second_live_run_waits_in_line_then_trains():
    turns = compare_ui.TRAINING_TURNS
    other = turns.join()  # another visitor's run holds the server's one turn
    assert turns.wait(other, timeout=0)
    seen: dict[str, int] = {}

    def other_run_ends() -> None:  # once this page has joined the line (however slow the machine)
        deadline = time.monotonic() + 600
        while turns.waiting == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen["waiting"], seen["holding"] = turns.waiting, turns.holding
        turns.leave(other)

    timer = threading.Thread(target=other_run_ends)
    timer.start()
    at = open_page()
    set_tiny(at)
    at.button(key="cmp_train").click().run()
    timer.join()
    assert seen == {"waiting": 1, "holding": 1}  # this page was in line behind the other run
    assert not at.exception
    assert any("trained in this session" in c.value for c in at.caption)
    assert list(at.table[0].value["epochs trained"]) == [1, 1, 1, 1]
    assert (turns.waiting, turns.holding) == (0, 0)  # the turn was given back


def test_a_stopped_run_stays_with_its_partial_results_and_can_continue():
    settings = replace(CompareSettings(), distance=2, epochs=3, n_a=8, batch_size=64, seed=5)
    partial = Comparison(settings)
    events = []
    partial.run(progress=events.append, should_stop=lambda: len(events) >= 4)  # one epoch each
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["compare_run"] = partial
    for key, value in {**TINY, "cmp_w_epochs": 3}.items():
        at.session_state[key] = value
    at.session_state["cmp_initialised"] = True
    at.run()
    assert not at.exception
    assert any("stopped early" in c.value for c in at.caption)
    assert list(at.table[0].value["epochs trained"]) == [1, 1, 1, 1]
    assert not at.button(key="cmp_continue").disabled
    at.button(key="cmp_continue").click().run()
    assert list(at.table[0].value["epochs trained"]) == [3, 3, 3, 3]
    assert not any("stopped early" in c.value for c in at.caption)


def test_url_settings_are_clamped_in_python_and_said_so():
    at = open_page({"cmp_distance": "500", "cmp_epochs": "0", "cmp_hidden": "abc", "cmp_batch": "50"})
    assert not at.exception
    warning = at.warning[0].value
    assert "distance 500 is outside 0..60; using 60" in warning
    assert "epochs 0 is outside 1..40; using 1" in warning
    assert "cmp_hidden is not a whole number" in warning
    assert "batch size 50" in warning
    assert at.slider("cmp_w_distance").value == 60
    assert at.slider("cmp_w_epochs").value == 1
    assert at.select_slider("cmp_w_batch").value == 64


def test_a_long_run_gives_the_turn_to_a_visitor_waiting_in_line(monkeypatch):
    monkeypatch.setattr(compare_ui, "FAIR_SHARE_S", 0.0)  # any time trained is a fair share here
    turns = compare_ui.TRAINING_TURNS
    late: list[int] = []
    draw = compare_ui.draw_progress

    def draw_then_someone_joins(area, record, updates):
        draw(area, record, updates)
        if updates == 2 and not late:  # the first epoch is drawn: another visitor presses Train live
            late.append(turns.join())

    monkeypatch.setattr(compare_ui, "draw_progress", draw_then_someone_joins)
    at = open_page()
    for key, value in {**TINY, "cmp_w_epochs": 40}.items():
        at.session_state[key] = value
    at.button(key="cmp_train").click().run()
    turns.leave(late[0])
    assert not at.exception
    assert compare_ui.STOP_NOTES["give way"] in [i.value for i in at.info]
    epochs = list(at.table[0].value["epochs trained"])
    assert 1 <= sum(epochs) and max(epochs) < 40  # stopped at an epoch boundary, results kept
    assert any("stopped early" in c.value for c in at.caption)
    assert not at.button(key="cmp_continue").disabled  # drawn again after the run, so Continue works at once
    at.run()
    assert compare_ui.STOP_NOTES["give way"] not in [i.value for i in at.info]  # said once


def test_the_line_is_told_in_words():
    assert compare_ui.line_ahead(1) == "another visitor's run is training now"
    assert compare_ui.line_ahead(2).startswith("1 run waits ahead of yours")
    assert compare_ui.line_ahead(4).startswith("3 runs wait ahead of yours")


def long_run(at: AppTest) -> None:
    """Settings whose run takes far longer than any test waits (40 epochs)."""
    for key, value in {**TINY, "cmp_w_epochs": 40}.items():
        at.session_state[key] = value


def test_a_page_that_is_read_keeps_its_run_alive(monkeypatch):
    """Under AppTest the script asks Streamlit whether its session is connected (it is), heartbeats, and
    a run longer than the unread limit trains to its end."""
    monkeypatch.setattr(compare_ui, "UNREAD_LIMIT_S", 2.0)  # heartbeats come every WAIT_STEP_S
    answers = []
    connected = compare_ui.session_connected

    def asked() -> bool:
        answers.append(connected())
        return answers[-1]

    monkeypatch.setattr(compare_ui, "session_connected", asked)
    at = open_page()
    set_tiny(at)
    at.session_state["cmp_w_epochs"] = 4
    at.button(key="cmp_train").click().run()
    assert not at.exception
    assert answers and all(answers)
    assert list(at.table[0].value["epochs trained"]) == [4, 4, 4, 4]  # never taken for abandoned


def test_a_run_whose_tab_has_gone_stops_after_the_unread_limit_and_frees_the_turn(monkeypatch):
    monkeypatch.setattr(compare_ui, "UNREAD_LIMIT_S", 1.0)
    draws = []
    draw = compare_ui.draw_progress

    def draw_then_close_the_tab(area, record, updates):
        draw(area, record, updates)
        draws.append(updates)

    monkeypatch.setattr(compare_ui, "draw_progress", draw_then_close_the_tab)
    monkeypatch.setattr(compare_ui, "session_connected", lambda: len(draws) < 2)  # gone after the first epoch
    at = open_page()
    long_run(at)
    at.button(key="cmp_train").click().run()
    assert not at.exception
    turns = compare_ui.TRAINING_TURNS
    assert (turns.waiting, turns.holding) == (0, 0)  # the next visitor can train
    epochs = list(at.table[0].value["epochs trained"])
    assert 1 <= sum(epochs) and max(epochs) < 40  # stopped long before its end, what it learnt kept
    assert any("stopped early" in c.value for c in at.caption)


def test_a_visitor_whose_tab_has_gone_leaves_the_line(monkeypatch):
    monkeypatch.setattr(compare_ui, "UNREAD_LIMIT_S", 1.0)
    monkeypatch.setattr(compare_ui, "session_connected", lambda: False)
    turns = compare_ui.TRAINING_TURNS
    other = turns.join()  # another visitor's run holds the turn throughout
    assert turns.wait(other, timeout=0)
    try:
        at = open_page()
        set_tiny(at)
        at.button(key="cmp_train").click().run()
        assert not at.exception
        assert (turns.waiting, turns.holding) == (0, 1)  # this page gave up its place; the other still trains
        assert not any("trained in this session" in c.value for c in at.caption)  # it never trained
    finally:
        turns.leave(other)


def test_a_worker_that_dies_mid_run_is_reported_and_frees_the_turn(monkeypatch):
    import os
    import signal

    draw = compare_ui.draw_progress

    def draw_then_kill_the_worker(area, record, updates):
        draw(area, record, updates)
        if updates == 2:
            os.kill(compare_ui.TRAINING_WORKER.pid, signal.SIGKILL)  # out of memory, or killed by the host

    monkeypatch.setattr(compare_ui, "draw_progress", draw_then_kill_the_worker)
    at = open_page()
    long_run(at)
    at.button(key="cmp_train").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "the training process stopped unexpectedly (exit code -9)" in errors[0]
    assert "your turn has been given to the next visitor" in errors[0]
    turns = compare_ui.TRAINING_TURNS
    assert (turns.waiting, turns.holding) == (0, 0)
    assert compare_ui.TRAINING_WORKER.pid is None  # gone; the next Train live starts a new worker
    monkeypatch.setattr(compare_ui, "draw_progress", draw)
    set_tiny(at)
    at.button(key="cmp_train").click().run()
    assert not at.exception and not at.error
    assert list(at.table[0].value["epochs trained"]) == [1, 1, 1, 1]


def test_the_sweep_story_follows_any_record():
    def story(record):
        return compare_ui.sweep_story(record, CompareSettings())

    def record(rnn, gated, **settings):
        return {"settings": replace(CompareSettings(), **settings).to_dict(), "distances": sorted(int(d) for d in rnn),
                "archs": {"rnn": {"by_distance": rnn}, "gru": {"by_distance": gated}, "lstm": {"by_distance": gated}}}
    shipped_like = story(record({"1": 1.0, "3": 1.0, "10": 0.5, "30": 0.48}, {"1": 1.0, "30": 1.0}))
    assert "learns clauses of up to 3 words (held-out accuracy 1.00)" in shipped_like
    assert "from 10 words on, it stays near chance (0.50 at 10, 0.48 at 30)" in shipped_like
    assert "learn every length (lowest 1.00)" in shipped_like and "the other settings are the defaults" in shipped_like
    worse = story(record({"1": 0.55, "30": 0.8}, {"1": 1.0, "30": 0.7}, n_a=16, epochs=2))
    assert "learns no clause length here (0.55 at 1 word)" in worse and "at 30 words it reaches 0.80" in worse
    assert "fall to 0.70 at their worst length" in worse and "settings n_a 16, epochs 2" in worse
    assert "every length" not in worse and "defaults" not in worse


def test_only_finished_agreement_runs_of_the_same_settings_are_a_visitors_points():
    base = CompareSettings()
    def run(settings, accuracy):
        return {"settings": settings.to_dict(), "archs": {"rnn": {"accuracy": accuracy}}}
    runs = [run(replace(base, distance=3), 0.9), run(replace(base, distance=3), 1.0),  # the latest counts
            run(replace(base, distance=5, seed=2), 0.6), run(replace(base, distance=5, n_a=16), 0.7),
            run(replace(base, task="lookahead", distance=4), 0.5), run(replace(base, distance=10), 0.5)]
    assert compare_ui.own_points(runs, base) == {"rnn": {3: 1.0, 10: 0.5}}


def test_training_at_every_distance_puts_a_run_at_each_distance_of_the_sweep():
    at = open_page()
    set_tiny(at)
    at.button(key="cmp_sweep_live").click().run()
    assert not at.exception
    sweep = json.loads((ASSETS / "compare" / "sweep" / "sweep.json").read_text())
    own = {t["name"]: t for t in chart_traces(at, 3) if t["name"].endswith("your runs")}
    tiny = replace(CompareSettings(), distance=2, epochs=1, n_a=8, batch_size=64, seed=5)
    at_one = Comparison(replace(tiny, distance=1)).run().summary()
    for arch in tiny.archs:
        trace = own[f"{NAMES[arch]}, your runs"]
        assert trace["x"] == sweep["distances"]  # the set distance, 2, is one of them
        assert trace["y"][0] == at_one[arch]["accuracy"]
    assert any("your settings (n_a 8, epochs 1, batch size 64, seed 5)" in c.value for c in at.caption)
    # the last run is the visitor's current one, shown above as usual
    assert at.session_state["compare_run"].settings.distance == sweep["distances"][-1]
    runs = len(at.session_state["compare_finished"])
    at.button(key="cmp_sweep_live").click().run()  # every distance is done: nothing trains again
    assert len(at.session_state["compare_finished"]) == runs and not at.exception


def test_training_at_every_distance_is_off_for_the_lookahead_task():
    at = open_page()
    at.segmented_control("cmp_task").set_value("lookahead").run()
    assert at.button(key="cmp_sweep_live").disabled
    assert not any(h.value == "Can each cell learn it at all?" for h in at.header)
