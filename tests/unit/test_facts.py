"""One assertion per figure of shared/domain/FACTS.md, read from the default lake.

The default dataset is the first commit of every table; these figures must hold there exactly.
"""

from __future__ import annotations

import datetime as dt

import pytest

from envol.queries import run_query

CLUSTERS = ["pegase", "aerospace_valley", "astech"]


@pytest.fixture(scope="module")
def q(default_lake, default_version):
    def run(sql: str, **params):
        with default_lake.cursor() as cur:
            return cur.execute(sql.replace("@v", f"AT (VERSION => {default_version})"),
                               params).fetchall()
    return run


@pytest.fixture(scope="module")
def kpis(default_lake, default_version):
    df = run_query(default_lake, "kpis_by_cluster", version=default_version, clusters=CLUSTERS)
    return df.set_index("cluster_id")


# --- Aerospace Valley (S4) ---------------------------------------------------------------
def test_av_546_members(kpis):
    assert kpis.loc["aerospace_valley", "members"] == 546
    assert kpis.loc["aerospace_valley", "reported_members"] == 546


def test_av_265_smes(kpis):
    assert kpis.loc["aerospace_valley", "smes"] == 265
    assert kpis.loc["aerospace_valley", "reported_smes"] == 265


def test_av_120000_jobs(kpis, q):
    assert kpis.loc["aerospace_valley", "jobs"] == 120_000
    assert q("SELECT sum(headcount) FROM lake.members @v WHERE cluster_id = 'aerospace_valley'"
             ) == [(120_000,)]


def test_av_projects_and_funding(q):
    assert q("SELECT labelled_projects, funded_projects, public_funding_eur, founded_year, region "
             "FROM lake.clusters @v WHERE cluster_id = 'aerospace_valley'") == [
        (368, 195, 600_000_000.0, 2005, "Midi-Pyrénées et Aquitaine")]


def test_av_named_members_are_real_and_the_rest_illustrative(q):
    named = q("SELECT name FROM lake.members @v WHERE cluster_id = 'aerospace_valley' "
              "AND NOT illustrative ORDER BY name")
    assert [n for (n,) in named] == ["Airbus", "Alstom", "EADS", "Thales"]
    assert q("SELECT count(*) FROM lake.members @v WHERE cluster_id = 'aerospace_valley' "
             "AND illustrative") == [(542,)]


def test_av_vie_two_in_post_four_to_recruit(q, kpis):
    assert kpis.loc["aerospace_valley", "vie_in_post"] == 2
    assert kpis.loc["aerospace_valley", "vie_to_recruit"] == 4
    rows = q("SELECT status, country_iso3, coalesce(city, '') FROM lake.vie_postings @v "
             "ORDER BY status, country_iso3")
    assert rows == [("in_post", "CAN", "Montréal"), ("in_post", "CHN", ""),
                    ("to_recruit", "BRA", ""), ("to_recruit", "CHN", ""),
                    ("to_recruit", "DEU", ""), ("to_recruit", "USA", "")]


# --- Pégase and its comptoirs (S1) ---------------------------------------------------------
def test_pegase_about_100_member_smes(kpis):
    assert kpis.loc["pegase", "smes"] == 100
    assert kpis.loc["pegase", "reported_smes"] == 100


def test_pegase_20_firms_hosted_20_percent(kpis):
    assert kpis.loc["pegase", "firms_hosted"] == 20
    assert kpis.loc["pegase", "firms_hosted"] / kpis.loc["pegase", "smes"] == pytest.approx(0.20)


def test_five_comptoirs_in_the_five_countries(q, kpis):
    rows = q("SELECT country_iso3 FROM lake.comptoirs @v WHERE cluster_id = 'pegase' "
             "ORDER BY country_iso3")
    assert [c for (c,) in rows] == ["BRA", "CAN", "MAR", "MEX", "USA"]
    assert kpis.loc["pegase", "comptoirs"] == 5


def test_each_comptoir_hosts_at_least_the_gie_minimum_of_4(q):
    rows = q("SELECT k.comptoir_id, k.min_members, count(m.member_id) FROM lake.comptoirs k @v "
             "LEFT JOIN lake.members m @v ON m.comptoir_id = k.comptoir_id "
             "AND m.comptoir_stage IN ('hosted', 'exporting') GROUP BY ALL ORDER BY 1")
    assert len(rows) == 5
    for _cid, minimum, hosted in rows:
        assert minimum == 4
        assert hosted >= 4


