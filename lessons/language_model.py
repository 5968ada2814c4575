"""Lesson "Language model": P(sentence) as a product of one-step predictions, and sampling from it.

Follows the notes' "Language model and sequence generation" (P(The apple and pair salad) against
P(The apple and pear salad)), "Sampling novel sequences" and "Character-level language model". Scores
and samples come from rnncore.tasks.lm.inference; each step's softmax, temperatures and the word/character views
from rnncore.explain.sampling; this file lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnncore import checkpoint
from rnncore.encoding import encoder_of
from rnncore.explain import sampling
from rnncore.explain.sampling import Scientific
from rnncore.models import ARCH_NAMES
from rnncore.tasks import SHIPPED
from rnncore.tasks.lm import inference as lm_inference
from rnncore.text import EOS
from ui import figures, guess, lm_ui, models_ui, palette, projector
from ui.models_ui import Preset, md_escape
from ui.text_ui import clamp_text, latex_text

LM_ARCHS = ("rnn", "gru", "lstm")
SHIPPED_ARCHS = {level: [a for a in LM_ARCHS if (f"lm-{level}", a) in SHIPPED] for level in ("word", "char")}
TEXT_KEY, OTHER_KEY = "lm_text", "lm_other"  # query parameters, as every key below
ARCH_KEY, LEVEL_KEY = "lm_arch", "lm_level"
TEMPERATURE_KEY, TOP_K_KEY, SEED_KEY, PREFIX_KEY, COUNT_KEY = "lm_temp", "lm_top_k", "lm_seed", "lm_prefix", "lm_n"
TEXT_LIMIT, PREFIX_LIMIT = 200, 40
TEMPERATURE_MIN, TEMPERATURE_MAX, TEMPERATURE_DEFAULT = 0.1, 3.0, 1.0
TOP_K_MAX, SEED_MAX, COUNT_MAX, COUNT_DEFAULT = 50, 1_000_000, 10, 5
MAX_UNITS = {"word": 30, "char": 24}  # longest sample, in units
SHOWN_UNITS = 12  # bars on a softmax chart
COMPARED_TEMPERATURES = (0.5, 1.0, 2.0)
SAME_SEED_TEMPERATURES = (0.3, 0.5, 1.0, 2.0, 3.0)
LEVEL_NAMES = {"word": "Words", "char": "Characters"}  # the URL holds these names
PLOT_CONFIG = {"displaylogo": False}
PRESETS = [
    Preset("The apple and pair salad", "The notes' example: sounds like the next one, and the notes call it much "
           "less probable"),
    Preset("The apple and pear salad", "The notes' probable sentence"),
    Preset("The cat sat on the mat.", "An everyday sentence"),
    Preset("Salad pear and apple the", "The same words in a scrambled order"),
]


def p_latex(text: str, log_p: float) -> str:
    shown = Scientific.from_log(log_p)
    return (
        rf"P(\text{{{latex_text(text)}}}) = {shown.mantissa:.1f} \times 10^{{{shown.exponent}}}"
        rf",\qquad \log P = {log_p:.2f}"
    )


def scored(arch: str, text: str):
    model, meta = models_ui.shipped_model(models_ui.stem_of("lm-word", arch))
    return lm_inference.score(model, meta, text)


def show_scores(arch: str, text_a: str, text_b: str, guessing: bool = False) -> None:
    st.header("P(sentence), one word at a time", divider="gray")
    st.markdown(
        r"A language model gives a sentence the probability $P(y^{\langle 1 \rangle}, \dots, "
        r"y^{\langle T_y \rangle}) = \prod_t P(y^{\langle t \rangle} \mid y^{\langle 1 \rangle}, \dots, "
        r"y^{\langle t-1 \rangle})$: at each step the RNN has read the words so far and its softmax "
        r"$\hat{y}^{\langle t \rangle}$ says how likely each next word is. The sentence ends with "
        f"`{EOS}`, so stopping is a prediction too. A speech recogniser that hears "
        "“the apple and pair/pear salad” picks the more probable one."
    )
    scores = {label: scored(arch, text) for label, text in (("first", text_a), ("second", text_b)) if text}
    texts = {"first": text_a, "second": text_b}
    if guessing and len(scores) == 2 and guess.language_model_round(
            text_a, text_b, scores["first"].log_prob, scores["second"].log_prob) is None:
        return
    for label, score in scores.items():
        st.latex(p_latex(texts[label], score.log_prob))
    if len(scores) == 2:
        first, second = scores["first"], scores["second"]
        comparison = sampling.compare_scores(first.tokens, first.log_prob, second.tokens, second.log_prob)
        ratio = Scientific.from_log(abs(comparison.log_ratio))
        likelier = "second" if comparison.log_ratio > 0 else "first"
        cells = st.columns(3)
        cells[0].metric("log P, first", f"{first.log_prob:.2f}")
        cells[1].metric("log P, second", f"{second.log_prob:.2f}")
        cells[2].metric(
            "More probable", f"the {likelier}", f"{ratio.mantissa:.1f} × 10^{ratio.exponent} times", delta_color="off"
        )
        if comparison.first_difference is not None:
            t = comparison.first_difference
            st.caption(f"The two first differ at y⟨{t + 1}⟩; up to there every factor of the product is the same.")
        verdict = lm_ui.notes_pair_verdict(text_a, text_b, first.log_prob, second.log_prob)
        if verdict:
            st.markdown(verdict)
    figures.chart(
        lm_ui.unit_probability_figure(
            {f"{label}: {texts[label]}"[:60]: (s.tokens, sampling.unit_probabilities(s.token_log_probs))
             for label, s in scores.items()}
        ),
        "Lines: the probability the model gives each next word of the two sentences, step by step.",
        key="lm_score_figure",
    )
    tabs = st.tabs([f"{label.capitalize()} sentence, step by step" for label in scores])
    for tab, score in zip(tabs, scores.values(), strict=True):
        probs = sampling.unit_probabilities(score.token_log_probs)
        running = [sum(score.token_log_probs[: t + 1]) for t in range(len(probs))]
        tab.dataframe(
            pd.DataFrame(
                {
                    "t": range(1, len(probs) + 1),
                    "y⟨t⟩": score.tokens,
                    "P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩)": probs,
                    "log P(y⟨t⟩ | …)": score.token_log_probs,
                    "log P so far": running,
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩)": st.column_config.NumberColumn(format="%.3e"),
                "log P(y⟨t⟩ | …)": st.column_config.NumberColumn(format="%.3f"),
                "log P so far": st.column_config.NumberColumn(format="%.3f"),
            },
        )
    unknown = sorted({token.removesuffix(" (<UNK>)") for s in scores.values() for token in s.tokens
                      if token.endswith("(<UNK>)")})
    if unknown:
        words = ", ".join(f"“{md_escape(word)}”" for word in unknown)
        st.caption(
            f"Not in the model's vocabulary: {words}. The model reads such a word as `<UNK>` and its factor is "
            "P(`<UNK>`), the probability of *some* word it does not know, not of this word. Natural "
            "logarithms throughout."
        )
    else:
        st.caption("Natural logarithms throughout: log P is the sum of the column above.")


def sampling_settings(levels: list[str]) -> tuple[str, float, int, int, str, int]:
    st.subheader("Settings")
    level = st.segmented_control(
        "Units: words (the model writes sentences) or characters (it writes names)", options=levels, default=levels[0], format_func=LEVEL_NAMES.get, required=True, key=LEVEL_KEY,
        bind="query-params",
    )
    level = level if level in levels else levels[0]
    temperature = st.slider(
        "Temperature T", TEMPERATURE_MIN, TEMPERATURE_MAX, TEMPERATURE_DEFAULT, step=0.1, key=TEMPERATURE_KEY,
        bind="query-params", help="The logits are divided by T before the softmax.",
    )
    with projector.secondary("Top-k, seed, samples and a start"):
        left, right = st.columns(2)
    top_k = left.slider(
        "Top-k (0 = every unit)", 0, TOP_K_MAX, 0, key=TOP_K_KEY, bind="query-params",
        help="Keep only the k most probable units at each step.",
    )
    # Streamlit 1.67 raises OverflowError seeding an int box from ?lm_seed=inf: bind only a whole number.
    bind = "query-params" if st.query_params.get(SEED_KEY, "0").lstrip("-").isdigit() else None
    if bind is None:
        del st.query_params[SEED_KEY]
    seed = right.number_input("Seed", 0, SEED_MAX, 0, step=1, key=SEED_KEY, bind=bind)
    count = left.slider("Samples", 1, COUNT_MAX, COUNT_DEFAULT, key=COUNT_KEY, bind="query-params")
    raw_prefix = right.text_input(
        "Start with (optional)", "", max_chars=PREFIX_LIMIT, key=PREFIX_KEY, bind="query-params",
        help=f"Up to {PREFIX_LIMIT} characters; the model reads them first and continues.",
    )
    prefix = clamp_text(raw_prefix, PREFIX_LIMIT)
    clamped = (
        models_ui.clamp_number(temperature, TEMPERATURE_MIN, TEMPERATURE_MAX, TEMPERATURE_DEFAULT),
        models_ui.clamp_number(top_k, 0, TOP_K_MAX, 0),
        models_ui.clamp_number(seed, 0, SEED_MAX, 0),
        models_ui.clamp_number(count, 1, COUNT_MAX, COUNT_DEFAULT),
    )
    if clamped != (temperature, top_k, seed, count) or prefix.was_cut:
        st.warning(
            f"Settings are limited to T in {TEMPERATURE_MIN}–{TEMPERATURE_MAX}, top-k 0–{TOP_K_MAX}, seed "
            f"0–{SEED_MAX:,}, 1–{COUNT_MAX} samples and a {PREFIX_LIMIT}-character start; out-of-range values "
            "were brought into range.",
            icon=":material/tune:",
        )
    temperature, top_k, seed, count = clamped
    return level, round(float(temperature), 2), int(top_k), int(seed), prefix.text, int(count)


def show_sampling(arch: str, levels: list[str]) -> None:
    st.header("Sampling novel sequences", divider="gray")
    st.markdown(
        r"One-to-many: from nothing but a start token, the model writes a sequence. At each step it "
        r"samples $y^{\langle t \rangle}$ from its softmax $\hat{y}^{\langle t \rangle}$ and reads it back "
        r"as the next input $x^{\langle t+1 \rangle}$, until it samples `<EOS>`. Word by word it writes "
        "sentences; character by character, names."
    )
    level, temperature, top_k, seed, prefix, count = sampling_settings(levels)
    model, meta = models_ui.shipped_model(models_ui.stem_of(f"lm-{level}", arch))
    prefix_units = sampling.prefix_units(meta, prefix)
    if prefix_units.dropped:
        st.caption(
            "Left out of the start, not in the vocabulary: " + ", ".join(md_escape(u) for u in prefix_units.dropped)
        )
    stem = models_ui.stem_of(f"lm-{level}", arch)
    samples = [
        models_ui.sample_view(stem, MAX_UNITS[level], temperature, top_k, seed + i, prefix, SHOWN_UNITS)
        for i in range(count)
    ]
    rows = []
    for i, drawn in enumerate(samples):
        row = {"#": i + 1, "seed": seed + i, "sample": drawn.text, "units": len(drawn.units),
               "ended with <EOS>": drawn.ended}
        if level == "char":
            row["new or seen"] = "new" if drawn.new else "seen in training"
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if level == "char":
        new = sum(bool(drawn.new) for drawn in samples)
        names = len(meta.get("training_names", []))
        st.caption(f"{new} of {count} names are new: not among the {names:,} training names.")
    context = show_steps(meta, samples, level, temperature, top_k)
    show_temperatures(model, meta, context, stem, level, top_k, seed, prefix)


def joined(units: list[str], level: str) -> str:
    return (" " if level == "word" else "").join(units)


def show_steps(meta: dict, samples: list[sampling.SampleView], level: str, temperature: float,
               top_k: int) -> list[str]:
    """The sampled steps of one sample, and one step's softmax; returns that step's context."""
    st.subheader("Step by step: the softmax the model sampled from")
    pick = st.selectbox("Sample", range(len(samples)), format_func=lambda i: f"#{i + 1}: {samples[i].text}",
                        key="lm_pick")
    pick = pick if pick in range(len(samples)) else 0
    steps = samples[pick].steps
    table = pd.DataFrame(
        {
            "step": range(1, len(steps) + 1),
            "read so far": [joined(s.context, level) or "(start)" for s in steps],
            "sampled y⟨t⟩": [s.chosen for s in steps],
            "P(sampled)": [s.p for s in steps],
            "rank": [s.rank for s in steps],
            "entropy (bits)": [s.entropy for s in steps],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "P(sampled)": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0),
            "entropy (bits)": st.column_config.NumberColumn(format="%.2f"),
        },
    )
    st.caption(
        f"Sampled at T = {temperature:g}" + (f", top-{top_k}" if top_k else "") + ". Rank 1 is the most "
        "probable unit: sampling does not always take it, which is what makes each sample new."
    )
    step = st.selectbox("Step", range(1, len(steps) + 1), format_func=lambda s: f"step {s}: {steps[s - 1].chosen}",
                        key="lm_step")
    step = step if step in range(1, len(steps) + 1) else 1
    chosen = steps[step - 1]
    read = joined(chosen.context, level)
    title = f"ŷ⟨{step}⟩ after reading “{lm_ui.unit_label(read)}”" if read else f"ŷ⟨{step}⟩ at the start"
    figures.chart(
        lm_ui.softmax_figure(chosen.top, chosen.chosen_id, title=title),
        f"Horizontal bars: the most probable next units at step {step}; the sampled one in vermillion.",
        key="lm_softmax_figure",
    )
    if level == "char" and all(s.full is not None for s in steps):
        words = encoder_of(meta).words
        alphabet = [i for i in range(len(words.tokens)) if i not in (words.pad_id, words.unk_id)]
        figures.chart(
            lm_ui.step_heatmap(
                [s.chosen for s in steps],
                [words.tokens[i] for i in alphabet],
                [[s.full[i] for i in alphabet] for s in steps],
                [alphabet.index(s.chosen_id) for s in steps],
            ),
            "Heatmap of the whole softmax over the characters at every step of the sample; the sampled character outlined.",
            key="lm_char_heatmap",
        )
        st.caption("Every step's whole softmax over the characters; the sampled one is outlined.")
    return chosen.context


def show_temperatures(model, meta: dict, context: list[str], stem: str, level: str, top_k: int, seed: int,
                      prefix: str) -> None:
    st.subheader("What temperature does")
    tokens = encoder_of(meta).words.tokens
    dists = sampling.distributions_at(model, meta, context, COMPARED_TEMPERATURES, top_k)
    reference = sampling.top_units(dists[1.0], tokens, SHOWN_UNITS)
    ids = [i for i, _, _ in reference]
    panels = {
        f"T = {T:g} · {sampling.entropy_bits(dist):.1f} bits": [(i, tokens[i], float(dist[i])) for i in ids]
        for T, dist in dists.items()
    }
    figures.chart(
        lm_ui.temperature_figure(panels),
        "Bars of the same step's probabilities after dividing the logits by each temperature T, one panel per T.",
        key="lm_temperature_figure",
    )
    st.caption(
        "The step chosen above, the same logits divided by each T before the softmax. Entropy in bits: "
        "higher means a more even, more random choice."
    )
    rows = [
        {"T": T, f"sample, seed {seed}": models_ui.sample_view(stem, MAX_UNITS[level], T, top_k, seed, prefix,
                                                               SHOWN_UNITS).text}
        for T in SAME_SEED_TEMPERATURES
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption("The same seed, so the same random numbers, at five temperatures.")


def units_html(view: sampling.LevelView) -> str:
    """A sentence as the model's units, each unknown one underlined in orange; every unit escaped."""
    glue = " " if view.level == "word" else ""
    spans = glue.join(
        f'<span class="unit" data-unk="{str(unknown).lower()}" style="'
        + (f"color:{palette.CONTRAST};text-decoration:underline;" if unknown else "")
        + '">' + lm_ui.unit_label(unit) + ("&nbsp;&lt;UNK&gt;" if unknown and view.level == "word" else "") + "</span>"
        for unit, unknown in zip(view.units, view.unknown, strict=True)
    )
    font = "font-family:monospace;" if view.level == "char" else ""
    return f'<div class="{view.level}-units" style="{font}font-size:1.05em;word-break:break-word">{spans}</div>'


