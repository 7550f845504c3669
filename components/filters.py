"""The shared filter bar in the sidebar (language, clusters, "as of" snapshot), mirrored in the URL.

The three widgets live in `app.py`, so their values hold across pages. Their values are also
written to the URL as identifiers (`?lang=en&clusters=pegase&snapshot=12`, see `envol.links`), so
that a pasted link opens the same view. Streamlit's own `bind="query-params"` is not used here:
it writes the options' display labels (`lang=English`, `clusters=Pégase`, and the snapshot's
label, which changes with the language) and silently drops any value it does not know. Instead:
1. parameters that the app did not write itself (a pasted link, the browser's back button) are
   read and checked before the widgets are drawn, and set as their values;
2. a value that cannot be used is ignored with a warning naming it, in the user's language;
3. after the widgets, the URL is updated to the canonical parameters of what is shown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from envol import i18n, links

_WRITTEN = "_filters_link"  # session key: the parameters this app last wrote to the URL
LATEST = -1  # the snapshot picker's value for "the latest version"


def shared_filters(clusters: pd.DataFrame, snapshots: pd.DataFrame
                   ) -> tuple[str, list[str], int | None]:
    """Draw the filter bar; returns (language, the ids of the clusters shown, snapshot id or
    None for the latest version). The clusters shown are the ones picked, or every cluster when
    none is picked: always an explicit list, never empty unless the lake has no cluster."""
    names = dict(zip(clusters["cluster_id"], clusters["name"], strict=True))
    parsed = links.parse(_link_params(), clusters=names, snapshots=snapshots)
    st.session_state.update(parsed.updates)
    lang = language_switch()
    chosen = cluster_filter(clusters, lang)
    as_of = snapshot_picker(snapshots, lang)
    if parsed.ignored:
        st.warning(links.describe_ignored(parsed.ignored, lang), icon=":material/link_off:")
    _write_link(links.to_params(lang=lang, clusters=st.session_state["clusters"],
                                all_clusters=list(names), snapshot=as_of))
    return lang, chosen, as_of


def _link_params() -> dict[str, list[str]]:
    """The filter parameters in the URL that this app did not write itself."""
    given = {k: st.query_params.get_all(k) for k in links.PARAMS if k in st.query_params}
    written = st.session_state.get(_WRITTEN)
    if written is None:  # first run of this browser session: the link decides
        return given
    return {k: v for k, v in given.items() if v != written.get(k)}


def _write_link(params: dict[str, list[str]]) -> None:
    for key in links.PARAMS:
        want = params.get(key)
        have = st.query_params.get_all(key) if key in st.query_params else None
        if want is None and have is not None:
            del st.query_params[key]
        elif want is not None and want != have:
            st.query_params[key] = want
    st.session_state[_WRITTEN] = params


def language_switch() -> str:
    st.session_state.setdefault("lang", links.DEFAULT_LANG)
    lang = st.sidebar.segmented_control(
        "Langue · Language", options=list(i18n.LANGS),
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        key="lang", required=True, label_visibility="collapsed")
    return lang or links.DEFAULT_LANG


def cluster_filter(clusters: pd.DataFrame, lang: str) -> list[str]:
    """The clusters every page shows: the ones picked, or every one of them when none is picked
    (the widget then shows « Tous les pôles (3 000) »). Always returns the explicit list.

    "None picked means all" rather than a default selecting every cluster: a lake can hold
    thousands of clusters, and thousands of chips cost Streamlit's multiselect time that grows
    quadratically with their number on every rerun of every page (measured by `make bench`)."""
    names = dict(zip(clusters["cluster_id"], clusters["name"], strict=True))
    st.session_state.setdefault("clusters", [])
    picked = st.sidebar.multiselect(
        i18n.t("filters.clusters", lang), options=list(names),
        format_func=lambda cid: names.get(cid, cid), key="clusters",
        placeholder=i18n.t("filters.all_clusters", lang, n=i18n.number(len(names), lang)),
        help=i18n.t("filters.clusters_help", lang))
    return list(picked) or list(names)


def snapshot_picker(snapshots: pd.DataFrame, lang: str) -> int | None:
    """None means "the latest version"; otherwise a snapshot id. (The select box itself holds
    -1 for "latest": a None option would show as an empty, clearable choice.)"""
    labels = {LATEST: i18n.t("filters.latest", lang)}
    for _, s in snapshots.iterrows():
        labels[int(s["snapshot_id"])] = (
            i18n.t("filters.snapshot", lang, id=int(s["snapshot_id"]),
                   date=i18n.timestamp(s["snapshot_time"], lang))
            + f" · {s['table_name']}")
    if st.session_state.get("as_of") not in labels:  # None (from a link) or unknown
        st.session_state["as_of"] = LATEST
    picked = st.sidebar.selectbox(
        i18n.t("filters.as_of", lang), options=list(labels), format_func=labels.__getitem__,
        key="as_of", help=i18n.t("filters.as_of_help", lang))
    return None if picked in (None, LATEST) else int(picked)
