"""Home: a map of the course. Sequence tasks from the notes, the three shapes of RNN, the lessons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.course_map import LESSONS, RNN_SHAPES, SEQUENCE_TASKS

st.title("RNN Lab")
st.markdown(
    "Recurrent neural networks, taught with real models in the notation of the course notes. "
    "Type your own sentence and watch it become vectors, pass through a recurrent cell step by step, "
    "and come out as a prediction."
)

st.header("Sequence tasks", divider="gray")
st.markdown(
    "In each task the order of the elements matters: the input $x$, the output $y$ or both are sequences."
)
st.table(
    pd.DataFrame(
        [(task.task, task.x, task.y) for task in SEQUENCE_TASKS], columns=["Task", "Input x", "Output y"]
    ).set_index("Task")
)
for task in SEQUENCE_TASKS:
    if task.lesson:
        st.page_link(task.lesson, label=f"{task.task}: open the lesson", icon=":material/arrow_forward:")

st.header("Three shapes of RNN", divider="gray")
for column, shape in zip(st.columns(len(RNN_SHAPES)), RNN_SHAPES, strict=True):
    with column.container(border=True):
        st.subheader(shape.name)
        st.latex(shape.lengths)
        st.markdown(shape.example)
        st.page_link(shape.lesson, label="Open the lesson", icon=":material/arrow_forward:")

st.header("Lessons", divider="gray")
for lesson in LESSONS:
    st.page_link(lesson.page, label=lesson.title, icon=lesson.icon)
    st.caption(lesson.summary)
