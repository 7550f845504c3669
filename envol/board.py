"""The board pack: the slides a cluster director shows the board and hands out.

A deck is built for one view (language, clusters, "as of" snapshot) by the slide builders of
`BUILDERS`, in order. Each builder is one function `Board -> list[Slide]` (none when it has
nothing to show), and reads its numbers exactly as the pages do: the same named queries through
the view (`view.q`, so the same snapshot, clusters and result cache), the same `envol.kpis`
functions for the cards, the same component functions for the figures. The presentation page
draws the slides with Streamlit, `envol.export` turns them into a PPTX and a PDF; neither
computes a number.

The comptoir map is the Maps page's (`comptoirs_by_country`, `components.maps.comptoir_map`),
the funnels are the Funnels page's (the same queries, `envol.funnels` and
`components.funnels`), the scenario is the one saved on the Scenario page, drawn and worded by
its own functions (`components.scenario.trajectory_chart`, `envol.scenario_report`). Adding a
slide is one function appended to `BUILDERS`.

No Streamlit here: the view is any object with the `envol.data.View` interface (a frozen
dataclass with `lang`, `clusters`, `version`, `latest` and `q(name, **params)`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from components.funnels import funnel_figure, portage_cards, step_text, survey_cards, survey_figure
from components.maps import comptoir_map, grouped, places_map
from components.overview import cluster_comparison, comparison_frame
from components.scenario import trajectory_chart
from envol import funnels as fn
from envol import geo, i18n, scenario_report
from envol import scenario as sc
from envol.kpis import (
    CLUSTER_KPIS,
    KpiValue,
    approximate,
    cluster_kpis,
    clusters_in_detail,
    describe_snapshot,
    describe_source,
    provenance,
)
from envol.kpis import national_kpis as national_cards
from envol.schema import TABLES
from envol.text import markdown_text

Kind = Literal["cover", "kpis", "table", "chart", "text"]


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide. `kind` says what leads it; a chart may come with a table or a few cards.

    Everything shown is already text in the deck's language (numbers formatted by `envol.i18n`),
    so the page, the PPTX and the PDF show exactly the same strings.
    """

    key: str  # stable id: "cover", "kpis.pegase", "compare", "map", "scenario", "sources"…
    kind: Kind
    title: str
    subtitle: str = ""
    kpis: tuple[KpiValue, ...] = ()
    figure: go.Figure | None = None
    figure_name: str = ""  # file name of the chart's PNG (as on the page)
    table: pd.DataFrame | None = None  # formatted cells, shown as a native table
    bullets: tuple[str, ...] = ()
    footer: str = ""  # one line at the bottom: the sources and snapshot of what is shown
    notes: str = ""  # speaker notes: every figure, its sources and snapshots (plain text)


@dataclass(frozen=True, eq=False)
class Deck:
    lang: str
    title: str
    slides: tuple[Slide, ...]
    version: int
    previous: int | None
    clusters: tuple[str, ...]
    file_stem: str  # e.g. "envol-conseil-v9": the downloads' file name without extension

    def index(self, key: str) -> int:
        return next(i for i, s in enumerate(self.slides) if s.key == key)

    def slide(self, key: str) -> Slide:
        return self.slides[self.index(key)]


@dataclass(frozen=True)
class SavedScenario:
    """The Scenario page's scenario to show: a saved one (its name and levers), or the levers
    currently set on the page (`kind="current"`, no name)."""

    name: str
    levers: sc.Levers
    cluster_id: str = "pegase"
    kind: Literal["saved", "current"] = "saved"


FOOTER_SOURCES_MAX = 12  # source ids in a slide's footer at most


