"""The board pack: the slides a cluster director shows the board and hands out.

A deck is built for one view (language, clusters, "as of" snapshot) by the slide builders of
`BUILDERS`, in order. Each builder is one function `Board -> list[Slide]` (none when it has
nothing to show), and reads its numbers exactly as the pages do: the same named queries through
the view (`view.q`, so the same snapshot, clusters and result cache), the same `envol.kpis`
functions for the cards, the same component functions for the figures. The presentation page
draws the slides with Streamlit, `envol.export` turns them into a PPTX and a PDF; neither
computes a number.

Adding a slide (the comptoir map of the Maps page, the funnels, the saved scenario) is one
function appended to `BUILDERS` (or replacing the one there).

No Streamlit here: the view is any object with the `envol.data.View` interface (a frozen
dataclass with `lang`, `clusters`, `version`, `latest` and `q(name, **params)`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from components.board import comptoir_map, scenario_trajectory
from components.overview import cluster_comparison, comparison_frame
from envol import i18n
from envol import scenario as sc
from envol.kpis import (
    CLUSTER_KPIS,
    KpiValue,
    approximate,
    cluster_kpis,
    describe_snapshot,
    describe_source,
    provenance,
)
from envol.kpis import national_kpis as national_cards
from envol.schema import TABLES

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
    """A scenario to show: its name and levers (the Scenario page's saved one, later)."""

    name: str
    levers: sc.Levers
    cluster_id: str = "pegase"


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
        ids = ", ".join(sorted(dict.fromkeys(i for i in source_ids if i))) or "–"
        return self.T("board.footer", ids=ids, snapshot=self.snapshot_label)

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
        by_id = self.sources.set_index("source_id", drop=False)
        if ids:
            lines.append(self.T("board.notes_sources"))
            lines += ["- " + (text(describe_source(by_id.loc[i], self.lang))
                              if i in by_id.index else i) for i in ids]
        snaps = self.snapshots[self.snapshots["table_name"].isin(list(tables))]
        if not snaps.empty:
            lines.append(self.T("board.notes_snapshots"))
            lines += ["- " + text(describe_snapshot(r, self.lang)) for _, r in snaps.iterrows()]
        return "\n".join(lines)


Builder = Callable[[Board], list[Slide]]

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]<>()#+\-.!|$~])")


def text(markdown: str) -> str:
    """Plain text back from `envol.kpis` lines, whose data was escaped for Markdown."""
    return _ESCAPED.sub(r"\1", markdown)


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


