"""Envol: router only. Page config, navigation, the shared filter bar and the language switch."""

import streamlit as st

from components.errors import run_page
from components.filters import shared_filters
from envol import data, i18n

st.set_page_config(page_title="Envol", page_icon="✈️", layout="wide")

latest = data.latest_version()
lang, clusters, as_of = shared_filters(data.query("clusters_by_name", version=latest),
                                       data.query("snapshots_by_time", version=latest))
T = i18n.translator(lang)
data.set_view(data.View(lang=lang, clusters=tuple(clusters), version=as_of or latest,
                        latest=as_of is None))

page = st.navigation({
    T("nav.section_dashboards"): [
        st.Page("app_pages/overview.py", title=T("nav.overview"), url_path="overview",
                default=True),
        st.Page("app_pages/maps.py", title=T("maps.nav"), url_path="maps"),
        st.Page("app_pages/funnels.py", title=T("funnels.nav"), url_path="funnels"),
        st.Page("app_pages/scenario.py", title=T("scenario.nav"), url_path="scenario"),
    ],
    T("nav.section_board"): [
        st.Page("app_pages/present.py", title=T("board.nav"), url_path="present"),
    ],
    T("nav.section_data"): [
        st.Page("app_pages/upload.py", title=T("nav.upload"), url_path="upload"),
        st.Page("app_pages/history.py", title=T("nav.history"), url_path="history"),
        st.Page("app_pages/sources.py", title=T("nav.sources"), url_path="sources"),
    ],
})
st.sidebar.caption(T("app.tagline"))
run_page(page, lang)
