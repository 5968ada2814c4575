"""Live training and figures for the Compare lab (lessons/compare.py).

All training is :class:`rnncore.tasks.agreement.compare.Comparison`; this module runs one per visitor session
(never in a shared cache) in the server's training worker process (:data:`TRAINING_WORKER`), draws its
progress between epochs, and draws a finished or stopped run from its record, the same dict that
``python -m rnncore compare --save`` writes to ``assets/compare/default.json`` for the cached first view.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from rnncore import ASSETS
from rnncore.models import ARCH_NAMES
from rnncore.tasks.agreement.compare import CompareSettings, Comparison
from rnncore.tasks.agreement.live import LiveTraining, training_worker
from rnncore.tasks.agreement.sweep import LEARNT, SweepReading, read_sweep
from rnncore.turns import TurnQueue
from ui import figures, palette

ARCH_COLOURS = palette.ARCH
# Three cells often sit on the same line (accuracy 1.0): widths and dashes keep each one visible.
ARCH_LINES = {
    "rnn": dict(width=2.5, dash="solid"),
    "gru": dict(width=8, dash="solid"),
    "lstm": dict(width=4.5, dash="solid"),
    "birnn": dict(width=2, dash="dot"),
}
ARCH_MARKERS = {"rnn": "circle", "gru": "square", "lstm": "diamond", "birnn": "x"}
PLOT_CONFIG = {"displaylogo": False}
DEFAULT_RECORD = ASSETS / "compare" / "default.json"
SWEEP_RECORD = ASSETS / "compare" / "sweep" / "sweep.json"
LIVE_SECONDS_LIMIT = 240  # a live run stops itself after this, whatever the settings
# One live run at a time per server: on a 2-core host (Community Cloud's free tier) two runs at once
# took each other's CPU and the GIL from thirty visitors' pages (class load: edit p95 1.7 s with two,
# see benchmarks/class_load.py); the others wait in line, first come first served, and see their place.
TRAINING_TURNS = TurnQueue(slots=1)
# The runs train in one worker process that this server starts on the first Train live (and again after
# 10 idle minutes or a crash), not in a thread of the server: a thread shared the GIL with every
# visitor's page script. One process matches the one turn.
TRAINING_WORKER = training_worker()
# A run whose page has not read its updates for this long is stopped and its turn given on: the tab was
# closed (or its connection lost) and nobody will see the rest. Streamlit also stops the script of a
# closed tab at its next redraw; this bound holds even when it does not.
UNREAD_LIMIT_S = 10.0
WAIT_STEP_S = 0.5  # how often a waiting or training page redraws its status (and can be stopped)
# A run that has trained this long gives the turn to the next visitor in line at its next epoch
# (Continue joins the line again): the default run needs about 7 s, the largest settings minutes.
FAIR_SHARE_S = 60.0
STOP_NOTES = {  # why a live run ended before its last epoch, said on the page after it
    "give way": f"Your run gave the turn to the next visitor in line after {FAIR_SHARE_S:.0f} s of training; the "
                "results so far are below. Press **Continue** to join the line again.",
    "time limit": f"Your run reached the {LIVE_SECONDS_LIMIT} s limit of a live run; the results so far are below. "
                  "Press **Continue** to train on.",
}
PENDING_KEY = "compare_live_training"  # session state: the LiveTraining of a run under way
LEFT_LINE = "abandoned"  # the stop reason of a page that left the line because its tab had gone


@dataclass
class LiveOutcome:
    """How a live run ended: why it stopped early (a key of STOP_NOTES, "asked", None when it finished),
    and what went wrong when it failed (the training raised, or the worker died)."""

    stop_reason: str | None = None
    error: str | None = None


# -- the cached default run -------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def default_record() -> dict | None:
    """The shipped record of the default settings (read-only, shared), or None when it is missing."""
    if not DEFAULT_RECORD.is_file():
        return None
    return json.loads(DEFAULT_RECORD.read_text(encoding="utf-8"))


@st.cache_data(show_spinner=False)
def sweep_record() -> dict | None:
    """The shipped sweep over clause lengths (rnncore.tasks.agreement.sweep), or None when it is missing."""
    if not SWEEP_RECORD.is_file():
        return None
    return json.loads(SWEEP_RECORD.read_text(encoding="utf-8"))


def same_but_distance(a: CompareSettings, b: CompareSettings) -> bool:
    """Whether two settings differ at most in the clause length (and what follows from it)."""
    keep = dict(distance=0, min_train_distance=0, eval_distances=())
    return replace(a, **keep) == replace(b, **keep)


def changed_settings(settings: CompareSettings, reference: CompareSettings) -> list[str]:
    """The settings, other than the distance, that differ from ``reference``, as "name value"."""
    names = {"n_a": "n_a", "epochs": "epochs", "batch_size": "batch size", "seed": "seed", "budget": "budget",
             "lr": "learning rate", "n_train": "sentences", "task": "task"}
    return [f"{label} {getattr(settings, name)}" for name, label in names.items()
            if getattr(settings, name) != getattr(reference, name)]


def sweep_reading(sweep: dict) -> SweepReading:
    """What a sweep record's curves say (see :func:`rnncore.tasks.agreement.sweep.read_sweep`)."""
    return read_sweep({arch: run["by_distance"] for arch, run in sweep["archs"].items()})


