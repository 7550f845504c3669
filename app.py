"""Envol: router only. Page config, navigation, the shared filter bar and the language switch."""

import streamlit as st

from components.filters import cluster_filter, language_switch, snapshot_picker
from envol import data, i18n

st.set_page_config(page_title="Envol", page_icon="✈️", layout="wide")

lang = language_switch()
T = i18n.translator(lang)
latest = data.latest_version()
clusters = cluster_filter(data.query("clusters_by_name", version=latest), lang)
as_of = snapshot_picker(data.query("snapshots_by_time", version=latest), lang)
data.set_view(data.View(lang=lang, clusters=tuple(clusters), version=as_of or latest,
                        latest=as_of is None))

page = st.navigation([
    st.Page("app_pages/overview.py", title=T("nav.overview"), url_path="overview",
            default=True),
    # pages: maps

    # pages: funnels

    # pages: scenario
    st.Page("app_pages/scenario.py", title=T("scenario.nav"), url_path="scenario"),

    # pages: upload

    st.Page("app_pages/sources.py", title=T("nav.sources"), url_path="sources"),
])
st.sidebar.caption(T("app.tagline"))
page.run()
