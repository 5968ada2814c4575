"""Lesson "Translation": many-to-many with T_x != T_y, an encoder that reads the sentence and a decoder
that writes the translation word by word, with and without attention.

Follows the notes' machine translation example (an encoder-decoder reads x<1>..x<T_x> and writes
y<1>..y<T_y>; "Jane visite l'Afrique en septembre"), greedy search against beam search, and attention
(α<t,t'>, the context c<t>), with the notes' "Shall we go for a walk?" and "Voulez-vous chanter avec
moi?". Every number comes from the shipped models run on the sentence on screen
(rnncore.tasks.translate.inference, rnncore.explain.translation) or from their checkpoints' JSON.
"""

from __future__ import annotations

import math

import streamlit as st

from rnncore.explain import translation as explain
from rnncore.tasks.translate import inference
from rnncore.tasks.translate.translator import MAX_SOURCE_TOKENS
from rnncore.text import UNK
from ui import figures, models_ui, text_ui, translate_ui
from ui.models_ui import Preset, md_escape

DIRECTION_KEY, MODEL_KEY, BEAM_KEY, STEP_KEY = "tr_dir", "tr_model", "tr_beam", "tr_step"
TEXT_KEYS = {"en": "tr_en", "fr": "tr_fr"}
TEXT_LIMIT = 200
BEAM_MAX = 10
DIRECTIONS = {"en": "English → French", "fr": "French → English"}
MODELS = {"attention": "With attention", "plain": "Without attention"}
PRESETS = {
    "en": [
        Preset("Shall we go for a walk?", "The notes' example of a sequence task"),
        Preset("Jane is visiting Africa in September.", "The notes' attention example, the other way round"),
        Preset("Do you want to sing with me?", "The notes' French example, in English"),
        Preset("I didn't enjoy the film at all.", "The sentiment lesson's review"),
        Preset("Yesterday, Tom met Eliza in Paris.", "The entity lesson's sentence"),
        Preset("I don't think that we should wait for them any longer.", "Longer than anything in training"),
    ],
    "fr": [
        Preset("Voulez-vous chanter avec moi ?", "The notes' example: 'Do you want to sing with me?'"),
        Preset("Jane visite l'Afrique en septembre.", "The notes' attention example"),
        Preset("Il fait très froid ce matin.", "An everyday sentence"),
        Preset("Je ne sais pas quoi dire.", "A negation in two parts: ne ... pas"),
    ],
}


def stem_for(source: str, model: str) -> str:
    return inference.stem(source, "gru", model == "attention")


@st.cache_data(max_entries=512, show_spinner=False)
def translated(stem: str, text: str, beam: int):
    """The translation, what the figures draw, and the greedy translation beside it, for one sentence."""
    translator = inference.shipped_translator(stem)
    tokens = translator.tokens(text)
    inference.check_tokens(tokens, translator.source)
    (result,) = translator.translate_tokens([tokens], beam)
    (greedy,) = translator.translate_tokens([tokens], 1) if beam > 1 else (result,)
    return result, explain.describe(translator, result), greedy


def pick(label: str, options: dict[str, str], key: str, default: str) -> str:
    choice = st.segmented_control(label, list(options), default=default, format_func=options.get, required=True,
                                  key=key, bind="query-params")
    return choice if choice in options else default


