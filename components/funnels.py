"""Funnels page pieces: funnel bars that show their denominators, the survey with its Wilson
intervals, conversion and per-comptoir tables, portage goal and review times, two snapshots
compared, and the data-problem warnings. They take values and draw; no SQL, no I/O."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import PALETTE
from components.kpis import CARD_HEIGHT
from envol import i18n
from envol.funnels import (
    CHECKS_SHOWN,
    COMPTOIR_STAGES,
    FUNNEL_TABLES,
    REVIEW_BENCHMARK_DAYS,
    ROWS_NAMED,
    Flag,
    GoalProgress,
    ReviewSummary,
    Step,
    SurveyFunnel,
    conversion,
    country_name,
    name_rows,
    short_answer,
    stage_label,
    summary,
    survey_funnel,
    survey_questions,
    worst,
)
from envol.kpis import KpiValue
from envol.schema import COMPTOIRS, MEMBERS
from envol.text import plain_html, plain_markdown

BASE_COLOUR = "#8c8c8c"  # the denominator: grey, so the stages stand out
STAGE_COLOUR = PALETTE[0]
PROBLEM_COLOUR = PALETTE[5]  # a stage larger than the one before it
BEFORE_COLOUR = "#b8b8b8"
INK = "#1f1f1f"  # figures on a projector: near black, not the theme's grey


# --- formats ------------------------------------------------------------------------------
def pct(x: float | None, lang: str) -> str:
    """`20 %` for a whole percentage, `12,5 %` otherwise."""
    if x is None:
        return "–"
    whole = abs(round(x * 100, 1) - round(x * 100)) < 1e-9
    return i18n.percent(x, lang, 0 if whole else 1)


def step_text(s: Step, lang: str) -> str:
    """`100` for the first stage, `20 / 100 (20 %)` for the others: the denominator shown."""
    if s.previous is None:
        return i18n.number(s.n, lang)
    return (f"{i18n.number(s.n, lang)} / {i18n.number(s.previous, lang)} "
            f"({pct(s.conversion, lang)})")


def ci_text(ci: tuple[float, float] | None, lang: str) -> str:
    if ci is None:
        return "–"
    return i18n.t("funnels.ci", lang, low=i18n.percent(ci[0], lang),
                  high=i18n.percent(ci[1], lang))


def signed(n: int, lang: str) -> str:
    return ("+" if n > 0 else "") + i18n.number(n, lang)


def _unique(labels: list[str]) -> list[str]:
    """Plotly merges equal category labels: number the repeats."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _hover(s: Step, label: str, lang: str) -> str:
    T = i18n.translator(lang)
    lines = [f"<b>{plain_html(label)}</b>", f"{T('funnels.col.n')} : {i18n.number(s.n, lang)}"
             if lang == "fr" else f"{T('funnels.col.n')}: {i18n.number(s.n, lang)}"]
    if s.previous is not None:
        lines.append(f"{T('funnels.col.conversion')} : {step_text(s, lang)}" if lang == "fr"
                     else f"{T('funnels.col.conversion')}: {step_text(s, lang)}")
        lines.append(f"{T('funnels.col.share_of_base')} : {pct(s.share_of_base, lang)}"
                     if lang == "fr" else
                     f"{T('funnels.col.share_of_base')}: {pct(s.share_of_base, lang)}")
    return "<br>".join(lines)


# --- funnel bars --------------------------------------------------------------------------
def subplot_axes(n: int, spacing: float = 0.05) -> dict:
    """The layout of `make_subplots(rows=1, cols=n, shared_yaxes=True,
    horizontal_spacing=spacing)`: the same axes and domains, with the same float arithmetic,
    without building a figure to get them (a test holds it equal to plotly's)."""
    n = max(1, n)
    width = (1.0 - spacing * (n - 1)) / n
    widths = [width] * n
    layout: dict = {}
    for c in range(n):
        start = sum(widths[:c]) + c * spacing
        i = "" if c == 0 else str(c + 1)
        layout[f"xaxis{i}"] = {"anchor": f"y{i}",
                               "domain": [max(0.0, start), min(1.0, start + widths[c])]}
        layout[f"yaxis{i}"] = {"anchor": f"x{i}", "domain": [0.0, 1.0]}
        if c:
            layout[f"yaxis{i}"].update(matches="y", showticklabels=False)
    return layout


