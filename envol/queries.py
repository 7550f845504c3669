"""The named-query runner: one `.sql` file per query in `queries/`, no Streamlit here.

A query file's first line is a `--` comment saying what it returns; its parameters are DuckDB
`$name` placeholders, bound by DuckDB (values never become SQL text). Lake tables are read as of a
snapshot: `FROM lake.<table> AT (VERSION => $version)`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


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


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query on a fresh cursor and return the whole result as a DataFrame."""
    wanted = parameters(name)
    missing = wanted - params.keys()
    if missing:
        raise QueryError(f"query {name!r} needs parameter(s) {sorted(missing)}")
    bound = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items() if k in wanted}
    with con.cursor() as cur:
        return _plain_lists(cur.execute(load_sql(name), bound).df())


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
