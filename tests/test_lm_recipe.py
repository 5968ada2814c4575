"""The language-model recipes (rnncore.tasks.lm.recipe) on a toy data folder laid out as the real one:
a few hundred sentences per source from a small grammar (written by this file, every word in the course
vocabulary), and a names.txt of made-up names. Splits, batches, the NLL, the word-order test, and two tiny
``train_lm`` runs whose checkpoint figures are recomputed here from the saved weights."""

from __future__ import annotations

import hashlib
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnncore import checkpoint
from rnncore.encoding import encoder_of
from rnncore.models import LanguageModel, ModelConfig
from rnncore.tasks.lm import recipe
from rnncore.tasks.lm.inference import sample
from rnncore.tasks.lm.ngram import BigramCharModel, KneserNeyTrigram
from rnncore.text import Vocab, tokenize
from rnncore.training import TrainConfig

# --------------------------------------------------------------------------------- the toy corpora

DETS = ["the", "my", "his", "her", "our"]
ADJS = ["small", "big", "old", "happy", "red", "young", "tall", "quiet"]
NOUNS = ["cat", "dog", "bird", "fox", "girl", "boy", "teacher", "farmer", "doctor", "horse"]
VERBS = ["saw", "liked", "fed", "found", "heard", "met", "helped", "watched"]
PLACES = ["garden", "park", "river", "house", "school", "market", "city"]
SYLLABLES = ["ka", "mi", "lo", "ra", "na", "el", "an", "is", "to", "be", "ju", "de", "ly", "or", "sa", "vi"]


def grammar_sentence(rng: random.Random) -> list[str]:
    """DET [ADJ] NOUN VERB DET [ADJ] NOUN [in the PLACE] [today|yesterday] ."""
    def noun_phrase():
        return [rng.choice(DETS), *([rng.choice(ADJS)] if rng.random() < 0.5 else []), rng.choice(NOUNS)]

    tokens = [*noun_phrase(), rng.choice(VERBS), *noun_phrase()]
    if rng.random() < 0.5:
        tokens += ["in", "the", rng.choice(PLACES)]
    if rng.random() < 0.3:
        tokens.append(rng.choice(["today", "yesterday"]))
    return [*tokens, "."]


def distinct_sentences(n: int, seed: int) -> list[list[str]]:
    rng, seen, out = random.Random(seed), set(), []
    while len(out) < n:
        tokens = grammar_sentence(rng)
        if " ".join(tokens) not in seen:
            seen.add(" ".join(tokens))
            out.append(tokens)
    return out


def typed(tokens: list[str]) -> str:
    """"The big dog saw my cat." from its tokens."""
    return (" ".join(tokens[:-1]) + tokens[-1]).capitalize()


def made_up_names(n: int, seed: int) -> list[str]:
    rng, seen = random.Random(seed), []
    known = set()
    while len(seen) < n:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 4))))
        if name not in known:
            known.add(name)
            seen.append(name)
    return seen


