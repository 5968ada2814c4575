"""rnncore.tasks.agreement.compare: the loop learns, is seeded, stops when asked, keeps partial results; budgets; shipped run."""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from dataclasses import replace

import pytest
import torch

from rnncore import ASSETS, checkpoint
from rnncore.models import ARCHS, Classifier, ModelConfig, count_parameters
from rnncore.tasks.agreement import data as agreement
from rnncore.tasks.agreement.compare import (
    LIMITS,
    CompareSettings,
    Comparison,
    accuracy,
    clamp,
    hidden_sizes,
    model_parameters,
)
from rnncore.tasks.agreement.live import LiveTraining, training_worker
from rnncore.text import tokenize
from rnncore.threads import torch_threads

# A budget small enough for a unit test: short clauses, few sentences.
TINY = CompareSettings(distance=1, epochs=3, n_a=16, n_train=400, n_test=100, batch_size=16, lr=0.01,
                       eval_distances=(1, 4))


def test_the_loop_learns_a_trivially_short_distance():
    """With no clause at all the subject is 5 steps back: every cell, even the vanilla RNN, learns it."""
    settings = replace(TINY, distance=0, epochs=4, eval_distances=(0,))
    comparison = Comparison(settings).run()
    for arch in ARCHS:
        assert comparison.accuracy_at_distance(arch) >= 0.95, (arch, comparison.summary())
        run = comparison.runs[arch]
        assert run.epoch_loss[-1] < run.epoch_loss[0]


def test_same_settings_give_the_same_curves_and_a_new_seed_does_not():
    settings = replace(TINY, epochs=2, archs=("rnn", "gru"))
    a, b = Comparison(settings).run(), Comparison(settings).run()
    c = Comparison(replace(settings, seed=1)).run()
    for arch in settings.archs:
        assert a.runs[arch].loss_curve == b.runs[arch].loss_curve
        assert a.runs[arch].accuracy_by_distance == b.runs[arch].accuracy_by_distance
    assert a.runs["rnn"].loss_curve != c.runs["rnn"].loss_curve


def test_progress_comes_after_each_epoch_in_turns_and_a_stop_keeps_partial_results():
    events = []
    comparison = Comparison(replace(TINY, epochs=3))
    comparison.run(progress=events.append, should_stop=lambda: len(events) >= 5)
    assert [e.arch for e in events] == ["rnn", "gru", "lstm", "birnn", "rnn"]
    assert [e.epoch for e in events] == [1, 1, 1, 1, 2]
    assert events[-1].fraction == pytest.approx(5 / 12)
    assert comparison.stopped and not comparison.finished
    assert {a: r.epochs_done for a, r in comparison.runs.items()} == {"rnn": 2, "gru": 1, "lstm": 1, "birnn": 1}
    # the partial models were measured, and the event's numbers are the run's
    assert set(comparison.runs["gru"].accuracy_by_distance) == {1, 4}
    assert events[1].val_accuracy == comparison.runs["gru"].val_accuracy[0]
    assert events[1].loss == comparison.runs["gru"].epoch_loss[0]
    # continuing finishes what is left, and nothing more
    comparison.run()
    assert comparison.finished and not comparison.stopped
    assert all(r.epochs_done == 3 for r in comparison.runs.values())


def test_an_interrupted_run_is_consistent_and_can_be_marked_stopped():
    """A Streamlit rerun raises inside the progress callback; the epoch before it is complete."""

    class Interrupted(Exception):
        pass

    def progress(event):
        if event.arch == "lstm":
            raise Interrupted

    comparison = Comparison(replace(TINY, epochs=2))
    with pytest.raises(Interrupted):
        comparison.run(progress)
    assert [r.epochs_done for r in comparison.runs.values()] == [1, 1, 1, 0]
    assert torch.get_num_threads() >= 1
    comparison.mark_stopped()
    assert comparison.stopped and comparison.evaluated
    summary = comparison.summary()
    assert summary["lstm"]["accuracy"] == comparison.runs["lstm"].val_accuracy[0]
    assert summary["birnn"]["seconds"] == 0.0


