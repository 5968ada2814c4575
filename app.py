"""RNN Lab: the entry point of `streamlit run app.py`. Page setup, shared sidebar, navigation; nothing else.

To add a lesson, add its st.Page line to PAGES (in course order) and register it in ui/course_map.py.
"""

import streamlit as st

from ui.shell import configure_torch_threads, freeze_startup_heap, render_sidebar, run_page

st.set_page_config(page_title="RNN Lab", page_icon=":material/neurology:", layout="wide")
configure_torch_threads()
freeze_startup_heap()

PAGES = [  # in the order of the course notes
    st.Page("lessons/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("lessons/words_to_vectors.py", title="Words to vectors", icon=":material/grid_on:"),
    st.Page("lessons/forward_pass.py", title="Forward pass, step by step", icon=":material/start:"),
    st.Page("lessons/architecture_shapes.py", title="Architecture shapes", icon=":material/account_tree:"),
    st.Page("lessons/named_entities.py", title="Named entities", icon=":material/label:"),
    st.Page("lessons/sentiment.py", title="Sentiment", icon=":material/star_half:"),
    st.Page("lessons/language_model.py", title="Language model", icon=":material/edit_note:"),
    st.Page("lessons/translation.py", title="Translation", icon=":material/translate:"),
    st.Page("lessons/forecasting.py", title="Forecasting", icon=":material/show_chart:"),
    st.Page("lessons/gradients.py", title="Vanishing and exploding gradients", icon=":material/trending_down:"),
    st.Page("lessons/gates.py", title="GRU and LSTM gates", icon=":material/tune:"),
    st.Page("lessons/bidirectional.py", title="Bidirectional RNN", icon=":material/sync_alt:"),
    st.Page("lessons/compare.py", title="Compare the cells", icon=":material/compare_arrows:"),
]

# expanded=True: with more than twelve pages Streamlit would hide the last lessons behind "View more";
# a student following the course should see the whole list at once.
page = st.navigation(PAGES, expanded=True)
render_sidebar()
run_page(page)  # page.run(), with a broken checkpoint told by name rather than raised