def subplot_titles(titles: list[str], spacing: float = 0.05) -> list[dict]:
    """`make_subplots`' title annotations (centred over each column's domain)."""
    n = max(1, len(titles))
    width = (1.0 - spacing * (n - 1)) / n
    widths = [width] * n
    out = []
    for c, text in enumerate(titles):
        start = sum(widths[:c]) + c * spacing
        if text:
            out.append({"y": 1.0, "xref": "paper", "x": (start + (start + widths[c])) / 2.0,
                        "yref": "paper", "text": text, "showarrow": False,
                        "font": {"size": 16}, "xanchor": "center", "yanchor": "bottom"})
    return out


TITLE_CHARS = 102  # characters of panel titles across a figure, per line (6 long names overlap)


def panel_title(name: str, panels: int) -> tuple[str, str | None]:
    """A panel's title (escaped for plotly) and, when shortened, the whole name for its hover:
    as it is when it fits its panel's share of `TITLE_CHARS`, else on two lines cut between
    words, the second ending in `…` if the name is longer still."""
    width = max(8, TITLE_CHARS // max(1, panels))
    if len(name) <= width:
        return plain_html(name), None
    lines = [""]
    for word in name.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    head = lines[0][:width]
    rest = " ".join(lines[1:]) if lines[0] == head else lines[0][width:] + " " + " ".join(
        lines[1:])
    rest = rest.strip()
    cut = len(rest) > width
    tail = rest[:width - 1].rstrip() + "…" if cut else rest
    text = "<br>".join(plain_html(x) for x in (head, tail) if x)
    return text, plain_html(name) if cut or lines[0] != head else None


def funnel_figure(panels: dict[str, list[Step]], funnel: str, lang: str) -> go.Figure:
    """One horizontal-bar funnel per panel (cluster, year), first stage on top, each bar
    labelled with its count over the previous stage's and the conversion. Built in one go
    (one figure from its traces and layout), as `make_subplots` then one bar per panel."""
    names = list(panels)
    layout = subplot_axes(len(names))
    bars = []
    for i, name in enumerate(names, start=1):
        ss = panels[name]
        labels = [stage_label(funnel, s.stage, lang) for s in ss]
        axis = "" if i == 1 else str(i)
        bars.append(go.Bar(
            y=[plain_html(lab) for lab in labels], x=[s.n for s in ss], orientation="h",
            showlegend=False,
            marker_color=[BASE_COLOUR if s.previous is None else
                          PROBLEM_COLOUR if s.inverted else STAGE_COLOUR for s in ss],
            text=[step_text(s, lang) for s in ss], textposition="outside", cliponaxis=False,
            textfont={"size": 17, "color": INK}, hovertext=[_hover(s, lab, lang) for s, lab in
                                              zip(ss, labels, strict=True)],
            hoverinfo="text", xaxis=f"x{axis}", yaxis=f"y{axis}"))
        top = max([s.n for s in ss] + [1])
        layout[f"xaxis{axis}"].update(range=[0, top * 1.75], showticklabels=False,
                                      showgrid=False)
    for key in [k for k in layout if k.startswith("yaxis")]:
        layout[key].update(autorange="reversed", tickfont={"size": 16, "color": INK},
                           showgrid=False)
    shown = [panel_title(n, len(names)) for n in names]
    titles = subplot_titles([text for text, _ in shown])
    wrapped = any(full is not None or "<br>" in text for text, full in shown)
    for a, (_, full) in zip(titles, [x for x in shown if x[0]], strict=True):
        a["font"] = {"size": 15 if wrapped else 19, "color": INK}  # two lines fit the margin
        if full is not None:
            a["hovertext"] = full
    return go.Figure(data=bars, layout={**layout, "annotations": titles, "bargap": 0.25,
                                        "margin": {"t": 50}})


def funnel_height(n_stages: int) -> int:
    return 90 + 62 * n_stages


TABLE_ROWS_SHOWN = 15  # rows a table shows before it scrolls (EU scale: 15,000 stage rows)


def table_height(rows: int) -> int:
    """Every row up to `TABLE_ROWS_SHOWN`, then a scrolling table (not 540,000 pixels)."""
    return 36 * (min(rows, TABLE_ROWS_SHOWN) + 1) + 4


def _each(values, format_one) -> list[str]:
    """`format_one` of each value, computed once per distinct value (a table at EU scale has
    thousands of rows and a handful of distinct counts)."""
    done: dict = {}
    return [done[v] if v in done else done.setdefault(v, format_one(v)) for v in values]


def _step_texts(ns, previous, lang: str) -> list[str]:
    """`step_text` of (count, previous count) pairs, previous None for a first stage."""
    def one(pair: tuple) -> str:
        n, prev = int(pair[0]), None if pair[1] is None else int(pair[1])
        return step_text(Step("", n, None, prev, conversion(n, prev), None), lang)
    return _each(zip(ns, previous, strict=True), one)


def conversion_table(panels: dict[str, list[Step]], funnel: str, lang: str,
                     group_label: str | None = None) -> None:
    """Every stage of every panel: count, over the previous stage, conversion, share of base."""
    T = i18n.translator(lang)
    if not any(panels.values()):  # no row: the same empty table as ever
        st.dataframe(pd.DataFrame([]), hide_index=True, height=40)
        return
    names = [name for name, ss in panels.items() for _ in ss]
    flat = [s for ss in panels.values() for s in ss]
    table = pd.DataFrame({
        group_label or T("funnels.col.group"): names,
        T("funnels.col.stage"): _each((s.stage for s in flat),
                                      lambda v: stage_label(funnel, v, lang)),
        T("funnels.col.previous"): _step_texts([s.n for s in flat],
                                               [s.previous for s in flat], lang),
        T("funnels.col.share_of_base"): _each((s.share_of_base for s in flat),
                                              lambda v: pct(v, lang)),
    })
    st.dataframe(table, hide_index=True, height=table_height(len(table)))


def comptoir_table(comptoirs: pd.DataFrame, lang: str) -> None:
    """One row per comptoir (a row of `comptoir_funnel_by_comptoir`): country · city, status,
    GIE minimum, then each stage over the previous one. Built column by column."""
    T = i18n.translator(lang)
    if comptoirs.empty:  # no comptoir: the same empty table as ever
        st.dataframe(pd.DataFrame([]), hide_index=True, height=40)
        return
    status = COMPTOIRS.column("status")
    table = {
        T("col.cluster"): comptoirs["cluster_name"].tolist(),
        T("funnels.col.comptoir"): [
            f"{c} · {city}" for c, city in zip(
                _each(comptoirs["country_iso3"], lambda v: country_name(v, lang)),
                comptoirs["city"], strict=True)],
        T("funnels.col.status"): _each(comptoirs["status"],
                                       lambda v: status.enum_label(v, lang)),
        T("funnels.col.min_members"): _each(comptoirs["min_members"],
                                            lambda v: i18n.number(v, lang)),
    }
    previous = [None] * len(comptoirs)
    for stage in COMPTOIR_STAGES:  # candidate, then each stage over the one before it
        ns = comptoirs[stage].tolist()
        table[stage_label("comptoir", stage, lang)] = _step_texts(ns, previous, lang)
        previous = ns
    st.dataframe(pd.DataFrame(table), hide_index=True, height=table_height(len(comptoirs)))


# --- survey -------------------------------------------------------------------------------
def survey_picker(answers: pd.DataFrame, lang: str) -> str | None:
    """The question to show: a select box when the data holds several."""
    keys = survey_questions(answers)
    if len(keys) < 2:
        return keys[0] if keys else None
    labels = {}
    for k in keys:
        f = survey_funnel(answers, k)
        labels[k] = f"{f.survey_name} ({f.year}) — {f.question}"
    return st.selectbox(i18n.t("funnels.survey_pick", lang), keys, format_func=labels.get,
                        key="funnels_survey")


def survey_heading(f: SurveyFunnel, lang: str) -> None:
    """The survey and its question, verbatim (data shown as text)."""
    st.text(i18n.t("funnels.survey_of", lang, name=f.survey_name, year=f.year))
    st.subheader(plain_markdown(f.question), anchor=False)


def survey_cards(f: SurveyFunnel, where_from: str, lang: str,
                 ids: tuple[str, ...] = ()) -> list[KpiValue]:
    """Firms asked, then one card per answer: n / base, share and 95 % interval (plain text:
    the page escapes the answer for Markdown, a slide writes it as it is)."""
    T = i18n.translator(lang)
    cards = [KpiValue("funnels.asked", T("funnels.stage.asked"), i18n.number(f.base, lang), "",
                      where_from, ids)]
    for i, a in enumerate(f.answers):
        cards.append(KpiValue(
            f"funnels.answer.{i}", T("funnels.survey_answer", answer=short_answer(a.answer)),
            f"{i18n.number(a.n, lang)} / {i18n.number(a.base, lang)}",
            f"{pct(a.share, lang)} · {ci_text(a.ci, lang)}", where_from, (a.source_id,)))
    return cards


def survey_metrics(f: SurveyFunnel, where_from: str, lang: str) -> None:
    """Firms asked, then one card per answer: n / base, share and 95 % interval."""
    cards = survey_cards(f, where_from, lang)
    cols = st.columns(max(3, len(cards)))
    for col, card in zip(cols, cards, strict=False):
        with col:
            st.metric(plain_markdown(card.label), card.value, delta=card.detail or None,
                      delta_color="off", delta_arrow="off", help=where_from, border=True,
                      height=CARD_HEIGHT)


def survey_figure(f: SurveyFunnel, lang: str) -> go.Figure:
    """Firms asked, then each answer, with its Wilson 95 % interval as an error bar; the
    figures in a column to the right of the bars so no whisker hides them."""
    ss = f.steps()
    labels = _unique([stage_label("survey", s.stage, lang) for s in ss])
    shown = [plain_html(lab) for lab in labels]  # answer heads are data
    plus = [0.0] + [max(0.0, a.ci[1] * f.base - a.n) if a.ci else 0.0 for a in f.answers]
    minus = [0.0] + [max(0.0, a.n - a.ci[0] * f.base) if a.ci else 0.0 for a in f.answers]
    hover = [_hover(s, lab, lang) for s, lab in zip(ss, labels, strict=True)]
    for i, a in enumerate(f.answers, start=1):
        hover[i] += "<br>" + plain_html(ci_text(a.ci, lang)) + "<br><i>" + "<br>".join(
            plain_html(a.answer[j:j + 60]) for j in range(0, len(a.answer), 60)) + "</i>"
    fig = go.Figure()
    fig.add_bar(y=shown[:1], x=[f.base], orientation="h", marker_color=BASE_COLOUR,
                hovertext=hover[:1], hoverinfo="text")
    fig.add_bar(
        y=shown[1:], x=[s.n for s in ss[1:]], orientation="h",
        marker_color=[PROBLEM_COLOUR if s.inverted else STAGE_COLOUR for s in ss[1:]],
        error_x={"type": "data", "symmetric": False, "array": plus[1:],
                 "arrayminus": minus[1:], "color": INK, "thickness": 2, "width": 10},
        hovertext=hover[1:], hoverinfo="text")
    top = max([f.base] + [a.n for a in f.answers] + [1])
    for s, lab, i in zip(ss, shown, range(len(ss)), strict=True):
        text = step_text(s, lang) if i == 0 else (
            f"{step_text(s, lang)}<br><span style='font-size:14px'>"
            f"{plain_html(ci_text(f.answers[i - 1].ci, lang))}</span>")
        fig.add_annotation(x=top * 1.04, y=lab, text=text, showarrow=False, xanchor="left",
                           align="left", font={"size": 17, "color": INK})
    fig.update_xaxes(range=[0, top * 1.75], showticklabels=False, showgrid=False)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 16, "color": INK}, showgrid=False)
    fig.update_layout(bargap=0.3, showlegend=False, barmode="overlay")
    return fig


