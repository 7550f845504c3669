"""The scenario page through AppTest, in French and English, on the default lake (and on a lake
whose targets an analyst replaced).

Default levers (targets T1–T4, S1): 5 comptoirs × 4 firms × 10 jobs × (1/3 + 2/3 + 1 + 7) =
1,800 jobs by 2020, 8,200 short of 10,000; 250,000 € in all, 139 € per job; 625,000 € without
the programme (× 2.5).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from envol import data, store
from envol.generate import TARGETS
from envol.scenario import Levers, to_query_param
from envol.text import markdown_text
from tests.conftest import rows_table

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/scenario.py"
NNBSP = "\u202f"
BASE = to_query_param(Levers())


def page(lang: str = "fr", query: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """Text as the reader sees it: Markdown escapes removed."""
    return markdown_text(markdown)


def values(v) -> np.ndarray:
    """A plotly array from the chart spec: a list, or plotly 7's typed `bdata` form."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
    return np.asarray(v)


def charts(at: AppTest) -> list[list[dict]]:
    return [json.loads(c.proto.spec)["data"] for c in at.get("plotly_chart")]


def trace(at: AppTest, name: str, chart: int = 0) -> dict:
    return next(t for t in charts(at)[chart] if t.get("name") == name)


def comparison(at: AppTest):
    """The comparison table, indexed by its first column (lever or result)."""
    df = at.dataframe[-1].value
    return df.set_index(df.columns[0])


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_page_runs_with_the_defaults_of_the_targets(default_lake, lang):
    at = page(lang)
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == {"fr": "Simulateur de scénarios", "en": "Scenario simulator"}[lang]
    m = metrics(at)
    if lang == "fr":
        assert m["Emplois cumulés en 2020"] == f"1{NNBSP}800"
        assert m["Manque à l'objectif en 2020"] == f"8{NNBSP}200"
        assert m["Coût du programme"] == f"250{NNBSP}000{NNBSP}€"
        assert m["Coût par emploi"] == f"139{NNBSP}€"
        assert m["Coût sans le programme"] == f"625{NNBSP}000{NNBSP}€"
    else:
        assert m["Cumulative jobs by 2020"] == "1,800"
        assert m["Short of the target by 2020"] == "8,200"
        assert m["Programme cost"] == f"250,000{NNBSP}€"
        assert m["Cost per job"] == f"139{NNBSP}€"
    # Each lever: a slider and a number input at the targets' values, and where they come from.
    assert at.select_slider(key="scenario_job_target").value == 10_000
    assert at.number_input(key="scenario_firms_per_comptoir_value").value == 4
    assert at.number_input(key="scenario_budget_per_comptoir_eur_value").value == 50_000
    captions = shown(" ".join(c.value for c in at.caption))
    if lang == "fr":
        assert "objectif T1 (S1)" in captions and "objectif T2 (S1)" in captions
        assert "hypothèse : PME d'environ 50 salariés" in captions
    else:
        assert "target T4 (S1)" in captions and "assumption: a foreign office" in captions
    # Two charts: the trajectory and the tornado.
    jobs = trace(at, {"fr": "Emplois cumulés", "en": "Cumulative jobs"}[lang])
    assert values(jobs["y"])[-1] == pytest.approx(1800)
    assert list(values(jobs["x"])) == list(range(2011, 2021))
    target = next(t for t in charts(at)[0] if t["name"].startswith(
        {"fr": "Objectif", "en": "Target"}[lang]))
    assert set(values(target["y"])) == {10_000}
    assert len(charts(at)) == 2


def test_cards_say_where_their_figures_come_from(default_lake):
    at = page("fr")
    helps = {m.label: m.help for m in at.metric}
    jobs = helps["Emplois cumulés en 2020"]
    assert "S1" in jobs and "Les Echos" in jobs  # the article
    assert "table targets" in jobs and "T1" in jobs and "T4" in jobs  # the targets snapshot
    assert "Hypothèse" in jobs and "Emplois par entreprise et par an" in jobs  # the assumptions
    cost = helps["Coût du programme"]
    assert "T2" in cost and "Hypothèse" not in cost


