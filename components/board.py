"""Board meeting pieces: one slide drawn on the page, the slide navigation, the scenario saved
on the Scenario page, the presentation-mode style and the export buttons.

The slides' figures are the pages' own (`components.maps`, `components.funnels`,
`components.scenario`, `components.overview`), built by `envol.board`; `enlarged` only sets
their text size for a big screen or a printed page.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import show
from components.scenario import saved_scenarios
from envol import i18n
from envol.board import Deck, SavedScenario
from envol.kpis import KpiValue
from envol.scenario import LEVER_INFO, Levers
from envol.text import plain_markdown

# --- figures on a big screen ---------------------------------------------------------------


def enlarged(fig: go.Figure, size: int) -> go.Figure:
    """A copy of `fig` with its text at `size` px (axes, legend, labels), for a big screen or a
    printed page. `components.charts.style` sets only the base font, so these survive it."""
    fig = go.Figure(fig)
    fig.update_xaxes(tickfont_size=size, title_font_size=size, automargin=True)
    fig.update_yaxes(tickfont_size=size, title_font_size=size, automargin=True)
    fig.update_layout(legend_font_size=size, hoverlabel_font_size=size)
    fig.update_traces(textfont_size=size - 1, selector={"type": "bar"})
    fig.update_traces(textfont_size=size - 1, selector={"type": "scattergeo"})
    fig.update_annotations(font_size=size)
    return fig


# --- one slide on the page ---------------------------------------------------------------------


def _cards(values: tuple[KpiValue, ...], *, per_row: int, height: int) -> None:
    for start in range(0, len(values), per_row):
        cols = st.columns(per_row, gap="medium")
        for col, kpi in zip(cols, values[start:start + per_row], strict=False):
            with col:
                st.metric(plain_markdown(kpi.label), kpi.value, delta=kpi.detail or None,
                          delta_color="off",
                          delta_arrow="off", help=kpi.provenance or None, border=True,
                          height=height)


def plain_table(table: pd.DataFrame) -> pd.DataFrame:
    """`st.table` reads Markdown in its cells and headers: every text shown verbatim."""
    shown = table.map(lambda v: plain_markdown(v) if isinstance(v, str) else v)
    shown.columns = [plain_markdown(c) for c in table.columns]
    shown.index = [plain_markdown(i) if isinstance(i, str) else i for i in table.index]
    return shown


def _per_row(n: int) -> int:
    return {1: 1, 2: 2, 3: 3, 5: 3, 6: 3, 9: 3}.get(n, 4)


def slide_view(slide, *, number: int, total: int, lang: str, present: bool) -> None:
    """Draw one `envol.board.Slide`: the same strings the PPTX and PDF show."""
    title = st.title if present or slide.kind == "cover" else st.header
    big = 22 if present else 16
    chart_height = 640 if present else 480
    if slide.kind == "cover":
        with st.container(key="board_cover"):
            title(plain_markdown(slide.title))
            st.subheader(plain_markdown(slide.subtitle))
            for i, line in enumerate(slide.bullets):
                st.markdown(f"**{plain_markdown(line)}**" if i == 0 else plain_markdown(line))
    else:
        title(plain_markdown(slide.title))
        if slide.subtitle:
            with st.container(key="board_subtitle"):
                st.markdown(plain_markdown(slide.subtitle))
        if slide.figure is not None and slide.table is None and not slide.kpis:
            show(enlarged(slide.figure, big), name=slide.figure_name, lang=lang,
                 height=chart_height, key=f"board_chart_{slide.key}")  # the whole width
        elif slide.figure is not None:
            left, right = st.columns([3, 2] if slide.table is not None else [2, 1],
                                     gap="large")
            with left:
                show(enlarged(slide.figure, big), name=slide.figure_name, lang=lang,
                     height=chart_height, key=f"board_chart_{slide.key}")
            with right:
                if slide.table is not None:
                    st.table(plain_table(slide.table), hide_index=True)
                if slide.kpis:
                    many = len(slide.kpis) > 4  # five cards beside a chart: smaller type
                    with st.container(key="board_side_cards_many" if many else
                                      "board_side_cards"):
                        _cards(slide.kpis, per_row=1,
                               height=(128 if many else 170) if present else 118)
        elif slide.kpis:
            _cards(slide.kpis, per_row=_per_row(len(slide.kpis)),
                   height=250 if present else 150)
        elif slide.table is not None:
            st.table(plain_table(slide.table), hide_index=True)
        for line in slide.bullets:
            st.markdown(plain_markdown(line))
    with st.container(key="board_footer"):
        st.caption(f"{plain_markdown(slide.footer)} · {number} / {total}")


# --- the scenario of the Scenario page -----------------------------------------------------------


def scenario_to_show() -> SavedScenario | None:
    """What the Scenario page holds in this session: its most recently saved scenario, else its
    current levers (once the user has been there), else None (the board then shows the default
    levers from the targets table)."""
    saved = saved_scenarios()  # the session's, or those of a `scenarios=` link
    if saved:
        name, levers = list(saved.items())[-1]
        return SavedScenario(name, levers, "pegase", "saved")
    current = st.session_state.get("scenario_levers")
    if isinstance(current, dict) and set(current) == set(LEVER_INFO):
        return SavedScenario("", Levers(**current), "pegase", "current")
    return None


# --- navigation, presentation mode, export -------------------------------------------------------


def session_deck(key: tuple, build: Callable[[], Deck]) -> Deck:
    """The deck `build()` makes, built once per session and `key` (the view, the previous
    board, the scenario, the scope): a slide change redraws one slide instead of rebuilding
    the whole pack (1.6 s at EU scale, on every ← or →). A new key builds it again."""
    held = st.session_state.get("board_deck")
    if held is None or held[0] != key:
        held = (key, build())
        st.session_state["board_deck"] = held
    return held[1]


def presentation_toggle(lang: str) -> bool:
    return st.toggle(i18n.t("board.present", lang), key="board_present", bind="query-params",
                     help=i18n.t("board.present_help", lang))


def slide_picker(titles: list[str], lang: str) -> int:
    """Previous / next buttons (← and → keys) and the slide number, which is in the URL."""
    n = len(titles)
    state = st.session_state
    if not isinstance(state.get("board_slide"), int) or not 1 <= state["board_slide"] <= n:
        state["board_slide"] = 1

    def go(target: int) -> None:
        # The target is the neighbour of the slide drawn with the button, not of whatever the
        # state holds when the click lands: a key press delivered twice (or during a rerun)
        # still moves one slide, never two.
        state["board_slide"] = target

    T = i18n.translator(lang)
    prev = st.empty()  # drawn first, filled once the slide number (from the URL) is known
    number = st.number_input(T("board.goto"), min_value=1, max_value=n, step=1,
                             key="board_slide", bind="query-params",
                             label_visibility="collapsed", width=130)
    st.markdown(plain_markdown(f"/ {n} · {titles[number - 1]}"), width="content")
    st.button(T("board.next"), key="board_next", icon=":material/arrow_forward:",
              icon_position="right", on_click=go, args=(min(number + 1, n),),
              disabled=number >= n, shortcut="Right")
    prev.button(T("board.prev"), key="board_prev", icon=":material/arrow_back:", on_click=go,
                args=(max(number - 1, 1),), disabled=number <= 1, shortcut="Left")
    return number


def previous_picker(commits: pd.DataFrame, version: int, default: int | None,
                    lang: str) -> int | None:
    """Which snapshot the previous board saw: the "what changed" slides compare with it."""
    older = commits[commits["snapshot_id"] < version]
    labels: dict[int | None, str] = {None: i18n.t("board.previous_none", lang)}
    for _, s in older.iterrows():
        labels[int(s["snapshot_id"])] = (
            i18n.t("filters.snapshot", lang, id=int(s["snapshot_id"]),
                   date=i18n.timestamp(s["snapshot_time"], lang)) + f" · {s['table_name']}")
    options = list(labels)
    if st.session_state.get("board_previous", default) not in options:
        st.session_state.pop("board_previous", None)
    return st.selectbox(i18n.t("board.previous_board", lang), options=options,
                        index=options.index(default), format_func=labels.__getitem__,
                        key="board_previous", help=i18n.t("board.previous_help", lang))


def board_pack(deck, progress):
    """The PPTX and the PDF. `envol.export` is imported here, when a pack is asked for: its
    PDF, slide and image libraries add ~30 MB to the server's memory."""
    from envol import export

    return export.build_pack(deck, progress=progress)


