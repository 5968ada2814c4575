"""Lesson "Bidirectional RNN": the forward and backward states of a trained BRNN tagger on the visitor's
sentence, and how much each direction contributes to the tag at each step.

Follows the notes' "Limitation of classical RNNs" and "Bidirectional RNN": the forward states are
computed 1 -> T_x, the backward ones T_x -> 1, and y_hat<t> = g(W_y [a_fwd<t>, a_bwd<t>] + b_y). Every
number comes from rnncore.explain.bidirectional on the shipped "ner-birnn"; this file only lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnncore.explain import bidirectional
from rnncore.tasks.ner import inference as ner_inference
from ui import cells_ui, diagrams, figures, models_ui, player, text_ui
from ui.cells_ui import column_latex, fmt, signed_sum

TEXT_KEY, STEP_KEY = "bi_text", "bi_t"
STEM, COMMAND = "ner-birnn", "python -m rnncore train ner --arch birnn"
ONE_WAY_STEM = "ner-rnn"
ARCHITECTURES_PAGE = "lessons/architecture_shapes.py"
# The notes' example of why one direction is not enough: "Apple" is decided by the word after it.
APPLE = "He met with Apple representatives today."
EXAMPLES = [APPLE] + [e for e in text_ui.NOTES_EXAMPLES if e != APPLE]


def show_directions(run: bidirectional.BidirectionalForward, tokens: list[str], tags: list[str]) -> int:
    st.header("Two passes over the sentence", divider="gray")
    T_x = run.inputs.T_x
    st.markdown(
        rf"The forward cells compute $\overrightarrow{{a}}^{{\langle 1 \rangle}}$ first, then "
        rf"$\overrightarrow{{a}}^{{\langle 2 \rangle}}$, up to $\overrightarrow{{a}}^{{\langle {T_x} \rangle}}$. "
        rf"The backward cells start at the other end: $\overleftarrow{{a}}^{{\langle {T_x} \rangle}}$ is computed first, "
        r"then the step before it, down to $\overleftarrow{a}^{\langle 1 \rangle}$. The number in each cell is its place "
        r"in that order, as in the notes. Only then is every $\hat{y}^{\langle t \rangle}$ computed, from both."
    )
    t = cells_ui.time_step(STEP_KEY, tokens)
    st.html(diagrams.bidirectional_svg(tokens, t, tags))
    cells_ui.window_caption(T_x, t)
    player.show(player.bidirectional_steps(run, tokens, tags), start=t, label="Bidirectional player")
    return t


def show_step(run: bidirectional.BidirectionalForward, t: int, tokens: list[str], tags: list[str]) -> None:
    i, T_x = t - 1, run.inputs.T_x
    k = run.chosen[i]
    tag = tags[i]
    st.header(f"Step t = {t}: the tag of “{tokens[i]}”", divider="gray")
    fwd, bwd = run.fwd, run.bwd
    st.latex(
        rf"\overrightarrow{{a}}^{{\langle {t} \rangle}} = \tanh(\overrightarrow{{W}}_{{aa}} "
        rf"\overrightarrow{{a}}^{{\langle {t - 1} \rangle}} + \overrightarrow{{W}}_{{ax}} x^{{\langle {t} \rangle}} + "
        rf"\overrightarrow{{b}}_a) = {column_latex(fwd.a[i])}\quad \text{{computed {ordinal(fwd.order[i])} of {T_x}}}"
    )
    st.latex(
        rf"\overleftarrow{{a}}^{{\langle {t} \rangle}} = \tanh(\overleftarrow{{W}}_{{aa}} "
        rf"\overleftarrow{{a}}^{{\langle {t + 1} \rangle}} + \overleftarrow{{W}}_{{ax}} x^{{\langle {t} \rangle}} + "
        rf"\overleftarrow{{b}}_a) = {column_latex(bwd.a[i])}\quad \text{{computed {ordinal(bwd.order[i])} of {T_x}}}"
    )
    if t == T_x:
        st.caption(f"The backward pass starts here: its previous state a⟨{T_x + 1}⟩ is the initial zeros.")
    st.markdown(
        r"The output layer reads both halves: $W_y = [\overrightarrow{W}_y \mid \overleftarrow{W}_y]$, so each logit "
        r"is a forward term plus a backward term plus the bias."
    )
    f, b, bias = (float(part[i]) for part in run.chosen_parts())
    label = text_ui.latex_text(tag)
    terms = signed_sum([f, b, bias], [r"\text{forward}", r"\text{backward}", "b_y"])
    st.latex(
        rf"\hat{{y}}^{{\langle {t} \rangle}} = \text{{softmax}}(\overrightarrow{{W}}_y \overrightarrow{{a}}^{{\langle {t} "
        rf"\rangle}} + \overleftarrow{{W}}_y \overleftarrow{{a}}^{{\langle {t} \rangle}} + b_y),\qquad "
        rf"z_{{\text{{{label}}}}} = {terms}"
        rf" = {fmt(float(run.logits[i, k]))}"
    )
    share = float(run.forward_share()[i])
    cols = st.columns(4)
    cols[0].metric("Tag", tag)
    cols[1].metric("Forward term", fmt(f))
    cols[2].metric("Backward term", fmt(b))
    cols[3].metric("Forward share of |terms|", f"{share:.0%}")
    runner_up = run.runner_up()[i]
    mf, mb, mbias = (float(part[i]) for part in run.margin_parts())
    st.markdown(
        f"Softmax only sees differences between logits. Against the runner-up `{run.labels[runner_up]}`, "
        f"{tag} leads by {fmt(mf + mb + mbias)}: the forward half gives {fmt(mf, 2)}, the backward half "
        f"{fmt(mb, 2)} and the bias {fmt(mbias, 2)}."
        + (f" Only the backward half has read x⟨{t + 1}⟩..x⟨{T_x}⟩." if t < T_x else "")
    )
    table = pd.DataFrame({
        "tag": run.labels,
        "forward term": run.from_fwd[i].tolist(),
        "backward term": run.from_bwd[i].tolist(),
        "b_y": run.b_y.tolist(),
        "logit": run.logits[i].tolist(),
        "ŷ⟨t⟩": run.y_hat[i].tolist(),
    })
    st.dataframe(table, hide_index=True, width="stretch", key="bi_terms")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def show_contributions(run: bidirectional.BidirectionalForward, t: int, tokens: list[str], tags: list[str]) -> None:
    st.header("Each direction's share, word by word", divider="gray")
    f, b, _ = run.chosen_parts()
    st.markdown("For the tag chosen at each step, the forward term and the backward term of its logit.")
    figures.chart(
        cells_ui.contribution_bars(f.tolist(), b.tolist(), tokens, tags, t),
        f"Grouped bars, one pair per word: the forward and the backward term in the logit of the tag chosen at each step; step {t} framed.",
        key="bi_contributions",
    )
    left, right = st.columns(2)
    with left:
        st.markdown(r"**Forward states** $\overrightarrow{a}^{\langle t \rangle}$")
        figures.chart(
            cells_ui.heatmap(run.fwd.a, tokens, t, "a_fwd", -1, 1, height=280),
            f"Heatmap of the forward states a_fwd⟨t⟩: units down, the {len(tokens)} steps across, values from -1 (blue) to 1 (vermillion); step {t} framed.",
            key="bi_fwd_heatmap",
        )
    with right:
        st.markdown(r"**Backward states** $\overleftarrow{a}^{\langle t \rangle}$")
        figures.chart(
            cells_ui.heatmap(run.bwd.a, tokens, t, "a_bwd", -1, 1, height=280),
            f"Heatmap of the backward states a_bwd⟨t⟩: units down, the {len(tokens)} steps across, values from -1 (blue) to 1 (vermillion); step {t} framed.",
            key="bi_bwd_heatmap",
        )


def show_one_way(tokens: list[str], tags: list[str]) -> None:
    """The left-to-right RNN's tags beside the BRNN's, when that model is shipped."""
    if not models_ui.is_shipped(ONE_WAY_STEM):
        return
    model, meta = cells_ui.shipped_model(ONE_WAY_STEM, "")
    one_way, _, _ = ner_inference.tag_tokens(model, meta, [tokens])[0]
    st.header("Against one direction", divider="gray")
    st.markdown("The same task, tagged by the vanilla RNN that reads left to right only (`ner-rnn`): at each word "
                "it has seen the words before, never the ones after.")
    st.dataframe(pd.DataFrame({"x⟨t⟩": tokens, "left to right (ner-rnn)": one_way, "both ways (ner-birnn)": tags},
                              index=range(1, len(tokens) + 1)), width="stretch", key="bi_one_way")
    differ = sum(a != b for a, b in zip(one_way, tags, strict=True))
    st.caption(f"The two models disagree on {differ} of {len(tokens)} tokens.")


def main() -> None:
    st.title("Bidirectional RNN")
    st.markdown(
        "A left-to-right RNN tags each word from the words before it. In “He met with Apple representatives "
        "today.” it reaches “Apple” before it has read “representatives”. A bidirectional RNN reads the sentence "
        "both ways with two RNN cells and tags every word with the whole sentence in view."
    )
    cells_ui.link_to_page(ARCHITECTURES_PAGE, "Where this model sits among the RNN shapes",
                          ":material/account_tree:", {"shape": diagrams.SHAPE_TITLES["many-to-many-equal"]})
    clamped = cells_ui.sentence_tokens(TEXT_KEY, EXAMPLES)
    if clamped is None:
        return
    loaded = cells_ui.shipped_model(STEM, COMMAND)
    if loaded is None:
        return
    model, meta = loaded
    tokens = clamped.tokens
    run = bidirectional.bidirectional_forward(model, meta, tokens)
    tags = [run.labels[k] for k in run.chosen]
    st.caption("Tags are the most probable valid BIO sequence, as on the entity lesson; "
               "ŷ⟨t⟩ holds every tag's probability.")
    t = show_directions(run, tokens, tags)
    show_step(run, t, tokens, tags)
    show_contributions(run, t, tokens, tags)
    show_one_way(tokens, tags)


main()