def test_moving_a_slider_changes_the_chart(default_lake):
    at = page("fr")
    at.select_slider(key="scenario_firms_per_comptoir").set_value(8).run()
    assert not at.exception and not at.error
    # 5 × 8 × 10 × 9 = 3,600
    assert values(trace(at, "Emplois cumulés")["y"])[-1] == pytest.approx(3600)
    assert at.number_input(key="scenario_firms_per_comptoir_value").value == 8
    assert metrics(at)["Emplois cumulés en 2020"] == f"3{NNBSP}600"
    assert any("Choisi sur cette page : Entreprises par comptoir = 8 (défaut 4)" in shown(m.help)
               for m in at.metric)
    # The number input moves the slider too; the tornado follows the new scenario.
    at.number_input(key="scenario_jobs_per_firm_per_year_value").set_value(20.0).run()
    assert at.select_slider(key="scenario_jobs_per_firm_per_year").value == 20.0
    assert values(trace(at, "Emplois cumulés")["y"])[-1] == pytest.approx(7200)
    tornado = charts(at)[1]
    assert tornado[0]["base"] == tornado[1]["base"] == pytest.approx(7200)
    # Reset: back to the targets' defaults.
    at.button(key="scenario_reset").click().run()
    assert at.select_slider(key="scenario_firms_per_comptoir").value == 4
    assert values(trace(at, "Emplois cumulés")["y"])[-1] == pytest.approx(1800)


def test_levers_survive_a_visit_to_another_page_and_a_language_switch(default_lake):
    at = page("fr")
    at.select_slider(key="scenario_comptoirs").set_value(10).run()
    at.switch_page("app_pages/overview.py").run()
    at.switch_page(PAGE).run()
    assert at.select_slider(key="scenario_comptoirs").value == 10
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Scenario simulator"
    assert metrics(at)["Cumulative jobs by 2020"] == "3,600"  # 10 × 4 × 10 × 9


@pytest.mark.parametrize("lang,key,value,expected", [
    ("fr", "scenario_budget_per_comptoir_eur_value", 0.0,
     f"Budget par comptoir (budget_per_comptoir_eur) : accepté de 1{NNBSP}000 à "
     f"1{NNBSP}000{NNBSP}000 € (valeur : 0)."),
    ("en", "scenario_budget_per_comptoir_eur_value", 0.0,
     "Budget per comptoir (budget_per_comptoir_eur): accepted range 1,000 to 1,000,000 €"
     " (got 0)."),
    ("fr", "scenario_firms_per_comptoir", 3,
     "un comptoir est un GIE d'au moins 4 entreprises"),
    ("en", "scenario_horizon_years", 3, "the horizon must be longer than the ramp-up"),
])
def test_invalid_levers_get_the_models_message_and_no_chart(default_lake, lang, key, value,
                                                            expected):
    at = page(lang)
    widget = at.number_input(key=key) if key.endswith("_value") else at.select_slider(key=key)
    widget.set_value(value).run()
    assert not at.exception
    assert len(at.error) == 1 and expected in shown(at.error[0].value), at.error[0].value
    assert not at.get("plotly_chart") and not at.metric  # nothing that pretends
    assert at.button(key="scenario_save").disabled
    lever = key.removeprefix("scenario_").removesuffix("_value")
    at.button(key=f"scenario_fix_{lever}").click().run()  # back to its default
    assert not at.error and len(at.get("plotly_chart")) == 2
    assert metrics(at)[{"fr": "Emplois cumulés en 2020",
                        "en": "Cumulative jobs by 2020"}[lang]] in ("1\u202f800", "1,800")


def test_what_it_takes_for_firms_per_comptoir(default_lake):
    at = page("fr")
    assert at.selectbox(key="scenario_solve_lever").value == "firms_per_comptoir"
    # one firm per comptoir: 5 × 10 × 9 = 450; 22 × 450 = 9,900 < 10,000 ≤ 23 × 450 = 10,350
    assert shown(at.success[0].value).startswith(
        "Valeur minimale de « Entreprises par comptoir » pour atteindre l'objectif : 23")
    m = metrics(at)
    assert m["Valeur nécessaire"] == "23"
    assert m["Emplois en 2020 avec cette valeur"] == f"10{NNBSP}350"
    at.button(key="scenario_solve_apply").click().run()
    assert at.select_slider(key="scenario_firms_per_comptoir").value == 23
    assert metrics(at)["Objectif atteint en"] == "2020"


