"""The funnel statistics and checks (envol/funnels.py) against hand-computed values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from envol import funnels as fn
from envol.queries import load_sql


# --- Wilson interval ------------------------------------------------------------------------
def test_wilson_50_of_400_by_hand():
    # z = Φ⁻¹(0.975) = 1.959964, z² = 3.841459; n = 400, p̂ = 50/400 = 0.125
    # z²/n = 0.0096036, z²/2n = 0.0048018, z²/4n² = 0.0000060023
    # centre = (0.125 + 0.0048018) / 1.0096036 = 0.1298018 / 1.0096036 = 0.128567
    # p̂(1−p̂)/n = 0.125 · 0.875 / 400 = 0.00027344
    # half = 1.959964 / 1.0096036 · √(0.00027344 + 0.0000060023)
    #      = 1.941321 · √0.00027944 = 1.941321 · 0.0167165 = 0.032452
    # → [0.128567 − 0.032452, 0.128567 + 0.032452] = [0.096115, 0.161019]
    # (the brief's "≈ [0.0960, 0.1612]" is a little off in the 4th decimal; these hold.)
    low, high = fn.wilson(50, 400)
    assert low == pytest.approx(0.096115, abs=2e-6)
    assert high == pytest.approx(0.161019, abs=2e-6)
    assert fn.Z95 == pytest.approx(1.959964, abs=1e-6)


def test_wilson_bounds_are_where_the_score_test_gives_z():
    # Independent check: the Wilson bounds p0 solve |p̂ − p0| / √(p0(1−p0)/n) = z.
    for x, n in [(50, 400), (350, 400), (20, 100), (1, 4), (7, 9)]:
        p = x / n
        for p0 in fn.wilson(x, n):
            assert abs(p - p0) / math.sqrt(p0 * (1 - p0) / n) == pytest.approx(fn.Z95)


def test_wilson_other_hand_values_and_edges():
    # 350/400: p̂ = 0.875 is the mirror of 50/400: [1 − 0.161019, 1 − 0.096115]
    low, high = fn.wilson(350, 400)
    assert low == pytest.approx(0.838981, abs=2e-6) and high == pytest.approx(0.903885, abs=2e-6)
    # 20/100: centre = (0.2 + 0.019207)/1.038415 = 0.211098; half = 1.887455 · √0.0016960
    #         = 1.887455 · 0.041183 = 0.077731 → [0.133367, 0.288829]
    low, high = fn.wilson(20, 100)
    assert low == pytest.approx(0.133367, abs=2e-6) and high == pytest.approx(0.288829, abs=2e-6)
    # 0/10: lower bound exactly 0, upper = z²/n / (1 + z²/n) = 0.384146/1.384146 = 0.277533
    low, high = fn.wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.277533, abs=2e-6)
    low, high = fn.wilson(10, 10)
    assert low == pytest.approx(1 - 0.277533, abs=2e-6) and high == 1.0
    assert fn.wilson(0, 0) is None


# --- conversion and steps -------------------------------------------------------------------
def test_conversion():
    assert fn.conversion(20, 100) == 0.2
    assert fn.conversion(0, 20) == 0.0
    assert fn.conversion(0, 0) is None  # 0 of 0 is not 0 %
    assert fn.conversion(5, None) is None


def test_steps_pegase_and_aerospace_valley():
    pegase = fn.steps(zip(["member_smes", *fn.COMPTOIR_STAGES], [100, 20, 20, 20, 0],
                          strict=True))
    assert [s.n for s in pegase] == [100, 20, 20, 20, 0]
    assert [s.previous for s in pegase] == [None, 100, 20, 20, 20]
    assert [s.conversion for s in pegase] == [None, 0.2, 1.0, 1.0, 0.0]
    assert [s.share_of_base for s in pegase] == [1.0, 0.2, 0.2, 0.2, 0.0]
    assert [s.previous_stage for s in pegase] == [None, "member_smes", "candidate", "selected",
                                                  "hosted"]
    assert not any(s.inverted for s in pegase)
    av = fn.steps(zip(["member_smes", *fn.COMPTOIR_STAGES], [265, 0, 0, 0, 0], strict=True))
    assert [s.conversion for s in av] == [None, 0.0, None, None, None]


def test_a_stage_larger_than_the_one_before_is_inverted():
    s = fn.steps([("member_smes", 4), ("candidate", 5), ("selected", 4)])
    assert [x.inverted for x in s] == [False, True, False]
    assert s[1].conversion == 1.25


def test_funnels_and_panels_from_long_rows():
    df = pd.DataFrame({"cluster_id": ["b", "b", "a", "a"], "cluster_name": ["B", "B", "A", "A"],
                       "stage_order": [1, 0, 0, 1], "stage": ["candidate", "member_smes",
                                                              "member_smes", "candidate"],
                       "firms": [2, 10, 0, 0]})
    out = fn.funnels(df, "cluster_id", "firms")
    assert list(out) == ["b", "a"]
    assert [s.n for s in out["b"]] == [10, 2]
    assert list(fn.panels(df, "cluster_id", "cluster_name", "firms")) == ["B", "A"]
    assert fn.empty_groups(df, "cluster_id", "cluster_name", "firms") == ["A"]


def test_comptoir_steps_start_at_candidates():
    row = pd.Series({"candidate": 4, "selected": 4, "hosted": 4, "exporting": 0})
    assert [(s.n, s.previous) for s in fn.comptoir_steps(row)] == [(4, None), (4, 4), (4, 4),
                                                                   (0, 4)]


# --- survey ---------------------------------------------------------------------------------
ANSWERS = pd.DataFrame({
    "survey_id": ["s", "s", "s"], "survey_name": ["Enquête", "Enquête", "Enquête"],
    "year": [2016, 2016, 2016], "question_id": ["q", "q", "r"],
    "question": ["Q ?", "Q ?", "R ?"],
    "answer": ["Oui : surtout dans des pays frontaliers", "Non : faute de moyens", "Peut-être"],
    "respondents": [50, 350, 3], "base": [400, 400, 10], "share": [0.125, 0.875, 0.3],
    "source_id": ["S3", "S3", "S3"]})


def test_survey_funnel_keeps_the_answer_text_and_adds_the_interval():
    assert fn.survey_questions(ANSWERS) == ["s / q", "s / r"]
    f = fn.survey_funnel(ANSWERS, "s / q")
    assert (f.base, f.survey_name, f.year, f.question) == (400, "Enquête", 2016, "Q ?")
    assert [a.answer for a in f.answers] == ["Oui : surtout dans des pays frontaliers",
                                             "Non : faute de moyens"]
    assert [a.n for a in f.answers] == [50, 350]
    assert f.answers[0].share == 0.125
    assert f.answers[0].ci == fn.wilson(50, 400)
    assert [(s.stage, s.n, s.previous) for s in f.steps()] == [
        ("asked", 400, None), ("Oui : surtout dans des pays frontaliers", 50, 400),
        ("Non : faute de moyens", 350, 400)]
    assert fn.survey_funnel(ANSWERS, "nope") is None


def test_survey_long_for_comparisons():
    long = fn.survey_long(ANSWERS)
    assert long.to_dict("records")[:3] == [
        {"question": "s / q", "stage_order": 0, "stage": "asked", "n": 400},
        {"question": "s / q", "stage_order": 1, "stage": "Oui : surtout dans des pays "
                                                         "frontaliers", "n": 50},
        {"question": "s / q", "stage_order": 2, "stage": "Non : faute de moyens", "n": 350}]
    assert len(long) == 5


def test_short_answer():
    assert fn.short_answer("Oui : au moins une action conjointe") == "Oui"
    assert fn.short_answer("Peut-être") == "Peut-être"
    assert fn.short_answer("x" * 50).endswith("…")


# --- portage --------------------------------------------------------------------------------
def test_goal_progress_uses_the_latest_year_up_to_the_goal():
    # 65 supported in 2009 against 100 for 2010: 65 / 100 = 65 %; 2016 is after the goal.
    g = fn.goal_progress({2009: 65, 2016: 0}, 100, 2010)
    assert (g.year, g.supported, g.share, g.goal_year) == (2009, 65, 0.65, 2010)
    assert fn.goal_progress({2009: 65, 2016: 3}, 100, None).year == 2016
    assert fn.goal_progress({2016: 3}, 100, 2010) is None


def test_portage_goal_progress_from_query_rows():
    portage = pd.DataFrame({"year": [2009, 2009, 2016, 2016], "stage_order": [1, 5, 1, 5],
                            "stage": ["requested", "supported", "requested", "supported"],
                            "requests": [70, 65, 60, 0]})
    targets = pd.DataFrame({"target_id": ["T5", "T1"], "programme": ["portage", "comptoirs"],
                            "metric": ["firms_supported", "jobs"], "value_low": [100.0, 1e4],
                            "start_year": [2010, 2011], "end_year": [2010, 2020],
                            "source_id": ["S5", "S1"]})
    [g] = fn.portage_goal_progress(portage, targets)
    assert (g.year, g.supported, g.goal, g.share) == (2009, 65, 100.0, 0.65)
    assert fn.portage_goal_sources(targets) == ["S5"]


def test_weighted_median():
    assert fn.weighted_median([1, 2, 3], [1, 1, 1]) == 2
    assert fn.weighted_median([1, 2], [1, 1]) == 1.5
    # 15 ×3, 45 ×5: sorted 15 15 15 45 45 45 45 45 → middle two (4th, 5th) = 45, 45
    assert fn.weighted_median([45, 15], [5, 3]) == 45
    assert fn.weighted_median([10, 20], [2, 2]) == 15
    assert fn.weighted_median([], []) is None


def test_review_summary_against_the_one_month_benchmark():
    reviews = pd.DataFrame({"year": [2009, 2009, 2009, 2010], "review_days": [20, 30, 31, 60],
                            "requests": [2, 1, 3, 1]})
    s2009, s2010 = fn.review_summary(reviews)
    # 2009: 20 20 30 31 31 31 → within ≤ 30 days: 3 of 6 = 50 %; median (30 + 31)/2 = 30.5
    assert (s2009.year, s2009.reviewed, s2009.within, s2009.share_within, s2009.median,
            s2009.longest) == (2009, 6, 3, 0.5, 30.5, 31)
    assert (s2010.within, s2010.share_within) == (0, 0.0)
    assert fn.REVIEW_BENCHMARK_DAYS == 30


# --- comparing two snapshots ----------------------------------------------------------------
SNAPS = pd.DataFrame({"snapshot_id": [12, 11, 9, 5, 4], "table_name": [
    "members", "targets", "members", "members", "comptoirs"]})


def test_previous_table_snapshot():
    assert fn.previous_table_snapshot(SNAPS, "members", 12) == 9
    assert fn.previous_table_snapshot(SNAPS, "members", 11) == 5  # as of 11: members is #9
    assert fn.previous_table_snapshot(SNAPS, "members", 6) is None
    assert fn.previous_table_snapshot(SNAPS, "comptoirs", 12) is None


def test_compare_two_long_funnels():
    before = pd.DataFrame({"group": ["a", "a"], "group_name": ["A", "A"], "stage_order": [0, 1],
                           "stage": ["member_smes", "candidate"], "n": [10, 2]})
    after = pd.DataFrame({"group": ["b", "a", "a", "z"], "group_name": ["B", "A", "A", "Z"],
                          "stage_order": [0, 0, 1, 0], "stage": ["member_smes", "member_smes",
                                                                 "candidate", "member_smes"],
                          "n": [5, 10, 4, 0]})
    out = fn.compare(before, after)
    assert out[["group", "stage", "before", "after", "delta"]].to_dict("records") == [
        {"group": "b", "stage": "member_smes", "before": 0, "after": 5, "delta": 5},
        {"group": "a", "stage": "member_smes", "before": 10, "after": 10, "delta": 0},
        {"group": "a", "stage": "candidate", "before": 2, "after": 4, "delta": 2}]
    assert list(out["group_name"]) == ["B", "A", "A"]  # Z: nothing at either snapshot


def test_comparable_shapes_each_funnel_query():
    comptoir = pd.DataFrame({"cluster_id": ["c"], "cluster_name": ["C"], "stage_order": [0],
                             "stage": ["member_smes"], "firms": [3], "sources": [["S1"]]})
    assert fn.comparable("comptoir", comptoir).to_dict("records") == [
        {"group": "c", "group_name": "C", "stage_order": 0, "stage": "member_smes", "n": 3}]
    portage = pd.DataFrame({"year": [2009], "stage_order": [1], "stage": ["requested"],
                            "requests": [65], "sources": [["S5"]]})
    assert fn.comparable("portage", portage).to_dict("records") == [
        {"group": "2009", "group_name": "2009", "stage_order": 1, "stage": "requested",
         "n": 65}]
    survey = fn.comparable("survey", ANSWERS)
    assert list(survey.columns) == fn.LONG_COLUMNS and survey["n"].tolist()[:3] == [400, 50, 350]


# --- data checks ----------------------------------------------------------------------------
PROBLEMS = pd.DataFrame({
    "funnel": ["comptoir", "comptoir", "comptoir", "survey"],
    "problem": ["stage_not_sme", "stage_not_sme", "stage_without_comptoir",
                "answers_over_base"],
    "group_id": ["c1", "c1", "c1", "s / q"],
    "row_id": ["m3", "m4", "m5", "s / q / oui"],
    "stage": ["exporting", "hosted", "selected", None],
    "value": ["large", "large", None, None],
    "n": [None, None, None, 450], "base": [None, None, None, 400]})


def test_flags_name_the_rows_behind_an_inverted_stage():
    steps = {"c1": fn.steps([("member_smes", 4), ("candidate", 5), ("selected", 4)]),
             "c2": fn.steps([("member_smes", 2), ("candidate", 2)])}
    flags = fn.flags("comptoir", steps, PROBLEMS)
    assert [(f.problem, f.group) for f in flags] == [("inversion", "c1"),
                                                     ("stage_without_comptoir", "c1")]
    assert flags[0].step.stage == "candidate" and flags[0].step.n == 5
    assert flags[0].rows["row_id"].tolist() == ["m3", "m4"]
    assert flags[1].rows["row_id"].tolist() == ["m5"]


def test_flags_without_inversion_still_show_problem_rows():
    steps = {"c1": fn.steps([("member_smes", 40), ("candidate", 5)])}
    flags = fn.flags("comptoir", steps, PROBLEMS)
    assert [(f.problem, f.rows["row_id"].tolist()) for f in flags] == [
        ("stage_not_sme", ["m3", "m4"]), ("stage_without_comptoir", ["m5"])]
    assert [f.problem for f in fn.flags("survey", {}, PROBLEMS)] == ["answers_over_base"]
    assert fn.flags("portage", {}, PROBLEMS) == []


def test_name_rows():
    assert fn.name_rows(["a", "b", "a"], limit=5) == (["a", "b"], 0)
    assert fn.name_rows([str(i) for i in range(15)], limit=12) == (
        [str(i) for i in range(12)], 3)


# Seven clusters with non-SME firms in the programme (3, 1, 4, 1, 5, 9, 2 of them), one
# survey question whose answers exceed its base, one portage request reviewed too early.
MANY = pd.DataFrame({
    "funnel": ["comptoir"] * 25 + ["survey", "portage"],
    "problem": ["stage_not_sme"] * 25 + ["answers_over_base", "review_before_reviewed"],
    "group_id": [g for g, k in zip(["g1", "g2", "g3", "g4", "g5", "g6", "g7"],
                                   [3, 1, 4, 1, 5, 9, 2], strict=True) for _ in range(k)]
    + ["s / q", "2009"],
    "row_id": [f"m{i:02d}" for i in range(25)] + ["s / q / oui", "=p1"],
    "stage": ["hosted"] * 25 + [None, "requested"],
    "value": ["large"] * 24 + ["midcap", None, None],
    "n": [None] * 25 + [450, 10], "base": [None] * 25 + [400, None]})


def test_worst_keeps_the_five_flags_with_most_rows_in_their_order():
    flags = fn.flags("comptoir", {}, MANY)
    assert [(f.group, len(f.rows)) for f in flags] == [
        ("g1", 3), ("g2", 1), ("g3", 4), ("g4", 1), ("g5", 5), ("g6", 9), ("g7", 2)]
    # The 5 largest (9, 5, 4, 3, 2), in the order found; g2 and g4 (1 row each) left out.
    assert [f.group for f in fn.worst(flags)] == ["g1", "g3", "g5", "g6", "g7"]
    assert [f.group for f in fn.worst(flags, 2)] == ["g5", "g6"]
    # Ties keep the first found: g2 before g4.
    assert [f.group for f in fn.worst(flags, 6)] == ["g1", "g2", "g3", "g5", "g6", "g7"]
    few = flags[:5]
    assert fn.worst(few) == few  # up to 5: all of them, as before


def test_summary_counts_every_kind_of_problem_and_its_rows():
    steps = {"g1": fn.steps([("member_smes", 2), ("candidate", 3)]),  # an inversion
             "g2": fn.steps([("member_smes", 9), ("candidate", 1)])}
    flags = fn.flags("comptoir", steps, MANY)
    assert fn.summary(flags) == [fn.ProblemKind("inversion", 1, 3),
                                 fn.ProblemKind("stage_not_sme", 6, 22)]
    assert fn.summary(fn.flags("portage", {}, MANY)) == [
        fn.ProblemKind("review_before_reviewed", 1, 1)]
    assert fn.summary([]) == []


def test_checks_summary_names_every_kind_with_its_count():
    from components.funnels import checks_summary

    steps = {"g1": fn.steps([("member_smes", 2), ("candidate", 3)])}
    flags = fn.flags("comptoir", steps, MANY)
    assert checks_summary(flags, "fr") == (
        "Contrôles de cohérence : 7 problèmes de données — étape plus grande que la "
        "précédente : 1 (3 lignes) ; entreprises du programme qui ne sont pas des PME : 6 "
        "(22 lignes). Les 5 qui concernent le plus de lignes sont détaillés ci-dessous ; le "
        "fichier CSV donne toutes les lignes.")
    inversion = fn.Flag("survey", "inversion", "s / q", MANY.iloc[0:0],
                        fn.steps([("asked", 1), ("x", 2)])[1])
    assert checks_summary([inversion], "en", 1) == (
        "Consistency checks: 1 data problems — stage larger than the previous one: 1. The 1 "
        "with the most rows are detailed below; the CSV file gives every row.")


def test_problem_table_has_every_row_of_the_funnel_labelled():
    names = {"g1": "Un", "g6": "Six"}
    table = fn.problem_table("comptoir", MANY, names, "fr")
    assert list(table.columns) == list(fn.PROBLEM_CSV_COLUMNS)
    assert len(table) == 25
    assert table.iloc[0].tolist()[:6] == [
        "entreprises du programme qui ne sont pas des PME", "g1", "Un", "m00", "Hébergée",
        "large"]
    assert table["group"].tolist().count("Six") == 9
    assert table["group"].tolist().count("g2") == 1  # no name: the id
    portage = fn.problem_table("portage", MANY, {}, "en")
    [row] = portage.to_dict("records")
    assert {k: v for k, v in row.items() if not pd.isna(v)} == {
        "problem": "review time without a review", "group_id": "2009", "group": "2009",
        "row_id": "=p1", "stage": "Requested", "n": 10.0}
    assert fn.problem_table("survey", MANY.iloc[0:0], {}, "fr").empty


def test_problems_csv_is_excel_ready_and_formula_safe():
    csv = fn.problems_csv("portage", MANY, {}, "fr")
    assert csv == ("\ufeffprobleme;groupe_id;groupe;ligne_id;etape;valeur;effectif;base\r\n"
                   "durée d'instruction sans instruction;2009;2009;'=p1;Demandé;;10;\r\n"
                   ).encode("utf-8")
    survey = fn.problems_csv("survey", MANY, {"s / q": "S (2016)"}, "en").decode("utf-8-sig")
    assert survey.splitlines() == [
        "problem;group_id;group;row_id;stage;value;n;base",
        "answers adding up to more than the base;s / q;S (2016);s / q / oui;;;450;400"]
    comptoir = fn.problems_csv("comptoir", MANY, {}, "fr").decode("utf-8-sig").splitlines()
    assert len(comptoir) == 26 and comptoir[-1] == (
        "entreprises du programme qui ne sont pas des PME;g7;g7;m24;Hébergée;midcap;;")
    assert fn.problem_count(MANY, "comptoir") == 25 and fn.problem_count(MANY, "x") == 0


def test_problems_download_builds_the_csv_when_called_and_audits_it(tmp_path, monkeypatch):
    from envol import audit

    monkeypatch.setenv("ENVOL_AUDIT_FILE", str(tmp_path / "audit.jsonl"))
    download = fn.problems_download("portage", MANY, {}, "fr", "ana@example.org", 12)
    assert audit.read() == []  # nothing built nor logged before the click
    assert download() == fn.problems_csv("portage", MANY, {}, "fr")
    [entry] = audit.read()
    assert {k: entry[k] for k in ("event", "who", "funnel", "version")} == {
        "event": "funnel_problems_csv", "who": "ana@example.org", "funnel": "portage",
        "version": 12}


def test_latest_years_keeps_the_six_latest_in_their_order():
    years = {str(y): fn.steps([("requested", y - 2000)]) for y in range(2009, 2026)}
    drawn = fn.latest_years(years)
    assert list(drawn) == ["2020", "2021", "2022", "2023", "2024", "2025"]
    assert drawn["2020"] is years["2020"]
    assert list(fn.latest_years({"2011": [], "2009": [], "2010": []}, 2)) == ["2011", "2010"]
    six = {str(y): [] for y in range(2009, 2015)}
    assert fn.latest_years(six) is six  # up to 6 years: unchanged
    assert fn.YEARS_DRAWN == 6


# --- labels ---------------------------------------------------------------------------------
def test_stage_labels_come_from_the_contract():
    assert fn.stage_label("comptoir", "hosted", "fr") == "Hébergée"
    assert fn.stage_label("comptoir", "hosted", "en") == "Hosted"
    assert fn.stage_label("portage", "endorsed", "fr") == "Parrainé (CCI/CCE)"
    assert fn.stage_label("portage", "supported", "en") == "Supported"
    assert fn.stage_label("comptoir", "member_smes", "en") == "Member SMEs (micro + SME)"
    assert fn.stage_label("survey", "asked", "fr") == "Entreprises interrogées"
    assert fn.stage_label("survey", "Oui : au moins une", "en") == "Oui"


def test_country_names():
    assert fn.country_name("MEX", "fr") == "Mexique"
    assert fn.country_name("USA", "en") == "United States"
    assert fn.country_name("XYZ", "fr") == "XYZ"


def test_the_sql_stage_orders_are_the_contracts():
    comptoir = "[" + ", ".join(f"'{s}'" for s in fn.COMPTOIR_STAGES) + "]"
    portage = "[" + ", ".join(f"'{s}'" for s in fn.PORTAGE_STAGES) + "]"
    for name in ("comptoir_funnel_by_stage", "comptoir_funnel_by_comptoir"):
        assert comptoir in " ".join(load_sql(name).split()), name
    assert portage in " ".join(load_sql("portage_funnel_by_stage").split())
    assert fn.COMPTOIR_STAGES == ("candidate", "selected", "hosted", "exporting")
    assert fn.PORTAGE_STAGES == ("requested", "endorsed", "reviewed", "matched", "supported")


def _panel(n: int) -> list[fn.Step]:
    return [fn.Step("member_smes", n, None, None, None, 1.0)]


def test_in_detail_keeps_the_largest_first_stages_in_their_order():
    panels = {name: _panel(n) for name, n in
              [("Delta", 5), ("alpha", 9), ("Beta", 9), ("Gamma", 1), ("Eta", 7)]}
    assert fn.in_detail(panels, limit=5) is panels
    # Largest first stage, ties by name (case-insensitive): alpha, Beta, Eta.
    assert list(fn.in_detail(panels, limit=3)) == ["alpha", "Beta", "Eta"]
    assert list(fn.in_detail(panels, limit=2)) == ["alpha", "Beta"]
    assert len(fn.in_detail({str(i): _panel(i) for i in range(3000)})) == fn.DETAIL_MAX


def test_compare_in_detail_keeps_the_groups_that_changed_most():
    cmp = pd.DataFrame({
        "group": ["a", "a", "b", "b", "c", "c"],
        "group_name": ["A", "A", "B", "B", "C", "C"],
        "stage_order": [0, 1] * 3, "stage": ["s0", "s1"] * 3,
        "before": [10, 5, 10, 5, 10, 5], "after": [10, 5, 4, 5, 12, 6],
        "delta": [0, 0, -6, 0, 2, 1],
    })
    assert fn.compare_in_detail(cmp, limit=3) is cmp
    two = fn.compare_in_detail(cmp, limit=2)
    assert two["group"].tolist() == ["b", "b", "c", "c"]  # |−6| then 2 + 1; a did not move
    assert fn.compare_in_detail(cmp, limit=1)["group"].tolist() == ["b", "b"]


# --- figures built in one go -----------------------------------------------------------------
def _funnel_figure_with_make_subplots(panels, funnel, lang):
    """The funnel figure as it was built before (make_subplots, one add_bar and one
    update_xaxes per panel): the one-go build must give the same figure."""
    from plotly.subplots import make_subplots

    from components import funnels as cf

    names = list(panels)
    fig = make_subplots(rows=1, cols=max(1, len(names)), shared_yaxes=True,
                        subplot_titles=[cf.plain_html(n) for n in names],
                        horizontal_spacing=0.05)
    for i, name in enumerate(names, start=1):
        ss = panels[name]
        labels = [fn.stage_label(funnel, s.stage, lang) for s in ss]
        fig.add_bar(
            y=[cf.plain_html(lab) for lab in labels], x=[s.n for s in ss], orientation="h",
            showlegend=False,
            marker_color=[cf.BASE_COLOUR if s.previous is None else
                          cf.PROBLEM_COLOUR if s.inverted else cf.STAGE_COLOUR for s in ss],
            text=[cf.step_text(s, lang) for s in ss], textposition="outside",
            cliponaxis=False, textfont={"size": 17, "color": cf.INK},
            hovertext=[cf._hover(s, lab, lang) for s, lab in zip(ss, labels, strict=True)],
            hoverinfo="text", row=1, col=i)
        top = max([s.n for s in ss] + [1])
        fig.update_xaxes(range=[0, top * 1.75], showticklabels=False, showgrid=False,
                         row=1, col=i)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 16, "color": cf.INK},
                     showgrid=False)
    fig.update_annotations(font={"size": 19, "color": cf.INK})
    fig.update_layout(bargap=0.25, margin={"t": 50})
    return fig


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 6, 7, 11, 17])
def test_subplot_axes_are_make_subplots_own(n):
    from plotly.subplots import make_subplots

    from components.funnels import subplot_axes, subplot_titles

    titles = [f"t{i}" for i in range(max(1, n))]
    ref = make_subplots(rows=1, cols=max(1, n), shared_yaxes=True, subplot_titles=titles,
                        horizontal_spacing=0.05).to_dict()["layout"]
    ref.pop("template")
    assert {**subplot_axes(n), "annotations": subplot_titles(titles)} == ref


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_funnel_figure_is_the_same_figure_as_before(lang):
    from components.funnels import funnel_figure

    comptoir = {"Pégase": fn.steps(zip(["member_smes", *fn.COMPTOIR_STAGES],
                                       [100, 20, 20, 20, 0], strict=True)),
                "<b>Un</b>": fn.steps([("member_smes", 4), ("candidate", 5),
                                       ("selected", 4)]),
                "Vide": fn.steps([("member_smes", 0), ("candidate", 0)])}
    years = {str(y): fn.steps(zip(fn.PORTAGE_STAGES, [y - 2000, 9, 5, 2, 1], strict=True))
             for y in range(2009, 2026)}
    for panels, funnel in ((comptoir, "comptoir"), (years, "portage"),
                           (fn.latest_years(years), "portage"), ({}, "comptoir")):
        new = funnel_figure(panels, funnel, lang).to_dict()
        assert new == _funnel_figure_with_make_subplots(panels, funnel, lang).to_dict()


def _compare_figure_with_make_subplots(cmp, funnel, before, after, lang):
    """The comparison figure as it was built before (make_subplots, add_bar per group)."""
    from plotly.subplots import make_subplots

    from components import funnels as cf
    from envol import i18n

    T = i18n.translator(lang)
    groups = list(dict.fromkeys(cmp["group_name"]))
    fig = make_subplots(rows=1, cols=max(1, len(groups)), shared_yaxes=True,
                        horizontal_spacing=0.05)
    for i, g in enumerate(groups, start=1):
        part = cmp[cmp["group_name"] == g]
        labels = [cf.plain_html(lab) for lab in
                  cf._unique([fn.stage_label(funnel, s, lang) for s in part["stage"]])]
        top = max(part["before"].max(), part["after"].max(), 1)
        fig.add_bar(y=labels, x=part["before"], orientation="h", marker_color=cf.BEFORE_COLOUR,
                    name=T("funnels.col.before", id=before), legendgroup="before",
                    showlegend=i == 1, text=[i18n.number(x, lang) for x in part["before"]],
                    textposition="outside", textfont={"color": cf.INK}, cliponaxis=False,
                    row=1, col=i)
        fig.add_bar(y=labels, x=part["after"], orientation="h", marker_color=cf.STAGE_COLOUR,
                    name=T("funnels.col.after", id=after), legendgroup="after",
                    showlegend=i == 1,
                    text=[f"{i18n.number(x, lang)} ({cf.signed(d, lang)})" if d else
                          i18n.number(x, lang) for x, d in zip(part["after"], part["delta"],
                                                               strict=True)],
                    textposition="outside", textfont={"color": cf.INK}, cliponaxis=False,
                    row=1, col=i)
        fig.update_xaxes(range=[0, top * 1.45], showticklabels=False, showgrid=False,
                         title={"text": cf.plain_html(g), "font": {"size": 17, "color": cf.INK}},
                         row=1, col=i)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 15, "color": cf.INK},
                     showgrid=False)
    fig.update_layout(barmode="group", bargap=0.2)
    return fig


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_figure_is_the_same_figure_as_before(lang):
    from components.funnels import compare_figure

    rows = [(g, s, b, a) for g in ("Un", "<i>Deux</i>", "Trois")
            for s, b, a in (("member_smes", 10, 12), ("candidate", 4, 4), ("selected", 1, 0))]
    cmp = pd.DataFrame({"group": [r[0] for r in rows], "group_name": [r[0] for r in rows],
                        "stage_order": [0, 1, 2] * 3, "stage": [r[1] for r in rows],
                        "before": [r[2] for r in rows], "after": [r[3] for r in rows]})
    cmp["delta"] = cmp["after"] - cmp["before"]
    for part in (cmp, cmp[cmp["group"] == "Un"], cmp.iloc[0:0]):
        new = compare_figure(part, "comptoir", 4, 9, lang).to_dict()
        assert new == _compare_figure_with_make_subplots(part, "comptoir", 4, 9, lang).to_dict()


def test_long_panel_titles_go_on_two_lines_and_keep_the_whole_name_in_the_hover():
    from components.funnels import funnel_figure, panel_title

    assert panel_title("Aerospace Valley", 2) == ("Aerospace Valley", None)  # as before
    assert panel_title("Cluster Spatial Italie 1", 6) == ("Cluster Spatial<br>Italie 1", None)
    assert panel_title("Réseau Aéronautique Autriche 340", 6) == (
        "Réseau<br>Aéronautique Aut…", "Réseau Aéronautique Autriche 340")
    assert panel_title("Supercalifragilisticexpialidocious", 6) == (
        "Supercalifragilis<br>ticexpialidocious", "Supercalifragilisticexpialidocious")
    assert panel_title("<b>Alliance</b> Eau Allemagne 7", 6) == (
        "&lt;b&gt;Alliance&lt;/b&gt;<br>Eau Allemagne 7", None)
    names = ["Réseau Aéronautique Autriche 340", "Cluster Spatial Italie 1", "Pégase",
             "Alliance Eau Allemagne 7", "Vallée Énergie France 16", "Alliance Textile France 4"]
    panels = {n: fn.steps([("member_smes", 10), ("candidate", 2)]) for n in names}
    notes = funnel_figure(panels, "comptoir", "fr").to_dict()["layout"]["annotations"]
    assert [a["text"] for a in notes] == [
        "Réseau<br>Aéronautique Aut…", "Cluster Spatial<br>Italie 1", "Pégase",
        "Alliance Eau<br>Allemagne 7", "Vallée Énergie<br>France 16",
        "Alliance Textile<br>France 4"]
    assert [a.get("hovertext") for a in notes] == [names[0], None, None, None, None, None]
    assert {a["font"]["size"] for a in notes} == {15}
    short = funnel_figure({"Pégase": panels["Pégase"]}, "comptoir", "fr").to_dict()
    assert short["layout"]["annotations"][0]["font"] == {"size": 19, "color": "#1f1f1f"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_review_figure_is_the_same_figure_as_before(lang):
    """All years' bars at once: the same figure as one add_bar per year."""
    import plotly.graph_objects as go

    from components import funnels as cf
    from components.charts import PALETTE

    reviews = pd.DataFrame({"year": [2009, 2009, 2010, 2011], "review_days": [10, 31, 45, 5],
                            "requests": [3, 1, 2, 9], "sources": [["A"]] * 4})
    fig = go.Figure()
    for i, (year, part) in enumerate(reviews.groupby("year", sort=True)):
        fig.add_bar(x=part["review_days"], y=part["requests"], name=str(year),
                    marker_color=PALETTE[(i + 1) % len(PALETTE)],
                    hovertemplate=f"{year} · %{{x}} j : %{{y}}<extra></extra>" if lang == "fr"
                    else f"{year} · %{{x}} d: %{{y}}<extra></extra>")
    new = cf.review_figure(reviews, lang).to_dict()
    assert new["data"] == fig.to_dict()["data"]
    assert len(new["data"]) == 3 and new["layout"]["shapes"][0]["x0"] == 30


def test_tables_show_every_row_up_to_15_then_scroll():
    from components.funnels import table_height

    assert table_height(10) == 36 * 11 + 4 == 400  # the default data's conversions: as before
    assert table_height(15) == 580
    assert table_height(15_000) == 580  # EU scale: a scrolling table, not 540,040 pixels