def show_levels(arch: str, texts: list[str]) -> None:
    st.header("Characters or words", divider="gray")
    st.markdown(
        "The notes weigh the two: at character level there is no unknown word, since every word is "
        "spelt from a small alphabet; but the sequence is much longer, so what the RNN must carry "
        "from the start of a sentence to its end has many more steps to survive."
    )
    _, word_meta = models_ui.shipped_model(models_ui.stem_of("lm-word", arch))
    _, char_meta = models_ui.shipped_model(models_ui.stem_of("lm-char", arch))
    rows, outside = [], set()
    for text in texts:
        word, chars = sampling.level_view(word_meta, text), sampling.level_view(char_meta, text)
        rows.append({"sentence": text, "T_y, words": word.T, "T_y, characters": chars.T,
                     "characters per word": chars.T / max(word.T, 1), "<UNK> words": word.n_unknown,
                     "characters outside the alphabet": chars.n_unknown})
        outside |= {unit for unit, unknown in zip(chars.units, chars.unknown, strict=True) if unknown}
        left, right = st.columns(2)
        left.html(units_html(word))
        right.html(units_html(chars))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"characters per word": st.column_config.NumberColumn(format="%.1f")})
    st.caption(
        f"Left, words: a vocabulary of {word.V:,} (the course's 10,000-word list, as far as the training text "
        f"used it), unknown ones underlined. Right, characters: {chars.V} symbols learnt from the training "
        "names (lowercase), so this alphabet lacks what names never contain"
        + (": here " + ", ".join(f"“{md_escape(lm_ui.unit_label(u))}”" for u in sorted(outside)) + "." if outside
           else ".")
    )


