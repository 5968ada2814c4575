"""Predict, then reveal: the visitor commits a guess before the lesson shows the model's answer.

Off by default; a toggle on the lesson, or ``?guess=on`` in its URL (a lecturer hands the class a
link), turns it on for that session (the same URL-and-session flag as projector mode). A round is one
input (the sentence, the two sentences, the Compare run); while it is open the lesson draws nothing
that gives the answer away. Once the guess is committed the two are shown side by side, and a running
score for the session, per lesson and in all, lives in ``st.session_state``.

The answers come from rnncore through the lesson, as always; this module only compares and keeps score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from rnncore.explain import entities as entity_spans
from rnncore.models import ARCH_NAMES
from ui import projector

PARAM = "guess"
SCORE_KEY = "guess_score"  # {lesson: {"right": int, "played": int}}
HIDDEN_NOTE = "The model's answer stays hidden until you commit your guess."


def enabled() -> bool:
    """The lesson's "Guess first" toggle (off unless the URL or the visitor turns it on)."""
    return projector.flag_toggle(
        PARAM, "Guess first", help="Commit your own answer before the model's is shown; your score is kept "
                                   "for this session. The address gets ?guess=on, to hand the class a link.")


@dataclass
class Outcome:
    guess: Any
    truth: Any
    right: bool
    detail: str = ""  # e.g. "7 of 9 words agree"


def score(lesson: str | None = None) -> tuple[int, int]:
    """(right, played) for one lesson, or over every lesson of this session."""
    table = st.session_state.get(SCORE_KEY, {})
    rows = [table[lesson]] if lesson is not None and lesson in table else ([] if lesson else table.values())
    return sum(r["right"] for r in rows), sum(r["played"] for r in rows)


def _record(lesson: str, right: bool) -> None:
    row = st.session_state.setdefault(SCORE_KEY, {}).setdefault(lesson, {"right": 0, "played": 0})
    row["played"] += 1
    row["right"] += int(right)


def score_caption(lesson: str) -> None:
    right, played = score(lesson)
    all_right, all_played = score()
    st.caption(f"Your score on this lesson: {right} of {played}; in all lessons this session: "
               f"{all_right} of {all_played}.")


def ask(lesson: str, signature: str, prompt: str, draw: Callable[[str], Any],
        judge: Callable[[Any], Outcome], describe: Callable[[Any], str] = str) -> Outcome | None:
    """One round: None while the guess is not committed (the lesson then hides its answer), else the
    outcome, after showing guess and answer side by side with the score.

    ``draw(key)`` draws the guess widgets inside a form and returns the guess; ``judge(guess)`` compares
    it with the model's answer; ``describe`` says a guess or an answer in words.
    """
    state_key = f"guess_round_{lesson}"
    current = st.session_state.get(state_key)
    if not current or current.get("signature") != signature:
        current = {"signature": signature, "outcome": None}
        st.session_state[state_key] = current
    if current["outcome"] is None:
        with st.form(f"guess_form_{lesson}", border=True):
            st.markdown(f"**Your guess first.** {prompt}")
            value = draw(f"guess_value_{lesson}")
            committed = st.form_submit_button("Commit my guess", type="primary", icon=":material/how_to_vote:")
        if not committed:
            st.info(HIDDEN_NOTE, icon=":material/visibility_off:")
            score_caption(lesson)
            return None
        outcome = judge(value)
        current["outcome"] = outcome
        _record(lesson, outcome.right)
    outcome = current["outcome"]
    mine, model, verdict = st.columns(3)
    mine.metric("Your guess", describe(outcome.guess), border=True)
    model.metric("The model", describe(outcome.truth), border=True)
    verdict.metric("Verdict", "right" if outcome.right else "not this time", outcome.detail or None,
                   delta_color="off", border=True)
    score_caption(lesson)
    return outcome


# -- the four lessons' rounds -------------------------------------------------------------------------------


def word_options(tokens: Sequence[str]) -> list[int]:
    """Indices of the tokens a name can be made of (punctuation is never a name)."""
    return [i for i, token in enumerate(tokens) if any(ch.isalnum() for ch in token)]


