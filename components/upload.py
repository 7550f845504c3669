"""Upload and history pieces: what was detected (and its correction), problems, preview, the
commit form, the snapshot history. They take values and draw; the page calls envol.ingest."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from envol import i18n, ingest
from envol.schema import TABLES
from envol.text import plain_markdown

_SEP = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}
_DEC = {",": "comma", ".": "point"}
_THOU = {"": "none", ".": "point", ",": "comma"}
_DATE = {"%d/%m/%Y": "jj/mm/aaaa · dd/mm/yyyy", "%Y-%m-%d": "aaaa-mm-jj · yyyy-mm-dd",
         "%m/%d/%Y": "mm/jj/aaaa · mm/dd/yyyy", "%d-%m-%Y": "jj-mm-aaaa · dd-mm-yyyy",
         "%d.%m.%Y": "jj.mm.aaaa · dd.mm.yyyy", "%d/%m/%y": "jj/mm/aa · dd/mm/yy"}


def table_picker(lang: str) -> str | None:
    """The table to load, or None to recognise it from the header."""
    T = i18n.translator(lang)
    options = [None, *TABLES]
    return st.selectbox(T("upload.table"), options, key="upload_table",
                        format_func=lambda t: T("upload.table_auto") if t is None
                        else f"{TABLES[t].label(lang)} ({t})")


def file_drop(lang: str, limits: ingest.Limits, round_: int):
    T = i18n.translator(lang)
    return st.file_uploader(
        T("upload.file"), type=["csv", "txt", "tsv"], key=f"upload_file_{round_}",
        max_upload_size=limits.max_mb,
        help=T("upload.file_help", mb=i18n.number(limits.max_mb, lang),
               rows=i18n.number(limits.max_rows, lang)))


def mode_picker(lang: str) -> str:
    T = i18n.translator(lang)
    return st.segmented_control(T("upload.mode"), list(ingest.MODES), default="replace",
                                key="upload_mode",
                                format_func=lambda m: T(f"upload.mode.{m}")) or "replace"


def dialect_editor(dialect: ingest.Dialect, lang: str, file_key: str) -> dict:
    """Select boxes showing what was detected; returns the analyst's choices (overrides)."""
    T = i18n.translator(lang)
    cols = st.columns(6)
    with cols[0]:
        encoding = st.selectbox(T("upload.encoding"), ingest.ENCODINGS,
                                index=ingest.ENCODINGS.index(dialect.encoding),
                                key=f"upload_encoding_{file_key}",
                                format_func=lambda e: ingest.encoding_label(e, lang))
    with cols[1]:
        separator = st.selectbox(T("upload.separator"), ingest.SEPARATORS,
                                 index=ingest.SEPARATORS.index(dialect.separator),
                                 key=f"upload_separator_{file_key}",
                                 format_func=lambda s: T(f"upload.sep.{_SEP[s]}"))
    with cols[2]:
        decimal = st.selectbox(T("upload.decimal"), ingest.DECIMALS,
                               index=ingest.DECIMALS.index(dialect.decimal),
                               key=f"upload_decimal_{file_key}",
                               format_func=lambda d: T(f"upload.dec.{_DEC[d]}"))
    with cols[3]:
        thousands = st.selectbox(T("upload.thousands"), ingest.THOUSANDS,
                                 index=ingest.THOUSANDS.index(dialect.thousands),
                                 key=f"upload_thousands_{file_key}",
                                 format_func=lambda d: T(f"upload.thou.{_THOU[d]}"))
    with cols[4]:
        date_format = st.selectbox(T("upload.date_format"), ingest.DATE_FORMATS,
                                   index=ingest.DATE_FORMATS.index(dialect.date_format),
                                   key=f"upload_date_{file_key}", format_func=_DATE.get)
    with cols[5]:
        skip = st.number_input(T("upload.skip_lines"), min_value=0, max_value=50,
                               value=dialect.skip_lines, step=1, key=f"upload_skip_{file_key}")
    return {"encoding": encoding, "separator": separator, "decimal": decimal,
            "thousands": "" if thousands == decimal else thousands,
            "date_format": date_format, "skip_lines": int(skip)}


def mapping_editor(dialect: ingest.Dialect, examples: list[str], lang: str,
                   file_key: str) -> dict[int, str]:
    """One select box per file column: the Envol column it holds, or ignore."""
    T = i18n.translator(lang)
    if not dialect.table:
        return {}
    table = TABLES[dialect.table]
    st.markdown(f"**{T('upload.mapping')}**")
    st.caption(T("upload.mapping_help"))
    labels = {ingest.UNKNOWN: T("upload.unknown"), ingest.IGNORE: T("upload.ignore")}
    labels |= {c.name: f"{c.name} · {c.fr if lang == 'fr' else c.en}" for c in table.columns}
    options = [ingest.UNKNOWN, ingest.IGNORE, *table.column_names]
    chosen: dict[int, str] = {}
    per_row = 4
    for start in range(0, len(dialect.headers), per_row):
        cols = st.columns(per_row)
        for col, i in zip(cols, range(start, min(start + per_row, len(dialect.headers))),
                          strict=False):
            with col:
                current = dialect.mapping[i]
                example = examples[i] if i < len(examples) else ""
                chosen[i] = st.selectbox(
                    plain_markdown(dialect.headers[i]) or "∅", options,
                    index=options.index(current),
                    key=f"upload_map_{file_key}_{dialect.table}_{i}",
                    format_func=labels.get,
                    help=f"{T('upload.col.example')} : {plain_markdown(example)}"
                    if lang == "fr" else f"{T('upload.col.example')}: {plain_markdown(example)}")
    return chosen


