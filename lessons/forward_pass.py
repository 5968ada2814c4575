"""Lesson "Forward pass, step by step": the unrolled RNN on the visitor's sentence, with live values.

Follows the notes' "RNN" and "Forward Propagation" sections and the rnn_forward instructions: at
each step a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a) and y_hat<t> = g(W_ya a<t> + b_y), the simplified
W_a [a<t-1>, x<t>], the stored a of shape (n_a, m, T_x) and y_hat of shape (n_y, m, T_x). Every
number comes from rnncore.explain.forward on a shipped vanilla-RNN model; this file only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from rnncore.explain import forward
from rnncore.explain.projection import pca_2d
from ui import cells_ui, diagrams, figures, player, projector, text_ui
from ui.cells_ui import column_latex, fmt

TEXT_KEY, STEP_KEY, MODEL_KEY, A0_KEY, SEED_KEY = "fp_text", "fp_t", "fp_model", "fp_a0", "fp_seed"
SEED_MIN, SEED_MAX = 0, 9_999
ARCHITECTURES_PAGE = "lessons/architecture_shapes.py"
G_LATEX = {"tanh": r"\tanh", "relu": r"\mathrm{relu}", "sigmoid": r"\sigma"}  # the cell's activation g


@dataclass(frozen=True)
class Choice:
    stem: str
    title: str
    command: str  # builds the checkpoint when it is missing
    shape: str  # its architecture in ui.diagrams.SHAPES


# Keyed by what the radio shows, which is also what the URL holds (?fp_model=Star+rating).
MODELS = {
    "Entity tagger": Choice("ner-rnn", "Entity tagger (many-to-many)", "python -m rnncore train ner --arch rnn",
                            "many-to-many-equal"),
    "Star rating": Choice("sentiment-rnn", "Star rating (many-to-one)",
                          "python -m rnncore train sentiment --arch rnn", "many-to-one"),
}


def seed_input() -> tuple[int, bool]:
    # Streamlit 1.67 raises OverflowError seeding an int box from ?fp_seed=inf: bind only a whole number.
    bind = "query-params" if st.query_params.get(SEED_KEY, "0").lstrip("-").isdigit() else None
    if bind is None:
        del st.query_params[SEED_KEY]
    raw = st.number_input("Seed for a⟨0⟩", min_value=SEED_MIN, max_value=SEED_MAX, value=0, step=1, key=SEED_KEY,
                          bind=bind)
    requested = int(raw if raw is not None else 0)
    seed = min(max(requested, SEED_MIN), SEED_MAX)
    return seed, seed != requested


def output_names(run: forward.RNNForward) -> list[str]:
    """What each ŷ box of the diagram says: the most probable label at every step, or the model's one output."""
    names = run.predicted()
    if run.many_to_one:
        names[-1] = run.labels[int(run.output.argmax())]
    return names


def many_to_one_note(run: forward.RNNForward, t: int) -> str:
    """How a many-to-one model's single output relates to the ŷ⟨t⟩ on screen."""
    T_x, best = run.inputs.T_x, int(run.output.argmax())
    verdict = f"{run.labels[best]} ({float(run.output[best]):.3f})"
    if run.pooling == "mean":
        return (f"This model's one output reads the mean of a⟨1⟩..a⟨{T_x}⟩: softmax(W_ya · mean + b_y) gives "
                f"{verdict}. The ŷ⟨{t}⟩ above applies the same output layer to a⟨{t}⟩ alone.")
    if t < T_x:
        return (f"A many-to-one model outputs only ŷ⟨T_x⟩ = ŷ⟨{T_x}⟩ ({verdict}). This ŷ⟨{t}⟩ is what it would "
                f"say if the sentence stopped after x⟨{t}⟩.")
    return f"This ŷ⟨{T_x}⟩ is the model's one output: {verdict}."


