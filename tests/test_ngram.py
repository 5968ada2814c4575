"""The interpolated Kneser-Ney trigram (rnncore.tasks.lm.ngram.KneserNeyTrigram), the word-level language
models' count-based baseline: a distribution over the vocabulary in every context, values checked against
the formula worked by hand and against an independent transcription of it in exact fractions."""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction

import pytest

from rnncore.tasks.lm.ngram import KneserNeyTrigram

# ids: 0 = <s> (read, never predicted), 1 = "a", 2 = "b", 3 = "c", 4 = </s>, 5 = a word never seen
START, A, B, C, END, UNSEEN = 0, 1, 2, 3, 4, 5
V = 5  # the predictable ids 1..5
CORPUS = [[A, B], [A, C], [B, C]]  # "a b", "a c", "b c"


def fitted(corpus=CORPUS, vocab_size=V) -> KneserNeyTrigram:
    return KneserNeyTrigram(vocab_size, START, END).fit(corpus)


def padded(ids):
    return [START, START, *ids, END]


def reference_kneser_ney(corpus, vocab_size):
    """P(w | u v) by the textbook recipe (Chen and Goodman, 1999), in exact fractions: trigram counts at
    the top, continuation counts N1+(. v w) and N1+(. w) below, D = n1 / (n1 + 2 n2) per order, the
    lowest order interpolated with 1 / V, an unseen context passed down whole."""
    trigram = Counter(tuple(seq[i : i + 3]) for seq in map(padded, corpus) for i in range(len(seq) - 2))
    bigram_types = Counter((v, w) for (_, v, w) in trigram)  # (v, w) -> N1+(. v w)
    unigram_types = Counter(w for (_, w) in bigram_types)  # w -> N1+(. w)

    def discount(counts):
        n1 = sum(c == 1 for c in counts)
        n2 = sum(c == 2 for c in counts)
        return Fraction(n1, n1 + 2 * n2) if n1 else Fraction(1, 2)

    d3, d2, d1 = discount(trigram.values()), discount(bigram_types.values()), discount(unigram_types.values())

    def p1(w):
        total = sum(unigram_types.values())
        return (max(unigram_types[w] - d1, 0) + d1 * len(unigram_types) * Fraction(1, vocab_size)) / total

    def p2(v, w):
        after_v = {x: n for (y, x), n in bigram_types.items() if y == v}
        if not after_v:
            return p1(w)
        return (max(after_v.get(w, 0) - d2, 0) + d2 * len(after_v) * p1(w)) / sum(after_v.values())

    def p3(u, v, w):
        after_uv = {x: n for (s, y, x), n in trigram.items() if (s, y) == (u, v)}
        if not after_uv:
            return p2(v, w)
        return (max(after_uv.get(w, 0) - d3, 0) + d3 * len(after_uv) * p2(v, w)) / sum(after_uv.values())

    return p3, (d3, d2, d1)


def test_discounts_are_n1_over_n1_plus_2n2_per_order():
    model = fitted()
    # trigrams: (<s> <s> a) twice, 7 others once -> D3 = 7 / (7 + 2); bigram types by distinct left words:
    # (c </s>) after a and b -> 2, 6 others 1 -> D2 = 6 / 8; unigram types: a after 1 word, b, c, </s> after 2
    assert (model.D3, model.D2, model.D1) == pytest.approx((7 / 9, 3 / 4, 1 / 7), abs=1e-15)
    _, exact = reference_kneser_ney(CORPUS, V)
    assert exact == (Fraction(7, 9), Fraction(3, 4), Fraction(1, 7))


def test_probabilities_worked_by_hand():
    model = fitted()
    # P1: N1+(. w) = 1, 2, 2, 2 for a, b, c, </s> (total 7), D1 = 1/7, floor D1 * 4 / 7 / V = 4 / 245
    # P1(c) = (2 - 1/7) / 7 + 4/245 = 69/245;  P1(unseen) = 4/245
    # P2(c | a) = (max(1 - 3/4, 0) + 3/4 * 2 * 69/245) / 2 = 659/1960
    # P(c | <s> a) = (max(1 - 7/9, 0) + 7/9 * 2 * 659/1960) / 2 = 1/9 + 659/2520 = 313/840
    assert model.prob(START, A, C) == pytest.approx(313 / 840, rel=1e-12)
    # P(</s> | b c): P2(</s> | c) = (2 - 3/4 + 3/4 * 69/245) / 2 = 179/245; 2/9 + 7/9 * 179/245 = 83/105
    assert model.prob(B, C, END) == pytest.approx(83 / 105, rel=1e-12)
    # an unseen word after a seen context: 7/9 * P2(unseen | a) = 7/9 * (3/4 * 2 * 4/245) / 2 = 1/105
    assert model.prob(START, A, UNSEEN) == pytest.approx(1 / 105, rel=1e-12)
    # the first word: P2(a | <s>) = (1/4 + 3/2 * 34/245) / 2 = 449/1960; (2 - 7/9 + 14/9 * 449/1960) / 3 = 221/420
    assert model.prob(START, START, A) == pytest.approx(221 / 420, rel=1e-12)


def test_every_probability_matches_an_independent_transcription_of_the_formula():
    corpus = [[A, B, C], [A, B, A, B], [C, C], [B, A, C, A], [A]]
    model = fitted(corpus)
    reference, _ = reference_kneser_ney(corpus, V)
    for u in range(V + 1):
        for v in range(V + 1):
            for w in range(1, V + 1):
                assert model.prob(u, v, w) == pytest.approx(float(reference(u, v, w)), rel=1e-12, abs=0)