@dataclass(frozen=True, eq=False)
class Board:
    """What the builders read: the view, the previous board's snapshot, the meeting date."""

    view: Any  # envol.data.View or any object with its interface
    previous: int | None = None
    today: dt.date = field(default_factory=dt.date.today)
    scenario: SavedScenario | None = None

    @property
    def lang(self) -> str:
        return self.view.lang

    def T(self, key: str, **values: object) -> str:  # noqa: N802 (reads like the pages' T)
        return i18n.t(key, self.lang, **values)

    def q(self, name: str, **params) -> pd.DataFrame:
        return self.view.q(name, **params)

    def q_previous(self, name: str, **params) -> pd.DataFrame:
        """The same query at the previous board's snapshot."""
        before = dataclasses.replace(self.view, version=self.previous, latest=False)
        return before.q(name, **params)

    @cached_property
    def kpis(self) -> pd.DataFrame:
        return self.q("kpis_by_cluster")

    @cached_property
    def detail(self) -> pd.DataFrame:
        """The clusters the overview details (`clusters_in_detail`): at most six of them."""
        return clusters_in_detail(self.kpis)

    @cached_property
    def sources(self) -> pd.DataFrame:
        return self.q("sources_by_id")

    @cached_property
    def snapshots(self) -> pd.DataFrame:
        return self.q("table_snapshots_by_table")

    @cached_property
    def commits(self) -> pd.DataFrame:
        """Every data commit up to this view's snapshot, newest first."""
        df = self.q("snapshots_by_time")
        return df[df["snapshot_id"] <= self.view.version].reset_index(drop=True)

    @cached_property
    def names(self) -> dict[str, str]:
        return dict(zip(self.kpis["cluster_id"], self.kpis["name"], strict=True))

    @property
    def snapshot_label(self) -> str:
        return i18n.snapshot_label(self.view.version, self.view.latest, self.lang)

    def footer(self, source_ids: Iterable[str]) -> str:
        """The slide's sources and snapshot: past `FOOTER_SOURCES_MAX` ids, the first ones and
        how many more (a slide at EU scale has 3,000; the Sources page lists every one, and a
        chart slide's speaker notes each of its figures' sources)."""
        ids = sorted(dict.fromkeys(i for i in source_ids if i))
        shown = ", ".join(ids[:FOOTER_SOURCES_MAX]) or "–"
        if len(ids) > FOOTER_SOURCES_MAX:
            shown = self.T("board.footer_more", ids=shown,
                           n=i18n.number(len(ids) - FOOTER_SOURCES_MAX, self.lang))
        return self.T("board.footer", ids=shown, snapshot=self.snapshot_label)

    def notes(self, figures: Iterable[tuple[str, str, Iterable[str]]],
              tables: Iterable[str], extra: Iterable[str] = ()) -> str:
        """Speaker notes: each figure with its source ids, then every source and snapshot."""
        figures = list(figures)
        ids = sorted(dict.fromkeys(i for _, _, sids in figures for i in sids if i))
        lines = [*extra]
        if figures:
            lines.append(self.T("board.notes_figures"))
            for label, value, sids in figures:
                ref = ", ".join(dict.fromkeys(s for s in sids if s))
                lines.append(f"- {label} : {value}" if self.lang == "fr" else f"- {label}: {value}")
                if ref:
                    lines[-1] += f" ({ref})"
        by_id = self._sources_by_id
        if ids:
            lines.append(self.T("board.notes_sources"))
            lines += ["- " + (markdown_text(describe_source(by_id[i], self.lang))
                              if i in by_id else i) for i in ids]
        snaps = self.snapshots[self.snapshots["table_name"].isin(list(tables))]
        if not snaps.empty:
            lines.append(self.T("board.notes_snapshots"))
            lines += ["- " + markdown_text(describe_snapshot(r, self.lang))
                      for _, r in snaps.iterrows()]
        return "\n".join(lines)

    @cached_property
    def _sources_by_id(self) -> dict[str, pd.Series]:
        """Every source row by id, built once for all the slides' notes (a pandas lookup per
        cited source, on every slide, cost seconds at EU scale)."""
        return {row["source_id"]: row for _, row in self.sources.iterrows()}


Builder = Callable[[Board], list[Slide]]

def _with_detail(k: KpiValue) -> str:
    return f"{k.value} ({k.detail})" if k.detail else k.value


def kpi_notes(board: Board, values: Iterable[KpiValue]) -> tuple[list, set[str]]:
    """Figures for `Board.notes` and the lake tables behind a list of cards."""
    values = list(values)
    figures = [(k.label, _with_detail(k), k.source_ids) for k in values]
    tables: set[str] = set()
    for k in values:
        spec = next((s for s in CLUSTER_KPIS if s.key == k.key), None)
        tables |= set(spec.tables) if spec else set()
    return figures, tables


