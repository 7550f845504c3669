"""Scenario page pieces: the levers (slider + number input each), the trajectory and tornado
charts, the "what it takes" answer, and the saved scenarios (session, URL, CSV).

Widget state: for each lever a slider `scenario_<lever>` and a number input
`scenario_<lever>_value`, kept in step by callbacks. The number input is the value used: it
accepts what the slider cannot reach (a budget of 0) so that the model can say why it is refused.
`scenario_levers` keeps the values while the user visits other pages (Streamlit forgets the state
of widgets that are not drawn); `scenario_defaults` remembers the defaults they started from, so
that a new targets snapshot moves the levers the user had not touched.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import PALETTE, show
from components.kpis import kpi_grid
from envol import i18n, scenario_report
from envol.scenario import (
    LEVER_INFO,
    MAX_SCENARIOS,
    SOLVABLE,
    Levers,
    Problem,
    SolveResult,
    Summary,
    name_problem,
    scenarios_from_query,
    scenarios_to_csv,
    scenarios_to_query,
    sensitivity,
    simulate,
    solve_for,
    summary,
    validate,
)
from envol.scenario_report import Defaults, fmt, lever_label, problem_text
from envol.text import plain_html, plain_markdown

GROUPS = {  # what a board moves first, then the target it is measured against
    "comptoirs": ("comptoirs", "firms_per_comptoir", "gie_minimum"),
    "jobs": ("jobs_per_firm_per_year", "ramp_up_years"),
    "costs": ("budget_per_comptoir_eur", "cost_reduction_factor"),
    "target": ("job_target", "horizon_years", "start_year"),
}
FORMATS = {"budget_per_comptoir_eur": "%.0f", "job_target": "%.0f",
           "jobs_per_firm_per_year": "%.1f", "cost_reduction_factor": "%.1f"}
URL_PARAM = "scenarios"
STORE, NOTICES, FLASH = "scenario_saved", "scenario_url_notices", "scenario_flash"
JOBS_COLOUR, TARGET_COLOUR, PATH_COLOUR = PALETTE[0], PALETTE[1], "#7f7f7f"


def _key(name: str) -> str:
    return f"scenario_{name}"


def _value_key(name: str) -> str:
    return f"scenario_{name}_value"


def _typed(name: str, value: float) -> int | float:
    return int(value) if LEVER_INFO[name].integer else float(value)


@functools.cache
def _grid(name: str) -> tuple[int | float, ...]:
    """The slider's positions: the lever's range on its step (`LEVER_INFO`)."""
    info = LEVER_INFO[name]
    n = int(round((info.max - info.min) / info.step))
    return tuple(_typed(name, round(info.min + k * info.step, 10)) for k in range(n + 1))


@functools.cache
def _grid_labels(name: str, lang: str) -> dict[int | float, str]:
    """Each slider position's label (`fmt`), made once: a slider asks for every position's
    label on every rerun (~5,000 labels for the ten levers)."""
    return {v: fmt(name, v, lang) for v in _grid(name)}


def _on_grid(name: str, value: float) -> int | float:
    """The slider position nearest to `value` (clamped to the range)."""
    info = LEVER_INFO[name]
    k = round((min(max(value, info.min), info.max) - info.min) / info.step)
    return _typed(name, round(info.min + k * info.step, 10))


def _set_lever(name: str, value: float) -> None:
    """Both widgets of a lever to `value` (the slider at its nearest position)."""
    st.session_state[_value_key(name)] = _typed(name, value)
    st.session_state[_key(name)] = _on_grid(name, value)


def _from_slider(name: str) -> None:
    st.session_state[_value_key(name)] = st.session_state[_key(name)]


def _from_number(name: str) -> None:
    value = st.session_state[_value_key(name)]
    if value is None or not math.isfinite(value):  # emptied box: back to what the slider shows
        st.session_state[_value_key(name)] = st.session_state[_key(name)]
    else:
        _set_lever(name, value)


def _set_all(levers: Levers) -> None:
    for name in LEVER_INFO:
        _set_lever(name, getattr(levers, name))


def _start(defaults: Levers, lang: str) -> None:
    """Put every lever in session state: the user's values if any, else the defaults; levers
    still at their old default follow a change of defaults (a new targets snapshot)."""
    ss = st.session_state
    new = asdict(defaults)
    old = ss.get("scenario_defaults")
    kept = ss.get("scenario_levers") or {}
    current = {n: ss[_value_key(n)] if _value_key(n) in ss else kept.get(n, new[n])
               for n in LEVER_INFO}
    moved = [n for n in LEVER_INFO if old is not None and old[n] != new[n]
             and current[n] == old[n]]
    if moved:
        st.info(i18n.t("scenario.defaults_changed", lang), icon=":material/update:")
    for n in LEVER_INFO:
        if n in moved or _value_key(n) not in ss or _key(n) not in ss:
            _set_lever(n, new[n] if n in moved else current[n])
    ss["scenario_defaults"] = new


def lever_panel(defaults: Defaults, origins: dict[str, str], lang: str) -> Levers:
    """Every lever as a slider and a number input, grouped, each with where its default comes
    from; a reset button. Returns the levers as entered (not validated)."""
    T = i18n.translator(lang)
    _start(defaults.levers, lang)
    head, reset = st.columns([1, 1], vertical_alignment="center")
    head.subheader(T("scenario.levers"))
    reset.button(T("scenario.reset"), on_click=_set_all, args=(defaults.levers,),
                 key="scenario_reset", icon=":material/restart_alt:", width="stretch")
    for group, names in GROUPS.items():
        st.markdown(f"**{T(f'scenario.group.{group}')}**")
        for name in names:
            info = LEVER_INFO[name]
            slider, number = st.columns([3, 1], vertical_alignment="bottom")
            slider.select_slider(lever_label(name, lang), options=_grid(name), key=_key(name),
                                 format_func=_grid_labels(name, lang).__getitem__,
                                 on_change=_from_slider, args=(name,), help=info.why(lang))
            number.number_input(lever_label(name, lang), step=info.step, key=_value_key(name),
                                format=FORMATS.get(name, "%d"), on_change=_from_number,
                                args=(name,), label_visibility="collapsed")
            st.caption(origins[name])
    values = {n: _typed(n, st.session_state[_value_key(n)]) for n in LEVER_INFO}
    st.session_state["scenario_levers"] = values
    return Levers(**values)


def problems_box(problems: list[Problem], levers: Levers, defaults: Levers, lang: str) -> None:
    """The model's messages, and a button per lever at fault to put back its default."""
    st.error(i18n.t("scenario.invalid", lang) + "\n\n" + problem_text(problems, lang) + "\n\n"
             + i18n.t("scenario.invalid_hint", lang), icon=":material/block:")
    names = [n for n in dict.fromkeys(p.lever for p in problems)
             if n in LEVER_INFO and getattr(levers, n) != getattr(defaults, n)]
    for column, name in zip(st.columns(max(len(names), 3)), names, strict=False):
        column.button(i18n.t("scenario.fix", lang, lever=LEVER_INFO[name].label(lang),
                             value=fmt(name, getattr(defaults, name), lang)),
                      on_click=_set_lever, args=(name, getattr(defaults, name)),
                      key=f"scenario_fix_{name}", icon=":material/undo:")


