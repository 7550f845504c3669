"""Funnels: how many firms get from interest to exporting, and where they drop out. The survey,
the comptoir programme and portage, each with its denominators; two snapshots compared; every
data problem shown."""

from dataclasses import replace

import streamlit as st

from components.charts import show
from components.funnels import (
    compare_figure,
    compare_table,
    comptoir_table,
    conversion_table,
    data_checks,
    funnel_choice,
    funnel_figure,
    funnel_height,
    no_members_note,
    portage_figures,
    review_figure,
    single_snapshot_note,
    snapshot_pickers,
    survey_answers,
    survey_figure,
    survey_heading,
    survey_metrics,
    survey_picker,
)
from components.sources import where_from
from envol import data, i18n
from envol import funnels as fn
from envol.kpis import provenance

view = data.view()
T = i18n.translator(view.lang)
st.title(T("funnels.title"))
st.caption(T("funnels.caption", snapshot=i18n.snapshot_label(view.version, view.latest,
                                                             view.lang)))
sources = view.q("sources_by_id")
snapshots = view.q("table_snapshots_by_table")
problems = view.q("funnel_problems_by_row")
who = data.scope().identity  # the problem rows' CSVs are audited (they name member firms)

# 1. The survey: firms asked, then each answer (verbatim) with its 95 % Wilson interval.
st.header(T("funnels.survey"))
answers = view.q("survey_answers_by_question")
survey = fn.survey_funnel(answers, survey_picker(answers, view.lang) or "")
if survey is None:
    st.info(T("funnels.no_data", table="survey_results"))
