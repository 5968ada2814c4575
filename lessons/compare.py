"""Lab "Compare the cells": RNN, GRU, LSTM and BRNN trained side by side on a long-range dependency.

The notes' agreement example, "The cat, which already ate ..., was full" against "The cats, which
already ate ..., were full", with a clause of D words between the subject and the verb.  Training is
rnncore.tasks.agreement.compare (run per visitor by ui.compare_ui); this file draws the controls and lays out results.
Settings can come from the URL (?cmp_distance=40&cmp_epochs=8&cmp_hidden=32&cmp_batch=32&cmp_seed=1).
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from rnncore.models import ModelConfig
from rnncore.tasks.agreement import data as agreement
from rnncore.tasks.agreement.compare import LIMITS, CompareSettings, Comparison, clamp
from rnncore.tasks.agreement.sweep import settings_at, sweep_distances
from ui import compare_ui as cui
from ui import figures, guess

RUN_KEY = "compare_run"  # this visitor's Comparison (models, curves), kept across reruns
STOP_NOTE_KEY = "compare_stop_note"  # why the last live run stopped early, shown once
FINISHED_KEY = "compare_finished"  # accuracies of this visitor's finished runs, for the sweep figure
FINISHED_KEPT = 40  # the latest runs kept (a few numbers each)
SWEEP_KEY = "compare_sweep_settings"  # the settings of this visitor's latest "Train at every distance"
SWEEP_STOPS = {  # why "Train at every distance" ended before its last distance
    "give way": f"it gave the turn to the next visitor in line after {cui.FAIR_SHARE_S:.0f} s",
    "time limit": f"a run reached the {cui.LIVE_SECONDS_LIMIT} s limit of a live run",
}
QUERY_KEYS = {"cmp_distance": "distance", "cmp_epochs": "epochs", "cmp_hidden": "n_a", "cmp_batch": "batch_size",
              "cmp_seed": "seed"}
WIDGET_KEYS = {"distance": "cmp_w_distance", "epochs": "cmp_w_epochs", "n_a": "cmp_w_hidden",
               "batch_size": "cmp_w_batch", "seed": "cmp_w_seed"}
TASK_NAMES = {"agreement": "was / were", "lookahead": "look ahead"}
BUDGET_NAMES = {"params": "equal parameters", "n_a": "equal n_a"}
BATCH_SIZES = [8, 16, 32, 64, 128, 256]
SEED_LIMIT = 10_000
DEFAULTS = CompareSettings()
LSTM_FORGET_BIAS = ModelConfig.__dataclass_fields__["forget_bias"].default  # what Classifier's LSTM starts with


def show_intro() -> None:
    st.title("Compare the cells")
    st.markdown(
        "The notes motivate gated cells with a sentence whose verb depends on a word read long before it: "
        "*The **cat**, which already ate …, **was** full* against *The **cats**, which already ate …, "
        "**were** full*. Here the four architectures learn exactly that. Each reads the sentence up to the "
        "comma before the verb and chooses **was** or **were** (many-to-one, "
        r"$\hat{y} = \mathrm{softmax}(W_{ya} a^{\langle T_x \rangle} + b_y)$); between the subject and the "
        "verb sits a clause of *distance* words, with singular and plural nouns in it (*near the dogs*, "
        "*with the cat*) so that the last noun seen is no clue. Watch which cells carry the subject across."
    )


def url_settings() -> tuple[CompareSettings, list[str]]:
    """Settings from the URL's query parameters, clamped in Python (a URL is not bound by the sliders)."""
    values: dict = {}
    notes: list[str] = []
    for param, field in QUERY_KEYS.items():
        raw = st.query_params.get(param)
        if raw is None:
            continue
        try:
            values[field] = int(raw)
        except ValueError:
            notes.append(f"{param} is not a whole number; ignored")
    settings, clamp_notes = clamp(replace(DEFAULTS, **values))
    if not 0 <= settings.seed <= SEED_LIMIT:
        clamp_notes.append(f"seed {settings.seed} is outside 0..{SEED_LIMIT}; using {min(max(settings.seed, 0), SEED_LIMIT)}")
        settings = replace(settings, seed=min(max(settings.seed, 0), SEED_LIMIT))
    if settings.batch_size not in BATCH_SIZES:
        nearest = min(BATCH_SIZES, key=lambda b: abs(b - settings.batch_size))
        clamp_notes.append(f"batch size {settings.batch_size} is not one of {BATCH_SIZES}; using {nearest}")
        settings = replace(settings, batch_size=nearest)
    return settings, notes + clamp_notes