def token_types(tokens: Sequence[str], labels: Sequence[str]) -> dict[int, str]:
    """{token index: entity type} for every token inside an entity."""
    return {i: span.type for span in entity_spans.entities(tokens, labels) for i in range(span.start, span.end)}


def judge_entities(guessed: dict[int, str], tokens: Sequence[str], labels: Sequence[str]) -> Outcome:
    truth = token_types(tokens, labels)
    words = word_options(tokens)
    agree = sum(guessed.get(i) == truth.get(i) for i in words)
    return Outcome(guessed, truth, guessed == truth, f"{agree} of {len(words)} words agree")


def entities_round(tokens: Sequence[str], labels: Sequence[str], types: Sequence[str], arch: str) -> Outcome | None:
    words = word_options(tokens)

    def draw(key: str) -> dict[int, str]:
        guessed: dict[int, str] = {}
        for column, kind in zip(st.columns(len(types)), types, strict=True):
            chosen = column.multiselect(f"{kind} words", words, format_func=lambda i: f"{i + 1}: {tokens[i]}",
                                        key=f"{key}_{kind}", placeholder="none")
            for i in chosen:
                guessed.setdefault(i, kind)
        return guessed

    def describe(found: dict[int, str]) -> str:
        return ", ".join(f"{tokens[i]} {kind}" for i, kind in sorted(found.items())) or "no names"

    return ask("named_entities", " ".join(tokens), f"Which words are names, and of which type? ({ARCH_NAMES[arch]} "
               "answers next.) Leave a word out if it is not a name.", draw,
               lambda guessed: judge_entities(guessed, tokens, labels), describe)


def sentiment_round(text: str, stars: int, arch: str) -> Outcome | None:
    def draw(key: str) -> int:
        return st.radio("Stars", [1, 2, 3, 4, 5], index=2, horizontal=True, key=key,
                        format_func=lambda k: "★" * k)

    def judge(guessed: int) -> Outcome:
        return Outcome(guessed, stars, guessed == stars, f"{abs(guessed - stars)} star(s) apart" if guessed != stars else "")

    return ask("sentiment", text, f"How many stars will the {ARCH_NAMES[arch]} give this review?", draw, judge,
               lambda k: f"{k} ★")


def language_model_round(first: str, second: str, log_p_first: float, log_p_second: float) -> Outcome | None:
    likelier = "first" if log_p_first >= log_p_second else "second"

    def draw(key: str) -> str:
        return st.radio("More probable", ["first", "second"], horizontal=True, key=key,
                        format_func=lambda k: f"the {k} sentence")

    return ask("language_model", f"{first}\n{second}", "Which of the two sentences will the model find more "
               "probable?", draw, lambda g: Outcome(g, likelier, g == likelier,
                                                    f"log P {log_p_first:.2f} vs {log_p_second:.2f}"),
               lambda k: f"the {k}")


def compare_winners(record: dict) -> tuple[int, list[str]]:
    """The record's trained distance and the cells with the best held-out accuracy there (ties: several)."""
    distance = int(record["settings"]["distance"])
    scores = {arch: run.get("accuracy_by_distance", {}).get(str(distance), run["accuracy"])
              for arch, run in record["archs"].items()}
    best = max(scores.values())
    return distance, [arch for arch, value in scores.items() if value >= best - 1e-9]


def compare_round(record: dict) -> Outcome | None:
    distance, winners = compare_winners(record)
    archs = list(record["archs"])

    def draw(key: str) -> str:
        return st.radio("Winner", archs, horizontal=True, key=key, format_func=ARCH_NAMES.get)

    def judge(guessed: str) -> Outcome:
        tie = f"a tie of {len(winners)}" if len(winners) > 1 else ""
        return Outcome(guessed, winners, guessed in winners, tie)

    def describe(value) -> str:
        return " = ".join(ARCH_NAMES[a] for a in value) if isinstance(value, list) else ARCH_NAMES[value]

    settings = record["settings"]
    signature = f"{distance}:{settings.get('seed')}:{settings.get('epochs')}:" + ",".join(
        f"{a}={r['accuracy']}" for a, r in record["archs"].items())
    return ask("compare", signature, f"Which cell will be most accurate at distance {distance} (the verb "
               f"{distance} words after its subject)?", draw, judge, describe)