def show_unrolled(run: forward.RNNForward, tokens: list[str], a0_kind: str) -> int:
    st.header("The unrolled network", divider="gray")
    if not run.many_to_one:
        shape = "many-to-many, T_y = T_x: a prediction at every step"
    elif run.pooling == "mean":
        shape = "many-to-one: one output, read from the mean of every a⟨t⟩"
    else:
        shape = "many-to-one: only ŷ⟨T_x⟩ is the model's output"
    st.markdown(
        f"The same cell, with the same $W_{{aa}}$, $W_{{ax}}$ and $b_a$, is applied at each of the "
        f"$T_x = {run.inputs.T_x}$ steps of your sentence ({shape}). Move the time step: steps after $t$ are "
        "faint because the forward pass has not reached them yet."
    )
    t = cells_ui.time_step(STEP_KEY, tokens)
    st.html(diagrams.unrolled_rnn_svg(tokens, t, output_names(run), run.many_to_one,
                                      a0_label="zeros" if a0_kind == "zeros" else "random"))
    cells_ui.window_caption(len(tokens), t)
    player.show(player.forward_steps(run, tokens), start=t, label="Forward-pass player")
    if not run.many_to_one:
        st.caption("Each ŷ box names the most probable label of ŷ⟨t⟩ on its own; the entity lesson also repairs "
                   "invalid BIO sequences (an I- tag after O).")
    return t


def show_step(model, run: forward.RNNForward, t: int, tokens: list[str]) -> None:
    steps, inputs = run.steps, run.inputs
    i = t - 1
    st.header(f"Step t = {t}", divider="gray")
    st.markdown(f"The cell reads {cells_ui.step_caption(t, tokens)} and the previous state "
                f"$a^{{\\langle {t - 1} \\rangle}}$" + (" (the initial state $a^{\\langle 0 \\rangle}$)." if t == 1
                                                      else "."))
    g = G_LATEX[steps.activation]
    st.latex(rf"a^{{\langle t \rangle}} = g(W_{{aa}}\, a^{{\langle t-1 \rangle}} + W_{{ax}}\, x^{{\langle t \rangle}} + b_a),"
             rf"\qquad g = {g}")
    st.latex(
        rf"a^{{\langle {t} \rangle}} = {g}\Big(\underset{{W_{{aa}} a^{{\langle {t - 1} \rangle}}}}"
        rf"{{{column_latex(steps.W_aa_a_prev[i])}}} + \underset{{W_{{ax}} x^{{\langle {t} \rangle}}}}"
        rf"{{{column_latex(steps.W_ax_x[i])}}} + \underset{{b_a}}{{{column_latex(steps.b_a)}}}\Big) = "
        rf"{g} {column_latex(steps.z[i])} = {column_latex(run.a[i])}"
    )
    gap = float(steps.stacked_gap()[i])
    left, right = st.columns([3, 1])
    with left:
        st.markdown(r"The notes' simplified form stacks $W_a = [W_{aa} \mid W_{ax}]$ and "
                    r"$[a^{\langle t-1 \rangle}, x^{\langle t \rangle}]$ and does one product:")
        n_a, n_x = run.shapes["n_a"], run.shapes["n_x"]
        st.latex(
            rf"\underset{{({n_a},\ {n_a + n_x})}}{{W_a}}\, [a^{{\langle {t - 1} \rangle}}, x^{{\langle {t} \rangle}}] = "
            rf"{column_latex(steps.stacked[i])} \qquad W_{{aa}} a^{{\langle {t - 1} \rangle}} + "
            rf"W_{{ax}} x^{{\langle {t} \rangle}} = {column_latex(steps.W_aa_a_prev[i] + steps.W_ax_x[i])}"
        )
    right.metric("Largest difference, the two ways", f"{gap:.1e}",
                 help="Both computed in float32 by rnncore; equal up to rounding.")
    show_x(model, run, t)
    show_output(run, t)
    with st.expander(f"Every number at step t = {t} (the shortened vectors in full)"):
        table = pd.DataFrame({
            "unit": range(1, run.shapes["n_a"] + 1),
            "a⟨t-1⟩": steps.a_prev[i].tolist(),
            "W_aa a⟨t-1⟩": steps.W_aa_a_prev[i].tolist(),
            "W_ax x⟨t⟩": steps.W_ax_x[i].tolist(),
            "b_a": steps.b_a.tolist(),
            "sum": steps.z[i].tolist(),
            "a⟨t⟩ = tanh(sum)": run.a[i].tolist(),
            "W_a [a⟨t-1⟩, x⟨t⟩]": steps.stacked[i].tolist(),
        })
        st.dataframe(table, hide_index=True, width="stretch", key="fp_step_table")
        x_table = pd.DataFrame({
            "part": [part.name for part in inputs.parts for _ in range(part.size)],
            "x⟨t⟩": inputs.x[i].tolist(),
        })
        y_table = pd.DataFrame({"label": run.labels, "W_ya a⟨t⟩ + b_y": run.logits[i].tolist(),
                                "ŷ⟨t⟩": run.y_hat[i].tolist()})
        left, right = st.columns(2)
        left.dataframe(x_table, width="stretch", key="fp_x_table")
        right.dataframe(y_table, hide_index=True, width="stretch", key="fp_y_table")


