"""The data contract: every table an analyst uploads, declared once.

This module is the single statement of `shared/design/DATA_CONTRACT.md` in code. Validation
(ingest), the CSV templates, the data dictionary page, the French header aliases and the lake's
table definitions are all derived from `TABLES`; nothing else restates a column.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

from envol.text import formula_safe

Kind = Literal["text", "int", "number", "date", "bool", "iso3", "enum"]

# DuckDB type of each contract type (the lake stores canonical values only).
DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "number": "DOUBLE",
    "date": "DATE",
    "bool": "BOOLEAN",
    "iso3": "VARCHAR",
    "enum": "VARCHAR",
}

ARROW_TYPES = {
    "text": pa.string(),
    "int": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "bool": pa.bool_(),
    "iso3": pa.string(),
    "enum": pa.string(),
}

# How each type is written in a file, for the dictionary and the error messages.
ACCEPTED: dict[str, dict[str, str]] = {
    "text": {"fr": "texte libre", "en": "free text"},
    "int": {"fr": "nombre entier (ex. 1 234)", "en": "whole number (e.g. 1,234)"},
    "number": {
        "fr": "nombre, virgule ou point décimal (ex. 1 234,5)",
        "en": "number, decimal comma or point (e.g. 1234.5)",
    },
    "date": {"fr": "date 30/06/2011 ou 2011-06-30", "en": "date 2011-06-30 or 30/06/2011"},
    "bool": {"fr": "oui/non, true/false, 1/0", "en": "yes/no, true/false, 1/0"},
    "iso3": {
        "fr": "code pays ISO 3166-1 alpha-3 (MAR) ou nom du pays (Maroc)",
        "en": "ISO 3166-1 alpha-3 country code (MAR) or country name (Morocco)",
    },
    "enum": {"fr": "une des valeurs permises", "en": "one of the allowed values"},
}


@dataclass(frozen=True)
class EnumValue:
    """One allowed value of an enum column, with its labels and accepted spellings."""

    value: str
    fr: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    fr: str  # short French label (also accepted as a header alias)
    en: str  # short English label
    required: bool = False
    unique: bool = False
    enum: tuple[EnumValue, ...] = ()
    minimum: float | None = None
    references: str | None = None  # "table.column"
    aliases: tuple[str, ...] = ()  # extra French (or other) header spellings
    doc_fr: str = ""
    doc_en: str = ""

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.kind]

    @property
    def enum_values(self) -> tuple[str, ...]:
        return tuple(v.value for v in self.enum)

    def enum_label(self, value: str | None, lang: str) -> str:
        for v in self.enum:
            if v.value == value:
                return v.fr if lang == "fr" else v.en
        return "" if value is None else str(value)


@dataclass(frozen=True)
class NotGreater:
    """Row rule: `left` ≤ `right` whenever both are present."""

    left: str
    right: str

    def describe(self, lang: str) -> str:
        return f"{self.left} ≤ {self.right}"


@dataclass(frozen=True)
class RequiredWhen:
    """Row rule: `column` must be filled when `when` is filled."""

    column: str
    when: str

    def describe(self, lang: str) -> str:
        if lang == "fr":
            return f"{self.column} obligatoire si {self.when} est renseigné"
        return f"{self.column} required when {self.when} is set"


Rule = NotGreater | RequiredWhen


@dataclass(frozen=True)
class Table:
    name: str
    fr: str
    en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique key (one or more columns)
    rules: tuple[Rule, ...] = ()
    doc_fr: str = ""
    doc_en: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def create_sql(self, qualified_name: str) -> str:
        """DDL for this table (identifiers come from this module, never from users)."""
        cols = ", ".join(f'"{c.name}" {c.duckdb_type}' for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {qualified_name} ({cols})"

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, ARROW_TYPES[c.kind]) for c in self.columns])

    def template_csv(self) -> str:
        """The CSV template analysts fill in: the canonical header, `;`-separated (Excel FR)."""
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\n").writerow(
            [formula_safe(name) for name in self.column_names])
        return out.getvalue()


def _e(value: str, fr: str, en: str, *aliases: str) -> EnumValue:
    return EnumValue(value, fr, en, aliases)


def _src() -> Column:
    return Column(
        "source_id", "text", "source", "source", required=True, references="sources.source_id",
        aliases=("id_source", "référence"),
        doc_fr="Document ou dépôt qui justifie la ligne (→ sources).",
        doc_en="Document or upload that backs the row (→ sources).",
    )


def _ill(what_fr: str, what_en: str) -> Column:
    return Column(
        "illustrative", "bool", "illustratif", "illustrative", aliases=("généré", "fictif"),
        doc_fr=f"Vrai si {what_fr} est générée pour l'illustration et non réelle.",
        doc_en=f"True when {what_en} is generated for illustration, not real.",
    )


def _count(name: str, fr: str, en: str, *aliases: str, doc_fr: str = "",
           doc_en: str = "") -> Column:
    return Column(name, "int", fr, en, minimum=0, aliases=aliases, doc_fr=doc_fr, doc_en=doc_en)


def _amount(name: str, fr: str, en: str, *aliases: str, doc_fr: str = "",
            doc_en: str = "") -> Column:
    return Column(name, "number", fr, en, minimum=0, aliases=aliases, doc_fr=doc_fr, doc_en=doc_en)


def _country(required: bool) -> Column:
    return Column(
        "country_iso3", "iso3", "pays", "country", required=required,
        aliases=("code_pays", "iso3"),
        doc_fr="Pays : code ISO-3 ou nom français/anglais (Maroc → MAR).",
        doc_en="Country: ISO-3 code or French/English name (Morocco → MAR).",
    )


def _cluster(required: bool = True) -> Column:
    return Column(
        "cluster_id", "text", "pôle", "cluster", required=required,
        references="clusters.cluster_id", aliases=("id_pole", "code_pole", "pole_id"),
        doc_fr="Identifiant du pôle (→ clusters).", doc_en="Cluster identifier (→ clusters).",
    )


SOURCES = Table(
    "sources", "Sources", "Sources",
    (
        Column("source_id", "text", "source", "source", required=True, unique=True,
               aliases=("id_source",), doc_fr="Identifiant (S1…S5, ou un dépôt).",
               doc_en="Identifier (S1…S5, or an upload)."),
        Column("title", "text", "titre", "title", required=True,
               doc_fr="Titre de l'article ou du document.", doc_en="Article or document title."),
        Column("outlet", "text", "média", "outlet", aliases=("journal", "support", "media"),
               doc_fr="Journal, site ou organisme.", doc_en="Newspaper, site or body."),
        Column("author", "text", "auteur", "author", doc_fr="Auteur.", doc_en="Author."),
        Column("published_on", "date", "date de publication", "published on",
               aliases=("date", "publié_le", "date_publication"),
               doc_fr="Date de publication.", doc_en="Publication date."),
        Column("date_is_approximate", "bool", "date approximative", "date is approximate",
               aliases=("date_approx",),
               doc_fr="Vrai si la date est déduite du texte (≈).",
               doc_en="True when the date is inferred from the text (≈)."),
        Column("url", "text", "adresse", "url", aliases=("lien",),
               doc_fr="Adresse du document, si publique.", doc_en="Address, when public."),
        Column("note", "text", "note", "note", aliases=("commentaire",),
               doc_fr="Remarque libre.", doc_en="Free note."),
    ),
    key=("source_id",),
    doc_fr="Les documents (articles, dépôts) qui justifient chaque ligne.",
    doc_en="The documents (articles, uploads) that back every row.",
)

CLUSTERS = Table(
    "clusters", "Pôles", "Clusters",
    (
        Column("cluster_id", "text", "pôle", "cluster", required=True, unique=True,
               aliases=("id_pole", "code_pole", "pole_id"),
               doc_fr="Identifiant court (slug) du pôle, unique.",
               doc_en="Short unique identifier (slug)."),
        Column("name", "text", "nom", "name", required=True, aliases=("nom_pole",),
               doc_fr="Nom du pôle.", doc_en="Cluster name."),
        Column("region", "text", "région", "region", required=True,
               doc_fr="Région(s) d'implantation.", doc_en="Home region(s)."),
        Column("hq_city", "text", "siège", "head office", aliases=("ville_siege", "ville"),
               doc_fr="Ville du siège.", doc_en="Head-office city."),
        Column("lat", "number", "latitude", "latitude", doc_fr="Latitude du siège.",
               doc_en="Head-office latitude."),
        Column("lon", "number", "longitude", "longitude", doc_fr="Longitude du siège.",
               doc_en="Head-office longitude."),
        Column("sectors", "text", "secteurs", "sectors", aliases=("filières", "filiere"),
               doc_fr="Secteurs couverts.", doc_en="Sectors covered."),
        Column("founded_year", "int", "année de création", "founded", minimum=1900,
               aliases=("annee_creation", "création"),
               doc_fr="Année de lancement.", doc_en="Year launched."),
        _count("reported_members", "membres déclarés", "reported members", "nb_membres",
               "membres", doc_fr="Entreprises membres selon la source.",
               doc_en="Member companies according to the source."),
        _count("reported_smes", "PME déclarées", "reported SMEs", "nb_pme", "pme",
               doc_fr="PME membres selon la source.",
               doc_en="Member SMEs according to the source."),
        _count("reported_jobs", "emplois déclarés", "reported jobs", "nb_emplois", "emplois",
               doc_fr="Emplois du bassin selon la source.", doc_en="Jobs according to the source."),
        _count("labelled_projects", "projets labellisés", "labelled projects",
               doc_fr="Projets de R&D labellisés.", doc_en="R&D projects labelled."),
        _count("funded_projects", "projets financés", "funded projects",
               doc_fr="Projets labellisés cofinancés par des fonds publics (≤ labellisés).",
               doc_en="Labelled projects with public co-funding (≤ labelled)."),
        _amount("public_funding_eur", "financement public (€)", "public funding (€)",
                "financement_public", doc_fr="Montant total des projets financés.",
                doc_en="Total amount of the funded projects."),
        _src(),
    ),
    key=("cluster_id",),
    rules=(NotGreater("funded_projects", "labelled_projects"),
           NotGreater("reported_smes", "reported_members")),
    doc_fr="Les pôles de compétitivité et leurs chiffres publiés.",
    doc_en="The competitiveness clusters and their published figures.",
)

SIZE_CLASSES = (
    _e("micro", "TPE", "micro", "très petite entreprise", "microentreprise"),
    _e("sme", "PME", "SME", "petite et moyenne entreprise"),
    _e("midcap", "ETI", "mid-cap", "entreprise de taille intermédiaire"),
    _e("large", "GE", "large", "grande entreprise", "grand groupe"),
)
COMPTOIR_STAGES = (
    _e("candidate", "candidate", "candidate", "candidat"),
    _e("selected", "sélectionnée", "selected", "sélectionné", "retenu", "retenue"),
    _e("hosted", "hébergée", "hosted", "hébergé", "accueillie", "accueilli"),
    _e("exporting", "exportatrice", "exporting", "exportateur", "exporte"),
)

MEMBERS = Table(
    "members", "Entreprises membres", "Member firms",
    (
        Column("member_id", "text", "identifiant", "member id", required=True, unique=True,
               aliases=("id_membre", "id_entreprise", "siren"),
               doc_fr="Identifiant unique de l'entreprise.", doc_en="Unique firm identifier."),
        _cluster(),
        Column("name", "text", "raison sociale", "name", required=True,
               aliases=("nom", "entreprise", "société"),
               doc_fr="Nom de l'entreprise.", doc_en="Firm name."),
        Column("size_class", "enum", "taille", "size class", required=True, enum=SIZE_CLASSES,
               aliases=("catégorie", "categorie_entreprise"),
               doc_fr="Catégorie : TPE, PME, ETI ou GE.",
               doc_en="Size: micro, SME, mid-cap, large."),
        Column("sector", "text", "secteur", "sector", aliases=("activité",),
               doc_fr="Secteur d'activité.", doc_en="Sector."),
        Column("city", "text", "ville", "city", aliases=("commune",),
               doc_fr="Ville.", doc_en="City."),
        _count("headcount", "effectif", "headcount", "salariés", "nb_salariés",
               doc_fr="Effectif salarié.", doc_en="Staff."),
        _amount("revenue_eur", "chiffre d'affaires (€)", "revenue (€)", "ca", "chiffre_affaires",
                "ca_eur", doc_fr="Chiffre d'affaires annuel.", doc_en="Annual revenue."),
        _amount("export_revenue_eur", "CA export (€)", "export revenue (€)", "ca_export",
                "chiffre_affaires_export", doc_fr="Part du chiffre d'affaires à l'export (≤ CA).",
                doc_en="Revenue from exports (≤ revenue)."),
        Column("joint_export_experience", "bool", "expérience export conjoint",
               "joint-export experience", aliases=("co_export", "export_conjoint"),
               doc_fr="A déjà mené une action d'export avec un grand groupe.",
               doc_en="Has taken part in a joint export action with a large group."),
        Column("comptoir_id", "text", "comptoir", "comptoir",
               references="comptoirs.comptoir_id", aliases=("id_comptoir",),
               doc_fr="Comptoir du programme (→ comptoirs), si concernée.",
               doc_en="Programme comptoir (→ comptoirs), if any."),
        Column("comptoir_stage", "enum", "étape comptoir", "comptoir stage", enum=COMPTOIR_STAGES,
               aliases=("etape", "étape"),
               doc_fr="Étape atteinte dans le programme (obligatoire si comptoir renseigné).",
               doc_en="Stage reached in the programme (required when comptoir is set)."),
        _ill("l'entreprise", "the firm"),
        _src(),
    ),
    key=("member_id",),
    rules=(NotGreater("export_revenue_eur", "revenue_eur"),
           RequiredWhen("comptoir_stage", "comptoir_id")),
    doc_fr="Les entreprises membres des pôles et leur parcours dans le programme comptoirs.",
    doc_en="The clusters' member firms and their path through the comptoir programme.",
)

COMPTOIR_STATUSES = (
    _e("planned", "prévu", "planned", "prévue", "projet"),
    _e("opening", "en ouverture", "opening", "en cours d'installation", "en cours"),
    _e("operational", "opérationnel", "operational", "ouvert", "opérationnelle"),
    _e("closed", "fermé", "closed", "fermée"),
)

COMPTOIRS = Table(
    "comptoirs", "Comptoirs", "Comptoirs",
    (
        Column("comptoir_id", "text", "identifiant", "comptoir id", required=True, unique=True,
               aliases=("id_comptoir", "comptoir"),
               doc_fr="Identifiant unique du comptoir.", doc_en="Unique comptoir identifier."),
        _cluster(),
        _country(True),
        Column("city", "text", "ville", "city", required=True,
               doc_fr="Ville d'implantation.", doc_en="City."),
        Column("lat", "number", "latitude", "latitude", doc_fr="Latitude.", doc_en="Latitude."),
        Column("lon", "number", "longitude", "longitude", doc_fr="Longitude.",
               doc_en="Longitude."),
        Column("status", "enum", "statut", "status", required=True, enum=COMPTOIR_STATUSES,
               aliases=("état",), doc_fr="Statut du comptoir.", doc_en="Comptoir status."),
        Column("opened_on", "date", "ouverture", "opened on",
               aliases=("date_ouverture", "ouvert_le"),
               doc_fr="Date d'ouverture (prévue tant que le statut n'est pas opérationnel).",
               doc_en="Opening date (planned while the status is not operational)."),
        _count("min_members", "membres minimum du GIE", "GIE minimum members", "minimum_membres",
               doc_fr="Nombre minimum d'entreprises du GIE.",
               doc_en="Minimum number of firms in the GIE."),
        _count("capacity_firms", "capacité (entreprises)", "capacity (firms)", "capacité",
               doc_fr="Nombre d'entreprises que l'hôtel d'entreprises peut accueillir.",
               doc_en="Number of firms the business hotel can host."),
        _amount("budget_eur", "budget (€)", "budget (€)", "budget",
                doc_fr="Budget propre du comptoir.", doc_en="The comptoir's own budget."),
        Column("local_principals", "text", "donneurs d'ordres locaux", "local principals",
               aliases=("donneurs_ordres",),
               doc_fr="Grands donneurs d'ordres présents, séparés par « ; ».",
               doc_en="Large principals present, `;`-separated."),
        _count("local_sector_jobs", "emplois locaux du secteur", "local sector jobs",
               "emplois_locaux", doc_fr="Emplois créés localement par ces donneurs d'ordres.",
               doc_en="Local jobs created by those principals."),
        Column("illustrative", "bool", "illustratif", "illustrative", aliases=("généré",),
               doc_fr="Vrai si la ville et les coordonnées sont choisies pour l'affichage "
                      "(la source ne nomme que le pays). Colonne ajoutée au contrat.",
               doc_en="True when city and coordinates are chosen for display (the source names "
                      "only the country). Column added to the contract."),
        _src(),
    ),
    key=("comptoir_id",),
    doc_fr="Les comptoirs : bureaux commerciaux partagés à l'étranger (GIE).",
    doc_en="Comptoirs: shared trade offices abroad (GIE).",
)

VIE_STATUSES = (
    _e("to_recruit", "à recruter", "to recruit", "a recruter", "recrutement"),
    _e("in_post", "en poste", "in post", "en mission"),
    _e("completed", "terminé", "completed", "terminée", "achevé"),
)

VIE_POSTINGS = Table(
    "vie_postings", "Postes VIE", "VIE postings",
    (
        Column("posting_id", "text", "identifiant", "posting id", required=True, unique=True,
               aliases=("id_vie", "id_poste"),
               doc_fr="Identifiant unique du poste.", doc_en="Unique posting identifier."),
        _cluster(),
        _country(True),
        Column("city", "text", "ville", "city", doc_fr="Ville.", doc_en="City."),
        Column("host_company", "text", "entreprise d'accueil", "host company",
               aliases=("hôte", "accueil"),
               doc_fr="Grande entreprise qui héberge le VIE.",
               doc_en="Large company hosting the VIE."),
        Column("status", "enum", "statut", "status", required=True, enum=VIE_STATUSES,
               aliases=("état",), doc_fr="Statut du poste.", doc_en="Posting status."),
        Column("start_on", "date", "début", "start", aliases=("date_debut",),
               doc_fr="Début de mission.", doc_en="Mission start."),
        Column("end_on", "date", "fin", "end", aliases=("date_fin",),
               doc_fr="Fin de mission (≥ début).", doc_en="Mission end (≥ start)."),
        _count("firms_served", "PME servies", "firms served", "pme_servies",
               doc_fr="Nombre de PME pour lesquelles le VIE travaille.",
               doc_en="Number of SMEs the VIE works for."),
        _src(),
    ),
    key=("posting_id",),
    rules=(NotGreater("start_on", "end_on"),),
    doc_fr="Les Volontaires internationaux en entreprise (VIE) postés pour les PME.",
    doc_en="Young professionals posted abroad (VIE) for the SMEs.",
)

SURVEY_RESULTS = Table(
    "survey_results", "Résultats d'enquête", "Survey results",
    (
        Column("survey_id", "text", "enquête", "survey", required=True,
               aliases=("id_enquete",), doc_fr="Identifiant de l'enquête.",
               doc_en="Survey identifier."),
        Column("survey_name", "text", "nom de l'enquête", "survey name", required=True,
               doc_fr="Nom de l'enquête.", doc_en="Survey name."),
        Column("year", "int", "année", "year", required=True, minimum=1900,
               doc_fr="Année de l'enquête.", doc_en="Survey year."),
        Column("question_id", "text", "question (id)", "question id", required=True,
               aliases=("id_question",), doc_fr="Identifiant de la question.",
               doc_en="Question identifier."),
        Column("question", "text", "question", "question", required=True,
               doc_fr="Texte de la question.", doc_en="Question text."),
        Column("answer", "text", "réponse", "answer", required=True,
               doc_fr="Réponse.", doc_en="Answer."),
        Column("respondents", "int", "répondants", "respondents", required=True, minimum=0,
               aliases=("nb_reponses",),
               doc_fr="Nombre d'entreprises ayant donné cette réponse.",
               doc_en="Firms giving this answer."),
        Column("base", "int", "base", "base", required=True, minimum=0,
               aliases=("interrogés", "effectif_interrogé"),
               doc_fr="Nombre d'entreprises interrogées (≥ répondants).",
               doc_en="Firms asked (≥ respondents)."),
        _src(),
    ),
    key=("survey_id", "question_id", "answer"),
    rules=(NotGreater("respondents", "base"),),
    doc_fr="Les résultats des enquêtes auprès des entreprises.",
    doc_en="Results of the firm surveys.",
)

SPONSORSHIP_STAGES = (
    _e("requested", "demandé", "requested", "demande", "déposé"),
    _e("endorsed", "parrainé (CCI/CCE)", "endorsed (CCI/CCE)", "parrainé", "parrainée", "endossé"),
    _e("reviewed", "instruit", "reviewed", "instruite"),
    _e("matched", "mis en relation", "matched", "apparié"),
    _e("supported", "accompagné", "supported", "accompagnée", "soutenu"),
)

SPONSORSHIPS = Table(
    "sponsorships", "Portage grands groupes / PME", "Large group / SME sponsorships",
    (
        Column("sponsorship_id", "text", "identifiant", "sponsorship id", required=True,
               unique=True, aliases=("id_portage", "id_parrainage"),
               doc_fr="Identifiant unique.", doc_en="Unique identifier."),
        Column("sponsor", "text", "grand groupe", "sponsor", required=True,
               aliases=("parrain", "groupe"), doc_fr="Grand groupe qui porte la PME.",
               doc_en="Large group sponsoring the SME."),
        Column("sme_name", "text", "PME", "SME", required=True, aliases=("nom_pme", "pme"),
               doc_fr="Nom de la PME.", doc_en="SME name."),
        Column("member_id", "text", "membre", "member", references="members.member_id",
               aliases=("id_membre",),
               doc_fr="Entreprise membre d'un pôle (→ members), si c'en est une.",
               doc_en="Cluster member firm (→ members), if it is one."),
        _country(False),
        Column("year", "int", "année", "year", required=True, minimum=1900,
               doc_fr="Année de la demande.", doc_en="Year of the request."),
        Column("stage", "enum", "étape", "stage", required=True, enum=SPONSORSHIP_STAGES,
               doc_fr="Étape la plus avancée atteinte.", doc_en="Furthest stage reached."),
        _count("review_days", "durée d'instruction (jours)", "review time (days)",
               "delai_instruction", doc_fr="Durée d'instruction du dossier, en jours.",
               doc_en="Days taken to review the request."),
        _ill("la ligne", "the row"),
        _src(),
    ),
    key=("sponsorship_id",),
    doc_fr="Le portage : des grands groupes accompagnent des PME à l'international (Pacte PME).",
    doc_en="Portage: large groups help SMEs abroad (Pacte PME).",
)

PROGRAMMES = (
    _e("comptoirs", "comptoirs", "comptoirs"),
    _e("vie", "VIE", "VIE"),
    _e("portage", "portage", "portage", "parrainage"),
    _e("financing", "financement", "financing"),
)
METRICS = (
    _e("jobs", "emplois", "jobs"),
    _e("firms_supported", "entreprises accompagnées", "firms supported", "pme accompagnées"),
    _e("budget_eur", "budget (€)", "budget (€)", "budget"),
    _e("cost_reduction_factor", "facteur de réduction du coût", "cost reduction factor",
       "réduction du coût"),
)

TARGETS = Table(
    "targets", "Budgets et objectifs", "Budgets and targets",
    (
        Column("target_id", "text", "identifiant", "target id", required=True, unique=True,
               aliases=("id_objectif",), doc_fr="Identifiant unique.", doc_en="Unique identifier."),
        _cluster(required=False),
        Column("programme", "enum", "programme", "programme", required=True, enum=PROGRAMMES,
               doc_fr="Programme concerné.", doc_en="Programme."),
        Column("metric", "enum", "indicateur", "metric", required=True, enum=METRICS,
               aliases=("mesure",), doc_fr="Indicateur.", doc_en="Metric."),
        Column("value_low", "number", "valeur basse", "low value", required=True,
               aliases=("valeur", "valeur_min"),
               doc_fr="Valeur (ou borne basse d'une fourchette).",
               doc_en="Value (or lower bound of a range)."),
        Column("value_high", "number", "valeur haute", "high value", aliases=("valeur_max",),
               doc_fr="Borne haute d'une fourchette (≥ valeur basse).",
               doc_en="Upper bound of a range (≥ low value)."),
        Column("start_year", "int", "année de début", "start year", minimum=1900,
               aliases=("debut",), doc_fr="Première année.", doc_en="First year."),
        Column("end_year", "int", "année de fin", "end year", minimum=1900,
               aliases=("fin", "echeance"), doc_fr="Dernière année (≥ début).",
               doc_en="Last year (≥ start)."),
        _src(),
    ),
    key=("target_id",),
    rules=(NotGreater("value_low", "value_high"), NotGreater("start_year", "end_year")),
    doc_fr="Budgets et objectifs des programmes (pôle vide : programme national).",
    doc_en="Programme budgets and targets (empty cluster: national programme).",
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (SOURCES, CLUSTERS, MEMBERS, COMPTOIRS, VIE_POSTINGS, SURVEY_RESULTS, SPONSORSHIPS,
              TARGETS)
}
# Order in which tables can be loaded so that every reference points to a loaded table.
LOAD_ORDER: tuple[str, ...] = (
    "sources", "clusters", "comptoirs", "members", "vie_postings", "survey_results",
    "sponsorships", "targets",
)


def fold(text: str) -> str:
    """Header/value folding: accents and case ignored, spaces and punctuation as `_`."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out, prev_sep = [], False
    for ch in plain:
        if ch.isalnum():
            out.append(ch)
            prev_sep = False
        elif not prev_sep:
            out.append("_")
            prev_sep = True
    return "".join(out).strip("_")


