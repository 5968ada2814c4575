"""Lesson "GRU and LSTM gates": every gate of a trained GRU or LSTM on the visitor's sentence.

Follows the notes' "Gated Recurrent Unit" (full GRU) and "Long Short Term Memory" sections: Gamma_u and
Gamma_r, or Gamma_u, Gamma_f and Gamma_o, c_tilde<t> and c<t> as heatmaps over the tokens, and the cell at
one step with its values. Every number comes from rnncore.explain.gates on a shipped model; this file only
lays them out.
"""

from __future__ import annotations

import streamlit as st

from rnncore.explain import gates
from ui import cells_ui, diagrams, figures, palette, player, tables, text_ui
from ui.cells_ui import column_latex

TEXT_KEY, STEP_KEY, ARCH_KEY, TASK_KEY = "gt_text", "gt_t", "gt_arch", "gt_task"
ARCHITECTURES_PAGE = "lessons/architecture_shapes.py"
# Keyed by what the radios show, which is also what the URL holds (?gt_arch=GRU&gt_task=Entity+tagger).
ARCHS = {"LSTM": "lstm", "GRU": "gru"}
TASKS = {"Star rating": "sentiment", "Entity tagger": "ner"}
SHAPE_OF_TASK = {"sentiment": "many-to-one", "ner": "many-to-many-equal"}
# The review the notes use first here: the forget and update gates have work to do at "didn't".
EXAMPLES = [text_ui.NOTES_EXAMPLES[3]] + [e for e in text_ui.NOTES_EXAMPLES if e != text_ui.NOTES_EXAMPLES[3]]

MEANING = {
    "G_u": "update gate: how much of the candidate c̃⟨t⟩ is written into the memory c⟨t⟩ (1 = write it all)",
    "G_r": "relevance (reset) gate: how much of c⟨t-1⟩ the candidate c̃⟨t⟩ gets to see",
    "G_f": "forget gate: how much of c⟨t-1⟩ is kept in c⟨t⟩ (1 = keep it all)",
    "G_o": "output gate: how much of tanh(c⟨t⟩) is shown as the hidden state a⟨t⟩",
    "c_tilde": "the candidate memory, in (−1, 1)",
    "c": "the memory cell",
    "a": "the hidden state, which the output layer reads",
}
TITLES = {"G_u": "Γu", "G_r": "Γr", "G_f": "Γf", "G_o": "Γo", "c_tilde": "c̃⟨t⟩", "c": "c⟨t⟩", "a": "a⟨t⟩"}

EQUATIONS = {
    "gru": [
        ("c_tilde", r"\tilde{c}^{\langle t \rangle} = \tanh(W_c [\Gamma_r * c^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_c)"),
        ("G_u", r"\Gamma_u = \sigma(W_u [c^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_u)"),
        ("G_r", r"\Gamma_r = \sigma(W_r [c^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_r)"),
        ("c", r"c^{\langle t \rangle} = \Gamma_u * \tilde{c}^{\langle t \rangle} + (1 - \Gamma_u) * c^{\langle t-1 \rangle}"),
    ],
    "lstm": [
        ("c_tilde", r"\tilde{c}^{\langle t \rangle} = \tanh(W_c [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_c)"),
        ("G_u", r"\Gamma_u = \sigma(W_u [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_u)"),
        ("G_f", r"\Gamma_f = \sigma(W_f [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_f)"),
        ("G_o", r"\Gamma_o = \sigma(W_o [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_o)"),
        ("c", r"c^{\langle t \rangle} = \Gamma_u * \tilde{c}^{\langle t \rangle} + \Gamma_f * c^{\langle t-1 \rangle}"),
        ("a", r"a^{\langle t \rangle} = \Gamma_o * \tanh(c^{\langle t \rangle})"),
    ],
}


def quantities(trace: gates.GateTrace) -> list[str]:
    """What the heatmaps show, in the notes' order: the gates, then c̃, c (and a for the LSTM)."""
    return [*trace.gates, "c_tilde", "c"] + (["a"] if trace.arch == "lstm" else [])