def survey_answers(f: SurveyFunnel, lang: str) -> None:
    """The answers as the survey gives them (verbatim text), then n, base, share and CI."""
    T = i18n.translator(lang)
    st.caption(T("funnels.survey_note"))
    for a in f.answers:
        st.text(f"« {a.answer} »" if lang == "fr" else f"“{a.answer}”")
    table = pd.DataFrame({
        T("funnels.col.answer"): [short_answer(a.answer) for a in f.answers],
        T("funnels.col.firms"): [i18n.number(a.n, lang) for a in f.answers],
        T("funnels.col.asked"): [i18n.number(a.base, lang) for a in f.answers],
        T("funnels.col.share"): [pct(a.share, lang) for a in f.answers],
        T("funnels.col.ci"): [ci_text(a.ci, lang).split(":", 1)[-1].strip()
                              for a in f.answers],
    })
    st.dataframe(table, hide_index=True, height=36 * (len(table) + 1) + 4)


# --- portage ------------------------------------------------------------------------------
def portage_cards(progress: list[GoalProgress], by_year: pd.DataFrame,
                  reviews: list[ReviewSummary], where_from: str, lang: str,
                  ids: tuple[str, ...] = ()) -> list[KpiValue]:
    """SMEs supported against the goal, the share of the goal, the mean review time
    (`portage_by_year`, as on the overview) against the one-month benchmark, and the share
    reviewed within it."""
    T = i18n.translator(lang)
    cards = []
    if progress:
        g = progress[0]
        cards.append(KpiValue(
            "funnels.supported", T("funnels.supported", year=g.year),
            i18n.number(g.supported, lang),
            T("funnels.goal", year=g.goal_year or "", goal=i18n.number(g.goal, lang)),
            where_from, ids))
        cards.append(KpiValue(
            "funnels.goal_share", T("funnels.goal_share", year=g.goal_year or ""),
            pct(g.share, lang),
            T("funnels.goal_progress", n=i18n.number(g.supported, lang),
              goal=i18n.number(g.goal, lang), year=g.year, goal_year=g.goal_year or ""),
            where_from, ids))
    if reviews:
        r = reviews[-1]
        mean = by_year.loc[by_year["year"] == r.year, "review_days_mean"]
        cards.append(KpiValue(
            "funnels.review_mean", T("funnels.review_mean", year=r.year),
            T("national.days", n=i18n.number(mean.iloc[0] if len(mean) else None, lang)),
            T("funnels.benchmark", n=REVIEW_BENCHMARK_DAYS), where_from, ids))
        cards.append(KpiValue(
            "funnels.within", T("funnels.within", days=REVIEW_BENCHMARK_DAYS, year=r.year),
            f"{i18n.number(r.within, lang)} / {i18n.number(r.reviewed, lang)} "
            f"({pct(r.share_within, lang)})",
            T("funnels.median", n=i18n.number(
                r.median, lang, 0 if r.median is None or r.median % 1 == 0 else 1)),
            where_from, ids))
    return cards