def show_x(model, run: forward.RNNForward, t: int) -> None:
    inputs, i = run.inputs, t - 1
    word_id = int(inputs.ids[i])
    sizes = " + ".join(f"{part.size}" for part in inputs.parts)
    names = ", ".join(part.name for part in inputs.parts)
    unknown = " (`<UNK>`: the model's vocabulary lacks it)" if inputs.unknown[i] else ""
    V = model.E.num_embeddings - 1  # <PAD> has a row but no one-hot column
    st.markdown(
        f"**What $x^{{\\langle {t} \\rangle}}$ is.** The notes' one-hot $x^{{\\langle t \\rangle}}$ times a learned "
        f"matrix $E$: the row $E[\\text{{id}}] = E^\\top\\, \\text{{one-hot}}(\\text{{id}})$, here id {word_id:,} of the "
        f"model's $V = {V:,}$ words{unknown}. "
        + (f"The tagger appends what the word's spelling says, so $x^{{\\langle t \\rangle}} = $ [{names}], "
           f"$n_x = {sizes} = {inputs.n_x}$." if len(inputs.parts) > 1 else f"$n_x = {inputs.n_x}$.")
    )
    E_part = inputs.parts[0]
    E_row = inputs.x[i, E_part.start:E_part.stop]
    by_product = run.E_by_one_hot[i]
    gap = float(run.one_hot_gap()[i])
    st.latex(
        rf"E[{word_id}] = {column_latex(E_row)} \qquad E^\top \text{{one-hot}}({word_id}) = "
        rf"{column_latex(by_product)} \qquad \text{{largest difference}} = {cells_ui.sci(gap)}"
    )


def show_output(run: forward.RNNForward, t: int) -> None:
    i = t - 1
    best = int(run.y_hat[i].argmax())
    label = text_ui.latex_text(run.labels[best])
    st.markdown(r"**The prediction.** $\hat{y}^{\langle t \rangle} = \text{softmax}(W_{ya}\, a^{\langle t \rangle} + b_y)$, "
                f"one probability for each of the $n_y = {run.shapes['n_y']}$ labels.")
    left, right = st.columns([3, 2])
    left.latex(
        rf"\hat{{y}}^{{\langle {t} \rangle}} = \text{{softmax}}{column_latex(run.logits[i])} = "
        rf"{column_latex(run.y_hat[i])}"
    )
    left.latex(rf"\arg\max \hat{{y}}^{{\langle {t} \rangle}} = \text{{{label}}}\ ({fmt(float(run.y_hat[i, best]))})")
    if run.many_to_one:
        left.caption(many_to_one_note(run, t))
    figures.chart(
        cells_ui.probability_bars(run.y_hat[i], run.labels, f"ŷ⟨{t}⟩"),
        f"Horizontal bars: the probability ŷ⟨{t}⟩ gives each of the {len(run.labels)} labels; the most probable in dark blue.",
        key="fp_probs",
        where=right,
    )


def show_shapes(run: forward.RNNForward, t: int) -> None:
    st.header("Shapes and the stored tensors", divider="gray")
    shapes = run.shapes
    for column, name in zip(st.columns(5), ("n_x", "n_a", "n_y", "m", "T_x"), strict=True):
        column.metric(f"${name}$", shapes[name])
    n_x, n_a, n_y = shapes["n_x"], shapes["n_a"], shapes["n_y"]
    st.caption(f"Weights shared by every step: W_aa ({n_a}, {n_a}), W_ax ({n_a}, {n_x}), b_a ({n_a},), "
               f"W_ya ({n_y}, {n_a}), b_y ({n_y},). One sentence, so m = 1.")
    a, y_hat = run.course_layout()
    a_bf, y_hat_bf = run.batch_first()
    st.markdown(
        "The notes' `rnn_forward` stores every $a^{\\langle t \\rangle}$ in one 3-D array of shape "
        "$(n_a, m, T_x)$ and every $\\hat{y}^{\\langle t \\rangle}$ in one of shape $(n_y, m, T_x)$. PyTorch "
        "(batch_first=True, as rnncore) keeps the same numbers as $(m, T_x, n_a)$."
    )
    cols = st.columns(4)
    cols[0].metric("a, the notes' layout $(n_a, m, T_x)$", str(tuple(a.shape)))
    cols[1].metric("ŷ, the notes' layout $(n_y, m, T_x)$", str(tuple(y_hat.shape)))
    cols[2].metric("a, PyTorch $(m, T_x, n_a)$", str(tuple(a_bf.shape)))
    cols[3].metric("ŷ, PyTorch $(m, T_x, n_y)$", str(tuple(y_hat_bf.shape)))
    same = run.layouts_agree(t)
    st.latex(
        rf"\texttt{{a[:, 0, {t - 1}]}} = {column_latex(a[:, 0, t - 1])}\qquad "
        rf"\texttt{{a\_bf[0, {t - 1}, :]}} = {column_latex(a_bf[0, t - 1])}"
    )
    st.caption(("Identical: " if same else "Different (a bug): ") + f"a⟨{t}⟩ is column t − 1 = {t - 1} (counting "
               "from 0) of the notes' array and row t − 1 of PyTorch's; only the axes are ordered differently.")


