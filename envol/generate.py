"""The embedded default dataset, generated deterministically from `shared/domain/FACTS.md`.

Every figure the five source articles (S1–S5) give holds exactly in these rows. Where a page
needs member-level rows that no article gives, they are generated from a fixed seed so that every
published aggregate still holds, and each such row is flagged `illustrative`. Real names appear
only where an article gives them.

Run `python -m envol.generate` to rewrite `data/default/*.parquet`; a test regenerates the data
and compares it with the committed files.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from envol.schema import TABLES

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "default"
SEED = 20110630

D = dt.date

SOURCES = [
    dict(source_id="S1", title="En Paca, Pégase aide les PME à s'envoler vers l'international",
         outlet="Les Echos", author="Paul Molga", published_on=D(2011, 1, 15),
         date_is_approximate=True,
         note="Correspondant à Marseille ; date déduite du texte (début 2011)."),
    dict(source_id="S2",
         title="Quand les pôles de compétitivité « aéronautique » veulent propulser la "
               "croissance de leurs PME",
         outlet="Portail public des pôles de compétitivité", author=None,
         published_on=D(2011, 6, 24), date_is_approximate=True,
         note="Publié pendant le salon du Bourget (24–26 juin 2011)."),
    dict(source_id="S3",
         title="Pacte PME et le « co-export » entre grands groupes et PME",
         outlet="Le Moci", author="Christine Gilguy", published_on=D(2016, 10, 1),
         date_is_approximate=True,
         note="Titre donné par Envol (l'extrait n'en a pas) ; date déduite (≈ octobre 2016)."),
    dict(source_id="S4", title="Aerospace Valley ; Les PME au cœur des préoccupations",
         outlet="Presse régionale", author="Sophie Orus", published_on=D(2010, 1, 15),
         date_is_approximate=True,
         note="Assemblée générale d'Aerospace Valley ; date déduite (≈ 2010)."),
    dict(source_id="S5",
         title="Pacte PME international : le portage des PME par les grands groupes",
         outlet="Presse économique", author=None, published_on=D(2010, 2, 1),
         date_is_approximate=True,
         note="Titre donné par Envol (l'extrait n'en a pas) ; date déduite (≈ début 2010)."),
]

CLUSTERS = [
    dict(cluster_id="pegase", name="Pégase", region="Provence-Alpes-Côte d'Azur",
         hq_city="Marseille", lat=43.2965, lon=5.3698, sectors="Aéronautique",
         founded_year=None, reported_members=None, reported_smes=100, reported_jobs=None,
         labelled_projects=None, funded_projects=None, public_funding_eur=None, source_id="S1"),
    dict(cluster_id="aerospace_valley", name="Aerospace Valley",
         region="Midi-Pyrénées et Aquitaine", hq_city="Toulouse", lat=43.6047, lon=1.4442,
         sectors="Aéronautique, spatial, systèmes embarqués", founded_year=2005,
         reported_members=546, reported_smes=265, reported_jobs=120_000, labelled_projects=368,
         funded_projects=195, public_funding_eur=600_000_000.0, source_id="S4"),
    dict(cluster_id="astech", name="ASTech", region="Île-de-France", hq_city="Paris",
         lat=48.8566, lon=2.3522, sectors="Aéronautique et spatial", founded_year=None,
         reported_members=None, reported_smes=None, reported_jobs=None, labelled_projects=None,
         funded_projects=None, public_funding_eur=None, source_id="S2"),
]

# The article (S1) names the five countries; the cities are chosen for display (illustrative).
COMPTOIRS = [
    dict(comptoir_id="pegase-mex", country_iso3="MEX", city="Querétaro", lat=20.5888,
         lon=-100.3899, status="operational", opened_on=D(2010, 12, 15),
         local_principals="EADS;Cessna;Bombardier;Areva;Thales", local_sector_jobs=23_000),
    dict(comptoir_id="pegase-mar", country_iso3="MAR", city="Casablanca", lat=33.5731,
         lon=-7.5898, status="opening", opened_on=D(2011, 6, 30),
         local_principals=None, local_sector_jobs=None),
    dict(comptoir_id="pegase-bra", country_iso3="BRA", city="São Paulo", lat=-23.5505,
         lon=-46.6333, status="opening", opened_on=D(2011, 6, 30),
         local_principals="Eurocopter (Heli Brasil)", local_sector_jobs=None),
    dict(comptoir_id="pegase-usa", country_iso3="USA", city="Wichita", lat=37.6872,
         lon=-97.3301, status="opening", opened_on=D(2011, 6, 30),
         local_principals=None, local_sector_jobs=None),
    dict(comptoir_id="pegase-can", country_iso3="CAN", city="Montréal", lat=45.5019,
         lon=-73.5674, status="opening", opened_on=D(2011, 6, 30),
         local_principals=None, local_sector_jobs=None),
]
FIRMS_PER_COMPTOIR = 4  # S1: ~20 firms hosted across five comptoirs, GIE of at least 4

VIE_POSTINGS = [
    dict(posting_id="av-vie-1", country_iso3="CHN", city=None, status="in_post"),
    dict(posting_id="av-vie-2", country_iso3="CAN", city="Montréal", status="in_post"),
    dict(posting_id="av-vie-3", country_iso3="DEU", city=None, status="to_recruit"),
    dict(posting_id="av-vie-4", country_iso3="BRA", city=None, status="to_recruit"),
    dict(posting_id="av-vie-5", country_iso3="USA", city=None, status="to_recruit"),
    dict(posting_id="av-vie-6", country_iso3="CHN", city=None, status="to_recruit"),
]

SURVEY = dict(survey_id="pacte-pme-coexport", year=2016,
              survey_name="Enquête Pacte PME, Business France et CCI International sur "
                          "l'export conjoint")
SURVEY_ANSWERS = [
    ("oui", "Oui : au moins une action conjointe, surtout dans des pays frontaliers", 50),
    ("non", "Non : aucune, souvent pour incapacité structurelle (faible effectif, peu de "
            "moyens engagés à l'export)", 350),
]
SURVEY_BASE = 400

TARGETS = [
    dict(target_id="T1", cluster_id="pegase", programme="comptoirs", metric="jobs",
         value_low=10_000.0, value_high=None, start_year=2011, end_year=2020, source_id="S1"),
    dict(target_id="T2", cluster_id="pegase", programme="comptoirs", metric="budget_eur",
         value_low=200_000.0, value_high=300_000.0, start_year=2011, end_year=None,
         source_id="S1"),
    dict(target_id="T3", cluster_id="pegase", programme="comptoirs",
         metric="cost_reduction_factor", value_low=2.0, value_high=3.0, start_year=None,
         end_year=None, source_id="S1"),
    dict(target_id="T4", cluster_id="pegase", programme="comptoirs", metric="firms_supported",
         value_low=20.0, value_high=None, start_year=2011, end_year=2011, source_id="S1"),
    dict(target_id="T5", cluster_id=None, programme="portage", metric="firms_supported",
         value_low=100.0, value_high=None, start_year=2010, end_year=2010, source_id="S5"),
]

# S5: about twenty large groups; these seven are named.
PACTE_SPONSORS = ["Alstom", "EDF", "Spie", "Total", "Renault", "EADS", "Crédit Agricole"]
PORTAGE_2009_SUPPORTED = 65   # S5: SMEs supported in the first ten months
PORTAGE_REVIEW_DAYS_MEAN = 30  # S5: review takes one month on average
PORTAGE_2016_UNDER_WAY = 60   # S3: about sixty sponsorships under way
PORTAGE_COUNTRIES = ["VNM", "CHN", "IND", "BRA", "MAR", "USA", "DEU", "MEX", "TUR", "ZAF"]

AV_REAL_LARGE = ["Airbus", "Alstom", "EADS", "Thales"]  # S4 names these members
AV_SIZES = {"micro": 95, "sme": 170, "midcap": 270, "large": 11}  # 95 + 170 = 265 SMEs (S4)
AV_HEADCOUNT = {"micro": (1, 9), "sme": (10, 249), "midcap": (250, 300), "large": (5000, 6500)}
AV_JOBS = 120_000  # S4
PEGASE_SIZES = {"micro": 35, "sme": 65}  # ≈100 member SMEs (S1: 20 hosted ≈ 20 %)
SME_HEADCOUNT = {"micro": (1, 9), "sme": (10, 249)}
SECTORS = ["Usinage et mécanique", "Électronique embarquée", "Ingénierie technique",
           "Acoustique", "Composites", "Logiciel embarqué", "Maintenance (MRO)",
           "Essais et certification"]
AV_CITIES = ["Toulouse", "Bordeaux", "Blagnac", "Mérignac", "Tarbes", "Pau", "Figeac",
             "Colomiers"]
PEGASE_CITIES = ["Marseille", "Marignane", "Aix-en-Provence", "Istres", "Toulon", "Cannes",
                 "Vitrolles"]


def _spread_to_total(rng: random.Random, bounds: list[tuple[int, int]], total: int) -> list[int]:
    """Draw one integer per bound, then nudge within bounds until they sum to `total`."""
    values = [rng.randint(lo, hi) for lo, hi in bounds]
    diff = total - sum(values)
    i = 0
    while diff != 0:
        lo, hi = bounds[i % len(values)]
        j = i % len(values)
        if diff > 0 and values[j] < hi:
            step = min(diff, hi - values[j])
            values[j] += step
            diff -= step
        elif diff < 0 and values[j] > lo:
            step = min(-diff, values[j] - lo)
            values[j] -= step
            diff += step
        i += 1
        if i > 10 * len(values) and diff != 0:
            raise ValueError("total out of reach of the bounds")
    return values


def _revenue(rng: random.Random, headcount: int) -> float:
    per_head = rng.randint(90, 220) * 1000  # € revenue per employee
    return float(round(headcount * per_head, -3))


def _member(member_id, cluster_id, name, size, sector, city, headcount, revenue, export,
            comptoir_id=None, stage=None, illustrative=True, source_id="S4"):
    return dict(member_id=member_id, cluster_id=cluster_id, name=name, size_class=size,
                sector=sector, city=city, headcount=headcount, revenue_eur=revenue,
                export_revenue_eur=export, joint_export_experience=None,
                comptoir_id=comptoir_id, comptoir_stage=stage, illustrative=illustrative,
                source_id=source_id)


def _members(rng: random.Random) -> list[dict]:
    rows: list[dict] = []
    # Aerospace Valley (S4): 546 members, 265 of them SMEs, 120,000 jobs.
    sizes = [s for s, n in AV_SIZES.items() for _ in range(n)]
    real = {i: name for i, name in zip(range(len(sizes) - 4, len(sizes)), AV_REAL_LARGE,
                                       strict=True)}
    generated = [i for i in range(len(sizes)) if i not in real]
    heads = _spread_to_total(rng, [AV_HEADCOUNT[sizes[i]] for i in generated], AV_JOBS)
    head_of = dict(zip(generated, heads, strict=True))
    for i, size in enumerate(sizes):
        mid = f"av-{i + 1:04d}"
        if i in real:
            rows.append(_member(mid, "aerospace_valley", real[i], "large", "Aéronautique et "
                                "spatial", None, None, None, None, illustrative=False))
            continue
        hc = head_of[i]
        revenue = _revenue(rng, hc)
        export = float(round(revenue * rng.randint(0, 60) / 100, -3))
        rows.append(_member(mid, "aerospace_valley", f"Entreprise illustrative AV-{i + 1:04d}",
                            size, rng.choice(SECTORS), rng.choice(AV_CITIES), hc, revenue,
                            export))
    # Pégase (S1): ≈100 member SMEs, 20 hosted in the five comptoirs (4 each), Circé in Mexico.
    sizes = [s for s, n in PEGASE_SIZES.items() for _ in range(n)]
    hosted = [c["comptoir_id"] for c in COMPTOIRS for _ in range(FIRMS_PER_COMPTOIR)]
    for i, size in enumerate(sizes):
        mid = f"pg-{i + 1:04d}"
        comptoir = hosted[i] if i < len(hosted) else None
        stage = "hosted" if comptoir else None
        if i == 0:  # Circé Groupe, S1: 8 M€ revenue, 80 staff, first to set up in Mexico
            rows.append(_member(mid, "pegase", "Circé Groupe", "sme",
                                "Conseil en management de projet, certification, risques, "
                                "formation", None, 80, 8_000_000.0, None, "pegase-mex", "hosted",
                                illustrative=False, source_id="S1"))
            continue
        hc = rng.randint(*SME_HEADCOUNT[size])
        revenue = _revenue(rng, hc)
        export = float(round(revenue * rng.randint(0, 40) / 100, -3))
        rows.append(_member(mid, "pegase", f"Entreprise illustrative PG-{i + 1:04d}", size,
                            rng.choice(SECTORS), rng.choice(PEGASE_CITIES), hc, revenue, export,
                            comptoir, stage, source_id="S1"))
    return rows


def _sponsorships(rng: random.Random) -> list[dict]:
    rows = []
    days = _spread_to_total(rng, [(15, 45)] * PORTAGE_2009_SUPPORTED,
                            PORTAGE_REVIEW_DAYS_MEAN * PORTAGE_2009_SUPPORTED)
    for i in range(PORTAGE_2009_SUPPORTED):
        rows.append(dict(sponsorship_id=f"pp-2009-{i + 1:03d}", sponsor=rng.choice(PACTE_SPONSORS),
                         sme_name=f"PME illustrative {i + 1:03d}", member_id=None,
                         country_iso3=rng.choice(PORTAGE_COUNTRIES), year=2009, stage="supported",
                         review_days=days[i], illustrative=True, source_id="S5"))
    for i in range(PORTAGE_2016_UNDER_WAY):
        rows.append(dict(sponsorship_id=f"pp-2016-{i + 1:03d}", sponsor=rng.choice(PACTE_SPONSORS),
                         sme_name=f"PME illustrative {PORTAGE_2009_SUPPORTED + i + 1:03d}",
                         member_id=None, country_iso3=rng.choice(PORTAGE_COUNTRIES), year=2016,
                         stage="matched", review_days=None, illustrative=True, source_id="S3"))
    return rows


def build() -> dict[str, list[dict]]:
    """All default tables as lists of row dicts, in contract column order."""
    rng = random.Random(SEED)
    comptoirs = [dict(c, cluster_id="pegase", min_members=FIRMS_PER_COMPTOIR,
                      capacity_firms=None, budget_eur=None, illustrative=True, source_id="S1")
                 for c in COMPTOIRS]
    vie = [dict(v, cluster_id="aerospace_valley", host_company=None, start_on=None, end_on=None,
                firms_served=None, source_id="S4") for v in VIE_POSTINGS]
    survey = [dict(SURVEY, question_id="joint_export",
                   question="Avez-vous déjà mené une action d'export conjointe avec un grand "
                            "groupe ?", answer=answer, respondents=n, base=SURVEY_BASE,
                   source_id="S3") for _key, answer, n in SURVEY_ANSWERS]
    tables = {
        "sources": SOURCES,
        "clusters": CLUSTERS,
        "comptoirs": comptoirs,
        "members": _members(rng),
        "vie_postings": vie,
        "survey_results": survey,
        "sponsorships": _sponsorships(rng),
        "targets": TARGETS,
    }
    return {name: [{c: row.get(c) for c in TABLES[name].column_names} for row in rows]
            for name, rows in tables.items()}


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=TABLES[name].arrow_schema())


def write(directory: Path = DEFAULT_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in build().items():
        path = directory / f"{name}.parquet"
        pq.write_table(to_arrow(name, rows), path, compression="zstd")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write():
        print(p.relative_to(DEFAULT_DIR.parent.parent), pq.read_metadata(p).num_rows, "rows")
