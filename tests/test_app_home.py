"""AppTest of app.py: navigation, the shared sidebar and the home page's map of the course."""

from __future__ import annotations

import os
import re

import torch

from tests.conftest import REPO_ROOT, fresh_python
from ui.course_map import LESSONS, RNN_SHAPES, SEQUENCE_TASKS
from ui.shell import available_cpus, configure_torch_threads

APP = "app.py"


def page_links(container) -> list[tuple[str, str]]:
    return [(link.proto.label, link.proto.page) for link in container.get("page_link")]


def test_home_is_the_default_page(app_test):
    at = app_test(APP)
    assert not at.exception
    assert [title.value for title in at.title] == ["RNN Lab"]
    assert [header.value for header in at.header] == ["Sequence tasks", "Three shapes of RNN", "Lessons"]


def test_home_shows_the_notes_task_table(app_test):
    at = app_test(APP)
    table = at.table[0].value
    assert list(table.columns) == ["Input x", "Output y"]
    assert list(table.index) == [task.task for task in SEQUENCE_TASKS]
    assert "Tom → Person" in table.loc["Entity tagging", "Output y"]
    assert table.loc["Sentiment analysis", "Input x"] == "\u201cI didn't enjoy the film at all.\u201d"
    links = page_links(at.main)
    assert ("Language translation: open the lesson", "translation") in links


def test_home_shows_three_rnn_shapes_with_examples(app_test):
    at = app_test(APP)
    assert [sub.value for sub in at.subheader] == ["Many-to-many", "Many-to-one", "One-to-many"]
    assert [latex.value.strip("$\n") for latex in at.latex] == [shape.lengths for shape in RNN_SHAPES]


def test_every_lesson_of_the_course_map_is_a_page_of_the_app():
    app_pages = set(re.findall(r'st\.Page\("([^"]+)"', (REPO_ROOT / "app.py").read_text(encoding="utf-8")))
    mapped = ({lesson.page for lesson in LESSONS} | {shape.lesson for shape in RNN_SHAPES}
              | {task.lesson for task in SEQUENCE_TASKS if task.lesson})
    assert mapped <= app_pages and all((REPO_ROOT / page).is_file() for page in mapped)


def test_home_links_every_lesson_and_each_opens(app_test):
    at = app_test(APP)
    main_links = page_links(at.main)
    expected = ([lesson.title for lesson in LESSONS] + ["Open the lesson"] * len(RNN_SHAPES)
                + [f"{task.task}: open the lesson" for task in SEQUENCE_TASKS if task.lesson])
    assert sorted(label for label, _ in main_links) == sorted(expected)
    assert ("Words to vectors", "words_to_vectors") in main_links
    for lesson in LESSONS:
        at.switch_page(lesson.page).run()
        assert not at.exception, (lesson.page, [e.message for e in at.exception])
        assert [title.value for title in at.title] == [lesson.title]


def test_sidebar_has_about_and_notation(app_test):
    at = app_test(APP)
    assert "RNN Lab" in at.sidebar.markdown[0].value
    notation = "\n".join(md.value for md in at.sidebar.markdown)
    assert r"W_{aa},\ W_{ax},\ b_a" in notation and r"T_x,\ T_y" in notation
    assert ("Where the notation starts", "words_to_vectors") in page_links(at.sidebar)


def test_lesson_opens_from_the_app(app_test):
    at = app_test(APP)
    at.switch_page("lessons/words_to_vectors.py").run()
    assert not at.exception
    assert at.text_area(key="w2v_text").value.startswith("Sherlock Holmes")
    # The lessons live in lessons/, not pages/: Streamlit would treat a pages/ folder beside app.py as
    # its old multipage mode and run a deep-linked page alone, without app.py's sidebar.
    assert "RNN Lab" in at.sidebar.markdown[0].value


def test_torch_serves_on_one_thread_per_visitor():
    assert available_cpus() == len(os.sched_getaffinity(0))
    before = torch.get_num_threads()
    try:
        assert configure_torch_threads.__wrapped__() == 1  # the cached function, run afresh
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_startup_heap_is_frozen_so_the_post_run_collection_is_short():
    """Streamlit collects garbage after every run; the libraries' objects must not be walked each time."""
    code = (
        "import gc\n"
        "from ui.shell import freeze_startup_heap\n"
        "frozen = freeze_startup_heap()\n"
        "print(frozen, len(gc.get_objects()), freeze_startup_heap() == frozen)\n"
    )
    frozen, still_walked, cached = fresh_python(code)
    assert int(frozen) > 150_000  # Streamlit, torch and pandas: about 220,000 objects
    assert int(still_walked) < int(frozen) // 20  # what a collection still walks
    assert cached == "True"  # once per process


def test_app_freezes_the_heap_after_setting_threads():
    source = (REPO_ROOT / "app.py").read_text()
    assert source.index("configure_torch_threads()") < source.index("freeze_startup_heap()") < source.index(
        "st.navigation("
    )
