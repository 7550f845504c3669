"""The funnel queries: exact rows on a literal-row lake with inconsistent stages, and the exact
stage counts of the default data (S1, S3, S5)."""

from __future__ import annotations

import pytest

from envol import funnels as fn
from envol import store
from envol.queries import run_query
from tests.conftest import make_lake

CLUSTERS = [dict(cluster_id="c1", name="Un", region="R", source_id="A"),
            dict(cluster_id="c2", name="Deux", region="R", source_id="A")]
COMPTOIRS = [dict(comptoir_id="k1", cluster_id="c1", country_iso3="MEX", city="Querétaro",
                  status="operational", min_members=4, source_id="A"),
             dict(comptoir_id="k2", cluster_id="c2", country_iso3="MAR", city="Casablanca",
                  status="opening", source_id="B")]


def member(mid, cluster, size, comptoir=None, stage=None, source="A"):
    return dict(member_id=mid, cluster_id=cluster, name=mid.upper(), size_class=size,
                comptoir_id=comptoir, comptoir_stage=stage, source_id=source)


# c1: 4 SMEs (m1, m2, m5, m6) but 5 candidates: two large firms are in the programme.
MEMBERS = [
    member("m1", "c1", "sme", "k1", "hosted"),
    member("m2", "c1", "micro", "k1", "candidate", source="B"),
    member("m3", "c1", "large", "k1", "exporting"),      # not an SME
    member("m4", "c1", "large", "k1", "hosted"),         # not an SME
    member("m5", "c1", "sme", None, "selected"),         # a stage but no comptoir
    member("m6", "c1", "sme", "k1", None),               # a comptoir but no stage
    member("m7", "c2", "sme", "kX", "hosted"),           # unknown comptoir
    member("m8", "c2", "micro", "k1", "candidate"),      # another cluster's comptoir
    member("m9", "c2", "midcap"),                        # outside the programme
]
SURVEY = [
    # q1: answers add up to 45 for 40 asked
    dict(survey_id="s", survey_name="S", year=2016, question_id="q1", question="Q1",
         answer="oui", respondents=30, base=40, source_id="A"),
    dict(survey_id="s", survey_name="S", year=2016, question_id="q1", question="Q1",
         answer="non", respondents=15, base=40, source_id="A"),
    # q2: one answer larger than its base
    dict(survey_id="s", survey_name="S", year=2016, question_id="q2", question="Q2",
         answer="a", respondents=50, base=40, source_id="A"),
    # q3: two bases for one question
    dict(survey_id="s", survey_name="S", year=2016, question_id="q3", question="Q3",
         answer="x", respondents=5, base=10, source_id="A"),
    dict(survey_id="s", survey_name="S", year=2016, question_id="q3", question="Q3",
         answer="y", respondents=5, base=12, source_id="A"),
]
SPONSORSHIPS = [
    dict(sponsorship_id="p1", sponsor="G", sme_name="X1", year=2009, stage="requested",
         review_days=10, source_id="A"),                 # review time but never reviewed
    dict(sponsorship_id="p2", sponsor="G", sme_name="X2", year=2009, stage="supported",
         review_days=20, source_id="A"),
    dict(sponsorship_id="p3", sponsor="H", sme_name="X3", year=2009, stage="matched",
         review_days=20, source_id="B"),
    dict(sponsorship_id="p4", sponsor="H", sme_name="X4", year=2009, stage="endorsed",
         source_id="B"),
    dict(sponsorship_id="p5", sponsor="H", sme_name="X5", year=2010, stage="reviewed",
         review_days=45, source_id="B"),
]
ALL = dict(clusters=CLUSTERS, comptoirs=COMPTOIRS, members=MEMBERS, survey_results=SURVEY,
           sponsorships=SPONSORSHIPS)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    con = make_lake(tmp_path_factory.mktemp("funnels"), ALL)
    yield con
    con.close()


