"""Lesson "Sentiment": many-to-one, a whole review in, one star rating out.

Follows the notes' "Many-to-one architecture" and their example, "I didn't enjoy the film at all." ->
1 star. Stars come from rnncore.tasks.sentiment.inference (star_probs, stars_after_each_word); turns, expected stars and
the bag-of-words baseline from rnncore.explain.ratings and rnncore.tasks.sentiment.bow; this file lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch

from rnncore import checkpoint
from rnncore.encoding import tokens_for
from rnncore.explain import ratings
from rnncore.models import ARCH_NAMES, ARCHS
from rnncore.tasks.sentiment import inference as sentiment_inference
from rnncore.text import known_word_tokens
from ui import figures, guess, models_ui, sentiment_ui
from ui.models_ui import Preset, md_escape
from ui.text_ui import clamp_text

TASK = "sentiment"
TEXT_KEY = "sent_text"  # query parameters: ?sent_text=...&sent_arch=gru&sent_a=...&sent_b=...
ARCH_KEY = "sent_arch"
PAIR_KEYS = ("sent_a", "sent_b")
TEXT_LIMIT = 300
PAIR_LIMIT = 200
PLOT_CONFIG = {"displaylogo": False}
BAG_OF_WORDS = "Bag of words"
PRESETS = [
    Preset("I didn't enjoy the film at all.", "The notes' example: 1 star"),
    Preset("There is nothing to like in this movie.", "The notes' other 1-star review"),
    Preset("The plot was dull, but the acting was superb.", "The clause after “but” decides"),
    Preset("The acting was superb, but the plot was dull.", "The same words in another order"),
    Preset("Not bad at all.", "A negated negative word"),
]
HELD_OUT_COLUMNS = [  # (heading, metrics key, score)
    ("SST test: stars", "reviews/test", "accuracy"),
    ("SST test: polarity", "reviews/test", "binary_polarity"),
    ("generated test: stars", "generated/test", "accuracy"),
    ("generated test: polarity", "generated/test", "polarity_accuracy"),
    ("classroom: polarity", "classroom", "polarity_accuracy"),
]
ORDER_PAIRS = [
    ("The plot was dull, but the acting was superb.", "The acting was superb, but the plot was dull."),
    ("The food was good, not bad.", "The food was bad, not good."),
]


def stars_of(probs: torch.Tensor) -> int:
    return int(probs.argmax()) + 1


def rate(arch: str, texts: list[str]) -> torch.Tensor:
    """P(1..5 stars) for each text with one shipped model: (m, 5)."""
    model, meta = models_ui.shipped_model(models_ui.stem_of(TASK, arch))
    return sentiment_inference.star_probs(model, meta, [tokens_for(meta, text) for text in texts])


def bag_of_words_probs(baseline, texts: list[str]) -> torch.Tensor:
    """The baseline's P(1..5 stars) for each text: (m, 5)."""
    return torch.as_tensor(baseline.predict_proba(texts))


def missing_baseline_note() -> None:
    st.info("The bag-of-words baseline is not shipped on this server, so only the RNNs are shown; "
            "`python -m rnncore train bow --data-dir DIR` builds it.", icon=":material/hourglass_empty:")


def show_rating(arch: str, probs: torch.Tensor) -> None:
    st.header("The rating", divider="gray")
    stars = stars_of(probs)
    expected = float(ratings.expected_stars(probs))
    left, right = st.columns([1, 2])
    with left:
        st.html(sentiment_ui.stars_html(stars, f"{ARCH_NAMES[arch]}, most probable of 1–5 stars"))
        st.metric("Most probable rating", sentiment_ui.star_label(stars))
        st.metric("Expected stars, E[stars] = Σ k·P(k)", f"{expected:.2f}")
    with right:
        figures.chart(
            sentiment_ui.star_probability_figure(probs.tolist()),
            "Bars: the probability of 1 to 5 stars for your text; the most probable outlined.",
            key="sent_probs",
        )
    st.caption(r"$T_x$ words in, $T_y = 1$ out: one softmax over five classes, $\hat{y} = P(1 \dots 5\ \text{stars})$.")


