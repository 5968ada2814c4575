"""Widgets for a sentence typed by the user: the text box with the notes' examples, and the token strip.

User text is never given to ``unsafe_allow_html``: the token strip escapes every token, and LaTeX
gets it through :func:`latex_text`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from rnncore.text import strip_invisible
from ui import palette

MAX_TEXT_CHARS = 500
"""Longest text a lesson takes; the text box stops there in the browser and Python cuts it again."""

# The course notes' example sentences; the first is the notes' running example.
NOTES_EXAMPLES: list[str] = [
    "Sherlock Holmes and John Watson lived at 221B Baker Street in London.",
    "Yesterday, Tom met Eliza in Paris.",
    "He met with Apple representatives today.",
    "I didn't enjoy the film at all.",
    "The apple and pear salad",
    "Harry Potter and Hermione Granger invented a new spell.",
]


@dataclass(frozen=True)
class Sentence:
    text: str  # what the lesson uses: stripped and at most `limit` characters
    was_cut: bool  # the input reached the limit, so anything beyond it is gone
    limit: int


def clamp_text(raw: str | None, limit: int = MAX_TEXT_CHARS) -> Sentence:
    """Cut the text to ``limit`` characters, drop invisible characters and strip it.

    The text box's ``max_chars`` already stops the browser and Streamlit's server at ``limit`` (a URL
    parameter included), so a text of exactly ``limit`` characters is taken as cut. The cut is done
    here again so that no other path (a changed widget, a script) can hand the lesson more.
    """
    raw = raw or ""
    # Invisible characters (zero-width spaces, direction marks) are not text: a box holding only them is empty.
    return Sentence(text=strip_invisible(raw[:limit]).strip(), was_cut=len(raw) >= limit, limit=limit)


def sentence_input(
    key: str,
    examples: Sequence[str] = NOTES_EXAMPLES,
    limit: int = MAX_TEXT_CHARS,
    label: str = "Your sentence",
    caption: str = "Examples from the course notes",
    notes: Sequence[str] | None = None,
    button_key: str = "example",
) -> Sentence:
    """A text box preset to ``examples[0]``, with every example one click away (``notes``, if given,
    are the buttons' tooltips: why each example is there).

    The text lives in the URL under ``key`` (``bind="query-params"``), so a lecturer can share a link
    to exactly this sentence; a longer text than ``limit`` (typed, pasted or in a link) is cut, with a
    note on screen.
    """

    def use_example(example: str) -> None:
        st.session_state[key] = example

    st.caption(caption)
    with st.container(horizontal=True, gap="small"):
        for i, example in enumerate(examples):
            note = notes[i] if notes else ""
            st.button(example, key=f"{key}_{button_key}_{i}", on_click=use_example, args=(example,),
                      help=note or None, width="content")
    raw = st.text_area(
        label,
        value=examples[0],
        key=key,
        max_chars=limit,
        height=80,
        bind="query-params",
        help=f"Up to {limit:,} characters. Press Ctrl+Enter (or click outside the box) to apply.",
    )
    sentence = clamp_text(raw, limit)
    if sentence.was_cut:
        st.warning(
            f"Limit reached: this lesson reads the first {limit:,} characters; anything beyond them "
            "(typed, pasted or in a link) was cut.",
            icon=":material/content_cut:",
        )
    return sentence


def token_strip_html(tokens: Sequence[str], ids: Sequence[int], unk_id: int) -> str:
    """HTML for x<1>..x<T_x> as chips: the step, the token (escaped) and its vocabulary index.

    Every user-provided string goes through html.escape, so "<script>" shows as text.
    """
    chips = []
    for t, (token, index) in enumerate(zip(tokens, ids, strict=True), start=1):
        unknown = index == unk_id
        border = palette.CONTRAST if unknown else palette.BORDER
        label = f"{index:,} &lt;UNK&gt;" if unknown else f"{index:,}"
        chips.append(
            f'<div class="token-chip" data-unk="{str(unknown).lower()}" style="border:1px solid {border};'
            'border-radius:6px;padding:2px 8px;text-align:center;min-width:3em">'
            f'<div style="font-size:0.75em;opacity:0.7">x<sup>&lang;{t}&rang;</sup></div>'
            f'<div style="font-weight:600">{html.escape(token)}</div>'
            f'<div style="font-size:0.75em;color:{border if unknown else "inherit"}">{label}</div></div>'
        )
    return f'<div class="token-strip" style="display:flex;flex-wrap:wrap;gap:6px">{"".join(chips)}</div>'


_LATEX_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def latex_text(text: str) -> str:
    """``text`` escaped for LaTeX's \\text{...}, so a token cannot end the group or inject commands."""
    return "".join(_LATEX_TEXT_ESCAPES.get(char, char) for char in text)