def write_corpora(folder: Path, n: int = 240, seed: int = 0) -> dict[str, list[tuple[str, list[str]]]]:
    """The four word sources (and CoNLL's validation file) and names.txt under ``folder`` as
    recipe.WORD_SOURCES / NEWS_HELD_OUT / NAMES_FILE place them, each in its publisher's format. Returns
    source -> [(line as the recipe keys it, its tokens)], "news valid" for the validation file's lines,
    and for "encyclopedia" one such list per article."""
    files = {name: folder / relative for name, (relative, _) in recipe.WORD_SOURCES.items()}
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    expected = {}

    everyday = distinct_sentences(n, seed)
    pairs = [f"{typed(t)}\tPhrase {i}.\tCC-BY 2.0 (France) Attribution: tatoeba.org #{i}" for i, t in enumerate(everyday)]
    pairs += [f"{typed(t)}\tAutre phrase {i}." for i, t in enumerate(everyday[:20])]  # a second translation
    files["everyday"].write_text("\n".join(pairs) + "\n", encoding="utf-8")
    expected["everyday"] = sorted((typed(t), [t[0].capitalize(), *t[1:]]) for t in everyday)

    reviews, rows = distinct_sentences(n, seed + 1), []
    for i, tokens in enumerate(reviews):
        if i % 10 == 0:  # the treebank's split contraction, read as typed
            tokens[1:1] = ["does", "n't"]
        rows.append((f"{i % 5} {' '.join(tokens)}", " ".join(tokens), [t if t != "does" else "doesn't" for t in tokens
                                                                           if t != "n't"]))
    files["reviews"].write_text("\n".join(r[0] for r in rows) + "\n", encoding="utf-8")
    expected["reviews"] = [(line, tokens) for _, line, tokens in rows]

    news = distinct_sentences(n, seed + 2)
    for tokens in news:
        tokens[0] = tokens[0].capitalize()
    stories = {"train": news[: n // 2], "valid": news[n // 2 :]}  # CoNLL's two files: other stories
    for part, sentences in stories.items():
        lines = ["-DOCSTART- -X- -X- O", ""]
        for i, tokens in enumerate(sentences):
            lines += [f"{t} NN I-NP O" for t in tokens] + [""]
            if i % 50 == 49:
                lines += ["-DOCSTART- -X- -X- O", ""]
        path = files["news"] if part == "train" else folder / recipe.NEWS_HELD_OUT
        path.write_text("\n".join(lines), encoding="utf-8")
    expected["news"] = [(" ".join(t), t) for t in stories["train"]]
    expected["news valid"] = [(" ".join(t), t) for t in stories["valid"]]

    wiki, lines, expected["encyclopedia"] = distinct_sentences(n, seed + 3), [" "], []
    for k in range(0, n, 4):  # n / 4 articles: a title, a paragraph, a section heading, a paragraph
        a = k // 4  # 8 x 10 distinct titles
        title = f"= The {ADJS[a % len(ADJS)].capitalize()} {NOUNS[a // len(ADJS) % len(NOUNS)].capitalize()} ="
        section = f"= = {NOUNS[(k + 1) % len(NOUNS)].capitalize()} = ="
        first, second = " ".join(wiki[k + 1]), " ".join(" ".join(t) for t in wiki[k + 2 : k + 4])
        lines += [f" {title} ", " ", f" {first} ", " ", f" {section} ", " ", f" {second} ", " "]
        expected["encyclopedia"].append([(line, line.split()) for line in (title, first, section, second)])
    files["encyclopedia"].write_text("\n".join(lines) + "\n", encoding="utf-8")

    names_path = folder / recipe.NAMES_FILE
    names_path.parent.mkdir(parents=True, exist_ok=True)
    names = made_up_names(300, seed)
    names_path.write_text("\n".join(n.capitalize() if i % 7 == 0 else n for i, n in enumerate(names)) + "\n\n",
                          encoding="utf-8")
    expected["names"] = names
    return expected


def md5_split(line: str, salt: str, dev: float = 0.05, test: float = 0.05) -> str:
    """The recipe's documented split: md5 of "salt:line", bucket < test share is test, < test + dev dev,
    else train."""
    bucket = int(hashlib.md5(f"{salt}:{line}".encode()).hexdigest(), 16) % 10_000 / 10_000
    return "test" if bucket < test else "dev" if bucket < test + dev else "train"


def hand_nll(model, vocab: Vocab, sequences) -> tuple[float, int]:
    """-sum log P over every unit and the <EOS> after it, one sequence at a time, from log_softmax."""
    total, count = 0.0, 0
    for units in sequences:
        ids = vocab.encode(units)
        with torch.no_grad():
            log_p = F.log_softmax(model(torch.tensor([[vocab.eos_id, *ids]]))[0], dim=-1)  # (T + 1, V)
        for t, target in enumerate([*ids, vocab.eos_id]):
            total -= float(log_p[t, target])
        count += len(ids) + 1
    return total, count


def hand_prefers_real_order(model, vocab: Vocab, sentences, limit: int = 1000) -> tuple[float, int]:
    """As documented: each sentence against its words shuffled by one Random(0) (up to 10 tries for an
    order that differs; none found, the sentence is left out); a win is a strictly higher log P."""
    rng, wins, pairs = random.Random(0), 0, 0
    for tokens in sentences[:limit]:
        fake = None
        for _ in range(10):
            candidate = list(tokens)
            rng.shuffle(candidate)
            if candidate != list(tokens):
                fake = candidate
                break
        if fake is None:
            continue
        real = sum(model.token_log_probs(vocab.encode(tokens), vocab.eos_id, vocab.eos_id))
        other = sum(model.token_log_probs(vocab.encode(fake), vocab.eos_id, vocab.eos_id))
        wins, pairs = wins + (real > other), pairs + 1
    return wins / max(pairs, 1), pairs


def close(value: float, reference: float):
    """The JSON's figures are rounded to 4 decimals."""
    return value == pytest.approx(reference, rel=2e-5, abs=1e-4)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    return folder, write_corpora(folder)


# ------------------------------------------------------------------------------------------- splits


def expected_splits(expected: dict) -> dict[str, dict[str, list[list[str]]]]:
    """The recipe's documented cuts, recomputed from the written corpora: md5 buckets of each line for
    everyday and reviews; news trains on all of train.txt and halves valid.txt by the same hash; whole
    encyclopedia articles, ranked by the md5 of their titles, 5% test and 5% dev."""
    wanted = {name: {"train": [], "dev": [], "test": []} for name in ("everyday", "reviews", "news", "encyclopedia")}
    for name in ("everyday", "reviews"):
        for line, tokens in expected[name]:
            wanted[name][md5_split(line, f"lm-{name}")].append(tokens)
    wanted["news"]["train"] = [tokens for _, tokens in expected["news"]]
    for line, tokens in expected["news valid"]:
        wanted["news"][md5_split(line, "lm-news", dev=0.5, test=0.5)].append(tokens)
    articles = sorted(expected["encyclopedia"], key=lambda rows: hashlib.md5(f"lm-encyclopedia:{rows[0][0]}".encode()).hexdigest())
    n_held = round(0.05 * len(articles))
    for part, group in (("test", articles[:n_held]), ("dev", articles[n_held : 2 * n_held]), ("train", articles[2 * n_held :])):
        wanted["encyclopedia"][part] = [tokens for rows in group for _, tokens in rows]
    return wanted


def test_word_splits_cut_every_source_as_documented(corpora):
    folder, expected = corpora
    splits = recipe.word_splits(folder)
    assert list(splits) == ["everyday", "reviews", "news", "encyclopedia"]
    for name, wanted in expected_splits(expected).items():
        assert splits[name] == wanted, name
        assert all(len(wanted[part]) >= 3 for part in wanted), name  # every part of every source is used
        # section headings ("= = History = =") recur across articles, as in WikiText; no other line does
        joined = {part: {" ".join(t) for t in wanted[part] if t[:2] != ["=", "="]} for part in wanted}
        assert not (joined["train"] & joined["dev"] or joined["train"] & joined["test"] or joined["dev"] & joined["test"])
    # everyday holds each English sentence once, though 20 have two translations
    assert sum(len(p) for p in splits["everyday"].values()) == 240
    assert recipe.word_splits(folder) == splits


def test_a_sentence_keeps_its_split_whatever_else_the_corpus_holds(corpora, tmp_path):
    folder, _ = corpora
    before = recipe.word_splits(folder)
    bigger = tmp_path / "bigger"
    write_corpora(bigger, n=240)
    extra = bigger / recipe.WORD_SOURCES["reviews"][0]
    more = [f"3 {' '.join(t)}" for t in distinct_sentences(100, seed=99)]
    extra.write_text("\n".join(more) + "\n" + extra.read_text(encoding="utf-8"), encoding="utf-8")
    after = recipe.word_splits(bigger)
    for part in ("train", "dev", "test"):
        kept = [t for t in after["reviews"][part] if t in before["reviews"]["train"] + before["reviews"]["dev"]
                + before["reviews"]["test"]]
        assert kept == before["reviews"][part]
    assert sum(len(p) for p in after["reviews"].values()) == 340


def test_articles_start_at_titles_and_keep_their_sections():
    lines = ["stray line", "= Apple =", "Apples grow .", "= = Uses = =", "Pies .", "= Pear =", "Pears too ."]
    assert recipe.articles_of(lines) == [["stray line"], ["= Apple =", "Apples grow .", "= = Uses = =", "Pies ."],
                                         ["= Pear =", "Pears too ."]]
    assert recipe.articles_of([]) == []


def test_fewer_than_three_articles_all_train_and_more_hold_out_whole_ones():
    two = [["= A =", "a ."], ["= B =", "b ."]]
    parts = recipe.split_articles(two, "salt")
    assert parts["dev"] == parts["test"] == [] and sorted(parts["train"]) == ["= A =", "= B =", "a .", "b ."]
    forty = [[f"= T{i} =", f"text {i} ."] for i in range(40)]
    parts = recipe.split_articles(forty, "salt")
    assert [len(parts[p]) for p in ("train", "dev", "test")] == [72, 4, 4]  # 5% of 40 = 2 articles each
    titles = {p: [line for line in parts[p] if line.startswith("=")] for p in parts}
    for part, group in titles.items():  # each title is followed by its own text, in the same part
        for title in group:
            i = parts[part].index(title)
            assert parts[part][i + 1] == f"text {title[3:-2]} ."


def test_word_splits_of_own_files_are_a_seeded_80_10_10_cut(tmp_path):
    lines = [typed(t) for t in distinct_sentences(40, seed=5)]
    path = tmp_path / "diary.txt"
    path.write_text("\n\n".join(lines) + "\n  \n", encoding="utf-8")
    splits = recipe.word_splits(None, [path])
    shuffled = list(lines)
    random.Random(0).shuffle(shuffled)
    assert list(splits) == ["diary"]
    assert splits["diary"] == {"train": [tokenize(s) for s in shuffled[8:]], "dev": [tokenize(s) for s in shuffled[:4]],
                               "test": [tokenize(s) for s in shuffled[4:8]]}
    assert [len(splits["diary"][p]) for p in ("train", "dev", "test")] == [32, 4, 4]


def test_names_splits_hold_out_makemores_test_names(corpora):
    folder, expected = corpora
    names = expected["names"]
    splits = recipe.names_splits(folder)
    with torch.random.fork_rng():  # makemore: torch.manual_seed(3407); rp = torch.randperm(n); test = rp[-n_test:]
        torch.manual_seed(3407)
        rp = torch.randperm(len(names)).tolist()
    assert splits["test"] == [names[i] for i in rp[-30:]]
    assert splits["dev"] == [names[i] for i in rp[-60:-30]]
    assert splits["train"] == [names[i] for i in rp[:-60]]
    assert sorted(splits["train"] + splits["dev"] + splits["test"]) == sorted(names)  # lowercased, blank skipped
    assert recipe.names_splits(None, [folder / recipe.NAMES_FILE]) == splits == recipe.names_splits(folder)


def test_names_splits_hold_out_at_most_a_thousand_names(tmp_path):
    names = made_up_names(12_000, seed=1)
    path = tmp_path / "many.txt"
    path.write_text("\n".join(names), encoding="utf-8")
    splits = recipe.names_splits(None, [path])
    assert [len(splits[p]) for p in ("train", "dev", "test")] == [10_000, 1000, 1000]
    assert not set(splits["test"]) & (set(splits["dev"]) | set(splits["train"]))


def test_a_missing_folder_or_file_is_a_value_error_naming_the_path(tmp_path, corpora):
    missing = tmp_path / "nowhere"
    with pytest.raises(ValueError) as err:
        recipe.word_splits(missing)
    assert str(err.value).startswith(f"{missing / 'translation/eng-fra.train.tsv'}: not found (the everyday source")
    with pytest.raises(ValueError, match="names for the character-level model") as err:
        recipe.names_splits(missing)
    assert str(err.value).startswith(f"{missing / 'lm/names/names.txt'}: not found")
    partial = tmp_path / "partial"
    write_corpora(partial, n=40)
    (partial / recipe.NEWS_HELD_OUT).unlink()
    with pytest.raises(ValueError) as err:
        recipe.word_splits(partial)
    assert str(err.value).startswith(f"{partial / 'ner/conll2003/valid.txt'}: not found (the news source")
    write_corpora(partial, n=40)
    (partial / recipe.WORD_SOURCES["encyclopedia"][0]).unlink()
    with pytest.raises(ValueError) as err:
        recipe.word_splits(partial)
    assert str(err.value).startswith(f"{partial / 'lm/wikitext-2/wiki.valid.tokens'}: not found (the encyclopedia")
    for level in ("word", "char"):
        with pytest.raises(ValueError, match="not found"):
            recipe.train_lm("gru", level, tmp_path / f"out-{level}", data_dir=missing, progress=None)
        assert not (tmp_path / f"out-{level}.json").exists()


# ------------------------------------------------------------------------------ batches and the NLL


def tiny_vocab() -> Vocab:
    return Vocab.from_words(["the", "cat", "sat"], lowercase=True, eos=True)  # <PAD> 0, 1..3, <EOS> 4, <UNK> 5


def test_char_vocab_lists_the_letters_then_eos_and_unk():
    vocab = recipe.char_vocab(["abba", "cab", "bc"])
    assert vocab.tokens == ["<PAD>", "a", "b", "c", "<EOS>", "<UNK>"]
    assert (vocab.eos_id, vocab.unk_id) == (4, 5)
    assert vocab.encode(list("Cab")) == [5, 1, 2]  # case kept: "C" is not "c"


def test_lm_batch_shifts_targets_by_one_and_pads_with_ignored_labels():
    batch = recipe.lm_batch(tiny_vocab(), [["the", "cat", "sat"], ["Cat"], ["dog", "the"], []])
    assert batch["x"].tolist() == [[4, 1, 2, 3], [4, 2, 0, 0], [4, 5, 1, 0], [4, 0, 0, 0]]
    assert batch["y"].tolist() == [[1, 2, 3, 4], [2, 4, -100, -100], [5, 1, 4, -100], [4, -100, -100, -100]]
    assert batch["lengths"].tolist() == [4, 2, 3, 1]


@pytest.mark.parametrize("arch", ["rnn", "gru", "lstm"])
def test_lm_nll_equals_a_loop_over_log_softmax_one_sequence_at_a_time(arch):
    vocab = tiny_vocab()
    torch.manual_seed(1)
    model = LanguageModel(ModelConfig(arch, len(vocab), 6, 8, len(vocab))).eval()
    with torch.no_grad():
        model.out.weight.mul_(20.0)  # far from uniform
    rng = random.Random(2)
    sequences = [[rng.choice(["the", "cat", "sat", "dog"]) for _ in range(rng.randint(0, 6))] for _ in range(11)]
    nll, count = recipe.lm_nll(model, vocab, sequences, batch_size=3)  # padded batches of mixed lengths
    expected_nll, expected_count = hand_nll(model, vocab, sequences)
    assert count == expected_count == sum(len(s) + 1 for s in sequences)
    assert nll == pytest.approx(expected_nll, rel=1e-5)
    assert abs(nll / count - math.log(5)) > 0.05  # not the uniform model's loss


# ----------------------------------------------------------------------------- the sampled softmax


def test_unigram_proposal_is_one_more_than_each_count_to_the_power_and_never_padding():
    q = recipe.unigram_proposal([[1, 1, 2], [3]], vocab_size=6, eos_id=4)
    counts = np.array([0, 2 + 1, 1 + 1, 1 + 1, 2 + 1, 0 + 1], dtype=float)  # <PAD>, 1, 2, 3, <EOS> twice, <UNK>
    expected = counts**0.75 / (counts**0.75).sum()
    assert q.shape == (6,) and float(q[0]) == 0.0
    assert q.tolist() == pytest.approx(expected.tolist(), rel=1e-6)


def numpy_sampled_loss(model, batch, proposal, drawn) -> float:
    """The sampled-softmax loss transcribed from its docstring, one real step at a time, in NumPy."""
    keep = (batch["y"] != -100).numpy()
    with torch.no_grad():
        states = model.states(batch["x"]).numpy()  # (m, T + 1, n_a)
    W, b = model.out.weight.detach().numpy(), model.out.bias.detach().numpy()
    with np.errstate(divide="ignore"):  # <PAD>, never a target nor drawn, has Q = 0
        log_kq = np.log(len(drawn) * proposal.numpy())
    losses = []
    for i, t in zip(*np.nonzero(keep), strict=True):
        y = int(batch["y"][i, t])
        z = W @ states[i, t] + b - log_kq  # (V,) every corrected logit
        terms = np.array([z[y], *[z[s] for s in drawn if s != y]])
        losses.append(-z[y] + np.log(np.exp(terms - terms.max()).sum()) + terms.max())
    return float(np.mean(losses))


def test_sampled_softmax_loss_matches_its_numpy_transcription():
    vocab = tiny_vocab()
    torch.manual_seed(4)
    model = LanguageModel(ModelConfig("lstm", len(vocab), 6, 8, len(vocab))).eval()  # eval: no dropout
    batch = recipe.lm_batch(vocab, [["the", "cat", "sat"], ["cat"], ["sat", "the"]])
    proposal = recipe.unigram_proposal([[1, 2, 3], [2]], len(vocab), vocab.eos_id)
    loss = recipe.sampled_softmax_loss(model, batch, proposal, 7, torch.Generator().manual_seed(3)).detach()
    drawn = torch.multinomial(proposal, 7, replacement=True, generator=torch.Generator().manual_seed(3)).tolist()
    assert float(loss) == pytest.approx(numpy_sampled_loss(model, batch, proposal, drawn), rel=1e-5)
    hits = sum(s == y for y in batch["y"][batch["y"] != -100].tolist() for s in drawn)
    assert hits > 0  # the case of a drawn word equal to the target is exercised
    assert float(loss) != pytest.approx(float(recipe.full_softmax_loss(model, batch).detach()), rel=0.05)


def test_full_softmax_loss_is_the_cross_entropy_of_the_padded_logits():
    vocab = tiny_vocab()
    torch.manual_seed(5)
    model = LanguageModel(ModelConfig("rnn", len(vocab), 6, 8, len(vocab))).eval()
    batch = recipe.lm_batch(vocab, [["the", "cat", "sat"], ["cat"], []])
    logits = model(batch["x"], batch["lengths"])  # (3, 4, V)
    padded = F.cross_entropy(logits.reshape(-1, len(vocab)), batch["y"].reshape(-1), ignore_index=-100)
    assert float(recipe.full_softmax_loss(model, batch).detach()) == pytest.approx(float(padded.detach()), rel=1e-6)
    assert float(padded.detach()) == pytest.approx(hand_nll(model, vocab, [["the", "cat", "sat"], ["cat"], []])[0] / 7, rel=1e-5)


# ------------------------------------------------------------------------------------ word order


def test_shuffled_words_are_another_order_of_the_same_words():
    rng = random.Random(3)
    for tokens in (["the", "cat", "sat"], ["a", "b"], ["x", "x", "y", "z", "x"]):
        for _ in range(20):
            fake = recipe.shuffled_words(tokens, rng)
            assert fake != tokens and sorted(fake) == sorted(tokens)
    assert recipe.shuffled_words(["so", "so"], rng) is None
    assert recipe.shuffled_words(["one"], rng) is None
    assert recipe.shuffled_words([], rng) is None
    assert recipe.shuffled_words(list("abcd"), random.Random(7)) == recipe.shuffled_words(list("abcd"), random.Random(7))


class InversionScorer:
    """A stand-in language model: log P(sentence) = -(number of inversions of its ids), so a sentence in
    increasing id order beats every other order of its words and one in decreasing order loses to all."""

    def __init__(self):
        self.calls = []

    def token_log_probs(self, ids, start_id, end_id):
        self.calls.append((start_id, end_id))
        inversions = sum(a > b for i, a in enumerate(ids) for b in ids[i + 1 :])
        return [-float(inversions), 0.0]


def test_prefers_real_order_counts_strict_wins_over_shuffled_sentences():
    vocab = Vocab.from_words(["a", "b", "c", "d", "e"], lowercase=True, eos=True)
    rising = [["a", "b", "c"], ["b", "d"], ["a", "c", "d", "e"]]
    falling = [["c", "b", "a"], ["e", "a"]]
    same = [["b", "b"]]  # no other order: left out
    sentences = [rising[0], falling[0], same[0], rising[1], falling[1], rising[2]]
    scorer = InversionScorer()
    assert recipe.prefers_real_order(scorer, vocab, sentences) == {"share": 3 / 5, "pairs": 5}
    assert set(scorer.calls) == {(vocab.eos_id, vocab.eos_id)}
    assert recipe.prefers_real_order(InversionScorer(), vocab, sentences, limit=2) == {"share": 1 / 2, "pairs": 2}
    assert recipe.prefers_real_order(InversionScorer(), vocab, rising) == {"share": 1.0, "pairs": 3}
    assert recipe.prefers_real_order(InversionScorer(), vocab, same) == {"share": 0.0, "pairs": 0}

    class Constant:  # a tie is not a preference
        def token_log_probs(self, ids, start_id, end_id):
            return [-1.0] * (len(ids) + 1)

    assert recipe.prefers_real_order(Constant(), vocab, sentences) == {"share": 0.0, "pairs": 5}


def test_prefers_real_order_of_a_real_model_is_the_documented_share():
    vocab = tiny_vocab()
    torch.manual_seed(4)
    model = LanguageModel(ModelConfig("lstm", len(vocab), 6, 8, len(vocab))).eval()
    with torch.no_grad():
        model.out.weight.mul_(5.0)
    rng = random.Random(5)
    sentences = [[rng.choice(["the", "cat", "sat"]) for _ in range(rng.randint(1, 5))] for _ in range(40)]
    share, pairs = hand_prefers_real_order(model, vocab, sentences)
    assert recipe.prefers_real_order(model, vocab, sentences) == {"share": share, "pairs": pairs}
    assert 0 < pairs < 40 and 0 < share < 1


# ----------------------------------------------------------------------------------- tiny training


def tiny_run(tmp_path_factory, level: str, **options) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp(f"run-{level}") / f"lm-{level}-gru"
    sizes = {"word": {"n_e": 16, "n_a": 16, "dropout": 0.0}, "char": {"n_e": 8, "n_a": 24, "dropout": 0.0}}
    cfg = TrainConfig(epochs=2, batch_size=32 if level == "word" else 16, lr=1e-2, clip=1.0, patience=2, seed=0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(recipe, "SIZES", sizes)
        patch.setattr(recipe, "batches_by_tokens", spy_on(recipe.batches_by_tokens, TOKEN_BATCHES[level]))
        meta = recipe.train_lm("gru", level, out, seed=0, cfg=cfg, progress=None, argv=["train", f"lm-{level}"], **options)
    return out, meta


TOKEN_BATCHES: dict[str, list] = {"word": [], "char": []}  # (max_tokens, batches) of each epoch of a tiny run


def spy_on(batches_by_tokens, calls: list):
    def spy(items, max_tokens, rng, length=len):
        batches = batches_by_tokens(items, max_tokens, rng, length)
        calls.append((max_tokens, [[length(item) for item in batch] for batch in batches]))
        return batches
    return spy


@pytest.fixture(scope="module")
def word_run(corpora, tmp_path_factory):
    folder, _ = corpora
    return tiny_run(tmp_path_factory, "word", data_dir=folder)


@pytest.fixture(scope="module")
def char_run(corpora, tmp_path_factory):
    folder, _ = corpora
    return tiny_run(tmp_path_factory, "char", data_dir=folder)


def test_word_run_checkpoint_records_what_it_read_and_its_best_epoch(word_run, corpora):
    out, returned = word_run
    folder, _ = corpora
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["metrics"] == returned["metrics"] and meta["level"] == "word" and meta["arch"] == "gru"
    splits = recipe.word_splits(folder)
    train_tokens = {name: sum(len(s) + 1 for s in parts["train"]) for name, parts in splits.items()}
    assert [(s["name"], s["file"], s["train"], s["dev"], s["test"], s["train_tokens"]) for s in meta["sources"]] == [
        (name, recipe.WORD_SOURCES[name][0], len(p["train"]), len(p["dev"]), len(p["test"]), train_tokens[name])
        for name, p in splits.items()]
    assert [s["share"] for s in meta["sources"]] == [round(n / sum(train_tokens.values()), 4) for n in train_tokens.values()]
    assert [s.get("held_out_file") for s in meta["sources"]] == [None, None, "ner/conll2003/valid.txt", None]
    assert meta["config"]["vocab_size"] == 10_002 and meta["config"]["n_a"] == 16
    assert meta["training"]["batch_tokens"] == recipe.BATCH_TOKENS["word"] == 512
    # each epoch's batches: every training sequence once (with its <EOS>), at most 512 padded tokens a batch
    assert len(TOKEN_BATCHES["word"]) == 2 and not TOKEN_BATCHES["char"]
    for max_tokens, batches in TOKEN_BATCHES["word"]:
        assert max_tokens == 512 and all(len(b) * max(b) <= 512 for b in batches)
        assert sorted(n for b in batches for n in b) == sorted(len(s) + 1 for p in splits.values() for s in p["train"])
    history = meta["training"]["history"]
    assert [h["epoch"] for h in history] == [1, 2] and history[1]["loss"] < history[0]["loss"]
    model, _ = checkpoint.load(out)
    vocab = encoder_of(meta).words
    dev = [s for parts in splits.values() for s in parts["dev"]]
    nll, count = hand_nll(model, vocab, dev)
    assert -nll / count == pytest.approx(max(h["dev"] for h in history), rel=1e-5)  # the best epoch was kept


def test_word_run_figures_are_reproduced_from_the_saved_weights(word_run, corpora):
    out, _ = word_run
    folder, _ = corpora
    model, meta = checkpoint.load(out)
    metrics, vocab = meta["metrics"], encoder_of(meta).words
    assert vocab == recipe.word_vocab() and vocab.eos_id == 10_001
    splits = recipe.word_splits(folder)
    kneser_ney = KneserNeyTrigram(10_001, vocab.eos_id, vocab.eos_id).fit(
        [vocab.encode(s) for parts in splits.values() for s in parts["train"]])
    for part in ("test", "dev"):
        every_nll = every_kn = every_count = 0
        for name, parts in splits.items():
            figures = metrics[f"{name}/{part}"]
            nll, count = hand_nll(model, vocab, parts[part])
            kn = -sum(sum(kneser_ney.token_log_probs(vocab.encode(s))) for s in parts[part])
            assert close(figures["perplexity"], math.exp(nll / count))
            assert close(figures["kneser_ney_perplexity"], math.exp(kn / count))
            assert close(figures["ratio_to_kneser_ney"], figures["perplexity"] / figures["kneser_ney_perplexity"])
            assert figures["tokens"] == count and figures["sequences"] == len(parts[part])
            # every word of the grammar is a course word; WikiText's heading marks "=" are not
            unknown = sum(s.count("=") for s in parts[part])
            assert figures["unk_share"] == round(unknown / count, 4) and (unknown > 0) == (name == "encyclopedia")
            every_nll, every_kn, every_count = every_nll + nll, every_kn + kn, every_count + count
        overall = metrics[f"all/{part}"]
        assert overall["tokens"] == every_count
        assert close(overall["perplexity"], math.exp(every_nll / every_count))
        assert close(overall["kneser_ney_perplexity"], math.exp(every_kn / every_count))
        assert close(overall["ratio_to_kneser_ney"], math.exp((every_nll - every_kn) / every_count))
    # two epochs of a sampled softmax (1,024 of 10,002 words a batch, most of them words the grammar never
    # uses): ten times below uniform, not yet near the trigram on a tiny grammar
    assert meta["training"]["sampled_softmax"] == {"drawn": 1024, "proposal_power": 0.75}
    assert metrics["all/test"]["perplexity"] < 1_000 < 10_001
    assert metrics["all/test"]["kneser_ney_perplexity"] < 15
    everyday = [s for s in splits["everyday"]["test"] if len(s) > 1]
    every_test = [s for parts in splits.values() for s in parts["test"] if 1 < len(s) <= 40]
    assert metrics["everyday/test"]["prefers_real_order"] == round(hand_prefers_real_order(model, vocab, everyday)[0], 4)
    assert metrics["all/test"]["prefers_real_order"] == round(hand_prefers_real_order(model, vocab, every_test)[0], 4)
    for key, text in zip(("log_p_apple_and_pear_salad", "log_p_apple_and_pair_salad"), recipe.CLASSROOM_PAIR, strict=True):
        assert close(metrics["classroom"][key], sum(model.token_log_probs(vocab.encode(tokenize(text)), 10_001, 10_001)))


def test_char_run_figures_are_reproduced_from_the_saved_weights(char_run, corpora):
    out, _ = char_run
    folder, _ = corpora
    model, meta = checkpoint.load(out)
    metrics, vocab = meta["metrics"], encoder_of(meta).words
    names = recipe.names_splits(folder)
    assert meta["training_names"] == sorted(set(names["train"]))
    assert vocab.tokens[1:-2] == sorted({ch for name in names["train"] for ch in name})
    assert [(s["train"], s["dev"], s["test"], s["file"]) for s in meta["sources"]] == [(240, 30, 30, recipe.NAMES_FILE)]
    alphabet = vocab.tokens[1:-2]
    bigram = BigramCharModel.tuned(names["train"], names["dev"], alphabet)
    assert metrics["samples"]["bigram_alpha"] == bigram.alpha
    for part in ("test", "dev"):
        figures = metrics[f"names/{part}"]
        nll, count = hand_nll(model, vocab, [list(n) for n in names[part]])
        bigram_nll = -sum(bigram.log_prob(n) for n in names[part])
        bigram_count = sum(len(n) + 1 for n in names[part])
        assert figures["names"] == 30 and figures["characters"] == count == bigram_count
        assert close(figures["loss_per_char"], nll / count)
        assert close(figures["perplexity"], math.exp(nll / count))
        assert close(figures["bigram_loss_per_char"], bigram_nll / bigram_count)
        assert close(figures["bigram_perplexity"], math.exp(bigram_nll / bigram_count))
        assert close(figures["loss_below_bigram"], 1 - (nll / count) / (bigram_nll / bigram_count))
        assert figures["perplexity"] < 0.8 * len(alphabet)  # learned something of the syllables
    drawn = ["".join(sample(model, meta, n_max=20, seed=s).units) for s in range(500)]
    known = set(names["train"])
    assert metrics["samples"]["new_share"] == round(sum(d not in known and len(d) > 1 for d in drawn) / 500, 4)
    assert metrics["samples"]["drawn"] == 500


def test_word_run_on_own_files_records_them_as_the_users(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    path = folder / "news.txt"  # named like a real source, but the user's own text
    path.write_text("\n".join(typed(t) for t in distinct_sentences(60, seed=8)) + "\n", encoding="utf-8")
    out, meta = tiny_run(tmp_path_factory, "word", data=[path])
    assert meta["sources"] == [{"name": "news", "file": "news", "what": "your own text", "train": 48, "dev": 6,
                                "test": 6, "train_tokens": meta["sources"][0]["train_tokens"], "share": 1.0}]
    assert sorted(k for k in meta["metrics"] if "/" in k) == ["all/dev", "all/test", "news/dev", "news/test"]
    assert meta["metrics"]["news/test"]["tokens"] == meta["metrics"]["all/test"]["tokens"]
    assert meta["metrics"]["news/test"]["perplexity"] == meta["metrics"]["all/test"]["perplexity"]
