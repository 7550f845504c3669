"""Synthetic data at European scale, for the benchmark: deterministic, seeded, vectorised.

`EU` is the size the benchmark measures: 3,000 clusters, 1,000,000 member firms (at the last of
24 monthly snapshots), 5,000 comptoirs, 200,000 VIE postings, 30,000 portage requests, surveys
and targets to match. Every value is a pure function of (row number, column, seed, month),
computed by DuckDB over `range()` with its `hash()`: no Python loop over rows, and the same
scale and seed always give the same rows.

The rows honour the data contract (`envol.schema`): enums, required columns, minimums,
references (member → cluster and comptoir, sponsorship → member, every row → sources) and the
row rules (export revenue ≤ revenue, funded ≤ labelled projects, start ≤ end, respondents ≤
base, a stage whenever a comptoir is set). Every generated row is flagged `illustrative` where
the table has that column; names are made up.

Months: firms join over the two years (96 % are members at month 1, the last 4 % join one month
each), move through the comptoir programme (candidate → selected → hosted → exporting, one stage
every 3, 4 or 6 months, each firm stopping at its own furthest stage) and update their accounts
once a year on their own month. So each monthly snapshot changes a few percent of the rows,
like an analyst's monthly upload of the whole members file (a `replace` commit).

`build_lake` writes the tables into a DuckLake through the same commit shape as
`envol.store.commit_table` (one transaction per table, the same commit metadata);
`write_members_csv` writes the last month's members as French Excel would (cp1252, `;`, decimal
comma, non-breaking-space thousands, French headers and enum labels, oui/non, CRLF).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from envol import store
from envol.schema import TABLES

VERSION = 1  # bump when the generated rows change: the benchmark's cache keys on it
AUTHOR = "Envol (banc d'essai)"
SCALE_SOURCE = "EU-SCALE"
FIRST_YEAR = 2024  # month 1 of the snapshots is January of this year


@dataclass(frozen=True)
class Scale:
    clusters: int
    members: int  # at the last month
    comptoirs: int
    vie_postings: int
    months: int = 24  # monthly snapshots of the members table
    seed: int = 20110630

    @property
    def sponsorships(self) -> int:
        return max(1, self.members * 3 // 100)

    @property
    def comptoir_clusters(self) -> int:
        """Clusters that run comptoirs: every third cluster, five comptoirs each."""
        return -(-self.comptoirs // 5)

    def check(self) -> None:
        if min(self.clusters, self.members, self.months) < 1:
            raise ValueError("a scale needs at least one cluster, one member and one month")
        if (self.comptoir_clusters - 1) * 3 >= self.clusters:
            raise ValueError(f"{self.comptoirs} comptoirs need {self.comptoir_clusters * 3 - 2}"
                             " clusters or more (five per cluster, every third cluster)")

    def key(self) -> str:
        """A short stable name for caches: the generator version and the scale."""
        text = json.dumps({"version": VERSION, **asdict(self)}, sort_keys=True)
        return f"v{VERSION}-" + hashlib.sha256(text.encode()).hexdigest()[:12]


EU = Scale(clusters=3000, members=1_000_000, comptoirs=5000, vie_postings=200_000)
SMALL = Scale(clusters=3, members=1000, comptoirs=5, vie_postings=100, months=3)

# Home countries of the clusters: ISO-3, French name, weight, centroid, a few cities. Every
# generated text is encodable in cp1252 (the members CSV is written as French Excel does).
HOME = [
    ("FRA", "France", 18, 46.6, 2.4, ["Paris", "Lyon", "Toulouse", "Marseille", "Nantes",
                                      "Bordeaux", "Grenoble", "Lille", "Besançon", "Orléans"]),
    ("DEU", "Allemagne", 20, 51.1, 10.4, ["München", "Stuttgart", "Köln", "Hamburg", "Dresden",
                                          "Düsseldorf", "Nürnberg"]),
    ("ITA", "Italie", 11, 42.8, 12.6, ["Milano", "Torino", "Bologna", "Napoli", "Firenze"]),
    ("ESP", "Espagne", 10, 40.2, -3.6, ["Madrid", "Barcelona", "Sevilla", "Bilbao", "Valencia"]),
    ("POL", "Pologne", 6, 52.1, 19.4, ["Varsovie", "Cracovie", "Wroclaw", "Gdansk", "Lodz"]),
    ("NLD", "Pays-Bas", 4, 52.2, 5.3, ["Eindhoven", "Rotterdam", "Delft", "Utrecht"]),
    ("BEL", "Belgique", 3, 50.6, 4.6, ["Liège", "Gent", "Bruxelles", "Charleroi"]),
    ("SWE", "Suède", 3, 62.0, 15.0, ["Göteborg", "Stockholm", "Malmö", "Linköping"]),
    ("AUT", "Autriche", 3, 47.6, 14.1, ["Wien", "Graz", "Linz"]),
    ("CZE", "Tchéquie", 3, 49.8, 15.5, ["Praha", "Brno", "Ostrava"]),
    ("PRT", "Portugal", 3, 39.6, -8.0, ["Porto", "Lisboa", "Braga", "Évora"]),
    ("DNK", "Danemark", 2, 56.0, 10.0, ["Aarhus", "København", "Odense"]),
    ("FIN", "Finlande", 2, 62.0, 26.0, ["Oulu", "Tampere", "Espoo"]),
    ("IRL", "Irlande", 1, 53.2, -8.0, ["Cork", "Dublin", "Galway"]),
    ("GRC", "Grèce", 1, 39.1, 22.0, ["Athènes", "Thessalonique"]),
    ("HUN", "Hongrie", 2, 47.2, 19.5, ["Gyor", "Budapest", "Debrecen"]),
    ("ROU", "Roumanie", 2, 45.9, 25.0, ["Cluj-Napoca", "Timisoara", "Brasov"]),
    ("SVK", "Slovaquie", 1, 48.7, 19.7, ["Bratislava", "Košice"]),
    ("SVN", "Slovénie", 1, 46.1, 14.8, ["Ljubljana", "Maribor"]),
    ("HRV", "Croatie", 1, 45.1, 15.2, ["Zagreb", "Rijeka"]),
    ("BGR", "Bulgarie", 1, 42.7, 25.5, ["Sofia", "Plovdiv"]),
    ("LTU", "Lituanie", 1, 55.2, 23.9, ["Kaunas", "Vilnius"]),
    ("LVA", "Lettonie", 1, 56.9, 24.6, ["Riga"]),
    ("EST", "Estonie", 1, 58.6, 25.0, ["Tallinn", "Tartu"]),
    ("LUX", "Luxembourg", 1, 49.8, 6.1, ["Luxembourg"]),
    ("CYP", "Chypre", 1, 35.1, 33.4, ["Nicosie"]),
    ("MLT", "Malte", 1, 35.9, 14.4, ["La Valette"]),
]
# Export destinations (comptoirs, VIE, portage): ISO-3, a city, its coordinates.
ABROAD = [
    ("MEX", "Querétaro", 20.59, -100.39), ("MAR", "Casablanca", 33.57, -7.59),
    ("BRA", "São Paulo", -23.55, -46.63), ("USA", "Wichita", 37.69, -97.33),
    ("CAN", "Montréal", 45.50, -73.57), ("CHN", "Shanghai", 31.23, 121.47),
    ("IND", "Bengaluru", 12.97, 77.59), ("JPN", "Nagoya", 35.18, 136.91),
    ("KOR", "Busan", 35.18, 129.08), ("VNM", "Hanoï", 21.03, 105.85),
    ("SGP", "Singapour", 1.35, 103.82), ("ARE", "Dubaï", 25.20, 55.27),
    ("SAU", "Riyad", 24.71, 46.68), ("TUR", "Istanbul", 41.01, 28.98),
    ("ZAF", "Johannesburg", -26.20, 28.05), ("NGA", "Lagos", 6.52, 3.38),
    ("SEN", "Dakar", 14.72, -17.47), ("CIV", "Abidjan", 5.36, -4.01),
    ("EGY", "Le Caire", 30.04, 31.24), ("TUN", "Tunis", 36.81, 10.18),
    ("ARG", "Córdoba", -31.42, -64.18), ("CHL", "Santiago", -33.45, -70.67),
    ("COL", "Bogotá", 4.71, -74.07), ("AUS", "Melbourne", -37.81, 144.96),
    ("GBR", "Bristol", 51.45, -2.59), ("CHE", "Genève", 46.20, 6.14),
    ("NOR", "Stavanger", 58.97, 5.73), ("ISR", "Haïfa", 32.79, 34.99),
    ("THA", "Bangkok", 13.76, 100.50), ("IDN", "Jakarta", -6.21, 106.85),
]
THEMES = ["Aéronautique", "Spatial", "Mobilité", "Santé", "Numérique", "Énergie", "Mer",
          "Agroalimentaire", "Matériaux", "Photonique", "Chimie verte", "Bois", "Textile",
          "Robotique", "Eau", "Nucléaire"]
KINDS = ["Pôle", "Cluster", "Réseau", "Vallée", "Alliance", "Campus"]
SECTORS = ["Usinage et mécanique", "Électronique embarquée", "Ingénierie technique",
           "Acoustique", "Composites", "Logiciel embarqué", "Maintenance (MRO)",
           "Essais et certification", "Biotechnologies", "Automatisme", "Optique", "Conseil"]
FIRM_WORDS = ["L’Atelier", "Ateliers", "Société", "Groupe", "Technologies", "Mécanique",
              "Composites", "Systèmes", "Ingénierie", "Électronique", "D’Alembert", "Œuvre"]
FIRM_NAMES = ["Dupont", "Müller", "García", "Rossi", "Nowak", "Janssens", "Berg", "Novák",
              "Silva", "Horváth", "Popescu", "Lefèvre", "Sørensen", "Virtanen", "Murphy"]
LEGAL = ["SAS", "SARL", "SA", "GmbH", "SpA", "SL", "BV", "AB", "sp. z o.o.", "s.r.o."]
GROUPS = ["Airbus", "Safran", "Thales", "Alstom", "EDF", "Engie", "Total", "Renault", "Stellantis",
          "Siemens", "Bosch", "BASF", "Leonardo", "Enel", "Iberdrola", "Telefónica", "ABB",
          "Schneider Electric", "Saint-Gobain", "Michelin", "Vinci", "Orange", "Dassault",
          "Naval Group", "Eiffage", "Spie", "Crédit Agricole", "BNP Paribas", "Volvo", "Ericsson"]
SURVEY_YEARS = range(2016, 2026)
PORTAGE_YEARS = range(2010, 2026)


def _setup(con: duckdb.DuckDBPyConnection, scale: Scale) -> None:
    """Reference lists, the per-row random macros and the cluster table, in `con`'s memory."""
    scale.check()
    con.execute("SET VARIABLE scale_seed = $seed", {"seed": scale.seed})
    # u(i, tag): a uniform number in [0, 1) that depends only on (i, tag, seed).
    con.execute("CREATE OR REPLACE TEMP MACRO u(i, tag) AS "
                "(hash(i, tag, getvariable('scale_seed')) % 1000003) / 1000003.0")
    con.execute("CREATE OR REPLACE TEMP MACRO pick(xs, i, tag) AS "
                "xs[1 + (hash(i, tag, getvariable('scale_seed')) % len(xs))::BIGINT]")
    con.execute("CREATE OR REPLACE TEMP MACRO span(i, tag, lo, hi) AS "
                "(lo + floor(u(i, tag) * (hi - lo + 1)))::BIGINT")
    total = sum(h[2] for h in HOME)
    cum, lows = 0, []
    for h in HOME:
        lows.append(cum / total)
        cum += h[2]
    home = pa.table({
        "iso3": [h[0] for h in HOME], "country": [h[1] for h in HOME],
        "lo": lows, "hi": lows[1:] + [1.0 + 1e-9],
        "lat": [h[3] for h in HOME], "lon": [h[4] for h in HOME],
        "cities": [h[5] for h in HOME],
    })
    abroad = pa.table({"k": list(range(len(ABROAD))), "iso3": [a[0] for a in ABROAD],
                       "city": [a[1] for a in ABROAD], "lat": [a[2] for a in ABROAD],
                       "lon": [a[3] for a in ABROAD]})
    for name, table in (("scale_home", home), ("scale_abroad", abroad)):
        con.register(f"{name}_src", table)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS FROM {name}_src")  # noqa: S608
        con.unregister(f"{name}_src")
    params = {"n": scale.clusters, "ncc": scale.comptoir_clusters, "ncomp": scale.comptoirs,
              "themes": THEMES, "kinds": KINDS}
    con.execute("""
        CREATE OR REPLACE TEMP TABLE scale_clusters AS
        SELECT
            i AS ci,
            'eu-' || lower(h.iso3) || '-' || lpad((i + 1)::VARCHAR, 4, '0') AS cluster_id,
            pick($kinds, i, 'kind') || ' ' || pick($themes, i, 'theme') || ' ' || h.country
                || ' ' || (i + 1)::VARCHAR AS name,
            h.iso3, h.country, h.lat AS clat, h.lon AS clon, h.cities,
            CASE WHEN i % 3 = 0 AND i // 3 < $ncc THEN least(5, $ncomp - (i // 3) * 5)
                 ELSE 0 END AS n_comptoirs
        FROM range($n) t(i)
        JOIN scale_home h ON u(i, 'home') >= h.lo AND u(i, 'home') < h.hi
        ORDER BY i
    """, params)


