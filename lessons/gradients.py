"""Lesson "Vanishing and exploding gradients": ||dL/da<t>|| measured at every time step.

Follows the notes' "Vanishing gradients with RNNs" (the reason for GRUs and LSTMs) and their line on
training: "RNN can have exploding/diminishing gradient as well. For explosion, do gradient clipping."
Every number comes from rnncore.explain (bptt, spectral, clipping, saliency, through ui.gradients_ui's caches); this file lays them out.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from rnncore.encoding import tokens_for
from rnncore.explain import bptt, clipping, saliency, spectral
from rnncore.models import ARCH_NAMES
from ui import figures, models_ui
from ui import gradients_ui as gui
from ui.models_ui import md_escape
from ui.text_ui import NOTES_EXAMPLES, sentence_input

SOURCE_TRAINED, SOURCE_INIT = "Trained on reviews", "At initialisation"
ACTIVATIONS = ["tanh", "relu", "sigmoid"]
TRAIN_LIMITS = {
    "steps": (2, 60),
    "updates": (5, 150),
    "learning_rate": (0.001, 1.0),
    "threshold": (0.01, 100.0),
}
SENTIMENT_EXAMPLES = [NOTES_EXAMPLES[3]]  # the notes' review
AGREEMENT_EXAMPLES = [  # the notes' "The cat, which already ate ..., was full", cut before the verb
    "The cat, which already ate the fish in the kitchen after lunch,",
    "The cats, which already ate,",
]


def clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def warn_clamped(notes: list[str]) -> None:
    if notes:
        st.warning("Out of range, so clamped here too: " + "; ".join(notes) + ".", icon=":material/tune:")


def ratio_text(profile: bptt.GradientProfile) -> str:
    return gui.power_of_ten(profile.log10_first_to_last)


def show_intro() -> None:
    st.title("Vanishing and exploding gradients")
    st.markdown(
        r"Back-propagation through time sends $\partial L / \partial a^{\langle t \rangle}$ from the last "
        r"step back to the first, multiplying by one Jacobian per step. For the basic RNN, "
        r"$a^{\langle t \rangle} = g(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a)$, that Jacobian is "
        r"$\mathrm{diag}(g'(z^{\langle t \rangle}))\, W_{aa}$: each step scales the gradient by about "
        r"**the spectral radius of $W_{aa}$ times the slope of $g$**. Below 1 the gradient **vanishes** (the "
        r"first words stop influencing learning), above 1 it **explodes**. The notes: "
        r"*for explosion, do gradient clipping; for diminishing, try weight initialisation, ReLU, or "
        r"other RNNs: LSTM, GRU.* This page measures all of it."
    )
    st.latex(
        r"\frac{\partial L}{\partial a^{\langle t \rangle}} = "
        r"\Big(\frac{\partial a^{\langle t+1 \rangle}}{\partial a^{\langle t \rangle}}\Big)^{\!\top} \cdots "
        r"\Big(\frac{\partial a^{\langle T \rangle}}{\partial a^{\langle T-1 \rangle}}\Big)^{\!\top} "
        r"\frac{\partial L}{\partial a^{\langle T \rangle}}"
    )


# -- 1. per-step norms, trained or at initialisation ---------------------------------------------------
def init_controls() -> spectral.InitSettings:
    first, second, third = st.columns(3)
    n_a = first.slider("Hidden size $n_a$", *spectral.LIMITS["n_a"], value=32, key="grad_n_a")
    radius = second.slider(
        "Spectral radius of $W_{aa}$",
        *spectral.LIMITS["radius"],
        value=spectral.InitSettings().radius,
        step=0.05,
        key="grad_radius",
        help="W_aa (and each gate's state-to-state block for GRU and LSTM) is rescaled so that its largest "
        "|eigenvalue| is this number.",
    )
    activation = third.segmented_control(
        "RNN activation $g$", ACTIVATIONS, default="tanh", required=True, key="grad_activation"
    )
    fourth, fifth, _ = st.columns(3)
    forget_bias = fourth.slider(
        r"LSTM forget-gate bias $b_f$", *spectral.LIMITS["forget_bias"], value=1.0, step=0.5, key="grad_forget_bias"
    )
    seed = fifth.number_input("Seed", min_value=0, max_value=10_000, value=0, step=1, key="grad_seed")
    return spectral.InitSettings(
        n_a=int(n_a),
        radius=float(radius),
        activation=activation or "tanh",
        forget_bias=float(forget_bias),
        seed=int(clamp(int(seed or 0), 0, 10_000)),
    )


def show_profiles_table(profiles: dict[str, bptt.GradientProfile], with_rate: bool) -> None:
    rows = []
    for arch, p in profiles.items():
        row = {
            "cell": ARCH_NAMES[arch],
            "||dL/da⟨1⟩|| / ||dL/da⟨T⟩||": ratio_text(p),
            "measured factor per step": round(p.measured_rate, 4) if math.isfinite(p.measured_rate) else None,
        }
        if with_rate:
            row["analytic rate per step"] = round(p.rate, 4) if p.rate is not None else None
            row["what the rate is"] = p.rate_name
        row["||dL/dc⟨1⟩|| / ||dL/dc⟨T⟩||"] = (
            gui.power_of_ten(p.log10_c_norms[0] - p.log10_c_norms[-1]) if p.log10_c_norms else "—"
        )
        row["largest spectral radius of a state block"] = round(p.radius, 3) if p.radius is not None else None
        row["L"] = round(p.loss, 6)
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def explain_trained_rnn(rnn: bptt.GradientProfile) -> None:
    """Why radius x slope does not predict a trained RNN: the numbers of this run."""
    slope = rnn.rate / rnn.radius
    st.caption(
        f"The trained RNN's $W_{{aa}}$ has spectral radius {rnn.radius:.2f} and its tanh runs at a root-mean-square "
        f"slope of {slope:.2f} on this sentence: radius × slope = {rnn.rate:.2f} per step, yet the measured "
        f"gradient changes by {rnn.measured_rate:.2f} per step. The radius-times-slope estimate assumes a random "
        "$W_{aa}$ (as at initialisation, where it fits); a trained one is not random, and saturated units pass "
        "almost nothing back."
    )


def show_ratio_metrics(profiles: dict[str, bptt.GradientProfile]) -> None:
    columns = st.columns(len(profiles) + (1 if {"rnn", "lstm"} <= set(profiles) else 0))
    for column, (arch, p) in zip(columns, profiles.items(), strict=False):
        column.metric(f"{ARCH_NAMES[arch]}: first / last", ratio_text(p), border=True)
    if {"rnn", "lstm"} <= set(profiles):
        lstm_over_rnn = profiles["lstm"].log10_first_to_last - profiles["rnn"].log10_first_to_last
        columns[-1].metric("LSTM's ratio / RNN's", gui.power_of_ten(lstm_over_rnn), border=True)


def show_norms() -> None:
    st.header("How much gradient reaches each step", divider="gray")
    trained_available = [arch for arch in bptt.ARCHS if bptt.trained_model_available(arch)]
    options = [SOURCE_TRAINED, SOURCE_INIT] if trained_available else [SOURCE_INIT]
    source = st.segmented_control("Cells", options, default=options[0], required=True, key="grad_source")
    if not trained_available:
        st.info(
            "The trained sentiment models are not installed on this server (assets/models/sentiment-*), so "
            "this view shows cells at initialisation.",
            icon=":material/info:",
        )
    low, high = spectral.LIMITS["steps"]
    steps_raw = st.slider("Sequence length $T$", low, high, value=50, key="grad_steps")
    notes: list[str] = []
    if source == SOURCE_TRAINED:
        steps = int(clamp(int(steps_raw), bptt.REVIEW_STEPS, high))
        if steps != steps_raw:
            notes.append(f"T = {steps_raw} is shorter than the notes' review; used {steps}")
        warn_clamped(notes)
        profiles = gui.trained_profiles(steps)
        tokens = profiles[next(iter(profiles))].details["tokens"]
        st.markdown(
            f"Each trained sentiment model reads a review of $T = {steps}$ words that opens with the notes' "
            "“I didn't enjoy the film at all.” and goes on with other reviews; $L = -\\log P(\\text{its rating})$ "
            "at the last step. How much of the gradient still reaches the first words?"
        )
        st.caption("“" + md_escape(" ".join(tokens)) + "”")
        st.caption(" · ".join(f"{ARCH_NAMES[a]}: {p.details['stars']} stars, P = {p.details['probs'][p.details['label']]:.3f}"
                              for a, p in profiles.items()))
    else:
        requested = init_controls()
        used, notes = spectral.clamp_settings(spectral.InitSettings(**{**requested.__dict__, "steps": int(steps_raw)}))
        warn_clamped(notes)
        profiles = gui.init_profiles(used)
        st.markdown(
            f"Fresh cells read {used.m} seeded random sequences of $T = {used.steps}$ inputs ($n_x = {used.n_x}$); "
            r"$L$ is the cross-entropy of $\hat{y}^{\langle T \rangle} = \mathrm{softmax}(W_{ya} a^{\langle T \rangle} + b_y)$ "
            f"against random labels. The torch default initialisation gives a spectral radius of "
            f"{spectral.torch_default_radius(used.n_a, used.seed):.2f} at $n_a = {used.n_a}$."
        )
    show_ratio_metrics(profiles)
    show_memory = st.toggle(
        r"Also draw the LSTM's memory cell, $\|\partial L / \partial c^{\langle t \rangle}\|$",
        value=True,
        key="grad_show_memory",
        help="The LSTM carries information in c<t>; a<t> = Γ_o * tanh(c<t>) is what it shows the next step.",
    )
    trained = source == SOURCE_TRAINED
    figures.chart(
        gui.norms_figure(profiles, show_rate=not trained, show_memory=show_memory),
        "Lines of the gradient norm ||dL/da⟨t⟩|| against the step t (log scale), one per cell.",
        key="grad_norms_chart",
    )
    if trained:
        st.caption(
            "Solid: ||dL/da⟨t⟩|| measured by autograd, one step at a time. Dash-dot: the LSTM's gradient on its "
            "memory cell c⟨t⟩."
        )
        if "rnn" in profiles and profiles["rnn"].rate is not None:
            explain_trained_rnn(profiles["rnn"])
    else:
        st.caption(
            "Solid: measured by autograd, one step at a time. Dashed (RNN): the analytic rate, the spectral radius "
            "times the root-mean-square slope of g along the run, drawn from the last step back. Dotted: the "
            "GRU's and LSTM's carry path alone (mean of 1 − Γ_u, mean of Γ_f), a floor: the other paths add to "
            "it. Dash-dot: the LSTM's gradient on its memory cell c⟨t⟩."
        )
    show_profiles_table(profiles, with_rate=not trained)


# -- 2. exploding gradients and clipping ------------------------------------------------------------------
def explode_controls() -> tuple[spectral.InitSettings, dict, list[str]]:
    first, second, third = st.columns(3)
    radius = first.slider("Spectral radius", *spectral.LIMITS["radius"], value=2.0, step=0.05, key="grad_x_radius")
    activation = second.segmented_control(
        "Activation", ACTIVATIONS, default="relu", required=True, key="grad_x_activation"
    )
    steps = third.slider("Sequence length $T$", *TRAIN_LIMITS["steps"], value=20, key="grad_x_steps")
    fourth, fifth, sixth = st.columns(3)
    max_value = fourth.number_input(
        "maxValue (clip by value)",
        min_value=0.01,
        max_value=100.0,
        value=5.0,
        step=0.5,
        key="grad_x_max_value",
    )
    max_norm = fifth.number_input(
        "max norm (clip by norm)", min_value=0.01, max_value=100.0, value=5.0, step=0.5, key="grad_x_max_norm"
    )
    learning_rate = sixth.number_input(
        "SGD learning rate",
        min_value=0.001,
        max_value=1.0,
        value=0.05,
        step=0.01,
        format="%.3f",
        key="grad_x_lr",
    )
    notes: list[str] = []

    def bounded(name: str, value, limits) -> float:
        value = 0.0 if value is None else float(value)
        used = clamp(value, *limits)
        if used != value:
            notes.append(f"{name} = {value:g} is outside {limits[0]:g}..{limits[1]:g}; used {used:g}")
        return used

    steps_used = int(bounded("T", steps, TRAIN_LIMITS["steps"]))
    options = {
        "max_value": bounded("maxValue", max_value, TRAIN_LIMITS["threshold"]),
        "max_norm": bounded("max norm", max_norm, TRAIN_LIMITS["threshold"]),
        "learning_rate": bounded("learning rate", learning_rate, TRAIN_LIMITS["learning_rate"]),
    }
    settings, more = spectral.clamp_settings(
        spectral.InitSettings(steps=steps_used, radius=float(radius), activation=activation or "relu", m=32)
    )
    return settings, options, notes + more


def run_training(settings: spectral.InitSettings, options: dict, updates: int) -> dict[str, clipping.TrainingRun]:
    """Three short runs (no clipping, by value, by norm), one at a time, with progress between them."""
    runs = {}
    progress = st.progress(0.0, text="Training ...")
    for k, (mode, threshold) in enumerate(
        (("none", 1.0), ("value", options["max_value"]), ("norm", options["max_norm"]))
    ):
        progress.progress(k / 3, text=f"Training with {gui.MODE_NAMES[mode]} ...")
        runs[mode] = clipping.train_short(settings, mode, threshold, updates, options["learning_rate"])
    progress.empty()
    return runs


def show_exploding() -> None:
    st.header("Exploding gradients and clipping", divider="gray")
    st.markdown(
        "A spectral radius above 1 (times the activation's slope) makes every step multiply the gradient by "
        "more than 1. The course clips each gradient entry into $[-\\text{maxValue}, \\text{maxValue}]$ "
        "(`np.clip`) before the update; clipping by norm rescales all gradients together so their joint "
        "length is at most the threshold, keeping the direction. The task below is like the notes' sentence: "
        "the label is the first of $T$ one-hot inputs, and the RNN must carry it to the last step."
    )
    settings, options, notes = explode_controls()
    warn_clamped(notes)
    profile = gui.init_profiles(settings)["rnn"]
    left, right = st.columns(2)
    with left:
        st.metric("RNN: ||dL/da⟨1⟩|| / ||dL/da⟨T⟩||", ratio_text(profile), border=True)
        figures.chart(
            gui.norms_figure({"rnn": profile}, height=340),
            "A line of the vanilla RNN's gradient norm ||dL/da⟨t⟩|| against the step t, log scale: it grows towards the first steps.",
            key="grad_x_norms_chart",
        )
    snapshots = gui.clipping_snapshots(settings, options["max_value"], options["max_norm"])
    with right:
        by_value, by_norm = st.tabs(["Clip by value (the course)", "Clip by norm"])
        for tab, mode in ((by_value, "value"), (by_norm, "norm")):
            snap = snapshots[mode]
            with tab:
                cells = st.columns(2)
                cells[0].metric("largest |entry| before", f"{max(snap.max_before.values()):.3g}")
                cells[1].metric("largest |entry| after", f"{max(snap.max_after.values()):.3g}")
                figures.chart(
                    gui.clipping_figure(snap),
                    f"Bars of the largest gradient entry per parameter before and after {mode} clipping.",
                    key=f"grad_x_clip_{mode}",
                )
                st.caption(
                    f"Gradient length over all parameters: {snap.global_before:.3g} before, "
                    f"{snap.global_after:.3g} after, for one batch of {settings.m} sequences."
                )

    st.subheader("A short training run, with and without clipping")
    low, high = TRAIN_LIMITS["updates"]
    updates_raw = st.slider("SGD updates", low, high, value=60, step=5, key="grad_x_updates")
    updates = int(clamp(int(updates_raw), low, high))
    key = (settings, options["max_value"], options["max_norm"], options["learning_rate"], updates)
    if st.button("Train the three runs", icon=":material/play_arrow:", key="grad_x_train"):
        st.session_state["grad_x_runs"] = (key, run_training(settings, options, updates))
    stored = st.session_state.get("grad_x_runs")
    if stored is None:
        st.caption(
            f"Each run takes {updates} SGD updates on fresh batches of {settings.m}; the three start from the same "
            "weights and see the same batches, so they differ only by clipping."
        )
        return
    stored_key, runs = stored
    if stored_key != key:
        st.caption("The settings changed since this run; press the button to train again.")
    figures.chart(
        gui.training_figure(runs),
        "Lines of the training loss against the SGD update, one per clipping mode; a cross where a run diverged.",
        key="grad_x_training_chart",
    )
    rows = []
    for mode, run in runs.items():
        finite = [v for v in run.losses if math.isfinite(v)]
        rows.append(
            {
                "clipping": gui.MODE_NAMES[mode],
                "updates done": len(run.losses),
                "left the numbers (inf/nan)": "yes" if run.diverged else "no",
                "largest loss": max(finite) if finite else None,
                "last loss": run.losses[-1] if math.isfinite(run.losses[-1]) else None,
                "largest gradient length": max(run.grad_norms) if run.grad_norms else None,
                "held-out accuracy": None if math.isnan(run.accuracy) else run.accuracy,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# -- 3. saliency on the visitor's sentence ----------------------------------------------------------------
def show_saliency() -> None:
    st.header("Which of your words reach the last output", divider="gray")
    stems = gui.saliency_stems()
    if not stems:
        st.info("No trained model is installed on this server yet, so this part has nothing to read.")
        return
    st.markdown(
        r"For a trained many-to-one model, the gradient of $\log P(\text{its answer})$ with respect to each "
        r"input $x^{\langle t \rangle}$: how strongly the answer still depends on word $t$. On a long "
        r"sentence, compare the sentiment RNN with the sentiment LSTM."
    )
    stem = st.selectbox("Model", stems, format_func=gui.stem_label, key="grad_sal_model")
    sentiment_first = any(stem.startswith("sentiment-") for stem in stems)
    examples = (
        SENTIMENT_EXAMPLES + AGREEMENT_EXAMPLES
        if sentiment_first
        else AGREEMENT_EXAMPLES + SENTIMENT_EXAMPLES
    )
    sentence = sentence_input("grad_text", examples=examples)
    model, meta = models_ui.shipped_model(stem)
    tokens = tokens_for(meta, sentence.text)
    if not tokens:
        st.warning("Type a sentence to see its words' gradients.", icon=":material/edit:")
        return
    result = saliency.saliency_of_tokens(model, meta, tokens)
    cells = st.columns(3)
    cells[0].metric("Answer", result.label)
    cells[1].metric("P(answer)", f"{result.probability:.3f}")
    cells[2].metric(
        "first word / last word",
        f"{result.first_to_last:.3g}" if math.isfinite(result.first_to_last) else "n/a",
    )
    figures.chart(
        gui.saliency_figure(result),
        "Bars, one per word: the share of the gradient of log P(answer) that reaches it, coloured by the sign of gradient times input.",
        key="grad_sal_chart",
    )
    st.caption(
        "Bar height: ||d log P / d x⟨t⟩|| as a share of the sum over the words. Colour: the sign of "
        "gradient · input (blue pushes towards the answer, orange away)."
    )


show_intro()
show_norms()
show_exploding()
show_saliency()