@pytest.mark.parametrize("corpus", [CORPUS, [[A, B, C], [A, B, A, B], [C, C], [B, A, C, A], [A]], [[A, B]] * 2, [[]]])
def test_probabilities_over_the_vocabulary_sum_to_one_in_every_context(corpus):
    model = fitted(corpus)
    for u in range(V + 1):  # every context: seen, seen only as a bigram, never seen, the start
        for v in range(V + 1):
            probs = [model.prob(u, v, w) for w in range(1, V + 1)]
            assert sum(probs) == pytest.approx(1.0, abs=1e-12)
            assert min(probs) > 0


def test_a_seen_trigram_is_more_probable_than_any_unseen_one_in_its_context():
    model = fitted([[A, B, C], [A, B, A, B], [C, C], [B, A, C, A], [A]])
    seen_after_ab = {C, A, END}  # a b c / a b a / a b </s>
    for w in seen_after_ab:
        for other in set(range(1, V + 1)) - seen_after_ab:
            assert model.prob(A, B, w) > model.prob(A, B, other)
    # and the more often seen, the more probable: "<s> <s> a" (3 times) over "<s> <s> b" and "<s> <s> c" (once)
    assert model.prob(START, START, A) > max(model.prob(START, START, B), model.prob(START, START, C))


def test_unseen_words_and_contexts():
    model = fitted()
    # every word never seen gets the same share in a context, above 0
    model6 = fitted(vocab_size=6)
    assert model6.prob(START, A, 5) == model6.prob(START, A, 6) > 0
    # a context never seen backs off entirely: P(w | x a) = P2(w | a) whatever x, P(w | x y) = P1(w)
    # whatever x for y never seen as a middle word
    for w in range(1, V + 1):
        assert model.prob(C, A, w) == model.prob(UNSEEN, A, w) == model.prob(END, A, w)
        assert model.prob(UNSEEN, UNSEEN, w) == model.prob(A, UNSEEN, w) == model.prob(B, END, w)
    assert model.prob(UNSEEN, UNSEEN, C) == pytest.approx(69 / 245, rel=1e-12)
    assert model.prob(UNSEEN, UNSEEN, UNSEEN) == pytest.approx(4 / 245, rel=1e-12)
    assert model.prob(C, A, B) == pytest.approx(659 / 1960, rel=1e-12)  # = P2(b | a), as P2(c | a) above
    # a sentence of unseen words still has a finite log-probability
    assert all(math.isfinite(lp) for lp in model.token_log_probs([UNSEEN, UNSEEN, UNSEEN]))


def test_token_log_probs_read_two_starts_and_predict_the_end():
    model = fitted()
    logs = model.token_log_probs([A, C])
    assert len(logs) == 3
    assert logs == pytest.approx([math.log(221 / 420), math.log(313 / 840), math.log(83 / 105)], rel=1e-12)
    assert model.token_log_probs([]) == pytest.approx([math.log(model.prob(START, START, END))])


def test_perplexity_is_exp_of_the_mean_negative_token_log_prob():
    model = fitted([[A, B, C], [A, B, A, B], [C, C], [B, A, C, A], [A]])
    held_out = [[A, C], [B, B, B], [C, A, B, C], [UNSEEN]]
    logs = [lp for ids in held_out for lp in model.token_log_probs(ids)]
    assert len(logs) == sum(len(ids) + 1 for ids in held_out)  # every word and every end
    assert model.perplexity(held_out) == pytest.approx(math.exp(-sum(logs) / len(logs)), rel=1e-12)
    # worked by hand on the first model: (221/420 * 313/840 * 83/105) ** (-1/3)
    assert fitted().perplexity([[A, C]]) == pytest.approx((221 / 420 * 313 / 840 * 83 / 105) ** (-1 / 3), rel=1e-12)


def test_the_trigram_beats_the_uniform_distribution_on_its_own_kind_of_text():
    corpus = [[A, B, C]] * 5 + [[A, B]] * 3 + [[B, C]] * 2
    model = fitted(corpus)
    assert model.perplexity([[A, B, C], [A, B]]) < 2.0 < V
    assert model.perplexity([[C, B, A], [B, A]]) > 2 * model.perplexity([[A, B, C], [A, B]])


def test_a_corpus_with_no_trigram_seen_once_keeps_mass_for_unseen_words():
    # every trigram seen exactly twice: n1 = 0, which made D3 = 0 and P(unseen | seen context) = 0 (log 0)
    model = fitted([[A, B], [A, B]])
    assert model.D3 == 0.5
    assert model.prob(START, START, C) > 0
    logs = model.token_log_probs([C, B])
    assert all(math.isfinite(lp) for lp in logs)
    reference, _ = reference_kneser_ney([[A, B], [A, B]], V)
    assert logs == pytest.approx([math.log(float(reference(*tri))) for tri in ((0, 0, C), (0, C, B), (C, B, END))])


def test_the_start_and_end_may_share_an_id_as_in_the_recipe():
    # the recipe uses <EOS> for both; then the predictable ids are the words and <EOS>: 1..3 here
    model = KneserNeyTrigram(3, start=3, end=3).fit([[1, 2], [2, 1, 2]])
    for u in range(1, 4):
        for v in range(1, 4):
            assert sum(model.prob(u, v, w) for w in (1, 2, 3)) == pytest.approx(1.0, abs=1e-12)
    assert model.prob(3, 3, 1) > model.prob(3, 3, 3)  # "<s> <s> </s>" (an empty sentence) was never seen