def q(con, name, **params):
    return run_query(con, name, version=store.current_version(con), **params)


def records(df, columns):
    return df[columns].astype(object).where(df[columns].notna(), None).to_dict("records")


# --- literal rows -------------------------------------------------------------------------
def test_comptoir_funnel_by_stage_counts_the_furthest_stage_reached(lake):
    df = q(lake, "comptoir_funnel_by_stage", clusters=["c1", "c2"])
    got = {(r["cluster_id"], r["stage"]): r["firms"] for r in records(df, ["cluster_id", "stage",
                                                                          "firms"])}
    assert [got[("c1", s)] for s in ("member_smes", *fn.COMPTOIR_STAGES)] == [4, 5, 4, 3, 1]
    assert [got[("c2", s)] for s in ("member_smes", *fn.COMPTOIR_STAGES)] == [2, 2, 1, 1, 0]
    assert df["cluster_name"].drop_duplicates().tolist() == ["Deux", "Un"]  # by name
    c1 = df[df["cluster_id"] == "c1"].set_index("stage")["sources"]
    assert list(c1["member_smes"]) == ["A", "B"] and list(c1["exporting"]) == ["A"]
    assert len(df[df["cluster_id"] == "c2"].set_index("stage").loc["exporting", "sources"]) == 0
    only = q(lake, "comptoir_funnel_by_stage", clusters=["c2"])
    assert set(only["cluster_id"]) == {"c2"}


def test_comptoir_funnel_by_comptoir(lake):
    df = q(lake, "comptoir_funnel_by_comptoir", clusters=["c1", "c2"])
    assert records(df, ["comptoir_id", "cluster_id", "country_iso3", "candidate", "selected",
                        "hosted", "exporting", "min_members"]) == [
        # Deux (c2) first by name; nobody reached k2. k1 counts m1 m2 m3 m4 and c2's m8.
        dict(comptoir_id="k2", cluster_id="c2", country_iso3="MAR", candidate=0, selected=0,
             hosted=0, exporting=0, min_members=None),
        dict(comptoir_id="k1", cluster_id="c1", country_iso3="MEX", candidate=5, selected=3,
             hosted=3, exporting=1, min_members=4)]
    assert [list(s) for s in df["sources"]] == [["B"], ["A", "B"]]


def test_funnel_problems_by_row_names_every_inconsistent_row(lake):
    df = q(lake, "funnel_problems_by_row", clusters=["c1", "c2"])
    assert records(df, ["funnel", "problem", "group_id", "row_id", "stage", "value", "n",
                        "base"]) == [
        dict(funnel="comptoir", problem="comptoir_of_other_cluster", group_id="c2", row_id="m8",
             stage="candidate", value="k1", n=None, base=None),
        dict(funnel="comptoir", problem="comptoir_without_stage", group_id="c1", row_id="m6",
             stage=None, value="k1", n=None, base=None),
        dict(funnel="comptoir", problem="stage_not_sme", group_id="c1", row_id="m3",
             stage="exporting", value="large", n=None, base=None),
        dict(funnel="comptoir", problem="stage_not_sme", group_id="c1", row_id="m4",
             stage="hosted", value="large", n=None, base=None),
        dict(funnel="comptoir", problem="stage_without_comptoir", group_id="c1", row_id="m5",
             stage="selected", value=None, n=None, base=None),
        dict(funnel="comptoir", problem="unknown_comptoir", group_id="c2", row_id="m7",
             stage="hosted", value="kX", n=None, base=None),
        dict(funnel="portage", problem="review_before_reviewed", group_id="2009", row_id="p1",
             stage="requested", value=None, n=10, base=None),
        dict(funnel="survey", problem="answers_over_base", group_id="s / q1",
             row_id="s / q1 / non", stage=None, value=None, n=45, base=40),
        dict(funnel="survey", problem="answers_over_base", group_id="s / q1",
             row_id="s / q1 / oui", stage=None, value=None, n=45, base=40),
        dict(funnel="survey", problem="answers_over_base", group_id="s / q2",
             row_id="s / q2 / a", stage=None, value=None, n=50, base=40),
        dict(funnel="survey", problem="base_differs", group_id="s / q3", row_id="s / q3 / x",
             stage=None, value=None, n=5, base=10),
        dict(funnel="survey", problem="base_differs", group_id="s / q3", row_id="s / q3 / y",
             stage=None, value=None, n=5, base=12),
        dict(funnel="survey", problem="respondents_over_base", group_id="s / q2",
             row_id="s / q2 / a", stage=None, value=None, n=50, base=40),
    ]
    # Member checks follow the cluster filter; the national programmes do not.
    c2 = q(lake, "funnel_problems_by_row", clusters=["c2"])
    assert set(c2.loc[c2["funnel"] == "comptoir", "row_id"]) == {"m7", "m8"}
    assert (c2["funnel"] == "survey").sum() == 6


