"""Upload: drop a CSV from Excel, check what was detected, fix every problem, preview the change
and save it as a new snapshot of one table."""

import streamlit as st

from components.upload import (
    checked_summary,
    commit_form,
    detected_summary,
    dialect_editor,
    diff_view,
    file_drop,
    forbidden_message,
    kpi_effect_view,
    mapping_editor,
    mode_picker,
    problems_view,
    rows_view,
    same_file_warning,
    table_picker,
)
from envol import access, data, i18n, ingest, store

view = data.view()
scope = data.scope()
T = i18n.translator(view.lang)
limits = ingest.Limits.from_env()
st.title(T("upload.title"))
st.caption(T("upload.intro"))
if "upload_done" in st.session_state:
    st.success(st.session_state.pop("upload_done"), icon=":material/check_circle:")

left, right = st.columns([1, 2])
with left:
    chosen_table = table_picker(view.lang)
    mode = mode_picker(view.lang)
with right:
    upload = file_drop(view.lang, limits, st.session_state.get("upload_round", 0))
if upload is None:
    st.stop()

raw = upload.getvalue()
file_key = upload.file_id
sniffed = ingest.sniff(raw, table=chosen_table, limits=limits)
if not sniffed.text:
    problems_view(sniffed.problems, len(sniffed.problems), view.lang, upload.name)
    st.stop()

st.subheader(T("upload.detected"))
overrides = dialect_editor(sniffed.dialect, view.lang, file_key)
sniffed = ingest.sniff(raw, table=chosen_table, limits=limits, **overrides)
dialect = ingest.with_mapping(sniffed.dialect,
                              mapping_editor(sniffed.dialect, list(sniffed.examples),
                                             view.lang, file_key))
detected_summary(dialect, view.lang)

# The whole file is parsed and checked once per file, dialect, mode and lake version.
check_key = (file_key, dialect, mode, data.latest_version(), scope)
if st.session_state.get("upload_check_key") != check_key:
    with st.status(T("upload.progress.reading"), expanded=True) as status:
        bar = st.progress(0.0)
        checked = ingest.check(data.lake(), raw, dialect, mode=mode, limits=limits,
                               progress=bar.progress, lang=view.lang, scope=scope)
        if checked.ok:
            bar.progress(0.8, T("upload.progress.preview"))
            st.session_state["upload_preview"] = ingest.preview(data.lake(), checked,
                                                                scope=scope)
        bar.progress(1.0)
        status.update(label=T("upload.progress.done",
                              s=i18n.number(checked.seconds["total"], view.lang, 1)),
                      state="complete" if checked.ok else "error", expanded=False)
    st.session_state["upload_check_key"] = check_key
    st.session_state["upload_checked"] = checked
checked = st.session_state["upload_checked"]

if not checked.ok:
    problems_view(checked.problems, checked.problem_count, view.lang, upload.name)
    st.stop()

checked_summary(checked, view.lang)
preview = st.session_state["upload_preview"]
st.subheader(T("upload.diff_title"))
diff_view(preview, view.lang)
st.subheader(T("upload.kpis_title"))
kpi_effect_view(preview, view.lang)
with st.expander(T("upload.rows_title")):
    rows_view(checked, view.lang)

st.subheader(T("upload.commit_title"))
confirmed = same_file_warning(ingest.same_file(data.lake(), checked.table, checked.sha256),
                              view.lang)
author, note, clicked = commit_form(view.lang, None if scope.local else scope.identity)
if clicked and not author.strip():
    st.error(T("upload.need_author"))
elif clicked:
    try:
        with st.spinner(T("upload.progress.committing")):
            snapshot = ingest.commit(data.lake(), checked, author=author, note=note,
                                     file_name=upload.name, scope=scope,
                                     confirm_same_file=confirmed)
    except access.Forbidden as refused:
        st.error(forbidden_message(refused, view.lang), icon=":material/block:")
    except store.StaleTable:
        st.session_state.pop("upload_check_key", None)
        st.error(T("upload.stale"), icon=":material/sync_problem:")
    except ingest.NotCommitted:
        st.warning(T("upload.same_file_confirm"))
    else:
        st.session_state["upload_done"] = T("upload.committed", table=checked.table,
                                            id=snapshot,
                                            n=i18n.number(checked.row_count, view.lang))
        st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
        st.session_state.pop("upload_check_key", None)
        st.rerun()
