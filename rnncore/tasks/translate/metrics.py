"""Corpus BLEU and chrF (sacrebleu), overall and by the length of the source sentence.

BLEU is sacrebleu's corpus BLEU (Papineni et al., 2002; Post, 2018): clipped n-gram precisions for
n = 1..4 pooled over the whole corpus, their geometric mean, times the brevity penalty; never sentence
BLEU averaged. chrF (Popović, 2015) is the character n-gram F-score, kinder to a word with the wrong
ending. One reference per pair (the pair's own translation), as the held-out pairs come; the same
hypothesis is scored against each pair of a source sentence that has several translations.

sacrebleu is needed only where the figures are computed (training, tests): the app and the command
line read them from the checkpoints' JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

LENGTH_BUCKETS = ((1, 3), (4, 5), (6, 7), (8, 9), (10, 99))


def bucket_name(low: int, high: int) -> str:
    return f"{low}+" if high >= 99 else f"{low}-{high}"


def bucket_of(words: int) -> str:
    for low, high in LENGTH_BUCKETS:
        if low <= words <= high:
            return bucket_name(low, high)
    return bucket_name(*LENGTH_BUCKETS[-1])


def bleu(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_bleu(list(hypotheses), [list(references)]).score)


def chrf(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    import sacrebleu

    return float(sacrebleu.corpus_chrf(list(hypotheses), [list(references)]).score)


def signatures() -> dict:
    """sacrebleu's description of the metrics as computed here (version, tokenizer, case, smoothing)."""
    import sacrebleu

    out = {}
    for name, metric in (("bleu", sacrebleu.BLEU()), ("chrf", sacrebleu.CHRF())):
        metric.corpus_score(["a b c d"], [["a b c d"]])  # a signature needs the number of references
        out[name] = str(metric.get_signature())
    return out


def scores(hypotheses: Sequence[str], references: Sequence[str], source_lengths: Sequence[int]) -> dict:
    """BLEU and chrF of the whole set, and BLEU for each bucket of source length (in words)."""
    by_length = {}
    for low, high in LENGTH_BUCKETS:
        rows = [i for i, n in enumerate(source_lengths) if low <= n <= high]
        if rows:
            by_length[bucket_name(low, high)] = {
                "bleu": round(bleu([hypotheses[i] for i in rows], [references[i] for i in rows]), 2),
                "pairs": len(rows)}
    return {"bleu": round(bleu(hypotheses, references), 2), "chrf": round(chrf(hypotheses, references), 2),
            "pairs": len(references), "bleu_by_length": by_length}