def controls() -> tuple[CompareSettings, list[str]]:
    """The widgets, first filled from the URL; returns the settings clamped again in Python."""
    notes: list[str] = []
    if "cmp_initialised" not in st.session_state:
        start, notes = url_settings()
        for field, key in WIDGET_KEYS.items():
            st.session_state[key] = getattr(start, field)
        st.session_state["cmp_initialised"] = True
    first, second, third = st.columns(3)
    task = first.segmented_control(
        "Task", list(TASK_NAMES), format_func=TASK_NAMES.get, default="agreement", required=True, key="cmp_task",
        help="was / were: the notes' agreement sentence. Look ahead: label the word *teddy* as a person or "
        "not, where the next word decides; only a bidirectional model has read it.",
    )
    budget = second.segmented_control(
        "Same budget for every cell", list(BUDGET_NAMES), format_func=BUDGET_NAMES.get, default=DEFAULTS.budget,
        required=True, key="cmp_budget",
        help="Equal parameters: the LSTM has the hidden size below and every other cell the largest n_a "
        "that keeps it at or under the LSTM's parameter count. Equal hidden size: the same n_a for all.",
    )
    distance = third.slider("Distance: words in the clause", *LIMITS["distance"], key=WIDGET_KEYS["distance"])
    fourth, fifth, sixth, seventh = st.columns(4)
    n_a = fourth.slider("Hidden size $n_a$", *LIMITS["n_a"], key=WIDGET_KEYS["n_a"])
    epochs = fifth.slider("Epochs", *LIMITS["epochs"], key=WIDGET_KEYS["epochs"])
    batch_size = sixth.select_slider("Batch size $m$", BATCH_SIZES, key=WIDGET_KEYS["batch_size"])
    seed = seventh.number_input("Seed", min_value=0, max_value=SEED_LIMIT, step=1, key=WIDGET_KEYS["seed"])
    chosen = replace(
        DEFAULTS, task=task or "agreement", budget=budget or DEFAULTS.budget, distance=int(distance),
        n_a=int(n_a), epochs=int(epochs), batch_size=int(batch_size), seed=int(seed or 0),
    )
    settings, clamp_notes = clamp(chosen)
    return settings, notes + clamp_notes


def show_examples(settings: CompareSettings) -> None:
    examples = agreement.generate(settings.task, 2, settings.distance, seed=settings.seed)
    with st.expander(f"What the models read: two sentences at distance {settings.distance}", expanded=False):
        for example in examples:
            label = (agreement.LABELS if settings.task == "agreement" else agreement.LOOKAHEAD_LABELS)[example.label]
            st.markdown(f"- {agreement.sentence_text(example, settings.task)}  → **{label}**")
        if settings.task == "agreement":
            steps = agreement.steps_after_subject(settings.distance)
            st.caption(
                f"The subject is read {steps} steps before the last input. Training sentences have clauses of "
                f"{settings.min_train_distance} to {settings.distance} words ({settings.n_train} sentences); "
                f"accuracy is measured on {settings.n_test} new sentences at each distance."
            )
        else:
            st.caption(
                "The label belongs to *teddy* and is read from the state at *teddy*; the word after it decides "
                "(*roosevelt*: a person; *bears*: not). A left-to-right cell has not read it yet."
            )