def test_the_inconsistent_stage_is_flagged_naming_its_rows(lake):
    """Candidates (5) larger than the member SMEs (4) in c1: flagged, with m3 and m4 named."""
    funnel = q(lake, "comptoir_funnel_by_stage", clusters=["c1", "c2"])
    problems = q(lake, "funnel_problems_by_row", clusters=["c1", "c2"])
    flags = fn.flags("comptoir", fn.funnels(funnel, "cluster_id", "firms"), problems)
    inversion = [f for f in flags if f.problem == "inversion"]
    assert len(inversion) == 1
    f = inversion[0]
    assert (f.group, f.step.stage, f.step.n, f.step.previous_stage, f.step.previous) == (
        "c1", "candidate", 5, "member_smes", 4)
    assert f.rows["row_id"].tolist() == ["m3", "m4"]
    # The other problems are each named once, the non-SME rows not twice.
    assert sorted((g.problem, tuple(g.rows["row_id"])) for g in flags if g is not f) == [
        ("comptoir_of_other_cluster", ("m8",)), ("comptoir_without_stage", ("m6",)),
        ("stage_without_comptoir", ("m5",)), ("unknown_comptoir", ("m7",))]
    # A survey answer larger than its base is an inverted stage too.
    answers = q(lake, "survey_answers_by_question")
    q2 = fn.survey_funnel(answers, "s / q2")
    [flag, *others] = fn.flags("survey", {q2.key: q2.steps()}, problems)
    assert flag.problem == "inversion" and flag.rows["row_id"].tolist() == ["s / q2 / a"]
    assert {(o.problem, o.group) for o in others} == {
        ("answers_over_base", "s / q1"), ("answers_over_base", "s / q2"),
        ("base_differs", "s / q3")}


def test_portage_funnel_by_stage(lake):
    df = q(lake, "portage_funnel_by_stage")
    assert records(df, ["year", "stage", "requests"]) == [
        dict(year=2009, stage="requested", requests=4),
        dict(year=2009, stage="endorsed", requests=3),
        dict(year=2009, stage="reviewed", requests=2),
        dict(year=2009, stage="matched", requests=2),
        dict(year=2009, stage="supported", requests=1),
        dict(year=2010, stage="requested", requests=1),
        dict(year=2010, stage="endorsed", requests=1),
        dict(year=2010, stage="reviewed", requests=1),
        dict(year=2010, stage="matched", requests=0),
        dict(year=2010, stage="supported", requests=0)]
    assert df["stage_order"].tolist() == [1, 2, 3, 4, 5] * 2


def test_portage_reviews_by_days(lake):
    df = q(lake, "portage_reviews_by_days")
    assert records(df, ["year", "review_days", "requests"]) == [
        dict(year=2009, review_days=10, requests=1), dict(year=2009, review_days=20, requests=2),
        dict(year=2010, review_days=45, requests=1)]
    assert list(df.loc[1, "sources"]) == ["A", "B"]


