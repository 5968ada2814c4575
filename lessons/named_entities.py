"""Lesson "Named entities": many-to-many with T_x = T_y, one tag per word, and why a BRNN helps.

Follows the notes' entity-tagging example ("Yesterday, Tom met Eliza in Paris."), their binary
y<t> (1 = part of a name), "Limitation of classical RNNs" ("He met with Apple representatives
today.", "Teddy bear is on sale") and "Bidirectional RNN". Tags come from rnncore.tasks.ner.inference; the
left-to-right view and the y<t> columns from rnncore.explain.entities; this file lays them out.
"""

from __future__ import annotations

import math

import streamlit as st

from rnncore import checkpoint
from rnncore.explain import entities
from rnncore.explain.entities import ENTITY_TYPES
from rnncore.models import ARCH_NAMES, ARCHS
from rnncore.tasks.ner import inference as ner_inference
from rnncore.text import tokenize
from ui import figures, guess, models_ui, ner_ui, tables
from ui.models_ui import Preset, md_escape

TASK = "ner"
TEXT_KEY = "ner_text"  # query parameters: ?ner_text=...&ner_arch=lstm
ARCH_KEY = "ner_arch"
TEXT_LIMIT = 300
PLOT_CONFIG = {"displaylogo": False}
TEDDY_PAIR = ("Teddy bear is on sale.", "Teddy Roosevelt was a great president.")
BASELINE = "Most frequent tag"
HELD_OUT_COLUMNS = [  # (heading, metrics key, score)
    ("news F1", "news/test", "entity_f1"), ("web F1", "web/test", "entity_f1"),
    ("social F1", "social/test", "entity_f1"), ("classroom F1", "classroom", "entity_f1"),
    ("classroom name F1 (y⟨t⟩)", "classroom", "name_detection_f1"),
]
PRESETS = [
    Preset("Yesterday, Tom met Eliza in Paris.", "The notes' entity-tagging example"),
    Preset("Sherlock Holmes and John Watson lived at 221B Baker Street in London.", "The notes' running example"),
    Preset("He met with Apple representatives today.", "Only a later word says that Apple is a company"),
    Preset(TEDDY_PAIR[0], "The notes: here Teddy is not a name…"),
    Preset(TEDDY_PAIR[1], "…and here it is; the first word alone cannot tell"),
]


def types_of(labels: list[str]) -> list[str]:
    """The entity types of a tagger's BIO labels, in the labels' order."""
    return list(dict.fromkeys(label[2:] for label in labels if label != "O"))


def show_entities(arch: str, tokens: list[str], result: ner_ui.Tagged) -> None:
    labels, meta = result.labels, result.meta
    found = entities.entities(tokens, labels)
    st.header("Entities in your sentence", divider="gray")
    st.html(ner_ui.highlighted_html(tokens, labels))
    st.html(ner_ui.legend_html(meta["labels"]))
    cells = st.columns(3)
    cells[0].metric("$T_x$ (tokens read)", len(tokens))
    cells[1].metric("$T_y$ (tags written)", len(labels))
    cells[2].metric("Entities found", len(found))
    if found:
        st.caption(
            " · ".join(f"{md_escape(entity.text)} → {ENTITY_TYPES[entity.type]}" for entity in found)
            + f" ({ARCH_NAMES[arch]} tagger)."
        )

    st.subheader("Token by token")
    st.markdown(
        r"One output per input, $T_y = T_x$: at every step the tagger writes $\hat{y}^{\langle t \rangle}$, "
        "a probability for each of the tags. `B-` begins a name and `I-` continues it; "
        + ", ".join(f"{kind} {ENTITY_TYPES[kind].lower()}" for kind in types_of(meta["labels"]))
        + ". Other names (the corpora's MISC: nationalities, events, titles) are tagged O. The notes' binary "
        r"$y^{\langle t \rangle}$ is 1 for every token inside a name and 0 otherwise."
    )
    table = tables.columns(
        {
            "t": range(1, len(tokens) + 1),
            "x⟨t⟩": tokens,
            "tag": labels,
            "P(tag)": result.chosen_probs,
            "y⟨t⟩ (1 = part of a name)": entities.name_flags(labels),
            "P(y⟨t⟩ = 1)": entities.name_probability(result.probs, meta["labels"]),
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "P(tag)": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
            "P(y⟨t⟩ = 1)": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
        },
    )
    with st.expander("Every tag's probability at every step"):
        figures.chart(
            ner_ui.tag_probability_heatmap(tokens, result.probs.tolist(), meta["labels"], labels),
            "Heatmap of every tag's probability (down) at every word (across); the tag the page shows outlined.",
            key="ner_heatmap",
        )
        st.caption(
            "Outlined: the tag the page shows. Tags are chosen for the whole sentence at once, so that a "
            "name never continues (I-) without having begun (B-); that choice can differ from the most "
            "probable tag of a single step."
        )