def pack_downloads(deck, build: Callable, lang: str) -> None:
    """Build the PPTX and the PDF only when asked, with progress, then offer both files.

    `build(deck, progress)` returns an object with `pptx` and `pdf` bytes, or raises
    `envol.export.ExportError`: its `message(lang)` says what went wrong and its `command`,
    when set, what to run (Chromium missing). `envol.export` is imported only then (its
    libraries weigh ~30 MB in the server).
    """
    T = i18n.translator(lang)
    stamp = (deck.lang, deck.version, deck.previous, deck.clusters, len(deck.slides))
    if st.button(T("board.prepare"), key="board_prepare", icon=":material/slideshow:",
                 type="primary"):
        from envol.export import ExportError

        bar = st.progress(0.0, text=T("board.preparing"))
        try:
            pack = build(deck, progress=lambda f, text: bar.progress(min(f, 1.0), text=text))
        except ExportError as e:
            bar.empty()
            st.error(e.message(lang), icon=":material/error:")
            if e.command:
                st.code(e.command, language="bash")
            return
        bar.empty()
        st.session_state["board_pack"] = (stamp, pack)
    built = st.session_state.get("board_pack")
    if not built or built[0] != stamp:
        return
    pack = built[1]
    st.success(T("board.ready", slides=len(deck.slides)), icon=":material/check_circle:")
    with st.container(horizontal=True):
        st.download_button(
            T("board.download_pptx"), data=pack.pptx, file_name=f"{deck.file_stem}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="board_download_pptx", icon=":material/download:", on_click="ignore")
        st.download_button(T("board.download_pdf"), data=pack.pdf,
                           file_name=f"{deck.file_stem}.pdf", mime="application/pdf",
                           key="board_download_pdf", icon=":material/download:",
                           on_click="ignore")


# Static style of the board page, never built from data. The slide is a container with the key
# `board_stage` (Streamlit gives it the class `st-key-board_stage`).
SLIDE_CSS = """
<style>
.st-key-board_stage { border: 1px solid #d5dde6; border-radius: 0.75rem; padding: 1.6rem 2.2rem;
  min-height: 620px; box-shadow: 0 2px 10px rgba(16, 36, 62, 0.08); }
.st-key-board_stage h2 { color: #10243e; border-bottom: 3px solid #0072B2;
  padding-bottom: 0.5rem; }
.st-key-board_subtitle p { color: #4a5563; font-size: 1.15rem; }
.st-key-board_stage [data-testid="stMetricValue"] { color: #0072B2; }
.st-key-board_stage [data-testid="stMetricValue"] p { font-weight: 700; }
.st-key-board_footer p { color: #6b7684; }
.st-key-board_stage table th { color: #10243e; font-weight: 600; background: #eef2f7; }
.st-key-board_cover { padding: 2.5rem 0 1.5rem 2rem; border-left: 12px solid #0072B2; }
.st-key-board_cover h1 { color: #10243e; }
.st-key-board_cover h3 { color: #4a5563; font-weight: 400; }
.st-key-board_cover p { font-size: 1.35rem; }
</style>
"""

PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
.st-key-board_settings { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important;
  padding: 2rem 4rem 4rem 4rem !important; }
.st-key-board_stage { border: none; box-shadow: none; padding: 0; min-height: 0; }
.st-key-board_stage h1 { font-size: 3.4rem !important; line-height: 1.15 !important;
  color: #10243e; border-bottom: 4px solid #0072B2; padding-bottom: 0.6rem !important; }
.st-key-board_subtitle p { font-size: 1.8rem !important; }
.st-key-board_stage [data-testid="stMarkdownContainer"] p { font-size: 1.8rem; }
.st-key-board_stage [data-testid="stMetricLabel"] p { font-size: 1.75rem !important;
  line-height: 1.25 !important; }
.st-key-board_stage [data-testid="stMetricValue"] p { font-size: 4.6rem !important;
  line-height: 1.15 !important; font-weight: 700; }
.st-key-board_stage [data-testid="stMetricDelta"] p,
.st-key-board_stage [data-testid="stMetricDelta"] div { font-size: 1.5rem !important; }
.st-key-board_stage table { font-size: 1.6rem !important; }
.st-key-board_stage table th { font-size: 1.45rem !important; }
.st-key-board_side_cards [data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
.st-key-board_side_cards [data-testid="stMetricValue"] p { font-size: 3.2rem !important; }
.st-key-board_side_cards [data-testid="stMetricDelta"] p,
.st-key-board_side_cards [data-testid="stMetricDelta"] div { font-size: 1.2rem !important; }
.st-key-board_side_cards_many [data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
.st-key-board_side_cards_many [data-testid="stMetricValue"] p { font-size: 2.5rem !important; }
.st-key-board_side_cards_many [data-testid="stMetricDelta"] p,
.st-key-board_side_cards_many [data-testid="stMetricDelta"] div {
  font-size: 1.05rem !important; }
.st-key-board_cover { margin-top: 12vh; }
.st-key-board_cover h1 { font-size: 4.6rem !important; border-bottom: none; }
.st-key-board_cover h3 { font-size: 2.3rem !important; }
.st-key-board_cover p { font-size: 2.1rem !important; }
.st-key-board_footer p { font-size: 1.2rem !important; }
.st-key-board_nav { position: fixed; bottom: 0.5rem; right: 1.5rem; z-index: 1000;
  width: auto !important; opacity: 0.3; background: #ffffff; padding: 0.3rem 0.8rem;
  border-radius: 0.5rem; }
.st-key-board_nav:hover { opacity: 1; box-shadow: 0 2px 10px rgba(16, 36, 62, 0.15); }
</style>
"""


def page_style(present: bool) -> None:
    st.markdown(SLIDE_CSS + (PRESENT_CSS if present else ""), unsafe_allow_html=True)
