"""The shared filter bar in the sidebar: language, clusters, "as of" snapshot."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from envol import i18n


def language_switch() -> str:
    lang = st.sidebar.segmented_control(
        "Langue · Language", options=list(i18n.LANGS),
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        key="lang", default="fr", label_visibility="collapsed", bind="query-params")
    return lang or "fr"


def cluster_filter(clusters: pd.DataFrame, lang: str) -> list[str]:
    """The clusters every page shows: the ones picked, or all of them when none is picked.

    "None picked means all" rather than a default selecting every cluster: a lake can hold
    thousands of clusters, and a default of thousands of chips cost Streamlit's multiselect
    time quadratic in their number on every rerun of every page (measured by `make bench`)."""
    names = dict(zip(clusters["cluster_id"], clusters["name"], strict=True))
    picked = st.sidebar.multiselect(
        i18n.t("filters.clusters", lang), options=list(names), default=None,
        format_func=lambda cid: names.get(cid, cid), key="clusters", bind="query-params",
        placeholder=i18n.t("filters.all_clusters", lang, n=i18n.number(len(names), lang)),
        help=i18n.t("filters.clusters_help", lang))
    return picked or list(names)


def snapshot_picker(snapshots: pd.DataFrame, lang: str) -> int | None:
    """None means "the latest version"; otherwise a snapshot id."""
    labels = {None: i18n.t("filters.latest", lang)}
    for _, s in snapshots.iterrows():
        labels[int(s["snapshot_id"])] = (
            i18n.t("filters.snapshot", lang, id=int(s["snapshot_id"]),
                   date=i18n.timestamp(s["snapshot_time"], lang))
            + f" · {s['table_name']}")
    return st.sidebar.selectbox(
        i18n.t("filters.as_of", lang), options=list(labels), format_func=labels.__getitem__,
        key="as_of", help=i18n.t("filters.as_of_help", lang))
