"""Unit tests of the scenario model. Hand arithmetic is written next to each expected value.

Default levers: 5 comptoirs × 4 firms = 20 firms, 10 jobs/firm/year at full rate, ramp-up 3
years (shares 1/3, 2/3, 1, 1, …), horizon 10 years from 2011, budget 5 × 50,000 = 250,000 €.
Full-rate equivalent years over the horizon: 1/3 + 2/3 + 1 + 7 × 1 = 9.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import fields, replace

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from envol import scenario as sc
from envol.scenario import (
    INCREASING,
    LEVER_INFO,
    Levers,
    ScenarioError,
    compare,
    default_levers,
    default_sources,
    default_target_ids,
    from_query_param,
    scenarios_from_query,
    scenarios_to_csv,
    scenarios_to_query,
    sensitivity,
    simulate,
    solve_for,
    summary,
    to_query_param,
    validate,
)
from envol.text import formula_safe

TARGETS = [
    {"target_id": "T1", "cluster_id": "pegase", "programme": "comptoirs", "metric": "jobs",
     "value_low": 10000, "value_high": None, "start_year": 2011, "end_year": 2020,
     "source_id": "S1"},
    {"target_id": "T2", "cluster_id": "pegase", "programme": "comptoirs", "metric": "budget_eur",
     "value_low": 200000, "value_high": 300000, "start_year": 2011, "end_year": None,
     "source_id": "S1"},
    {"target_id": "T3", "cluster_id": "pegase", "programme": "comptoirs",
     "metric": "cost_reduction_factor", "value_low": 2, "value_high": 3, "start_year": None,
     "end_year": None, "source_id": "S1"},
    {"target_id": "T4", "cluster_id": "pegase", "programme": "comptoirs",
     "metric": "firms_supported", "value_low": 20, "value_high": None, "start_year": 2011,
     "end_year": 2011, "source_id": "S1"},
    {"target_id": "T5", "cluster_id": None, "programme": "portage", "metric": "firms_supported",
     "value_low": 100, "value_high": None, "start_year": 2010, "end_year": 2010,
     "source_id": "S5"},
]

DEFAULT = Levers()


def cumulative(levers: Levers) -> float:
    return summary(levers).cumulative_jobs


@st.composite
def valid_levers(draw: st.DrawFn) -> Levers:
    gie = draw(st.integers(2, 10))
    ramp = draw(st.integers(0, 10))
    return Levers(
        budget_per_comptoir_eur=draw(st.floats(1_000, 1_000_000)),
        comptoirs=draw(st.integers(1, 50)),
        firms_per_comptoir=draw(st.integers(gie, 40)),
        gie_minimum=gie,
        jobs_per_firm_per_year=draw(st.floats(0, 100)),
        ramp_up_years=ramp,
        cost_reduction_factor=draw(st.floats(1, 5)),
        horizon_years=draw(st.integers(ramp + 1, 30)),
        job_target=draw(st.floats(100, 100_000)),
        start_year=draw(st.integers(2000, 2040)),
    )


# --- levers and defaults ----------------------------------------------------------------------


def test_lever_info_describes_every_lever_and_defaults_sit_in_range() -> None:
    assert list(LEVER_INFO) == [f.name for f in fields(Levers)]
    for name, info in LEVER_INFO.items():
        assert info.min <= getattr(DEFAULT, name) <= info.max, name
        assert info.source in {"S1", "assumption"} and info.rationale and info.fr and info.en
        assert info.rationale_fr and info.why("fr") == info.rationale_fr
        assert (info.label("en"), info.why("en"), info.unit("en")) == (
            info.en, info.rationale, info.unit_en)
    assert {n for n, i in LEVER_INFO.items() if i.source == "assumption"} == {
        "jobs_per_firm_per_year", "ramp_up_years"}
    assert len({i.code for i in LEVER_INFO.values()}) == len(LEVER_INFO)
    assert LEVER_INFO["comptoirs"].integer and not LEVER_INFO["jobs_per_firm_per_year"].integer
    assert LEVER_INFO["horizon_years"].unit_fr == "ans"


def test_builtin_defaults_reproduce_s1() -> None:
    assert default_levers() == default_levers([]) == DEFAULT
    assert (DEFAULT.comptoirs, DEFAULT.firms_per_comptoir, DEFAULT.gie_minimum) == (5, 4, 4)
    # 200–300 k€ → midpoint 250,000 € / 5 comptoirs = 50,000 € each
    assert DEFAULT.budget_per_comptoir_eur == 50_000
    assert (DEFAULT.cost_reduction_factor, DEFAULT.horizon_years) == (2.5, 10)
    assert (DEFAULT.job_target, DEFAULT.start_year) == (10_000, 2011)
    # Circé: 8 M€ / 80 staff = 100 k€ per head; 5 × 8 M€ = 40 M€ → 400 staff; (400 − 80) / 5 = 64
    assert sc.CIRCE_JOBS_PER_FIRM_PER_YEAR == 64


def test_default_levers_from_the_targets_rows() -> None:
    assert default_levers(TARGETS) == DEFAULT
    assert default_target_ids(TARGETS) == {
        "job_target": "T1", "start_year": "T1", "horizon_years": "T1",  # 2020 − 2011 + 1 = 10
        "budget_per_comptoir_eur": "T2", "cost_reduction_factor": "T3",
        "firms_per_comptoir": "T4",
    }
    sources = default_sources(TARGETS)
    assert sources["job_target"] == sources["budget_per_comptoir_eur"] == "S1"
    assert sources["jobs_per_firm_per_year"] == sources["ramp_up_years"] == "assumption"
    assert set(sources) == set(LEVER_INFO)


def test_default_levers_take_the_uploaded_values() -> None:
    rows = [
        {**TARGETS[0], "value_low": 5000, "start_year": 2012, "end_year": 2016, "source_id": "S9"},
        {**TARGETS[1], "value_low": 100_000, "value_high": None},  # 100,000 / 5 = 20,000
        {**TARGETS[2], "value_low": 3, "value_high": float("nan")},  # NaN high → the low value
        {**TARGETS[3], "value_low": 40},  # 40 firms / 5 comptoirs = 8
        {**TARGETS[3], "target_id": "T9", "value_low": 60},  # a second row: the first one wins
    ]
    levers = default_levers(rows)
    assert levers == replace(DEFAULT, job_target=5000, start_year=2012, horizon_years=5,
                             budget_per_comptoir_eur=20_000, cost_reduction_factor=3,
                             firms_per_comptoir=8)
    assert isinstance(levers.horizon_years, int) and isinstance(levers.firms_per_comptoir, int)
    assert default_sources(rows)["job_target"] == "S9"
    assert default_target_ids(rows)["firms_per_comptoir"] == "T4"


def test_default_levers_ignore_other_clusters_programmes_and_missing_values() -> None:
    rows = [
        {**TARGETS[0], "cluster_id": "aerospace_valley"},
        {**TARGETS[1], "programme": "vie"},
        {**TARGETS[2], "value_low": float("nan")},
        {**TARGETS[3], "value_low": None},
        TARGETS[4],
    ]
    assert default_levers(rows) == DEFAULT
    assert default_target_ids(rows) == {}
    assert default_levers(rows[:1], cluster_id="aerospace_valley").job_target == 10_000


# --- simulation and summary -------------------------------------------------------------------


def test_simulate_defaults_by_hand() -> None:
    df = simulate(DEFAULT)
    assert list(df["year_index"]) == list(range(1, 11))
    assert list(df["year"]) == list(range(2011, 2021))
    assert set(df["firms_hosted"]) == {20}  # 5 × 4
    # year 1: 20 × 10 × 1/3 = 66.67; year 2: 20 × 10 × 2/3 = 133.33; then 200 a year
    assert df["jobs_created"].tolist() == pytest.approx([200 / 3, 400 / 3] + [200] * 8)
    # cumulative: 66.67, 200, 400, 600, …, 1,800 = 200 × (t − 1) from year 2
    expected = [200 / 3] + [200 * t for t in range(1, 10)]
    assert df["cumulative_jobs"].tolist() == pytest.approx(expected)
    assert set(df["cumulative_cost_eur"]) == {250_000}  # 5 × 50,000, one-off in year 1
    assert set(df["target_jobs"]) == {10_000}
    assert df["target_path_jobs"].tolist() == pytest.approx([1000 * t for t in range(1, 11)])
    assert not df.isna().any().any()


def test_summary_defaults_by_hand() -> None:
    s = summary(DEFAULT)
    assert s.cumulative_jobs == pytest.approx(1800)  # 20 × 10 × 9
    assert (s.reached, s.target_year, s.target_year_index) == (False, None, None)
    assert s.gap_jobs == pytest.approx(8200)  # 10,000 − 1,800
    assert s.total_cost_eur == 250_000
    assert s.cost_per_firm_eur == 12_500  # 250,000 / 20
    assert s.cost_per_job_eur == pytest.approx(138.888889)  # 250,000 / 1,800
    assert s.cost_without_programme_eur == 625_000  # 250,000 × 2.5
    assert s.saving_eur == 375_000  # 625,000 − 250,000
    assert s.end_year == 2020
    assert s.to_dict()["gap_jobs"] == s.gap_jobs


def test_summary_year_the_target_is_reached() -> None:
    # 20 firms × 56 = 1,120 jobs a year at full rate; cumulative 1,120 × (t − 1) from year 2,
    # so 5,600 is reached exactly in year 6 (1,120 × 5), i.e. 2016.
    s = summary(replace(DEFAULT, jobs_per_firm_per_year=56.0, job_target=5600))
    assert (s.reached, s.target_year, s.target_year_index, s.gap_jobs) == (True, 2016, 6, 0)
    assert s.cumulative_jobs == pytest.approx(10_080)  # 1,120 × 9
    assert s.cost_per_job_eur == pytest.approx(250_000 / 10_080)


def test_no_ramp_up_and_shortest_horizon() -> None:
    assert cumulative(replace(DEFAULT, ramp_up_years=0)) == pytest.approx(2000)  # 200 × 10
    # horizon 4 > ramp-up 3: 200 × (1/3 + 2/3 + 1 + 1) = 600
    assert cumulative(replace(DEFAULT, horizon_years=4)) == pytest.approx(600)


def test_zero_jobs_gives_no_cost_per_job_and_no_nan() -> None:
    s = summary(replace(DEFAULT, jobs_per_firm_per_year=0.0))
    assert (s.cumulative_jobs, s.cost_per_job_eur, s.gap_jobs) == (0, None, 10_000)


# --- validation -------------------------------------------------------------------------------


def test_valid_defaults_have_no_problem() -> None:
    assert validate(DEFAULT) == []


def test_budget_zero_message_names_lever_and_range() -> None:
    [problem] = validate(replace(DEFAULT, budget_per_comptoir_eur=0.0))
    assert (problem.lever, problem.code) == ("budget_per_comptoir_eur", "range")
    assert problem.en == ("Budget per comptoir (budget_per_comptoir_eur): accepted range 1,000 to "
                          "1,000,000 € (got 0).")
    assert problem.fr == ("Budget par comptoir (budget_per_comptoir_eur) : accepté de 1\u202f000 à "
                          "1\u202f000\u202f000 € (valeur : 0).")
    assert problem.message("en") == problem.en


def test_horizon_not_longer_than_ramp_up_message() -> None:
    [problem] = validate(replace(DEFAULT, horizon_years=3))
    assert (problem.lever, problem.code) == ("horizon_years", "horizon_not_after_ramp_up")
    assert problem.en == ("Horizon (horizon_years): accepted range 4 to 30 years (got 3): the "
                          "horizon must be longer than the ramp-up (ramp_up_years = 3).")
    assert problem.fr.startswith("Horizon (horizon_years) : accepté de 4 à 30 ans (valeur : 3)")


def test_every_problem_is_reported_at_once() -> None:
    levers = replace(DEFAULT, budget_per_comptoir_eur=-5.0, firms_per_comptoir=3, horizon_years=2,
                     jobs_per_firm_per_year=-1.0)
    problems = validate(levers)
    assert [(p.lever, p.code) for p in problems] == [
        ("budget_per_comptoir_eur", "range"),
        ("jobs_per_firm_per_year", "range"),
        ("firms_per_comptoir", "below_gie_minimum"),
        ("horizon_years", "horizon_not_after_ramp_up"),
    ]
    assert "GIE of at least 4 firms" in problems[2].en
    assert "accepted range 4 to 40" in problems[2].en


@pytest.mark.parametrize("field,value", [
    ("comptoirs", 5.0), ("comptoirs", True), ("horizon_years", "10"),
    ("jobs_per_firm_per_year", math.nan), ("budget_per_comptoir_eur", math.inf),
    ("comptoirs", 0), ("horizon_years", 0), ("cost_reduction_factor", 0.5),
])
def test_bad_values_raise_scenario_error_everywhere(field: str, value: object) -> None:
    levers = replace(DEFAULT, **{field: value})
    assert [p.lever for p in validate(levers)] == [field]
    for fn in (simulate, summary, sensitivity, to_query_param):
        with pytest.raises(ScenarioError) as err:
            fn(levers)
        assert err.value.problems[0].lever == field
        assert field in str(err.value)


# --- solve for --------------------------------------------------------------------------------


def test_solve_comptoirs_rounds_up_to_an_integer() -> None:
    # one comptoir: 4 firms × 10 × 9 = 360 jobs; 27 × 360 = 9,720 < 10,000 ≤ 28 × 360 = 10,080
    r = solve_for(DEFAULT, "comptoirs")
    assert (r.status, r.value, r.direction) == ("solved", 28, "smallest")
    assert isinstance(r.value, int)
    assert r.jobs_at_value == pytest.approx(10_080)
    assert (r.best_value, r.jobs_at_best) == (50, pytest.approx(18_000))  # 50 × 360
    assert r.message("en") == "Smallest Comptoirs reaching the target: 28."


def test_solve_firms_per_comptoir() -> None:
    # one firm per comptoir: 5 × 10 × 9 = 450; 22 × 450 = 9,900 < 10,000 ≤ 23 × 450 = 10,350
    r = solve_for(DEFAULT, "firms_per_comptoir")
    assert (r.status, r.value, r.range_low) == ("solved", 23, 4)  # never below the GIE minimum


def test_solve_float_lever_on_its_slider_step() -> None:
    # 20 firms × 9 = 180 per job/firm/year; 55.5 × 180 = 9,990 < 10,000 ≤ 56 × 180 = 10,080
    r = solve_for(DEFAULT, "jobs_per_firm_per_year")
    assert (r.status, r.value) == ("solved", 56.0)


def test_solve_already_reached_at_the_range_minimum() -> None:
    # one comptoir already gives 360 ≥ 300
    r = solve_for(DEFAULT, "comptoirs", target=300)
    assert (r.status, r.value, r.range_low, r.target) == ("solved", 1, 1, 300)
    assert solve_for(DEFAULT, "jobs_per_firm_per_year", target=1e-9).value == 0.5


def test_solve_unreachable_in_range() -> None:
    # horizon H: 200 × (2 + H − 3) = 200 × (H − 1) ≥ 10,000 needs H = 51 > 30
    r = solve_for(DEFAULT, "horizon_years")
    assert (r.status, r.value, r.jobs_at_value) == ("unreachable", None, None)
    assert (r.best_value, r.jobs_at_best) == (30, pytest.approx(5_800))  # 200 × 29
    assert r.message("en") == ("Target not reachable in range: at best 5,800 jobs with Horizon = 30"
                               " (target 10,000).")
    assert r.message("fr").startswith(
        "Objectif non atteignable dans la plage : au mieux 5\u202f800 emplois avec Horizon = 30")


def test_solve_horizon_repairs_an_invalid_horizon() -> None:
    # horizon 4 is the first allowed with ramp-up 3 and gives 600 (see above)
    r = solve_for(replace(DEFAULT, horizon_years=2), "horizon_years", target=600)
    assert (r.status, r.value, r.range_low) == ("solved", 4, 4)


def test_solve_largest_ramp_up_allowed() -> None:
    # 20 × 56 = 1,120 a year; ramp r (≤ 9): 1,120 × ((r + 1)/2 + 10 − r) = 1,120 × (10.5 − r/2)
    # r = 3 → 10,080 ≥ 10,000; r = 4 → 9,520 < 10,000
    r = solve_for(replace(DEFAULT, jobs_per_firm_per_year=56.0), "ramp_up_years")
    assert (r.status, r.value, r.direction) == ("solved", 3, "largest")
    # 20 × 100 = 2,000 a year; r = 9 (horizon − 1) → 2,000 × 6 = 12,000: capped at the range top
    r = solve_for(replace(DEFAULT, jobs_per_firm_per_year=100.0), "ramp_up_years")
    assert (r.value, r.range_high) == (9, 9)
    # defaults: even without ramp-up 200 × 10 = 2,000 < 10,000
    r = solve_for(DEFAULT, "ramp_up_years")
    assert (r.status, r.best_value, r.jobs_at_best) == ("unreachable", 0, pytest.approx(2000))


@pytest.mark.parametrize("name", ["budget_per_comptoir_eur", "cost_reduction_factor",
                                  "gie_minimum", "job_target", "start_year"])
def test_levers_that_do_not_move_jobs(name: str) -> None:
    r = solve_for(DEFAULT, name)
    assert (r.status, r.value, r.best_value) == ("no_effect", None, getattr(DEFAULT, name))
    assert r.jobs_at_best == pytest.approx(1800)
    assert "does not change jobs" in r.message("en")


def test_solve_rejects_bad_input() -> None:
    with pytest.raises(ScenarioError):
        solve_for(DEFAULT, "nonsense")
    with pytest.raises(ScenarioError):
        solve_for(DEFAULT, "comptoirs", target=0)
    with pytest.raises(ScenarioError) as err:
        solve_for(replace(DEFAULT, budget_per_comptoir_eur=0.0), "comptoirs")
    assert err.value.problems[0].lever == "budget_per_comptoir_eur"


def test_solve_bisects_instead_of_scanning(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = sc._cumulative_jobs
    monkeypatch.setattr(sc, "_cumulative_jobs", lambda lv: calls.append(lv) or real(lv))
    assert solve_for(DEFAULT, "jobs_per_firm_per_year").value == 56.0
    assert len(calls) <= 12  # 201 grid points: ≤ 8 bisection steps + end checks


@given(valid_levers(), st.sampled_from(INCREASING))
def test_solved_value_is_the_smallest_reaching_the_target(levers: Levers, name: str) -> None:
    r = solve_for(levers, name)
    if r.status == "solved":
        assert r.jobs_at_value >= levers.job_target * (1 - 1e-9)
        below = r.value - LEVER_INFO[name].step
        if below >= r.range_low:
            assert cumulative(replace(levers, **{name: below})) < levers.job_target
    else:
        assert r.jobs_at_best < levers.job_target


# --- properties -------------------------------------------------------------------------------


@given(valid_levers(), st.sampled_from(INCREASING), st.integers(1, 30))
@example(Levers(budget_per_comptoir_eur=1000.0, comptoirs=1, firms_per_comptoir=2, gie_minimum=2,
                jobs_per_firm_per_year=99.99999999999999, ramp_up_years=5,
                cost_reduction_factor=1.0, horizon_years=6, job_target=100.0, start_year=2000),
         "jobs_per_firm_per_year", 1)  # found by hypothesis: a raise of one ulp to the maximum
def test_more_of_a_positive_lever_never_lowers_jobs(levers: Levers, name: str, bump: int) -> None:
    info = LEVER_INFO[name]
    raised = min(info.max, getattr(levers, name) + bump * info.step)
    more = replace(levers, **{name: int(raised) if info.integer else raised})
    assert cumulative(more) >= cumulative(levers)
    # Strictly more for a real move (not a float ulp: 99.99999999999999 → 100 gives equal sums).
    if raised - getattr(levers, name) >= info.step / 100 and levers.jobs_per_firm_per_year >= 0.01:
        assert cumulative(more) > cumulative(levers)


@given(valid_levers())
def test_cumulative_jobs_never_decrease_over_years(levers: Levers) -> None:
    df = simulate(levers)
    assert len(df) == levers.horizon_years
    assert not df.isna().any().any()
    assert (df["jobs_created"] >= 0).all()
    assert df["cumulative_jobs"].is_monotonic_increasing
    assert df["cumulative_jobs"].iloc[-1] == summary(levers).cumulative_jobs


# --- sensitivity and comparison ---------------------------------------------------------------


def test_sensitivity_defaults_by_hand() -> None:
    df = sensitivity(DEFAULT)
    got = {r.lever: (r.low_value, r.high_value, r.jobs_low, r.jobs_high)
           for r in df.itertuples()}
    assert got["horizon_years"] == (8, 12, pytest.approx(1400), pytest.approx(2200))  # 200×7, ×11
    assert got["comptoirs"] == (4, 6, pytest.approx(1440), pytest.approx(2160))  # 360 × 4, × 6
    assert got["jobs_per_firm_per_year"] == (8, 12, pytest.approx(1440), pytest.approx(2160))
    # 4 × 0.8 = 3.2 is below the GIE minimum: stays 4; 5 firms → 25 × 10 × 9 = 2,250
    assert got["firms_per_comptoir"] == (4, 5, pytest.approx(1800), pytest.approx(2250))
    # ramp 2: 200 × (1/2 + 1 + 8) = 1,900; ramp 4: 200 × (1/4 + 1/2 + 3/4 + 1 + 6) = 1,700
    assert got["ramp_up_years"] == (2, 4, pytest.approx(1900), pytest.approx(1700))
    assert got["budget_per_comptoir_eur"][2:] == (pytest.approx(1800), pytest.approx(1800))
    assert list(df["lever"]) == ["horizon_years", "comptoirs", "jobs_per_firm_per_year",
                                 "firms_per_comptoir", "ramp_up_years",
                                 "budget_per_comptoir_eur", "cost_reduction_factor"]
    assert df["swing"].tolist() == pytest.approx([800, 720, 720, 450, 200, 0, 0])
    budget = df.set_index("lever").loc["budget_per_comptoir_eur"]
    assert budget["cost_per_job_low"] == pytest.approx(200_000 / 1800)  # 5 × 40,000
    assert budget["cost_per_job_high"] == pytest.approx(300_000 / 1800)  # 5 × 60,000


def test_sensitivity_moves_small_integer_levers_by_at_least_one() -> None:
    # 2 comptoirs × (1 ± 0.2) = 1.6 / 2.4 would both round back to 2: use 1 and 3 instead;
    # 360 jobs per comptoir (4 firms × 10 × 9) → 360 and 1,080
    row = sensitivity(replace(DEFAULT, comptoirs=2)).set_index("lever").loc["comptoirs"]
    assert (row["low_value"], row["high_value"]) == (1, 3)
    assert (row["jobs_low"], row["jobs_high"]) == (pytest.approx(360), pytest.approx(1080))


def test_sensitivity_rejects_bad_delta() -> None:
    for delta in (0, 1, -0.2, math.nan):
        with pytest.raises(ScenarioError):
            sensitivity(DEFAULT, delta=delta)


def test_compare_is_tidy_and_capped_at_three() -> None:
    circe = replace(DEFAULT, jobs_per_firm_per_year=64.0)
    df = compare({"Base": DEFAULT, "Circé": circe})
    assert len(df) == 2 * (len(LEVER_INFO) + len(sc.RESULT_INFO))
    wide = df.pivot(index="key", columns="scenario", values="value")
    assert wide.loc["cumulative_jobs", "Base"] == pytest.approx(1800)
    # 20 × 64 × 9 = 11,520; cumulative 1,280 × (t − 1) ≥ 10,000 from t = 9 (10,240), i.e. 2019
    assert wide.loc["cumulative_jobs", "Circé"] == pytest.approx(11_520)
    assert wide.loc["target_year", "Circé"] == 2019
    assert pd.isna(wide.loc["target_year", "Base"]) and str(df["value"].dtype) == "Float64"
    with pytest.raises(ScenarioError):
        compare({str(i): DEFAULT for i in range(4)})
    with pytest.raises(ScenarioError):
        compare({})
    with pytest.raises(ScenarioError):
        compare({"  ": DEFAULT})


# --- CSV export -------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-42", "-42"), ("-3,5", "-3,5"), ("Plan A", "Plan A"), ("", ""),
])
def test_csv_cell_neutralises_formulas(text: str, expected: str) -> None:
    assert formula_safe(text) == expected


def test_csv_cell_numbers() -> None:
    assert (formula_safe(-3.5), formula_safe(250_000.0), formula_safe(7), formula_safe(None)) == (
        "-3.5", "250000", "7", "")
    assert formula_safe(math.nan) == "" and formula_safe(pd.NA) == ""


def test_scenarios_to_csv() -> None:
    text = scenarios_to_csv({"=cmd|' /C calc'!A0": DEFAULT, "Plan B": DEFAULT})
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["scenario", "kind", "key", "label_fr", "label_en", "unit_fr", "unit_en",
                       "value"]
    assert {r[0] for r in rows[1:]} == {"'=cmd|' /C calc'!A0", "Plan B"}
    values = {(r[0], r[2]): r[7] for r in rows[1:]}
    assert values[("Plan B", "budget_per_comptoir_eur")] == "50000"
    assert values[("Plan B", "cumulative_jobs")] == "1800"
    assert values[("Plan B", "target_year")] == ""
    assert all(not r[7].startswith("'") for r in rows[1:])


# --- URL encoding -----------------------------------------------------------------------------


def test_query_param_is_compact_and_round_trips() -> None:
    text = to_query_param(DEFAULT)
    assert text == "v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011"
    assert from_query_param(text) == DEFAULT


@given(valid_levers())
def test_query_param_round_trip(levers: Levers) -> None:
    back = from_query_param(to_query_param(levers))
    assert back == levers
    assert all(type(getattr(back, n)) is (int if i.integer else float)
               for n, i in LEVER_INFO.items())


@pytest.mark.parametrize("text", [
    "", "v1", "v2_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011",
    "v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000",  # start year missing
    "v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011_c6",  # repeated
    "v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011_z1",  # unknown
    "v1_b0_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011",  # budget 0
    "v1_b50000_c999_f4_g4_j10_r3_k2.5_h10_t10000_y2011",  # out of range
    "v1_b50000_c5_f3_g4_j10_r3_k2.5_h10_t10000_y2011",  # below the GIE minimum
    "v1_b50000_c5_f4_g4_j10_r3_k2.5_h3_t10000_y2011",  # horizon ≤ ramp-up
    "v1_b-5_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011", "v1_bnan_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011",
    "v1_binf_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011", "v1_b5e9_c5_f4_g4_j10_r3_k2.5_h10_t1e4_y2011",
    "v1_b50000_c5.0_f4_g4_j10_r3_k2.5_h10_t10000_y2011",
    "v1_b50000_c٥_f4_g4_j10_r3_k2.5_h10_t10000_y2011",  # a non-ASCII digit
    "v1__b50000", "v1_b1e99999_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011", "x" * 500,
])
def test_query_param_rejects_garbage(text: str) -> None:
    with pytest.raises(ScenarioError):
        from_query_param(text)


@pytest.mark.parametrize("value", [None, 42, b"v1"])
def test_query_param_rejects_non_text(value: object) -> None:
    with pytest.raises(ScenarioError):
        from_query_param(value)  # type: ignore[arg-type]


@given(st.text(max_size=300))
def test_query_param_never_crashes(text: str) -> None:
    try:
        levers = from_query_param(text)
    except ScenarioError:
        return
    assert validate(levers) == []


# --- several named scenarios in the URL -------------------------------------------------------


def test_named_scenarios_round_trip_through_url_values() -> None:
    saved = {"Base": DEFAULT,
             "Plus d'entreprises, 8~9 & co": replace(DEFAULT, firms_per_comptoir=8),
             "é ü 漢字 <b>x</b>": replace(DEFAULT, jobs_per_firm_per_year=64.0)}
    values = scenarios_to_query(saved)
    assert values[0] == "Base~v1_b50000_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011"
    back, problems = scenarios_from_query(values)
    assert (back, problems) == (saved, [])
    assert list(back) == list(saved)  # order kept: the comparison's column order


def test_named_scenarios_refuse_bad_names_and_counts() -> None:
    for bad in ("", "   ", "x" * 81, "a\nb", "tab\there"):
        with pytest.raises(ScenarioError):
            scenarios_to_query({bad: DEFAULT})
        assert sc.name_problem(bad) is not None
    assert sc.name_problem("x" * 80) is None
    with pytest.raises(ScenarioError):
        scenarios_to_query({str(i): DEFAULT for i in range(4)})


def test_unreadable_url_values_are_skipped_with_a_message() -> None:
    good = to_query_param(DEFAULT)
    values = [
        "no separator",
        "Budget nul~v1_b0_c5_f4_g4_j10_r3_k2.5_h10_t10000_y2011",
        "~" + good,  # empty name
        "A~" + good,
        "A~" + to_query_param(replace(DEFAULT, comptoirs=6)),  # repeated: the first is kept
        "B~" + good, "C~" + good,
        "D~" + good,  # a fourth
        "x" * 400,
    ]
    back, problems = scenarios_from_query(values)
    assert list(back) == ["A", "B", "C"] and back["A"] == DEFAULT
    assert len(problems) == 6
    assert problems[0].message("en") == "Scenario “no separator” ignored: unreadable parameter."
    assert problems[1].message("fr").startswith(
        "Scénario « Budget nul » ignoré : Budget par comptoir (budget_per_comptoir_eur) : "
        "accepté de 1\u202f000 à 1\u202f000\u202f000 €")
    assert "repeated name" in problems[3].en and "3 scenarios at most" in problems[4].en
    assert problems[5].en.startswith("Scenario “" + "x" * 40 + "…” ignored")


@given(st.lists(st.one_of(st.text(max_size=120), st.none(), st.integers()), max_size=8))
def test_url_values_never_crash(values: list) -> None:
    back, problems = scenarios_from_query(values)
    assert len(back) <= 3 and len(back) + len(problems) == len(values)
    assert all(validate(levers) == [] for levers in back.values())


def test_url_values_read_only_the_first_fifty() -> None:
    back, problems = scenarios_from_query(iter(["junk"] * 10_000))
    assert back == {} and len(problems) == 50
