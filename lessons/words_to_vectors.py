"""Lesson 1, "Words to vectors": a sentence becomes x<1>..x<T_x>, vocabulary indices, a one-hot matrix.

Follows the notes' "Notation" and "Representing Words: One-Hot Encoding", then "Can we use a standard
network?". Every number comes from rnncore (rnncore.text for tokens and indices, rnncore.explain.onehot for
memory, parameter counts and the padded batch); this file only lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnncore.explain import onehot as lessons
from rnncore.text import PAD, UNK, course_vocab, tokenize
from ui import figures, onehot_figures, text_ui
from ui.text_ui import latex_text

TEXT_KEY = "w2v_text"  # also the query parameter: ?w2v_text=...
PUNCT_KEY = "w2v_punct"  # ?w2v_punct=false drops punctuation, as the notes count
HIDDEN_MIN, HIDDEN_MAX, HIDDEN_DEFAULT = 1, 1024, 100
MAX_OTHER_EXAMPLES = 5
PLOT_CONFIG = {"displaylogo": False}

vocab = course_vocab()
V = vocab.V


def tex_int(n: int) -> str:
    """An integer with thousands separators for LaTeX (a bare comma there would be a list comma)."""
    return f"{n:,}".replace(",", "{,}")


def show_tokens(tokens: list[str], ids: list[int], T_x_with: int, T_x_without: int, counted: bool) -> None:
    st.header("Tokens and their indices", divider="gray")
    st.markdown(
        r"The sentence is cut into tokens $x^{\langle 1 \rangle}, \dots, x^{\langle T_x \rangle}$; each "
        f"token's index is its position in a vocabulary of $|V| = {tex_int(V)}$ words. A token the vocabulary "
        f"lacks becomes `{UNK}`, index {vocab.unk_id:,}; lookups ignore capital letters."
    )
    first, second = st.columns(2)
    first.metric("$T_x$, punctuation counted", T_x_with, border=counted)
    second.metric("$T_x$, without punctuation (the notes' count)", T_x_without, border=not counted)
    st.caption(f"The rest of this lesson uses $T_x = {len(tokens)}$: switch with the toggle above.")

    shown = list(range(len(tokens))) if len(tokens) <= 3 else [0, 1, None, len(tokens) - 1]
    parts = [
        r"\dots" if t is None else rf"x^{{\langle {t + 1} \rangle}} = \text{{``{latex_text(tokens[t])}''}}"
        for t in shown
    ]
    st.latex(r",\quad ".join(parts) + rf",\qquad T_x = {len(tokens)}")
    st.html(text_ui.token_strip_html(tokens, ids, vocab.unk_id))
    table = pd.DataFrame(
        {
            "t": range(1, len(tokens) + 1),
            "token x⟨t⟩": tokens,
            "index": ids,
            "vocabulary entry": vocab.decode(ids),
            "in vocabulary": [index != vocab.unk_id for index in ids],
        }
    )
    with st.expander("As a table", expanded=False):
        st.dataframe(table, hide_index=True, width="stretch")
    unknown = sum(index == vocab.unk_id for index in ids)
    if unknown:
        st.caption(
            f"{unknown} of {len(tokens)} tokens are not among the {V:,} words and share index "
            f"{vocab.unk_id:,}: the network cannot tell them apart."
        )


def one_hot_vector_latex(t: int, token: str, index: int) -> str:
    """x<t> = one-hot(token) = [0, ..., 1 (at index), ..., 0] in R^V, as the notes write it."""
    one = rf"\underset{{{tex_int(index)}}}{{1}}"
    if index == 1:
        body = rf"{one},\, 0,\, \dots,\, 0"
    elif index == V:
        body = rf"0,\, \dots,\, 0,\, {one}"
    else:
        body = rf"0,\, \dots,\, 0,\, {one},\, 0,\, \dots,\, 0"
    return (
        rf"x^{{\langle {t} \rangle}} = \text{{one-hot}}(\text{{``{latex_text(token)}''}}) = "
        rf"[{body}] \in \mathbb{{R}}^{{{tex_int(V)}}}"
    )


def show_one_hot(tokens: list[str], ids: list[int]) -> None:
    st.header("The one-hot matrix", divider="gray")
    st.markdown(
        rf"Each $x^{{\langle t \rangle}}$ is a vector of length {V:,}: all zeros but a 1 at the token's "
        rf"index. Stacked, the sentence is a $T_x \times V$ matrix, here ${len(tokens)} \times {tex_int(V)}$."
    )
    step = st.selectbox(
        "Time step",
        options=range(1, len(tokens) + 1),
        index=1 if len(tokens) > 1 else 0,
        format_func=lambda t: f"x⟨{t}⟩ = {tokens[t - 1]}",
        key="w2v_step",
    )
    st.latex(one_hot_vector_latex(step, tokens[step - 1], ids[step - 1]))

    zoomed, full = st.tabs(["Columns in use", f"All {V:,} columns"])
    with zoomed:
        st.caption(
            f"Only the {len(set(ids))} columns that hold a 1; the other {V - len(set(ids)):,} columns are "
            "all zeros. Hover a cell for the word and its index."
        )
        figures.chart(
            onehot_figures.zoomed_heatmap(tokens, ids, vocab.tokens),
            "Heatmap of the one-hot matrix cut down to the rows of your words: a single 1 in each word's column.",
            key="w2v_zoomed",
        )
    with full:
        st.caption("Every mark is a 1; everything else in the box is 0.")
        figures.chart(
            onehot_figures.full_width_scatter(tokens, ids, V, vocab.unk_id),
            "Every 1 of the one-hot matrix at its row in the full vocabulary, one mark per word; <UNK> in vermillion.",
            key="w2v_full",
        )

    memory = lessons.one_hot_memory(len(tokens), V)
    cells = st.columns(4)
    cells[0].metric("Dense float32 matrix, bytes", f"{memory.dense_bytes:,}")
    cells[1].metric("Index list (int64), bytes", f"{memory.index_bytes:,}")
    cells[2].metric("Dense / index list", f"{memory.ratio:,.0f}×")
    cells[3].metric("Entries that are zero", f"{memory.sparsity:.2%}")
    st.caption(
        f"{memory.entries:,} entries hold {memory.nonzeros} ones. This is why libraries keep the indices and "
        "look up a column of the weights (an embedding) instead of multiplying by a one-hot matrix."
    )


def hidden_size_input() -> tuple[int, bool]:
    raw = st.number_input(
        "Hidden size $n_a$ (and the width of the fully connected layer)",
        min_value=HIDDEN_MIN,
        max_value=HIDDEN_MAX,
        value=HIDDEN_DEFAULT,
        step=10,
        key="w2v_n_a",
    )
    requested = int(raw if raw is not None else HIDDEN_DEFAULT)
    n_a = min(max(requested, HIDDEN_MIN), HIDDEN_MAX)
    return n_a, n_a != requested


def show_fc_vs_rnn(T_x: int) -> None:
    st.header("Why not a standard network?", divider="gray")
    st.markdown(
        r"A fully connected layer needs one fixed-size input, so the $T_x \times V$ matrix is flattened "
        r"into a single vector of $T_x \cdot V$ numbers. Its weights then belong to positions: what it "
        r"learns about a word at step 2 does not carry over to the same word at step 7. An RNN applies "
        r"the same $W_{aa}$, $W_{ax}$ and $b_a$ at every step: "
        r"$a^{\langle t \rangle} = \tanh(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a)$."
    )
    n_a, clamped = hidden_size_input()
    if clamped:
        st.warning(f"Hidden size is limited to {HIDDEN_MIN}…{HIDDEN_MAX:,}; using n_a = {n_a:,}.")
    comparison = lessons.compare_fc_and_rnn(T_x, V, n_a)
    fc_column, rnn_column = st.columns(2)
    with fc_column:
        st.subheader("Fully connected on the flattened sentence")
        st.latex(
            rf"\begin{{gathered}} W: (n_a,\ T_x V) = ({tex_int(n_a)},\ {T_x} \cdot {tex_int(V)}) \\ "
            rf"b: ({tex_int(n_a)},) \end{{gathered}}"
        )
        st.metric("FC parameters", f"{comparison.fc:,}")
        st.metric(
            f"FC parameters for $T_x = {T_x + 1}$ (one word longer)",
            f"{comparison.fc_one_word_longer:,}",
            delta=f"+{comparison.fc_growth_per_word:,}",
            delta_color="inverse",
        )
    with rnn_column:
        st.subheader("RNN, weights shared by every step")
        a, v = tex_int(n_a), tex_int(V)
        st.latex(
            rf"\begin{{gathered}} W_{{aa}}: ({a}, {a}),\quad W_{{ax}}: ({a}, {v}) \\ b_a: ({a},) \end{{gathered}}"
        )
        st.metric("RNN parameters ($W_{aa} + W_{ax} + b_a$)", f"{comparison.rnn_total:,}")
        st.metric(
            f"RNN parameters for $T_x = {T_x + 1}$",
            f"{comparison.rnn_total:,}",
            delta="+0",
            delta_color="off",
            delta_arrow="off",
        )
        names = {"W_aa": "W_{aa}", "W_ax": "W_{ax}", "b_a": "b_a"}
        parts = ", ".join(f"${names[name]}$: {count:,}" for name, count in comparison.rnn.items())
        st.caption(
            f"{parts}. PyTorch's `torch.nn.RNN` keeps two bias vectors, so it reports "
            f"{comparison.torch_rnn_total:,} for the same cell."
        )
    st.markdown(
        f"One more word gives the fully connected layer {comparison.fc_growth_per_word:,} new weights "
        f"($V \\cdot n_a$), and they are a different layer: the one trained on {T_x}-word sentences "
        "cannot read the longer one at all. The RNN reads it with the same weights, one more step."
    )


def show_dataset(text: str, tokens: list[str], counted: bool) -> None:
    st.header("A data set: m sentences in one batch", divider="gray")
    st.markdown(
        r"Example $i$ is one sentence $X^{(i)}$ with its own length $T_x^{(i)}$; its word $t$ is "
        r"$X^{(i)\langle t \rangle}$. To train on $m$ sentences at once, the shorter ones are padded with "
        rf"`{PAD}` (index 0, an all-zero one-hot row) up to $T_x = \max_i T_x^{{(i)}}$."
    )
    others = [example for example in text_ui.NOTES_EXAMPLES if example != text]
    chosen = st.multiselect(
        "Other examples in the batch (your sentence is i = 1)",
        options=others,
        default=others[:2],
        max_selections=MAX_OTHER_EXAMPLES,
        key="w2v_batch",
    )[:MAX_OTHER_EXAMPLES]
    sentences = [text, *chosen]
    token_lists = [tokens] + [
        (tokenize(s) if counted else lessons.drop_punctuation(tokenize(s))) for s in chosen
    ]
    batch = lessons.pad_batch([vocab.encode(toks) for toks in token_lists])
    lengths = ",\\quad ".join(rf"T_x^{{({i})}} = {n}" for i, n in enumerate(batch.lengths, start=1))
    st.latex(rf"m = {batch.m},\quad {lengths},\quad T_x = {batch.T_x}")

    examples = pd.DataFrame({"i": range(1, batch.m + 1), "sentence X^(i)": sentences, "T_x^(i)": batch.lengths})
    st.dataframe(examples, hide_index=True, width="stretch")  # user text: a table cell, never markdown
    steps = [f"⟨{t}⟩" for t in range(1, batch.T_x + 1)]
    padded_tokens = [toks + [PAD] * (batch.T_x - len(toks)) for toks in token_lists]
    rows = [f"X^({i})" for i in range(1, batch.m + 1)]
    token_tab, index_tab = st.tabs(["Tokens", "Indices"])
    token_tab.dataframe(pd.DataFrame(padded_tokens, index=rows, columns=steps), width="stretch")
    index_tab.dataframe(pd.DataFrame(batch.ids.tolist(), index=rows, columns=steps), width="stretch")
    st.caption(f"{batch.padded_steps} of {batch.m * batch.T_x} positions are {PAD}.")

    i = 2 if batch.m > 1 else 1
    example = token_lists[i - 1][0]
    st.latex(
        rf"X^{{({i})\langle 1 \rangle}} = \text{{``{latex_text(example)}''}} \;\to\; "
        rf"\text{{index }} {tex_int(batch.ids[i - 1, 0].item())}"
    )
    course, torch_layout = st.columns(2)
    n_x, m, T_x = batch.course_shape(V)
    course.metric("The notes' layout $(n_x, m, T_x)$", f"({n_x:,}, {m}, {T_x})")
    b_m, b_T_x, b_n_x = batch.batch_first_shape(V)
    torch_layout.metric("PyTorch batch-first $(m, T_x, n_x)$", f"({b_m}, {b_T_x}, {b_n_x:,})")
    st.caption(
        "Same numbers, axes in another order: x[:, i, t] in the notes is x[i, t, :] in PyTorch "
        "(batch_first=True). The notes keep one example per column, as in the course's matrix algebra."
    )


def show_download(tokens: list[str], ids: list[int]) -> None:
    st.header("Take the matrix with you", divider="gray")
    used_csv = lessons.one_hot_csv(tokens, ids, vocab.tokens)
    left, right = st.columns(2)
    left.download_button(
        "CSV, columns in use",
        data=used_csv,
        file_name="one-hot-columns-in-use.csv",
        mime="text/csv",
        icon=":material/download:",
        key="w2v_csv_used",
    )
    right.download_button(
        f"CSV, all {V:,} columns",
        data=lambda: lessons.one_hot_csv(tokens, ids, vocab.tokens, used_only=False),
        file_name="one-hot-all-columns.csv",
        mime="text/csv",
        icon=":material/download:",
        key="w2v_csv_full",
        help=f"{len(tokens)} rows × {V:,} columns; built when you click.",
    )
    with st.expander("Preview: columns in use"):
        st.code(used_csv, language=None)


def main() -> None:
    st.title("Words to vectors")
    st.markdown(
        "A network reads numbers, not words. Type a sentence (or take one of the notes' examples) and "
        "follow it from text to tokens, to vocabulary indices, to the one-hot matrix an RNN reads."
    )
    sentence = text_ui.sentence_input(TEXT_KEY)
    counted = st.toggle("Count punctuation as tokens", value=True, key=PUNCT_KEY, bind="query-params")
    if not sentence.text:
        st.info("Type a sentence above, or click one of the examples.", icon=":material/edit:")
        return
    all_tokens = tokenize(sentence.text)
    without_punctuation = lessons.drop_punctuation(all_tokens)
    tokens = all_tokens if counted else without_punctuation
    if not tokens:
        st.info("Only punctuation is left once punctuation is dropped: switch the toggle on, or add words.")
        return
    ids = vocab.encode(tokens)
    show_tokens(tokens, ids, len(all_tokens), len(without_punctuation), counted)
    show_one_hot(tokens, ids)
    show_fc_vs_rnn(len(tokens))
    show_dataset(sentence.text, tokens, counted)
    show_download(tokens, ids)


main()
