"""Key figures: which query column each KPI is, how it reads, and where it comes from.

Pages and the board pack build their cards from here, from the rows of the named queries, so a
figure is computed once (in SQL) and described once (here).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from envol import i18n
from envol.text import plain_markdown


@dataclass(frozen=True)
class KpiSpec:
    key: str  # column of kpis_by_cluster and i18n key `kpi.<key>`
    tables: tuple[str, ...]  # lake tables the figure is computed from
    sources: str  # column listing the source ids behind the figure
    kind: str = "count"  # count | money
    missing_when_zero: str | None = None  # column whose zero means "nothing reported"


CLUSTER_KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("members", ("members",), "member_sources", missing_when_zero="members"),
    KpiSpec("smes", ("members",), "member_sources", missing_when_zero="members"),
    KpiSpec("jobs", ("clusters",), "cluster_sources"),
    KpiSpec("comptoirs", ("comptoirs",), "comptoir_sources", missing_when_zero="comptoirs"),
    KpiSpec("firms_hosted", ("members",), "hosted_sources", missing_when_zero="comptoirs"),
    KpiSpec("vie_in_post", ("vie_postings",), "vie_sources"),
    KpiSpec("vie_to_recruit", ("vie_postings",), "vie_sources"),
    KpiSpec("portage_supported", ("sponsorships", "members"), "portage_sources"),
)


# The overview details at most this many clusters card by card (a lake can hold thousands of
# clusters, all selected by default): beyond it, the ones with the most member firms.
DETAIL_MAX = 6


def clusters_in_detail(kpis: pd.DataFrame, limit: int = DETAIL_MAX) -> pd.DataFrame:
    """The rows of `kpis_by_cluster` the overview details: all of them up to `limit`, else the
    `limit` clusters with the most member firms (ties by name), kept in the query's order."""
    if len(kpis) <= limit:
        return kpis
    top = kpis.assign(_name=kpis["name"].str.lower()).sort_values(
        ["members", "_name"], ascending=[False, True], kind="stable").head(limit)
    return kpis[kpis.index.isin(top.index)]


@dataclass(frozen=True)
class KpiValue:
    key: str
    label: str
    value: str
    detail: str  # a short line under the value ("of 5"), may be empty
    provenance: str  # markdown: the sources and snapshots behind the figure
    source_ids: tuple[str, ...]


def describe_source(row: pd.Series, lang: str) -> str:
    author = row.get("author")
    has_author = isinstance(author, str) and author.strip()
    return i18n.t(
        "src.article", lang, id=plain_markdown(row["source_id"]),
        title=plain_markdown(row["title"]),
        outlet=plain_markdown(row.get("outlet") or ""),
        author=(", " + plain_markdown(author)) if has_author else "",
        date=i18n.date(row.get("published_on"), lang,
                       approximate=approximate(row.get("date_is_approximate"))))


def approximate(flag: object) -> bool:
    """The optional `date_is_approximate` flag: empty (an upload without it) means no."""
    return bool(pd.notna(flag) and flag)


