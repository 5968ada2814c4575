"""Page styles every lesson gets, for a phone in portrait (390 px wide) as much as for a laptop.

Anything wider than the screen scrolls inside a box of its own, never the whole page: Streamlit already
does so for dataframes and formulas; the SVG diagrams have their own scroll box (ui.diagrams.scroll_box).
What it does not do: wrap long labels of buttons and page links, which it cuts with an ellipsis on a
narrow screen (a preset sentence, "Where this model sits among the RNN shapes: ..."), keep a table made
with st.table inside the screen, and keep the unrolled and cell diagrams at a readable size (scrolling
in their box) instead of shrinking them to the screen's width.
"""

from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 640  # below this width the rules for small screens apply

CSS = f"""
<style>
  [data-testid="stMain"] .katex-display {{ overflow-x: auto; overflow-y: hidden; }}
  [data-testid="stMain"] [data-testid="stTable"] {{ overflow-x: auto; }}
  @media (max-width: {PHONE_MAX_PX}px) {{
    [data-testid="stMain"] button p, [data-testid="stMain"] [data-testid="stPageLink"] p,
    [data-testid="stMain"] [data-testid="stPageLink"] span {{
      white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
      overflow-wrap: anywhere;
    }}
    [data-testid="stMain"] button {{ height: auto; }}
    /* A diagram shrunk to 390 px would print its 13 px labels at 5 px: keep it at its own size, at least
       as wide as the screen, and let its box (ui.diagrams.scroll_box) scroll sideways. */
    [data-testid="stMain"] .unrolled-rnn img, [data-testid="stMain"] .bidirectional-rnn img,
    [data-testid="stMain"] .cell-diagram img {{ max-width: none !important; }}
  }}
</style>
"""


def page_styles() -> None:
    st.html(CSS)