def detected_summary(dialect: ingest.Dialect, lang: str) -> None:
    T = i18n.translator(lang)
    table = TABLES[dialect.table].label(lang) if dialect.table else "–"
    st.caption(" · ".join([
        f"{T('upload.table')} : {table}" if lang == "fr" else f"{T('upload.table')}: {table}",
        ingest.encoding_label(dialect.encoding, lang),
        T(f"upload.sep.{_SEP[dialect.separator]}"),
        T(f"upload.dec.{_DEC[dialect.decimal]}"),
        _DATE[dialect.date_format]]))


def problems_view(problems: list[ingest.Problem], total: int, lang: str,
                  file_name: str) -> None:
    """The problems, each with line, column, value, rule and what is accepted; as CSV too."""
    T = i18n.translator(lang)
    st.error(T("upload.problems_title", n=i18n.number(total, lang)), icon=":material/block:")
    if total > len(problems):
        st.caption(T("upload.problems_shown", shown=i18n.number(len(problems), lang),
                     n=i18n.number(total, lang)))
    df = pd.DataFrame({
        T("upload.col.line"): [p.line for p in problems],
        T("upload.col.column"): [p.column for p in problems],
        T("upload.col.canonical"): [p.canonical for p in problems],
        T("upload.col.value"): [p.value for p in problems],
        T("upload.col.problem"): [p.message(lang) for p in problems],
        T("upload.col.accepted"): [p.accepted(lang) for p in problems],
        T("upload.col.rule"): [p.rule for p in problems],
    })
    st.dataframe(df, hide_index=True, key="upload_problems_table",
                 column_config={T("upload.col.line"): st.column_config.NumberColumn(
                     format="%d")})
    st.download_button(T("upload.problems_download"),
                       data=ingest.problems_csv(problems, lang),
                       file_name=f"problemes_{ingest.clean_file_name(file_name)}",
                       mime="text/csv", key="upload_problems_csv",
                       icon=":material/download:")


def checked_summary(checked: ingest.Checked, lang: str) -> None:
    T = i18n.translator(lang)
    st.success(T("upload.ok", n=i18n.number(checked.row_count, lang)),
               icon=":material/check_circle:")
    if checked.absent:
        st.caption(T("upload.absent", cols=", ".join(checked.absent)))
    if checked.blank_rows:
        st.caption(T("upload.blank_rows", n=i18n.number(checked.blank_rows, lang)))


ROWS_SHOWN = 1000


def rows_view(checked: ingest.Checked, lang: str) -> None:
    """The first rows as they will be stored (read from the staged file, not all of them)."""
    st.dataframe(checked.head(ROWS_SHOWN).to_pandas(), hide_index=True, key="upload_rows_table")


def diff_view(preview: ingest.Preview, lang: str) -> None:
    T = i18n.translator(lang)
    cols = st.columns(4)
    for col, (key, n) in zip(cols, [("added", preview.added), ("removed", preview.removed),
                                    ("changed", preview.changed),
                                    ("unchanged", preview.unchanged)], strict=True):
        col.metric(T(f"upload.diff.{key}"), i18n.number(n, lang), border=True)
    if not (preview.added or preview.removed or preview.changed):
        st.info(T("upload.diff.none"))
        return
    tabs = st.tabs([T("upload.diff.added"), T("upload.diff.removed"), T("upload.diff.changed")])
    with tabs[0]:
        st.dataframe(preview.added_rows, hide_index=True, key="upload_added_table")
    with tabs[1]:
        st.dataframe(preview.removed_rows, hide_index=True, key="upload_removed_table")
    with tabs[2]:
        st.dataframe(preview.changes.rename(columns={
            "key": T("upload.col.key"), "column": T("upload.col.canonical"),
            "old": T("upload.col.old"), "new": T("upload.col.new")}), hide_index=True,
            key="upload_changes_table")