def show_architectures(archs: list[str], tokens: list[str], results: dict[str, ner_ui.Tagged]) -> None:
    st.header("Four architectures, one sentence", divider="gray")
    st.markdown(
        "The same sentence through each shipped tagger: a plain RNN, a GRU and an LSTM that read left to "
        "right, and a BRNN that reads in both directions. Each was trained on the same mix of real news, web "
        "and social-media text and generated classroom sentences, and scored on sentences it never saw."
    )
    for column, arch in zip(st.columns(len(archs)), archs, strict=True):
        with column.container(border=True):
            st.markdown(f"**{ARCH_NAMES[arch]}**")
            st.html(ner_ui.highlighted_html(tokens, results[arch].labels))
    tags = {"t": range(1, len(tokens) + 1), "x⟨t⟩": tokens} | {ARCH_NAMES[arch]: results[arch].labels for arch in archs}
    st.dataframe(tables.columns(tags), hide_index=True, width="stretch")

    show_figures({arch: results[arch].meta for arch in archs})


def show_figures(metas: dict[str, dict]) -> None:
    """Held-out figures per source from the checkpoints' JSON, the baseline beside them."""
    st.subheader("How well each tagger does")
    models_ui.held_out_table(metas, HELD_OUT_COLUMNS, baseline=BASELINE)
    meta = metas.get(ner_inference.NER_DEFAULT) or next(iter(metas.values()))
    classroom = checkpoint.checkpoint_facts(meta).score("classroom", "sentences")
    st.caption(
        "Typed F1 counts a name only when its type (PER, LOC, ORG) and both ends are right; name F1 scores "
        "the notes' binary y⟨t⟩. Test sets held out of training, per source: "
        + models_ui.sources_caption(meta, "sentences")
        + (f". Classroom: {classroom} sentences written to exercise this lesson (the notes' examples, both "
           "senses of Apple, Jordan, Teddy…), a regression check, not an independent test."
           if classroom else ".")
        + f" {BASELINE}: each word gets its most frequent tag in the same training data."
    )


def show_bidirectional(tokens: list[str], rnn: ner_ui.Tagged, brnn: ner_ui.Tagged) -> None:
    st.header("What the left-to-right RNN could see", divider="gray")
    st.markdown(
        r"At step $t$ a left-to-right RNN has read $x^{\langle 1 \rangle}, \dots, x^{\langle t \rangle}$ "
        r"and nothing after: $\hat{y}^{\langle t \rangle}$ must be written before the next word arrives. "
        r"The BRNN also runs backwards from $x^{\langle T_x \rangle}$, so "
        r"$\hat{y}^{\langle t \rangle} = g(W_y[\overrightarrow{a}^{\langle t \rangle}, "
        r"\overleftarrow{a}^{\langle t \rangle}] + b_y)$ sees the whole sentence. In “He met with Apple "
        "representatives today.” only the word after *Apple* says it is a company."
    )
    # A left-to-right model's y_hat<t> over the whole sentence is what it says having read x<1>..x<t>
    # (rnncore.explain.entities.left_to_right_choices; tests check it against prefix runs).
    left = entities.step_choices(rnn.probs, rnn.meta["labels"])
    both = entities.step_choices(brnn.probs, brnn.meta["labels"])
    table = tables.columns(
        {
            "t": range(1, len(tokens) + 1),
            "x⟨t⟩": tokens,
            "the RNN has read": [" ".join(tokens[: t + 1]) for t in range(len(tokens))],
            "RNN says": [c.label for c in left],
            "P (RNN)": [c.prob for c in left],
            "BRNN says (whole sentence)": [c.label for c in both],
            "P (BRNN)": [c.prob for c in both],
            "differ": [a.label != b.label for a, b in zip(left, both, strict=True)],
        }
    )
    percent = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
    st.dataframe(
        table, hide_index=True, width="stretch", column_config={"P (RNN)": percent, "P (BRNN)": percent},
    )
    figures.chart(
        ner_ui.name_probability_figure(
            tokens,
            {"RNN, left context only": [c.name_prob for c in left], "BRNN, whole sentence": [c.name_prob for c in both]},
        ),
        "Bars, one pair per word: the probability that it is part of a name, for the left-to-right RNN and for the BRNN.",
        key="ner_name_probability",
    )
    differing = [t for t in range(len(tokens)) if left[t].label != both[t].label]
    if differing:
        st.markdown(
            "They disagree at "
            + "; ".join(
                f"x⟨{t + 1}⟩ **{md_escape(tokens[t])}**: the RNN says {left[t].label} ({left[t].prob:.0%}), the BRNN "
                f"{both[t].label} ({both[t].prob:.0%})"
                for t in differing
            )
            + "."
        )
    else:
        st.markdown("On this sentence the two agree at every step.")
    st.caption(
        "Each model's own choice at step t (the most probable tag of its ŷ⟨t⟩). For the RNN this is "
        "exactly what it outputs when the sentence is cut after x⟨t⟩: later words cannot reach it."
    )
    show_same_start()