CARD_COLUMNS = {"funnels.supported": 0, "funnels.goal_share": 1, "funnels.review_mean": 2,
                "funnels.within": 3}


def portage_figures(progress: list[GoalProgress], by_year: pd.DataFrame,
                    reviews: list[ReviewSummary], where_from: str, lang: str) -> None:
    """The cards of `portage_cards`, four in a row, a progress bar under the goal's share."""
    cols = st.columns(4)
    for card in portage_cards(progress, by_year, reviews, where_from, lang):
        with cols[CARD_COLUMNS[card.key]]:
            st.metric(card.label, card.value, delta=card.detail, delta_color="off",
                      delta_arrow="off", help=where_from, border=True, height=CARD_HEIGHT)
            if card.key == "funnels.goal_share":
                st.progress(min(1.0, progress[0].share or 0.0))


def review_figure(reviews: pd.DataFrame, lang: str) -> go.Figure:
    """Requests per number of review days (one colour per year), the one-month benchmark as
    a dashed line."""
    T = i18n.translator(lang)
    fig = go.Figure(data=[  # every year's bars at once
        go.Bar(x=part["review_days"], y=part["requests"], name=str(year),
               marker_color=PALETTE[(i + 1) % len(PALETTE)],
               hovertemplate=f"{year} · %{{x}} j : %{{y}}<extra></extra>" if lang == "fr"
               else f"{year} · %{{x}} d: %{{y}}<extra></extra>")
        for i, (year, part) in enumerate(reviews.groupby("year", sort=True))])
    fig.add_vline(x=REVIEW_BENCHMARK_DAYS, line_dash="dash", line_color="#222222",
                  line_width=2)
    fig.add_annotation(x=REVIEW_BENCHMARK_DAYS, y=1, yref="paper", yanchor="bottom",
                       text=T("funnels.benchmark_line") + " (S5)", showarrow=False,
                       font={"size": 16, "color": INK})
    fig.update_layout(barmode="stack", bargap=0.1, showlegend=True, margin={"t": 60},
                      legend={"y": 1.08})
    fig.update_xaxes(title=T("funnels.axis.days"), dtick=5, tickfont={"color": INK},
                     title_font={"color": INK})
    fig.update_yaxes(title=T("funnels.axis.requests"), tickfont={"color": INK},
                     title_font={"color": INK},
                     dtick=1 if reviews["requests"].max() <= 8 else None)
    return fig