# --- the slides ---------------------------------------------------------------------------------


COVER_NAMES_MAX = 6  # cluster names on the cover (and the page's caption) at most


def cover_clusters(names: list[str], lang: str, limit: int = COVER_NAMES_MAX) -> str:
    """The selected clusters' names, or the first `limit` and how many more (3,000 names
    would fill the cover and the page's caption)."""
    if len(names) <= limit:
        return ", ".join(names) or "–"
    return i18n.t("board.cover_clusters_more", lang, names=", ".join(names[:limit]),
                  n=i18n.number(len(names) - limit, lang), total=i18n.number(len(names), lang))


def cover(board: Board) -> list[Slide]:
    T = board.T
    names = list(board.names.values())
    current = board.commits[board.commits["snapshot_id"] == board.view.version]
    when = i18n.timestamp(current["snapshot_time"].iloc[0], board.lang) if len(current) else "–"
    bullets = [cover_clusters(names, board.lang), T("board.cover_date", date=i18n.date(board.today,
                                                                            board.lang)),
               T("board.cover_data", snapshot=board.snapshot_label, time=when)]
    if board.previous is not None:
        before = board.commits[board.commits["snapshot_id"] == board.previous]
        bullets.append(T("board.cover_previous", id=board.previous, time=i18n.timestamp(
            before["snapshot_time"].iloc[0], board.lang) if len(before) else "–"))
    illustrative = int(board.kpis["illustrative_rows"].sum()) if len(board.kpis) else 0
    extra = [T("overview.illustrative", n=i18n.number(illustrative, board.lang))] \
        if illustrative else []
    return [Slide("cover", "cover", T("board.pack_title"), subtitle=T("app.tagline"),
                  bullets=tuple(bullets), footer=board.footer(board.sources["source_id"]),
                  notes=board.notes([], board.snapshots["table_name"], extra))]


def key_figures(board: Board) -> list[Slide]:
    """One slide per cluster the overview details: exactly its cards
    (`envol.kpis.cluster_kpis`)."""
    out = []
    for _, row in board.detail.iterrows():
        values = cluster_kpis(row, board.sources, board.snapshots, board.lang)
        figures, tables = kpi_notes(board, values)
        out.append(Slide(
            f"kpis.{row['cluster_id']}", "kpis", board.T("board.kpis_title", cluster=row["name"]),
            subtitle=f"{row['name']} · {row['region']}", kpis=tuple(values),
            footer=board.footer(i for k in values for i in k.source_ids),
            notes=board.notes(figures, tables)))
    return out


def national(board: Board) -> list[Slide]:
    """The overview's national programmes cards (`envol.kpis.national_kpis`)."""
    values = national_cards(board.q("survey_answers_by_question"), board.q("portage_by_year"),
                            board.q("targets_by_programme"), board.detail, board.sources,
                            board.snapshots, board.lang)
    if not values:
        return []
    figures, _ = kpi_notes(board, values)
    tables = ("survey_results", "sponsorships", "targets")
    return [Slide("national", "kpis", board.T("overview.national"), kpis=tuple(values),
                  footer=board.footer(i for k in values for i in k.source_ids),
                  notes=board.notes(figures, tables))]


def compare(board: Board) -> list[Slide]:
    """The overview's comparison chart, and its table as a native table."""
    if len(board.detail) < 2:
        return []
    cards = {row["cluster_id"]: cluster_kpis(row, board.sources, board.snapshots, board.lang)
             for _, row in board.detail.iterrows()}
    table = comparison_frame(cards, board.detail, board.lang)
    table = table.reset_index(names=board.T("col.kpi"))
    figures = [(f"{board.names[cid]} · {k.label}", k.value, k.source_ids)
               for cid, values in cards.items() for k in values
               if k.key in ("members", "smes", "firms_hosted")]
    ids = [i for _, _, sids in figures for i in sids]
    ids += [i for sids in board.detail["cluster_sources"] for i in sids]
    return [Slide("compare", "chart", board.T("overview.compare"),
                  figure=cluster_comparison(board.detail, board.lang),
                  figure_name="envol-comparaison-poles", table=table, footer=board.footer(ids),
                  notes=board.notes(figures, ("members", "clusters", "comptoirs",
                                              "vie_postings", "sponsorships")))]


