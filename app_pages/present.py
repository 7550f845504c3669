"""Board meeting: the board pack one slide at a time, and the same slides as PPTX and PDF."""

import streamlit as st

from components.board import (
    board_pack,
    pack_downloads,
    page_style,
    presentation_toggle,
    previous_picker,
    scenario_to_show,
    session_deck,
    slide_picker,
    slide_view,
)
from envol import audit, board, data, i18n

view = data.view()
T = i18n.translator(view.lang)
settings = st.container(key="board_settings")
nav = st.container(key="board_nav", horizontal=True, vertical_alignment="center", gap="large")
stage = st.container(key="board_stage")
with nav:
    present = presentation_toggle(view.lang)
page_style(present)
if not view.clusters:
    st.title(T("board.title"))
    st.info(T("filters.none"))
    st.stop()

commits = view.q("snapshots_by_time")
with settings:
    if not present:
        st.title(T("board.title"))
    left, right = st.columns([3, 2], vertical_alignment="bottom", gap="large")
with left:
    previous = previous_picker(commits, view.version,
                               board.previous_snapshot(commits, view.version), view.lang)
scenario = scenario_to_show()
deck = session_deck((view, previous, scenario, data.scope()), lambda: board.build_deck(
    board.Board(view, previous=previous, scenario=scenario)))

with nav:
    number = slide_picker([s.title for s in deck.slides], view.lang)
with stage:
    slide_view(deck.slides[number - 1], number=number, total=len(deck.slides), lang=view.lang,
               present=present)
with right:
    if not present:
        pack_downloads(deck, audit.audited(board_pack, "board_pack", data.scope().identity,
                                           clusters=list(deck.clusters), version=deck.version,
                                           previous=deck.previous, lang=deck.lang,
                                           slides=len(deck.slides)), view.lang)
with settings:
    if not present:
        st.caption(T("board.caption", n=len(deck.slides),
                     clusters=", ".join(deck.slide("cover").bullets[:1]),
                     snapshot=i18n.snapshot_label(view.version, view.latest, view.lang)))
