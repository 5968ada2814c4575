"""The translation task without the real corpus: French and English tokens, the split by English
sentence, casing, the word-by-word baseline, the metrics, and the whole training command on a toy
corpus written here (checkpoint, JSON figures, and decoding that reproduces them)."""

from __future__ import annotations

import itertools

import pytest

from rnncore import checkpoint
from rnncore.seq2seq import EncoderDecoder
from rnncore.tasks import jobs
from rnncore.tasks.translate import data, inference, metrics, recipe
from rnncore.tasks.translate.baseline import WordByWord
from rnncore.tasks.translate.inference import translator_of
from rnncore.text import course_vocab, tokenize
from rnncore.threads import torch_threads
from rnncore.training import TrainConfig

NNBSP = "\u202f"


def test_the_tokenizer_reads_french_as_written():
    assert tokenize(f"Voulez-vous chanter avec moi{NNBSP}?") == ["Voulez-vous", "chanter", "avec", "moi", "?"]
    assert tokenize("C’est l'eau.") == ["C'est", "l'eau", "."]  # the curly apostrophe folded


@pytest.mark.parametrize("text,tokens", [
    (f"Voulez-vous chanter avec moi{NNBSP}?", ["Voulez", "-vous", "chanter", "avec", "moi", "?"]),
    ("C'est l'eau.", ["C'", "est", "l'", "eau", "."]),
    (f"Qu'est-ce que c'est{NNBSP}?", ["Qu'", "est", "-ce", "que", "c'", "est", "?"]),
    (f"Donne-le-moi{NNBSP}!", ["Donne", "-le", "-moi", "!"]),
    (f"A-t-il mangé{NNBSP}?", ["A", "-t-il", "mangé", "?"]),
    ("Aujourd'hui, peut-être dix-huit.", ["Aujourd'hui", ",", "peut-être", "dix-huit", "."]),
    ("Voulez-vous chanter avec moi?", ["Voulez", "-vous", "chanter", "avec", "moi", "?"]),  # as the notes type it
])
def test_french_tokens_split_elision_and_hyphenated_pronouns(text, tokens):
    assert data.tokens_of(text, "fr") == tokens


@pytest.mark.parametrize("text", [
    f"Voulez-vous chanter avec moi{NNBSP}?", "C'est l'eau.", f"Qu'est-ce que c'est{NNBSP}?",
    f"Donne-le-moi{NNBSP}!", "Hier, Tom a rencontré Eliza à Paris.", "Il a dit : « non ».",
])
def test_french_tokens_are_written_back_as_french(text):
    expected = text.replace(" :", f"{NNBSP}:")
    assert data.detokenize(data.tokens_of(text, "fr"), "fr") == expected


@pytest.mark.parametrize("text", ["Do you want to sing with me?", "I didn't enjoy the film at all.",
                                  "Yesterday, Tom met Eliza in Paris.", "Tom's dog is here!"])
def test_english_tokens_are_written_back_as_english(text):
    assert data.detokenize(data.tokens_of(text, "en"), "en") == text


def test_casing_learnt_from_inside_sentences():
    casing = data.learn_casing([["Tom", "and", "I", "went", "to", "Paris", "."], ["Where", "is", "Tom", "?"],
                                ["The", "cat", "sees", "the", "dog"]])
    assert casing == {"i": "I", "paris": "Paris", "tom": "Tom"}
    assert data.recase(["où", "est", "tom", "?"], casing) == ["Où", "est", "Tom", "?"]
    assert data.recase(["«", "ça", "va", "»"], {}) == ["«", "Ça", "va", "»"]


def test_split_keeps_every_translation_of_a_sentence_together_and_held_out_french_unseen():
    pairs = [(f"Sentence number {k}.", f"Phrase numéro {k}.") for k in range(600)]
    pairs += [(f"Sentence number {k}!", f"Phrase numéro {k} !") for k in range(600)]  # the same sentence, other punctuation
    pairs += [(f"Sentence number {k}.", f"Une autre traduction {k}.") for k in range(600)]
    pairs += [(f"Other sentence {k}.", f"Phrase numéro {k}.") for k in range(600)]  # French shared across English
    splits = data.split_pairs(pairs)
    keys = {name: {data.split_key(e) for e, _ in getattr(splits, name)} for name in ("train", "dev", "test")}
    assert not keys["train"] & keys["dev"] and not keys["train"] & keys["test"] and not keys["dev"] & keys["test"]
    seen = {f for _, f in splits.train}
    assert not [f for _, f in splits.dev + splits.test if f in seen]
    assert splits.dropped_seen_french["dev"] > 0
    for name in ("dev", "test"):  # 5 % each before the pairs whose French was seen are dropped
        assert 0.03 < (len(getattr(splits, name)) + splits.dropped_seen_french[name]) / len(pairs) < 0.07
    again = data.split_pairs(list(reversed(pairs)))  # a stable hash: order does not matter
    assert sorted(again.test) == sorted(splits.test)


