"""Scenario simulator: the levers of Pégase's comptoirs programme, the job trajectory against the
target, what it would take to reach it, which lever matters most, and saved scenarios compared."""

import streamlit as st

from components.scenario import simulator
from envol import data, i18n, scenario_report

view = data.view()
T = i18n.translator(view.lang)
st.title(T("scenario.title"))
st.caption(T("scenario.caption", snapshot=i18n.snapshot_label(view.version, view.latest,
                                                              view.lang)))
if "pegase" not in view.clusters:
    st.info(T("scenario.no_pegase"), icon="ℹ️")

defaults = scenario_report.defaults_from_table(view.q("targets_by_programme"))
simulator(defaults, view.q("sources_by_id"), view.q("table_snapshots_by_table"), view.lang)
