"""The NER corpus generator, the CoNLL reader/writer and the hand-written challenge set."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from rnncore.corpora import iob_to_bio, read_conll, write_conll
from rnncore.tasks.ner import generate as ner
from rnncore.tasks.ner.generate import (
    AMBIGUITY_SHARE,
    AMBIGUOUS,
    LABELS,
    SENSE_WEIGHTS,
    SPLITS,
    align,
    ambiguity_frames,
    frames,
    generate_ner,
    generate_ner_examples,
    name_pool,
)
from rnncore.tasks.ner.metrics import bio_spans
from rnncore.tasks.ner.recipe import CLASSROOM as CHALLENGE
from rnncore.text import tokenize

# The notes' own example names, kept in the training lists on purpose.
NOTES_NAMES = {"tom", "eliza", "sherlock", "holmes", "john", "watson"}
PARTICLES = {p.lower() for _, (_, ps) in ner.PARTICLES.items() for particle in ps for p in particle.split()}


@pytest.fixture(scope="module")
def examples() -> dict[str, list[ner.NerExample]]:
    return {split: generate_ner_examples(4000 if split == "train" else 1500, seed=7, split=split)
            for split in SPLITS}


def _valid_bio(tags: list[str]) -> bool:
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            return False
        previous = tag
    return True


def _train_name_words() -> set[str]:
    pool = name_pool("train")
    return {word.lower() for name in pool.all_first() | pool.all_last() for word in name.split()}


# ---------------------------------------------------------------------------------- generator


def test_tokens_are_exactly_tokenize_of_the_text(examples):
    for split in SPLITS:
        for example in examples[split]:
            assert example.tokens == tokenize(example.text), example.text
            assert len(example.tags) == len(example.tokens)


def test_tags_are_labels_in_valid_bio(examples):
    assert LABELS == ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
    seen = Counter()
    for split in SPLITS:
        for example in examples[split]:
            assert set(example.tags) <= set(LABELS)
            assert _valid_bio(example.tags), (example.text, example.tags)
            seen.update(example.tags)
    assert set(seen) == set(LABELS)  # every label occurs


def test_same_seed_same_sentences_other_seed_other_sentences():
    assert generate_ner(300, seed=3) == generate_ner(300, seed=3)
    assert generate_ner(300, seed=3) != generate_ner(300, seed=4)
    assert generate_ner(300, seed=3, split="test") != generate_ner(300, seed=3, split="train")
    examples = generate_ner_examples(5, seed=3)
    assert [tokenize(e.text) for e in examples] == [tokens for tokens, _ in generate_ner(5, seed=3)]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="split"):
        generate_ner(3, seed=0, split="validation")
    with pytest.raises(ValueError, match="n must"):
        generate_ner(-1, seed=0)
    assert generate_ner(0, seed=0) == []


def test_hundreds_of_frames_disjoint_between_splits():
    all_frames = [frame for block in ner.FRAMES.values() for frame in block]
    all_frames += [frame for senses in AMBIGUOUS.values() for _, _, right, left in senses.values()
                   for frame in right + left]
    assert len(all_frames) == len(set(all_frames)), "a frame is written twice"
    per_split = {split: {f for block in frames(split).values() for f in block} for split in SPLITS}
    ambiguous = {split: {f for pair in ambiguity_frames(split).values() for part in pair for f in part}
                 for split in SPLITS}
    assert len(per_split["train"]) + len(ambiguous["train"]) >= 300
    assert len(per_split["test"]) >= 30 and len(per_split["dev"]) >= 30
    for a, b in (("train", "test"), ("train", "dev"), ("dev", "test")):
        assert not per_split[a] & per_split[b]
        assert not ambiguous[a] & ambiguous[b]
    for split in ("dev", "test"):  # every domain and every main sense is held out somewhere
        assert all(frames(split)[domain] for domain in ner.FRAMES)
        for (word, sense), (right, left) in ambiguity_frames(split).items():
            assert right or left or sense == "modal", (split, word, sense)


def test_generated_sentences_use_only_their_split_frames(examples):
    for split in ("dev", "test"):
        allowed = {f for block in frames(split).values() for f in block}
        allowed |= {f for pair in ambiguity_frames(split).values() for part in pair for f in part}
        assert {example.frame for example in examples[split]} <= allowed


def test_name_lists_disjoint_and_test_sentences_hold_no_training_name(examples):
    pools = {split: name_pool(split) for split in SPLITS}
    words = {split: {w for n in pools[split].all_first() | pools[split].all_last() for w in n.split()}
             for split in SPLITS}
    assert not words["train"] & words["test"]
    assert not words["train"] & words["dev"]
    assert not words["dev"] & words["test"]
    train_words = {w.lower() for w in words["train"]}
    ambiguous = set(AMBIGUOUS)
    for example in examples["test"]:
        for entity_type, start, end in bio_spans(example.tags):
            if entity_type != "PER":
                continue
            for token in example.tokens[start:end]:
                lower = token.lower()
                if lower in PARTICLES or lower in ambiguous or lower in example.frame.lower():
                    continue  # a name written into a frame ("[Thomas Edison|PER]") is frame text
                assert lower not in train_words, (token, example.text)


def test_many_locales_and_the_issue_names_are_in_training():
    pool = name_pool("train")
    locales = [loc for loc in pool.first if len(pool.first[loc]) >= 30 and len(pool.last[loc]) >= 8]
    assert len(locales) >= 20
    firsts, lasts = pool.all_first(), pool.all_last()
    assert {"Tom", "Kenji", "Olga", "Ngozi", "Eliza"} <= firsts
    assert "Müller" in lasts
    assert len(firsts) > 5000 and len(lasts) > 5000
    assert all(re.fullmatch(r"[^\W\d_]+(?:[-' ][^\W\d_]+)*", name) for name in firsts | lasts)
    # names in a held-out split come from many locales too
    assert sum(bool(names) for names in name_pool("test").first.values()) >= 20


def test_ambiguous_words_in_both_senses_with_expected_counts():
    n = 8000
    examples = generate_ner_examples(n, seed=11)
    counts = Counter(example.ambiguous for example in examples if example.ambiguous)
    sentence_initial = Counter()
    for example in examples:
        if not example.ambiguous:
            continue
        word, sense = example.ambiguous
        expected_type = AMBIGUOUS[word][sense][0]
        positions = [i for i, token in enumerate(example.tokens) if token.lower() == word]
        assert positions, example.text
        tag = example.tags[positions[0]]
        assert (tag == "O") if expected_type == "O" else tag.endswith(expected_type), (example.text, tag)
        if positions[0] == 0:
            sentence_initial[(word, sense)] += 1
    for word, senses in AMBIGUOUS.items():
        weights = SENSE_WEIGHTS.get(word, dict.fromkeys(senses, 1 / len(senses)))
        for sense in senses:
            expected = n * AMBIGUITY_SHARE / len(AMBIGUOUS) * weights[sense]
            assert 0.6 * expected <= counts[(word, sense)] <= 1.4 * expected, (word, sense, counts)
            assert sentence_initial[(word, sense)] >= 5, (word, sense)  # no left context at all


def test_deciding_words_come_after_the_word_in_most_ambiguity_sentences():
    for senses in AMBIGUOUS.values():
        for _, _, right, _ in senses.values():
            assert all(frame.startswith("{W}") for frame in right)
    assert not any("{" in prefix.replace("{relative}", "") for prefix in ner.NEUTRAL_PREFIXES)
    examples = [e for e in generate_ner_examples(6000, seed=5) if e.ambiguous]
    right = sum(e.frame.startswith("{W}") for e in examples)
    assert 0.55 <= right / len(examples) <= 0.75


def test_variety_lowercase_capitalised_words_and_entity_positions(examples):
    train = examples["train"]
    lowercase = [e for e in train if not any(ch.isupper() for ch in e.text)]
    assert 0.03 <= len(lowercase) / len(train) <= 0.10
    assert any(tag != "O" for e in lowercase for tag in e.tags)
    capitalised_o = Counter(t for e in train for t, g in zip(e.tokens, e.tags, strict=True)
                            if g == "O" and t[:1].isupper())
    assert {"I", "The", "Monday", "January"} <= set(capitalised_o)
    ordinary_words = {t for e in train for t, g in zip(e.tokens, e.tags, strict=True)
                      if g == "O" and t.isalpha() and t.islower()}
    assert len(ordinary_words) > 1200
    first = sum(e.tags[0].startswith("B-") for e in train)
    last = sum(any(tag != "O" for tag in e.tags[-2:]) for e in train)
    assert first > 0.15 * len(train) and last > 0.15 * len(train)
    assert any(t == "Dr" and g == "O" for e in train for t, g in zip(e.tokens, e.tags, strict=True))


def test_multi_token_names_particles_and_non_ascii(examples):
    per_spans = [e.tokens[s:t] for e in examples["train"] for kind, s, t in bio_spans(e.tags) if kind == "PER"]
    assert sum(len(span) >= 2 for span in per_spans) > 0.3 * len(per_spans)
    assert any(token in ("van", "der", "da", "dos", "de") for span in per_spans for token in span)
    assert any("-" in token for span in per_spans for token in span)
    assert any(not token.isascii() for span in per_spans for token in span)


def test_align_refuses_a_token_that_crosses_an_entity_boundary():
    tokens, tags = align("We met Tom's sister in New York.", [(7, 10, "PER"), (23, 31, "LOC")])
    assert tokens == ["We", "met", "Tom", "'s", "sister", "in", "New", "York", "."]
    assert tags == ["O", "O", "B-PER", "O", "O", "O", "B-LOC", "I-LOC", "O"]
    with pytest.raises(ValueError, match="crosses"):
        align("A Paris-based firm.", [(2, 7, "LOC")])


# ---------------------------------------------------------------------------------- CoNLL


def test_conll_round_trip(tmp_path):
    sentences = generate_ner(50, seed=1)
    path = tmp_path / "corpus.conll"
    write_conll(path, sentences)
    assert read_conll(path) == sentences
    assert read_conll(path, labels=LABELS) == sentences


def test_conll_2003_columns_docstart_and_iob1(tmp_path):
    path = tmp_path / "eng.train"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n. . O O\n\n"
        "Peter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n\n"
        "Japan NNP B-NP I-LOC\nChina NNP B-NP B-LOC\n",  # no blank line at the end of the file
        encoding="utf-8")
    assert read_conll(path) == [
        (["EU", "rejects", "German", "call", "."], ["B-ORG", "O", "B-MISC", "O", "O"]),
        (["Peter", "Blackburn"], ["B-PER", "I-PER"]),
        (["Japan", "China"], ["B-LOC", "B-LOC"]),
    ]
    assert iob_to_bio(["I-PER", "B-PER", "I-LOC", "I-PER"]) == ["B-PER", "B-PER", "B-LOC", "B-PER"]


def test_conll_errors_name_file_and_line(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("Tom B-PER\nmet O\nParis\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.conll:3: expected a token and a tag"):
        read_conll(path)
    path.write_text("Tom B-PER\n\nParis LOCATION\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.conll:3: malformed tag 'LOCATION'"):
        read_conll(path)
    path.write_text("Tom B-PER\nin O\n2024 B-DATE\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.conll:3: tag 'B-DATE'"):
        read_conll(path, labels=LABELS)
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no sentences"):
        read_conll(path)
    with pytest.raises(ValueError, match="whitespace"):
        write_conll(tmp_path / "out.conll", [(["New York"], ["B-LOC"])])
    with pytest.raises(ValueError, match="1 tokens but 2 tags"):
        write_conll(tmp_path / "out.conll", [(["Tom"], ["B-PER", "O"])])


# ---------------------------------------------------------------------------------- challenge set


@pytest.fixture(scope="module")
def challenge() -> list[tuple[list[str], list[str]]]:
    return read_conll(CHALLENGE, labels=LABELS)


def _detokenize(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        glue = not text or token in {".", ",", "!", "?", ":", ";", "'s"}
        text += token if glue else " " + token
    return text


def test_challenge_set_size_tokens_and_tags(challenge):
    assert len(challenge) >= 45
    for tokens, tags in challenge:
        assert tokenize(_detokenize(tokens)) == tokens
        assert _valid_bio(tags)
    types = Counter(kind for _, tags in challenge for kind, _, _ in bio_spans(tags))
    assert min(types[kind] for kind in ("PER", "LOC", "ORG", "MISC")) >= 10
    lowercase = [tokens for tokens, _ in challenge if not any(ch.isupper() for t in tokens for ch in t)]
    assert len(lowercase) >= 3


def test_challenge_set_holds_the_notes_examples_and_both_senses(challenge):
    texts = {_detokenize(tokens) for tokens, _ in challenge}
    assert "Yesterday, Tom met Eliza in Paris." in texts
    assert "He met with Apple representatives today." in texts
    assert "Sherlock Holmes and John Watson lived at 221B Baker Street in London." in texts
    senses = {(token.lower(), tag[2:] or "O") for tokens, tags in challenge
              for token, tag in zip(tokens, tags, strict=True) if token.lower() in AMBIGUOUS}
    for word, kinds in {"apple": {"ORG", "O"}, "amazon": {"ORG", "LOC"}, "jordan": {"PER", "LOC"},
                        "washington": {"PER", "LOC"}, "paris": {"PER", "LOC"}, "tesla": {"ORG", "PER"},
                        "may": {"PER", "O"}, "teddy": {"PER", "O"}}.items():
        assert {(word, kind) for kind in kinds} <= senses, word


def test_challenge_person_names_are_not_training_names(challenge):
    train_words = _train_name_words()
    seen = []
    for tokens, tags in challenge:
        for kind, start, end in bio_spans(tags):
            if kind != "PER":
                continue
            for token in tokens[start:end]:
                lower = token.lower()
                if lower in NOTES_NAMES or lower in PARTICLES or lower in AMBIGUOUS:
                    continue
                seen.append(token)
                assert lower not in train_words, token
    assert len(seen) >= 30


def test_challenge_sentences_were_never_generated(challenge):
    generated = {tuple(tokens) for tokens, _ in generate_ner(20000, seed=0)}
    generated |= {tuple(tokens) for split in ("dev", "test") for tokens, _ in generate_ner(3000, 0, split)}
    assert not [tokens for tokens, _ in challenge if tuple(tokens) in generated]
