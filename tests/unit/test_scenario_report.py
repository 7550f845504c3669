"""How the scenario page words the model's numbers: units, origins of defaults, KPI cards with
their provenance, the comparison table. Defaults: 1,800 jobs by 2020, 250,000 €, see
test_scenario.py for the arithmetic."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from envol.generate import TARGETS
from envol.scenario import LEVER_INFO, Levers, summary
from envol.scenario_report import (
    comparison_table,
    defaults_from_table,
    defaults_from_targets,
    fmt,
    lever_label,
    lever_origin,
    lever_origins,
    problem_text,
    scenario_kpis,
    trajectories,
)
from envol.text import markdown_text

NNBSP = "\u202f"
SOURCES = pd.DataFrame([{"source_id": "S1", "title": "En Paca, Pégase aide les PME",
                         "outlet": "Les Echos", "author": "Paul Molga",
                         "published_on": None, "date_is_approximate": True}])
SNAPSHOTS = pd.DataFrame([{"table_name": "targets", "snapshot_id": 7,
                           "snapshot_time": pd.Timestamp("2026-11-24 14:03", tz="UTC"),
                           "author": "analyste", "file_name": "objectifs.csv"}])


def shown(markdown: str) -> str:
    return markdown_text(markdown)


@pytest.mark.parametrize("key,value,fr,en", [
    ("budget_per_comptoir_eur", 50_000.0, f"50{NNBSP}000{NNBSP}€", f"50,000{NNBSP}€"),
    ("comptoirs", 5, "5", "5"),
    ("jobs_per_firm_per_year", 10.5, "10,5", "10.5"),
    ("jobs_per_firm_per_year", 10.0, "10", "10"),
    ("cost_reduction_factor", 2.5, f"×{NNBSP}2,5", f"×{NNBSP}2.5"),
    ("ramp_up_years", 3, "3 ans", "3 years"),
    ("ramp_up_years", 1, "1 an", "1 year"),
    ("ramp_up_years", 0, "0 an", "0 years"),
    ("start_year", 2011, "2011", "2011"),  # a year: no thousands separator
    ("target_year", 2019.0, "2019", "2019"),
    ("job_target", 10_000.0, f"10{NNBSP}000", "10,000"),
    ("cumulative_jobs", 1799.9999999, f"1{NNBSP}800", "1,800"),
    ("cost_per_job_eur", 138.89, f"139{NNBSP}€", f"139{NNBSP}€"),
    ("target_year", None, "–", "–"), ("cost_per_job_eur", pd.NA, "–", "–"),
    ("gap_jobs", float("nan"), "–", "–"),
])
def test_values_with_their_units(key, value, fr, en):
    assert (fmt(key, value, "fr"), fmt(key, value, "en")) == (fr, en)


def test_lever_labels_carry_their_unit():
    assert lever_label("budget_per_comptoir_eur", "fr") == "Budget par comptoir (€)"
    assert lever_label("horizon_years", "en") == "Horizon (years)"
    assert lever_label("comptoirs", "fr") == "Comptoirs"


def test_defaults_come_from_the_targets_rows_or_say_they_are_assumptions():
    d = defaults_from_targets(TARGETS)
    assert d.levers == Levers()
    origins = {k: shown(v) for k, v in lever_origins(d, "fr").items()}
    assert set(origins) == set(LEVER_INFO)
    assert origins["job_target"] == f"Défaut 10{NNBSP}000 · objectif T1 (S1)"
    assert origins["budget_per_comptoir_eur"] == (
        f"Défaut 50{NNBSP}000{NNBSP}€ · objectif T2 (S1), milieu de la fourchette ÷ 5 comptoirs")
    assert origins["comptoirs"] == "Défaut 5 · source S1 : cinq comptoirs"
    assert origins["jobs_per_firm_per_year"].startswith(
        "Défaut 10 · hypothèse : PME d'environ 50 salariés")
    en = shown(lever_origin("ramp_up_years", d, "en"))
    assert en == "Default 3 years · assumption: a foreign office takes 2–3 years to reach its " \
                 "cruising pace"
    # Without the targets rows (Pégase not selected): the article's figures.
    assert shown(lever_origin("job_target", defaults_from_targets([]), "en")) == (
        "Default 10,000 · source S1: 10,000 jobs promised")


def test_uploaded_source_ids_are_shown_verbatim():
    rows = [{**TARGETS[0], "target_id": "*T1*", "source_id": "[x](javascript:alert(1))"}]
    text = lever_origin("job_target", defaults_from_targets(rows), "en")
    assert "[x](javascript" not in text and "\\[x\\]\\(javascript" in text
    assert shown(text) == "Default 10,000 · target *T1* ([x](javascript:alert(1)))"
    assert "~" not in lever_origin("jobs_per_firm_per_year", defaults_from_targets([]),
                                   "en").replace("\\~", "")  # no accidental strikethrough


def test_kpi_cards_when_the_target_is_missed():
    d = defaults_from_targets(TARGETS)
    levers = d.levers
    cards = {k.key: k for k in scenario_kpis(levers, summary(levers), d, SOURCES, SNAPSHOTS,
                                             "fr")}
    assert list(cards) == ["scenario.jobs", "scenario.gap", "scenario.cost",
                           "scenario.cost_per_job", "scenario.alone"]
    jobs = cards["scenario.jobs"]
    assert (jobs.label, jobs.value, jobs.detail) == (
        "Emplois cumulés en 2020", f"1{NNBSP}800", f"objectif : 10{NNBSP}000")
    assert jobs.source_ids == ("S1",)
    help_text = shown(jobs.provenance)
    assert "S1 — « En Paca, Pégase aide les PME », Les Echos, Paul Molga" in help_text
    assert "table targets : instantané n° 7" in help_text and "objectifs.csv" in help_text
    assert "Valeurs par défaut de la table des objectifs : T1, T4" in help_text
    assert "Hypothèse : Emplois par entreprise et par an = 10" in help_text
    assert "Hypothèse : Montée en charge = 3 ans" in help_text
    assert "Modèle envol/scenario.py" in help_text
    gap = cards["scenario.gap"]
    assert (gap.label, gap.value, gap.detail) == (
        "Manque à l'objectif en 2020", f"8{NNBSP}200", "18\u00a0% de l'objectif atteint")
    cost = cards["scenario.cost"]
    assert (cost.value, cost.detail) == (f"250{NNBSP}000{NNBSP}€",
                                         f"50{NNBSP}000{NNBSP}€ × 5 comptoirs")
    assert "Hypothèse" not in cost.provenance and "T2" in cost.provenance
    per_job = cards["scenario.cost_per_job"]
    assert (per_job.value, per_job.detail) == (f"139{NNBSP}€",
                                               f"12{NNBSP}500{NNBSP}€ par entreprise")
    alone = cards["scenario.alone"]
    assert (alone.value, alone.detail) == (f"625{NNBSP}000{NNBSP}€",
                                           f"économie : 375{NNBSP}000{NNBSP}€")
    assert "T3" in alone.provenance


def test_kpi_cards_when_the_target_is_reached_and_levers_were_changed():
    d = defaults_from_targets(TARGETS)
    levers = replace(d.levers, jobs_per_firm_per_year=64.0)  # Circé's pace: reached in 2019
    cards = {k.key: k for k in scenario_kpis(levers, summary(levers), d, SOURCES, SNAPSHOTS,
                                             "en")}
    reached = cards["scenario.target_year"]
    assert (reached.label, reached.value, reached.detail) == (
        "Target reached in", "2019", "year 9 of 10")
    assert "Set on this page: Jobs per firm per year = 64 (default 10)" in shown(
        reached.provenance)
    none = replace(d.levers, jobs_per_firm_per_year=0.0)
    cards = {k.key: k for k in scenario_kpis(none, summary(none), d, SOURCES, SNAPSHOTS, "en")}
    assert (cards["scenario.cost_per_job"].value, cards["scenario.cost_per_job"].detail) == (
        "–", "no job created")


def test_comparison_table_side_by_side():
    table = comparison_table({"Base": Levers(), "Circé": Levers(jobs_per_firm_per_year=64.0)},
                             "en")
    assert list(table.columns) == ["Base", "Circé"]
    assert list(table.index[:3]) == ["Cumulative jobs at horizon", "Year target reached",
                                     "Gap to target"]  # results first
    assert list(table.index[7:10]) == ["Budget per comptoir", "Comptoirs", "Firms per comptoir"]
    assert table.loc["Jobs per firm per year"].tolist() == ["10", "64"]
    assert table.loc["Year target reached"].tolist() == ["not reached", "2019"]
    assert table.loc["Cumulative jobs at horizon"].tolist() == ["1,800", "11,520"]
    assert table.loc["Start year"].tolist() == ["2011", "2011"]
    assert len(table) == 17


def test_trajectories_of_several_scenarios():
    paths = trajectories({"A": Levers(), "B": Levers(horizon_years=12)})
    assert paths.groupby("scenario", sort=False).size().to_dict() == {"A": 10, "B": 12}
    assert paths[paths["scenario"] == "B"]["cumulative_jobs"].iloc[-1] == pytest.approx(2200)
    assert trajectories({}).empty


def test_problem_text_is_inert_markdown():
    from envol.scenario import Problem
    text = problem_text([Problem("x", "y", "**gras** <b>", "**bold** <b>")], "en")
    assert text == "- \\*\\*bold\\*\\* \\<b\\>"


def test_defaults_from_the_query_frame_are_those_from_its_records():
    """The page passes the query's frame; only Pégase's "comptoirs" rows are read, in order,
    whatever the case and spaces of the cluster id, and other clusters' rows change nothing."""
    rows = [dict(r) for r in TARGETS]
    other = [{**r, "cluster_id": "astech", "value_low": 1} for r in rows]
    messy = [{**r, "cluster_id": " PEGASE "} for r in rows if r.get("programme") == "comptoirs"]
    nulls = [{**rows[0], "cluster_id": None}, {**rows[0], "programme": None}]
    for records in (rows, other + rows, nulls + messy, other, []):
        frame = pd.DataFrame(records, columns=list(rows[0])).convert_dtypes(
            dtype_backend="pyarrow")
        assert defaults_from_table(frame) == defaults_from_targets(records), records[:1]
    assert defaults_from_table(pd.DataFrame(rows)).target_ids["job_target"] == "T1"
    assert defaults_from_table(pd.DataFrame(other)).target_ids == {}