def show_heatmaps(trace: gates.GateTrace, t: int, tokens: list[str]) -> None:
    st.header("The gates over your sentence", divider="gray")
    st.markdown(
        "One column per token, one row per unit of the cell (the model's $n_a = "
        f"{trace.values['c'].shape[1]}$). Gates are sigmoids, in $(0, 1)$: dark blue is open (near 1), white is "
        "closed (near 0). The framed column is the step picked below."
    )
    names = quantities(trace)
    for tab, name in zip(st.tabs([TITLES[name] for name in names]), names, strict=True):
        with tab:
            st.caption(f"{TITLES[name]}: {MEANING[name]}.")
            is_gate = name.startswith("G_")
            values = trace.values[name]
            extent = 1.0 if name != "c" else max(1.0, float(values.abs().max()))
            figure = cells_ui.heatmap(values, tokens, t, TITLES[name], 0 if is_gate else -extent, extent,
                                      palette.SEQUENTIAL if is_gate else palette.DIVERGING)
            figures.chart(
                figure,
                f"Heatmap of {TITLES[name]} over the sentence: units down, the {len(tokens)} steps across; step {t} framed.",
                key=f"gt_heatmap_{name}",
            )
    means = trace.gate_means()
    steps = list(range(1, len(tokens) + 1))
    lines = [
        dict(type="scatter", x=steps, y=means[name].tolist(), mode="lines+markers", name=TITLES[name],
             line=dict(color=colour))
        for name, colour in zip(trace.gates, palette.SERIES, strict=False)
    ]
    figure = figures.from_spec(lines, dict(
        shapes=[figures.vertical_rule(t, dash=None, colour=palette.HIGHLIGHT, width=2)],
        height=300, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=1.1),
        xaxis=dict(tickmode="array", tickvals=steps, ticktext=cells_ui.step_labels(tokens)),
        yaxis=dict(range=[0, 1], title=dict(text="mean over the units")),
    ))
    st.markdown("**Each gate's mean over the units, step by step.**")
    figures.chart(
        figure,
        f"Lines: each gate's mean over the units at every step of the sentence; step {t} marked by a vertical line.",
        key="gt_means",
    )


def tex_at(name: str, t: int) -> str:
    """The notes' symbol of a value at step t: \\tilde{c}^{<3>}, \\Gamma_u, ..."""
    if name == "c_tilde":
        return rf"\tilde{{c}}^{{\langle {t} \rangle}}"
    return {"G_u": r"\Gamma_u", "G_r": r"\Gamma_r", "G_f": r"\Gamma_f", "G_o": r"\Gamma_o"}.get(
        name, rf"{name}^{{\langle {t} \rangle}}")


def show_cell(trace: gates.GateTrace, t: int, tokens: list[str]) -> None:
    st.header(f"The {trace.arch.upper()} cell at step t = {t}", divider="gray")
    step = trace.at(t)
    st.markdown(f"The cell reads {cells_ui.step_caption(t, tokens)}" + (" and the initial zeros." if t == 1 else
                f" and the state after x⟨{t - 1}⟩. Each box shows its vector, one mark per unit."))
    node_values = {name: value.tolist() for name, value in step.items()}
    st.html(diagrams.cell_svg(trace.arch, t, node_values))
    player.show(player.gate_steps(trace, tokens), start=t, label=f"{trace.arch.upper()} cell player")
    prev = "c" if trace.arch == "gru" else "a"
    equations, values = st.columns([1, 1])
    equations.latex(r"\begin{aligned}" + r" \\ ".join(
        equation.replace(" = ", " &= ", 1) for _, equation in EQUATIONS[trace.arch]) + r"\end{aligned}")
    first = [name for name, _ in EQUATIONS[trace.arch] if name not in ("c", "a")]
    values.latex(r",\ ".join(rf"\underset{{{tex_at(name, t)}}}{{{column_latex(step[name])}}}" for name in first))
    if trace.arch == "gru":
        st.latex(
            rf"c^{{\langle {t} \rangle}} = {column_latex(step['G_u'])} * {column_latex(step['c_tilde'])} + "
            rf"{column_latex(step['keep'])} * \underset{{c^{{\langle {t - 1} \rangle}}}}{{{column_latex(step['c_prev'])}}}"
            rf" = {column_latex(step['c'])}"
        )
    else:
        st.latex(
            rf"c^{{\langle {t} \rangle}} = {column_latex(step['G_u'])} * {column_latex(step['c_tilde'])} + "
            rf"{column_latex(step['G_f'])} * \underset{{c^{{\langle {t - 1} \rangle}}}}{{{column_latex(step['c_prev'])}}}"
            rf" = {column_latex(step['c'])}"
        )
        st.latex(rf"a^{{\langle {t} \rangle}} = {column_latex(step['G_o'])} * \tanh {column_latex(step['c'])} = "
                 rf"{column_latex(step['a'])}")
    st.caption(f"Here * multiplies element by element; the brackets [{prev}⟨t-1⟩, x⟨t⟩] stack the previous state "
               f"({trace.values['c'].shape[1]} numbers) on x⟨t⟩ ({trace.inputs.n_x} numbers).")
    i = t - 1
    best = int(trace.y_hat[i].argmax())
    if not trace.many_to_one:
        what = "the tag at this step"
    elif trace.pooling == "mean":
        what = "the output layer on this step's state alone; the model rates the mean of all a⟨t⟩"
    elif t == trace.inputs.T_x:
        what = "the model's one output"
    else:
        what = f"what the model would output if the sentence stopped after x⟨{t}⟩"
    st.markdown(f"**ŷ⟨{t}⟩ = softmax(W_ya a⟨{t}⟩ + b_y)** ({what}): most probable label "
                f"`{trace.labels[best]}` ({float(trace.y_hat[i, best]):.3f}).")
    if trace.many_to_one:
        k = int(trace.output.argmax())
        st.caption(f"The model's rating of the whole sentence: {trace.labels[k]} ({float(trace.output[k]):.3f}).")
    with st.expander(f"Every number at step t = {t}"):
        columns = {"unit": range(1, trace.values["c"].shape[1] + 1), "c⟨t-1⟩": step["c_prev"].tolist()}
        if trace.arch == "lstm":
            columns["a⟨t-1⟩"] = step["a_prev"].tolist()
        for name in quantities(trace):
            columns[TITLES[name]] = step[name].tolist()
        st.dataframe(tables.columns(columns), hide_index=True, width="stretch", key="gt_step_table")