def show_prefixes(arch: str, tokens: list[str]) -> None:
    st.header("Read word by word", divider="gray")
    model, meta = models_ui.shipped_model(models_ui.stem_of(TASK, arch))
    pooling = meta["config"].get("pooling", "last")
    reads = (
        r"the last state $a^{\langle t \rangle}$"
        if pooling == "last"
        else r"the mean of $a^{\langle 1 \rangle} \dots a^{\langle t \rangle}$ (this model pools its states)"
    )
    both_ways = (
        " The BRNN runs each prefix as a sentence of its own, so its backward half starts at the prefix's "
        "last word, as if the review stopped there."
        if arch == "birnn"
        else ""
    )
    st.markdown(
        r"The rating the model would give if the review stopped after word $t$: the prefix "
        rf"$x^{{\langle 1 \rangle}} \dots x^{{\langle t \rangle}}$ is read and the output layer reads {reads}."
        + both_ways
    )
    prefix_probs = sentiment_inference.stars_after_each_word(model, meta, tokens)  # (T_x, 5)
    expected = ratings.expected_stars(prefix_probs).tolist()
    turns = ratings.rating_turns(tokens, prefix_probs)
    figures.chart(
        sentiment_ui.prefix_figure(tokens, prefix_probs.tolist(), expected, [turn.t for turn in turns]),
        "Stacked bars of P(1..5 stars) after each word, with the expected stars as a line; diamonds where the rating turns.",
        key="sent_prefix_figure",
    )
    if turns:
        st.markdown(
            "The most probable rating turns at "
            + "; ".join(
                f"x⟨{turn.t}⟩ **{md_escape(turn.word)}**: {turn.before} → {turn.after} stars" for turn in turns[:8]
            )
            + (f"; and {len(turns) - 8} more" if len(turns) > 8 else "")
            + "."
        )
    else:
        st.markdown(f"The most probable rating stays at {stars_of(prefix_probs[-1])} stars from the first word on.")
    table = pd.DataFrame(
        {
            "t": range(1, len(tokens) + 1),
            "x⟨t⟩": tokens,
            "read so far": [" ".join(tokens[: t + 1]) for t in range(len(tokens))],
            "stars": (prefix_probs.argmax(dim=1) + 1).tolist(),
            "P(those stars)": prefix_probs.max(dim=1).values.tolist(),
            "E[stars]": expected,
        }
    )
    with st.expander("As a table"):
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "P(those stars)": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
                "E[stars]": st.column_config.NumberColumn(format="%.2f"),
            },
        )


def probability_columns() -> dict:
    percent = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
    return {label: percent for label in (f"P({k})" for k in sentiment_ui.STAR_LABELS)}