def test_mexico_operational_since_december_2010_others_by_mid_2011(q, kpis):
    rows = dict((c, (s, d)) for c, s, d in q(
        "SELECT country_iso3, status, opened_on FROM lake.comptoirs @v"))
    assert rows["MEX"] == ("operational", dt.date(2010, 12, 15))
    for iso in ("MAR", "BRA", "USA", "CAN"):
        assert rows[iso][0] == "opening"
        assert rows[iso][1] <= dt.date(2011, 6, 30)
    assert kpis.loc["pegase", "comptoirs_operational"] == 1


def test_mexico_principals_and_23000_jobs(q):
    assert q("SELECT local_principals, local_sector_jobs FROM lake.comptoirs @v "
             "WHERE country_iso3 = 'MEX'") == [("EADS;Cessna;Bombardier;Areva;Thales", 23_000)]


def test_circe_groupe_hosted_in_mexico(q):
    assert q("SELECT comptoir_id, comptoir_stage, revenue_eur, headcount, illustrative "
             "FROM lake.members @v WHERE name = 'Circé Groupe'") == [
        ("pegase-mex", "hosted", 8_000_000.0, 80, False)]


def test_comptoir_budget_and_cost_cut(q):
    rows = q("SELECT metric, value_low, value_high FROM lake.targets @v "
             "WHERE cluster_id = 'pegase' AND programme = 'comptoirs' ORDER BY metric")
    assert ("budget_eur", 200_000.0, 300_000.0) in rows
    assert ("cost_reduction_factor", 2.0, 3.0) in rows


def test_pegase_10000_jobs_in_ten_years(q):
    assert q("SELECT value_low, end_year - start_year + 1, source_id FROM lake.targets @v "
             "WHERE cluster_id = 'pegase' AND metric = 'jobs'") == [(10_000.0, 10, "S1")]


# --- Survey (S3) -----------------------------------------------------------------------------
def test_survey_400_asked_50_with_experience_350_without(q):
    rows = q("SELECT respondents, base FROM lake.survey_results @v "
             "WHERE question_id = 'joint_export' ORDER BY respondents")
    assert rows == [(50, 400), (350, 400)]


# --- Pacte PME portage (S5, S3) -----------------------------------------------------------
def test_pacte_65_smes_supported_in_2009(q):
    assert q("SELECT count(*) FROM lake.sponsorships @v WHERE year = 2009 "
             "AND stage = 'supported'") == [(65,)]


def test_pacte_goal_100_smes_in_2010(q):
    assert q("SELECT value_low, start_year FROM lake.targets @v WHERE programme = 'portage' "
             "AND metric = 'firms_supported'") == [(100.0, 2010)]


def test_pacte_review_takes_one_month_on_average(q):
    assert q("SELECT avg(review_days) FROM lake.sponsorships @v WHERE year = 2009") == [(30.0,)]


def test_pacte_sponsors_are_named_large_groups_of_about_twenty(q):
    sponsors = {s for (s,) in q("SELECT DISTINCT sponsor FROM lake.sponsorships @v")}
    assert sponsors <= {"Alstom", "EDF", "Spie", "Total", "Renault", "EADS", "Crédit Agricole"}
    assert len(sponsors) <= 20


def test_pacte_about_60_sponsorships_under_way_in_2016(q):
    assert q("SELECT count(*) FROM lake.sponsorships @v WHERE year = 2016") == [(60,)]


# --- Provenance --------------------------------------------------------------------------------
def test_five_sources_and_every_row_cites_one(q):
    assert [s for (s,) in q("SELECT source_id FROM lake.sources @v ORDER BY 1")] == [
        "S1", "S2", "S3", "S4", "S5"]
    for table in ("clusters", "members", "comptoirs", "vie_postings", "survey_results",
                  "sponsorships", "targets"):
        assert q(f"SELECT count(*) FROM lake.{table} @v WHERE source_id NOT IN "  # noqa: S608
                 "(SELECT source_id FROM lake.sources @v)") == [(0,)], table


def test_generated_rows_are_flagged_illustrative(q):
    # Only rows whose name an article gives are real.
    real = q("SELECT name FROM lake.members @v WHERE NOT illustrative ORDER BY name")
    assert [n for (n,) in real] == ["Airbus", "Alstom", "Circé Groupe", "EADS", "Thales"]
    assert q("SELECT count(*) FROM lake.sponsorships @v WHERE NOT illustrative") == [(0,)]