def comptoirs(board: Board) -> list[Slide]:
    """The Maps page's comptoir map (`comptoirs_by_country`, `components.maps.comptoir_map`;
    past `envol.geo.MARKERS_MAX` comptoirs, one marker per place, as that page draws them)."""
    sites = board.q("comptoirs_by_country")
    if sites.empty:
        return []
    figure = (places_map(geo.comptoir_places(sites), geo.head_offices(sites), board.lang)
              if grouped(sites) else comptoir_map(sites, board.lang))
    T, lang = board.T, board.lang
    status = TABLES["comptoirs"].column("status")
    table = pd.DataFrame({
        T("board.col_city"): [f"{c} ({iso})" for c, iso in zip(sites["city"],
                                                               sites["country_iso3"],
                                                               strict=True)],
        T("board.col_status"): [status.enum_label(s, lang) for s in sites["status"]],
        T("board.col_opened"): [i18n.date(d, lang) if pd.notna(d) else "–"
                                for d in sites["opened_on"]],
        T("kpi.firms_hosted"): [i18n.number(n, lang) for n in sites["firms_hosted"]],
    })
    if sites["cluster_id"].nunique() > 1:
        table.insert(0, T("col.cluster"), sites["cluster_name"].tolist())
    operational = int((sites["status"] == "operational").sum())
    figures = [(f"{r['city']} ({r['country_iso3']})",
                f"{status.enum_label(r['status'], lang)}, "
                f"{i18n.date(r['opened_on'], lang) if pd.notna(r['opened_on']) else '–'}, "
                f"{T('kpi.firms_hosted').lower()} {i18n.number(r['firms_hosted'], lang)}",
                list(r["sources"])) for _, r in sites.iterrows()]
    extra = [T("board.map_illustrative")] if sites["illustrative"].any() else []
    return [Slide("map", "chart", T("board.map_title"),
                  subtitle=T("board.map_subtitle", operational=operational, n=len(sites)),
                  figure=figure, figure_name="envol-carte-comptoirs",
                  table=table, footer=board.footer(fn.source_ids(sites["sources"])),
                  notes=board.notes(figures, ("comptoirs", "members", "clusters"), extra))]


def _step_figures(panels: dict[str, list[fn.Step]], funnel: str, ids: list[str],
                  lang: str) -> list[tuple[str, str, list[str]]]:
    """Every bar of a funnel figure for the speaker notes: panel · stage, count over previous."""
    return [(f"{name} · {fn.stage_label(funnel, s.stage, lang)}" if len(panels) > 1 else
             fn.stage_label(funnel, s.stage, lang), step_text(s, lang), ids)
            for name, ss in panels.items() for s in ss]


def survey_funnel(board: Board) -> list[Slide]:
    """The Funnels page's survey funnel (its first question, the page's default): firms asked,
    each answer with its share and 95 % Wilson interval."""
    T, lang = board.T, board.lang
    answers = board.q("survey_answers_by_question")
    keys = fn.survey_questions(answers)
    survey = fn.survey_funnel(answers, keys[0]) if keys else None
    if survey is None:
        return []
    ids = fn.source_ids([a.source_id for a in survey.answers])
    where = provenance(ids, ("survey_results",), board.sources, board.snapshots, lang)
    cards = survey_cards(survey, where, lang, tuple(ids))
    figures = [(k.label, _with_detail(k), k.source_ids) for k in cards]
    intro = f"{T('funnels.survey_of', name=survey.survey_name, year=survey.year)} — " \
            f"{survey.question}"
    return [Slide("funnels.survey", "chart", T("funnels.survey"),
                  subtitle=T("board.survey_subtitle", question=survey.question,
                             year=survey.year),
                  kpis=tuple(cards), figure=survey_figure(survey, lang),
                  figure_name="envol-entonnoir-enquete", footer=board.footer(ids),
                  notes=board.notes(figures, ("survey_results",),
                                    [intro, T("funnels.survey_note")]))]


