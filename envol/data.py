"""The only Streamlit cache wrappers, and the view every page reads (language, clusters, as of).

`lake()` holds the one DuckDB connection per process (`st.cache_resource`); `query()` holds
results (`st.cache_data`) keyed by query name and parameters, which always include the snapshot
`version`: a new commit changes the version and so invalidates exactly what it should.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from envol import store
from envol.queries import parameters, run_query


@st.cache_resource(show_spinner=False)
def lake() -> duckdb.DuckDBPyConnection:
    return store.open_lake()


def latest_version() -> int:
    """The newest snapshot id, read on every rerun (a cheap catalog lookup)."""
    return store.current_version(lake())


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, key: str, _params: tuple) -> pd.DataFrame:
    return run_query(lake(), name, **dict(_params))


def query(name: str, *, version: int, **params) -> pd.DataFrame:
    """Run a named query through the result cache, keyed by name, parameters and `version`.

    `version` is always part of the key, even for a query that does not read a pinned snapshot
    (the list of snapshots, say): every commit changes what any query may return. The key is
    one digest of the parameters' repr: Streamlit would otherwise hash a selection of thousands
    of clusters value by value on every call (measured by `make bench`).
    """
    params["version"] = version
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    key = hashlib.sha256(repr(frozen).encode()).hexdigest()
    return _cached(name, key, frozen)  # st.cache_data hands out a fresh copy


@dataclass(frozen=True)
class View:
    """What every page shows: set once per rerun by the shared filter bar in `app.py`."""

    lang: str
    clusters: tuple[str, ...]
    version: int
    latest: bool

    def q(self, name: str, **params) -> pd.DataFrame:
        """A named query at this view's snapshot (and clusters, if the query takes them)."""
        if "clusters" in parameters(name):
            params.setdefault("clusters", list(self.clusters))
        return query(name, version=self.version, **params)

    def latest_q(self, name: str, **params) -> pd.DataFrame:
        """A query about the lake itself (its snapshots), always at the newest version."""
        return query(name, version=latest_version(), **params)


def set_view(view: View) -> None:
    st.session_state["_envol_view"] = view


def view() -> View:
    return st.session_state["_envol_view"]
