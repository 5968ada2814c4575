"""How the shipped translation models are trained and scored, beside the word-by-word baseline.

``translate-<source>-<target>-<arch>[-attention]`` (e.g. ``translate-en-fr-gru-attention``) is an
:class:`rnncore.seq2seq.EncoderDecoder` trained on the Tatoeba pairs under ``--data-dir`` with teacher
forcing: the loss is the cross-entropy of each reference word y<t> given the reference's y<1>..y<t-1>
and the source, label-smoothed; Adam, clipping, the epoch kept by greedy BLEU on the dev split. Then,
on the dev and test splits (held out by English sentence, :func:`rnncore.tasks.translate.data.split_pairs`):
corpus BLEU and chrF for greedy decoding and beam search, BLEU by source length, and the same figures
for the word-by-word baseline fitted on the same training pairs. Everything goes into the checkpoint's
JSON with the vocabularies, the sizes of the splits, the command and the minutes it took.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import torch

from rnncore import checkpoint
from rnncore.models import count_parameters
from rnncore.seq2seq import EncoderDecoder, Seq2SeqConfig
from rnncore.tasks.translate import metrics
from rnncore.tasks.translate.baseline import WordByWord
from rnncore.tasks.translate.data import (
    CORPUS_FILE,
    LANGUAGE_NAMES,
    SALT,
    batch_of,
    detokenize,
    encode_pairs,
    french_vocab,
    learn_casing,
    read_pairs,
    recase,
    source_words,
    split_pairs,
    tokens_of,
    vocab_for,
)
from rnncore.tasks.translate.translator import MAX_LEN_PER_TOKEN, MAX_LEN_PLUS, Translator
from rnncore.training import (
    DATA_PLACEHOLDER,
    Progress,
    TrainConfig,
    batches_by_length,
    command_line,
    fit,
    print_progress,
)

FRENCH_WORDS = 8000
SIZES = {"n_e": 128, "n_a": 128, "n_s": 256, "dropout": 0.1}
CONFIG = TrainConfig(epochs=4, batch_size=128, lr=3e-3, clip=2.0, patience=2, lr_decay=0.75)
LABEL_SMOOTHING = 0.1
BEAM, LENGTH_PENALTY = 5, 1.0
HALF_TOLERANCE = 0.005  # float16 weights are shipped if greedy dev BLEU moves by less than this share
CLASSROOM = Path(__file__).with_name("classroom.tsv")
VARIANTS = {"gru-attention": ("gru", True), "gru": ("gru", False),
            "lstm-attention": ("lstm", True), "lstm": ("lstm", False)}


def stem(source: str, target: str, variant: str) -> str:
    return f"translate-{source}-{target}-{variant}"


def recorded_command(argv: Sequence[str] | None) -> str:
    """The training command as run, with the data folder written DATA: the JSON says how to rebuild the
    model, not where one machine keeps its corpora."""
    import sys

    args = list(argv if argv is not None else sys.argv[1:])
    for k, arg in enumerate(args):
        if arg.startswith("--data-dir="):
            args[k] = f"--data-dir={DATA_PLACEHOLDER}"
        elif k and args[k - 1] == "--data-dir":
            args[k] = DATA_PLACEHOLDER
    return command_line(args)


def read_classroom(path: Path = CLASSROOM) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english, french = line.split("\t")
            rows.append((english.strip(), french.strip()))
    return rows


def side(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "en" else pair[1]


def score_pairs(translate_texts, pairs: Sequence[tuple[str, str]], source: str, target: str) -> dict:
    """Metrics of one system over pairs: each distinct source sentence translated once."""
    sources = sorted({side(p, source) for p in pairs})
    outputs = dict(zip(sources, translate_texts(sources), strict=True))
    hypotheses = [outputs[side(p, source)] for p in pairs]
    references = [side(p, target) for p in pairs]
    return {**metrics.scores(hypotheses, references, [source_words(side(p, source)) for p in pairs]),
            "sentences": len(sources)}


def word_by_word_texts(baseline: WordByWord, casing: dict, source: str, target: str):
    def translate_texts(texts):
        return [detokenize(recase(baseline.translate(tokens_of(t, source)), casing), target) for t in texts]
    return translate_texts


def model_texts(translator: Translator, beam: int):
    def translate_texts(texts):
        return [t.text for t in translator.translate(texts, beam=beam)]
    return translate_texts


def round_to_half(model: torch.nn.Module) -> None:
    """The weights as float16 would store them (read back as float32)."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def train_translation(source: str, target: str, variant: str, out: Path | str, seed: int = 0,
                      data_dir: Path | None = None, data: Sequence[Path] = (), cfg: TrainConfig | None = None,
                      progress: Progress | None = print_progress, argv: Sequence[str] | None = None,
                      dev_limit: int | None = None) -> dict:
    """Train ``translate-<source>-<target>-<variant>`` and save it with its figures and the baseline's.

    ``dev_limit`` scores only that many dev pairs per epoch (tests use it on toy corpora)."""
    if (source, target) not in (("en", "fr"), ("fr", "en")):
        raise ValueError(f"translation directions are en -> fr and fr -> en, got {source} -> {target}")
    if variant not in VARIANTS:
        raise ValueError(f"unknown translation model {variant!r}; expected one of {sorted(VARIANTS)}")
    arch, attention = VARIANTS[variant]
    cfg = cfg or TrainConfig(**{**CONFIG.__dict__, "seed": seed})
    start, cpu_start = time.perf_counter(), time.process_time()
    pairs, origin = read_pairs(data_dir, data)
    splits = split_pairs(pairs)
    if not splits.train or not splits.dev or not splits.test:
        raise ValueError(f"{origin}: too few pairs to hold out a dev and a test split ({splits.sizes()})")
    french = french_vocab([tokens_of(f, "fr") for _, f in splits.train], FRENCH_WORDS)
    vocabs = {"source": vocab_for(source, False, french), "target": vocab_for(target, True, french)}
    casing = learn_casing(tokens_of(side(p, target), target) for p in splits.train)
    train = encode_pairs(splits.train, source, vocabs)
    torch.manual_seed(seed)
    config = Seq2SeqConfig(arch, len(vocabs["source"]), len(vocabs["target"]), attention=attention, **SIZES)
    model = EncoderDecoder(config)
    translator = Translator(model, source, target, vocabs["source"], vocabs["target"], casing, BEAM, LENGTH_PENALTY)
    sos, eos = vocabs["target"].sos_id, vocabs["target"].eos_id
    dev_pairs = splits.dev[:dev_limit] if dev_limit else splits.dev

    def epoch_batches(rng):
        return [batch_of(b, sos, eos) for b in batches_by_length(train, cfg.batch_size, rng,
                                                                  length=lambda e: (len(e.target), len(e.source)))]

    def loss_of(model, b):
        return model.loss(b["x"], b["x_lengths"], b["y_in"], b["y_out"], b["y_lengths"], LABEL_SMOOTHING)

    def dev_bleu(model):
        return score_pairs(model_texts(translator, 1), dev_pairs, source, target)["bleu"]

    history = fit(model, epoch_batches, loss_of, dev_bleu, cfg, progress)
    train_minutes = (time.perf_counter() - start) / 60

    # float16 storage if it leaves greedy dev BLEU where it was
    full = {k: v.clone() for k, v in model.state_dict().items()}
    bleu_full = dev_bleu(model)
    round_to_half(model)
    bleu_half = dev_bleu(model)
    half = abs(bleu_half - bleu_full) <= HALF_TOLERANCE * max(bleu_full, 1e-9)
    if not half:
        model.load_state_dict(full)

    baseline = WordByWord.fit([(tokens_of(side(p, source), source), tokens_of(side(p, target), target))
                               for p in splits.train])
    results = {}
    for name in ("dev", "test"):
        split = getattr(splits, name)
        results[name] = {
            "greedy": score_pairs(model_texts(translator, 1), split, source, target),
            "beam": {**score_pairs(model_texts(translator, BEAM), split, source, target), "beam": BEAM,
                     "length_penalty": LENGTH_PENALTY},
            "word_by_word": score_pairs(word_by_word_texts(baseline, casing, source, target), split, source, target),
        }
    classroom = read_classroom()
    sources = [side(p, source) for p in classroom]
    greedy, beamed = translator.translate(sources, beam=1), translator.translate(sources, beam=BEAM)
    in_training = {side(p, source) for p in splits.train}
    results["classroom"] = {
        "greedy": metrics.scores([t.text for t in greedy], [side(p, target) for p in classroom],
                                 [source_words(s) for s in sources]),
        "beam": metrics.scores([t.text for t in beamed], [side(p, target) for p in classroom],
                               [source_words(s) for s in sources]),
        "sources_also_in_training": sum(s in in_training for s in sources),
        "translations": [{"source": s, "reference": side(p, target), "greedy": g.text, "beam": b.text,
                          "greedy_log_prob": round(g.log_prob, 4), "beam_log_prob": round(b.log_prob, 4)}
                         for s, p, g, b in zip(sources, classroom, greedy, beamed, strict=True)],
    }
    meta = {
        "task": "translate", "source": source, "target": target, "variant": variant, "arch": arch,
        "attention": attention, "title": f"{LANGUAGE_NAMES[source]} → {LANGUAGE_NAMES[target]}",
        "vocab": {"source": vocabs["source"].to_dict(), "target": vocabs["target"].to_dict()},
        "casing": casing,
        "decoding": {"beam": BEAM, "length_penalty": LENGTH_PENALTY,
                     "max_len": f"{MAX_LEN_PER_TOKEN} T_x + {MAX_LEN_PLUS}",
                     "unknown_words": "copied from the most attended source word" if attention else "written <UNK>"},
        "metrics": results,
        "metric_signatures": metrics.signatures(),
        "weights_check": {"greedy_dev_bleu_float32": bleu_full, "greedy_dev_bleu_float16": bleu_half},
        "sources": [{"name": "tatoeba-eng-fra", "file": origin if data else CORPUS_FILE,
                     "what": "Tatoeba English-French pairs (manythings.org/anki), English at most 9 words",
                     "pairs": len(pairs), "split_by": "English sentence (lowercased, letters and digits), "
                     f"training.split_of salt {SALT!r}, 90/5/5", **splits.sizes()}],
        "params": count_parameters(model),
        "training": {"command": recorded_command(argv), **cfg.__dict__, "label_smoothing": LABEL_SMOOTHING,
                     "train_examples": len(train), "train_minutes": round(train_minutes, 2),
                     "minutes": round((time.perf_counter() - start) / 60, 2),
                     "cpu_minutes": round((time.process_time() - cpu_start) / 60, 2), "threads": torch.get_num_threads(),
                     "history": history["epochs"]},
    }
    checkpoint.save(model, out, half=half, **meta)
    return meta