def show_translation(stem: str, text: str, beam: int) -> None:
    try:
        result, view, greedy = translated(stem, text, beam)
    except ValueError as err:
        message = str(err)
        st.warning(f"{message[:1].upper()}{message[1:]}.", icon=":material/error:")
        return
    meta = models_ui.shipped_model(stem)[1]
    translator = inference.shipped_translator(stem)
    warning = unknown_warning(result, translator)
    if warning:
        st.warning(warning, icon=":material/help:")
    st.header("The translation", divider="gray")
    st.markdown(f"### {md_escape(result.text)}")
    cells = st.columns(4)
    cells[0].metric("T_x (source tokens)", len(result.source_tokens))
    cells[1].metric("T_y (output tokens)", len(result.output_tokens))
    cells[2].metric("log P(y | x)", f"{result.log_prob:.2f}")
    cells[3].metric("decoding", "greedy" if beam == 1 else f"beam, K = {beam}")
    notes = []
    if UNK in result.output_tokens:
        notes.append("The decoder wrote `<UNK>` (a word outside its vocabulary)"
                     + (": with attention it is replaced by the source word it attends to most." if meta["attention"] else "."))
    if not result.finished:
        notes.append(f"The length cap stopped it: at most {2 * len(result.source_tokens) + 10} words.")
    st.caption(" ".join(notes) + f" Natural logarithm; log P includes the final `<EOS>`. Model: `{stem}`.")
    if beam > 1:
        st.markdown(greedy_comparison(result, greedy))
    st.header("The encoder reads the whole sentence first", divider="gray")
    st.markdown(
        "A bidirectional GRU reads $x^{\\langle 1 \\rangle} \\dots x^{\\langle T_x \\rangle}$ both ways: "
        "each column below is one state $a^{\\langle t' \\rangle} = [\\overrightarrow{a}^{\\langle t' \\rangle}, "
        "\\overleftarrow{a}^{\\langle t' \\rangle}]$. Its summary $\\bar{c} = [\\overrightarrow{a}^{\\langle T_x \\rangle}, "
        "\\overleftarrow{a}^{\\langle 1 \\rangle}]$ sets the decoder's first state $s^{\\langle 0 \\rangle} = "
        "\\tanh(W_s \\bar{c} + b_s)$."
    )
    figures.chart(translate_ui.states_figure(view),
                  f"Heatmap of the encoder's states: one column per source word ({view.states.shape[0]}), one row per unit, "
                  "coloured from -1 to +1.", key="tr_states", config=translate_ui.PLOT_CONFIG)
    figures.chart(translate_ui.vector_figure({"summary c̄": view.summary, "s⟨0⟩": view.s0}),
                  "Two rows of numbers: the summary c̄ of the source sentence and the decoder's first state s⟨0⟩.",
                  key="tr_summary", config=translate_ui.PLOT_CONFIG)
    st.caption(f"{view.states.shape[1]} numbers per source word ({view.n_a} forward, {view.n_a} backward); "
               f"the decoder's state has {view.s0.shape[0]}. Colour from −1 to +1.")

    st.header("The decoder writes one word at a time", divider="gray")
    st.markdown(
        "At step $t$ the decoder reads the word it wrote last, $y^{\\langle t-1 \\rangle}$ (`<SOS>` at first), "
        "updates $s^{\\langle t \\rangle}$ and gives every word of its vocabulary a probability "
        "$P(y^{\\langle t \\rangle} \\mid y^{\\langle 1 \\rangle} \\dots y^{\\langle t-1 \\rangle}, x)$. "
        "Greedy decoding writes the most probable word; beam search keeps the K most probable partial "
        "translations and may write a word that was not the best at its own step. Writing `<EOS>` ends it."
    )
    st.dataframe(translate_ui.steps_table(view), hide_index=True, width="stretch",
                 column_config={"P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩, x)": st.column_config.NumberColumn(format="%.3f")})
    last = len(view.steps)
    if STEP_KEY in st.session_state:  # a shorter translation than the last one: keep the step inside it
        st.session_state[STEP_KEY] = int(models_ui.clamp_number(st.session_state[STEP_KEY], 1, last, 1))
    t = int(models_ui.clamp_number(st.slider("Step t", 1, last, 1, key=STEP_KEY) if last > 1 else 1, 1, last, 1))
    figures.chart(translate_ui.step_figure(view, t),
                  f"Bar chart of the most probable words at decoder step {t}, the written one marked.",
                  key="tr_step_chart", config=translate_ui.PLOT_CONFIG)
    chosen = view.steps[t - 1]
    best = chosen.candidates[0]
    if best.token != chosen.written:
        st.caption(f"At step {t} beam search wrote a word that was not the most probable one there "
                   f"({md_escape(best.token)}, {best.p:.2f}): the whole translation was more probable that way.")

    st.header("Attention: where each output word looks", divider="gray")
    if view.attention:
        st.markdown(
            "With attention the decoder does not rely on $\\bar{c}$ alone: at every step it scores each encoder "
            "state, $e^{\\langle t,t' \\rangle} = s^{\\langle t \\rangle\\top} W_\\alpha a^{\\langle t' \\rangle}$, turns the "
            "scores into weights $\\alpha^{\\langle t,t' \\rangle}$ that sum to 1 over $t'$, and reads the context "
            "$c^{\\langle t \\rangle} = \\sum_{t'} \\alpha^{\\langle t,t' \\rangle} a^{\\langle t' \\rangle}$. Each row below is one step."
        )
        figures.chart(translate_ui.attention_figure(view),
                      "Heatmap of the attention weights: one row per output word, one column per source word; "
                      "each row sums to 1.", key="tr_attention", config=translate_ui.PLOT_CONFIG)
        rows = view.alphas.sum(axis=1)
        st.caption(f"Each row sums to 1 (here from {rows.min():.3f} to {rows.max():.3f}).")
    else:
        st.info("This model has no attention: every step reads the same summary c̄ of the whole sentence, so the "
                "sentence must fit in one vector. Switch to “With attention” to see the weights α⟨t,t'⟩.",
                icon=":material/visibility_off:")