def show_architectures(archs: list[str], text: str, baseline) -> None:
    st.header("Four architectures and a bag of words", divider="gray")
    st.markdown(
        "The same review through every shipped classifier, and through a bag of words: a single linear "
        "layer on word counts, fitted on the same reviews. It knows which words occur, never in what order."
    )
    rows = [(ARCH_NAMES[arch], rate(arch, [text])[0]) for arch in archs]
    if baseline is not None:
        rows.append((BAG_OF_WORDS, bag_of_words_probs(baseline, [text])[0]))
    else:
        missing_baseline_note()
    table = pd.DataFrame(
        [
            {
                "model": name,
                "stars": stars_of(probs),
                **{f"P({label})": float(p) for label, p in zip(sentiment_ui.STAR_LABELS, probs, strict=True)},
                "E[stars]": float(ratings.expected_stars(probs)),
            }
            for name, probs in rows
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={**probability_columns(), "E[stars]": st.column_config.NumberColumn(format="%.2f")},
    )

    show_figures({arch: models_ui.shipped_model(models_ui.stem_of(TASK, arch))[1] for arch in archs})


def show_figures(metas: dict[str, dict]) -> None:
    """Held-out figures per source from the checkpoints' JSON, the bag of words' from the same command."""
    st.subheader("How well each classifier does")
    models_ui.held_out_table(metas, HELD_OUT_COLUMNS, baseline=BAG_OF_WORDS)
    meta = metas.get(sentiment_inference.SENTIMENT_DEFAULT) or next(iter(metas.values()))
    facts = checkpoint.checkpoint_facts(meta)
    classroom = facts.score("classroom", "reviews")
    st.caption(
        "Stars: the exact rating of five. Polarity on SST counts only its polar sentences (1–2 or 4–5 stars) "
        "and asks negative or positive, a predicted 3 counting as wrong; on the generated and classroom "
        "reviews it asks negative (1–2), mixed (3) or positive (4–5). Held out of training, per source: "
        + models_ui.sources_caption(meta, "reviews")
        + (f". Classroom: {classroom} reviews written to exercise this lesson (negation, contrast, "
           "intensifiers…), a regression check, not an independent test." if classroom else ".")
        + f" {BAG_OF_WORDS}: one linear layer on word counts, fitted on the same training examples by the "
        "same command."
    )


def pair_inputs() -> tuple[str, str, bool]:
    def use(pair: tuple[str, str]) -> None:
        st.session_state[PAIR_KEYS[0]], st.session_state[PAIR_KEYS[1]] = pair

    with st.container(horizontal=True, gap="small"):
        for i, pair in enumerate(ORDER_PAIRS):
            st.button(f"{pair[0]} ↔ {pair[1]}", key=f"sent_pair_{i}", on_click=use, args=(pair,), width="content")
    first, second = st.columns(2)
    raw_a = first.text_input("First review", value=ORDER_PAIRS[0][0], key=PAIR_KEYS[0], max_chars=PAIR_LIMIT,
                             bind="query-params")
    raw_b = second.text_input("Second review", value=ORDER_PAIRS[0][1], key=PAIR_KEYS[1], max_chars=PAIR_LIMIT,
                              bind="query-params")
    a, b = clamp_text(raw_a, PAIR_LIMIT), clamp_text(raw_b, PAIR_LIMIT)
    if a.was_cut or b.was_cut:
        st.warning(f"Each review here is cut to its first {PAIR_LIMIT} characters.", icon=":material/content_cut:")
    return a.text, b.text, a.was_cut or b.was_cut


def show_order(archs: list[str], baseline) -> None:
    st.header("Same words, another order", divider="gray")
    st.markdown(
        "Swap the clauses around “but” and the meaning flips, though not one word changed. An RNN reads the "
        "words in order and can follow the turn; the bag of words adds up the same counts either way."
    )
    text_a, text_b, _ = pair_inputs()
    if not text_a or not text_b:
        st.info("Type a review in both boxes to compare them.", icon=":material/edit:")
        return
    same = ratings.same_words(known_word_tokens(text_a), known_word_tokens(text_b))
    rows = [(ARCH_NAMES[arch], rate(arch, [text_a, text_b])) for arch in archs]
    if baseline is not None:
        rows.append((BAG_OF_WORDS, bag_of_words_probs(baseline, [text_a, text_b])))
    table = pd.DataFrame(
        [
            {
                "model": name,
                "stars, first": stars_of(probs[0]),
                "stars, second": stars_of(probs[1]),
                "E[stars], first": float(ratings.expected_stars(probs[0])),
                "E[stars], second": float(ratings.expected_stars(probs[1])),
                "tells them apart": stars_of(probs[0]) != stars_of(probs[1]),
            }
            for name, probs in rows
        ]
    )
    two = st.column_config.NumberColumn(format="%.2f")
    st.dataframe(
        table, hide_index=True, width="stretch", column_config={"E[stars], first": two, "E[stars], second": two},
    )
    if same and baseline is not None:
        gap = float((rows[-1][1][0] - rows[-1][1][1]).abs().max())
        outcome = "are identical" if gap == 0 else f"differ by at most {gap:.1e}, float rounding"
        st.markdown(
            "The two reviews hold the same words, so the bag of words sees two identical bags: its "
            f"probabilities {outcome}, whatever the order says."
        )
    elif not same:
        st.caption("These two reviews do not hold exactly the same words, so even the bag of words may differ.")


def main() -> None:
    st.title("Sentiment")
    st.markdown(
        r"Many-to-one: the network reads a whole review, $x^{\langle 1 \rangle} \dots "
        r"x^{\langle T_x \rangle}$, and gives one output, a rating from 1 to 5 stars. “I didn't enjoy the "
        "film at all.” is a 1-star review, though it contains *enjoy*."
    )
    guessing = guess.enabled()
    sentence = models_ui.sentence_box(TEXT_KEY, PRESETS, TEXT_LIMIT, label="Your review", caption="Examples")
    available, arch = models_ui.shipped_arch_picker(TASK, ARCHS, sentiment_inference.SENTIMENT_DEFAULT, ARCH_KEY)
    if arch is None:
        return
    revealed = True
    if not sentence.text:
        models_ui.empty_hint()
    else:
        probs = rate(arch, [sentence.text])[0]
        revealed = not guessing or guess.sentiment_round(sentence.text, stars_of(probs), arch) is not None
        if revealed:
            show_rating(arch, probs)
            show_prefixes(arch, tokens_for(models_ui.shipped_model(models_ui.stem_of(TASK, arch))[1], sentence.text))
    # Loaded from assets/models on the first visit after a server start; the sections above are on screen by then.
    baseline = models_ui.bag_of_words()
    if sentence.text and revealed:
        show_architectures(available, sentence.text, baseline)
    show_order(available, baseline)


main()