def trajectory_chart(years: pd.DataFrame, result: Summary, lang: str) -> go.Figure:
    """Cumulative jobs per year against the target line and the straight path to it."""
    T = i18n.translator(lang)
    target = i18n.number(result.job_target, lang)
    fig = go.Figure()
    fig.add_scatter(x=years["year"], y=years["target_path_jobs"], name=T("scenario.series.path"),
                    mode="lines", line={"color": PATH_COLOUR, "dash": "dot", "width": 2},
                    hovertemplate="%{x} · %{y:,.0f}<extra></extra>")
    fig.add_scatter(x=years["year"], y=years["target_jobs"],
                    name=f"{T('scenario.series.target')} ({target})", mode="lines",
                    line={"color": TARGET_COLOUR, "dash": "dash", "width": 3},
                    hovertemplate="%{y:,.0f}<extra></extra>")
    last = len(years) - 1
    fig.add_scatter(x=years["year"], y=years["cumulative_jobs"],
                    name=T("scenario.series.jobs"), mode="lines+markers+text",
                    line={"color": JOBS_COLOUR, "width": 4}, marker={"size": 8},
                    text=[i18n.number(v, lang) if i == last else ""
                          for i, v in enumerate(years["cumulative_jobs"])],
                    textposition="top left", textfont={"size": 18, "color": JOBS_COLOUR},
                    hovertemplate="%{x} · %{y:,.0f}<extra></extra>")
    if result.reached:
        fig.add_vline(x=result.target_year, line={"color": TARGET_COLOUR, "width": 2},
                      annotation_text=T("scenario.note.reached", year=result.target_year),
                      annotation_position="bottom left",  # the curve is high by then
                      annotation_font={"color": TARGET_COLOUR, "size": 17})
    else:  # the gap at the horizon: a segment from the jobs reached up to the target
        fig.add_shape(type="line", x0=result.end_year, x1=result.end_year,
                      y0=result.cumulative_jobs, y1=result.job_target,
                      line={"color": TARGET_COLOUR, "width": 2})
        fig.add_annotation(x=result.end_year, y=(result.cumulative_jobs + result.job_target) / 2,
                           text=T("scenario.note.gap", gap=i18n.number(result.gap_jobs, lang)),
                           showarrow=False, xanchor="right", xshift=-8,
                           font={"color": TARGET_COLOUR, "size": 17})
    fig.update_layout(hovermode="x unified")
    fig.update_xaxes(title=T("scenario.axis.year"), dtick=1 if len(years) <= 15 else 2)
    fig.update_yaxes(title=T("scenario.axis.jobs"), rangemode="tozero", tickformat=",.0f")
    return fig