def sweep_story(sweep: dict, defaults: CompareSettings) -> str:
    """What a sweep record shows, in words that follow its own numbers (and its settings against the
    page's ``defaults``)."""
    reading = sweep_reading(sweep)
    rnn = reading.rnn
    if not rnn:
        return ""
    longest = max(rnn)
    if reading.learnt_up_to is None:
        learnt = f"The vanilla RNN learns no clause length here ({rnn[min(rnn)]:.2f} at {min(rnn)} word)"
    else:
        lowest = min(a for d, a in rnn.items() if d <= reading.learnt_up_to)
        learnt = (f"The vanilla RNN learns clauses of up to {reading.learnt_up_to} words (held-out accuracy "
                  f"{'1.00' if lowest == 1 else f'{lowest:.2f} or more'})")
    if reading.chance_from is not None:
        fails = (f"; trained on longer ones, from {reading.chance_from} words on, it stays near chance "
                 f"({rnn[reading.chance_from]:.2f} at {reading.chance_from}, {rnn[longest]:.2f} at {longest})")
    else:
        fails = f"; at {longest} words it reaches {rnn[longest]:.2f}"
    if reading.gated_lowest is None:
        gated = ""
    elif reading.gated_lowest >= LEARNT:
        gated = f". The GRU and the LSTM learn every length (lowest {reading.gated_lowest:.2f})"
    else:
        gated = f". The GRU and the LSTM fall to {reading.gated_lowest:.2f} at their worst length"
    changed = changed_settings(CompareSettings.from_dict(sweep["settings"]), defaults)
    other = f"settings {', '.join(changed)}" if changed else "the other settings are the defaults"
    return (f"{learnt}{fails}{gated}. Each point is its own training run of {sweep['settings']['epochs']} "
            f"epochs; {other}.")


def own_points(runs: list[dict], settings: CompareSettings) -> dict[str, dict[int, float]]:
    """Of the visitor's finished runs (records with "settings" and each arch's "accuracy"), the agreement
    runs that differ from ``settings`` only in distance:
    {arch: {distance: held-out accuracy there}}, the latest run at each distance."""
    points: dict[str, dict[int, float]] = {}
    for record in runs:
        ran = CompareSettings.from_dict(record["settings"])
        if ran.task != "agreement" or not same_but_distance(ran, settings):
            continue
        for arch, run in record["archs"].items():
            points.setdefault(arch, {})[ran.distance] = run["accuracy"]
    return points


def record_matches(record: dict | None, settings: CompareSettings) -> bool:
    return record is not None and CompareSettings.from_dict(record["settings"]) == settings


# -- live training -------------------------------------------------------------------------------------
@dataclass
class LiveArea:
    """Placeholders that a live run redraws after every epoch."""

    status: object
    bars: dict
    loss_chart: object
    accuracy_chart: object
    key: str = "compare_live"  # the charts' widget keys start with it: unique per run in one script run


def live_area(archs: tuple[str, ...], key: str = "compare_live") -> LiveArea:
    status = st.empty()
    bars = {arch: column.empty() for arch, column in zip(archs, st.columns(len(archs)), strict=True)}
    left, right = st.columns(2)
    return LiveArea(status, bars, left.empty(), right.empty(), key)