def comptoir_funnel(board: Board) -> list[Slide]:
    """The Funnels page's comptoir programme funnel per cluster: member SMEs → candidates →
    selected → hosted → exporting (`comptoir_funnel_by_stage`)."""
    T, lang = board.T, board.lang
    comptoir = board.q("comptoir_funnel_by_stage")
    panels = fn.in_detail(fn.panels(comptoir, "cluster_id", "cluster_name", "firms",
                                    skip_empty=True))  # as drawn on the Funnels page
    if not panels:
        return []
    ids = fn.source_ids(comptoir["sources"])
    return [Slide("funnels.comptoir", "chart", T("funnels.comptoir"),
                  subtitle=T("board.comptoir_funnel_subtitle"),
                  figure=funnel_figure(panels, "comptoir", lang),
                  figure_name="envol-entonnoir-comptoirs", footer=board.footer(ids),
                  notes=board.notes(_step_figures(panels, "comptoir", ids, lang),
                                    ("clusters", "members", "comptoirs"),
                                    [T("funnels.comptoir_caption")]))]


def portage_funnel(board: Board) -> list[Slide]:
    """The Funnels page's portage funnel per year and its cards: SMEs supported against the
    100-SME goal, review times against the one-month benchmark (S5)."""
    T, lang = board.T, board.lang
    portage = board.q("portage_funnel_by_stage")
    if portage.empty:
        return []
    reviews = board.q("portage_reviews_by_days")
    targets = board.q("targets_by_programme")
    ids = fn.source_ids(portage["sources"], reviews["sources"], [fn.REVIEW_BENCHMARK_SOURCE],
                        fn.portage_goal_sources(targets))
    where = provenance(ids, ("sponsorships", "targets"), board.sources, board.snapshots, lang)
    cards = portage_cards(fn.portage_goal_progress(portage, targets), board.q("portage_by_year"),
                          fn.review_summary(reviews), where, lang, tuple(ids))
    panels = fn.panels(portage, "year", "year", "requests")
    figures = [(k.label, _with_detail(k), k.source_ids) for k in cards]
    figures += _step_figures(panels, "portage", fn.source_ids(portage["sources"]), lang)
    return [Slide("funnels.portage", "chart", T("board.portage_title"),
                  subtitle=T("board.portage_subtitle"), kpis=tuple(cards),
                  figure=funnel_figure(panels, "portage", lang),
                  figure_name="envol-entonnoir-portage", footer=board.footer(ids),
                  notes=board.notes(figures, ("sponsorships", "targets"),
                                    [T("funnels.portage"), T("funnels.portage_caption")]))]


def scenario_slide(board: Board, saved: SavedScenario | None) -> list[Slide]:
    """The Scenario page's scenario: its most recent saved one, else its current levers, else
    the default levers from the targets table; the page's trajectory chart and cards."""
    T, lang = board.T, board.lang
    rows = board.q("targets_by_programme").to_dict("records")
    targeted = {r["cluster_id"] for r in rows if r["programme"] == "comptoirs"}
    with_targets = [c for c in board.names if c in targeted]
    cid = saved.cluster_id if saved is not None and saved.cluster_id in board.names else next(
        iter(with_targets), None)
    if cid is None:
        return []
    defaults = scenario_report.defaults_from_targets(rows, cid)
    if saved is not None and saved.cluster_id == cid and not sc.validate(saved.levers):
        levers = saved.levers
        intro = T("board.scenario_saved", name=saved.name) if saved.kind == "saved" else \
            T("board.scenario_current")
    else:
        levers = defaults.levers
        intro = T("board.scenario_default", cluster=board.names[cid])
    if sc.validate(levers):
        return []
    result = sc.summary(levers)
    cards = scenario_report.scenario_kpis(levers, result, defaults, board.sources,
                                          board.snapshots, lang)
    ids = sorted({i for k in cards for i in k.source_ids})
    lever_lines = []
    for name in sc.LEVER_INFO:
        value, default = getattr(levers, name), getattr(defaults.levers, name)
        source = defaults.sources.get(name) or ""
        source = T("board.sc_assumption") if source == "assumption" else source
        if value != default:
            source = T("board.sc_chosen", default=scenario_report.fmt(name, default, lang))
        line = f"{sc.LEVER_INFO[name].label(lang)} : " if lang == "fr" else \
            f"{sc.LEVER_INFO[name].label(lang)}: "
        lever_lines.append(f"- {line}{scenario_report.fmt(name, value, lang)}"
                           + (f" ({source})" if source else ""))
    figures = [(k.label, _with_detail(k), k.source_ids) for k in cards]
    notes = board.notes(figures, ("targets",),
                        [intro, T("board.sc_levers"), *lever_lines, T("board.sc_model")])
    return [Slide("scenario", "chart", T("board.scenario_title",
                                         target=i18n.number(levers.job_target, lang)),
                  subtitle=intro, kpis=tuple(cards),
                  figure=trajectory_chart(sc.simulate(levers), result, lang),
                  figure_name="envol-scenario-trajectoire", footer=board.footer(ids),
                  notes=notes)]