def test_vocabularies():
    english = data.english_vocab(as_output=True)
    course = course_vocab()
    assert english.id_of("tom") == course.id_of("Tom") and english.tokens[: len(course)] == course.tokens
    assert (english.eos_id, english.sos_id) == (len(course), len(course) + 1)
    french = data.french_vocab([["Le", "chat", "."], ["le", "chien", "."], ["le", "le", "."]], size=2)
    assert french.tokens == ["<PAD>", "le", ".", "<EOS>", "<SOS>", "<UNK>"]
    assert french.id_of("chat") == french.unk_id


def test_word_by_word_baseline_learns_the_lexicon_from_co_occurrence():
    """IBM model 1: "the" occurs with "le" and "la"; EM still pins each word to its translation."""
    nouns = [("cat", "chat", "le"), ("dog", "chien", "le"), ("house", "maison", "la"), ("car", "voiture", "la")]
    pairs = []
    for (en, fr, article), verb in itertools.product(nouns, [("sees", "voit"), ("likes", "aime")]):
        pairs.append((["Tom", verb[0], "the", en], ["Tom", verb[1], article, fr]))
        pairs.append((["the", en], [article, fr]))
    baseline = WordByWord.fit(pairs)
    assert baseline.translate(["The", "dog", "sees", "the", "house"]) == ["le", "chien", "voit", "le", "maison"]
    assert baseline.table["cat"] == "chat" and baseline.table["likes"] == "aime"
    assert baseline.translate(["zebra"]) == ["zebra"]  # never seen: copied


def test_metrics_by_length():
    hyps = ["le chat dort .", "il pleut", "je ne sais pas quoi dire ."]
    refs = ["le chat dort .", "il fait beau", "je ne sais pas quoi dire ."]
    scores = metrics.scores(hyps, refs, [3, 2, 6])
    assert scores["pairs"] == 3 and 0 < scores["bleu"] < 100
    assert scores["bleu_by_length"]["1-3"]["pairs"] == 2 and scores["bleu_by_length"]["6-7"]["bleu"] == pytest.approx(100)
    assert metrics.bleu(refs, refs) == pytest.approx(100) and metrics.chrf(refs, refs) == pytest.approx(100)
    assert metrics.bucket_of(9) == "8-9" and metrics.bucket_of(12) == "10+"


@pytest.mark.parametrize("tokens, message", [([], "type a sentence"), (["?", "!", "."], "only punctuation"),
                                             (["😀", "👍🏽"], "only punctuation or symbols"),
                                             (["a"] * 61, "too long to translate: 61 tokens")])
def test_texts_the_models_cannot_take_are_refused_in_words(tokens, message):
    with pytest.raises(ValueError, match=message):
        inference.check_tokens(tokens, "en")


@pytest.mark.parametrize("tokens", [["Go", "."], ["3", "+", "4"], ["東京"], ["a"] * 60])
def test_a_word_or_a_number_is_enough_to_translate(tokens):
    inference.check_tokens(tokens, "en")


def test_train_translate_rebuilds_the_three_shipped_models():
    assert jobs("translate") == [("translate-en-fr", "gru-attention"), ("translate-en-fr", "gru"),
                                 ("translate-fr-en", "gru-attention")]
    assert jobs("translate", "gru-attention") == [("translate-en-fr", "gru-attention"), ("translate-fr-en", "gru-attention")]
    assert jobs("translate-en-fr", "gru") == [("translate-en-fr", "gru")]  # each file rebuilt alone
    assert jobs("translate-fr-en") == [("translate-fr-en", "gru-attention")]