def unknown_warning(result, translator) -> str | None:
    """Which source words the model cannot read (they are all `<UNK>` to it), and what that does to the
    translation; None when it knows every word."""
    unknown = [t for t, i in zip(result.source_tokens, result.source_ids, strict=True)
               if i == translator.source_vocab.unk_id]
    if not unknown:
        return None
    words = [t for t in result.source_tokens if any(ch.isalnum() for ch in t)]
    language = "English" if translator.source == "en" else "French"
    listed = ", ".join(f"“{md_escape(t)}”" for t in dict.fromkeys(unknown))
    one = len(unknown) == 1
    text = (f"{len(unknown)} of the {len(words)} words {'is' if one else 'are'} not in the model's {language} "
            f"vocabulary ({len(translator.source_vocab):,} tokens) and {'reaches' if one else 'reach'} it as "
            f"`<UNK>`, like every unknown word: {listed}. ")
    if len(unknown) == len(words):
        return text + ("The model knows none of the words, so the translation below is made from `<UNK>` "
                       "alone: it says nothing about the sentence. Check the spelling and the direction "
                       f"(this model reads {language}).")
    return text + "Whatever they mean is lost to the translation; the other words are read as usual."


def greedy_comparison(result, greedy) -> str:
    """Beam search's translation against greedy decoding's, in words, from their log-probabilities."""
    if greedy.output_ids == result.output_ids:
        return f"Greedy decoding (K = 1) writes the same translation here, log P = {greedy.log_prob:.2f}."
    text = f"Greedy decoding (K = 1) would write **{md_escape(greedy.text)}**, log P = {greedy.log_prob:.2f}: "
    if result.log_prob > greedy.log_prob:
        return text + (f"beam search found a translation {math.exp(result.log_prob - greedy.log_prob):.1f} times as "
                       "probable, by keeping partial translations that were not the best at their own step.")
    return text + ("more probable as a whole, but beam search ranks finished translations by log P per word "
                   "(T_y + 1 of them), which spares longer ones the penalty of every extra factor below 1.")