def draw_progress(area: LiveArea, record: dict, updates: int) -> None:
    """Redraw the bars and curves from a run's record (taken by the training thread after an epoch)."""
    epochs = record["settings"]["epochs"]
    for arch, run in record["archs"].items():
        loss = f", loss {run['epoch_loss'][-1]:.3f}" if run["epoch_loss"] else ""
        area.bars[arch].progress(
            run["epochs_done"] / epochs, text=f"{ARCH_NAMES[arch]}: epoch {run['epochs_done']}/{epochs}{loss}"
        )
    figures.chart(
        loss_figure(record),
        "Lines of the training loss per epoch so far, one per cell.",
        key=f"{area.key}_loss_{updates}",
        where=area.loss_chart,
    )
    figures.chart(
        epoch_accuracy_figure(record),
        "Lines of the held-out accuracy per epoch so far, one per cell; chance at 0.5 dotted.",
        key=f"{area.key}_acc_{updates}",
        where=area.accuracy_chart,
    )


def fraction_done(record: dict) -> float:
    archs = record["archs"].values()
    return sum(run["epochs_done"] for run in archs) / (record["settings"]["epochs"] * len(archs))


def session_connected() -> bool:
    """Whether this visitor's browser is still connected to its session (True outside a server, as in
    AppTest). A closed tab's session is kept for a while for a reconnect, but nobody reads it."""
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None or not runtime.exists():
        return True
    return runtime.get_instance().is_active_session(context.session_id)


class Absence:
    """How long this page's session has been disconnected, measured at each redraw."""

    def __init__(self) -> None:
        self.since: float | None = None

    def seconds(self) -> float:
        if session_connected():
            self.since = None
            return 0.0
        now = time.monotonic()
        self.since = self.since if self.since is not None else now
        return now - self.since


def wait_for_turn(area: LiveArea, ticket: int) -> bool:
    """Wait in line for the server's training turn, showing the place; every redraw is a point
    where a Stop (a rerun) or a closed tab ends the wait. False when the visitor's tab has been gone
    for UNREAD_LIMIT_S: the place is given up rather than a run trained for nobody."""
    waited = 0.0
    absence = Absence()
    while not TRAINING_TURNS.wait(ticket, timeout=WAIT_STEP_S):
        if absence.seconds() > UNREAD_LIMIT_S:
            return False
        waited += WAIT_STEP_S
        place = TRAINING_TURNS.place(ticket)
        area.status.info(
            f"**In line for training: number {place}.** Live runs train one at a time on this server so that "
            f"everyone's pages stay quick; {line_ahead(place)}. Waiting {waited:.0f} s; **Stop** leaves the line.",
            icon=":material/hourglass_top:",
        )
    return True


def line_ahead(place: int) -> str:
    """Who is ahead of the visitor at ``place`` (1 = next) in the training line, in words."""
    if place <= 1:
        return "another visitor's run is training now"
    waiting = place - 1
    return f"{waiting} {'run waits' if waiting == 1 else 'runs wait'} ahead of yours, behind the one training now"


def train_live(start: CompareSettings | Comparison, area: LiveArea,
               keep: Callable[[Comparison], None]) -> LiveOutcome:
    """Wait for the server's turn, then train ``start`` (new settings, or a stopped run to continue) in
    the training worker while drawing its progress.

    ``keep`` receives the comparison when the run has ended, also when a Stop (any rerun) interrupts
    this script at one of its redraws: the ``finally`` blocks stop the training after its current epoch,
    keep what it learnt and give up the turn. The turn is also given up by the run itself when it ends,
    so that a page script that never comes back (a closed tab) cannot hold it.
    """
    ticket = TRAINING_TURNS.join()
    try:
        if not wait_for_turn(area, ticket):
            return LiveOutcome(stop_reason=LEFT_LINE)
        area.status.markdown("**Training live**: writing the sentences and building the four models…")
        training = LiveTraining(start, LIVE_SECONDS_LIMIT, TRAINING_WORKER, give_way=others_in_line,
                                fair_share_s=FAIR_SHARE_S, stale_after_s=UNREAD_LIMIT_S,
                                on_end=lambda: TRAINING_TURNS.leave(ticket))
        training.start()
        # Held by the session too: a Stop (any rerun) interrupts this script, and Streamlit starts the
        # next run while this one's ``finally`` still waits for the worker, so that run collects the
        # result (collect_interrupted) rather than rely on this thread's late write.
        st.session_state[PENDING_KEY] = training
        try:
            follow(training, area)
        finally:
            training.stop()
            if training.comparison is not None:
                keep(training.comparison)
        st.session_state.pop(PENDING_KEY, None)
        return LiveOutcome(training.stop_reason, training.error)
    finally:
        TRAINING_TURNS.leave(ticket)


