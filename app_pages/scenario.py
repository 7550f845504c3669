"""Scenario simulator: the levers of Pégase's comptoirs programme, the job trajectory against the
target, what it would take to reach it, which lever matters most, and saved scenarios compared."""

import streamlit as st

from components.charts import show
from components.kpis import kpi_grid
from components.scenario import (
    comparison_chart,
    comparison_table,
    download,
    lever_panel,
    problems_box,
    saved_scenarios,
    scenario_store,
    solve_answer,
    solve_picker,
    sync_url,
    tornado_chart,
    trajectory_chart,
)
from envol import data, i18n, scenario_report
from envol.scenario import (
    SOLVABLE,
    scenarios_to_csv,
    sensitivity,
    simulate,
    solve_for,
    summary,
    validate,
)

view = data.view()
T = i18n.translator(view.lang)
st.title(T("scenario.title"))
st.caption(T("scenario.caption", snapshot=i18n.snapshot_label(view.version, view.latest,
                                                              view.lang)))
if "pegase" not in view.clusters:
    st.info(T("scenario.no_pegase"), icon="ℹ️")

defaults = scenario_report.defaults_from_targets(view.q("targets_by_programme").to_dict("records"))
sources = view.q("sources_by_id")
snapshots = view.q("table_snapshots_by_table")


@st.fragment
def simulator(defaults, sources, snapshots, lang):
    """Everything the levers move: a slider reruns this, not the router, sidebar and title."""
    T = i18n.translator(lang)
    saved = saved_scenarios()
    headline = st.container()
    levers_column, results_column = st.columns([1, 2], gap="large")
    with levers_column:
        levers = lever_panel(defaults, scenario_report.lever_origins(defaults, lang), lang)
    problems = validate(levers)

    if problems:
        with headline:
            problems_box(problems, levers, defaults.levers, lang)
    else:
        result = summary(levers)
        with headline:
            kpi_grid(scenario_report.scenario_kpis(levers, result, defaults, sources, snapshots,
                                                   lang), per_row=5)
        with results_column:
            st.subheader(T("scenario.trajectory"))
            show(trajectory_chart(simulate(levers), result, lang),
                 name="envol-scenario-trajectoire", lang=lang, height=460)
            st.subheader(T("scenario.what_it_takes"))
            solve_answer(solve_for(levers, solve_picker(SOLVABLE, lang)), levers, lang)
            st.subheader(T("scenario.sensitivity"))
            tornado = sensitivity(levers)
            st.caption(T("scenario.sensitivity_caption", year=result.end_year,
                         delta=i18n.percent(0.2, lang, 0),
                         jobs=i18n.number(result.cumulative_jobs, lang)))
            show(tornado_chart(tornado, lang), name="envol-scenario-sensibilite",
                 lang=lang, height=90 + 52 * len(tornado))

    st.header(T("scenario.saved"))
    st.caption(T("scenario.saved_caption"))
    store_column, compare_column = st.columns([1, 2], gap="large")
    with store_column:
        scenario_store(None if problems else levers, saved, lang)
    if saved:
        with compare_column:
            st.subheader(T("scenario.compare"))
            show(comparison_chart(scenario_report.trajectories(saved), lang),
                 name="envol-scenarios-comparaison", lang=lang, height=380)
            st.caption(T("scenario.compare_caption"))
        comparison_table(scenario_report.comparison_table(saved, lang), lang)
        download(scenarios_to_csv(saved), lang)
    sync_url(saved)


simulator(defaults, sources, snapshots, view.lang)
