"""French first, English one click away: UI strings and number/date formats (Babel)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_decimal, format_decimal, format_percent

LANGS = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}

STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("Envol", "Envol"),
    "app.tagline": ("Les programmes export des pôles de compétitivité",
                    "Competitiveness clusters' export programmes"),
    "nav.overview": ("Vue d'ensemble", "Overview"),
    "nav.sources": ("Sources et données", "Sources and data"),
    "filters.lang": ("Langue", "Language"),
    "filters.clusters": ("Pôles", "Clusters"),
    "filters.clusters_help": ("Les pôles affichés sur toutes les pages (aucun choisi : tous).",
                              "The clusters shown on every page (none picked: all of them)."),
    "filters.all_clusters": ("Tous les pôles ({n})", "All clusters ({n})"),
    "filters.as_of": ("Données à la date du", "Data as of"),
    "filters.latest": ("Dernière version", "Latest version"),
    "filters.as_of_help": ("Relire les données telles qu'elles étaient à un instantané passé.",
                           "Read the data as it was at an earlier snapshot."),
    "filters.snapshot": ("instantané n° {id} du {date}", "snapshot #{id} of {date}"),
    "filters.none": ("Choisissez au moins un pôle dans le panneau latéral.",
                     "Pick at least one cluster in the sidebar."),
    "overview.title": ("Vue d'ensemble", "Overview"),
    "overview.caption": ("Chiffres clés par pôle, {snapshot}.",
                         "Key figures per cluster, {snapshot}."),
    "overview.illustrative": (
        "Les données affichées comprennent {n} lignes illustratives (entreprises membres et "
        "villes des comptoirs générées pour que les totaux des articles tiennent exactement). "
        "Les chiffres agrégés sont ceux des sources ; le détail ligne à ligne ne l'est pas.",
        "The data shown includes {n} illustrative rows (member firms and comptoir cities "
        "generated so that the articles' totals hold exactly). Aggregate figures are the "
        "sources'; the row-level detail is not."),
    "overview.detail_capped": (
        "Les {n} pôles qui comptent le plus d'entreprises membres, sur les {total} "
        "sélectionnés, sont détaillés ci-dessous. Choisissez des pôles dans le panneau "
        "latéral pour en voir d'autres.",
        "The {n} clusters with the most member firms, of the {total} selected, are detailed "
        "below. Pick clusters in the sidebar to see others."),
    "overview.compare": ("Comparaison des pôles", "Clusters compared"),
    "overview.national": ("Programmes nationaux", "National programmes"),
    "overview.where_from": ("D'où viennent ces chiffres ?", "Where do these figures come from?"),
    "overview.not_reported": ("non communiqué", "not reported"),
    "overview.sources_line": ("Sources : {ids}", "Sources: {ids}"),
    "kpi.members": ("Entreprises membres", "Member firms"),
    "kpi.smes": ("dont PME", "of which SMEs"),
    "kpi.jobs": ("Emplois", "Jobs"),
    "kpi.comptoirs": ("Comptoirs opérationnels", "Comptoirs operational"),
    "kpi.comptoirs_of": ("sur {n}", "of {n}"),
    "kpi.firms_hosted": ("Entreprises hébergées", "Firms hosted"),
    "kpi.vie_in_post": ("VIE en poste", "VIE in post"),
    "kpi.vie_to_recruit": ("VIE à recruter", "VIE to recruit"),
    "kpi.portage_supported": ("PME accompagnées (portage)", "SMEs supported (portage)"),
    "kpi.labelled_projects": ("Projets labellisés", "Labelled projects"),
    "kpi.funded_projects": ("dont cofinancés", "of which co-funded"),
    "kpi.public_funding_eur": ("Montant des projets financés", "Funded projects' amount"),
    "national.survey": ("Export conjoint avec un grand groupe", "Joint export with a large group"),
    "national.survey_value": ("{n} sur {base} entreprises interrogées",
                              "{n} of {base} firms surveyed"),
    "national.portage": ("PME accompagnées par le Pacte PME en {year}",
                         "SMEs supported by Pacte PME in {year}"),
    "national.portage_goal": ("objectif {year} : {n}", "{year} goal: {n}"),
    "national.review": ("Durée moyenne d'instruction", "Mean review time"),
    "national.days": ("{n} jours", "{n} days"),
    "national.jobs_target": ("Objectif emplois {cluster}", "{cluster} job target"),
    "national.jobs_target_delta": ("en {years} ans ({start}–{end})",
                                   "in {years} years ({start}–{end})"),
    "national.budget": ("Budget d'ingénierie des comptoirs", "Comptoirs' engineering budget"),
    "sources.title": ("Sources et données", "Sources and data"),
    "sources.articles": ("Les sources", "The sources"),
    "sources.count": ("{n} sources", "{n} sources"),
    "sources.snapshots": ("Instantané affiché par table", "Snapshot shown per table"),
    "sources.dictionary": ("Dictionnaire des données", "Data dictionary"),
    "sources.dictionary_caption": (
        "Chaque table est un modèle CSV : en-têtes canoniques, ou les alias français indiqués "
        "(accents et casse ignorés). Séparateur « ; » ou « , », virgule décimale acceptée.",
        "Each table is a CSV template: canonical headers, or the French aliases listed (accents "
        "and case ignored). `;` or `,` separators, decimal comma accepted."),
    "sources.template": ("Modèle CSV : {table}", "CSV template: {table}"),
    "sources.table_rows": ("{n} lignes", "{n} rows"),
    "col.table": ("Table", "Table"),
    "col.column": ("Colonne", "Column"),
    "col.label": ("Libellé", "Label"),
    "col.type": ("Type", "Type"),
    "col.required": ("Obligatoire", "Required"),
    "col.allowed": ("Valeurs acceptées", "Accepted values"),
    "col.constraints": ("Contraintes", "Constraints"),
    "col.aliases": ("En-têtes acceptés (alias)", "Accepted headers (aliases)"),
    "col.description": ("Description", "Description"),
    "col.source_id": ("Source", "Source"),
    "col.title": ("Titre", "Title"),
    "col.outlet": ("Média", "Outlet"),
    "col.author": ("Auteur", "Author"),
    "col.published_on": ("Date", "Date"),
    "col.note": ("Note", "Note"),
    "col.snapshot": ("Instantané", "Snapshot"),
    "col.committed_at": ("Enregistré le", "Committed at"),
    "col.file": ("Fichier", "File"),
    "col.rows": ("Lignes", "Rows"),
    "col.cluster": ("Pôle", "Cluster"),
    "col.kpi": ("Indicateur", "Figure"),
    "col.value": ("Valeur", "Value"),
    "col.region": ("Région", "Region"),
    "src.article": ("{id} — « {title} », {outlet}{author}, {date}",
                    "{id} — “{title}”, {outlet}{author}, {date}"),
    "src.snapshot": ("table {table} : instantané n° {id} du {date} ({file}, par {author})",
                     "table {table}: snapshot #{id} of {date} ({file}, by {author})"),
    # strings: maps

    # strings: funnels

    # strings: scenario

    # strings: upload

    "common.yes": ("oui", "yes"),
    "common.no": ("non", "no"),
    "common.download_csv": ("Télécharger en CSV", "Download as CSV"),
}


def t(key: str, lang: str, **values: object) -> str:
    fr, en = STRINGS[key]
    text = fr if lang == "fr" else en
    return text.format(**values) if values else text


def translator(lang: str) -> Callable[..., str]:
    return lambda key, **values: t(key, lang, **values)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x) in ("<NA>", "NaT")


def number(x: float | int | None, lang: str, decimals: int = 0) -> str:
    """`1 234,5` in French, `1,234.5` in English; an en dash for a missing value."""
    if _missing(x):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(x, format=pattern, locale=LOCALES[lang])


def compact(x: float | int | None, lang: str) -> str:
    """`600 M` / `600M`, `120 k` style, for KPI cards."""
    if _missing(x):
        return "–"
    return format_compact_decimal(x, format_type="short", fraction_digits=1,
                                  locale=LOCALES[lang])


def money(x: float | int | None, lang: str, *, short: bool = False) -> str:
    """Euros after the number in both languages: `1 234 €` / `1,234 €`, or `600 M€` short."""
    if _missing(x):
        return "–"
    if short and abs(x) >= 10_000:
        return compact(x, lang).replace("\u00a0", "\u202f") + "\u202f€"
    return number(x, lang) + "\u202f€"


def percent(x: float | None, lang: str, decimals: int = 1) -> str:
    if _missing(x):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    text = format_percent(x, format=pattern, locale=LOCALES[lang])
    return text if lang == "fr" else text.replace("\u00a0%", "%")


def date(d: dt.date | dt.datetime | None, lang: str, *, approximate: bool = False) -> str:
    """`30/06/2011` in French, `2011-06-30` in English; `≈ 2011` when only inferred."""
    if _missing(d):
        return "–"
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if approximate:
        return f"≈\u202f{d.year}"
    return format_date(d, "dd/MM/yyyy" if lang == "fr" else "yyyy-MM-dd", locale=LOCALES[lang])


def timestamp(ts: dt.datetime | None, lang: str) -> str:
    """`24/11/2026 14:03` in French, `2026-11-24 14:03` in English (UTC)."""
    if _missing(ts):
        return "–"
    pattern = "dd/MM/yyyy HH:mm" if lang == "fr" else "yyyy-MM-dd HH:mm"
    return format_datetime(ts, pattern, tzinfo=dt.UTC, locale=LOCALES[lang]) + " UTC"


def snapshot_label(version: int, latest: bool, lang: str) -> str:
    text = t("filters.snapshot", lang, id=version, date="").removesuffix(" du ").removesuffix(
        " of ")
    return f"{t('filters.latest', lang).lower()} ({text})" if latest else text