def _sql_sources(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    return con.sql("""
        SELECT $src AS source_id,
               'Jeu de données synthétique à l''échelle européenne (banc d''essai Envol)'
                   AS title,
               'Envol' AS outlet, NULL AS author, DATE '2025-01-01' AS published_on,
               false AS date_is_approximate, NULL AS url,
               'Données générées pour mesurer les performances : aucune ligne n''est réelle.'
                   AS note
        UNION ALL
        SELECT 'EU-' || cluster_id, 'Rapport annuel 2024 – ' || name, name, NULL,
               DATE '2025-01-15' + span(ci, 'pub', 0, 300)::INTEGER, false, NULL,
               'Synthétique (banc d''essai).'
        FROM scale_clusters
        ORDER BY ALL
    """, params={"src": SCALE_SOURCE})


def _sql_clusters(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    return con.sql("""
        WITH c AS (
            SELECT *,
                   CASE WHEN u(ci, 'rep') < 0.2 THEN NULL
                        ELSE span(ci, 'repm', 40, 900) END AS rm,
                   span(ci, 'lab', 0, 400) AS lab
            FROM scale_clusters
        )
        SELECT cluster_id, name,
               country || ' – ' || pick(['Nord', 'Sud', 'Est', 'Ouest', 'Centre'], ci, 'reg')
                   AS region,
               pick(cities, ci, 'hq') AS hq_city,
               round(clat + (u(ci, 'lat') - 0.5) * 3, 4) AS lat,
               round(clon + (u(ci, 'lon') - 0.5) * 4, 4) AS lon,
               pick($themes, ci, 'theme') AS sectors,
               span(ci, 'founded', 1990, 2022) AS founded_year,
               rm AS reported_members,
               (rm * (0.5 + 0.4 * u(ci, 'sme')))::BIGINT AS reported_smes,
               rm * span(ci, 'jobs', 20, 200) AS reported_jobs,
               lab AS labelled_projects,
               (lab * u(ci, 'funded'))::BIGINT AS funded_projects,
               round((lab * u(ci, 'funded'))::BIGINT * span(ci, 'eur', 500, 3000) * 1000.0, -3)
                   AS public_funding_eur,
               'EU-' || cluster_id AS source_id
        FROM c ORDER BY ci
    """, params={"themes": THEMES})


def _sql_comptoirs(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    return con.sql("""
        WITH k AS (
            SELECT j, (j // 5) * 3 AS ci, j % 5 AS slot,
                   (hash(j, 'dest', getvariable('scale_seed')) % $nab)::BIGINT AS dest,
                   u(j, 'status') AS us
            FROM range($n) t(j)
        )
        SELECT c.cluster_id || '-' || lower(a.iso3) || '-' || (k.slot + 1)::VARCHAR
                   AS comptoir_id,
               c.cluster_id, a.iso3 AS country_iso3, a.city,
               round(a.lat + (u(j, 'lat') - 0.5) * 0.2, 4) AS lat,
               round(a.lon + (u(j, 'lon') - 0.5) * 0.2, 4) AS lon,
               CASE WHEN us < 0.10 THEN 'planned' WHEN us < 0.25 THEN 'opening'
                    WHEN us < 0.95 THEN 'operational' ELSE 'closed' END AS status,
               DATE '2008-01-01' + span(j, 'opened', 0, 6500)::INTEGER AS opened_on,
               4 AS min_members,
               span(j, 'cap', 4, 12) AS capacity_firms,
               round(span(j, 'budget', 20, 120) * 1000.0, -3) AS budget_eur,
               CASE WHEN u(j, 'princ') < 0.3 THEN NULL
                    ELSE array_to_string([pick($groups, j, 'p1'), pick($groups, j, 'p2'),
                                          pick($groups, j, 'p3')], ';') END
                   AS local_principals,
               CASE WHEN u(j, 'ljobs') < 0.5 THEN NULL ELSE span(j, 'lj', 500, 30000) END
                   AS local_sector_jobs,
               true AS illustrative,
               'EU-' || c.cluster_id AS source_id
        FROM k
        JOIN scale_clusters c USING (ci)
        JOIN scale_abroad a ON a.k = k.dest
        ORDER BY j
    """, params={"n": scale.comptoirs, "nab": len(ABROAD), "groups": GROUPS})


# A member firm's name from its row number (also the SME name of its sponsorships).
_MEMBER_NAME = ("pick($words, {i}, 'w1') || ' ' || pick($names, {i}, 'w2') || ' ' "
                "|| pick($legal, {i}, 'legal')")


def _member_firms(con: duckdb.DuckDBPyConnection, scale: Scale) -> None:
    """Everything about a member firm that does not depend on the month, once (temp table
    `scale_firms`); `_sql_members` then derives each month with a few cheap expressions."""
    name = _MEMBER_NAME.format(i="i")
    sql = f"""
        CREATE OR REPLACE TEMP TABLE scale_firms AS
        WITH b AS (
            SELECT i,
                   CASE WHEN $months > 1 AND u(i, 'join') < 0.04
                        THEN 1 + (hash(i, 'jm', getvariable('scale_seed'))
                                  % greatest($months - 1, 1))::BIGINT
                        ELSE 0 END AS join_month,
                   least(floor($nc * pow(u(i, 'cluster'), 2))::BIGINT, $nc - 1) AS ci,
                   u(i, 'size') AS us,
                   u(i, 'prog') < 0.15 AS in_prog,
                   hash(i, 'slot', getvariable('scale_seed')) AS slot_hash
            FROM range($n) t(i)
        ),
        m AS (
            SELECT b.*, c.cluster_id, c.cities, c.n_comptoirs,
                   CASE WHEN us < 0.40 THEN 'micro' WHEN us < 0.82 THEN 'sme'
                        WHEN us < 0.96 THEN 'midcap' ELSE 'large' END AS size_class,
                   CASE WHEN in_prog AND c.n_comptoirs > 0
                        THEN (slot_hash % c.n_comptoirs)::BIGINT END AS slot
            FROM b JOIN scale_clusters c USING (ci)
        )
        SELECT
            i, join_month, cluster_id, size_class,
            'M' || lpad(i::VARCHAR, 7, '0') AS member_id,
            {name} AS name,
            pick($sectors, i, 'sector') AS sector,
            pick(cities, i, 'city') AS city,
            CASE size_class
                WHEN 'micro' THEN span(i, 'hc', 1, 9)
                WHEN 'sme' THEN span(i, 'hc', 10, 249)
                WHEN 'midcap' THEN span(i, 'hc', 250, 4999)
                ELSE span(i, 'hc', 5000, 50000) END AS headcount0,
            CASE WHEN u(i, 'norev') >= 0.03
                 THEN span(i, 'perhead', 80, 250) * 1000.0 END AS per_head,
            0.6 * u(i, 'export') AS export_share,
            CASE WHEN u(i, 'jx') < 0.30 THEN NULL ELSE u(i, 'jx') >= 0.88 END
                AS joint_export_experience,
            -- yearly accounts, updated on the firm's own month, by its own growth rate
            span(i, 'phase', 0, 11) AS phase,
            -0.05 + 0.20 * u(i, 'growth') AS growth,
            -- the comptoir programme: which comptoir, entry month, pace, furthest stage
            CASE WHEN m.slot IS NOT NULL
                 THEN cluster_id || '-' || lower(a.iso3) || '-' || (m.slot + 1)::VARCHAR
                 END AS comptoir,
            span(i, 'entry', -12, 23) AS entry,
            [3, 4, 6][1 + (hash(i, 'pace', getvariable('scale_seed')) % 3)::BIGINT] AS pace,
            CASE WHEN u(i, 'far') < 0.40 THEN 0 WHEN u(i, 'far') < 0.65 THEN 1
                 WHEN u(i, 'far') < 0.85 THEN 2 ELSE 3 END AS furthest
        FROM m
        LEFT JOIN scale_comptoir_dest a ON a.ci = m.ci AND a.slot = m.slot
        ORDER BY i
    """  # noqa: S608  (only constant SQL fragments are formatted in, never values)
    con.execute(sql, {"n": scale.members, "nc": scale.clusters, "months": scale.months,
                      "words": FIRM_WORDS, "names": FIRM_NAMES, "legal": LEGAL,
                      "sectors": SECTORS})


def _sql_members(con, scale: Scale, month: int) -> duckdb.DuckDBPyRelation:
    """The members table at `month` (0-based): firms that have joined, their accounts of
    that year and their stage in the comptoir programme."""
    return con.sql("""
        WITH f AS (
            SELECT *, (($s + phase) // 12)::INTEGER AS years,
                   comptoir IS NOT NULL AND $s >= entry AS in_comptoir
            FROM scale_firms
            WHERE join_month <= $s
        ),
        h AS (
            SELECT *, round(headcount0 * pow(1 + growth / 2, years))::BIGINT AS headcount,
                   round(headcount0 * per_head * pow(1 + growth, years), -3) AS revenue_eur
            FROM f
        )
        SELECT member_id, cluster_id, name, size_class, sector, city, headcount, revenue_eur,
               round(revenue_eur * export_share, -3) AS export_revenue_eur,
               joint_export_experience,
               CASE WHEN in_comptoir THEN comptoir END AS comptoir_id,
               CASE WHEN in_comptoir THEN ['candidate', 'selected', 'hosted', 'exporting'][
                        1 + least(furthest, ($s - entry) // pace)::BIGINT] END
                   AS comptoir_stage,
               true AS illustrative,
               'EU-' || cluster_id AS source_id
        FROM h
    """, params={"s": month})  # scale_firms is in row order; DuckDB keeps it (insertion order)


def _sql_vie(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    return con.sql("""
        WITH v AS (
            SELECT j, least(floor($nc * pow(u(j, 'vcluster'), 2))::BIGINT, $nc - 1) AS ci,
                   (hash(j, 'vdest', getvariable('scale_seed')) % $nab)::BIGINT AS dest,
                   u(j, 'vstatus') AS us
            FROM range($n) t(j)
        ),
        s AS (
            SELECT *,
                   CASE WHEN us < 0.60 THEN 'completed' WHEN us < 0.85 THEN 'in_post'
                        ELSE 'to_recruit' END AS status,
                   CASE WHEN us < 0.60 THEN DATE '2008-01-01' + span(j, 'st', 0, 5800)::INTEGER
                        WHEN us < 0.85 THEN DATE '2024-01-01' + span(j, 'st', 0, 700)::INTEGER
                        WHEN u(j, 'plan') < 0.5 THEN NULL
                        ELSE DATE '2026-01-01' + span(j, 'st', 0, 360)::INTEGER END AS start_on
            FROM v
        )
        SELECT 'V' || lpad(j::VARCHAR, 7, '0') AS posting_id, c.cluster_id,
               a.iso3 AS country_iso3,
               CASE WHEN u(j, 'vcity') < 0.2 THEN NULL ELSE a.city END AS city,
               pick($groups, j, 'host') AS host_company,
               status, start_on,
               start_on + span(j, 'len', 180, 730)::INTEGER AS end_on,
               span(j, 'served', 1, 6) AS firms_served,
               'EU-' || c.cluster_id AS source_id
        FROM s JOIN scale_clusters c USING (ci) JOIN scale_abroad a ON a.k = s.dest
        ORDER BY j
    """, params={"n": scale.vie_postings, "nc": scale.clusters, "nab": len(ABROAD),
                 "groups": GROUPS})


def _sql_survey(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    return con.sql("""
        WITH s AS (
            SELECT y, greatest(20, round($n * 0.004 * (1 + u(y, 'base'))))::BIGINT AS base,
                   0.08 + 0.10 * u(y, 'yes') AS yes
            FROM unnest($years) t(y)
        )
        SELECT 'eu-coexport-' || y::VARCHAR AS survey_id,
               'Enquête européenne sur l''export conjoint ' || y::VARCHAR AS survey_name,
               y AS year, 'joint_export' AS question_id,
               'Avez-vous déjà mené une action d''export conjointe avec un grand groupe ?'
                   AS question,
               a.answer,
               CASE WHEN a.answer = 'oui' THEN round(base * yes)::BIGINT
                    ELSE base - round(base * yes)::BIGINT END AS respondents,
               base, $src AS source_id
        FROM s CROSS JOIN (VALUES ('oui'), ('non')) a(answer)
        ORDER BY y, answer DESC
    """, params={"n": scale.members, "years": list(SURVEY_YEARS), "src": SCALE_SOURCE})


def _sql_sponsorships(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    # The SME is a member firm present from the first month (or, for one in ten, a firm that
    # is not a cluster member: member_id empty).
    name = _MEMBER_NAME.format(i="m")
    sql = f"""
        WITH p AS (
            SELECT j, (hash(j, 'member', getvariable('scale_seed')) % $nm)::BIGINT AS m,
                   u(j, 'pstage') AS us
            FROM range($n) t(j)
        )
        SELECT 'P' || lpad(j::VARCHAR, 6, '0') AS sponsorship_id,
               pick($groups, j, 'sponsor') AS sponsor,
               {name} AS sme_name,
               CASE WHEN u(j, 'outside') >= 0.1 AND ($months = 1 OR u(m, 'join') >= 0.04)
                    THEN 'M' || lpad(m::VARCHAR, 7, '0') END AS member_id,
               pick($dest, j, 'pdest') AS country_iso3,
               span(j, 'year', 2009, 2025) AS year,
               CASE WHEN us < 0.25 THEN 'requested' WHEN us < 0.45 THEN 'endorsed'
                    WHEN us < 0.60 THEN 'reviewed' WHEN us < 0.75 THEN 'matched'
                    ELSE 'supported' END AS stage,
               CASE WHEN us >= 0.45 THEN span(j, 'days', 10, 60) END AS review_days,
               true AS illustrative,
               $src AS source_id
        FROM p ORDER BY j
    """  # noqa: S608  (only constant SQL fragments are formatted in, never values)
    return con.sql(sql, params={
        "n": scale.sponsorships, "nm": scale.members, "months": scale.months, "groups": GROUPS,
        "dest": [a[0] for a in ABROAD], "words": FIRM_WORDS, "names": FIRM_NAMES,
        "legal": LEGAL, "src": SCALE_SOURCE})


def _sql_targets(con, scale: Scale) -> duckdb.DuckDBPyRelation:
    return con.sql("""
        WITH c AS (SELECT * FROM scale_clusters WHERE n_comptoirs > 0),
        t AS (
            SELECT cluster_id, 'jobs' AS metric,
                   round(span(ci, 'tjobs', 5, 200) * 100.0) AS lo, NULL::DOUBLE AS hi,
                   2021 AS y0, 2030 AS y1, ci FROM c
            UNION ALL
            SELECT cluster_id, 'budget_eur', round(span(ci, 'tbud', 100, 1000) * 1000.0),
                   round(span(ci, 'tbud', 100, 1000) * 1500.0), 2024, NULL, ci FROM c
            UNION ALL
            SELECT cluster_id, 'cost_reduction_factor', 2.0, 3.0, NULL, NULL, ci FROM c
            UNION ALL
            SELECT cluster_id, 'firms_supported', (n_comptoirs * span(ci, 'tf', 4, 8))::DOUBLE,
                   NULL, 2026, 2026, ci FROM c
        )
        SELECT 'T-' || cluster_id || '-' || metric AS target_id, cluster_id,
               'comptoirs' AS programme, metric, lo AS value_low, hi AS value_high,
               y0 AS start_year, y1 AS end_year, 'EU-' || cluster_id AS source_id
        FROM t
        UNION ALL
        SELECT 'T-portage-' || y::VARCHAR, NULL, 'portage', 'firms_supported',
               round(100 * pow(1.15, y - 2010)), NULL, y, y, $src
        FROM unnest($years) p(y)
        ORDER BY target_id
    """, params={"years": list(PORTAGE_YEARS), "src": SCALE_SOURCE})


def tables(con: duckdb.DuckDBPyConnection, scale: Scale, month: int | None = None
           ) -> dict[str, pa.Table]:
    """Every contract table at `scale` (members at `month`, default the last), as Arrow."""
    _setup(con, scale)
    _comptoir_dest(con, scale)
    _member_firms(con, scale)
    month = scale.months - 1 if month is None else month
    rels = {
        "sources": _sql_sources(con, scale),
        "clusters": _sql_clusters(con, scale),
        "comptoirs": _sql_comptoirs(con, scale),
        "members": _sql_members(con, scale, month),
        "vie_postings": _sql_vie(con, scale),
        "survey_results": _sql_survey(con, scale),
        "sponsorships": _sql_sponsorships(con, scale),
        "targets": _sql_targets(con, scale),
    }
    return {name: rel.to_arrow_table().select(TABLES[name].column_names)
                     .cast(TABLES[name].arrow_schema())
            for name, rel in rels.items()}


def _comptoir_dest(con: duckdb.DuckDBPyConnection, scale: Scale) -> None:
    """(cluster, slot) → destination country of that comptoir, for the members' comptoir_id."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE scale_comptoir_dest AS
        SELECT (j // 5) * 3 AS ci, j % 5 AS slot, a.iso3
        FROM range($n) t(j)
        JOIN scale_abroad a ON a.k = (hash(j, 'dest', getvariable('scale_seed')) % $nab)::BIGINT
    """, {"n": scale.comptoirs, "nab": len(ABROAD)})


def _sha(scale: Scale, what: str) -> str:
    return hashlib.sha256(f"{scale.key()}|{what}".encode()).hexdigest()


def _commit(con: duckdb.DuckDBPyConnection, name: str, *, note: str, file_name: str,
            sha256: str) -> int:
    """`store.commit_table`'s commit (replace), fed by the temp table `scale_incoming`."""
    table = TABLES[name]
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    with con.cursor() as cur:
        cur.execute("BEGIN")
        try:
            # Table and column names come from the contract, never from a user.
            cur.execute(f"DELETE FROM {store.LAKE}.{name}")  # noqa: S608
            cur.execute(f"INSERT INTO {store.LAKE}.{name} ({columns}) "  # noqa: S608
                        f"SELECT {columns} FROM scale_incoming")
            rows = cur.execute("SELECT count(*) FROM scale_incoming").fetchone()[0]
            extra = {"table": name, "mode": "replace", "file": file_name, "sha256": sha256,
                     "rows": rows}
            cur.execute(f"CALL {store.LAKE}.set_commit_message($a, $m, extra_info => $e)", {
                "a": AUTHOR, "m": f"replace: {note}", "e": json.dumps(extra)})
            cur.execute("COMMIT")
        except Exception:
            cur.execute("ROLLBACK")
            raise
    return store.current_version(con)


def _stage(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation) -> None:
    """Materialise a generated relation as the temp table `scale_incoming`."""
    con.execute("DROP TABLE IF EXISTS scale_incoming")
    rel.create("scale_incoming")


def build_lake(directory: Path, scale: Scale = EU) -> dict:
    """A DuckLake in `directory` (catalog `envol.ducklake`, data in `files/`) holding every
    table at `scale`, then one `replace` commit of the members table per further month.
    Returns a summary (rows per table, snapshot ids)."""
    config = store.LakeConfig(str(directory / "envol.ducklake"), directory / "files")
    con = store.open_lake(config, seed_dir=None)
    try:
        _setup(con, scale)
        _comptoir_dest(con, scale)
        _member_firms(con, scale)
        summary: dict = {"scale": asdict(scale), "rows": {}, "member_snapshots": []}
        builders = {
            "sources": _sql_sources, "clusters": _sql_clusters, "comptoirs": _sql_comptoirs,
            "vie_postings": _sql_vie, "survey_results": _sql_survey,
            "sponsorships": _sql_sponsorships, "targets": _sql_targets,
        }
        for name in ("sources", "clusters", "comptoirs", "members", "vie_postings",
                     "survey_results", "sponsorships", "targets"):
            if name == "members":
                rel = _sql_members(con, scale, 0)
                note, file_name = _month_note(0), _month_file(0)
            else:
                rel = builders[name](con, scale)
                note, file_name = "échelle européenne (synthétique)", f"scale/{name}.csv"
            _stage(con, rel)
            version = _commit(con, name, note=note, file_name=file_name,
                              sha256=_sha(scale, f"{name}|0"))
            summary["rows"][name] = con.execute("SELECT count(*) FROM scale_incoming"
                                                ).fetchone()[0]
            if name == "members":
                summary["member_snapshots"].append(version)
        for month in range(1, scale.months):
            _stage(con, _sql_members(con, scale, month))
            version = _commit(con, "members", note=_month_note(month),
                              file_name=_month_file(month),
                              sha256=_sha(scale, f"members|{month}"))
            summary["member_snapshots"].append(version)
        summary["rows"]["members"] = con.execute("SELECT count(*) FROM scale_incoming"
                                                 ).fetchone()[0]
        con.execute("DROP TABLE IF EXISTS scale_incoming")
        summary["version"] = store.current_version(con)
        return summary
    finally:
        con.close()


def _month(month: int) -> str:
    return f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}"


def _month_note(month: int) -> str:
    return f"membres {_month(month)}, échelle européenne (synthétique)"


def _month_file(month: int) -> str:
    return f"scale/membres-{_month(month)}.csv"


# The members CSV as an analyst's French Excel writes it.
_BOOL_FR = "CASE WHEN {c} THEN 'oui' WHEN NOT {c} THEN 'non' END"


def _fr_number(expr: str, decimals: int) -> str:
    """French number text: non-breaking-space thousands, decimal comma."""
    fmt = "{:,." + str(decimals) + "f}" if decimals else "{:,}"
    return f"translate(format('{fmt}', {expr}), ',.', chr(160) || ',')"


def members_csv_sql() -> str:
    """SELECT of the last month's members with French headers and French-formatted values."""
    cols = TABLES["members"].columns
    out = []
    for c in cols:
        ref = f'"{c.name}"'
        if c.kind == "bool":
            expr = _BOOL_FR.format(c=ref)
        elif c.kind == "enum":
            cases = " ".join(f"WHEN '{v.value}' THEN '{v.fr}'" for v in c.enum)
            expr = f"CASE {ref} {cases} END"
        elif c.kind == "int":
            expr = _fr_number(ref, 0)
        elif c.kind == "number":
            expr = _fr_number(ref, 2)
        else:
            expr = ref
        label = c.fr.replace('"', '""')
        out.append(f'{expr} AS "{label}"')
    return "SELECT " + ", ".join(out) + " FROM scale_csv_rows"  # noqa: S608


def write_members_csv(path: Path, scale: Scale = EU, *, chunk_bytes: int = 1 << 24) -> int:
    """The last month's members as a French Excel CSV (cp1252, `;`, CRLF). Returns rows."""
    con = store.connect()
    try:
        _setup(con, scale)
        _comptoir_dest(con, scale)
        _member_firms(con, scale)
        _sql_members(con, scale, scale.months - 1).create("scale_csv_rows")
        utf8 = path.with_suffix(".utf8.tmp")
        con.execute(f"COPY ({members_csv_sql()}) TO '{_sql_path(utf8)}' "  # noqa: S608
                    "(FORMAT csv, DELIMITER ';', HEADER true, QUOTE '\"')")
        rows = con.execute("SELECT count(*) FROM scale_csv_rows").fetchone()[0]
    finally:
        con.close()
    tmp = path.with_suffix(".tmp")
    with open(utf8, encoding="utf-8", newline="") as src, open(tmp, "wb") as dst:
        while chunk := src.read(chunk_bytes):
            dst.write(chunk.replace("\n", "\r\n").encode("cp1252"))
    utf8.unlink()
    os.replace(tmp, path)
    return rows


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
