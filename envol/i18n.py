"""French first, English one click away: UI strings and number/date formats (Babel)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import lru_cache

from babel.dates import format_date, format_datetime
from babel.numbers import format_compact_decimal, format_decimal, format_percent

LANGS = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}

STRINGS: dict[str, tuple[str, str]] = {
    "app.tagline": ("Les programmes export des pôles de compétitivité",
                    "Competitiveness clusters' export programmes"),
    "app.error": ("Cette page n'a pas pu s'afficher : une erreur inattendue s'est produite. "
                  "Rechargez la page ; si cela se reproduit, donnez à votre administrateur la "
                  "référence **{ref}** (le détail est dans le journal du serveur).",
                  "This page could not be shown: an unexpected error occurred. Reload the page; "
                  "if it happens again, give your administrator the reference **{ref}** (the "
                  "details are in the server log)."),
    "nav.overview": ("Vue d'ensemble", "Overview"),
    "nav.sources": ("Sources et données", "Sources and data"),
    "nav.section_dashboards": ("Tableaux de bord", "Dashboards"),
    "nav.section_board": ("Conseil", "Board"),
    "nav.section_data": ("Données", "Data"),
    "filters.clusters": ("Pôles", "Clusters"),
    "filters.clusters_help": ("Les pôles affichés sur toutes les pages (aucun choisi : tous).",
                              "The clusters shown on every page (none picked: all of them)."),
    "filters.all_clusters": ("Tous les pôles ({n})", "All clusters ({n})"),
    "filters.as_of": ("Données à la date du", "Data as of"),
    "filters.latest": ("Dernière version", "Latest version"),
    "filters.as_of_help": ("Relire les données telles qu'elles étaient à un instantané passé.",
                           "Read the data as it was at an earlier snapshot."),
    "filters.snapshot": ("instantané n° {id} du {date}", "snapshot #{id} of {date}"),
    "filters.none": (
        "Aucun pôle dans les données : déposez la table des pôles (page « Déposer un fichier »).",
        "No cluster in the data: upload the clusters table (page “Upload a file”)."),
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
    "funnels.compare_capped": (
        "Les {n} groupes qui ont le plus changé, sur {total}, sont dessinés ; le tableau les "
        "donne tous.",
        "The {n} groups that changed most, of {total}, are drawn; the table gives them all."),
    "funnels.detail_capped": (
        "Les entonnoirs des {n} pôles qui comptent le plus de PME membres, sur les {total} "
        "sélectionnés, sont dessinés ; le tableau des conversions les donne tous.",
        "The funnels of the {n} clusters with the most member SMEs, of the {total} selected, "
        "are drawn; the conversions table gives them all."),
    "overview.national": ("Programmes nationaux", "National programmes"),
    "overview.where_from": ("D'où viennent ces chiffres ?", "Where do these figures come from?"),
    "overview.not_reported": ("non communiqué", "not reported"),
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
    "filters.link_ignored": (
        "Lien : valeur ignorée, la vue utilise les autres réglages — {items}.",
        "Link: value ignored, the view uses the other settings — {items}."),
    "filters.link_ignored_many": (
        "Lien : valeurs ignorées, la vue utilise les autres réglages — {items}.",
        "Link: values ignored, the view uses the other settings — {items}."),
    "filters.link_unknown": ("{item} inconnu", "{item} is unknown"),
    "filters.link_malformed": ("{item} illisible", "{item} cannot be read"),
    "filters.link_too_early": ("{item} antérieur au premier instantané",
                               "{item} is before the first snapshot"),
    "maps.nav": ("Cartes", "Maps"),
    "maps.title": ("Cartes : comptoirs et VIE", "Maps: comptoirs and VIE"),
    "maps.caption": ("Les comptoirs et les postes VIE des pôles choisis, {snapshot}.",
                     "The comptoirs and VIE postings of the selected clusters, {snapshot}."),
    "maps.comptoirs": ("Les comptoirs à l'étranger", "The comptoirs abroad"),
    "maps.comptoirs_caption": (
        "Couleur : statut du comptoir · taille du point : entreprises hébergées · étoile : "
        "siège du pôle en France. Survolez un point pour ses chiffres, cliquez-le pour son "
        "détail.",
        "Colour: the comptoir's status · marker size: firms hosted · star: the cluster's head "
        "office in France. Hover a marker for its figures, click it for its details."),
    "maps.illustrative": (
        "Villes et coordonnées des comptoirs illustratives : les sources ne nomment que les "
        "pays.",
        "The comptoirs' cities and coordinates are illustrative: the sources name only the "
        "countries."),
    "maps.no_comptoirs": ("Aucun comptoir pour les pôles choisis dans cet instantané.",
                          "No comptoir for the selected clusters in this snapshot."),
    "maps.h_status": ("Statut : {v}", "Status: {v}"),
    "maps.h_opened": ("Ouvert le {date}", "Opened on {date}"),
    "maps.h_planned": ("Ouverture prévue le {date}", "Opening planned for {date}"),
    "maps.h_no_date": ("Date d'ouverture non communiquée", "Opening date not reported"),
    "maps.h_hosted": ("Entreprises hébergées : {n} (capacité {cap}, minimum du GIE {min})",
                      "Firms hosted: {n} (capacity {cap}, GIE minimum {min})"),
    "maps.h_budget": ("Budget : {v}", "Budget: {v}"),
    "maps.h_principals": ("Donneurs d'ordres locaux : {v}", "Local principals: {v}"),
    "maps.h_jobs": ("Emplois locaux du secteur : {v}", "Local sector jobs: {v}"),
    "maps.h_cluster": ("Pôle : {cluster} · source : {ids}", "Cluster: {cluster} · source: {ids}"),
    "maps.h_count": ("{label} : {n}", "{label}: {n}"),
    "maps.h_illustrative": ("ville illustrative", "illustrative city"),
    "maps.home": ("Siège du pôle", "Cluster head office"),
    "maps.home_label": ("{cluster} ({city})", "{cluster} ({city})"),
    "maps.marker_label": ("{city} ({n})", "{city} ({n})"),
    "maps.comptoirs_caption_grouped": (
        "Un point par lieu : taille selon les entreprises hébergées, nombre de comptoirs écrit "
        "à côté · étoiles : sièges des pôles. Survolez un point pour ses comptoirs par statut, "
        "cliquez-le pour le détail de celui qui héberge le plus d'entreprises.",
        "One marker per place: size by firms hosted, number of comptoirs written next to it · "
        "stars: the clusters' head offices. Hover a marker for its comptoirs by status, click "
        "it for the details of the one hosting the most firms."),
    "maps.grouped_note": (
        "{n} comptoirs de {clusters} pôles : au-delà de {limit}, la carte les regroupe, un "
        "point par lieu ({places}), et ne trace pas les liens vers les sièges. Choisissez "
        "moins de pôles pour voir chaque comptoir ; la liste « Comptoir » les donne tous.",
        "{n} comptoirs of {clusters} clusters: beyond {limit}, the map groups them, one "
        "marker per place ({places}), and draws no link to the head offices. Pick fewer "
        "clusters to see each comptoir; the \"Comptoir\" list gives them all."),
    "maps.n_cities": ("{n} villes", "{n} cities"),
    "maps.n_countries": ("{n} pays", "{n} countries"),
    "maps.places_city": ("Comptoirs, par ville", "Comptoirs, by city"),
    "maps.places_country": ("Comptoirs, par pays", "Comptoirs, by country"),
    "maps.place_label": ("{place} ({n})", "{place} ({n})"),
    "maps.hp_comptoirs": ("{n} comptoir(s) de {clusters} pôle(s)",
                          "{n} comptoir(s) of {clusters} cluster(s)"),
    "maps.hp_hosted": ("Entreprises hébergées : {n}", "Firms hosted: {n}"),
    "maps.hp_click": ("Cliquez : le comptoir qui en héberge le plus, en détail",
                      "Click: the comptoir hosting the most, in detail"),
    "maps.homes": ("Sièges des pôles", "Cluster head offices"),
    "maps.h_homes": ("{city} : siège de {n} pôle(s)", "{city}: head office of {n} cluster(s)"),
    "maps.h_more": ("… et {n} autres", "… and {n} more"),
    "maps.more_sources": (
        "… et {n} autres sources ({total} en tout) : la page « Sources et données » les donne "
        "toutes.",
        "… and {n} more sources ({total} in all): the \"Sources and data\" page lists them "
        "all."),
    "maps.pick_label_cluster": ("{city}, {country} · {status} · {cluster}",
                                "{city}, {country} · {status} · {cluster}"),
    "maps.detail": ("Un comptoir en détail", "One comptoir in detail"),
    "maps.pick": ("Comptoir", "Comptoir"),
    "maps.pick_help": ("Choisissez un comptoir ici, ou cliquez sur son point sur la carte.",
                       "Pick a comptoir here, or click its marker on the map."),
    "maps.pick_label": ("{city}, {country} · {status}", "{city}, {country} · {status}"),
    "maps.k_hosted": ("Entreprises hébergées", "Firms hosted"),
    "maps.k_gie_min": ("minimum du GIE : {n}", "GIE minimum: {n}"),
    "maps.k_jobs": ("Emplois locaux du secteur", "Local sector jobs"),
    "maps.k_capacity": ("Capacité d'accueil : {v}", "Capacity: {v}"),
    "maps.firms": ("Entreprises du comptoir de {city}", "Firms at the {city} comptoir"),
    "maps.no_firms": ("Aucune entreprise rattachée à ce comptoir.",
                      "No firm is attached to this comptoir."),
    "maps.firms_illustrative": (
        "{n} sur {total} sont illustratives (générées pour que les totaux de la source "
        "tiennent).",
        "{n} of {total} are illustrative (generated so that the source's totals hold)."),
    "maps.detail_sources": ("Sources de ce comptoir", "This comptoir's sources"),
    "maps.col_firm": ("Entreprise", "Firm"),
    "maps.col_size": ("Taille", "Size"),
    "maps.col_stage": ("Étape", "Stage"),
    "maps.col_headcount": ("Effectif", "Staff"),
    "maps.col_revenue": ("Chiffre d'affaires", "Revenue"),
    "maps.col_export": ("CA export", "Export revenue"),
    "maps.col_illustrative": ("Illustrative", "Illustrative"),
    "maps.col_country": ("Pays", "Country"),
    "maps.col_city": ("Ville", "City"),
    "maps.col_host": ("Entreprise d'accueil", "Host company"),
    "maps.col_status": ("Statut", "Status"),
    "maps.col_start": ("Début", "Start"),
    "maps.col_end": ("Fin", "End"),
    "maps.col_firms_served": ("PME servies", "SMEs served"),
    "maps.vie": ("Les postes VIE par pays", "VIE postings by country"),
    "maps.vie_caption": (
        "Volontaires internationaux en entreprise des pôles choisis : pays teintés selon le "
        "nombre de postes ; les barres les séparent en poste, à recruter et terminés.",
        "Young professionals posted abroad (VIE) for the selected clusters: countries shaded "
        "by number of postings; the bars split them into in post, to recruit and completed."),
    "maps.vie_none": ("Aucun poste VIE pour les pôles choisis dans cet instantané.",
                      "No VIE posting for the selected clusters in this snapshot."),
    "maps.vie_postings": ("Postes", "Postings"),
    "maps.vie_total": ("{n} poste(s)", "{n} posting(s)"),
    "maps.vie_timeline": ("Calendrier des missions", "Mission timeline"),
    "maps.vie_no_dates": (
        "Aucune date de début dans cet instantané : le calendrier des missions ne peut pas "
        "être tracé. Ajoutez les dates (colonnes start_on, end_on) au tableau des postes VIE.",
        "No start dates in this snapshot: the mission timeline cannot be drawn. Add the dates "
        "(columns start_on, end_on) to the VIE postings table."),
    "maps.vie_undated": ("{n} poste(s) sans date de début ne figurent pas sur le calendrier.",
                         "{n} posting(s) without a start date are not on the timeline."),
    "maps.vie_table": ("Les postes un par un", "The postings one by one"),
    "maps.vie_timeline_capped": (
        "Les {n} postes commencés le plus récemment, sur {total} datés, figurent sur le "
        "calendrier ; le tableau ci-dessous les donne tous.",
        "The {n} postings that started most recently, of {total} dated, are on the timeline; "
        "the table below gives them all."),

    "maps.vie_page": ("Page (sur {pages})", "Page (of {pages})"),
    "maps.vie_rows": ("Postes {first} à {last} sur {total}, par date de début.",
                      "Postings {first} to {last} of {total}, by start date."),

    "funnels.nav": ("Entonnoirs", "Funnels"),
    "funnels.title": ("Entonnoirs : de l'intérêt à l'export",
                      "Funnels: from interest to exporting"),
    "funnels.caption": (
        "Combien d'entreprises passent de l'intérêt à l'export, et où décrochent-elles ? Chaque "
        "barre donne son effectif sur celui de l'étape précédente (taux de passage) ; {snapshot}.",
        "How many firms get from interest to exporting, and where do they drop out? Each bar "
        "shows its count over the previous stage's (conversion); {snapshot}."),
    "funnels.no_data": ("Aucune donnée dans la table « {table} » à cet instantané.",
                        "No data in table “{table}” at this snapshot."),
    "funnels.checks_ok": ("Contrôles de cohérence : aucun problème dans ces données.",
                          "Consistency checks: no problem in this data."),
    "funnels.stage.asked": ("Entreprises interrogées", "Firms asked"),
    "funnels.stage.member_smes": ("PME membres (TPE + PME)", "Member SMEs (micro + SME)"),
    "funnels.survey": ("Enquête auprès des entreprises", "Firm survey"),
    "funnels.survey_pick": ("Enquête et question", "Survey and question"),
    "funnels.survey_of": ("{name} ({year})", "{name} ({year})"),
    "funnels.survey_answer": ("Réponse « {answer} »", "Answer “{answer}”"),
    "funnels.ci": ("IC 95 % : {low} – {high}", "95% CI: {low} – {high}"),
    "funnels.survey_note": (
        "Intervalle de confiance à 95 % (Wilson) : la fourchette où se trouverait "
        "vraisemblablement la part si l'on interrogeait d'autres entreprises du même profil. "
        "Les réponses sont citées telles qu'elles figurent dans l'enquête :",
        "95% confidence interval (Wilson): the range the share would likely fall in if other "
        "firms of the same profile were asked. The answers are quoted as the survey gives them:"),
    "funnels.comptoir": ("Programme comptoirs : des PME membres à l'export",
                         "Comptoir programme: from member SMEs to exporting"),
    "funnels.comptoir_caption": (
        "Étape = la plus avancée atteinte : une entreprise hébergée a aussi été candidate puis "
        "sélectionnée. Base : les PME membres du pôle (TPE et PME).",
        "Stage = the furthest reached: a hosted firm was also a candidate, then selected. "
        "Base: the cluster's member SMEs (micro firms and SMEs)."),
    "funnels.no_members": ("Sans entreprise membre dans les données : {clusters}.",
                           "No member firm in the data: {clusters}."),
    "funnels.years_capped": (
        "Les {n} dernières années sur {total} sont dessinées ; le tableau dessous donne "
        "toutes les années.",
        "The latest {n} of {total} years are drawn; the table below gives every year."),
    "funnels.per_comptoir": ("Par comptoir", "Per comptoir"),
    "funnels.conversions": ("Taux de passage par étape", "Conversion per stage"),
    "funnels.portage": ("Portage (Pacte PME) : des demandes aux PME accompagnées",
                        "Portage (Pacte PME): from requests to SMEs supported"),
    "funnels.portage_caption": (
        "Programme national, tous pôles. Une demande doit être parrainée par la CCI de "
        "l'entreprise ou par les conseillers du commerce extérieur (CCE), puis instruite ; "
        "étape = la plus avancée atteinte.",
        "National programme, all clusters. A request must be endorsed by the firm's CCI or by "
        "the foreign-trade advisers (CCE), then reviewed; stage = the furthest reached."),
    "funnels.supported": ("PME accompagnées en {year}", "SMEs supported in {year}"),
    "funnels.goal": ("Objectif {year} : {goal} PME accompagnées",
                     "{year} goal: {goal} SMEs supported"),
    "funnels.goal_share": ("Part de l'objectif {year} atteinte", "Share of the {year} goal"),
    "funnels.goal_progress": ("{n} / {goal} (chiffre {year})", "{n} / {goal} ({year} figure)"),
    "funnels.review_mean": ("Durée moyenne d'instruction {year}", "Mean review time {year}"),
    "funnels.benchmark": ("repère des sources : {n} jours (S5)",
                          "sources' benchmark: {n} days (S5)"),
    "funnels.within": ("Instruites en {days} jours au plus ({year})",
                       "Reviewed within {days} days ({year})"),
    "funnels.median": ("médiane : {n} jours", "median: {n} days"),
    "funnels.review": ("Durée d'instruction et repère d'un mois",
                       "Review time vs the one-month benchmark"),
    "funnels.benchmark_line": ("repère : 1 mois", "benchmark: 1 month"),
    "funnels.axis.days": ("Durée d'instruction (jours)", "Review time (days)"),
    "funnels.axis.requests": ("Demandes", "Requests"),
    "funnels.compare": ("Comparer deux instantanés", "Compare two snapshots"),
    "funnels.compare_caption": (
        "Le même entonnoir lu à deux instantanés du lac de données, côte à côte, avec les écarts.",
        "The same funnel read at two snapshots of the data lake, side by side, with the deltas."),
    "funnels.compare_what": ("Entonnoir", "Funnel"),
    "funnels.compare_before": ("Avant : instantané", "Before: snapshot"),
    "funnels.compare_after": ("Après : instantané", "After: snapshot"),
    "funnels.compare_one": (
        "La table « {table} » n'a qu'un instantané (n° {id}, {file}) : rien à comparer tant "
        "qu'un nouveau fichier n'a pas été déposé. Les deux listes permettent de relire "
        "n'importe quel instantané.",
        "Table “{table}” has a single snapshot (#{id}, {file}): nothing to compare until a new "
        "file is uploaded. Both lists can read any snapshot."),
    "funnels.compare_same": ("Choisissez deux instantanés différents pour voir les écarts.",
                             "Pick two different snapshots to see the deltas."),
    "funnels.compare_none": ("Aucun écart entre ces deux instantanés pour cet entonnoir.",
                             "No difference between these two snapshots for this funnel."),
    "funnels.snapshot_option": ("n° {id} · {table} · {date}", "#{id} · {table} · {date}"),
    "funnels.kind.comptoir": ("Programme comptoirs", "Comptoir programme"),
    "funnels.kind.portage": ("Portage (Pacte PME)", "Portage (Pacte PME)"),
    "funnels.kind.survey": ("Enquête", "Survey"),
    "funnels.col.group": ("Groupe", "Group"),
    "funnels.col.stage": ("Étape", "Stage"),
    "funnels.col.n": ("Effectif", "Count"),
    "funnels.col.previous": ("Sur l'étape précédente", "Of the previous stage"),
    "funnels.col.conversion": ("Taux de passage", "Conversion"),
    "funnels.col.share_of_base": ("Part de la base", "Share of base"),
    "funnels.col.answer": ("Réponse", "Answer"),
    "funnels.col.firms": ("Entreprises", "Firms"),
    "funnels.col.asked": ("Interrogées", "Asked"),
    "funnels.col.share": ("Part", "Share"),
    "funnels.col.ci": ("IC 95 % (Wilson)", "95% CI (Wilson)"),
    "funnels.col.comptoir": ("Comptoir", "Comptoir"),
    "funnels.col.status": ("Statut", "Status"),
    "funnels.col.min_members": ("GIE : minimum", "GIE minimum"),
    "funnels.col.year": ("Année", "Year"),
    "funnels.col.before": ("Avant (n° {id})", "Before (#{id})"),
    "funnels.col.after": ("Après (n° {id})", "After (#{id})"),
    "funnels.col.delta": ("Écart", "Delta"),
    "funnels.rows": ("Lignes : {ids}.", "Rows: {ids}."),
    "funnels.rows_more": ("{ids} et {more} autres", "{ids} and {more} more"),
    "funnels.problem_kind.inversion": ("étape plus grande que la précédente",
                                       "stage larger than the previous one"),
    "funnels.problem_kind.stage_not_sme": ("entreprises du programme qui ne sont pas des PME",
                                           "firms in the programme that are not SMEs"),
    "funnels.problem_kind.stage_without_comptoir": ("étape comptoir sans comptoir",
                                                    "comptoir stage without a comptoir"),
    "funnels.problem_kind.comptoir_without_stage": ("comptoir sans étape",
                                                    "comptoir without a stage"),
    "funnels.problem_kind.unknown_comptoir": ("comptoir absent de la table des comptoirs",
                                              "comptoir missing from the comptoirs table"),
    "funnels.problem_kind.comptoir_of_other_cluster": ("comptoir d'un autre pôle",
                                                       "another cluster's comptoir"),
    "funnels.problem_kind.respondents_over_base": (
        "réponse donnée par plus d'entreprises que d'interrogées",
        "answer given by more firms than were asked"),
    "funnels.problem_kind.answers_over_base": ("réponses totalisant plus que la base",
                                               "answers adding up to more than the base"),
    "funnels.problem_kind.base_differs": ("réponses sans base commune",
                                          "answers not sharing one base"),
    "funnels.problem_kind.review_before_reviewed": (
        "durée d'instruction sans instruction", "review time without a review"),
    "funnels.checks_summary": (
        "Contrôles de cohérence : {n} problèmes de données — {kinds}. Les {shown} qui "
        "concernent le plus de lignes sont détaillés ci-dessous ; le fichier CSV donne toutes "
        "les lignes.",
        "Consistency checks: {n} data problems — {kinds}. The {shown} with the most rows are "
        "detailed below; the CSV file gives every row."),
    "funnels.checks_kind": ("{kind} : {n} ({rows} lignes)", "{kind}: {n} ({rows} rows)"),
    "funnels.checks_kind_no_rows": ("{kind} : {n}", "{kind}: {n}"),
    "funnels.checks_download": ("Télécharger les {n} lignes en problème (CSV)",
                                "Download the {n} problem rows (CSV)"),
    "funnels.csv.problem": ("probleme", "problem"),
    "funnels.csv.group_id": ("groupe_id", "group_id"),
    "funnels.csv.group": ("groupe", "group"),
    "funnels.csv.row_id": ("ligne_id", "row_id"),
    "funnels.csv.stage": ("etape", "stage"),
    "funnels.csv.value": ("valeur", "value"),
    "funnels.csv.n": ("effectif", "n"),
    "funnels.csv.base": ("base", "base"),
    "funnels.problem.inversion": (
        "Problème de données — {group} : l'étape « {stage} » ({n}) dépasse l'étape précédente "
        "« {previous} » ({previous_n}).",
        "Data problem — {group}: stage “{stage}” ({n}) is larger than the previous stage "
        "“{previous}” ({previous_n})."),
    "funnels.problem.stage_not_sme": (
        "Problème de données — {group} : {count} entreprise(s) du programme ne sont pas des PME "
        "(ni TPE ni PME) ; elles comptent dans les étapes mais pas dans la base des PME membres.",
        "Data problem — {group}: {count} firm(s) in the programme are not SMEs (neither micro "
        "nor SME); they count in the stages but not in the member-SME base."),
    "funnels.problem.stage_without_comptoir": (
        "Problème de données — {group} : {count} entreprise(s) ont une étape comptoir mais aucun "
        "comptoir ; elles comptent pour le pôle mais pour aucun comptoir.",
        "Data problem — {group}: {count} firm(s) have a comptoir stage but no comptoir; they "
        "count for the cluster but for no comptoir."),
    "funnels.problem.comptoir_without_stage": (
        "Problème de données — {group} : {count} entreprise(s) ont un comptoir mais pas d'étape "
        "(obligatoire) ; elles ne comptent dans aucune étape.",
        "Data problem — {group}: {count} firm(s) have a comptoir but no stage (required); they "
        "count in no stage."),
    "funnels.problem.unknown_comptoir": (
        "Problème de données — {group} : {count} entreprise(s) renvoient à un comptoir absent "
        "de la table des comptoirs.",
        "Data problem — {group}: {count} firm(s) refer to a comptoir missing from the comptoirs "
        "table."),
    "funnels.problem.comptoir_of_other_cluster": (
        "Problème de données — {group} : {count} entreprise(s) sont rattachées au comptoir d'un "
        "autre pôle.",
        "Data problem — {group}: {count} firm(s) are attached to another cluster's comptoir."),
    "funnels.problem.respondents_over_base": (
        "Problème de données — {group} : {count} réponse(s) données par plus d'entreprises que "
        "d'entreprises interrogées.",
        "Data problem — {group}: {count} answer(s) given by more firms than were asked."),
    "funnels.problem.answers_over_base": (
        "Problème de données — {group} : les réponses totalisent {n} pour {base} entreprises "
        "interrogées (possible seulement si plusieurs réponses étaient permises).",
        "Data problem — {group}: the answers add up to {n} for {base} firms asked (possible "
        "only if several answers were allowed)."),
    "funnels.problem.base_differs": (
        "Problème de données — {group} : les réponses n'ont pas toutes la même base ; la plus "
        "grande ({base}) sert de dénominateur.",
        "Data problem — {group}: the answers do not share one base; the largest ({base}) is "
        "used as the denominator."),
    "funnels.problem.review_before_reviewed": (
        "Problème de données — {group} : {count} demande(s) ont une durée d'instruction sans "
        "avoir atteint l'étape « instruit ».",
        "Data problem — {group}: {count} request(s) have a review time but never reached the "
        "“reviewed” stage."),

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

    "nav.upload": ("Déposer un fichier", "Upload a file"),
    "nav.history": ("Historique des données", "Data history"),
    "upload.title": ("Déposer un fichier", "Upload a file"),
    "upload.intro": (
        "Déposez un CSV exporté d'Excel (point-virgule, virgule décimale, dates jj/mm/aaaa et "
        "en-têtes français acceptés). Rien n'est enregistré avant votre validation, et jamais "
        "tant qu'un problème subsiste.",
        "Drop a CSV exported from Excel (semicolons, decimal commas, dd/mm/yyyy dates and "
        "French headers accepted). Nothing is saved before you confirm, and never while a "
        "problem remains."),
    "upload.table": ("Table", "Table"),
    "upload.table_auto": ("Reconnaître d'après l'en-tête", "Recognise from the header"),
    "upload.file": ("Fichier CSV", "CSV file"),
    "upload.file_help": ("Au plus {mb} Mo et {rows} lignes.", "At most {mb} MB and {rows} rows."),
    "upload.detected": ("Ce qu'Envol a détecté (corrigez si besoin)",
                        "What Envol detected (correct it if needed)"),
    "upload.encoding": ("Encodage", "Encoding"),
    "upload.separator": ("Séparateur", "Separator"),
    "upload.decimal": ("Marque décimale", "Decimal mark"),
    "upload.thousands": ("Séparateur de milliers", "Thousands separator"),
    "upload.date_format": ("Format des dates", "Date format"),
    "upload.skip_lines": ("Lignes de titre avant l'en-tête", "Title lines before the header"),
    "upload.mapping": ("Correspondance des colonnes", "Column mapping"),
    "upload.mapping_help": (
        "Chaque colonne du fichier et la colonne d'Envol qu'elle représente. Une colonne "
        "inconnue doit être associée ou ignorée explicitement.",
        "Each file column and the Envol column it holds. An unknown column must be mapped or "
        "explicitly ignored."),
    "upload.ignore": ("(ignorer cette colonne)", "(ignore this column)"),
    "upload.unknown": ("(inconnue : à choisir)", "(unknown: choose)"),
    "upload.encoding.utf_8": ("UTF-8", "UTF-8"),
    "upload.encoding.utf_8_sig": ("UTF-8 avec BOM (Excel « CSV UTF-8 »)",
                                  "UTF-8 with BOM (Excel \"CSV UTF-8\")"),
    "upload.encoding.cp1252": ("Windows-1252 (Excel « CSV point-virgule »)",
                               "Windows-1252 (Excel \"CSV\")"),
    "upload.encoding.utf_16": ("UTF-16 (Excel « Texte Unicode »)",
                               "UTF-16 (Excel \"Unicode text\")"),
    "upload.sep.semicolon": ("point-virgule ;", "semicolon ;"),
    "upload.sep.comma": ("virgule ,", "comma ,"),
    "upload.sep.tab": ("tabulation", "tab"),
    "upload.sep.pipe": ("barre verticale |", "pipe |"),
    "upload.dec.comma": ("virgule (1 234,5)", "comma (1 234,5)"),
    "upload.dec.point": ("point (1234.5)", "point (1234.5)"),
    "upload.thou.none": ("espaces seulement", "spaces only"),
    "upload.thou.point": ("point (1.234,5)", "point (1.234,5)"),
    "upload.thou.comma": ("virgule (1,234.5)", "comma (1,234.5)"),
    "upload.mode": ("Mode", "Mode"),
    "upload.mode.replace": ("Remplacer la table", "Replace the table"),
    "upload.mode.append": ("Ajouter des lignes", "Append rows"),
    "upload.check": ("Vérifier le fichier", "Check the file"),
    "upload.progress.reading": ("Lecture du fichier…", "Reading the file…"),
    "upload.progress.validating": ("Vérification des valeurs…", "Checking the values…"),
    "upload.progress.preview": ("Calcul de l'aperçu…", "Computing the preview…"),
    "upload.progress.committing": ("Enregistrement…", "Saving…"),
    "upload.progress.done": ("Fichier lu et vérifié en {s} s", "File read and checked in {s} s"),
    "upload.not_text": ("Ce fichier ne peut pas être déposé.", "This file cannot be uploaded."),
    "upload.problems_title": ("{n} problème(s) à corriger : rien ne sera enregistré",
                              "{n} problem(s) to fix: nothing will be saved"),
    "upload.problems_shown": ("{shown} premiers problèmes sur {n}.",
                              "First {shown} problems of {n}."),
    "upload.problems_download": ("Télécharger la liste des problèmes (CSV)",
                                 "Download the list of problems (CSV)"),
    "upload.ok": ("Lignes lues : {n}, aucun problème.", "Rows read: {n}, no problem."),
    "upload.absent": ("Colonnes facultatives absentes du fichier (laissées vides) : {cols}",
                      "Optional columns missing from the file (left empty): {cols}"),
    "upload.blank_rows": ("{n} ligne(s) vide(s) ignorée(s).", "{n} blank row(s) skipped."),
    "upload.rows_title": ("Lignes lues", "Rows read"),
    "upload.diff_title": (
        "Différence avec la version actuelle", "Difference with the current version"),
    "upload.diff.added": ("Ajoutées", "Added"),
    "upload.diff.removed": ("Retirées", "Removed"),
    "upload.diff.changed": ("Modifiées", "Changed"),
    "upload.diff.unchanged": ("Inchangées", "Unchanged"),
    "upload.diff.none": ("Aucune différence avec la version actuelle.",
                         "No difference with the current version."),
    "upload.kpis_title": (
        "Effet sur les chiffres clés par pôle", "Effect on the key figures per cluster"),
    "upload.kpis_none": ("Les chiffres clés par pôle ne changent pas.",
                         "The key figures per cluster do not change."),
    "upload.kpis_na": ("Cette table n'entre pas dans les chiffres clés par pôle.",
                       "This table does not feed the key figures per cluster."),
    "upload.commit_title": ("Enregistrer", "Save"),
    "upload.author": ("Votre nom ou e-mail", "Your name or e-mail"),
    "upload.note": ("Note (ce qui change et pourquoi)", "Note (what changes and why)"),
    "upload.same_file": (
        "Ce même fichier (même empreinte SHA-256) a déjà été enregistré dans cette table "
        "(instantané n° {id} du {date}, par {author}).",
        "This very file (same SHA-256) was already saved to this table (snapshot #{id} of "
        "{date}, by {author})."),
    "upload.same_file_confirm": ("Enregistrer quand même une nouvelle version",
                                 "Save a new version anyway"),
    "upload.commit": ("Enregistrer comme nouvelle version", "Save as a new version"),
    "upload.need_author": ("Indiquez votre nom ou e-mail pour enregistrer.",
                           "Give your name or e-mail to save."),
    "upload.committed": ("Enregistré : table {table}, instantané n° {id} ({n} lignes). "
                         "Toutes les pages affichent maintenant cette version.",
                         "Saved: table {table}, snapshot #{id} ({n} rows). Every page now "
                         "shows this version."),
    "upload.stale": ("Quelqu'un vient de modifier cette table : relisez son nouvel état et "
                     "réessayez.",
                     "Someone else just changed this table: review the new state and retry."),
    "upload.closest": ("Colonnes reconnues : {tables}.", "Columns recognised: {tables}."),
    "upload.nothing_maps": ("Aucune de ses colonnes ({headers}) n'est une colonne d'Envol.",
                            "None of its columns ({headers}) is an Envol column."),
    "upload.binary.xlsx": ("c'est un classeur Excel (.xlsx) : enregistrez-le au format « CSV "
                           "(séparateur : point-virgule) » ou « CSV UTF-8 »",
                           "it is an Excel workbook (.xlsx): save it as \"CSV (semicolon "
                           "separated)\" or \"CSV UTF-8\""),
    "upload.binary.xls": ("c'est un ancien classeur Excel (.xls) : enregistrez-le au format CSV",
                          "it is an old Excel workbook (.xls): save it as CSV"),
    "upload.binary.pdf": ("c'est un document PDF", "it is a PDF document"),
    "upload.binary.binary": ("c'est un fichier binaire", "it is a binary file"),
    "upload.rule.too_large": ("Fichier trop volumineux : {size} Mo (maximum {max} Mo).",
                              "File too large: {size} MB (at most {max} MB)."),
    "upload.rule.too_many_rows": ("Trop de lignes : {n} (maximum {max}).",
                                  "Too many rows: {n} (at most {max})."),
    "upload.rule.empty": ("Le fichier est vide.", "The file is empty."),
    "upload.rule.header_only": ("Le fichier n'a qu'une ligne d'en-tête, aucune donnée.",
                                "The file has a header line and no data."),
    "upload.rule.binary": (
        "Ce n'est pas un fichier CSV : {what}.", "This is not a CSV file: {what}."),
    "upload.rule.encoding": ("Octet {value} illisible en {encoding} : choisissez un autre "
                             "encodage.",
                             "Byte {value} cannot be read as {encoding}: choose another "
                             "encoding."),
    "upload.rule.not_a_table": ("Ce fichier n'est pas une des tables d'Envol. {detail}",
                                "This file is not one of Envol's tables. {detail}"),
    "upload.rule.wrong_table": ("Ce fichier ressemble à la table « {other} », pas à « {table} ».",
                                "This file looks like the table \"{other}\", not \"{table}\"."),
    "upload.rule.missing_column": ("Colonne obligatoire absente : {column} ({label}).",
                                   "Required column missing: {column} ({label})."),
    "upload.rule.unknown_column": ("Colonne inconnue de la table « {table} » : associez-la à une "
                                   "colonne ou ignorez-la.",
                                   "Column unknown to the table \"{table}\": map it to a column "
                                   "or ignore it."),
    "upload.rule.duplicate_column": ("Plusieurs colonnes du fichier représentent {canonical} : "
                                     "{columns}. Gardez-en une.",
                                     "Several file columns hold {canonical}: {columns}. Keep "
                                     "one."),
    "upload.rule.fields": ("La ligne a {found} champ(s) au lieu de {expected}.",
                           "The line has {found} field(s) instead of {expected}."),
    "upload.rule.quote": ("Guillemet ouvert jamais refermé : la suite du fichier est lue comme "
                          "une seule cellule.",
                          "A quote is opened and never closed: the rest of the file reads as "
                          "one cell."),
    "upload.rule.required": ("Valeur obligatoire manquante.", "Required value missing."),
    "upload.rule.number": (
        "« {value} » n'est pas un nombre lisible (marque décimale « {decimal} »).",
                           "\"{value}\" is not a readable number (decimal mark \"{decimal}\")."),
    "upload.rule.int": ("« {value} » n'est pas un nombre entier lisible (marque décimale "
                        "« {decimal} »).",
                        "\"{value}\" is not a readable whole number (decimal mark "
                        "\"{decimal}\")."),
    "upload.rule.date": ("« {value} » n'est pas une date lisible.",
                         "\"{value}\" is not a readable date."),
    "upload.rule.date_range": ("Date invraisemblable : {value} (avant 1900 ou après 2100).",
                               "Implausible date: {value} (before 1900 or after 2100)."),
    "upload.rule.bool": ("« {value} » n'est pas oui ou non.", "\"{value}\" is not yes or no."),
    "upload.rule.enum": ("« {value} » n'est pas une valeur permise.",
                         "\"{value}\" is not an allowed value."),
    "upload.rule.country": ("Pays inconnu : « {value} ».", "Unknown country: \"{value}\"."),
    "upload.rule.minimum": ("{value} est inférieur au minimum {minimum}.",
                            "{value} is below the minimum {minimum}."),
    "upload.rule.unique": ("Clé en double : {value} figure déjà ligne {first}.",
                           "Duplicate key: {value} is already on line {first}."),
    "upload.rule.exists": ("La clé {value} existe déjà dans la table : en ajout, une clé ne "
                           "peut pas être reprise.",
                           "The key {value} is already in the table: an append cannot repeat "
                           "a key."),
    "upload.rule.reference": ("« {value} » est absent de la table {ref} actuelle.",
                              "\"{value}\" is not in the current {ref} table."),
    "upload.rule.not_greater": ("{left} ({value}) dépasse {right} ({other}).",
                                "{left} ({value}) exceeds {right} ({other})."),
    "upload.rule.required_when": ("{column} est obligatoire quand {when} est renseigné "
                                  "({other}).",
                                  "{column} is required when {when} is set ({other})."),
    "upload.rule.still_referenced": ("« {value} » disparaît avec ce fichier mais {n} ligne(s) "
                                     "de {table} y font encore référence.",
                                     "\"{value}\" goes away with this file but {n} row(s) of "
                                     "{table} still refer to it."),
    "upload.rule.scope": ("Ligne d'un pôle hors de vos droits : « {value} » (vous ne pouvez "
                          "enregistrer que les lignes de vos pôles).",
                          "Row of a cluster outside your rights: \"{value}\" (you may only "
                          "save rows of your clusters)."),
    "upload.accepted.scope": ("un de vos pôles", "one of your clusters"),
    "upload.rule.scope_exists": ("La clé {value} appartient déjà à une ligne d'un autre pôle, que "
                                 "ce remplacement garde.",
                                 "The key {value} already belongs to a row of another cluster, "
                                 "which this replace keeps."),
    "upload.accepted.scope_exists": ("une clé qui n'est pas celle d'un autre pôle",
                                     "a key no other cluster uses"),
    "upload.rule.scope_table": ("Vous ne pouvez pas modifier la table {value} : elle ne "
                                "relève d'aucun pôle (administrateur seulement), ou votre rôle "
                                "ne permet pas d'enregistrer.",
                                "You may not change the table {value}: it belongs to no "
                                "cluster (administrators only), or your role does not save "
                                "data."),
    "upload.rule.scope_column": ("Le fichier n'a pas de colonne {canonical} : Envol ne peut pas "
                                 "vérifier que ses lignes sont celles de vos pôles.",
                                 "The file has no {canonical} column: Envol cannot check that "
                                 "its rows are those of your clusters."),
    "access.author_is": ("Enregistré au nom de {who} (votre identité de connexion).",
                         "Saved as {who} (your login identity)."),
    "access.local": ("Mode local", "Local mode"),
    "access.local_help": (
        "Aucune connexion n'est configurée (pas de section [auth] dans les secrets) : un seul "
        "utilisateur, sur ce poste, qui peut tout voir et tout modifier.",
        "No login is configured (no [auth] section in the secrets): one user, on this "
        "machine, who may see and change everything."),
    "access.login_title": ("Envol", "Envol"),
    "access.login_intro": (
        "Les programmes export des pôles de compétitivité. Connectez-vous pour voir les "
        "données de vos pôles.",
        "The export programmes of the competitiveness clusters. Log in to see your clusters' "
        "data."),
    "access.login": ("Se connecter · Log in", "Se connecter · Log in"),
    "access.logout": ("Se déconnecter", "Log out"),
    "access.who": ("{who} · {role}", "{who} · {role}"),
    "access.clusters_all": ("tous les pôles", "every cluster"),
    "access.role.viewer": ("lecteur (chiffres agrégés)", "viewer (aggregates)"),
    "access.role.director": ("directeur (détail de ses pôles)",
                             "director (detail of their clusters)"),
    "access.role.analyst": ("analyste (met à jour ses pôles)", "analyst (updates their clusters)"),
    "access.role.admin": ("administrateur", "administrator"),
    "access.unknown_title": ("Accès non configuré", "No access configured"),
    "access.unknown": (
        "Vous êtes connecté comme **{who}**, mais Envol ne vous attribue aucun rôle. "
        "Demandez à votre administrateur de vous ajouter au fichier d'accès.",
        "You are logged in as **{who}**, but Envol gives you no role. Ask your administrator "
        "to add you to the access file."),
    "access.bad_title": ("Fichier d'accès inutilisable : personne n'a accès",
                         "The access file cannot be used: nobody has access"),
    "access.bad": ("{path}, {where} : {problem}", "{path}, {where}: {problem}"),
    "access.bad.missing": ("le fichier n'existe pas. Créez-le à partir de "
                           ".streamlit/access.example.toml, ou indiquez son chemin dans "
                           "ENVOL_ACCESS_FILE.",
                           "the file does not exist. Create it from "
                           ".streamlit/access.example.toml, or give its path in "
                           "ENVOL_ACCESS_FILE."),
    "access.bad.unreadable": ("le fichier ne peut pas être lu ({value}) ; attendu : du texte "
                              "UTF-8.", "the file cannot be read ({value}); expected: UTF-8 "
                              "text."),
    "access.bad.syntax": ("ce n'est pas du TOML valide ({value}) à la ligne:colonne indiquée.",
                          "this is not valid TOML ({value}) at the line:column shown."),
    "access.bad.unknown_key": ("clé inconnue ; acceptées : group_claims, [users.\"e-mail\"], "
                               "[groups.\"groupe\"], [domains.\"domaine\"], et dans chacune "
                               "role et clusters.",
                               "unknown key; accepted: group_claims, [users.\"email\"], "
                               "[groups.\"group\"], [domains.\"domain\"], and in each role "
                               "and clusters."),
    "access.bad.claims": ("{value} ; attendu : une liste de noms de claims, ex. "
                          "[\"groups\", \"roles\"].",
                          "{value}; expected: a list of claim names, e.g. "
                          "[\"groups\", \"roles\"]."),
    "access.bad.section": ("{value} ; attendu : une table TOML (role, clusters).",
                           "{value}; expected: a TOML table (role, clusters)."),
    "access.bad.email": ("« {value} » n'est pas une adresse e-mail.",
                         "\"{value}\" is not an email address."),
    "access.bad.domain": ("« {value} » n'est pas un domaine (ex. pole-pegase.com, sans @).",
                          "\"{value}\" is not a domain (e.g. pole-pegase.com, without @)."),
    "access.bad.role": ("rôle {value} ; acceptés : viewer, director, analyst, admin.",
                        "role {value}; accepted: viewer, director, analyst, admin."),
    "access.bad.clusters": ("{value} ; attendu : une liste non vide d'identifiants de pôles, "
                            "ex. [\"pegase\"], ou [\"*\"] pour tous.",
                            "{value}; expected: a non-empty list of cluster ids, e.g. "
                            "[\"pegase\"], or [\"*\"] for all."),
    "access.bad.admin_clusters": ("{value} ; un admin voit tous les pôles : omettez clusters "
                                  "ou écrivez [\"*\"].",
                                  "{value}; an admin sees every cluster: leave clusters out or "
                                  "write [\"*\"]."),
    "access.bad.empty": ("le fichier ne donne accès à personne ; attendu : au moins une "
                         "section [users], [groups] ou [domains].",
                         "the file gives nobody access; expected: at least one [users], "
                         "[groups] or [domains] section."),
    "access.forbidden.role": ("Votre rôle ne permet pas de modifier les données ({table}).",
                              "Your role does not allow changing the data ({table})."),
    "access.forbidden.table": ("La table {table} ne relève d'aucun pôle : seul un "
                               "administrateur peut la modifier.",
                               "The table {table} belongs to no cluster: only an administrator "
                               "may change it."),
    "access.forbidden.rows": ("{n} ligne(s) de {table} relèvent d'un pôle hors de vos droits : "
                              "{rows}.", "{n} row(s) of {table} belong to a cluster outside "
                              "your rights: {rows}."),
    "access.forbidden.export": ("Votre rôle ne permet pas de télécharger le détail de {table} "
                                "(lignes des entreprises membres).",
                                "Your role does not allow downloading {table} in detail "
                                "(member firms' rows)."),
    "access.member_rows_hidden": (
        "Le détail par entreprise n'est pas affiché pour votre rôle (chiffres agrégés "
        "seulement).", "Firm-level detail is not shown for your role (aggregates only)."),
    "upload.accepted.columns": (
        "colonnes de la table : {columns}", "the table's columns: {columns}"),
    "upload.accepted.encoding": ("UTF-8, UTF-8 avec BOM, Windows-1252 ou UTF-16",
                                 "UTF-8, UTF-8 with BOM, Windows-1252 or UTF-16"),
    "upload.accepted.number": ("nombre, ex. {example} (pas de notation 1,2E+06)",
                               "number, e.g. {example} (no 1.2E+06 notation)"),
    "upload.accepted.int": ("nombre entier, ex. {example}", "whole number, e.g. {example}"),
    "upload.accepted.date": ("date, ex. {example} ou 2011-06-30",
                             "date, e.g. {example} or 2011-06-30"),
    "upload.accepted.required": ("une valeur", "a value"),
    "upload.accepted.unique": ("une seule ligne par clé", "one row per key"),
    "upload.accepted.exists": ("une clé nouvelle, ou le mode « remplacer »",
                               "a new key, or the \"replace\" mode"),
    "upload.accepted.reference": ("une valeur de {table}.{column} (instantané actuel)",
                                  "a value of {table}.{column} (current snapshot)"),
    "upload.col.line": ("Ligne", "Line"),
    "upload.col.column": ("Colonne du fichier", "File column"),
    "upload.col.canonical": ("Colonne Envol", "Envol column"),
    "upload.col.value": ("Valeur", "Value"),
    "upload.col.rule": ("Règle", "Rule"),
    "upload.col.problem": ("Problème", "Problem"),
    "upload.col.accepted": ("Accepté", "Accepted"),
    "upload.col.key": ("Clé", "Key"),
    "upload.col.old": ("Avant", "Before"),
    "upload.col.new": ("Après", "After"),
    "upload.col.kpi": ("Chiffre clé", "Key figure"),
    "upload.col.file_column": ("Colonne du fichier", "File column"),
    "upload.col.envol_column": ("Colonne Envol", "Envol column"),
    "upload.col.example": ("Exemple (1re ligne)", "Example (1st row)"),
    "upload.kpi.members": ("Entreprises membres", "Member firms"),
    "upload.kpi.smes": ("dont PME", "of which SMEs"),
    "upload.kpi.jobs": ("Emplois", "Jobs"),
    "upload.kpi.comptoirs": ("Comptoirs", "Comptoirs"),
    "upload.kpi.comptoirs_operational": ("Comptoirs opérationnels", "Comptoirs operational"),
    "upload.kpi.firms_hosted": ("Entreprises hébergées", "Firms hosted"),
    "upload.kpi.vie_in_post": ("VIE en poste", "VIE in post"),
    "upload.kpi.vie_to_recruit": ("VIE à recruter", "VIE to recruit"),
    "upload.kpi.portage_supported": ("PME accompagnées (portage)", "SMEs supported (portage)"),
    "upload.kpi.labelled_projects": ("Projets labellisés", "Labelled projects"),
    "upload.kpi.funded_projects": ("dont cofinancés", "of which co-funded"),
    "upload.kpi.public_funding_eur": ("Montant des projets financés", "Funded projects' amount"),
    "history.title": ("Historique des données", "Data history"),
    "history.intro": (
        "Chaque enregistrement est un instantané immuable : rien n'est jamais effacé ni écrasé. "
        "Téléchargez n'importe quelle table à n'importe quel instantané, ou rétablissez un état "
        "antérieur (par un nouvel enregistrement).",
        "Every save is an immutable snapshot: nothing is ever deleted or overwritten. Download "
        "any table as of any snapshot, or bring back an older state (by a new save)."),
    "history.snapshots": ("Tous les instantanés", "Every snapshot"),
    "history.table": ("Table", "Table"),
    "history.snapshot": ("Instantané", "Snapshot"),
    "history.download": ("Télécharger {table} à l'instantané n° {id} (CSV)",
                         "Download {table} as of snapshot #{id} (CSV)"),
    "history.rollback_title": ("Rétablir cet état", "Bring this state back"),
    "history.rollback_help": (
        "Crée un nouvel instantané dont les lignes sont celles de l'instantané choisi. "
        "L'historique reste entier.",
        "Creates a new snapshot whose rows are those of the chosen snapshot. The history stays "
        "whole."),
    "history.rollback": ("Rétablir {table} à l'instantané n° {id}",
                         "Bring {table} back to snapshot #{id}"),
    "history.rolled_back": ("Table {table} rétablie à l'instantané n° {old} : nouvel instantané "
                            "n° {id} ({n} lignes).",
                            "Table {table} brought back to snapshot #{old}: new snapshot #{id} "
                            "({n} rows)."),
    "history.is_current": ("C'est déjà l'état actuel de la table.",
                           "This is already the table's current state."),
    "history.col.mode": ("Mode", "Mode"),
    "history.col.note": ("Note", "Note"),
    "history.col.sha256": ("SHA-256", "SHA-256"),
    "history.mode.replace": ("remplacement", "replace"),
    "history.mode.append": ("ajout", "append"),
    "history.mode.rollback": ("rétablissement", "rollback"),


    "board.nav": ("Conseil d'administration", "Board meeting"),
    "board.title": ("Présentation au conseil d'administration", "Board presentation"),
    "board.footer_more": ("{ids} et {n} autres (la page « Sources et données » d'Envol les "
                          "donne toutes)",
                          "{ids} and {n} more (Envol's \"Sources and data\" page lists all)"),
    "board.cover_clusters_more": ("{names} et {n} autres pôles ({total} en tout)",
                                  "{names} and {n} more clusters ({total} in all)"),
    "board.caption": ("{n} diapositives · {clusters} · {snapshot}. Les chiffres sont ceux des "
                      "autres pages, lus au même instantané.",
                      "{n} slides · {clusters} · {snapshot}. The figures are the other pages' "
                      "own, read at the same snapshot."),
    "board.pack_title": ("Dossier du conseil d'administration", "Board pack"),
    "board.present": ("Mode présentation", "Presentation mode"),
    "board.present_help": (
        "Masque le panneau latéral et agrandit le texte pour un grand écran. Touches ← et → "
        "pour changer de diapositive ; F11 pour le plein écran du navigateur.",
        "Hides the sidebar and enlarges the text for a big screen. Keys ← and → change slide; "
        "F11 for the browser's full screen."),
    "board.prev": ("Précédente", "Previous"),
    "board.next": ("Suivante", "Next"),
    "board.goto": ("Diapositive", "Slide"),
    "board.previous_board": ("Conseil précédent : données à l'instantané",
                             "Previous board: data as of snapshot"),
    "board.previous_help": (
        "Les diapositives « Ce qui a changé » comparent les données affichées à celles de cet "
        "instantané.",
        "The “What changed” slides compare the data shown with the data of this snapshot."),
    "board.previous_none": ("aucun (pas de comparaison)", "none (no comparison)"),
    "board.prepare": ("Préparer le dossier (PowerPoint et PDF)",
                      "Prepare the board pack (PowerPoint and PDF)"),
    "board.preparing": ("Préparation du dossier…", "Preparing the board pack…"),
    "board.step_chart": ("Graphique {n} sur {total} : {title}", "Chart {n} of {total}: {title}"),
    "board.step_pptx": ("Assemblage du PowerPoint…", "Assembling the PowerPoint…"),
    "board.step_pdf": ("Assemblage du PDF…", "Assembling the PDF…"),
    "board.ready": ("Dossier prêt : {slides} diapositives.", "Board pack ready: {slides} slides."),
    "board.download_pptx": ("Télécharger le PowerPoint (.pptx)", "Download the PowerPoint (.pptx)"),
    "board.download_pdf": ("Télécharger le PDF", "Download the PDF"),
    "board.no_chromium": (
        "Impossible de dessiner les graphiques : l'export utilise le navigateur Chromium, "
        "introuvable sur ce serveur ({path}). Installez le paquet Debian chromium (en root ou "
        "avec sudo) : {command}, puis relancez l'export.",
        "Cannot draw the charts: the export uses the Chromium browser, which is not installed "
        "on this server ({path}). Install Debian's chromium package (as root or with sudo): "
        "{command}, then export again."),
    "board.no_font": ("Police DejaVu Sans introuvable ({path}). Installez-la : {command}",
                      "DejaVu Sans font not found ({path}). Install it: {command}"),
    "board.render_failed": ("Chromium n'a pas pu dessiner le graphique « {title} » : {error}",
                            "Chromium could not draw the chart “{title}”: {error}"),
    "board.footer": ("Sources : {ids} · {snapshot}", "Sources: {ids} · {snapshot}"),
    "board.notes_figures": ("Chiffres de la diapositive :", "Figures on this slide:"),
    "board.notes_sources": ("Sources :", "Sources:"),
    "board.notes_snapshots": ("Données lues (instantané de chaque table) :",
                              "Data read (snapshot of each table):"),
    "board.cover_date": ("Conseil du {date}", "Board meeting of {date}"),
    "board.cover_data": ("Données : {snapshot}, enregistré le {time}",
                         "Data: {snapshot}, committed {time}"),
    "board.cover_previous": ("Comparé au conseil précédent : instantané n° {id} du {time}",
                             "Compared with the previous board: snapshot #{id} of {time}"),
    "board.kpis_title": ("Chiffres clés — {cluster}", "Key figures — {cluster}"),
    "board.map_title": ("Les comptoirs à l'étranger", "Comptoirs abroad"),
    "board.map_subtitle": ("Comptoirs opérationnels : {operational} sur {n}",
                           "Comptoirs operational: {operational} of {n}"),
    "board.map_illustrative": (
        "Villes des comptoirs illustratives : les articles ne donnent que les pays.",
        "Comptoir cities are illustrative: the articles give only the countries."),
    "board.col_city": ("Comptoir", "Comptoir"),
    "board.col_status": ("Statut", "Status"),
    "board.col_opened": ("Ouverture", "Opening"),
    "board.survey_subtitle": ("« {question} » ({year})", "“{question}” ({year})"),
    "board.comptoir_funnel_subtitle": (
        "Par pôle, l'étape la plus avancée atteinte par chaque entreprise ; base : les PME membres",
        "Per cluster, the furthest stage each firm reached; base: the member SMEs"),
    "board.portage_title": ("Portage (Pacte PME) : l'entonnoir", "Portage (Pacte PME): the funnel"),
    "board.portage_subtitle": (
        "Des demandes aux PME accompagnées, par année (programme national, tous pôles)",
        "From requests to SMEs supported, per year (national programme, all clusters)"),
    "board.scenario_title": ("Scénario : l'objectif de {target} emplois",
                             "Scenario: the {target}-job target"),
    "board.scenario_default": (
        "Scénario par défaut de {cluster}, d'après la table des objectifs (aucun scénario "
        "enregistré)",
        "{cluster}'s default scenario, from the targets table (no saved scenario)"),
    "board.scenario_saved": ("Scénario enregistré « {name} »", "Saved scenario “{name}”"),
    "board.scenario_current": (
        "Leviers actuels de la page Scénario (aucun scénario enregistré)",
        "Current levers of the Scenario page (no saved scenario)"),
    "board.sc_chosen": ("choisi ; défaut : {default}", "chosen; default: {default}"),
    "board.sc_levers": ("Hypothèses (leviers) et leur origine :",
                        "Levers and where they come from:"),
    "board.sc_model": (
        "Modèle : entreprises hébergées × emplois par entreprise et par an, avec une montée en "
        "charge linéaire ; emplois bruts ; le coût est celui du programme, dépensé la première "
        "année.",
        "Model: firms hosted × jobs per firm per year, with a linear ramp-up; gross jobs; the "
        "cost is the programme's, spent in the first year."),
    "board.sc_assumption": ("hypothèse", "assumption"),
    "board.changes_kpis_title": ("Ce qui a changé depuis le dernier conseil : chiffres clés",
                                 "What changed since the last board: key figures"),
    "board.changes_tables_title": ("Ce qui a changé depuis le dernier conseil : les données",
                                   "What changed since the last board: the data"),
    "board.changes_subtitle": ("Instantané n° {before} (conseil précédent) → n° {now}",
                               "Snapshot #{before} (previous board) → #{now}"),
    "board.changes_rows_help": (
        "Une ligne modifiée compte à la fois parmi les lignes ajoutées et les lignes retirées.",
        "A changed row counts both among the rows added and the rows removed."),
    "board.no_kpi_change": ("Aucun chiffre clé des pôles n'a changé.",
                            "No cluster key figure changed."),
    "board.col_before": ("Conseil précédent", "Previous board"),
    "board.col_now": ("Aujourd'hui", "Now"),
    "board.col_change": ("Écart", "Change"),
    "board.col_snapshots": ("Instantané", "Snapshot"),
    "board.col_rows_before": ("Lignes avant", "Rows before"),
    "board.col_rows_now": ("Lignes aujourd'hui", "Rows now"),
    "board.col_added": ("Ajoutées ou modifiées", "Added or changed"),
    "board.col_removed": ("Retirées ou modifiées", "Removed or changed"),
    "board.sources_title": ("Sources", "Sources"),
    "board.sources_subtitle": (
        "Chaque chiffre du dossier renvoie à l'une de ces sources · {snapshot}",
        "Every figure in this pack refers to one of these sources · {snapshot}"),
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
    return _decimal(x, "#,##0" + ("." + "0" * decimals if decimals else ""), lang)


@lru_cache(maxsize=1 << 16)
def _decimal(x: float | int, pattern: str, lang: str) -> str:
    """Babel's formatting, remembered: a page at EU scale formats tens of thousands of counts,
    most of them the same few values."""
    return format_decimal(x, format=pattern, locale=LOCALES[lang])


@lru_cache(maxsize=1 << 16)
def _percent(x: float, pattern: str, lang: str) -> str:
    return format_percent(x, format=pattern, locale=LOCALES[lang])


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
    text = _percent(x, pattern, lang)
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