@pytest.fixture(scope="module")
def worker():
    """One training worker process for this module's live runs (spawned once: it imports torch)."""
    worker = training_worker(name="test-live-training")
    yield worker
    worker.shutdown()


def live_updates(training: LiveTraining) -> list:
    updates = []
    while training.running:
        training.heartbeat()
        updates += training.updates(timeout=0.1)
    return updates + training.updates(timeout=0)


def without_timings(record: dict) -> dict:
    """A record with the wall-clock seconds taken out: everything else is decided by the settings."""
    return {**record, "archs": {arch: {k: v for k, v in run.items() if k != "seconds"}
                                for arch, run in record["archs"].items()}}


def test_live_training_in_the_worker_process_reports_every_epoch_and_equals_a_direct_run(worker):
    live = LiveTraining(TINY, seconds_limit=600, worker=worker).start()
    updates = live_updates(live)
    assert worker.pid is not None and worker.pid != os.getpid()  # trained in another process
    assert live.error is None and live.comparison.finished and not live.comparison.stopped
    events = [event for event, _ in updates]
    assert events[0] is None  # the models exist: the page can draw four empty bars
    assert len(events) == 1 + TINY.epochs * len(ARCHS)
    assert [e.arch for e in events[1:len(ARCHS) + 1]] == list(ARCHS)  # one epoch of each, in turns
    assert [e.fraction for e in events[1:]] == sorted(e.fraction for e in events[1:])
    last = updates[-1][1]
    assert [run["epochs_done"] for run in last["archs"].values()] == [TINY.epochs] * len(ARCHS)
    direct = Comparison(TINY).run()  # seeded, one thread in both: the same data, weights and batch order
    assert without_timings(live.comparison.record()) == without_timings(direct.record())  # bit for bit
    for arch in ARCHS:
        assert last["archs"][arch]["val_accuracy"] == direct.runs[arch].val_accuracy
        assert last["archs"][arch]["epoch_loss"] == direct.runs[arch].epoch_loss
    assert live.comparison.threads == 1


def test_stopping_live_training_waits_for_the_epoch_and_measures_what_was_learnt(worker):
    live = LiveTraining(replace(TINY, epochs=40), seconds_limit=600, worker=worker).start()
    while not any(event is not None for event, _ in live.updates(timeout=0.1)):
        pass  # until the first epoch is done
    live.stop()
    comparison = live.comparison
    assert not live.running and live.error is None and live.stop_reason == "asked"
    assert comparison.stopped and comparison.evaluated
    done = [run.epochs_done for run in comparison.runs.values()]
    assert 1 <= sum(done) < 40 * len(ARCHS)
    assert all(set(run.accuracy_by_distance) == {1, 4} for run in comparison.runs.values())
    # Continue: the stopped run goes back to the worker whole and trains on from where it was
    resumed = LiveTraining(comparison, seconds_limit=600, worker=worker).start()
    while not any(event is not None for event, _ in resumed.updates(timeout=0.1)):
        pass
    resumed.stop()
    assert sum(run.epochs_done for run in resumed.comparison.runs.values()) > sum(done)


def test_a_continued_run_equals_one_that_never_stopped(worker):
    settings = replace(TINY, epochs=2, archs=("rnn", "lstm"))
    partial = Comparison(settings)
    partial.run(should_stop=lambda: partial.runs["rnn"].epochs_done == 1 and partial.runs["lstm"].epochs_done == 1)
    live = LiveTraining(partial, seconds_limit=600, worker=worker).start()
    live_updates(live)
    whole = Comparison(settings).run()
    assert without_timings(live.comparison.record()) == without_timings(whole.record())


def test_live_training_gives_way_after_its_fair_share_only_when_others_wait(worker):
    waiting = LiveTraining(TINY, seconds_limit=600, worker=worker, give_way=lambda: True, fair_share_s=0).start()
    live_updates(waiting)
    assert waiting.stop_reason == "give way" and waiting.comparison.stopped
    assert sum(r.epochs_done for r in waiting.comparison.runs.values()) == 0
    alone = LiveTraining(TINY, seconds_limit=600, worker=worker, give_way=lambda: False, fair_share_s=0).start()
    live_updates(alone)
    assert alone.stop_reason is None and alone.comparison.finished