else:
    survey_ids = fn.source_ids([a.source_id for a in survey.answers])
    survey_where = provenance(survey_ids, ("survey_results",), sources, snapshots, view.lang)
    survey_heading(survey, view.lang)
    survey_metrics(survey, survey_where, view.lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        show(survey_figure(survey, view.lang), name="envol-entonnoir-enquete", lang=view.lang,
             height=funnel_height(len(survey.answers) + 1))
    with right:
        survey_answers(survey, view.lang)
    survey_names = {survey.key: f"{survey.survey_name} ({survey.year})"}
    data_checks(fn.flags("survey", {survey.key: survey.steps()}, problems), survey_names,
                "survey", view.lang,
                fn.problems_download("survey", problems, survey_names, view.lang, who,
                                     view.version), fn.problem_count(problems, "survey"))
    where_from([survey_ids], ("survey_results",), sources, snapshots, view.lang)

# 2. The comptoir programme, per cluster and per comptoir:
#    member SMEs → candidates → selected → hosted → exporting.
st.header(T("funnels.comptoir"))
st.caption(T("funnels.comptoir_caption"))
if not view.clusters:
    st.info(T("filters.none"))
else:
    comptoir = view.q("comptoir_funnel_by_stage")
    per_comptoir = view.q("comptoir_funnel_by_comptoir")
    comptoir_steps = fn.funnels(comptoir, "cluster_id", "firms")  # once for panels and checks
    comptoir_panels = fn.panels(comptoir, "cluster_id", "cluster_name", "firms",
                                skip_empty=True, steps_by_group=comptoir_steps)
    drawn = fn.in_detail(comptoir_panels)
    if len(drawn) < len(comptoir_panels):
        st.caption(T("funnels.detail_capped", n=i18n.number(len(drawn), view.lang),
                     total=i18n.number(len(comptoir_panels), view.lang)))
    if drawn:
        show(funnel_figure(drawn, "comptoir", view.lang),
             name="envol-entonnoir-comptoirs", lang=view.lang,
             height=funnel_height(len(fn.COMPTOIR_STAGES) + 1))
    no_members_note(fn.empty_groups(comptoir, "cluster_id", "cluster_name", "firms"),
                    view.lang)
    cluster_names = fn.group_names(comptoir, "cluster_id", "cluster_name")
    data_checks(fn.flags("comptoir", comptoir_steps, problems),
                cluster_names, "comptoir", view.lang,
                fn.problems_download("comptoir", problems, cluster_names, view.lang, who,
                                     view.version), fn.problem_count(problems, "comptoir"))
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.subheader(T("funnels.conversions"), anchor=False)
        conversion_table(comptoir_panels, "comptoir", view.lang, T("col.cluster"))
    with right:
        st.subheader(T("funnels.per_comptoir"), anchor=False)
        comptoir_table(per_comptoir, view.lang)
    where_from([fn.source_ids(comptoir["sources"], per_comptoir["sources"])],
               ("clusters", "members", "comptoirs"), sources, snapshots, view.lang)

# 3. Portage (national), per year: requested → endorsed → reviewed → matched → supported;
#    progress towards the goal and review times against the one-month benchmark (S5).
st.header(T("funnels.portage"))
st.caption(T("funnels.portage_caption"))
portage = view.q("portage_funnel_by_stage")
if portage.empty:
    st.info(T("funnels.no_data", table="sponsorships"))
else:
    reviews = view.q("portage_reviews_by_days")
    targets = view.q("targets_by_programme")
    portage_ids = fn.source_ids(portage["sources"], reviews["sources"],
                                [fn.REVIEW_BENCHMARK_SOURCE], fn.portage_goal_sources(targets))
    portage_where = provenance(portage_ids, ("sponsorships", "targets"), sources, snapshots,
                               view.lang)
    portage_figures(fn.portage_goal_progress(portage, targets),
                    view.q("portage_by_year"),  # the overview's mean review time, same query
                    fn.review_summary(reviews), portage_where, view.lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        years = fn.panels(portage, "year", "year", "requests")
        drawn = fn.latest_years(years)
        if len(drawn) < len(years):
            st.caption(T("funnels.years_capped", n=i18n.number(len(drawn), view.lang),
                         total=i18n.number(len(years), view.lang)))
        show(funnel_figure(drawn, "portage", view.lang),
             name="envol-entonnoir-portage", lang=view.lang,
             height=funnel_height(len(fn.PORTAGE_STAGES)))
        if len(drawn) < len(years):  # every year in a table
            conversion_table(years, "portage", view.lang, T("funnels.col.year"))
    with right:
        if not reviews.empty:
            st.subheader(T("funnels.review"), anchor=False)
            show(review_figure(reviews, view.lang), name="envol-instruction-portage",
                 lang=view.lang, height=funnel_height(len(fn.PORTAGE_STAGES)) - 60)
    data_checks(fn.flags("portage", fn.funnels(portage, "year", "requests"), problems), {},
                "portage", view.lang,
                fn.problems_download("portage", problems, {}, view.lang, who, view.version),
                fn.problem_count(problems, "portage"))
    where_from([portage_ids], ("sponsorships", "targets"), sources, snapshots, view.lang)

# 4. Two snapshots compared: one funnel at two "as of" snapshots, side by side, with deltas.
st.header(T("funnels.compare"))
st.caption(T("funnels.compare_caption"))
kind = funnel_choice(view.lang)
all_snapshots = view.latest_q("snapshots_by_time")
table = fn.FUNNEL_TABLES[kind]
before, after = snapshot_pickers(
    all_snapshots, fn.previous_table_snapshot(all_snapshots, table, view.version) or view.version,
    view.version, kind, view.lang)
single_snapshot_note(all_snapshots, table, view.lang)
if before == after:
    st.caption(T("funnels.compare_same"))
else:
    cmp = fn.compare(
        fn.comparable(kind, replace(view, version=before).q(fn.COMPARE_QUERIES[kind])),
        fn.comparable(kind, replace(view, version=after).q(fn.COMPARE_QUERIES[kind])))
    if not cmp["delta"].any():
        st.caption(T("funnels.compare_none"))
    if not cmp.empty:
        drawn = fn.compare_in_detail(cmp)
        if drawn["group"].nunique() < cmp["group"].nunique():
            st.caption(T("funnels.compare_capped", n=i18n.number(drawn["group"].nunique(),
                                                                  view.lang),
                         total=i18n.number(cmp["group"].nunique(), view.lang)))
        left, right = st.columns([3, 2], gap="large")
        with left:
            show(compare_figure(drawn, kind, before, after, view.lang),
                 name="envol-entonnoir-ecarts", lang=view.lang,
                 height=funnel_height(int(drawn.groupby("group").size().max())) + 40)
        with right:
            compare_table(cmp, kind, before, after, view.lang)
