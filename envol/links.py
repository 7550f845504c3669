"""Shareable links: the shared filters (language, clusters, "as of" snapshot) as URL parameters.

A link carries identifiers, never display labels, so that it means the same thing in French and
in English and survives a renamed cluster:
`?lang=en&clusters=pegase&clusters=astech&snapshot=12`, or `as_of=2011-06-30` for "the data as it
was at the end of that day (UTC)", which is resolved to a snapshot id and rewritten as `snapshot`.
Defaults are left out (French, every cluster, the latest version). No `clusters` parameter means
every cluster, as an empty filter does; a link listing every cluster (or `clusters=` empty) is
read as that default and rewritten without the parameter. Clusters may also be given
comma-separated or by name (`clusters=Pégase`), and the language by its label (`lang=English`):
that is what links made by Streamlit's own URL binding looked like.

Pure logic, no Streamlit: `parse` turns the URL's parameters into widget values plus the values
it had to ignore; `to_params` is the inverse, in canonical form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from envol import i18n
from envol.schema import fold

LANG, CLUSTERS, SNAPSHOT, AS_OF = "lang", "clusters", "snapshot", "as_of"
PARAMS = (LANG, CLUSTERS, SNAPSHOT, AS_OF)
# Session-state keys of the filter widgets each parameter sets.
WIDGET = {LANG: "lang", CLUSTERS: "clusters", SNAPSHOT: "as_of", AS_OF: "as_of"}
DEFAULT_LANG = "fr"
LATEST = "latest"
_LANG_NAMES = {"fr": "fr", "en": "en", "francais": "fr", "french": "fr", "english": "en",
               "anglais": "en"}


@dataclass(frozen=True)
class Ignored:
    """A URL value that was not applied, and why (`unknown`, `malformed`, `too_early`)."""

    param: str
    value: str
    reason: str


@dataclass(frozen=True)
class Parsed:
    updates: dict[str, object]  # widget key → value to set before the widgets are drawn
    ignored: tuple[Ignored, ...]


def parse(params: Mapping[str, Sequence[str]], *, clusters: Mapping[str, str],
          snapshots: pd.DataFrame) -> Parsed:
    """Read the filter parameters present in `params` (each a list of raw values).

    `clusters` maps every known cluster id to its name, in the filter's order; `snapshots` is
    the snapshot picker's list (`snapshots_by_time`: snapshot_id, snapshot_time). A parameter
    that is absent sets nothing; a value that cannot be used is reported in `ignored`.
    """
    updates: dict[str, object] = {}
    ignored: list[Ignored] = []
    if LANG in params and params[LANG]:
        raw = params[LANG][-1]
        lang = _LANG_NAMES.get(fold(raw))
        if lang:
            updates[WIDGET[LANG]] = lang
        else:
            ignored.append(Ignored(LANG, raw, "unknown"))
    if CLUSTERS in params:
        chosen, bad = _clusters(params[CLUSTERS], clusters)
        ignored += [Ignored(CLUSTERS, v, "unknown") for v in bad]
        if chosen is not None:
            updates[WIDGET[CLUSTERS]] = chosen
    if SNAPSHOT in params and params[SNAPSHOT]:
        version, why = _snapshot(params[SNAPSHOT][-1], snapshots)
        if why:
            ignored.append(Ignored(SNAPSHOT, params[SNAPSHOT][-1], why))
        else:
            updates[WIDGET[SNAPSHOT]] = version
    if AS_OF in params and params[AS_OF] and WIDGET[SNAPSHOT] not in updates:
        version, why = _as_of(params[AS_OF][-1], snapshots)
        if why:
            ignored.append(Ignored(AS_OF, params[AS_OF][-1], why))
        else:
            updates[WIDGET[AS_OF]] = version
    return Parsed(updates, tuple(ignored))


def _clusters(values: Sequence[str], clusters: Mapping[str, str]
              ) -> tuple[list[str] | None, list[str]]:
    """(selection in the filter's order or None when nothing usable was given, unknown values).

    The selection is the filter's value, where empty means every cluster: `clusters=` (empty)
    and a list naming every cluster both give `[]`."""
    parts = [p.strip() for v in values for p in str(v).split(",")]
    given = [p for p in parts if p]
    if not given:
        return ([], []) if parts else (None, [])
    by_spelling = {fold(cid): cid for cid in clusters}
    by_spelling.update({fold(name): cid for cid, name in clusters.items()
                        if fold(name) not in by_spelling})
    found, bad = set(), []
    for p in given:
        cid = by_spelling.get(fold(p))
        if cid is None:
            bad.append(p)
        else:
            found.add(cid)
    if not found:
        return None, bad
    if len(found) == len(clusters):
        return [], bad
    return [c for c in clusters if c in found], bad


def _snapshot(raw: str, snapshots: pd.DataFrame) -> tuple[int | None, str]:
    text = raw.strip()
    if fold(text) in ("", LATEST):
        return None, ""
    try:
        version = int(text)
    except ValueError:
        return None, "malformed"
    if version not in set(snapshots["snapshot_id"].astype(int)):
        return None, "unknown"
    return version, ""


def parse_date(raw: str) -> dt.date | None:
    """`2011-06-30` or `30/06/2011`; None when it is not a date."""
    text = raw.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def version_at(day: dt.date, snapshots: pd.DataFrame) -> int | None:
    """The newest data snapshot committed on `day` or before (UTC), None if there is none."""
    end = pd.Timestamp(day + dt.timedelta(days=1), tz="UTC")
    times = pd.to_datetime(snapshots["snapshot_time"], utc=True)
    before = snapshots.loc[times < end, "snapshot_id"]
    return None if before.empty else int(before.max())


def _as_of(raw: str, snapshots: pd.DataFrame) -> tuple[int | None, str]:
    if fold(raw) in ("", LATEST):
        return None, ""
    day = parse_date(raw)
    if day is None:
        return None, "malformed"
    version = version_at(day, snapshots)
    return (None, "too_early") if version is None else (version, "")


def to_params(*, lang: str, clusters: Sequence[str], all_clusters: Sequence[str],
              snapshot: int | None) -> dict[str, list[str]]:
    """The canonical URL parameters of a view: identifiers only, defaults left out.

    `clusters` is the filter's value: empty (none picked) and every cluster both mean the
    default, every cluster, and leave the parameter out."""
    out: dict[str, list[str]] = {}
    if lang != DEFAULT_LANG:
        out[LANG] = [lang]
    picked = set(clusters)
    chosen = [c for c in all_clusters if c in picked]
    if chosen and len(chosen) != len(all_clusters):
        out[CLUSTERS] = chosen
    if snapshot is not None:
        out[SNAPSHOT] = [str(int(snapshot))]
    return out


def _shown(value: str) -> str:
    """A URL value quoted as inline code: inert in Markdown, control characters and backticks
    removed, cut to 60 characters."""
    clean = "".join(ch for ch in value if ch.isprintable() and ch != "`")
    return "`" + (clean[:60] + "…" if len(clean) > 60 else clean or " ") + "`"


def describe_ignored(ignored: Sequence[Ignored], lang: str) -> str:
    """One Markdown sentence naming every ignored value and why, in `lang`."""
    items = [i18n.t(f"filters.link_{i.reason}", lang, item=_shown(f"{i.param}={i.value}"))
             for i in ignored]
    key = "filters.link_ignored" if len(items) == 1 else "filters.link_ignored_many"
    return i18n.t(key, lang, items="; ".join(items))