# --- comparing two snapshots ---------------------------------------------------------------
def funnel_choice(lang: str) -> str:
    return st.segmented_control(
        i18n.t("funnels.compare_what", lang), options=list(FUNNEL_TABLES),
        format_func=lambda k: i18n.t(f"funnels.kind.{k}", lang), default="comptoir",
        required=True, key="funnels_compare_funnel")


def snapshot_pickers(snapshots: pd.DataFrame, before: int, after: int, funnel: str,
                     lang: str) -> tuple[int, int]:
    """Two select boxes of snapshot ids (`snapshots_by_time`, newest first)."""
    T = i18n.translator(lang)
    labels = {int(s["snapshot_id"]): T("funnels.snapshot_option", id=int(s["snapshot_id"]),
                                       table=s["table_name"],
                                       date=i18n.timestamp(s["snapshot_time"], lang))
              for _, s in snapshots.iterrows()}
    for v in (before, after):
        labels.setdefault(v, T("funnels.snapshot_option", id=v, table="–", date="–"))
    options = sorted(labels, reverse=True)
    left, right = st.columns(2)
    b = left.selectbox(T("funnels.compare_before"), options, index=options.index(before),
                       format_func=labels.get, key=f"funnels_before_{funnel}")
    a = right.selectbox(T("funnels.compare_after"), options, index=options.index(after),
                        format_func=labels.get, key=f"funnels_after_{funnel}")
    return b, a