# --- the default data -----------------------------------------------------------------------
ALL_CLUSTERS = ["pegase", "aerospace_valley", "astech"]


@pytest.fixture(scope="module")
def dq(default_lake, default_version):
    def run(name, **params):
        return run_query(default_lake, name, version=default_version, **params)
    return run


def test_default_comptoir_funnel_pegase_and_aerospace_valley(dq):
    df = dq("comptoir_funnel_by_stage", clusters=ALL_CLUSTERS)
    counts = {cid: part.sort_values("stage_order")["firms"].tolist()
              for cid, part in df.groupby("cluster_id")}
    assert counts == {"pegase": [100, 20, 20, 20, 0], "aerospace_valley": [265, 0, 0, 0, 0],
                      "astech": [0, 0, 0, 0, 0]}
    pegase = fn.funnels(df, "cluster_id", "firms")["pegase"]
    assert [s.conversion for s in pegase] == [None, 0.2, 1.0, 1.0, 0.0]


def test_default_comptoir_funnel_per_comptoir(dq):
    df = dq("comptoir_funnel_by_comptoir", clusters=ALL_CLUSTERS)
    assert sorted(df["country_iso3"]) == ["BRA", "CAN", "MAR", "MEX", "USA"]
    assert set(map(tuple, df[["candidate", "selected", "hosted", "exporting"]].values)) == {
        (4, 4, 4, 0)}
    assert df.set_index("country_iso3").loc["MEX", "status"] == "operational"


def test_default_funnel_agrees_with_the_overview_kpis(dq):
    """SMEs and firms hosted are also on the overview (kpis_by_cluster): they must agree."""
    kpis = dq("kpis_by_cluster", clusters=ALL_CLUSTERS).set_index("cluster_id")
    funnel = dq("comptoir_funnel_by_stage", clusters=ALL_CLUSTERS)
    for cid in ALL_CLUSTERS:
        part = funnel[funnel["cluster_id"] == cid].set_index("stage")["firms"]
        assert part["member_smes"] == kpis.loc[cid, "smes"]
        assert part["hosted"] == kpis.loc[cid, "firms_hosted"]


def test_default_survey_400_asked_50_with_experience(dq):
    answers = dq("survey_answers_by_question")
    [key] = fn.survey_questions(answers)
    f = fn.survey_funnel(answers, key)
    assert f.base == 400
    assert [(fn.short_answer(a.answer), a.n) for a in f.answers] == [("Oui", 50), ("Non", 350)]
    assert "pays frontaliers" in f.answers[0].answer  # mostly neighbouring countries (S3)
    assert f.answers[0].source_id == "S3"
    assert f.answers[0].ci == pytest.approx((0.096115, 0.161019), abs=2e-6)


def test_default_portage_funnel_goal_and_review(dq):
    portage = dq("portage_funnel_by_stage")
    counts = {y: part["requests"].tolist() for y, part in portage.groupby("year")}
    assert counts == {2009: [65, 65, 65, 65, 65], 2016: [60, 60, 60, 60, 0]}
    [goal] = fn.portage_goal_progress(portage, dq("targets_by_programme",
                                                  clusters=ALL_CLUSTERS))
    assert (goal.year, goal.supported, goal.goal, goal.goal_year, goal.share) == (
        2009, 65, 100.0, 2010, 0.65)
    by_year = dq("portage_by_year").set_index("year")
    for year, part in portage.groupby("year"):  # the overview's counts agree
        assert part.set_index("stage").loc["supported", "requests"] == by_year.loc[year,
                                                                                  "supported"]
    [review] = fn.review_summary(dq("portage_reviews_by_days"))
    assert (review.year, review.reviewed) == (2009, 65)
    assert by_year.loc[2009, "review_days_mean"] == 30.0
    assert review.within == 31 and review.longest <= 45


def test_default_data_has_no_funnel_problem(dq):
    assert dq("funnel_problems_by_row", clusters=ALL_CLUSTERS).empty
