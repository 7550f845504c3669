"""The named-query runner: one `.sql` file per query in `queries/`, no Streamlit here.

A query file's first line is a `--` comment saying what it returns; its parameters are DuckDB
`$name` placeholders, bound by DuckDB (values never become SQL text). Lake tables are read as of a
snapshot: `FROM lake.<table> AT (VERSION => $version)`.

Access: a query file's second line declares what its rows are (`-- access: <level>`):
`aggregate` (figures per cluster, country, year…), `member` (member-level rows: firm names,
revenue, who is hosted where; such a query returns a `cluster_id` column, NULL on a row that is
not a member's), or `lake` (the lake's own commits). `; member columns: a, b` names columns of an
aggregate query that carry firm names. Given a `Scope` (`envol.access`), `run_query` enforces it
on every result: `$clusters` is cut to the scope's clusters, rows of another cluster are dropped,
and a scope without member-level rights (a viewer) gets no member-level row and blank member
columns.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from envol.access import Scope

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_ACCESS = re.compile(r"-- access: (aggregate|member|lake)(?:; member columns: ([a-z0-9_, ]+))?")
LEVELS = ("aggregate", "member", "lake")


class QueryError(LookupError):
    pass


@functools.cache
def load_sql(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise QueryError(f"invalid query name {name!r}")
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query named {name!r} in {QUERY_DIR}")
    return path.read_text(encoding="utf-8")


def parameters(name: str) -> set[str]:
    """The `$name` parameters a query takes."""
    return set(_PARAM.findall(load_sql(name)))


@functools.cache
def access(name: str) -> tuple[str, tuple[str, ...]]:
    """(level, member columns) declared on the query file's second line."""
    lines = load_sql(name).split("\n")
    found = _ACCESS.fullmatch(lines[1].strip()) if len(lines) > 1 else None
    if found is None:
        raise QueryError(f"query {name!r} does not declare its access level on line 2 "
                         f"('-- access: aggregate|member|lake')")
    columns = tuple(c.strip() for c in (found.group(2) or "").split(",") if c.strip())
    return found.group(1), columns


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, *, scope: Scope | None = None,
              **params) -> pd.DataFrame:
    """Run a named query on a fresh cursor and return the whole result as a DataFrame.

    With a `scope`, only what that scope may read (see the module's docstring); without one
    (the app's own internal reads: previews, the board's checks), everything."""
    wanted = parameters(name)
    level, member_columns = access(name)
    missing = wanted - params.keys()
    if missing:
        raise QueryError(f"query {name!r} needs parameter(s) {sorted(missing)}")
    bound = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items() if k in wanted}
    if scope is not None and "clusters" in bound:
        bound["clusters"] = scope.restrict(bound["clusters"])
    with con.cursor() as cur:
        df = _plain_lists(_frame(cur, load_sql(name), bound))
    return df if scope is None or level == "lake" else scoped(df, level, member_columns, scope)


# Rows per piece of a large result turned into pandas (DuckDB vectors of 2,048 rows): 200,000
# VIE postings in one `.df()` took the process's peak memory up by ~255 MB, in pieces by ~120 MB
# (and faster), for the same frame.
PIECE_VECTORS = 5


def _frame(cur: duckdb.DuckDBPyConnection, sql: str, bound: dict) -> pd.DataFrame:
    """The query's whole result as `.df()` gives it, converted a piece at a time. Should two
    pieces come out with different dtypes (a column NULL in one piece only), the query runs
    again and converts in one go, so the frame is always `.df()`'s."""
    result = cur.execute(sql, bound)
    first = result.fetch_df_chunk(PIECE_VECTORS)
    if len(first) < PIECE_VECTORS * 2048:
        return first
    pieces = [first]
    while not (piece := result.fetch_df_chunk(PIECE_VECTORS)).empty:
        if not piece.dtypes.equals(first.dtypes):
            return cur.execute(sql, bound).df()
        pieces.append(piece)
    return pd.concat(pieces, ignore_index=True)


def scoped(df: pd.DataFrame, level: str, member_columns: tuple[str, ...], scope: Scope
           ) -> pd.DataFrame:
    """The rows and columns of a result that `scope` may read."""
    has_cluster = "cluster_id" in df.columns
    if level == "member" and not has_cluster:
        return df.iloc[0:0]  # fail closed: a member query must say whose rows they are
    if has_cluster:
        clusters = df["cluster_id"]
        keep = clusters.isna() | clusters.map(scope.allows).astype(bool)
        if level == "member" and not scope.member_rows:
            keep = clusters.isna()
        if not keep.all():
            df = df[keep.to_numpy()].reset_index(drop=True)
    if member_columns and not scope.member_rows:
        df = df.copy()
        for col in member_columns:
            first = next((x for x in df[col] if x is not None), None)
            df[col] = [[] if isinstance(first, list) else None for _ in range(len(df))]
    return df


def _plain_lists(df: pd.DataFrame) -> pd.DataFrame:
    """List columns as Python lists rather than one numpy array per cell: the result cache
    pickles every result and unpickles it on every hit, six times faster so (measured on
    `kpis_by_cluster` for 3,000 clusters by `make bench`)."""
    for col in df.columns:
        if df[col].dtype != object:
            continue
        first = next((x for x in df[col] if x is not None), None)
        if isinstance(first, np.ndarray):
            df[col] = [x.tolist() if isinstance(x, np.ndarray) else x for x in df[col]]
    return df