def single_snapshot_note(snapshots: pd.DataFrame, table: str, lang: str) -> None:
    """Say so when the funnel's table has one snapshot only (the default data): nothing to
    compare until an upload."""
    mine = snapshots[snapshots["table_name"] == table]
    if len(mine) == 1:
        only = mine.iloc[0]
        st.info(i18n.t("funnels.compare_one", lang, table=table, id=int(only["snapshot_id"]),
                       file=plain_markdown(only["file_name"] or "–")), icon=":material/info:")


def compare_figure(cmp: pd.DataFrame, funnel: str, before: int, after: int,
                   lang: str) -> go.Figure:
    """Each group's funnel at both snapshots: grey bars before, blue bars after labelled with
    the delta; the group's name under its panel (the legend sits on top)."""
    T = i18n.translator(lang)
    groups = list(dict.fromkeys(cmp["group_name"]))
    layout = subplot_axes(len(groups))  # built in one go, as make_subplots then add_bar
    bars = []
    for i, g in enumerate(groups, start=1):
        part = cmp[cmp["group_name"] == g]
        labels = [plain_html(lab) for lab in
                  _unique([stage_label(funnel, s, lang) for s in part["stage"]])]
        top = max(part["before"].max(), part["after"].max(), 1)
        axis = "" if i == 1 else str(i)
        bars.append(go.Bar(
            y=labels, x=part["before"], orientation="h", marker_color=BEFORE_COLOUR,
            name=T("funnels.col.before", id=before), legendgroup="before", showlegend=i == 1,
            text=[i18n.number(x, lang) for x in part["before"]], textposition="outside",
            textfont={"color": INK}, cliponaxis=False, xaxis=f"x{axis}", yaxis=f"y{axis}"))
        bars.append(go.Bar(
            y=labels, x=part["after"], orientation="h", marker_color=STAGE_COLOUR,
            name=T("funnels.col.after", id=after), legendgroup="after", showlegend=i == 1,
            text=[f"{i18n.number(x, lang)} ({signed(d, lang)})" if d else
                  i18n.number(x, lang) for x, d in zip(part["after"], part["delta"],
                                                       strict=True)],
            textposition="outside", textfont={"color": INK}, cliponaxis=False,
            xaxis=f"x{axis}", yaxis=f"y{axis}"))
        layout[f"xaxis{axis}"].update(
            range=[0, top * 1.45], showticklabels=False, showgrid=False,
            title={"text": plain_html(g), "font": {"size": 17, "color": INK}})
    for key in [k for k in layout if k.startswith("yaxis")]:
        layout[key].update(autorange="reversed", tickfont={"size": 15, "color": INK},
                           showgrid=False)
    return go.Figure(data=bars, layout={**layout, "barmode": "group", "bargap": 0.2})