def solve_picker(names: tuple[str, ...], lang: str) -> str:
    return st.selectbox(i18n.t("scenario.solve_lever", lang), options=list(names),
                        index=names.index("firms_per_comptoir"),
                        format_func=lambda n: LEVER_INFO[n].label(lang),
                        key="scenario_solve_lever")


def solve_answer(result: SolveResult, levers: Levers, lang: str) -> None:
    """The model's answer in words, the value and the jobs it gives, a button to apply it."""
    T = i18n.translator(lang)
    name = result.lever
    st.caption(T("scenario.solve_caption", low=fmt(name, result.range_low, lang),
                 high=fmt(name, result.range_high, lang),
                 target=i18n.number(result.target, lang),
                 year=levers.start_year + levers.horizon_years - 1))
    message = plain_markdown(result.message(lang))
    if result.status == "no_effect":
        st.info(message, icon=":material/info:")
        return
    solved = result.status == "solved"
    (st.success if solved else st.warning)(message, icon=":material/check_circle:" if solved
                                           else ":material/warning:")
    value = result.value if solved else result.best_value
    jobs = result.jobs_at_value if solved else result.jobs_at_best
    horizon = levers.horizon_years if name != "horizon_years" else value
    left, right = st.columns(2)
    left.metric(T("scenario.solve_needed" if solved else "scenario.solve_best"),
                fmt(name, value, lang),
                delta=T("scenario.solve_now", value=fmt(name, getattr(levers, name), lang)),
                delta_color="off", delta_arrow="off", border=True)
    right.metric(T("scenario.solve_jobs", year=levers.start_year + int(horizon) - 1),
                 i18n.number(jobs, lang), border=True)
    if value != getattr(levers, name):
        st.button(T("scenario.solve_apply", value=fmt(name, value, lang)), on_click=_set_lever,
                  args=(name, value), key="scenario_solve_apply", icon=":material/tune:")