WORD_COLUMNS = [  # (heading, metrics key, score) from the word models' JSON
    ("perplexity, all sources", "all/test", "perplexity"),
    ("everyday", "everyday/test", "perplexity"), ("reviews", "reviews/test", "perplexity"),
    ("news", "news/test", "perplexity"), ("encyclopedia", "encyclopedia/test", "perplexity"),
    ("ratio to Kneser-Ney", "all/test", "ratio_to_kneser_ney"),
    ("prefers real order", "all/test", "prefers_real_order"),
]


def show_figures(word_archs: list[str], char_archs: list[str]) -> None:
    """Held-out perplexity per source beside the count-based baselines, all from the checkpoints' JSON."""
    st.header("How good are these models?", divider="gray")
    if word_archs:
        metas = {a: models_ui.shipped_model(models_ui.stem_of("lm-word", a))[1] for a in word_archs}
        rows = []
        for arch, meta in metas.items():
            facts = checkpoint.checkpoint_facts(meta)
            rows.append({"model": ARCH_NAMES[arch], "parameters": facts.params,
                         **{label: facts.score(key, score) for label, key, score in WORD_COLUMNS}})
        facts = checkpoint.checkpoint_facts(next(iter(metas.values())))
        rows.append({"model": "Kneser-Ney trigram", "parameters": None,
                     **{label: facts.score(key, "kneser_ney_perplexity") if score == "perplexity" else None
                        for label, key, score in WORD_COLUMNS}})
        models_ui.checkpoint_metrics_table(rows, scores=[label for label, _, _ in WORD_COLUMNS])
        meta = next(iter(metas.values()))
        st.caption(
            "Perplexity = exp(mean −log P per predicted word, <EOS> included) on held-out text: lower is better; "
            "a perplexity of 100 is as uncertain as choosing among 100 equally likely words. Both models read the "
            "same course vocabulary and the same tokens; the trigram counts word triples of the same training text "
            "(interpolated Kneser-Ney). Test text per source: " + models_ui.sources_caption(meta, "lines")
            + ". “Prefers real order”: how often a held-out sentence scores above its own words shuffled."
        )
    if char_archs:
        rows = []
        for arch in char_archs:
            facts = checkpoint.checkpoint_facts(models_ui.shipped_model(models_ui.stem_of("lm-char", arch))[1])
            rows.append({"model": ARCH_NAMES[arch], "parameters": facts.params,
                         "loss per character": facts.score("names/test", "loss_per_char"),
                         "bigram's loss": facts.score("names/test", "bigram_loss_per_char"),
                         "below the bigram": facts.score("names/test", "loss_below_bigram"),
                         "new names among samples": facts.score("samples", "new_share")})
        models_ui.checkpoint_metrics_table(rows, scores=["loss per character", "bigram's loss", "below the bigram",
                                                         "new names among samples"])
        st.caption(
            "Names: makemore's names.txt, its 1,000 test names held out as makemore holds them out. Loss = mean "
            "−log P per character in nats (the end of the name included); the bigram counts letter pairs of the "
            "same training names. makemore's README gives about 1.92 for its default transformer on this file."
        )