def compare_table(cmp: pd.DataFrame, funnel: str, before: int, after: int, lang: str) -> None:
    T = i18n.translator(lang)
    number = lambda x: i18n.number(x, lang)  # noqa: E731
    table = pd.DataFrame({
        T("funnels.col.group"): cmp["group_name"],
        T("funnels.col.stage"): _each(cmp["stage"].tolist(),
                                      lambda v: stage_label(funnel, v, lang)),
        T("funnels.col.before", id=before): _each(cmp["before"].tolist(), number),
        T("funnels.col.after", id=after): _each(cmp["after"].tolist(), number),
        T("funnels.col.delta"): _each(cmp["delta"].tolist(), lambda v: signed(v, lang)),
    })
    st.dataframe(table, hide_index=True, height=min(36 * (len(table) + 1) + 4, 560))


# --- data checks and provenance -------------------------------------------------------------
def _row_label(r: Mapping, problem: str, funnel: str, lang: str) -> str:
    bits = []
    if problem == "stage_not_sme":
        bits.append(MEMBERS.column("size_class").enum_label(r["value"], lang))
    elif isinstance(r["value"], str):
        bits.append(plain_markdown(r["value"]))
    if isinstance(r["stage"], str):
        bits.append(stage_label(funnel, r["stage"], lang))
    if problem in ("respondents_over_base", "base_differs"):
        bits.append(f"{i18n.number(r['n'], lang)} / {i18n.number(r['base'], lang)}")
    if problem == "review_before_reviewed":
        bits.append(i18n.t("national.days", lang, n=i18n.number(r["n"], lang)))
    return plain_markdown(r["row_id"]) + (f" ({', '.join(bits)})" if bits else "")