def header_aliases(table: Table) -> dict[str, str]:
    """Folded header spelling → canonical column name (canonical, labels and aliases)."""
    mapping: dict[str, str] = {}
    for col in table.columns:
        for spelling in (col.name, col.fr, col.en, *col.aliases):
            mapping.setdefault(fold(spelling), col.name)
    return mapping


def enum_aliases(column: Column) -> dict[str, str]:
    """Folded value spelling → canonical enum value."""
    mapping: dict[str, str] = {}
    for v in column.enum:
        for spelling in (v.value, v.fr, v.en, *v.aliases):
            mapping.setdefault(fold(spelling), v.value)
    return mapping


def dictionary(lang: str = "fr") -> list[dict]:
    """The data dictionary: one row per column of every table."""
    rows = []
    for t in TABLES.values():
        key = set(t.key)
        for c in t.columns:
            allowed = ", ".join(
                f"{v.value} ({v.fr if lang == 'fr' else v.en})" for v in c.enum
            ) if c.enum else ACCEPTED[c.kind][lang]
            constraints = []
            if c.minimum is not None:
                constraints.append(f"≥ {c.minimum:g}")
            if c.unique or (len(t.key) == 1 and c.name in key):
                constraints.append("unique")
            elif c.name in key:
                constraints.append("clé composée" if lang == "fr" else "composite key")
            if c.references:
                constraints.append(f"→ {c.references}")
            for r in t.rules:
                if isinstance(r, NotGreater) and c.name in (r.left, r.right):
                    constraints.append(r.describe(lang))
                if isinstance(r, RequiredWhen) and c.name == r.column:
                    constraints.append(r.describe(lang))
            rows.append({
                "table": t.name,
                "column": c.name,
                "label": c.fr if lang == "fr" else c.en,
                "type": c.kind,
                "required": c.required,
                "allowed": allowed,
                "constraints": "; ".join(constraints),
                "aliases": ", ".join(dict.fromkeys((c.fr, *c.aliases))),
                "description": c.doc_fr if lang == "fr" else c.doc_en,
            })
    return rows
