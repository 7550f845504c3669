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
    "filters.clusters_help": ("Les pôles affichés sur toutes les pages.",
                              "The clusters shown on every page."),
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
    "scenario.nav": ("Scénarios", "Scenarios"),
    "scenario.title": ("Simulateur de scénarios", "Scenario simulator"),
    "scenario.caption": (
        "Les comptoirs de Pégase : avec ce budget, atteint-on l'objectif d'emplois, quand, et que "
        "faudrait-il ? Valeurs par défaut tirées des objectifs, {snapshot}.",
        "Pégase's comptoirs: with this budget, is the job target reached, when, and what would "
        "it take? Defaults taken from the targets, {snapshot}."),
    "scenario.no_pegase": (
        "Pégase n'est pas parmi les pôles choisis : les valeurs par défaut sont celles de "
        "l'article S1, pas celles de la table des objectifs.",
        "Pégase is not among the selected clusters: the defaults are article S1's figures, not "
        "the targets table's."),
    "scenario.levers": ("Leviers", "Levers"),
    "scenario.group.target": ("Objectif", "Target"),
    "scenario.group.comptoirs": ("Comptoirs", "Comptoirs"),
    "scenario.group.jobs": ("Emplois créés", "Jobs created"),
    "scenario.group.costs": ("Coûts", "Costs"),
    "scenario.reset": ("Valeurs par défaut", "Reset to defaults"),
    "scenario.defaults_changed": (
        "Les objectifs ont changé (nouvel instantané) : les leviers que vous n'aviez pas modifiés "
        "prennent les nouvelles valeurs par défaut.",
        "The targets changed (new snapshot): the levers you had not changed take the new "
        "defaults."),
    "scenario.default_row": ("Défaut {value} · objectif {target} ({source}){how}",
                             "Default {value} · target {target} ({source}){how}"),
    "scenario.default_source": ("Défaut {value} · source {source} : {why}",
                                "Default {value} · source {source}: {why}"),
    "scenario.default_assumption": ("Défaut {value} · hypothèse : {why}",
                                    "Default {value} · assumption: {why}"),
    "scenario.how.budget_per_comptoir_eur": (", milieu de la fourchette ÷ {n} comptoirs",
                                             ", midpoint of the range ÷ {n} comptoirs"),
    "scenario.how.cost_reduction_factor": (", milieu de la fourchette", ", midpoint of the range"),
    "scenario.how.firms_per_comptoir": (", entreprises soutenues ÷ {n} comptoirs",
                                        ", firms supported ÷ {n} comptoirs"),
    "scenario.how.horizon_years": (", de l'année de début à l'année de fin",
                                   ", from its start year to its end year"),
    "scenario.years": ("{n} ans", "{n} years"),
    "scenario.year_one": ("{n} an", "{n} year"),
    "scenario.not_reached": ("non atteint", "not reached"),
    "scenario.invalid": ("Ces leviers ne forment pas un scénario valide :",
                         "These levers do not make a valid scenario:"),
    "scenario.fix": ("{lever} : revenir à {value}", "{lever}: back to {value}"),
    "scenario.invalid_hint": (
        "Aucun résultat n'est calculé tant qu'ils ne sont pas corrigés.",
        "No result is computed until they are fixed."),
    "scenario.kpi.jobs": ("Emplois cumulés en {year}", "Cumulative jobs by {year}"),
    "scenario.kpi.jobs_detail": ("objectif : {target}", "target: {target}"),
    "scenario.kpi.reached": ("Objectif atteint en", "Target reached in"),
    "scenario.kpi.reached_detail": ("année {n} sur {horizon}", "year {n} of {horizon}"),
    "scenario.kpi.gap": ("Manque à l'objectif en {year}", "Short of the target by {year}"),
    "scenario.kpi.gap_detail": ("{share} de l'objectif atteint", "{share} of the target reached"),
    "scenario.kpi.cost": ("Coût du programme", "Programme cost"),
    "scenario.kpi.cost_detail": ("{budget} × {n} comptoirs", "{budget} × {n} comptoirs"),
    "scenario.kpi.cost_per_job": ("Coût par emploi", "Cost per job"),
    "scenario.kpi.cost_per_firm": ("{cost} par entreprise", "{cost} per firm"),
    "scenario.kpi.no_job": ("aucun emploi créé", "no job created"),
    "scenario.kpi.alone": ("Coût sans le programme", "Cost without the programme"),
    "scenario.kpi.saving": ("économie : {saving}", "saving: {saving}"),
    "scenario.prov.targets": ("Valeurs par défaut de la table des objectifs : {ids}",
                              "Defaults from the targets table: {ids}"),
    "scenario.prov.assumption": ("Hypothèse : {lever} = {value} ({why})",
                                 "Assumption: {lever} = {value} ({why})"),
    "scenario.prov.chosen": ("Choisi sur cette page : {lever} = {value} (défaut {default})",
                             "Set on this page: {lever} = {value} (default {default})"),
    "scenario.prov.model": (
        "Modèle envol/scenario.py : emplois bruts, toutes les entreprises hébergées dès la "
        "première année, budget dépensé une fois.",
        "Model envol/scenario.py: gross jobs, every hosted firm from the first year, budget "
        "spent once."),
    "scenario.trajectory": ("Emplois cumulés et objectif", "Cumulative jobs and the target"),
    "scenario.series.jobs": ("Emplois cumulés", "Cumulative jobs"),
    "scenario.series.target": ("Objectif", "Target"),
    "scenario.series.path": ("Trajectoire linéaire vers l'objectif",
                             "Straight path to the target"),
    "scenario.axis.jobs": ("Emplois cumulés", "Cumulative jobs"),
    "scenario.axis.year": ("Année", "Year"),
    "scenario.note.reached": ("objectif atteint en {year}", "target reached in {year}"),
    "scenario.note.gap": ("manque {gap}", "short by {gap}"),
    "scenario.what_it_takes": ("Que faudrait-il ?", "What would it take?"),
    "scenario.solve_lever": ("Levier à ajuster, les autres restant fixes",
                             "Lever to adjust, the others fixed"),
    "scenario.solve_caption": (
        "Recherche dans la plage du levier ({low} à {high}) la valeur qui atteint {target} "
        "emplois d'ici {year}.",
        "Searches the lever's range ({low} to {high}) for the value reaching {target} jobs by "
        "{year}."),
    "scenario.solve_needed": ("Valeur nécessaire", "Value needed"),
    "scenario.solve_best": ("Meilleure valeur possible", "Best value in range"),
    "scenario.solve_now": ("actuellement {value}", "now {value}"),
    "scenario.solve_jobs": ("Emplois en {year} avec cette valeur",
                            "Jobs by {year} with this value"),
    "scenario.solve_apply": ("Appliquer {value}", "Apply {value}"),
    "scenario.sensitivity": ("Quel levier pèse le plus ?", "Which lever matters most?"),
    "scenario.sensitivity_caption": (
        "Emplois cumulés en {year} quand un levier baisse ou monte de {delta} (au moins d'un "
        "cran), les autres fixes. Le trait vertical : le scénario actuel, {jobs} emplois.",
        "Cumulative jobs by {year} when one lever goes down or up by {delta} (at least one "
        "step), the others fixed. The vertical line: the current scenario, {jobs} jobs."),
    "scenario.tornado.low": ("Levier baissé", "Lever lowered"),
    "scenario.tornado.high": ("Levier monté", "Lever raised"),
    "scenario.tornado.none": ("sans effet sur les emplois", "no effect on jobs"),
    "scenario.saved": ("Scénarios enregistrés", "Saved scenarios"),
    "scenario.saved_caption": (
        "Enregistrez jusqu'à trois scénarios pour les comparer. L'adresse de la page les "
        "contient : copiez-la pour les partager.",
        "Save up to three scenarios to compare them. The page's address holds them: copy it "
        "to share them."),
    "scenario.name": ("Nom du scénario", "Scenario name"),
    "scenario.name_placeholder": ("par ex. Plus d'entreprises par comptoir",
                                  "e.g. More firms per comptoir"),
    "scenario.save": ("Enregistrer", "Save"),
    "scenario.saved_ok": ("Scénario « {name} » enregistré.", "Scenario “{name}” saved."),
    "scenario.full": ("Trois scénarios au plus : supprimez-en un d'abord.",
                      "Three scenarios at most: delete one first."),
    "scenario.cannot_save": ("Corrigez les leviers avant d'enregistrer.",
                             "Fix the levers before saving."),
    "scenario.none_saved": ("Aucun scénario enregistré pour l'instant.",
                            "No scenario saved yet."),
    "scenario.load": ("Charger", "Load"),
    "scenario.delete": ("Supprimer", "Delete"),
    "scenario.url_ignored": ("Une partie du lien n'a pas pu être lue et a été ignorée :",
                             "Part of the link could not be read and was ignored:"),
    "scenario.compare": ("Comparaison", "Comparison"),
    "scenario.compare_caption": ("Traits pleins : emplois cumulés ; pointillés : objectif de "
                                 "chaque scénario.",
                                 "Solid lines: cumulative jobs; dotted: each scenario's target."),
    "scenario.col.item": ("Levier ou résultat", "Lever or result"),
    "scenario.download": ("Télécharger les scénarios (CSV)", "Download the scenarios (CSV)"),

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