@st.cache_data(show_spinner=False)
def same_start_rows() -> list[dict]:
    """The teddy pair's first step through the shipped RNN and BRNN (fixed sentences: computed once)."""
    rnn_model, rnn_meta = models_ui.shipped_model(models_ui.stem_of(TASK, "rnn"))
    brnn_model, brnn_meta = models_ui.shipped_model(models_ui.stem_of(TASK, "birnn"))
    rows = []
    for text in TEDDY_PAIR:
        tokens = tokenize(text)
        left = entities.left_to_right_choices(rnn_model, rnn_meta, tokens)[0]
        both = entities.whole_sentence_choices(brnn_model, brnn_meta, tokens)[0]
        rows.append({"sentence": text, "x⟨1⟩": tokens[0], "RNN says": left.label, "P (RNN)": left.prob,
                     "BRNN says": both.label, "P (BRNN)": both.prob, "P(name), RNN": left.name_prob,
                     "P(name), BRNN": both.name_prob})
    return rows


def show_same_start() -> None:
    """The notes' teddy pair: one first word, two endings; only the BRNN's first tag can differ."""
    st.subheader("Same first word, different endings")
    rows = same_start_rows()
    percent = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
    st.dataframe(tables.rows(rows), hide_index=True, width="stretch",
                 column_config={"P (RNN)": percent, "P (BRNN)": percent})
    first, second = rows
    same = math.isclose(first["P(name), RNN"], second["P(name), RNN"], rel_tol=1e-6)
    rnn_note = (
        f"the RNN gives both the same answer, P(name) = {first['P(name), RNN']:.0%}, because at step 1 it has "
        "read the same single word"
        if same
        else f"the RNN says P(name) = {first['P(name), RNN']:.0%} and {second['P(name), RNN']:.0%}"
    )
    st.markdown(
        f"“Teddy bear is on sale.” and “Teddy Roosevelt was a great president.” start alike: {rnn_note}. "
        f"The BRNN has also read the rest: P(name) = {first['P(name), BRNN']:.0%} in the first, "
        f"{second['P(name), BRNN']:.0%} in the second."
    )


def main() -> None:
    st.title("Named entities")
    st.markdown(
        r"Many-to-many with $T_x = T_y$: the network reads a sentence $x^{\langle 1 \rangle} \dots "
        r"x^{\langle T_x \rangle}$ and writes one tag per word, “Tom” → Person, “Paris” → Location. "
        "Type your own sentence, or take one of the notes' examples."
    )
    guessing = guess.enabled()
    sentence = models_ui.sentence_box(TEXT_KEY, PRESETS, TEXT_LIMIT, caption="Examples from the course notes")
    available, arch = models_ui.shipped_arch_picker(TASK, ARCHS, ner_inference.NER_DEFAULT, ARCH_KEY)
    if arch is None:
        return
    if not sentence.text:
        models_ui.empty_hint()
        return
    tokens = tokenize(sentence.text)
    results = {name: ner_ui.tagged(name, tuple(tokens)) for name in available}
    types = [label[2:] for label in results[arch].meta["labels"] if label.startswith("B-")]
    if guessing and guess.entities_round(tokens, results[arch].labels, types, arch) is None:
        return
    show_entities(arch, tokens, results[arch])
    show_architectures(available, tokens, results)
    if {"rnn", "birnn"} <= set(available):
        show_bidirectional(tokens, results["rnn"], results["birnn"])


main()