def show_framing(settings: CompareSettings) -> None:
    st.info(
        "**Not a tuned comparison.** All four cells share one recipe: learning rate "
        f"{settings.lr}, {settings.epochs} epochs, batch size {settings.batch_size}, gradient clipping at norm "
        f"{settings.clip}, Adam. A recipe tuned for each cell (or many more epochs) can change the ranking; "
        "this shows how each copes with the same recipe. The gated cells start with the memory-keeping gate "
        f"bias that practice recommends (Jozefowicz et al., 2015): LSTM $b_f = {LSTM_FORGET_BIAS:g}$, GRU $b_u = {settings.gru_update_bias:g}$.",
        icon=":material/balance:",
    )


def show_brnn_note(record: dict) -> None:
    if "birnn" not in record["archs"] or record["settings"]["task"] != "agreement":
        return
    st.caption(
        "Why the BRNN, made of two plain RNN cells, succeeds: its summary is "
        r"$[\overrightarrow{a}^{\langle T_x \rangle}, \overleftarrow{a}^{\langle 1 \rangle}]$, and the backward "
        "half reads the sentence from the comma back to *the cat*, which it meets last. For it the subject "
        "is one step from the end, whatever the distance. Switch the task to *look ahead* to see a "
        "problem that only the BRNN can solve."
    )


def keep_run(comparison: Comparison) -> None:
    st.session_state[RUN_KEY] = comparison
    if comparison.finished:
        finished = st.session_state.setdefault(FINISHED_KEY, [])
        finished.append({"settings": comparison.settings.to_dict(),
                         "archs": {arch: {"accuracy": comparison.accuracy_at_distance(arch)}
                                   for arch in comparison.runs}})
        del finished[:-FINISHED_KEPT]


def current_run() -> Comparison | None:
    """This visitor's last run; one left unfinished by an interruption is marked stopped and measured."""
    comparison = st.session_state.get(RUN_KEY)
    if comparison is not None and not comparison.finished and not comparison.evaluated:
        comparison.mark_stopped()
    return comparison


def train_once(start: CompareSettings | Comparison, key: str = "compare_live", sweeping: bool = False) -> bool:
    """One live run, its progress drawn in place; True when it finished (not stopped, not failed).
    ``key``: unique for each run drawn in one script run (its charts' keys); ``sweeping``: the run is one
    distance of "Train at every distance", whose stop note says how to go on."""
    settings = start.settings if isinstance(start, Comparison) else start
    area = cui.live_area(settings.archs, key)
    outcome = cui.train_live(start, area, keep=keep_run)
    for placeholder in (area.status, area.loss_chart, area.accuracy_chart, *area.bars.values()):
        placeholder.empty()
    if outcome.error is not None:
        st.error(cui.failure_note(outcome.error), icon=":material/error:")
    elif outcome.stop_reason in cui.STOP_NOTES:  # draw again, so that Continue (drawn above) is enabled
        st.session_state[STOP_NOTE_KEY] = (
            f"The sweep stopped at {settings.distance} words: {SWEEP_STOPS[outcome.stop_reason]}. The runs it "
            "finished are on the figure below; press **Train at every distance** to train the distances still "
            "missing." if sweeping else cui.STOP_NOTES[outcome.stop_reason])
        st.rerun()
    return outcome.error is None and outcome.stop_reason is None


def train_every_distance(settings: CompareSettings) -> None:
    """The sweep, live: one run per clause length, shortest first, each taking its own turn in the line.
    Distances this visitor has already finished with these settings are skipped (a seeded run would give
    the same numbers), so pressing it again after a stop trains only what is missing."""
    st.session_state[SWEEP_KEY] = settings.to_dict()
    trained = set(cui.own_points(st.session_state.get(FINISHED_KEY, []), settings).get(settings.archs[0], {}))
    distances = [d for d in sweep_distances(settings.distance) if d not in trained]  # seeded: the same again
    status = st.empty()
    for done, distance in enumerate(distances):
        status.markdown(f"**Training at every distance**: clause of {distance} words, run {done + 1} of "
                        f"{len(distances)}. Finished runs join the figure *Can each cell learn it at all?*")
        if not train_once(settings_at(settings, distance), key=f"compare_live_d{distance}", sweeping=True):
            break
    status.empty()