def show_scores(source: str) -> None:
    st.header("How well each model translates", divider="gray")
    metas = {}
    for model in MODELS:
        stem = stem_for(source, model)
        if inference.is_shipped(stem):
            metas[model] = models_ui.shipped_model(stem)[1]
    if not metas:
        return
    any_meta = next(iter(metas.values()))
    split = "test"
    rows = []
    for model, meta in metas.items():
        test = meta["metrics"][split]
        rows.append({"model": translate_ui.SYSTEM_NAMES[model], "parameters": meta["params"],
                     "BLEU greedy": test["greedy"]["bleu"], "BLEU beam": test["beam"]["bleu"],
                     "chrF greedy": test["greedy"]["chrf"], "chrF beam": test["beam"]["chrf"],
                     "training minutes": meta["training"]["minutes"]})
    baseline = any_meta["metrics"][split]["word_by_word"]
    rows.append({"model": translate_ui.SYSTEM_NAMES["word_by_word"], "parameters": None,
                 "BLEU greedy": baseline["bleu"], "BLEU beam": None, "chrF greedy": baseline["chrf"],
                 "chrF beam": None, "training minutes": None})
    models_ui.checkpoint_metrics_table(rows, scores=["BLEU greedy", "BLEU beam", "chrF greedy", "chrF beam",
                                                     "training minutes"])
    source_info = any_meta["sources"][0]
    st.caption(
        f"Corpus BLEU and chrF (sacrebleu, one reference per pair) on the {split} split: "
        f"{source_info[split]['pairs']:,} Tatoeba pairs ({source_info[split]['english_sentences']:,} English sentences) "
        "held out by English sentence, none of whose sentences occurs in training on either side. The word-by-word "
        "baseline replaces each word by its most probable translation, learnt from the same training pairs. Figures "
        "from each checkpoint's JSON, written when it was trained."
    )
    curves = {model: {b: v["bleu"] for b, v in meta["metrics"][split]["beam"]["bleu_by_length"].items()}
              for model, meta in metas.items()}
    curves["word_by_word"] = {b: v["bleu"] for b, v in baseline["bleu_by_length"].items()}
    counts = {b: v["pairs"] for b, v in baseline["bleu_by_length"].items()}
    st.subheader("BLEU by sentence length")
    figures.chart(translate_ui.length_figure(curves, split),
                  "Line chart of BLEU against source sentence length, one line per translator and one for the "
                  "word-by-word baseline.", key="tr_lengths", config=translate_ui.PLOT_CONFIG)
    st.caption("Beam search for the encoder-decoders. Pairs in each bucket of source length: "
               + ", ".join(f"{b} words: {n:,}" for b, n in counts.items()) + ".")
    st.markdown(length_finding(curves, counts))


MIN_BUCKET_PAIRS = 100  # a bucket with fewer pairs is drawn but not read: its BLEU swings with a few sentences


def length_finding(curves: dict[str, dict[str, float]], counts: dict[str, int]) -> str:
    """What the by-length figure shows, in words, every claim decided by its numbers."""
    if "attention" not in curves or "plain" not in curves:
        return "Only one encoder-decoder is shipped for this direction, so the figure has nothing to compare it with."
    common = [b for b in curves["attention"] if b in curves["plain"] and counts.get(b, 0) >= MIN_BUCKET_PAIRS]
    small = [b for b in curves["attention"] if counts.get(b, 0) < MIN_BUCKET_PAIRS]
    if len(common) < 2:
        return "Too few held-out pairs of different lengths to compare."
    first, last = common[0], common[-1]
    gaps = {b: curves["attention"][b] - curves["plain"][b] for b in common}
    text = (f"On the shortest sentences ({first} words) attention adds {gaps[first]:+.1f} BLEU; on the longest "
            f"well-filled bucket ({last} words) {gaps[last]:+.1f}. ")
    if gaps[last] > gaps[first] + 1:
        text += ("The gap widens with length, the notes' point: one fixed-size summary holds a short sentence well "
                 "and a longer one less well, and attention recovers part of what it loses.")
    elif all(gap > 0 for gap in gaps.values()):
        longest = list(counts)[-1]  # buckets come shortest first
        text += (f"Attention helps at every length, by {min(gaps.values()):+.1f} to {max(gaps.values()):+.1f} BLEU, "
                 "but not more on the longer sentences: the notes' fall-off of a single summary shows on longer "
                 f"sentences than Tatoeba's. Here the longest have {longest.split('-')[-1]} words, and only "
                 f"{counts[longest]:,} of the {sum(counts.values()):,} held-out pairs are in that bucket.")
    else:
        text += "Attention does not help at every length here, and the gap does not widen with length."
    plain = curves["plain"][last] - curves["plain"][first]
    attention = curves["attention"][last] - curves["attention"][first]
    text += f" From {first} to {last} words BLEU changes by {plain:+.1f} without attention and {attention:+.1f} with it"
    if all(curves[m][first] == min(curves[m][b] for b in common) for m in ("plain", "attention")):
        text += (f"; the shortest sentences score lowest for both, since BLEU counts matches of up to 4 words in a "
                 f"row and a sentence of {first} words has few of them.")
    else:
        text += "."
    if small:
        text += f" The {', '.join(small)}-word bucket holds fewer than {MIN_BUCKET_PAIRS} pairs: drawn, not read."
    return text