def collect_interrupted(keep: Callable[[Comparison], None]) -> None:
    """Hand a run that the previous script run left behind (a Stop, or another click, interrupted it)
    to ``keep`` once it has stopped: its script asked it to stop, and it ends at its current epoch."""
    training = st.session_state.pop(PENDING_KEY, None)
    if training is None:
        return
    training.stop()  # already asked: this waits for the epoch under way (bounded by the worker's grace)
    if training.comparison is not None:
        keep(training.comparison)


def others_in_line() -> bool:
    return TRAINING_TURNS.waiting > 0


def follow(training: LiveTraining, area: LiveArea) -> None:
    """Draw each update of a running training, tick its clock and say we are still here, until it ends."""
    drawn, record = 0, None
    while True:
        running = training.running  # read before draining: once it has ended, every update is queued
        if session_connected():  # a closed tab stops saying so, and its run stops after UNREAD_LIMIT_S
            training.heartbeat()
        for _event, record in training.updates(timeout=WAIT_STEP_S if running else 0):
            drawn += 1
            draw_progress(area, record, drawn)
        if not running:
            return
        done = f"{fraction_done(record):.0%} done" if record else "starting"
        area.status.markdown(
            f"**Training live**: {done}, {training.seconds:.0f} s. Press **Stop** to end it; the results so far stay."
        )


def failure_note(error: str) -> str:
    """What the page says when a live run failed: what happened, and that the line moves on. A worker's
    death is told as rnncore says it; an exception in the training only by its type (as the server's
    showErrorDetails = "type" does for any other error), its traceback being in the server log."""
    what = error.partition(": ")[2] if error.startswith("WorkerDied") else f"the training raised {error.partition(':')[0]}"
    return (f"**Live training failed**: {what}. This run's results are lost and your turn has been given to the "
            "next visitor; press **Train live** to try again.")


# -- figures -----------------------------------------------------------------------------------------
def _layout(title: str, x: str, y: str) -> dict:
    return dict(
        title=dict(text=title), xaxis=dict(title=dict(text=x)), yaxis=dict(title=dict(text=y)), height=380,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.22, x=0.5, xanchor="center"),
    )


def _line(arch: str, xs: list, ys: list, markers: bool) -> dict:
    """One architecture's line, in its colour and dash (and marker, so that print and colour-blind
    readers can tell the four apart)."""
    trace = dict(type="scatter", x=xs, y=ys, mode="lines+markers" if markers else "lines", name=ARCH_NAMES[arch],
                 line=dict(color=ARCH_COLOURS[arch], **ARCH_LINES[arch]))
    if markers:
        trace["marker"] = dict(symbol=ARCH_MARKERS[arch])
    return trace


def _accuracy_layout(title: str, x: str) -> dict:
    """An accuracy axis from 0 to just above 1, with chance (0.5) dotted and labelled."""
    layout = _layout(title, x, "accuracy")
    layout["yaxis"] |= dict(range=[0, 1.05])
    return layout | dict(shapes=[figures.horizontal_rule(0.5, dash="dot")],
                         annotations=[figures.horizontal_rule_label(0.5, "chance")])


def loss_figure(record: dict) -> go.Figure:
    """Training loss against epochs, one line per architecture (a point every few batches)."""
    lines = [_line(arch, [p[0] for p in run["loss_curve"]], [p[1] for p in run["loss_curve"]], markers=False)
             for arch, run in record["archs"].items()]
    layout = _layout("Training loss (cross-entropy)", "epoch", "loss")
    layout["xaxis"] |= dict(range=[0, record["settings"]["epochs"]])
    layout["yaxis"] |= dict(rangemode="tozero")
    return figures.from_spec(lines, layout)


