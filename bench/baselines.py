"""The baseline: each named query written the way a Streamlit tutorial would write it.

A tutorial app keeps one Parquet file per table (`data/members.parquet`), reads it into pandas
with `pd.read_parquet` on every rerun (no cache), then filters and groups in pandas. `Tutorial`
holds those files (exported from the lake at the measured snapshot, before timing); `BASELINES`
maps a query name to its pandas version, which must return the same rows as the SQL (the
benchmark checks it before timing). Queries about the lake's own snapshots have no pandas
equivalent (a tutorial app has no snapshots): their baseline runs the same SQL, uncached.

When a page lands with a new named query, add its pandas version here; until then the page's
baseline is reported as skipped, naming the query.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from envol import store
from envol.queries import run_query
from envol.schema import TABLES

CATALOG_QUERIES = ("snapshots_by_time", "table_snapshots_by_table",
                   "snapshots_by_sha256", "row_changes_by_table")


class Tutorial:
    """One Parquet file per table, as a tutorial app ships its data; read on every call."""

    def __init__(self, con: duckdb.DuckDBPyConnection, version: int, folder: Path):
        self.con, self.version, self.folder = con, version, folder
        folder.mkdir(parents=True, exist_ok=True)
        with con.cursor() as cur:
            for name in TABLES:
                path = str(folder / f"{name}.parquet").replace("'", "''")
                # Table names come from the contract; the path is the benchmark's own folder.
                cur.execute(f"COPY (FROM {store.LAKE}.{name} AT (VERSION => {int(version)})) "  # noqa: S608
                            f"TO '{path}' (FORMAT parquet)")

    def read(self, table: str) -> pd.DataFrame:
        return pd.read_parquet(self.folder / f"{table}.parquet")

    def sql(self, name: str, **params) -> pd.DataFrame:
        return run_query(self.con, name, **params)


def _lists(df: pd.DataFrame, key: str, col: str) -> pd.Series:
    """Sorted distinct values of `col` per `key` (what SQL's list(DISTINCT … ORDER BY) gives)."""
    d = df[[key, col]].drop_duplicates().sort_values([key, col])
    return d.groupby(key, sort=False)[col].agg(list)


def clusters_by_name(t: Tutorial, version: int) -> pd.DataFrame:
    c = t.read("clusters")[["cluster_id", "name", "region"]]
    return c.iloc[np.argsort(c["name"].str.lower().to_numpy(), kind="stable")].reset_index(
        drop=True)


def sources_by_id(t: Tutorial, version: int) -> pd.DataFrame:
    s = t.read("sources")[["source_id", "title", "outlet", "author", "published_on",
                           "date_is_approximate", "url", "note"]]
    return s.sort_values("source_id").reset_index(drop=True)


def survey_answers_by_question(t: Tutorial, version: int) -> pd.DataFrame:
    s = t.read("survey_results")
    s["share"] = s["respondents"] / s["base"].where(s["base"] != 0)
    cols = ["survey_id", "survey_name", "year", "question_id", "question", "answer",
            "respondents", "base", "share", "source_id"]
    return s.sort_values(["survey_id", "question_id", "respondents"])[cols].reset_index(
        drop=True)


def portage_by_year(t: Tutorial, version: int) -> pd.DataFrame:
    s = t.read("sponsorships")
    s = s.assign(_sup=s["stage"].eq("supported"), _mat=s["stage"].eq("matched"),
                 _ill=s["illustrative"].eq(True))
    out = s.groupby("year").agg(
        requests=("stage", "size"), supported=("_sup", "sum"), matched=("_mat", "sum"),
        review_days_mean=("review_days", "mean"), sponsors=("sponsor", "nunique"),
        illustrative_rows=("_ill", "sum"))
    out["sources"] = _lists(s, "year", "source_id")
    return out.reset_index().sort_values("year").reset_index(drop=True)


def targets_by_programme(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    g = t.read("targets")
    g = g[g["cluster_id"].isna() | g["cluster_id"].isin(clusters)]
    g = g.sort_values(["programme", "cluster_id", "metric", "target_id"], na_position="first")
    return g[["target_id", "cluster_id", "programme", "metric", "value_low", "value_high",
              "start_year", "end_year", "source_id"]].reset_index(drop=True)


def kpis_by_cluster(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    c = t.read("clusters")
    c = c[c["cluster_id"].isin(clusters)]
    m = t.read("members")
    sp = t.read("sponsorships")
    k = t.read("comptoirs")
    v = t.read("vie_postings")
    m_all = m[["member_id", "cluster_id"]]
    m = m[m["cluster_id"].isin(clusters)]
    m = m.assign(_sme=m["size_class"].isin(["micro", "sme"]),
                 _hosted=m["comptoir_stage"].isin(["hosted", "exporting"]),
                 _ill=m["illustrative"].eq(True))
    mg = m.groupby("cluster_id").agg(members=("member_id", "size"), smes=("_sme", "sum"),
                                     firms_hosted=("_hosted", "sum"),
                                     illustrative_members=("_ill", "sum"))
    mg["member_sources"] = _lists(m, "cluster_id", "source_id")
    mg["hosted_sources"] = _lists(m[m["_hosted"]], "cluster_id", "source_id")
    k = k[k["cluster_id"].isin(clusters)]
    k = k.assign(_op=k["status"].eq("operational"), _ill=k["illustrative"].eq(True))
    kg = k.groupby("cluster_id").agg(comptoirs=("comptoir_id", "size"),
                                     comptoirs_operational=("_op", "sum"),
                                     illustrative_comptoirs=("_ill", "sum"))
    kg["comptoir_sources"] = _lists(k, "cluster_id", "source_id")
    v = v[v["cluster_id"].isin(clusters)]
    v = v.assign(_in=v["status"].eq("in_post"), _to=v["status"].eq("to_recruit"))
    vg = v.groupby("cluster_id").agg(vie_in_post=("_in", "sum"), vie_to_recruit=("_to", "sum"))
    vg["vie_sources"] = _lists(v, "cluster_id", "source_id")
    p = sp.merge(m_all, on="member_id")
    p = p[p["cluster_id"].isin(clusters)]
    p = p.assign(_sup=p["stage"].eq("supported"))
    pg = p.groupby("cluster_id").agg(portage_supported=("_sup", "sum"))
    pg["portage_sources"] = _lists(p, "cluster_id", "source_id")
    out = (c.merge(mg, on="cluster_id", how="left").merge(kg, on="cluster_id", how="left")
           .merge(vg, on="cluster_id", how="left").merge(pg, on="cluster_id", how="left"))
    for col in ("members", "smes", "firms_hosted", "illustrative_members", "comptoirs",
                "comptoirs_operational", "illustrative_comptoirs", "vie_in_post",
                "vie_to_recruit", "portage_supported"):
        out[col] = out[col].fillna(0).astype("int64")
    for col in ("member_sources", "hosted_sources", "comptoir_sources", "vie_sources",
                "portage_sources"):
        out[col] = [x if isinstance(x, list) else [] for x in out[col]]
    out["illustrative_rows"] = out["illustrative_members"] + out["illustrative_comptoirs"]
    out["cluster_sources"] = [[s] for s in out["source_id"]]
    out = out.rename(columns={"reported_jobs": "jobs"})
    out = out.iloc[np.argsort(out["name"].str.lower().to_numpy(), kind="stable")]
    return out[["cluster_id", "name", "region", "members", "reported_members", "smes",
                "reported_smes", "jobs", "labelled_projects", "funded_projects",
                "public_funding_eur", "comptoirs", "comptoirs_operational", "firms_hosted",
                "vie_in_post", "vie_to_recruit", "portage_supported", "illustrative_rows",
                "cluster_sources", "member_sources", "hosted_sources", "comptoir_sources",
                "vie_sources", "portage_sources"]].reset_index(drop=True)


def _lower_order(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sort by `by`, where a column named `lower(x)` sorts by x in lower case (SQL's order)."""
    keys = {}
    for col in by:
        if col.startswith("lower("):
            inner = col[6:-1]
            keys[col] = df[inner].str.lower()
        else:
            keys[col] = df[col]
    order = pd.DataFrame(keys).sort_values(by, kind="stable", na_position="last").index
    return df.loc[order].reset_index(drop=True)


def comptoirs_by_country(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    m = t.read("members")
    m = m[m["comptoir_stage"].isin(["hosted", "exporting"])]
    m = m.assign(_exp=m["comptoir_stage"].eq("exporting"))
    h = m.groupby("comptoir_id").agg(firms_hosted=("member_id", "size"),
                                     firms_exporting=("_exp", "sum"))
    h["member_sources"] = _lists(m, "comptoir_id", "source_id")
    c = t.read("clusters")[["cluster_id", "name", "hq_city", "lat", "lon"]].rename(
        columns={"name": "cluster_name", "lat": "hq_lat", "lon": "hq_lon"})
    k = t.read("comptoirs")
    k = k[k["cluster_id"].isin(clusters)]
    out = k.merge(c, on="cluster_id", how="left").merge(h, on="comptoir_id", how="left")
    out["illustrative"] = out["illustrative"].fillna(False).astype(bool)
    for col in ("firms_hosted", "firms_exporting"):
        out[col] = out[col].fillna(0).astype("int64")
    out["sources"] = [sorted({s, *(ms if isinstance(ms, list) else [])} - {None})
                      for s, ms in zip(out["source_id"], out["member_sources"], strict=True)]
    out = _lower_order(out, ["lower(cluster_name)", "country_iso3", "comptoir_id"])
    return out[["comptoir_id", "cluster_id", "cluster_name", "country_iso3", "city", "lat",
                "lon", "status", "opened_on", "min_members", "capacity_firms", "budget_eur",
                "local_principals", "local_sector_jobs", "illustrative", "firms_hosted",
                "firms_exporting", "hq_city", "hq_lat", "hq_lon", "sources"]]


def _vie(t: Tutorial, clusters: list[str]) -> pd.DataFrame:
    v = t.read("vie_postings")
    v = v[v["cluster_id"].isin(clusters)]
    c = t.read("clusters")[["cluster_id", "name"]].rename(columns={"name": "cluster_name"})
    return v.merge(c, on="cluster_id", how="left")


def vie_postings_by_country(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    v = _vie(t, clusters)
    v = v.assign(_in=v["status"].eq("in_post"), _to=v["status"].eq("to_recruit"),
                 _done=v["status"].eq("completed"),
                 _cluster=v["cluster_name"].fillna(v["cluster_id"]))
    g = v.groupby("country_iso3").agg(in_post=("_in", "sum"), to_recruit=("_to", "sum"),
                                      completed=("_done", "sum"),
                                      postings=("posting_id", "size"),
                                      dated=("start_on", "count"))
    for col in ("in_post", "to_recruit", "completed", "postings", "dated"):
        g[col] = g[col].astype("int64")
    for col, src in (("cities", "city"), ("host_companies", "host_company"),
                     ("cluster_names", "_cluster"), ("sources", "source_id")):
        lists = _lists(v[v[src].notna()], "country_iso3", src)
        g[col] = [lists.get(iso, []) for iso in g.index]
    g = g.reset_index()
    g = g.sort_values(["postings", "country_iso3"], ascending=[False, True], kind="stable")
    return g[["country_iso3", "in_post", "to_recruit", "completed", "postings", "dated",
              "cities", "host_companies", "cluster_names", "sources"]].reset_index(drop=True)


def vie_postings_by_start(t: Tutorial, version: int, clusters: list[str], first: int,
                          rows: int) -> pd.DataFrame:
    v = _vie(t, clusters)
    v = v.sort_values(["start_on", "country_iso3", "posting_id"], kind="stable",
                      na_position="last").iloc[first:first + rows]
    return v[["posting_id", "cluster_id", "cluster_name", "country_iso3", "city",
              "host_company", "status", "start_on", "end_on", "firms_served",
              "source_id"]].reset_index(drop=True)


COMPTOIR_STAGES = ["candidate", "selected", "hosted", "exporting"]
PORTAGE_STAGES = ["requested", "endorsed", "reviewed", "matched", "supported"]


def _reached(stage: pd.Series, stages: list[str]) -> pd.Series:
    """The furthest stage's position in `stages`, 1.., and 0 for none (SQL's list_position)."""
    return stage.map({s: i for i, s in enumerate(stages, start=1)}).fillna(0).astype("int64")


def _source_lists(df: pd.DataFrame, key: str) -> pd.Series:
    """Sorted distinct non-NULL `source_id` per `key` (SQL's list(DISTINCT …) FILTER NOT NULL)."""
    return _lists(df[df["source_id"].notna()], key, "source_id")


def comptoir_members_by_stage(t: Tutorial, version: int, comptoir_id: str) -> pd.DataFrame:
    m = t.read("members")
    m = m[m["comptoir_id"] == comptoir_id]
    rank = {"exporting": 1, "hosted": 2, "selected": 3, "candidate": 4}
    m = m.assign(illustrative=m["illustrative"].eq(True),
                 _rank=m["comptoir_stage"].map(rank).fillna(5), _name=m["name"].str.lower())
    m = m.sort_values(["_rank", "_name", "member_id"], kind="stable", na_position="last")
    return m[["member_id", "cluster_id", "name", "size_class", "comptoir_stage", "headcount",
              "revenue_eur", "export_revenue_eur", "illustrative", "source_id"]].reset_index(
        drop=True)


def comptoir_funnel_by_comptoir(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    m = t.read("members")
    m = m[m["comptoir_id"].notna()]
    reached = _reached(m["comptoir_stage"], COMPTOIR_STAGES)
    m = m.assign(**{s: reached >= i for i, s in enumerate(COMPTOIR_STAGES, start=1)})
    per = m.groupby("comptoir_id")[COMPTOIR_STAGES].sum()
    member_sources = _source_lists(m[m["candidate"]], "comptoir_id")
    c = t.read("clusters")[["cluster_id", "name"]].rename(columns={"name": "cluster_name"})
    k = t.read("comptoirs")
    k = k[k["cluster_id"].isin(clusters)]
    out = k.merge(c, on="cluster_id", how="left").merge(per, on="comptoir_id", how="left")
    for col in COMPTOIR_STAGES:
        out[col] = out[col].fillna(0).astype("int64")
    out["sources"] = [sorted({x for x in [s, *member_sources.get(kid, [])] if pd.notna(x)})
                      for kid, s in zip(out["comptoir_id"], out["source_id"], strict=True)]
    out = _lower_order(out, ["lower(cluster_name)", "country_iso3", "comptoir_id"])
    return out[["comptoir_id", "cluster_id", "cluster_name", "country_iso3", "city", "status",
                "opened_on", "min_members", "capacity_firms", *COMPTOIR_STAGES, "sources"]]


def comptoir_funnel_by_stage(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    c = t.read("clusters")
    c = c[c["cluster_id"].isin(clusters)][["cluster_id", "name"]].rename(
        columns={"name": "cluster_name"})
    m = t.read("members")
    m = m[m["cluster_id"].isin(clusters)]
    is_sme = m["size_class"].isin(["micro", "sme"])
    reached = _reached(m["comptoir_stage"], COMPTOIR_STAGES)
    parts = []
    for order, stage in enumerate(["member_smes", *COMPTOIR_STAGES]):
        firms = m[is_sme if order == 0 else reached >= order]
        counts = firms.groupby("cluster_id").size()
        sources = _source_lists(firms, "cluster_id")
        part = c.assign(stage_order=order, stage=stage)
        part["firms"] = part["cluster_id"].map(counts).fillna(0).astype("int64")
        part["sources"] = [sources.get(cid, []) for cid in part["cluster_id"]]
        parts.append(part)
    out = _lower_order(pd.concat(parts, ignore_index=True), ["lower(cluster_name)", "stage_order"])
    return out[["cluster_id", "cluster_name", "stage_order", "stage", "firms", "sources"]]


PROBLEM_COLUMNS = ["funnel", "problem", "group_id", "row_id", "stage", "value", "n", "base"]


def _problems(funnel: str, problem: str, rows: pd.DataFrame, **cols) -> pd.DataFrame:
    """One kind of problem: `cols` maps a problem column to a column of `rows` (else NULL)."""
    out = pd.DataFrame({"funnel": funnel, "problem": problem}, index=rows.index)
    for col in PROBLEM_COLUMNS[2:]:
        out[col] = rows[cols[col]] if col in cols else None
    return out


def funnel_problems_by_row(t: Tutorial, version: int, clusters: list[str]) -> pd.DataFrame:
    m = t.read("members")
    m = m[m["cluster_id"].isin(clusters)]
    k = t.read("comptoirs")[["comptoir_id", "cluster_id"]]
    staged, placed = m["comptoir_stage"].notna(), m["comptoir_id"].notna()
    member = {"group_id": "cluster_id", "row_id": "member_id"}
    other = m.merge(k, on="comptoir_id", suffixes=("", "_k"))
    other = other[other["cluster_id"].notna() & other["cluster_id_k"].notna()
                  & (other["cluster_id"] != other["cluster_id_k"])]
    parts = [
        _problems("comptoir", "stage_not_sme",
                  m[staged & m["size_class"].notna() & ~m["size_class"].isin(["micro", "sme"])],
                  **member, stage="comptoir_stage", value="size_class"),
        _problems("comptoir", "stage_without_comptoir", m[staged & ~placed], **member,
                  stage="comptoir_stage"),
        _problems("comptoir", "comptoir_without_stage", m[placed & ~staged], **member,
                  value="comptoir_id"),
        _problems("comptoir", "unknown_comptoir",
                  m[placed & ~m["comptoir_id"].isin(k["comptoir_id"])], **member,
                  stage="comptoir_stage", value="comptoir_id"),
        _problems("comptoir", "comptoir_of_other_cluster", other, **member,
                  stage="comptoir_stage", value="comptoir_id"),
    ]
    r = t.read("survey_results")
    q = r.groupby(["survey_id", "question_id"], dropna=False)
    r = r.assign(question_key=r["survey_id"] + " / " + r["question_id"],
                 answer_key=r["survey_id"] + " / " + r["question_id"] + " / " + r["answer"],
                 answered=q["respondents"].transform("sum", min_count=1),
                 max_base=q["base"].transform("max"), min_base=q["base"].transform("min"))
    survey = {"group_id": "question_key", "row_id": "answer_key"}
    parts += [
        _problems("survey", "respondents_over_base", r[r["respondents"] > r["base"]], **survey,
                  n="respondents", base="base"),
        _problems("survey", "answers_over_base", r[r["answered"] > r["max_base"]], **survey,
                  n="answered", base="max_base"),
        _problems("survey", "base_differs",
                  r[r["min_base"].notna() & r["max_base"].notna()
                    & (r["min_base"] != r["max_base"])], **survey, n="respondents", base="base"),
    ]
    p = t.read("sponsorships")
    p = p[p["review_days"].notna() & p["stage"].isin(["requested", "endorsed"])]
    p = p.assign(year_text=[None if pd.isna(y) else str(int(y)) for y in p["year"]])
    parts.append(_problems("portage", "review_before_reviewed", p, group_id="year_text",
                           row_id="sponsorship_id", stage="stage", n="review_days"))
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["funnel", "problem", "group_id", "row_id"], kind="stable",
                          na_position="last").reset_index(drop=True)
    out["cluster_id"] = out["group_id"].where(out["funnel"] == "comptoir", None)
    return out


def portage_funnel_by_stage(t: Tutorial, version: int) -> pd.DataFrame:
    s = t.read("sponsorships")
    reached = _reached(s["stage"], PORTAGE_STAGES)
    years = pd.DataFrame({"year": s["year"].drop_duplicates()})
    parts = []
    for order, stage in enumerate(PORTAGE_STAGES, start=1):
        rows = s[reached >= order]
        counts = rows.groupby("year")["sponsorship_id"].count()
        sources = _source_lists(rows, "year")
        part = years.assign(stage_order=order, stage=stage)
        part["requests"] = part["year"].map(counts).fillna(0).astype("int64")
        part["sources"] = [sources.get(y, []) if pd.notna(y) else [] for y in part["year"]]
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["year", "stage_order"], kind="stable",
                           na_position="last").reset_index(drop=True)


def _sorted_distinct(values: pd.Series) -> list:
    """SQL's list(DISTINCT x ORDER BY x): sorted distinct values, one NULL last if any."""
    found = values.dropna().unique().tolist()
    return sorted(found) + ([None] if values.isna().any() else [])


def portage_reviews_by_days(t: Tutorial, version: int) -> pd.DataFrame:
    s = t.read("sponsorships")
    s = s[s["review_days"].notna()]
    out = s.groupby(["year", "review_days"], dropna=False).agg(
        requests=("sponsorship_id", "size"), sources=("source_id", _sorted_distinct))
    out = out.reset_index().sort_values(["year", "review_days"], kind="stable",
                                        na_position="last")
    return out[["year", "review_days", "requests", "sources"]].reset_index(drop=True)


def _catalog(name: str) -> Callable[..., pd.DataFrame]:
    def run(t: Tutorial, **params) -> pd.DataFrame:
        return t.sql(name, **params)
    run.__doc__ = f"{name}: the lake's own snapshots; no pandas equivalent, same SQL uncached"
    return run


BASELINES: dict[str, Callable[..., pd.DataFrame]] = {
    "clusters_by_name": clusters_by_name,
    "kpis_by_cluster": kpis_by_cluster,
    "sources_by_id": sources_by_id,
    "survey_answers_by_question": survey_answers_by_question,
    "portage_by_year": portage_by_year,
    "targets_by_programme": targets_by_programme,
    "comptoirs_by_country": comptoirs_by_country,
    "vie_postings_by_country": vie_postings_by_country,
    "vie_postings_by_start": vie_postings_by_start,
    "comptoir_members_by_stage": comptoir_members_by_stage,
    "comptoir_funnel_by_comptoir": comptoir_funnel_by_comptoir,
    "comptoir_funnel_by_stage": comptoir_funnel_by_stage,
    "funnel_problems_by_row": funnel_problems_by_row,
    "portage_funnel_by_stage": portage_funnel_by_stage,
    "portage_reviews_by_days": portage_reviews_by_days,
    **{name: _catalog(name) for name in CATALOG_QUERIES},
}


def _norm(x):
    if x is None or x is pd.NA or x is pd.NaT:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, (list, tuple, np.ndarray)):
        return tuple(_norm(y) for y in x)
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int, np.floating, float)):
        return round(float(x), 6)
    if hasattr(x, "isoformat"):  # a date, or a timestamp at midnight, is the same day
        text = x.isoformat()
        return text[:10] if text[10:].strip("T0:.") == "" else text
    return x


def same_rows(sql: pd.DataFrame, pandas: pd.DataFrame) -> str:
    """'same rows' when both frames hold the same columns and values in the same order, else
    what differs first."""
    if list(sql.columns) != list(pandas.columns):
        return f"columns differ: {list(sql.columns)} vs {list(pandas.columns)}"
    if len(sql) != len(pandas):
        return f"{len(sql)} rows vs {len(pandas)}"
    for col in sql.columns:
        a = [_norm(x) for x in sql[col].tolist()]
        b = [_norm(x) for x in pandas[col].tolist()]
        if a != b:
            i = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
            return f"column {col} differs at row {i}: {a[i]!r} vs {b[i]!r}"
    return "same rows"
