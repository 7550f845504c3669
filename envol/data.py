"""The only Streamlit cache wrappers, and the view every page reads (language, clusters, as of).

`lake()` holds the one DuckDB connection per process (`st.cache_resource`); `query()` holds
results (`st.cache_data`) keyed by query name and parameters, which always include the snapshot
`version`: a new commit changes the version and so invalidates exactly what it should.

Every read goes through the session's `Scope` (`envol.access`, set by `app.py` after login;
local mode: `access.LOCAL`). The scope is applied by `run_query` itself and is part of the cache
key, so one user's result is never handed to a user with a narrower scope. A session without a
scope on a deployment with login gets nothing (fail closed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from envol import access, store
from envol.queries import parameters, run_query


@st.cache_resource(show_spinner=False)
def lake() -> duckdb.DuckDBPyConnection:
    return store.open_lake()


def latest_version() -> int:
    """The newest snapshot id, read on every rerun (a cheap catalog lookup)."""
    return store.current_version(lake())


def login_configured() -> bool:
    """Does the deployment's secrets hold an `[auth]` section (login mode)?"""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # noqa: BLE001 - a broken secrets file: Streamlit reports it; fail closed
        return True


def set_scope(scope: access.Scope) -> None:
    st.session_state["_envol_scope"] = scope


def scope() -> access.Scope:
    """This session's scope; without one, local mode's (no login configured) or nobody's."""
    found = st.session_state.get("_envol_scope")
    if isinstance(found, access.Scope):
        return found
    return access.nobody() if login_configured() else access.LOCAL


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(name: str, key: str, _params: tuple, _scope: access.Scope) -> pd.DataFrame:
    return run_query(lake(), name, scope=_scope, **dict(_params))


def query(name: str, *, version: int, **params) -> pd.DataFrame:
    """Run a named query through the result cache, keyed by name, parameters and `version`.

    `version` is always part of the key, even for a query that does not read a pinned snapshot
    (the list of snapshots, say): every commit changes what any query may return. The key is
    one digest of the parameters' repr: Streamlit would otherwise hash a selection of thousands
    of clusters value by value on every call (measured by `make bench`). The digest includes the
    session scope's `cache_key()`: no result crosses from one scope to a narrower one.
    """
    params["version"] = version
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    who = scope()
    key = hashlib.sha256(repr((frozen, who.cache_key())).encode()).hexdigest()
    return _cached(name, key, frozen, who)  # st.cache_data hands out a fresh copy


@dataclass(frozen=True)
class View:
    """What every page shows: set once per rerun by the shared filter bar in `app.py`."""

    lang: str
    clusters: tuple[str, ...]
    version: int
    latest: bool
    newest: int | None = None  # the newest snapshot id, read once per rerun by the router

    def q(self, name: str, **params) -> pd.DataFrame:
        """A named query at this view's snapshot (and clusters, if the query takes them)."""
        if "clusters" in parameters(name):
            params.setdefault("clusters", list(self.clusters))
        return query(name, version=self.version, **params)

    def latest_q(self, name: str, **params) -> pd.DataFrame:
        """A query about the lake itself (its snapshots), always at the newest version (as the
        router read it for this rerun: one catalog lookup per rerun, not one per query)."""
        return query(name, version=self.newest_version(), **params)

    def newest_version(self) -> int:
        return latest_version() if self.newest is None else self.newest


def table_version(snapshots: pd.DataFrame, name: str) -> int | None:
    """`store.table_version`, read from the rows of `snapshots_by_time` at the newest version
    (cached for that version, as the history page shows them) instead of asking the catalog
    again."""
    ids = snapshots.loc[snapshots["table_name"] == name, "snapshot_id"]
    return None if ids.empty else int(ids.max())


def set_view(view: View) -> None:
    st.session_state["_envol_view"] = view


def view() -> View:
    return st.session_state["_envol_view"]