def scenario(board: Board) -> list[Slide]:
    return scenario_slide(board, board.scenario)


def _signed(x: float, lang: str) -> str:
    if x == 0:
        return "="
    return ("+" if x > 0 else "\u2212") + i18n.number(abs(x), lang)


def _moved(these: pd.DataFrame, others: pd.DataFrame) -> pd.Series:
    """Which rows of `these` (`kpis_by_cluster`) differ from `others`' row of the same cluster
    in a column a card reads, or have none: only their cards can have moved (a lake holds
    thousands of clusters, and building every card twice cost seconds)."""
    cols = sorted({c for s in CLUSTER_KPIS for c in (s.key, s.missing_when_zero) if c}
                  | {"comptoirs_operational"})
    other = others.set_index("cluster_id")[cols].reindex(these["cluster_id"])
    mine = these[cols].set_index(these["cluster_id"])
    equal = mine.eq(other).astype("boolean").fillna(False).astype(bool)
    same = (equal | (mine.isna() & other.isna())).all(axis=1)
    return pd.Series(~same.to_numpy(), index=these.index)


def kpi_changes(before: pd.DataFrame, after: pd.DataFrame, sources: pd.DataFrame,
                snapshots: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The cluster cards whose figure moved between two `kpis_by_cluster` results.

    Columns: cluster, key, label, before, now (as the cards show them), change (signed).
    """
    rows = []
    old = {r["cluster_id"]: r for _, r in before.loc[_moved(before, after)].iterrows()}
    # Only the cards' labels and values are read here, never their provenance: empty lookups
    # keep `cluster_kpis` from writing every source's and snapshot's sentence for each card
    # (at EU scale thousands of clusters move, and that text was most of this slide's time).
    found: tuple[dict, list[dict]] = ({}, [])
    for _, row in after.loc[_moved(after, before)].iterrows():
        now_cards = cluster_kpis(row, sources, snapshots, lang, found)
        prev = old.get(row["cluster_id"])
        old_cards = {k.key: k for k in cluster_kpis(prev, sources, snapshots, lang, found)} \
            if prev is not None else {}
        for spec, card in zip(CLUSTER_KPIS, now_cards, strict=True):
            col = "comptoirs_operational" if spec.key == "comptoirs" else spec.key
            a = row[col]
            b = prev[col] if prev is not None else None
            a0 = 0 if pd.isna(a) else float(a)
            b0 = 0 if b is None or pd.isna(b) else float(b)
            before_text = old_cards[spec.key].value if spec.key in old_cards else "–"
            if a0 == b0 and before_text == card.value:
                continue
            rows.append({"cluster": row["name"], "key": spec.key, "label": card.label,
                         "before": before_text, "now": card.value,
                         "change": _signed(a0 - b0, lang)})
    return pd.DataFrame(rows, columns=["cluster", "key", "label", "before", "now", "change"])


def changes(board: Board) -> list[Slide]:
    """What changed since the previous board: the cluster cards, then every table's rows."""
    if board.previous is None:
        return []
    T, lang = board.T, board.lang
    subtitle = T("board.changes_subtitle", before=board.previous, now=board.view.version)
    moved = kpi_changes(board.q_previous("kpis_by_cluster"), board.kpis, board.sources,
                        board.snapshots, lang)
    cards = pd.DataFrame({T("col.cluster"): moved["cluster"], T("col.kpi"): moved["label"],
                          T("board.col_before"): moved["before"],
                          T("board.col_now"): moved["now"],
                          T("board.col_change"): moved["change"]})
    notes_figures = [(f"{r['cluster']} · {r['label']}",
                      f"{r['before']} → {r['now']} ({r['change']})", ()) for _, r in
                     moved.iterrows()]
    kpi_slide = Slide(
        "changes.kpis", "table" if len(cards) else "text", T("board.changes_kpis_title"),
        subtitle=subtitle, table=cards if len(cards) else None,
        bullets=() if len(cards) else (T("board.no_kpi_change"),),
        footer=board.footer(i for sids in board.kpis["cluster_sources"] for i in sids),
        notes=board.notes(notes_figures, {t for s in CLUSTER_KPIS for t in s.tables},
                          [subtitle]))
    rows = board.q("row_changes_by_table", previous=board.previous)
    snaps_before = board.q_previous("table_snapshots_by_table").set_index("table_name")
    snaps_now = board.snapshots.set_index("table_name")

    def snap(df: pd.DataFrame, table: str) -> str:
        return f"n° {df.loc[table, 'snapshot_id']}" if lang == "fr" and table in df.index \
            else f"#{df.loc[table, 'snapshot_id']}" if table in df.index else "–"

    data = pd.DataFrame({
        T("col.table"): [TABLES[t].label(lang) if t in TABLES else t for t in rows["table_name"]],
        T("board.col_snapshots"): [f"{snap(snaps_before, t)} → {snap(snaps_now, t)}"
                                   for t in rows["table_name"]],
        T("board.col_rows_before"): [i18n.number(n, lang) for n in rows["rows_before"]],
        T("board.col_rows_now"): [i18n.number(n, lang) for n in rows["rows_now"]],
        T("board.col_added"): [_signed(n, lang) if n else "–" for n in rows["rows_added"]],
        T("board.col_removed"): [_signed(-n, lang) if n else "–" for n in rows["rows_removed"]],
    })
    changed = [f"{t}: {b} → {n} (+{a} / −{r})" for t, b, n, a, r in rows[
        ["table_name", "rows_before", "rows_now", "rows_added", "rows_removed"]].itertuples(
            index=False) if a or r]
    table_slide = Slide(
        "changes.tables", "table", T("board.changes_tables_title"), subtitle=subtitle,
        table=data, footer=board.footer(()),
        notes=board.notes([], rows["table_name"], [subtitle, T("board.changes_rows_help"),
                                                   *changed]))
    return [kpi_slide, table_slide]


def sources(board: Board) -> list[Slide]:
    T, lang = board.T, board.lang
    s = board.sources
    table = pd.DataFrame({
        T("col.source_id"): s["source_id"],
        T("col.title"): s["title"],
        T("col.outlet"): [", ".join(x for x in (o, a) if isinstance(x, str) and x)
                          for o, a in zip(s["outlet"], s["author"], strict=True)],
        T("col.published_on"): [i18n.date(d, lang, approximate=approximate(ap)) for d, ap in
                                zip(s["published_on"], s["date_is_approximate"], strict=True)],
    })
    return [Slide("sources", "table", T("board.sources_title"),
                  subtitle=T("board.sources_subtitle", snapshot=board.snapshot_label),
                  table=table, footer=board.footer(s["source_id"]),
                  notes=board.notes([], board.snapshots["table_name"]))]


BUILDERS: tuple[Builder, ...] = (
    cover, key_figures, national, compare, comptoirs,
    survey_funnel, comptoir_funnel, portage_funnel,  # funnels
    scenario, changes, sources,
)


def previous_snapshot(commits: pd.DataFrame, version: int) -> int | None:
    """The default "previous board": the newest data commit older than `version`."""
    older = commits[commits["snapshot_id"] < version]["snapshot_id"]
    return int(older.max()) if len(older) else None


def build_deck(board: Board, builders: Iterable[Builder] = BUILDERS) -> Deck:
    slides: list[Slide] = []
    if board.view.clusters:
        for build in builders:
            slides += build(board)
    stem = "envol-conseil" if board.lang == "fr" else "envol-board"
    return Deck(board.lang, board.T("board.pack_title"), tuple(slides), board.view.version,
                board.previous, tuple(board.view.clusters), f"{stem}-v{board.view.version}")