def test_what_it_takes_says_when_no_value_in_range_can(default_lake):
    at = page("en")
    at.selectbox(key="scenario_solve_lever").set_value("horizon_years").run()
    assert not at.success
    # horizon H: 200 × (H − 1) ≥ 10,000 needs H = 51 > 30; at best 200 × 29 = 5,800
    assert shown(at.warning[0].value).startswith(
        "Target not reachable in range: at best 5,800 jobs with Horizon = 30")
    assert metrics(at)["Best value in range"] == "30 years"
    at.selectbox(key="scenario_solve_lever").set_value("ramp_up_years").run()
    assert "Lever to adjust" in at.selectbox(key="scenario_solve_lever").label
    assert set(at.selectbox(key="scenario_solve_lever").options) == {
        "Comptoirs", "Firms per comptoir", "Jobs per firm per year", "Horizon", "Ramp-up"}


def test_save_compare_and_reopen_from_the_url(default_lake):
    at = page("fr")
    assert "Aucun scénario enregistré" in " ".join(c.value for c in at.caption)
    at.text_input(key="scenario_name").input("Base").run()
    at.button(key="scenario_save").click().run()
    at.select_slider(key="scenario_firms_per_comptoir").set_value(8).run()
    at.text_input(key="scenario_name").input("Plus d'entreprises, 8~ <b>x</b>").run()
    at.button(key="scenario_save").click().run()
    assert not at.exception and not at.error
    assert shown(at.success[-1].value) == "Scénario « Plus d'entreprises, 8~ <b>x</b> » enregistré."
    saved = at.query_params["scenarios"]
    assert saved == [f"Base~{BASE}",
                     "Plus d'entreprises, 8~ <b>x</b>~" + to_query_param(Levers(
                         firms_per_comptoir=8))]
    # The comparison: one chart (one line per scenario, names inert) and one table.
    assert len(at.get("plotly_chart")) == 3
    names = [t["name"] for t in charts(at)[2] if t.get("showlegend") is not False]
    assert names == ["Base", "Plus d'entreprises, 8~ &lt;b&gt;x&lt;/b&gt;"]
    table = comparison(at)
    assert list(table.columns) == ["Base", "Plus d'entreprises, 8~ <b>x</b>"]
    assert table.loc["Entreprises par comptoir"].tolist() == ["4", "8"]
    assert table.loc["Emplois cumulés à l'horizon"].tolist() == [f"1{NNBSP}800", f"3{NNBSP}600"]
    assert table.loc["Année d'atteinte de l'objectif"].tolist() == ["non atteint"] * 2
    assert len(at.get("download_button")) == 1

    # A link with these values reopens them in a new session; bad values are skipped, said so.
    again = page("en", query={"scenarios": [*saved, "Broken~v1_b0", "no separator"]})
    assert not again.error
    assert list(comparison(again).columns) == ["Base", "Plus d'entreprises, 8~ <b>x</b>"]
    notice = shown(again.warning[0].value)
    assert notice.startswith("Part of the link could not be read and was ignored")
    assert "Broken" in notice and "no separator" in notice
    assert again.query_params["scenarios"] == saved  # the URL keeps only what was read
    # Load one: the levers take its values.
    again.button(key="scenario_load_1").click().run()
    assert again.select_slider(key="scenario_firms_per_comptoir").value == 8
    # Delete both: the URL forgets them.
    again.button(key="scenario_delete_0").click().run()
    again.button(key="scenario_delete_0").click().run()
    assert "scenarios" not in again.query_params
    assert len(again.get("plotly_chart")) == 2


def test_three_scenarios_at_most_and_names_are_checked(default_lake):
    at = page("en", query={"scenarios": [f"{n}~{BASE}" for n in "ABC"]})
    assert list(comparison(at).columns) == ["A", "B", "C"]
    at.text_input(key="scenario_name").input("D").run()
    at.button(key="scenario_save").click().run()
    assert at.error[0].value == "Three scenarios at most: delete one first."
    at.text_input(key="scenario_name").input("A").run()  # the same name replaces it
    at.select_slider(key="scenario_comptoirs").set_value(6).run()
    at.button(key="scenario_save").click().run()
    assert comparison(at).loc["Comptoirs"].tolist() == ["6", "5", "5"]
    at.text_input(key="scenario_name").input("   ").run()
    at.button(key="scenario_save").click().run()
    assert shown(at.error[0].value).startswith("Invalid scenario name")


def test_garbage_in_the_url_never_breaks_the_page(default_lake):
    at = page("fr", query={"scenarios": ["~~~", "%00", "x" * 5000, "A~v1_" + "b1_" * 100]})
    assert not at.error and len(at.warning) == 1
    assert at.warning[0].value.count("\n- ") == 4
    assert "scenarios" not in at.query_params