def source_rows(sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sources as a table (one row each, plain text, dates formatted for `lang`): what the
    sources page shows when the list is too long to read as sentences."""
    T = i18n.translator(lang)
    keys = list(zip(sources["published_on"].tolist(),
                    sources["date_is_approximate"].fillna(False).astype(bool).tolist(),
                    strict=True))
    # Thousands of rows share a few hundred dates: format each (date, ≈) once.
    formatted = {k: i18n.date(k[0], lang, approximate=k[1]) for k in dict.fromkeys(keys)}
    dates = [formatted[k] for k in keys]
    return pd.DataFrame({
        T("col.source_id"): sources["source_id"], T("col.title"): sources["title"],
        T("col.outlet"): sources["outlet"], T("col.author"): sources["author"],
        T("col.published_on"): dates, T("col.note"): sources["note"],
    })


def describe_snapshot(row: pd.Series, lang: str) -> str:
    return i18n.t(
        "src.snapshot", lang, table=row["table_name"], id=row["snapshot_id"],
        date=i18n.timestamp(row["snapshot_time"], lang),
        file=plain_markdown(row.get("file_name") or "–"),
        author=plain_markdown(row.get("author") or "–"))


def provenance(source_ids: list[str] | tuple[str, ...], tables: tuple[str, ...],
               sources: pd.DataFrame, snapshots: pd.DataFrame, lang: str) -> str:
    """Markdown lines: each source article behind a figure, then each table's snapshot."""
    return _provenance(source_ids, tables, *_lookups(_cited(sources, source_ids), snapshots),
                       lang)


def lookups(sources: pd.DataFrame, snapshots: pd.DataFrame) -> tuple[dict, list[dict]]:
    """Every source by id and the snapshot rows, for `cluster_kpis` over many clusters."""
    return _lookups(sources, snapshots)


def _lookups(sources: pd.DataFrame, snapshots: pd.DataFrame) -> tuple[dict, list[dict]]:
    """Sources by id and the snapshot rows as plain records, built once for many figures
    (pandas indexing per figure cost more than the rest of the overview at EU scale)."""
    return ({r["source_id"]: r for r in sources.to_dict("records")},
            snapshots.to_dict("records"))


def _provenance(source_ids, tables: tuple[str, ...], by_id: dict, snaps: list[dict],
                lang: str) -> str:
    lines = ["- " + (describe_source(by_id[sid], lang) if sid in by_id else plain_markdown(sid))
             for sid in source_ids]
    lines += ["- " + describe_snapshot(r, lang) for r in snaps if r["table_name"] in tables]
    return "\n".join(lines)


def cluster_kpis(row: pd.Series, sources: pd.DataFrame, snapshots: pd.DataFrame,
                 lang: str, lookups: tuple[dict, list[dict]] | None = None) -> list[KpiValue]:
    """The overview cards of one cluster (a row of `kpis_by_cluster`). `lookups`: from
    `lookups(sources, snapshots)`, built once when cards of many clusters are made."""
    out = []
    by_id, snaps = lookups or _lookups(_cited(sources, [i for spec in CLUSTER_KPIS
                                                        for i in row[spec.sources]]), snapshots)
    for spec in CLUSTER_KPIS:
        raw = row[spec.key]
        missing = pd.isna(raw) or (spec.missing_when_zero and row[spec.missing_when_zero] == 0)
        if spec.key == "comptoirs":
            raw = row["comptoirs_operational"]
        value = "–" if missing else i18n.number(raw, lang)
        detail = i18n.t("overview.not_reported", lang) if missing else ""
        if spec.key == "comptoirs" and not missing:
            detail = i18n.t("kpi.comptoirs_of", lang, n=int(row["comptoirs"]))
        ids = tuple(row[spec.sources]) if not missing else ()
        out.append(KpiValue(spec.key, i18n.t(f"kpi.{spec.key}", lang), value, detail,
                            _provenance(ids, spec.tables, by_id, snaps, lang), ids))
    return out


def _cited(sources: pd.DataFrame, ids) -> pd.DataFrame:
    """The rows of `sources` a group of figures can cite, found once for all of them (the
    table can hold thousands of sources)."""
    return sources[sources["source_id"].isin(set(ids))]


def _kpi(key: str, label: str, value: str, detail: str, ids: list[str], tables: tuple[str, ...],
         lookups: tuple[dict, list[dict]], lang: str) -> KpiValue:
    """A national card; `lookups` comes from `_lookups` (built once for all the cards)."""
    ids = sorted(dict.fromkeys(ids))
    return KpiValue(key, label, value, detail, _provenance(ids, tables, *lookups, lang),
                    tuple(ids))


def national_kpis(survey: pd.DataFrame, portage: pd.DataFrame, targets: pd.DataFrame,
                  clusters: pd.DataFrame, sources: pd.DataFrame, snapshots: pd.DataFrame,
                  lang: str) -> list[KpiValue]:
    """Programme-wide cards: survey answers, Pacte PME portage, targets and budgets.

    Cluster targets are shown for the clusters in `clusters` only (the ones detailed)."""
    T = i18n.translator(lang)
    targets = targets[targets["cluster_id"].isna()
                      | targets["cluster_id"].isin(clusters["cluster_id"])]
    lookups = _lookups(_cited(sources, [*survey["source_id"], *targets["source_id"],
                                        *(i for ids in portage["sources"] for i in ids)]),
                       snapshots)
    out: list[KpiValue] = []
    for _, a in survey.iterrows():
        head = str(a["answer"]).split(":")[0].strip()
        out.append(_kpi(
            f"survey.{a['question_id']}.{head}", f"{T('national.survey')} : {head}"
            if lang == "fr" else f"{T('national.survey')}: {head}",
            f"{i18n.number(a['respondents'], lang)} / {i18n.number(a['base'], lang)}",
            i18n.percent(a["share"], lang), [a["source_id"]], ("survey_results",),
            lookups, lang))
    goals = targets[(targets["programme"] == "portage") & (targets["metric"] == "firms_supported")]
    supported = portage[portage["supported"] > 0]
    if not supported.empty:
        first = supported.iloc[0]
        detail, ids = "", list(first["sources"])
        later = goals[goals["start_year"] > first["year"]]
        if not later.empty:
            g = later.iloc[0]
            detail = T("national.portage_goal", year=int(g["start_year"]),
                       n=i18n.number(g["value_low"], lang))
            ids.append(g["source_id"])
        out.append(_kpi("portage.supported", T("national.portage", year=int(first["year"])),
                        i18n.number(first["supported"], lang), detail, ids,
                        ("sponsorships", "targets"), lookups, lang))
        if pd.notna(first["review_days_mean"]):
            out.append(_kpi("portage.review_days", T("national.review"),
                            T("national.days", n=i18n.number(first["review_days_mean"], lang)),
                            "", list(first["sources"]), ("sponsorships",), lookups, lang))
    names = dict(zip(clusters["cluster_id"], clusters["name"], strict=True))
    for _, g in targets[targets["metric"] == "jobs"].iterrows():
        years = ""
        if pd.notna(g["start_year"]) and pd.notna(g["end_year"]):
            years = T("national.jobs_target_delta", years=int(g["end_year"] - g["start_year"] + 1),
                      start=int(g["start_year"]), end=int(g["end_year"]))
        out.append(_kpi(f"target.{g['target_id']}",
                        T("national.jobs_target", cluster=names.get(g["cluster_id"], "")),
                        i18n.number(g["value_low"], lang), years, [g["source_id"]], ("targets",),
                        lookups, lang))
    for _, g in targets[targets["metric"] == "budget_eur"].iterrows():
        value = i18n.money(g["value_low"], lang)
        if pd.notna(g["value_high"]):
            low, high = i18n.number(g["value_low"] / 1000, lang), i18n.money(g["value_high"], lang)
            value = f"{low}–{high}".replace("\u202f000\u202f€", "\u202fk€").replace(
                ",000\u202f€", "\u202fk€")
        out.append(_kpi(f"target.{g['target_id']}", T("national.budget"), value, "",
                        [g["source_id"]], ("targets",), lookups, lang))
    return out
