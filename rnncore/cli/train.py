"""`python -m rnncore train TASK [--arch ...] [--data-dir DIR | --data PATH ...] [--out DIR]`: rebuild checkpoints.

The shipped models train on real public corpora read from ``--data-dir`` (or the folder named by the
RNNLAB_DATA environment variable), laid out as the README's Data section lists them; ``--data`` trains
on your own files instead.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from rnncore.cli import UserError, seed_number

TASKS = ("ner", "sentiment", "bow", "lm", "lm-word", "lm-char", "forecast", "forecast-temperature",
         "forecast-sunspots", "forecast-passengers", "translate", "translate-en-fr", "translate-fr-en", "compare", "all")


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("train", help="train a model (or all shipped ones) on the real corpora")
    parser.add_argument("task", choices=TASKS, help="which model; 'bow' is the sentiment lesson's bag-of-words "
                        "baseline (bow-sentiment); 'compare' rebuilds the compare lab's cached results and "
                        "agreement models; 'all' rebuilds every file in assets/models and assets/compare")
    parser.add_argument("--arch", choices=["rnn", "gru", "lstm", "birnn", "gru-attention", "lstm-attention"],
                        help="one architecture (default: all); for translate, gru is the encoder-decoder without "
                        "attention and gru-attention the one with it")
    parser.add_argument("--data-dir", type=Path, default=os.environ.get("RNNLAB_DATA") or None,
                        help="the folder of real corpora (see the README's Data section; default: $RNNLAB_DATA)")
    parser.add_argument("--data", type=Path, action="append", default=[],
                        help="your own corpus instead (repeat for several files): CoNLL columns (ner), "
                        "stars<TAB>text (sentiment, bow), one sentence or name a line (lm-word, lm-char), "
                        "English<TAB>French (translate)")
    parser.add_argument("--out", type=Path, help="folder for the checkpoints (default: assets/models)")
    parser.add_argument("--seed", type=seed_number, default=0)
    parser.set_defaults(func=run)


def run(args) -> int:
    from rnncore import tasks, threads

    threads.set_threads()
    for path in args.data:
        if not path.is_file():
            raise UserError(f"--data {path}: no such file")
    if args.task == "all" and args.data:
        raise UserError("--data goes with one task, not 'all'")
    if args.task == "bow" and args.arch is not None:
        raise UserError("the bag of words has no architecture: drop --arch")
    jobs = tasks.jobs(args.task, args.arch)
    with_bow = args.task in ("all", "bow") and args.arch is None
    with_compare = args.task in ("all", "compare") and args.arch is None and not args.data
    if not jobs and not with_bow and not with_compare:
        raise UserError(f"no shipped model is {args.task} with --arch {args.arch}")
    needs_corpora = bool(jobs) or with_bow
    if needs_corpora and not args.data:
        if args.data_dir is None:
            raise UserError("the shipped models train on real corpora: pass --data-dir DIR (or set RNNLAB_DATA); "
                            "the README's Data section says where to obtain each one")
        if not args.data_dir.is_dir():
            raise UserError(f"--data-dir {args.data_dir}: no such folder")
    for k, (task, arch) in enumerate(jobs, 1):
        start = time.perf_counter()
        print(f"[{k}/{len(jobs)}] training {task}-{arch}", file=sys.stderr, flush=True)
        try:
            tasks.train_task(task, arch, args.out, args.seed, args.data_dir, args.data, argv=recorded_argv(args))
        except (ValueError, UnicodeDecodeError) as err:
            raise UserError(str(err)) from None
        out = (args.out or Path("assets/models")) / f"{task}-{arch}.json"
        print(f"[{k}/{len(jobs)}] {task}-{arch}: {out} ({time.perf_counter() - start:.0f} s)", flush=True)
    if with_bow:
        train_bag_of_words(args)
    if with_compare:
        return rebuild_compare_lab()
    return 0


def recorded_argv(args) -> list[str]:
    """The arguments as the checkpoint's JSON records them: a corpora folder taken from RNNLAB_DATA is
    written out as ``--data-dir``, so that the command alone rebuilds the file."""
    argv = sys.argv[1:]
    named = any(word == "--data-dir" or word.startswith("--data-dir=") for word in argv)
    if args.data_dir is not None and not args.data and not named:
        argv = [*argv, "--data-dir", str(args.data_dir)]
    return argv


def train_bag_of_words(args) -> None:
    """The sentiment lesson's bag-of-words baseline, into ``--out``/bow-sentiment (default assets/models)."""
    from rnncore import checkpoint
    from rnncore.tasks.sentiment import bow

    out = (args.out or checkpoint.MODELS_DIR) / bow.BOW_STEM
    print(f"fitting {bow.BOW_STEM}", file=sys.stderr, flush=True)
    try:
        meta = bow.train_bag_of_words(out, args.seed, args.data_dir, args.data, argv=recorded_argv(args))
    except (ValueError, UnicodeDecodeError) as err:
        raise UserError(str(err)) from None
    print(f"{bow.BOW_STEM}: {meta['metrics']} ({meta['seconds']:.1f} s)", flush=True)


def rebuild_compare_lab() -> int:
    """The compare lab's shipped record and agreement models, by the command written into them."""
    from rnncore.cli import main
    from rnncore.tasks.agreement.recipe import SHIPPED_COMMAND

    print("training the compare lab's default run", file=sys.stderr, flush=True)
    return main(SHIPPED_COMMAND.split()[3:])