# --- an analyst's upload of targets changes the defaults ------------------------------------


def commit_targets(con, rows: list[dict], file_name: str) -> int:
    return store.commit_table(con, "targets", rows_table("targets", rows), mode="replace",
                              author="analyste", note="objectifs révisés", file_name=file_name,
                              sha256="0" * 64)


@pytest.fixture(scope="module")
def module_lake(tmp_path_factory, default_lake):
    path = tmp_path_factory.mktemp("scenario-lake")
    return store.open_lake(store.LakeConfig(str(path / "envol.ducklake"), path / "files"))


@pytest.fixture
def own_lake(module_lake, monkeypatch):
    """A lake of the default data for these tests only (so commits do not leak into others),
    its targets back to the default ones."""
    commit_targets(module_lake, TARGETS, "targets.csv")
    data._cached.clear()  # results are keyed by version; this lake's versions are the same ids
    monkeypatch.setattr(data, "lake", lambda: module_lake)
    yield module_lake
    data._cached.clear()


def test_uploaded_targets_change_the_defaults(own_lake):
    at = page("fr")
    at.select_slider(key="scenario_firms_per_comptoir").set_value(8).run()  # the user's choice
    rows = [dict(r) for r in TARGETS]
    rows[0].update(value_low=5000.0, start_year=2012, end_year=2016, source_id="S2")  # T1
    rows[1].update(value_low=100_000.0, value_high=None)  # T2: 100,000 / 5 = 20,000 each
    commit_targets(own_lake, rows, "objectifs_2026.csv")
    at.run()
    assert not at.exception and not at.error
    assert at.select_slider(key="scenario_job_target").value == 5000
    assert at.number_input(key="scenario_horizon_years_value").value == 5
    assert at.number_input(key="scenario_budget_per_comptoir_eur_value").value == 20_000
    assert at.select_slider(key="scenario_firms_per_comptoir").value == 8  # kept
    assert any("Les objectifs ont changé" in i.value for i in at.info)
    captions = shown(" ".join(c.value for c in at.caption))
    assert "Défaut 5\u202f000 · objectif T1 (S2)" in captions
    help_text = {m.label: m.help for m in at.metric}["Emplois cumulés en 2016"]
    assert "objectifs_2026.csv" in shown(help_text) and "analyste" in help_text
    # 5 comptoirs × 8 firms × 10 × (1/3 + 2/3 + 1 + 1 + 1) = 1,600 by 2016
    assert values(trace(at, "Emplois cumulés")["y"])[-1] == pytest.approx(1600)
    # A fresh session starts from the new defaults.
    fresh = page("en")
    assert fresh.select_slider(key="scenario_firms_per_comptoir").value == 4
    assert metrics(fresh)["Programme cost"] == f"100,000{NNBSP}€"


def test_uploaded_targets_out_of_range_get_a_message(own_lake):
    rows = [dict(r) for r in TARGETS]
    rows[1].update(value_low=0.0, value_high=None)  # a budget of 0
    commit_targets(own_lake, rows, "budget_nul.csv")
    at = page("en")
    assert not at.exception
    assert "accepted range 1,000 to 1,000,000 € (got 0)" in shown(at.error[0].value)
    assert at.number_input(key="scenario_budget_per_comptoir_eur_value").value == 0
    assert not at.get("plotly_chart")


def test_every_lever_has_its_widgets(default_lake):
    from components.scenario import GROUPS
    from envol.scenario import LEVER_INFO

    assert sorted(n for names in GROUPS.values() for n in names) == sorted(LEVER_INFO)
    at = page("en")
    for name in LEVER_INFO:
        assert at.select_slider(key=f"scenario_{name}").label
        assert at.number_input(key=f"scenario_{name}_value").value is not None


def test_without_pegase_the_defaults_are_the_articles(default_lake):
    at = page("fr", clusters=["aerospace_valley"])
    assert not at.error
    assert any("Pégase n'est pas parmi les pôles choisis" in i.value for i in at.info)
    captions = shown(" ".join(c.value for c in at.caption))
    assert f"Défaut 10{NNBSP}000 · source S1 : 10 000 emplois promis" in captions
    assert metrics(at)["Emplois cumulés en 2020"] == f"1{NNBSP}800"