def epoch_accuracy_figure(record: dict) -> go.Figure:
    """Held-out accuracy at the set distance after each epoch."""
    distance, epochs = record["settings"]["distance"], record["settings"]["epochs"]
    lines = [_line(arch, list(range(1, len(run["val_accuracy"]) + 1)), run["val_accuracy"], markers=True)
             for arch, run in record["archs"].items()]
    layout = _accuracy_layout(f"Held-out accuracy at distance {distance}", "epoch")
    layout["xaxis"] |= dict(range=[0.5, epochs + 0.5], dtick=max(1, epochs // 10))
    return figures.from_spec(lines, layout)


def sweep_figure(sweep: dict, own: dict[str, dict[int, float]]) -> go.Figure:
    """Accuracy at each distance of the cells trained up to that distance: a line per cell from the shipped
    sweep, and the visitor's own runs as large open markers at their distances."""
    lines = []
    for arch, run in sweep["archs"].items():
        xs = sorted(int(d) for d in run["by_distance"])
        lines.append(_line(arch, xs, [run["by_distance"][str(d)] for d in xs], markers=True))
    for arch, points in own.items():
        xs = sorted(points)
        lines.append(dict(type="scatter", x=xs, y=[points[d] for d in xs], mode="markers",
                          name=f"{ARCH_NAMES[arch]}, your runs",
                          marker=dict(symbol=f"{ARCH_MARKERS[arch]}-open", size=16, color=ARCH_COLOURS[arch],
                                      line=dict(width=2.5, color=ARCH_COLOURS[arch]))))
    layout = _accuracy_layout("Can each cell learn it? Trained on clauses of 1..d words, tested at d",
                              "d: words in the clause")
    return figures.from_spec(lines, layout)


def distance_figure(record: dict) -> go.Figure:
    """Held-out accuracy against the clause length, for the models as trained."""
    distance = record["settings"]["distance"]
    lines = []
    for arch, run in record["archs"].items():
        by_distance = run["accuracy_by_distance"]
        xs = sorted(int(d) for d in by_distance)
        if xs:
            lines.append(_line(arch, xs, [by_distance[str(d)] for d in xs], markers=True))
    layout = _accuracy_layout(f"These models (trained up to {distance} words) at other distances",
                              "words in the clause (distance)")
    layout["shapes"].append(figures.vertical_rule(distance, dash="dash"))
    layout["annotations"].append(figures.vertical_rule_label(distance, f"trained up to {distance}"))
    return figures.from_spec(lines, layout)


def results_table(record: dict) -> pd.DataFrame:
    distance = record["settings"]["distance"]
    rows = []
    for arch, run in record["archs"].items():
        rows.append({
            "cell": ARCH_NAMES[arch],
            "n_a": run["n_a"],
            "parameters": run["params"],
            "epochs trained": run["epochs_done"],
            "training seconds": round(run["seconds"], 2),
            f"accuracy at distance {distance}": round(run["accuracy"], 3),
        })
    return pd.DataFrame(rows)


def show_results(record: dict, key: str) -> None:
    """Metrics, curves, accuracy against distance and the table of one run's record."""
    distance = record["settings"]["distance"]
    st.markdown(f"**Held-out accuracy at distance {distance}** (new sentences, clause of exactly {distance} words)")
    columns = st.columns(len(record["archs"]))
    for column, (arch, run) in zip(columns, record["archs"].items(), strict=True):
        column.metric(f"{ARCH_NAMES[arch]} accuracy", f"{run['accuracy']:.3f}", border=True)
    left, right = st.columns(2)
    figures.chart(
        loss_figure(record),
        "Lines of the training loss per epoch, one per cell.",
        key=f"{key}_loss",
        where=left,
    )
    figures.chart(
        epoch_accuracy_figure(record),
        "Lines of the held-out accuracy per epoch, one per cell; chance at 0.5 dotted.",
        key=f"{key}_epoch_acc",
        where=right,
    )
    if any(run["accuracy_by_distance"] for run in record["archs"].values()):
        figures.chart(
            distance_figure(record),
            "Lines of accuracy against the distance between subject and verb, one per cell; chance dotted, the trained distance dashed.",
            key=f"{key}_distance",
        )
    table = results_table(record).set_index("cell")
    st.table(table.style.format({"training seconds": "{:.2f}", table.columns[-1]: "{:.3f}"}))