def main() -> None:
    st.title("Language model")
    st.markdown(
        "A language model tells how probable a sentence is, and can write new ones. Compare two "
        "sentences, then let the model sample words or names of its own."
    )
    word_archs = models_ui.available_archs("lm-word", SHIPPED_ARCHS["word"])
    models_ui.missing_models_note("lm-word", SHIPPED_ARCHS["word"], word_archs)
    char_archs = models_ui.available_archs("lm-char", SHIPPED_ARCHS["char"])
    models_ui.missing_models_note("lm-char", SHIPPED_ARCHS["char"], char_archs)
    archs = [a for a in LM_ARCHS if a in word_archs or a in char_archs]
    if not archs:
        return
    default = lm_inference.LM_DEFAULT if lm_inference.LM_DEFAULT in archs else archs[0]
    arch = models_ui.arch_picker("Architecture", ARCH_KEY, archs, default)
    guessing = guess.enabled()

    if arch in word_archs:
        sentence = models_ui.sentence_box(TEXT_KEY, PRESETS, TEXT_LIMIT, label="First sentence",
                                          caption="Examples (the first two are the notes')")
        raw_other = st.text_input("Second sentence", value=PRESETS[1].text, key=OTHER_KEY, max_chars=TEXT_LIMIT,
                                  bind="query-params")
        other = clamp_text(raw_other, TEXT_LIMIT)
        if other.was_cut:
            st.warning(f"The second sentence is cut to its first {TEXT_LIMIT} characters.",
                       icon=":material/content_cut:")
        if not sentence.text and not other.text:
            models_ui.empty_hint()
        else:
            show_scores(arch, sentence.text, other.text, guessing)
    else:
        sentence = other = None
        st.info(f"Words are scored by the {' and '.join(ARCH_NAMES[a] for a in word_archs) or 'word'} model "
                f"only: pick it to compare two sentences. Below, the {ARCH_NAMES[arch]} writes names.",
                icon=":material/info:")

    levels = [level for level, have in (("word", word_archs), ("char", char_archs)) if arch in have]
    show_sampling(arch, levels)
    if sentence is not None and arch in char_archs:
        texts = [text for text in (sentence.text, other.text) if text]
        if texts:
            show_levels(arch, texts)
    show_figures(word_archs, char_archs)


main()