def cover(board: Board) -> list[Slide]:
    T = board.T
    names = list(board.names.values())
    current = board.commits[board.commits["snapshot_id"] == board.view.version]
    when = i18n.timestamp(current["snapshot_time"].iloc[0], board.lang) if len(current) else "–"
    bullets = [", ".join(names) or "–", T("board.cover_date", date=i18n.date(board.today,
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
    """One slide per cluster: exactly the overview's cards (`envol.kpis.cluster_kpis`)."""
    out = []
    for _, row in board.kpis.iterrows():
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
                            board.q("targets_by_programme"), board.kpis, board.sources,
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
    if len(board.kpis) < 2:
        return []
    cards = {row["cluster_id"]: cluster_kpis(row, board.sources, board.snapshots, board.lang)
             for _, row in board.kpis.iterrows()}
    table = comparison_frame(cards, board.kpis, board.lang)
    table = table.reset_index(names=board.T("col.kpi"))
    figures = [(f"{board.names[cid]} · {k.label}", k.value, k.source_ids)
               for cid, values in cards.items() for k in values
               if k.key in ("members", "smes", "firms_hosted")]
    ids = [i for _, _, sids in figures for i in sids]
    ids += [i for sids in board.kpis["cluster_sources"] for i in sids]
    return [Slide("compare", "chart", board.T("overview.compare"),
                  figure=cluster_comparison(board.kpis, board.lang),
                  figure_name="envol-comparaison-poles", table=table, footer=board.footer(ids),
                  notes=board.notes(figures, ("members", "clusters", "comptoirs",
                                              "vie_postings", "sponsorships")))]


def comptoirs(board: Board) -> list[Slide]:
    """Where the comptoirs are (a simple map until the Maps page's own replaces it)."""
    sites = board.q("comptoir_sites_by_cluster")
    if sites.empty:
        return []
    T, lang = board.T, board.lang
    status = TABLES["comptoirs"].column("status")
    table = pd.DataFrame({
        T("board.col_city"): [f"{c} ({iso})" for c, iso in zip(sites["city"],
                                                               sites["country_iso3"],
                                                               strict=True)],
        T("board.col_status"): [status.enum_label(s, lang) for s in sites["status"]],
        T("board.col_opened"): [i18n.date(d, lang) for d in sites["opened_on"]],
        T("kpi.firms_hosted"): [i18n.number(n, lang) for n in sites["firms_hosted"]],
    })
    if sites["cluster_id"].nunique() > 1:
        table.insert(0, T("col.cluster"), sites["cluster_name"].tolist())
    operational = int((sites["status"] == "operational").sum())
    figures = [(f"{r['city']} ({r['country_iso3']})",
                f"{status.enum_label(r['status'], lang)}, {i18n.date(r['opened_on'], lang)}, "
                f"{T('kpi.firms_hosted').lower()} {i18n.number(r['firms_hosted'], lang)}",
                [r["source_id"]]) for _, r in sites.iterrows()]
    extra = [T("board.map_illustrative")] if sites["illustrative"].any() else []
    return [Slide("map", "chart", T("board.map_title"),
                  subtitle=T("board.map_subtitle", operational=operational, n=len(sites)),
                  figure=comptoir_map(sites, lang), figure_name="envol-comptoirs",
                  table=table, footer=board.footer(sites["source_id"]),
                  notes=board.notes(figures, ("comptoirs", "members", "clusters"), extra))]


def scenario_slide(board: Board, saved: SavedScenario | None) -> list[Slide]:
    """The scenario currently saved, else the default one from the targets table.

    The Scenario page's saved scenario plugs in here through `Board.scenario`.
    """
    T, lang = board.T, board.lang
    targets = board.q("targets_by_programme")
    rows = targets.astype(object).where(targets.notna(), None).to_dict("records")
    if saved is None:
        cid = next((c for c in board.names if any(
            r["cluster_id"] == c and r["programme"] == "comptoirs" for r in rows)), None)
        if cid is None:
            return []
        saved = SavedScenario("", sc.default_levers(rows, cid), cid)
        lever_sources = sc.default_sources(rows, cid)
        intro = T("board.scenario_default", cluster=board.names[cid])
    else:
        if saved.cluster_id not in board.names:
            return []
        lever_sources = {name: "" for name in sc.LEVER_INFO}
        intro = T("board.scenario_saved", name=saved.name)
    levers = saved.levers
    if sc.validate(levers):
        return []
    sim, res = sc.simulate(levers), sc.summary(levers)
    end = res.end_year
    ids = sorted({s for s in lever_sources.values() if re.fullmatch(r"S\d+", s or "")})
    prov = provenance(ids, ("targets",), board.sources, board.snapshots, lang)
    if res.reached:
        outcome = KpiValue("scenario.reached", T("board.sc_reached"), str(res.target_year),
                           "", prov, tuple(ids))
    else:
        outcome = KpiValue("scenario.gap", T("board.sc_gap", year=end),
                           i18n.number(res.gap_jobs, lang), T("board.sc_not_reached"), prov,
                           tuple(ids))
    cards = (
        KpiValue("scenario.jobs", T("board.sc_jobs", year=end),
                 i18n.number(res.cumulative_jobs, lang),
                 T("board.sc_of_target", target=i18n.number(res.job_target, lang)), prov,
                 tuple(ids)),
        outcome,
        KpiValue("scenario.cost", T("board.sc_cost"), i18n.money(res.total_cost_eur, lang),
                 T("board.sc_saving", saving=i18n.money(res.saving_eur, lang)), prov,
                 tuple(ids)),
        KpiValue("scenario.cost_per_job", T("board.sc_cost_per_job"),
                 i18n.money(res.cost_per_job_eur, lang), "", prov, tuple(ids)),
    )
    lever_lines = []
    for name, info in sc.LEVER_INFO.items():
        label = info.fr if lang == "fr" else info.en
        unit = info.unit_fr if lang == "fr" else info.unit_en
        value = getattr(levers, name)
        shown = str(value) if name == "start_year" else i18n.number(
            value, lang, decimals=0 if float(value).is_integer() else 1)
        source = lever_sources.get(name) or ""
        source = T("board.sc_assumption") if source == "assumption" else source
        lever_lines.append(f"- {label} : {shown}{' ' + unit if unit else ''}"
                           + (f" ({source})" if source else ""))
    figures = [(k.label, _with_detail(k), k.source_ids) for k in cards]
    notes = board.notes(figures, ("targets",),
                        [intro, T("board.sc_levers"), *lever_lines, T("board.sc_model")])
    return [Slide("scenario", "chart", T("board.scenario_title",
                                         target=i18n.number(levers.job_target, lang)),
                  subtitle=intro, kpis=cards, figure=scenario_trajectory(sim, lang),
                  figure_name="envol-scenario", footer=board.footer(ids), notes=notes)]


def scenario(board: Board) -> list[Slide]:
    return scenario_slide(board, board.scenario)


def _signed(x: float, lang: str) -> str:
    if x == 0:
        return "="
    return ("+" if x > 0 else "\u2212") + i18n.number(abs(x), lang)


def kpi_changes(before: pd.DataFrame, after: pd.DataFrame, sources: pd.DataFrame,
                snapshots: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The cluster cards whose figure moved between two `kpis_by_cluster` results.

    Columns: cluster, key, label, before, now (as the cards show them), change (signed).
    """
    rows = []
    old = {r["cluster_id"]: r for _, r in before.iterrows()}
    for _, row in after.iterrows():
        now_cards = cluster_kpis(row, sources, snapshots, lang)
        prev = old.get(row["cluster_id"])
        old_cards = {k.key: k for k in cluster_kpis(prev, sources, snapshots, lang)} \
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
    # funnels: the Funnels page's slide goes here
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