def show_torch_note(model, meta: dict, trace: gates.GateTrace, tokens: list[str]) -> None:
    if trace.arch == "gru":
        comparison = gates.compare_with_torch_gru(model, meta, tokens)
        st.info(
            "**This is the course's GRU, not `torch.nn.GRU`.** The notes reset first and then multiply: "
            "c̃⟨t⟩ = tanh(W_c [Γr * c⟨t-1⟩, x⟨t⟩] + b_c). PyTorch multiplies first and resets after, "
            "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), and its update gate z keeps the old state, "
            "h⟨t⟩ = (1 − z) * n + z * h⟨t-1⟩, so z plays the course's 1 − Γu. Copy this cell's weights into "
            "`torch.nn.GRU` as closely as they go (r ← Γr, z ← 1 − Γu, n ← c̃) and it still computes another "
            f"function: on your sentence its hidden states differ from the ones above by up to "
            f"**{comparison.max_difference:.3f}**.",
            icon=":material/compare_arrows:",
        )
    else:
        st.caption(
            "torch.nn.LSTM computes this same function: its gates i, f, g, o are the notes' Γu, Γf, c̃ and Γo "
            "(rnncore.cells.LSTMCell.from_torch copies its weights exactly)."
        )


def main() -> None:
    st.title("GRU and LSTM gates")
    st.markdown(
        "A gated cell decides at every step how much to forget, how much to write and how much to show. "
        "Here are those decisions, made by a trained model on your sentence."
    )
    arch_column, task_column = st.columns(2)
    with arch_column:
        arch_name = st.radio("Cell", options=list(ARCHS), key=ARCH_KEY, horizontal=True, bind="query-params",
                             captions=["as the notes and torch.nn.LSTM", "the course's full GRU"])
    with task_column:
        task_name = st.radio("Model", options=list(TASKS), key=TASK_KEY, horizontal=True, bind="query-params",
                             captions=["many-to-one", "many-to-many"])
    arch, task = ARCHS.get(arch_name, "lstm"), TASKS.get(task_name, "sentiment")
    shape = diagrams.SHAPE_TITLES[SHAPE_OF_TASK[task]]
    cells_ui.link_to_page(ARCHITECTURES_PAGE, f"Where this model sits among the RNN shapes: {shape}",
                          ":material/account_tree:", {"shape": shape})
    clamped = cells_ui.sentence_tokens(TEXT_KEY, EXAMPLES)
    if clamped is None:
        return
    stem = f"{task}-{arch}"
    loaded = cells_ui.shipped_model(stem, f"python -m rnncore train {task} --arch {arch}")
    if loaded is None:
        return
    model, meta = loaded
    tokens = clamped.tokens
    trace = gates.gate_trace(model, meta, tokens)
    st.subheader("Pick a time step")
    t = cells_ui.time_step(STEP_KEY, tokens)
    show_heatmaps(trace, t, tokens)
    show_cell(trace, t, tokens)
    show_torch_note(model, meta, trace, tokens)


main()