def test_live_training_stops_itself_at_the_time_limit_and_reports_errors(worker):
    ended = []
    timed_out = LiveTraining(TINY, seconds_limit=0, worker=worker, on_end=lambda: ended.append(1)).start()
    live_updates(timed_out)
    assert timed_out.comparison.stopped and sum(r.epochs_done for r in timed_out.comparison.runs.values()) == 0
    assert timed_out.stop_reason == "time limit" and ended == [1]

    failed = LiveTraining(replace(TINY, task="no such task"), seconds_limit=600, worker=worker).start()
    assert live_updates(failed) == []
    assert failed.error.startswith("ValueError: unknown task 'no such task'")
    assert failed.comparison is None
    assert worker.pid is not None  # the worker survives a failed job and serves the next one


def test_a_run_nobody_reads_is_stopped_after_the_unread_limit(worker):
    live = LiveTraining(replace(TINY, epochs=40), seconds_limit=600, worker=worker, stale_after_s=1.0).start()
    live.updates(timeout=60)  # read once, then never again and no heartbeat: the tab was closed
    assert live.worker.pid is not None
    while live.running:
        time.sleep(0.1)
    assert live.stop_reason == "abandoned" and live.error is None
    assert live.comparison.stopped and live.comparison.fraction < 1


def test_summary_is_the_cli_contract_and_record_is_json():
    comparison = Comparison(replace(TINY, epochs=1)).run()
    summary = comparison.summary()
    assert list(summary) == list(ARCHS)
    for arch, row in summary.items():
        assert set(row) == {"accuracy", "seconds", "params"}
        assert row["params"] == count_parameters(comparison.runs[arch].model)
        model = comparison.runs[arch].model
        assert row["accuracy"] == accuracy(model, comparison.data.test[TINY.distance], "agreement")
    record = json.loads(json.dumps(comparison.record()))
    assert CompareSettings.from_dict(record["settings"]) == comparison.settings
    assert record["archs"]["gru"]["accuracy"] == summary["gru"]["accuracy"]
    assert len(record["archs"]["rnn"]["loss_curve"]) >= Comparison.points_per_epoch


def test_clamp_bounds_every_limited_value_and_says_so():
    wild = CompareSettings(distance=500, epochs=0, n_a=10_000, batch_size=1, n_train=10, n_test=10**6)
    settings, notes = clamp(wild)
    for name, (low, high) in LIMITS.items():
        assert low <= getattr(settings, name) <= high
    assert settings.distance == 60 and settings.epochs == 1 and settings.n_a == 128 and settings.batch_size == 8
    assert len(notes) == 6 and any("distance 500" in n for n in notes)
    assert settings.distance in settings.eval_distances
    assert clamp(CompareSettings())[1] == []
    assert Comparison(wild).settings == settings
    with pytest.raises(ValueError, match="task"):
        clamp(CompareSettings(task="nope"))
    with pytest.raises(ValueError, match="archs"):
        clamp(CompareSettings(archs=("transformer",)))


@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("n_a", [3, 32])
def test_parameter_formula_matches_the_model(arch, n_a):
    model = Classifier(ModelConfig(arch=arch, vocab_size=50, n_e=16, n_a=n_a, n_y=2))
    assert model_parameters(arch, 50, 16, n_a, 2) == count_parameters(model)


def test_equal_parameter_budget_gives_each_cell_the_largest_n_a_under_the_lstm():
    settings = CompareSettings(budget="params", n_a=32)
    V = len(agreement.vocab())
    sizes = hidden_sizes(settings, V)
    target = model_parameters("lstm", V, settings.n_e, 32, 2)
    assert sizes["lstm"] == 32
    assert sizes["rnn"] > sizes["birnn"] > sizes["gru"] > sizes["lstm"]
    for arch, n_a in sizes.items():
        assert model_parameters(arch, V, settings.n_e, n_a, 2) <= target
        assert model_parameters(arch, V, settings.n_e, n_a + 1, 2) > target
    assert set(hidden_sizes(replace(settings, budget="n_a"), V).values()) == {32}