def changed_since_note(comparison: Comparison, settings: CompareSettings) -> str:
    """Why the run shown has other settings than the widgets: the visitor changed them, or it is the last
    run of "Train at every distance" (at its own distance)."""
    swept = st.session_state.get(SWEEP_KEY) == settings.to_dict()
    if swept and cui.same_but_distance(comparison.settings, settings):
        return (f"This is the last run of **Train at every distance**, at {comparison.settings.distance} words; "
                "every finished one is on the figure *Can each cell learn it at all?* below.")
    return "The settings above have changed since this run: press **Train live** to use them."


def main() -> None:
    show_intro()
    guessing = guess.enabled()
    settings, notes = controls()
    if notes:
        st.warning("Limits are enforced here too: " + "; ".join(notes) + ".", icon=":material/tune:")
    show_examples(settings)
    show_framing(settings)

    train_col, sweep_col, stop_col, continue_col, _ = st.columns([1.1, 1.6, 0.9, 1.1, 1.3])
    train = train_col.button("Train live", type="primary", icon=":material/play_arrow:", key="cmp_train")
    sweep_all = sweep_col.button(
        "Train at every distance", icon=":material/stacked_line_chart:", key="cmp_sweep_live",
        disabled=settings.task != "agreement",
        help="Train the four cells again at each clause length of the sweep below "
        f"({', '.join(str(d) for d in sweep_distances(settings.distance))} words), with your other settings; "
        "each finished run joins the figure. Any click stops it, keeping the runs finished so far.",
    )
    stop = stop_col.button("Stop", icon=":material/stop:", key="cmp_stop")
    cui.collect_interrupted(keep_run)  # a run the Stop click (or any click) interrupted comes back here
    previous = current_run()  # before the buttons: a run the Stop click interrupted is marked stopped here
    can_continue = previous is not None and previous.stopped and previous.settings == settings
    resume = continue_col.button("Continue", icon=":material/redo:", key="cmp_continue", disabled=not can_continue)

    st.header("Results", divider="gray")
    if train or (resume and can_continue):
        train_once(settings if train else previous)
    elif sweep_all and settings.task == "agreement":
        train_every_distance(settings)
    if note := st.session_state.pop(STOP_NOTE_KEY, None):
        st.info(note, icon=":material/pause_circle:")
    comparison = current_run()
    if stop and comparison is not None:
        st.toast("Training stopped; the results so far are below.", icon=":material/stop_circle:")

    cached = cui.default_record()
    shown = comparison.record() if comparison is not None else cached
    if guessing and shown is not None and not (train or resume) and guess.compare_round(shown) is None:
        return
    if comparison is not None:
        record = comparison.record()
        state = "stopped early, " if comparison.stopped else ""
        st.caption(
            f"Your run ({state}{sum(r['epochs_done'] for r in record['archs'].values())} epochs in all, "
            f"seed {comparison.settings.seed}, distance {comparison.settings.distance}), trained in this session."
        )
        if comparison.stopped:
            st.caption(
                f"A live run ends at **Stop**, at any other click on this page, after {cui.FAIR_SHARE_S:.0f} s when "
                f"others are waiting for the turn, or after {cui.LIVE_SECONDS_LIMIT} s; "
                "**Continue** picks it up where it stopped."
            )
        if comparison.settings != settings:
            st.caption(changed_since_note(comparison, settings))
        cui.show_results(record, key="cmp_live")
        show_brnn_note(record)
    elif cached is not None:
        st.caption(
            "Cached results of the default settings, so that the page opens at once; made with "
            f"`{html.escape(cached.get('command', ''))}` ({cached.get('threads', '?')} torch thread"
            f"{'s' if cached.get('threads') != 1 else ''}, torch {html.escape(str(cached.get('torch', '?')))}). "
            "Press **Train live** to train again and watch."
        )
        if not cui.record_matches(cached, settings):
            st.caption("These are the default settings' results; yours differ, so press **Train live**.")
        cui.show_results(cached, key="cmp_cached")
        show_brnn_note(cached)
    else:
        st.info("Press **Train live** to train the four cells.", icon=":material/play_arrow:")

    show_sweep(settings)
    shown = record if comparison is not None else cached
    if shown is not None and shown["settings"]["task"] == "agreement":
        show_what_to_look_for(shown)


