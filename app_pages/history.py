"""History: every snapshot of every table with who, when, which file; download any table as of
any snapshot; bring an older state back as a new snapshot (nothing is ever deleted)."""

import functools

import streamlit as st

from components.upload import forbidden_message, history_table, rollback_form, snapshot_picker
from envol import access, audit, data, i18n, ingest, store

view = data.view()
scope = data.scope()
T = i18n.translator(view.lang)
st.title(T("history.title"))
st.caption(T("history.intro"))
if "history_done" in st.session_state:
    st.success(st.session_state.pop("history_done"), icon=":material/check_circle:")

snapshots = view.latest_q("snapshots_by_time")
st.subheader(T("history.snapshots"))
history_table(snapshots, view.lang)

table, version = snapshot_picker(snapshots, view.lang)
if version is None:
    st.stop()
if ingest.may_export(scope, table):
    st.download_button(
        T("history.download", table=table, id=version),
        data=functools.partial(audit.audited(ingest.export_csv, "table_csv", scope.identity,
                                             table=table, version=version),
                               data.lake(), table, version, scope=scope),
        file_name=f"envol_{table}_instantane_{version}.csv", mime="text/csv",
        key="history_download", icon=":material/download:")
else:
    st.info(T("access.forbidden.export", table=table), icon=":material/lock:")

if not scope.can_write:  # no rollback for this role (and store.rollback_table refuses it)
    st.stop()
current = data.table_version(snapshots, table)
author, clicked = rollback_form(view.lang, table, version, is_current=version == current,
                                identity=None if scope.local else scope.identity)
if clicked and not author.strip():
    st.error(T("upload.need_author"))
elif clicked:
    try:
        snapshot = store.rollback_table(data.lake(), table, version, author=author.strip(),
                                        note=f"snapshot {version}", scope=scope,
                                        expect_table_version=current)
    except access.Forbidden as refused:
        st.error(forbidden_message(refused, view.lang), icon=":material/block:")
    except store.StaleTable:
        st.error(T("upload.stale"), icon=":material/sync_problem:")
    else:
        rows = store.read_table(data.lake(), table, snapshot).num_rows
        st.session_state["history_done"] = T("history.rolled_back", table=table, old=version,
                                             id=snapshot, n=i18n.number(rows, view.lang))
        st.rerun()