def test_lookahead_only_the_bidirectional_model_succeeds():
    settings = replace(TINY, task="lookahead", distance=3, epochs=3, archs=("lstm", "birnn"), eval_distances=(3,))
    summary = Comparison(settings).run().summary()
    assert summary["birnn"]["accuracy"] >= 0.95
    assert summary["lstm"]["accuracy"] <= 0.65  # the deciding word comes after the labelled one


def test_torch_threads_restores_the_count():
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


# -- the shipped default run and models ---------------------------------------------------------------

DEFAULT = ASSETS / "compare" / "default.json"


def test_the_cached_default_run_is_of_the_default_settings_and_shows_the_lesson():
    record = json.loads(DEFAULT.read_text())
    assert CompareSettings.from_dict(record["settings"]) == CompareSettings()
    assert record["command"].startswith("python -m rnncore compare")
    acc = {arch: run["accuracy"] for arch, run in record["archs"].items()}
    assert acc["lstm"] >= 0.90 and acc["gru"] >= 0.90
    assert acc["rnn"] <= min(acc["lstm"], acc["gru"]) - 0.15
    for run in record["archs"].values():
        assert run["epochs_done"] == CompareSettings().epochs
        assert run["accuracy"] == run["accuracy_by_distance"][str(CompareSettings().distance)]


@pytest.mark.parametrize("arch", ARCHS)
def test_shipped_agreement_models_reproduce_their_metrics(arch):
    model, meta = checkpoint.load(f"agreement-{arch}")
    settings = CompareSettings.from_dict(meta["settings"])
    test = agreement.encode(
        agreement.generate("agreement", settings.n_test, settings.distance, seed=10_000 + 97 * settings.seed
                           + settings.distance))
    assert accuracy(model, test, "agreement") == meta["metrics"]["accuracy"]
    record = json.loads(DEFAULT.read_text())
    assert meta["metrics"]["accuracy"] == record["archs"][arch]["accuracy"]
    assert meta["labels"] == ["was", "were"]
    assert meta["vocab"] == agreement.vocab().to_dict()


@pytest.mark.parametrize("arch", ["gru", "lstm"])
def test_shipped_gated_models_agree_on_a_typed_sentence(arch):
    model, meta = checkpoint.load(f"agreement-{arch}")
    clause = "the fish near the dogs in the garden after lunch and some milk with the birds"
    for subject, verb in (("cat", "was"), ("cats", "were"), ("children", "were"), ("mouse", "was")):
        ids = torch.tensor([agreement.vocab().encode(tokenize(f"The {subject}, which already ate {clause},"))])
        assert meta["labels"][int(model(ids).argmax())] == verb


def test_an_abandoned_epoch_is_undone_and_the_run_continues_as_if_never_interrupted():
    """A run nobody reads gives up within one batch (the worker asks before every batch); the epoch under
    way is put back to its start, so the stopped run holds whole epochs only, and continuing it gives
    every architecture exactly the curves of a run that was never interrupted."""
    whole = Comparison(TINY).run()
    batches_per_epoch = math.ceil(TINY.n_train / TINY.batch_size)
    asked = itertools.count()
    limit = batches_per_epoch + 5  # the RNN's first epoch, then five batches into the GRU's
    part = Comparison(TINY).run(abandon=lambda: next(asked) >= limit)
    assert part.stopped
    assert {arch: run.epochs_done for arch, run in part.runs.items()} == {"rnn": 1, "gru": 0, "lstm": 0, "birnn": 0}
    assert part.runs["gru"].loss_curve == [] and part.runs["gru"].seconds == 0.0
    assert not part.evaluated  # nobody reads it: the turn is not held to measure every distance
    part.run()
    assert part.finished
    for arch, run in whole.runs.items():
        again = part.runs[arch]
        assert again.epoch_loss == run.epoch_loss and again.val_accuracy == run.val_accuracy, arch
        assert again.loss_curve == run.loss_curve and again.accuracy_by_distance == run.accuracy_by_distance, arch
        for name, value in run.model.state_dict().items():
            assert torch.equal(again.model.state_dict()[name], value), (arch, name)
