"""Lesson "Architecture shapes": the notes' "Different types of RNNs" drawn side by side.

Many-to-many with T_x = T_y (entity tagging) and T_x != T_y (translation), many-to-one (sentiment) and
one-to-many (generation). The shape of the lesson that links here (?shape=...) is highlighted.
"""

from __future__ import annotations

import streamlit as st

from ui import cells_ui, diagrams

SHAPE_KEY = "shape"  # also the query parameter: ?shape=Many-to-one
BY_TITLE = {title: shape for shape, title in diagrams.SHAPE_TITLES.items()}

LENGTHS = {
    "many-to-many-equal": r"T_y = T_x",
    "many-to-many-different": r"T_y \neq T_x",
    "many-to-one": r"T_y = 1",
    "one-to-many": r"T_x \le 1,\ T_y > 1",
}
EXAMPLES = {
    "many-to-many-equal": "Named entity recognition: one tag per word, “Tom” → Person, “Paris” → Location. "
                          "The network outputs ŷ⟨t⟩ at every step.",
    "many-to-many-different": "Machine translation: an encoder reads the whole sentence, then a decoder writes the "
                              "translation, which may be longer or shorter.",
    "many-to-one": "Sentiment classification: “I didn't enjoy the film at all.” → one star rating, read from the "
                   "last state.",
    "one-to-many": "Music or text generation: from one input (or none) the network samples ŷ⟨1⟩ and feeds each "
                   "sample back as the next input.",
}
# Where the app shows each shape at work: (page, label, query parameters or None).
LESSONS = {
    "many-to-many-equal": [
        ("lessons/forward_pass.py", "Forward pass of the entity tagger", {"fp_model": "Entity tagger"}),
        ("lessons/named_entities.py", "Named entities", None),
        ("lessons/bidirectional.py", "Bidirectional RNN", None),
    ],
    "many-to-one": [
        ("lessons/forward_pass.py", "Forward pass of the star rating", {"fp_model": "Star rating"}),
        ("lessons/sentiment.py", "Sentiment", None),
    ],
    "one-to-many": [("lessons/language_model.py", "Language model", None)],
}


def main() -> None:
    st.title("Architecture shapes")
    st.markdown(
        "The notes sort recurrent networks by how many inputs $x^{\\langle t \\rangle}$ they read and how many "
        "outputs $\\hat{y}^{\\langle t \\rangle}$ they write. The same cell, with the same shared weights, fits all "
        "four; only the wiring of inputs and outputs changes."
    )
    title = st.segmented_control(
        "Highlight", options=list(BY_TITLE), default=diagrams.SHAPE_TITLES["many-to-many-equal"], key=SHAPE_KEY,
        bind="query-params", required=True,
    )
    highlighted = BY_TITLE.get(title, "many-to-many-equal")
    st.caption("Each lesson links here with its own shape highlighted (framed in blue); pick another to compare.")
    rows = [diagrams.SHAPES[:2], diagrams.SHAPES[2:]]
    for row in rows:
        for column, shape in zip(st.columns(2), row, strict=True):
            with column:
                is_current = shape == highlighted
                st.subheader(diagrams.SHAPE_TITLES[shape])
                st.html(diagrams.architecture_svg(shape, is_current))
                st.latex(LENGTHS[shape])
                st.markdown(EXAMPLES[shape])
                for page, label, params in LESSONS.get(shape, []):
                    cells_ui.link_to_page(page, label, ":material/arrow_forward:", params)


main()
