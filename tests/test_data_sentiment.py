"""The review generator: stars that follow the meaning, held-out frames, negators on both sides,
and a hand-written challenge set that no generator produced."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from rnncore.plaintext import read_labeled_lines, read_labeled_lines_tagged
from rnncore.tasks.sentiment import generate as sentiment
from rnncore.tasks.sentiment.generate import (
    COURSE_EXAMPLES,
    FRAMES,
    PHENOMENA,
    PHENOMENON_WEIGHTS,
    generate_review_records,
    generate_reviews,
    generate_reviews_tagged,
    polarity,
    review_key,
)
from rnncore.tasks.sentiment.recipe import CLASSROOM as CHALLENGE
from rnncore.text import tokenize


@pytest.fixture(scope="module")
def train():
    return generate_review_records(6000, seed=0, split="train")


@pytest.fixture(scope="module")
def test_split():
    return generate_review_records(2000, seed=0, split="test")


def test_same_seed_same_reviews_other_seed_other_reviews():
    assert generate_reviews(300, seed=4) == generate_reviews(300, seed=4)
    assert generate_reviews(300, seed=4) != generate_reviews(300, seed=5)
    tagged = generate_reviews_tagged(300, seed=4)
    assert [(t, s) for t, s, _ in tagged] == generate_reviews(300, seed=4)
    assert {p for _, _, p in tagged} <= set(PHENOMENA)


def test_dev_is_a_different_stream_of_the_training_frames(train):
    dev = generate_review_records(2000, seed=0, split="dev")
    assert {r.frame_id for r in dev} <= {f.frame_id for f in FRAMES if not f.held_out}
    assert [r.text for r in dev[:50]] != [r.text for r in train[:50]]


def test_test_split_holds_out_whole_frames(train, test_split):
    train_frames = {r.frame_id for r in train}
    test_frames = {r.frame_id for r in test_split}
    assert train_frames.isdisjoint(test_frames)
    assert test_frames == {f.frame_id for f in FRAMES if f.held_out}
    # every phenomenon is tested on frames it was never trained on
    assert {r.phenomenon for r in test_split} == set(PHENOMENA)


def test_training_frames_cover_every_star_and_phenomenon_pair():
    table = sentiment._frame_table("train")
    for stars, weights in PHENOMENON_WEIGHTS.items():
        for phenomenon in weights:
            assert (stars, phenomenon) in table, (stars, phenomenon)


def test_stars_are_balanced_and_every_phenomenon_is_common(train):
    stars = Counter(r.stars for r in train)
    assert set(stars) == {1, 2, 3, 4, 5}
    for count in stars.values():
        assert 0.17 < count / len(train) < 0.23
    phenomena = Counter(r.phenomenon for r in train)
    for phenomenon in PHENOMENA:
        assert phenomena[phenomenon] / len(train) > 0.12, phenomena


def test_20000_reviews_are_all_produced():
    reviews = generate_reviews(20_000, seed=1)
    assert len(reviews) == 20_000
    assert len({t for t, _ in reviews}) > 15_000  # varied, not a few sentences repeated


def test_negators_occur_in_positive_and_negative_reviews_alike(train):
    """What keeps a bag of words from reading "not" as a negative word."""
    for negator in ("not", "never", "nothing", "didn't", "wasn't", "at all"):
        signs = [polarity(r.stars) for r in train if f" {negator} " in f" {' '.join(_words(r.text))} "]
        signs = [s for s in signs if s is not None]
        assert len(signs) > 50, negator
        positive_share = signs.count(1) / len(signs)
        assert 0.3 < positive_share < 0.7, (negator, positive_share)


def test_contrast_uses_both_orders_so_neither_adjective_decides(train):
    contrast = [r for r in train if r.phenomenon == "contrast" and r.stars != 3]
    stars = Counter(r.stars for r in contrast)
    assert abs(stars[2] - stars[4]) / len(contrast) < 0.15
    markers = Counter(next((m for m in ("although", "though", "while", "whilst", "despite", "but", "however",
                                        "yet", "still", "nevertheless", "even so", "that said", "in spite of",
                                        "even if")
                            if re.search(rf"\b{m}\b", r.text.lower())), None) for r in contrast)
    assert markers[None] == 0
    assert markers["but"] > 0 and markers["although"] + markers["though"] > 0


def test_adjectives_have_one_polarity_value_whatever_the_aspect():
    seen: dict[str, int] = {}
    for by_value in sentiment._ADJECTIVES.values():
        for value, words in by_value.items():
            for word in words:
                assert seen.setdefault(word, value) == value, word


@pytest.mark.parametrize("seed", range(3))
def test_plain_aspect_reviews_get_the_stars_of_their_adjective(seed):
    value_of = {w: v for by_value in sentiment._ADJECTIVES.values() for v, ws in by_value.items() for w in ws}
    frame = next(f for f in FRAMES if f.frame_id == "plain-01")
    for stars in range(1, 6):
        w = sentiment._Writer(random.Random(seed * 10 + stars), sentiment.DOMAINS[seed])
        text = frame.write(w, stars)
        adjective = re.match(r"The .+ (?:was|were|is|are) (.+)\.$", text).group(1)
        assert value_of[adjective] == stars - 3, text


def test_negation_rules_by_frame(train):
    by_frame = {r.frame_id: [] for r in train}
    for r in train:
        by_frame[r.frame_id].append(r)
    # "not good" -> 2, "not good at all" -> 1
    for r in by_frame["negation-01"]:
        tail = re.search(r"\b(at all|in any way|one bit)\b", r.text)
        assert r.stars == (1 if tail else 2), r.text
    # "not bad" -> 3, "not bad at all" -> 4
    for r in by_frame["double_negation-01"]:
        tail = re.search(r"\b(at all|in the slightest|one bit)\b", r.text)
        assert r.stars == (4 if tail else 3), r.text
    # "I didn't enjoy X at all." -> 1
    for r in by_frame["negation-02"]:
        if re.search(r"\bat all\b", r.text):
            assert r.stars == 1, r.text


def test_course_examples_and_challenge_lines_are_never_generated():
    challenge = [text for text, _ in read_labeled_lines(CHALLENGE)]
    blocked = {review_key(t) for t in challenge} | {review_key(t) for t in COURSE_EXAMPLES}
    for split in ("train", "dev", "test"):
        for seed in (0, 1):
            produced = {review_key(r.text) for r in generate_review_records(20_000, seed=seed, split=split)}
            assert produced.isdisjoint(blocked), produced & blocked


def test_challenge_set_spans_every_star_and_phenomenon():
    rows = read_labeled_lines_tagged(CHALLENGE)
    assert len(rows) >= 36
    assert {stars for _, stars, _ in rows} == {1, 2, 3, 4, 5}
    phenomena = Counter(p for _, _, p in rows)
    assert set(phenomena) == set(PHENOMENA)
    assert phenomena["negation"] >= 8 and phenomena["contrast"] >= 8
    by_text = {text: (stars, p) for text, stars, p in rows}
    assert by_text["I didn't enjoy the film at all."] == (1, "negation")
    assert by_text["There is nothing to like in this movie."] == (1, "negation")
    assert by_text["Not bad at all."] == (4, "double_negation")
    # contrast both ways: the deciding clause is positive in some and negative in others
    contrast_stars = {stars for _, stars, p in rows if p == "contrast"}
    assert {2, 4} <= contrast_stars
    assert CHALLENGE.read_text(encoding="utf-8").startswith("#")


def test_labeled_reader_accepts_two_and_three_columns(tmp_path):
    path = tmp_path / "reviews.tsv"
    path.write_text("# a comment\n5\tLoved it.\n\n2\tnegation\tNot good.\n", encoding="utf-8")
    assert read_labeled_lines(path) == [("Loved it.", 5), ("Not good.", 2)]
    assert read_labeled_lines_tagged(path)[1] == ("Not good.", 2, "negation")


@pytest.mark.parametrize("line, message", [
    ("five\tGreat.", "stars must be a whole number"),
    ("6\tGreat.", "stars must be a whole number"),
    ("Great film, no stars", "expected 'stars<TAB>text'"),
    ("4\t   ", "review text is empty"),
    ("4\ta\tb\tc", "expected 'stars<TAB>text'"),
])
def test_labeled_reader_names_file_and_line_of_a_bad_line(tmp_path, line, message):
    path = tmp_path / "bad.tsv"
    path.write_text(f"5\tFine.\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        read_labeled_lines(path)
    assert str(path) in str(err.value) and "line 2" in str(err.value) and message in str(err.value)


def test_labeled_reader_rejects_non_utf8_with_the_line(tmp_path):
    path = tmp_path / "latin1.tsv"
    path.write_bytes("5\tGood.\n4\tCafé fine.\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"line 2 is not UTF-8"):
        read_labeled_lines(path)


def _words(text: str) -> list[str]:
    return [t.lower() for t in tokenize(text)]


DECIDER_FIRST = ("contrast-04", "contrast-18", "contrast-19", "contrast-20")


def test_a_third_of_two_sided_reviews_are_decided_by_their_first_clause(train):
    two_sided = [r for r in train if r.phenomenon == "contrast" and r.stars != 3]
    first_decides = sum(r.frame_id in DECIDER_FIRST for r in two_sided) / len(two_sided)
    assert 0.25 < first_decides < 0.45, first_decides


@pytest.mark.parametrize("frame_id", DECIDER_FIRST)
def test_the_first_clause_of_a_decider_first_review_has_the_sign_of_its_stars(frame_id):
    value_of = {w: v for by_value in sentiment._ADJECTIVES.values() for v, ws in by_value.items() for w in ws}
    frame = next(f for f in FRAMES if f.frame_id == frame_id)
    checked = 0
    for seed in range(200):
        stars = (2, 4)[seed % 2]
        w = sentiment._Writer(random.Random(seed), sentiment.DOMAINS[seed % len(sentiment.DOMAINS)])
        text = frame.write(w, stars)
        first, second = text.split(", ", 1)
        if re.search(r"n't|\bnot\b", first):
            continue  # a negated clause: its adjective has the other sign
        values = [v for adjective, v in value_of.items()
                  if v and re.search(rf"(?<![\w-]){re.escape(adjective)}(?![\w-])", first.lower())]
        assert values and all((v > 0) == (stars == 4) for v in values), text
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("frame_id", ["contrast-16", "contrast-19"])
def test_three_clause_reviews_judge_three_different_aspects(frame_id):
    """"The room was warm and the staff were lovely, although the room was terrible." would contradict itself."""
    frame = next(f for f in FRAMES if f.frame_id == frame_id)
    for seed in range(300):
        w = sentiment._Writer(random.Random(seed), sentiment.DOMAINS[seed % len(sentiment.DOMAINS)])
        text = frame.write(w, (2, 4)[seed % 2])
        nouns = re.findall(r"\bthe ([\w' -]+?) (?:was|were|is|are)(?:n't)?\b", text.lower())
        assert len(nouns) == 3 and len(set(nouns)) == 3, text