def tornado_chart(sens: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars from the current jobs to the jobs with each lever lowered and raised."""
    T = i18n.translator(lang)
    label = "label_fr" if lang == "fr" else "label_en"
    names = [f"{row[label]}  ({fmt(row['lever'], row['low_value'], lang)} → "
             f"{fmt(row['lever'], row['high_value'], lang)})" for _, row in sens.iterrows()]
    base = float(sens["jobs_base"].iloc[0])
    fig = go.Figure()
    for side, colour, key in (("low", PALETTE[5], "scenario.tornado.low"),
                              ("high", PALETTE[0], "scenario.tornado.high")):
        jobs = sens[f"jobs_{side}"].astype(float)
        text = [i18n.number(j, lang) if s > 0 else (T("scenario.tornado.none")
                                                     if side == "high" else "")
                for j, s in zip(jobs, sens["swing"], strict=True)]
        fig.add_bar(y=names, x=jobs - base, base=base, orientation="h", name=T(key),
                    marker_color=colour, text=text, textposition="outside", cliponaxis=False,
                    customdata=jobs, hovertemplate="%{y} · %{customdata:,.0f}<extra></extra>")
    fig.add_vline(x=base, line={"color": "#1b1f24", "width": 2})
    low = float(min(base, sens["jobs_low"].min(), sens["jobs_high"].min()))
    high = float(max(base, sens["jobs_low"].max(), sens["jobs_high"].max()))
    pad = max(high - low, abs(base), 1.0) * 0.18  # room for the value labels at both ends
    fig.update_layout(barmode="overlay", bargap=0.35, yaxis={"autorange": "reversed"},
                      margin={"l": 10, "r": 20, "t": 40})
    fig.update_xaxes(title=T("scenario.axis.jobs"), tickformat=",.0f",
                     range=[low - pad, high + pad])
    return fig


# --- saved scenarios ------------------------------------------------------------------------


def saved_scenarios() -> dict[str, Levers]:
    """The saved scenarios: from the URL when the session starts, then from the session."""
    ss = st.session_state
    if STORE not in ss:
        saved, problems = scenarios_from_query(st.query_params.get_all(URL_PARAM))
        ss[STORE], ss[NOTICES] = saved, problems
    return dict(ss[STORE])


def _save(current: Levers, lang: str) -> None:
    ss = st.session_state
    name = (ss.get("scenario_name") or "").strip()
    saved = dict(ss[STORE])
    problem = name_problem(name)
    if problem is not None:
        ss[FLASH] = ("error", plain_markdown(problem.message(lang)))
    elif name not in saved and len(saved) >= MAX_SCENARIOS:
        ss[FLASH] = ("error", i18n.t("scenario.full", lang))
    else:
        saved[name] = current
        ss[STORE], ss[NOTICES], ss["scenario_name"] = saved, [], ""
        ss[FLASH] = ("success", plain_markdown(i18n.t("scenario.saved_ok", lang, name=name)))


def _delete(name: str) -> None:
    saved = dict(st.session_state[STORE])
    saved.pop(name, None)
    st.session_state[STORE], st.session_state[NOTICES] = saved, []


def scenario_store(current: Levers | None, saved: dict[str, Levers], lang: str) -> None:
    """Save the current levers under a name; each saved scenario with Load and Delete; the
    notices about a link that could not be read."""
    T = i18n.translator(lang)
    ss = st.session_state
    if ss.get(NOTICES):
        st.warning(T("scenario.url_ignored") + "\n\n" + problem_text(ss[NOTICES], lang),
                   icon=":material/link_off:")
    name, button = st.columns([3, 2], vertical_alignment="bottom")
    name.text_input(T("scenario.name"), key="scenario_name", max_chars=80,
                    placeholder=T("scenario.name_placeholder"))
    button.button(T("scenario.save"), on_click=_save, args=(current, lang),
                  disabled=current is None, key="scenario_save", icon=":material/bookmark_add:",
                  type="primary", width="stretch",
                  help=T("scenario.cannot_save") if current is None else None)
    flash = ss.pop(FLASH, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])
    if not saved:
        st.caption(T("scenario.none_saved"))
    for i, (label, levers) in enumerate(saved.items()):
        text, load, delete = st.columns([2, 1.2, 1.4], vertical_alignment="center")
        text.text(label)
        load.button(T("scenario.load"), on_click=_set_all, args=(levers,),
                    key=f"scenario_load_{i}", icon=":material/upload:", width="stretch")
        delete.button(T("scenario.delete"), on_click=_delete, args=(label,),
                      key=f"scenario_delete_{i}", icon=":material/delete:", width="stretch")


def sync_url(saved: dict[str, Levers]) -> None:
    """Mirror the saved scenarios in the URL (repeated `scenarios=name~v1_…` values)."""
    values = scenarios_to_query(saved) if saved else []
    if st.query_params.get_all(URL_PARAM) != values:
        if values:
            st.query_params[URL_PARAM] = values
        elif URL_PARAM in st.query_params:
            del st.query_params[URL_PARAM]


def comparison_chart(paths: pd.DataFrame, lang: str) -> go.Figure:
    """One cumulative-jobs line per saved scenario, its target dotted in the same colour."""
    T = i18n.translator(lang)
    fig = go.Figure()
    for i, (name, part) in enumerate(paths.groupby("scenario", sort=False)):
        colour = PALETTE[[0, 1, 2][i % 3]]
        fig.add_scatter(x=part["year"], y=part["cumulative_jobs"], name=plain_html(name),
                        mode="lines+markers", line={"color": colour, "width": 3},
                        legendgroup=str(i), hovertemplate="%{x} · %{y:,.0f}<extra></extra>")
        fig.add_scatter(x=part["year"], y=part["target_jobs"], mode="lines", showlegend=False,
                        name=f"{plain_html(name)} · {T('scenario.series.target')}",
                        line={"color": colour, "dash": "dot", "width": 2}, legendgroup=str(i),
                        hovertemplate="%{y:,.0f}<extra></extra>")
    fig.update_xaxes(title=T("scenario.axis.year"))
    fig.update_yaxes(title=T("scenario.axis.jobs"), rangemode="tozero", tickformat=",.0f")
    return fig


def comparison_table(table: pd.DataFrame, lang: str) -> None:
    """The scenarios side by side; rows where they differ in bold."""
    item = i18n.t("scenario.col.item", lang)
    shown = table.rename_axis(item).reset_index()
    differs = table.nunique(axis=1).to_numpy() > 1
    styled = shown.style.apply(
        lambda row: ["font-weight: bold" if differs[row.name] else ""] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, height=36 * (len(table) + 1) + 4,
                 column_config={item: st.column_config.TextColumn(width="large")})


def download(csv_text: str, lang: str) -> None:
    st.download_button(i18n.t("scenario.download", lang), data=csv_text.encode("utf-8-sig"),
                       file_name="envol_scenarios.csv", mime="text/csv",
                       key="scenario_download", icon=":material/download:")


# --- the simulator: levers in, every figure out ------------------------------------------------


@st.fragment
def simulator(defaults: Defaults, sources: pd.DataFrame, snapshots: pd.DataFrame,
              lang: str) -> None:
    """The levers and all they move: the cards, the trajectory, what it would take, the
    sensitivity, and the saved scenarios compared. A fragment: a slider reruns this, not the
    router, sidebar and title. `sources` and `snapshots` (sources_by_id,
    table_snapshots_by_table) say where the default of each lever comes from."""
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
