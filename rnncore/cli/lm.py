"""`python -m rnncore lm score|sample ...`: the language models (docs/ARCHITECTURE.md's contract)."""

from __future__ import annotations

import json

from rnncore.cli import (
    MAX_SIZE,
    UserError,
    finite_number,
    run_per_text,
    seed_number,
    texts_from,
    whole_number,
)

MAX_SAMPLES, MAX_TEMPERATURE = 100, 5.0


def add_parser(subparsers) -> None:
    from rnncore.tasks.lm.inference import LM_DEFAULT

    parser = subparsers.add_parser("lm", help="score sentences or sample novel text and names")
    actions = parser.add_subparsers(dest="action", required=True)
    score = actions.add_parser("score", help="log P(sentence), natural log, <EOS> included")
    score.add_argument("--arch", choices=["rnn", "gru", "lstm"], default=LM_DEFAULT)
    score.add_argument("--json", action="store_true")
    score.add_argument("text", nargs="*")
    score.set_defaults(func=run_score)
    sample = actions.add_parser("sample", help="sample novel sentences (word) or names (char)")
    sample.add_argument("--level", choices=["word", "char"], default="word")
    sample.add_argument("--arch", choices=["rnn", "gru", "lstm"], default=LM_DEFAULT)
    sample.add_argument("--n", type=whole_number(1, MAX_SAMPLES), default=5, help=f"how many samples (1..{MAX_SAMPLES})")
    sample.add_argument("--temperature", type=finite_number, default=1.0, help=f"> 0, at most {MAX_TEMPERATURE}")
    sample.add_argument("--top-k", type=whole_number(0, MAX_SIZE), default=0, help="keep only the k most likely (0 = all)")
    sample.add_argument("--seed", type=seed_number, default=0)
    sample.add_argument("--prefix", default="", help="start every sample with this text")
    sample.add_argument("--json", action="store_true")
    sample.set_defaults(func=run_sample)


def run_score(args) -> int:
    from rnncore.tasks.lm.inference import lm_score

    def render(r: dict) -> str:
        return f"log P = {r['log_prob']:.2f}  {r['text']}"

    return run_per_text(texts_from(args.text), lambda text: lm_score(text, args.arch), render, args.json)


def run_sample(args) -> int:
    from rnncore.shipped import load_shipped
    from rnncore.tasks.lm.inference import sample

    if not 0 < args.temperature <= MAX_TEMPERATURE:
        raise UserError(f"--temperature must be above 0 and at most {MAX_TEMPERATURE}")
    if len(args.prefix) > 200:
        raise UserError("--prefix is limited to 200 characters")
    model, meta = load_shipped(f"lm-{args.level}-{args.arch}")
    known = set(meta.get("training_names", []))
    for k in range(args.n):
        result = sample(model, meta, n_max=20 if args.level == "char" else 40, temperature=args.temperature,
                        top_k=args.top_k, seed=args.seed + k, prefix=args.prefix)
        text = result.text(args.level)
        record = {"text": text, "level": args.level, "seed": args.seed + k}
        if args.level == "char":
            record["new"] = "".join(result.units) not in known
        print(json.dumps(record, ensure_ascii=False) if args.json else text, flush=True)
    return 0