def kpi_effect_view(preview: ingest.Preview, lang: str) -> None:
    T = i18n.translator(lang)
    if preview.kpis_before is None:
        st.caption(T("upload.kpis_na"))
        return
    changes = ingest.kpi_changes(preview.kpis_before, preview.kpis_after)
    if changes.empty:
        st.info(T("upload.kpis_none"))
        return

    def fmt(v, k):
        return i18n.money(v, lang) if k.endswith("_eur") else i18n.number(v, lang)

    st.dataframe(pd.DataFrame({
        T("col.cluster"): changes["name"],
        T("upload.col.kpi"): [T(f"upload.kpi.{k}") for k in changes["kpi"]],
        T("upload.col.old"): [fmt(v, k) for v, k in zip(changes["old"], changes["kpi"],
                                                        strict=True)],
        T("upload.col.new"): [fmt(v, k) for v, k in zip(changes["new"], changes["kpi"],
                                                        strict=True)],
    }), hide_index=True, key="upload_kpis_table")


def same_file_warning(earlier: pd.DataFrame, lang: str) -> bool:
    """Says the same file was already saved; returns whether the analyst confirms anyway."""
    T = i18n.translator(lang)
    if earlier.empty:
        return False
    first = earlier.iloc[0]
    st.warning(T("upload.same_file", id=int(first["snapshot_id"]),
                 date=i18n.timestamp(first["snapshot_time"], lang),
                 author=plain_markdown(first["author"])), icon=":material/content_copy:")
    return st.checkbox(T("upload.same_file_confirm"), key="upload_same_file_ok")


def _author(lang: str, identity: str | None, key: str) -> str:
    """Who is recorded as the author: the logged-in identity (login mode), else a text field."""
    if identity is not None:
        st.caption(i18n.t("access.author_is", lang, who=identity))
        return identity
    return st.text_input(i18n.t("upload.author", lang), key=key, max_chars=200)


def commit_form(lang: str, identity: str | None = None) -> tuple[str, str, bool]:
    """(author, note, clicked). `identity`: the logged-in user, recorded as the author."""
    T = i18n.translator(lang)
    author = _author(lang, identity, "upload_author")
    note = st.text_input(T("upload.note"), key="upload_note", max_chars=500)
    clicked = st.button(T("upload.commit"), type="primary", key="upload_commit",
                        icon=":material/save:")
    return author, note, clicked


# --- history -----------------------------------------------------------------------------


def history_table(snapshots: pd.DataFrame, lang: str) -> None:
    T = i18n.translator(lang)
    mode = [T(f"history.mode.{m}") if f"history.mode.{m}" in i18n.STRINGS else (m or "")
            for m in snapshots["mode"]]
    notes = [str(m).split(":", 1)[1].strip() if isinstance(m, str) and ":" in m else (m or "")
             for m in snapshots["commit_message"]]
    st.dataframe(pd.DataFrame({
        T("col.snapshot"): snapshots["snapshot_id"],
        T("col.committed_at"): [i18n.timestamp(x, lang) for x in snapshots["snapshot_time"]],
        T("col.table"): snapshots["table_name"],
        T("history.col.mode"): mode,
        T("col.author"): snapshots["author"],
        T("col.file"): snapshots["file_name"],
        T("col.rows"): [i18n.number(x, lang) for x in snapshots["row_count"]],
        T("history.col.note"): notes,
        T("history.col.sha256"): [(s or "")[:12] for s in snapshots["sha256"]],
    }), hide_index=True, key="history_table")


def snapshot_picker(snapshots: pd.DataFrame, lang: str) -> tuple[str, int | None]:
    """(table, snapshot id) to download or bring back."""
    T = i18n.translator(lang)
    left, right = st.columns(2)
    with left:
        table = st.selectbox(T("history.table"), list(TABLES), key="history_pick_table",
                             format_func=lambda t: f"{TABLES[t].label(lang)} ({t})")
    mine = snapshots[snapshots["table_name"] == table]
    labels = {int(i): T("filters.snapshot", id=int(i), date=i18n.timestamp(t, lang))
              for i, t in zip(mine["snapshot_id"], mine["snapshot_time"], strict=True)}
    with right:
        version = st.selectbox(T("history.snapshot"), list(labels), key="history_pick_version",
                               format_func=labels.get)
    return table, version


def rollback_form(lang: str, table: str, version: int, is_current: bool,
                  identity: str | None = None) -> tuple[str, bool]:
    T = i18n.translator(lang)
    st.subheader(T("history.rollback_title"))
    st.caption(T("history.rollback_help"))
    if is_current:
        st.info(T("history.is_current"))
        return "", False
    author = _author(lang, identity, "history_author")
    clicked = st.button(T("history.rollback", table=table, id=version), key="history_rollback",
                        icon=":material/history:")
    return author, clicked


def forbidden_message(refused, lang: str) -> str:
    """An `access.Forbidden` said in the user's language, naming the rows it is about."""
    rows = ", ".join(f"{key} ({cluster or '–'})" for key, cluster in refused.rows)
    if refused.total > len(refused.rows):
        rows += " …"
    return i18n.t(f"access.forbidden.{refused.reason}", lang, table=refused.table,
                  n=i18n.number(refused.total, lang), rows=rows)