def show_states(run: forward.RNNForward, t: int, tokens: list[str]) -> None:
    st.header("The hidden states over the sentence", divider="gray")
    st.markdown(
        f"Each column is one $a^{{\\langle t \\rangle}}$ ({run.shapes['n_a']} numbers in $(-1, 1)$, the range of "
        "tanh); the framed column is the current step. Right: the same states projected on their two main axes "
        "of variation (principal components), joined in time order — the path the memory takes through the sentence."
    )
    projection = pca_2d(run.a)
    left, right = st.columns([3, 2])
    figures.chart(
        cells_ui.heatmap(run.a, tokens, t, "a", -1, 1),
        f"Heatmap of the hidden states a⟨t⟩: units down, the {len(tokens)} steps across, values from -1 (blue) to 1 (vermillion); step {t} framed.",
        key="fp_heatmap",
        where=left,
    )
    figures.chart(
        cells_ui.trajectory(projection.coords, tokens, t, projection.explained),
        f"The {len(tokens)} hidden states as a path in their two main principal axes, joined in time order; a⟨{t}⟩ circled.",
        key="fp_trajectory",
        where=right,
    )
    st.caption(f"The two axes hold {sum(projection.explained):.0%} of the states' variance; the rest is lost in "
               "this picture.")


def main() -> None:
    st.title("Forward pass, step by step")
    st.markdown(
        "The notes' picture of the unrolled RNN, computed on your sentence by a real trained vanilla RNN. "
        "Pick a time step and see the vectors that go in and out of the cell at that step."
    )
    model_column, secondary_column = st.columns([2, 2])
    with secondary_column, projector.secondary("Initial state a⟨0⟩ and seed"):
        a0_column, seed_column = st.columns(2)
    with model_column:
        name = st.radio("Model", options=list(MODELS), key=MODEL_KEY, horizontal=True, bind="query-params",
                        captions=[f"{c.stem}, {c.title.split('(')[1].rstrip(')')}" for c in MODELS.values()])
    choice = MODELS.get(name, MODELS["Entity tagger"])
    with a0_column:
        a0_kind = st.radio("Initial state a⟨0⟩", options=["zeros", "random"], key=A0_KEY, horizontal=True,
                           bind="query-params",
                           help="The notes allow both: zeros (as the model was trained) or random values.")
    seed = 0
    if a0_kind == "random":
        with seed_column:
            seed, seed_clamped = seed_input()
        if seed_clamped:
            st.warning(f"The seed is limited to {SEED_MIN}…{SEED_MAX:,}; using {seed:,}.")
    clamped = cells_ui.sentence_tokens(TEXT_KEY, text_ui.NOTES_EXAMPLES)
    cells_ui.link_to_page(ARCHITECTURES_PAGE, f"Where this model sits among the RNN shapes: {choice.title}",
                          ":material/account_tree:", {"shape": diagrams.SHAPE_TITLES[choice.shape]})
    if clamped is None:
        return
    loaded = cells_ui.shipped_model(choice.stem, choice.command)
    if loaded is None:
        return
    model, meta = loaded
    tokens = clamped.tokens
    run = forward.rnn_forward(model, meta, tokens, a0=a0_kind, seed=seed)
    if not run.uses_zero_a0:
        st.caption("With a random a⟨0⟩ the states and predictions differ from the model's usual ones, which start "
                   "from zeros as in training; the difference fades over the steps as new words come in.")
    t = show_unrolled(run, tokens, a0_kind)
    show_step(model, run, t, tokens)
    show_shapes(run, t)
    show_states(run, t, tokens)


main()
