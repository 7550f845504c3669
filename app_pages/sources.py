"""Sources and data: the articles, the snapshot shown per table, the data dictionary, templates."""

import streamlit as st

from components.sources import dictionary_tabs, snapshot_table, source_list
from envol import data, i18n
from envol.schema import TABLES, dictionary

view = data.view()
T = i18n.translator(view.lang)
st.title(T("sources.title"))

st.header(T("sources.articles"))
source_list(view.q("sources_by_id"), view.lang)

st.header(T("sources.snapshots"))
snapshot_table(view.q("table_snapshots_by_table"), view.lang)

st.header(T("sources.dictionary"))
st.caption(T("sources.dictionary_caption"))
dictionary_tabs(dictionary(view.lang), TABLES, view.lang)
