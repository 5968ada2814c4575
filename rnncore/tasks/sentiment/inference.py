"""The shipped classifiers at work: P(1..5 stars), the CLI's sentiment record, the rating after each word."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from rnncore.encoding import encoder_of, tokens_for
from rnncore.shipped import load_shipped
from rnncore.text import tokenize

# The shipped classifier with the best dev figure (recipe.dev_figure, from the JSON; a test checks it).
SENTIMENT_DEFAULT = "lstm"


@torch.no_grad()
def star_probs(model, meta: dict, token_lists: list[list[str]]) -> torch.Tensor:
    """P(1..5 stars) for each text: (m, 5)."""
    batch = encoder_of(meta).batch(token_lists)
    return F.softmax(model(batch["ids"], batch["lengths"]), dim=-1)


def sentiment(text: str, arch: str = SENTIMENT_DEFAULT) -> dict:
    """The CLI's sentiment record: {"text", "stars", "probs"}."""
    model, meta = load_shipped(f"sentiment-{arch}")
    probs = star_probs(model, meta, [tokens_for(meta, text)])[0]
    return {"text": text, "stars": int(probs.argmax()) + 1, "probs": [round(float(p), 4) for p in probs]}


@torch.no_grad()
def stars_after_each_word(model, meta: dict, tokens: list[str]) -> torch.Tensor:
    """P(stars) after reading x<1>..x<t>, for t = 1..T_x: (T_x, 5)."""
    ids = torch.tensor(encoder_of(meta).word_ids(tokens))
    return model.prefix_probs(ids)


NOTES_REVIEW = "I didn't enjoy the film at all."  # the notes' example of a 1-star review


def notes_review(steps: int, seed: int = 0, tokens_of=tokenize) -> list[str]:
    """A review of exactly ``steps`` tokens that opens with the notes' "I didn't enjoy the film at all."
    and goes on with the classroom reviews in a seeded order (cut at ``steps``): the verdict is read
    first, and the question is how much of it still reaches the rating at the end."""
    import random

    from rnncore.tasks.sentiment.recipe import read_classroom

    opening = tokens_of(NOTES_REVIEW)
    if steps < len(opening):
        raise ValueError(f"the notes' review needs at least {len(opening)} steps, got {steps}")
    others = [text for text, _, _ in read_classroom() if text != NOTES_REVIEW]
    random.Random(f"notes-review-{seed}").shuffle(others)
    tokens = list(opening)
    for text in others * (1 + steps // 5):
        if len(tokens) >= steps:
            break
        tokens += tokens_of(text)
    return tokens[:steps]