TOY_NOUNS = [("cat", "chat", "le"), ("dog", "chien", "le"), ("house", "maison", "la"), ("car", "voiture", "la"),
             ("book", "livre", "le"), ("door", "porte", "la"), ("bird", "oiseau", "l'"), ("tree", "arbre", "l'")]
TOY_ADJECTIVES = [("big", "grand", "grande"), ("small", "petit", "petite"), ("new", "nouveau", "nouvelle")]


def toy_corpus() -> list[tuple[str, str]]:
    feminine = {"maison", "voiture", "porte"}
    pairs = []
    for en, fr, article in TOY_NOUNS:
        the = article if article.endswith("'") else article + " "
        pairs += [(f"I see the {en}.", f"Je vois {the}{fr}."), (f"Where is the {en}?", f"Où est {the}{fr}{NNBSP}?"),
                  (f"The {en} is here.", f"{the.capitalize()}{fr} est ici.")]
        for adj_en, masculine, feminine_form in TOY_ADJECTIVES:
            adjective = feminine_form if fr in feminine else masculine
            pairs.append((f"The {en} is {adj_en}.", f"{the.capitalize()}{fr} est {adjective}."))
            pairs.append((f"Tom sees the {adj_en} {en}.", f"Tom voit {the}{fr} {adjective}."))
    return pairs


@pytest.fixture(scope="module")
def toy_checkpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("translate")
    corpus = folder / "toy.tsv"
    corpus.write_text("".join(f"{e}\t{f}\n" for e, f in toy_corpus() * 3), encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.setattr(recipe, "SIZES", {"n_e": 24, "n_a": 24, "n_s": 48, "dropout": 0.0})
    patch.setattr(recipe, "BEAM", 3)
    try:
        with torch_threads(1):
            meta = recipe.train_translation("en", "fr", "gru-attention", folder / "toy-en-fr", data=[corpus],
                                            cfg=TrainConfig(epochs=20, batch_size=16, lr=0.01, patience=20),
                                            progress=None, argv=["train", "translate-en-fr", "--data", str(corpus)])
    finally:
        patch.undo()
    return folder / "toy-en-fr", meta


def test_the_training_command_writes_a_checkpoint_with_its_figures(toy_checkpoint):
    stem, meta = toy_checkpoint
    model, saved = checkpoint.load(stem)
    assert isinstance(model, EncoderDecoder) and model.config.attention
    assert saved["metrics"] == meta["metrics"]
    for split in ("dev", "test"):
        for system in ("greedy", "beam", "word_by_word"):
            scores = saved["metrics"][split][system]
            assert {"bleu", "chrf", "pairs", "bleu_by_length", "sentences"} <= set(scores)
            assert sum(b["pairs"] for b in scores["bleu_by_length"].values()) == scores["pairs"]
    source = saved["sources"][0]
    assert source["train"]["pairs"] + source["dev"]["pairs"] + source["test"]["pairs"] + sum(
        source["dropped_from_held_out_because_their_french_is_in_train"].values()) == source["pairs"]
    assert saved["training"]["command"].startswith("python -m rnncore train translate-en-fr")
    assert saved["training"]["minutes"] > 0 and len(saved["training"]["history"]) >= 1
    assert saved["vocab"]["source"]["tokens"] == course_vocab().tokens
    assert saved["metric_signatures"]["bleu"].startswith("nrefs:1")
    assert saved["weights_dtype"] in ("float16", "float32")


def test_the_toy_model_learnt_something_a_constant_model_could_not(toy_checkpoint):
    stem, meta = toy_checkpoint
    test = meta["metrics"]["test"]
    assert test["greedy"]["bleu"] > 30
    model, saved = checkpoint.load(stem)
    translator = translator_of(model, saved)
    outputs = {t.text for t in translator.translate([f"I see the {en}." for en, _, _ in TOY_NOUNS], beam=1)}
    assert len(outputs) >= 6  # the translation follows the noun


def test_decoding_the_checkpoint_reproduces_its_classroom_translations(toy_checkpoint):
    stem, meta = toy_checkpoint
    model, saved = checkpoint.load(stem)
    translator = translator_of(model, saved)
    rows = saved["metrics"]["classroom"]["translations"]
    sources = [row["source"] for row in rows]
    assert [t.text for t in translator.translate(sources, beam=1)] == [row["greedy"] for row in rows]
    assert [t.text for t in translator.translate(sources, beam=3)] == [row["beam"] for row in rows]