def rnn_story(record: dict) -> str:
    """What the vanilla RNN of this run did, in words that follow its own held-out numbers."""
    by = {int(d): a for d, a in record["archs"]["rnn"]["accuracy_by_distance"].items()}
    if not by:
        return ""
    distance = record["settings"]["distance"]
    shortest, longest = min(by), max(by)
    short, long = by[shortest], by[longest]
    if short < 0.6:
        return (f"- **Trained up to {distance} words, the vanilla RNN learnt nothing**: {short:.2f} held-out "
                f"accuracy at a {shortest}-word clause, {long:.2f} at {longest}: chance, even where the subject is a "
                "few steps back. Most of its training clauses were long, and the gradient that would teach it to "
                "keep the subject shrinks by about the same factor at every step back (the *Vanishing gradients* "
                "lesson measures it), so it never starts.\n")
    if long >= 0.9:
        return (f"- **Trained up to {distance} words, the vanilla RNN learnt it and holds it**: {short:.2f} at "
                f"{shortest} word, {long:.2f} at {longest}. A unit driven into saturation (tanh near ±1) keeps one "
                "bit across any clause; it is learning that unit that the vanishing gradient makes hard.\n")
    return (f"- **Trained up to {distance} words, the vanilla RNN holds the subject partly**: {short:.2f} at "
            f"{shortest} word, {long:.2f} at {longest} words.\n")


def show_sweep(settings: CompareSettings) -> None:
    """The shipped sweep over clause lengths, with this visitor's finished runs on it."""
    sweep = cui.sweep_record()
    if sweep is None or settings.task != "agreement":
        return
    st.header("Can each cell learn it at all?", divider="gray")
    st.markdown(
        "The figure above tests one set of models at many distances. The question here is another: can a cell "
        "learn the dependency at all when the clauses it learns from are long? The vanishing gradient says it "
        "gets harder with every step: the signal that would teach a cell to keep the subject shrinks with each "
        "step between the subject and the verb. So each cell is trained again for each clause length *d* "
        "(clauses of 1 to *d* words, the same recipe) and tested on new sentences at *d*. "
        + cui.sweep_story(sweep, DEFAULTS)
    )
    sweep_settings = CompareSettings.from_dict(sweep["settings"])
    own = cui.own_points(st.session_state.get(FINISHED_KEY, []), settings)
    figures.chart(
        cui.sweep_figure(sweep, own),
        "Lines of held-out accuracy at distance d for cells trained on clauses of 1 to d words, one per cell; "
        "your own finished runs as open markers; chance dotted.",
        key="cmp_sweep",
    )
    threads = sweep.get("threads", "?")
    made = (f"Lines: made with `{html.escape(sweep.get('command', ''))}` in {sweep.get('seconds', 0):.0f} s with "
            f"{threads} torch thread{'s' if threads != 1 else ''}.")
    changed = cui.changed_settings(settings, sweep_settings)
    if own and not changed:
        st.caption(f"{made} Open markers: your runs, at the distances you trained.")
    elif own:
        st.caption(f"{made} Open markers: your runs with your settings ({', '.join(changed)}), "
                   "where the lines have the defaults.")
    else:
        st.caption(f"{made} Press **Train at every distance**, or **Train live** at one distance, and your runs "
                   "join the figure as open markers.")


def show_what_to_look_for(record: dict) -> None:
    st.header("What to look for", divider="gray")
    st.markdown(
        rnn_story(record)
        + "- Lower the distance to a few words and train again, or press **Train at every distance**: your runs "
        "land on the figure above. With fewer epochs or a smaller $n_a$, see how far the gated cells still get.\n"
        "- The table gives each cell's parameters and training time: at equal parameters the RNN gets a "
        "larger $n_a$. Stop a run at any time; what was learnt so far is measured."
    )

main()