def main() -> None:
    st.title("Translation")
    st.markdown(
        "Many-to-many with $T_x \\neq T_y$: the input and the output are sequences of different lengths, so one "
        "RNN cannot tag each word. An **encoder** reads the whole sentence $x^{\\langle 1 \\rangle} \\dots "
        "x^{\\langle T_x \\rangle}$; a **decoder** then writes $y^{\\langle 1 \\rangle} \\dots y^{\\langle T_y \\rangle}$, "
        "each word fed back as its next input, until it writes `<EOS>`. The models here were trained on English–"
        "French pairs from Tatoeba."
    )
    left, middle, right = st.columns([2, 2, 3])
    with left:
        source = pick("Direction", DIRECTIONS, DIRECTION_KEY, "en")
    shipped = {m: n for m, n in MODELS.items() if inference.is_shipped(stem_for(source, m))}
    if not shipped:
        st.warning(f"No translation model for {DIRECTIONS[source]} is shipped yet: build them with `python -m rnncore "
                   f"train translate --data-dir DIR`.", icon=":material/hourglass_empty:")
        return
    with middle:
        model = pick("Model", shipped, MODEL_KEY, "attention" if "attention" in shipped else next(iter(shipped)))
    stem = stem_for(source, model)
    meta = models_ui.shipped_model(stem)[1]
    default_beam = int(meta["decoding"]["beam"])
    with right:
        beam = int(models_ui.clamp_number(
            st.slider("Beam width K (1 = greedy)", 1, BEAM_MAX, default_beam, key=BEAM_KEY, bind="query-params"),
            1, BEAM_MAX, default_beam))
    if len(shipped) < len(MODELS):
        st.caption(f"For {DIRECTIONS[source]} only the model with attention is shipped.")
    sentence = models_ui.sentence_box(TEXT_KEYS[source], PRESETS[source], TEXT_LIMIT,
                                      label=f"Your sentence in {'English' if source == 'en' else 'French'}")
    if not sentence.text:
        models_ui.empty_hint()
    else:
        st.html(text_ui.token_strip_html(*source_strip(stem, sentence.text)))
        st.caption(f"The tokens x⟨1⟩..x⟨T_x⟩ and their ids in the source vocabulary; at most {MAX_SOURCE_TOKENS} "
                   "tokens are translated.")
        show_translation(stem, sentence.text, beam)
    show_scores(source)
    st.caption("Data: Tatoeba English–French pairs as packaged by manythings.org (CC-BY 2.0 FR). Attribution: "
               "www.manythings.org/anki and tatoeba.org.")


def source_strip(stem: str, text: str) -> tuple[list[str], list[int], int]:
    translator = inference.shipped_translator(stem)
    tokens = translator.tokens(text)[:MAX_SOURCE_TOKENS]
    return tokens, translator.source_vocab.encode(tokens), translator.source_vocab.unk_id


main()