def _named_rows(f: Flag, funnel: str, lang: str) -> tuple[list[str], int]:
    """The row labels a warning names (`name_rows`), labelling only those it shows when the
    row ids are distinct (a flag at EU scale has thousands of rows)."""
    rows = f.rows
    if rows["row_id"].is_unique:  # distinct ids: distinct labels, the first ones are shown
        shown = [_row_label(r, f.problem, funnel, lang)
                 for r in rows.head(ROWS_NAMED).to_dict("records")]
        return shown, max(0, len(rows) - ROWS_NAMED)
    return name_rows([_row_label(r, f.problem, funnel, lang) for r in rows.to_dict("records")])


def _warning(f: Flag, group_names: dict[str, str], funnel: str, lang: str) -> str:
    T = i18n.translator(lang)
    group = plain_markdown(group_names.get(f.group, f.group))
    first = f.rows.iloc[0] if not f.rows.empty else None
    if f.problem == "inversion":
        text = T("funnels.problem.inversion", group=group,
                 stage=plain_markdown(stage_label(funnel, f.step.stage, lang)),
                 n=i18n.number(f.step.n, lang),
                 previous=plain_markdown(stage_label(funnel, f.step.previous_stage, lang)),
                 previous_n=i18n.number(f.step.previous, lang))
    else:
        text = T(f"funnels.problem.{f.problem}", group=group,
                 count=i18n.number(len(f.rows), lang),
                 n=i18n.number(first["n"] if first is not None else None, lang),
                 base=i18n.number(first["base"] if first is not None else None, lang))
    if not f.rows.empty:
        shown, more = _named_rows(f, funnel, lang)
        ids = ", ".join(shown)
        if more:
            ids = T("funnels.rows_more", ids=ids, more=i18n.number(more, lang))
        text += " " + T("funnels.rows", ids=ids)
    return text


def checks_summary(found: list[Flag], lang: str, shown: int = CHECKS_SHOWN) -> str:
    """One line naming every kind of problem with its count (and rows behind it)."""
    T = i18n.translator(lang)
    kinds = (" ; " if lang == "fr" else "; ").join(
        T("funnels.checks_kind", kind=T(f"funnels.problem_kind.{k.problem}"),
          n=i18n.number(k.flags, lang), rows=i18n.number(k.rows, lang)) if k.rows else
        T("funnels.checks_kind_no_rows", kind=T(f"funnels.problem_kind.{k.problem}"),
          n=i18n.number(k.flags, lang))
        for k in summary(found))
    return T("funnels.checks_summary", n=i18n.number(len(found), lang), kinds=kinds,
             shown=i18n.number(shown, lang))


def data_checks(flags: list[Flag], group_names: dict[str, str], funnel: str,
                lang: str, download: Callable[[], bytes] | None = None,
                rows: int = 0) -> None:
    """Each data problem as a warning naming its rows; a quiet line when there is none. Past
    `CHECKS_SHOWN` problems: a summary by kind of problem, the `CHECKS_SHOWN` with the most
    rows in full, and `download` (the CSV of all `rows` problem rows) as a button; the button
    also when a warning cannot name all its rows."""
    T = i18n.translator(lang)
    if not flags:
        st.caption(":material/check_circle: " + T("funnels.checks_ok"))
        return
    shown = worst(flags)
    if len(shown) < len(flags):
        st.warning(checks_summary(flags, lang, len(shown)), icon=":material/warning:")
    for f in shown:
        st.warning(_warning(f, group_names, funnel, lang), icon=":material/warning:")
    cut = len(shown) < len(flags) or any(len(f.rows) > ROWS_NAMED for f in shown)
    if download is not None and rows and cut:
        st.download_button(T("funnels.checks_download", n=i18n.number(rows, lang)),
                           data=download, file_name=f"envol_problemes_{funnel}.csv",
                           mime="text/csv", key=f"funnels_problems_{funnel}",
                           icon=":material/download:")


def no_members_note(names: list[str], lang: str) -> None:
    if names:
        st.caption(i18n.t("funnels.no_members", lang, clusters=", ".join(plain_markdown(n)
                                                                          for n in names)))
