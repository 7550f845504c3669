"""The funnels page through AppTest: both languages on the default data, the snapshot
comparison, and the data-problem warnings on a lake built from inconsistent literal rows."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from envol import data
from tests.conftest import make_lake
from tests.unit.test_funnel_queries import ALL as INCONSISTENT

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/funnels.py"


def funnels_page(lang: str, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def values(trace: dict, key: str) -> list:
    v = trace.get(key, [])
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def bar_texts(figure: dict) -> list[str]:
    return [t for trace in figure["data"] for t in trace.get("text", [])]


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_funnels_page_in_french(default_lake):
    at = funnels_page("fr")
    assert at.title[0].value == "Entonnoirs : de l'intérêt à l'export"
    m = metrics(at)
    assert m["Entreprises interrogées"][0] == "400"
    assert m["Réponse « Oui »"] == ("50 / 400", "12,5\u00a0% · IC 95 % : 9,6\u00a0% – 16,1\u00a0%")
    assert m["Réponse « Non »"][0] == "350 / 400"
    assert m["PME accompagnées en 2009"][0] == "65"
    assert m["Part de l'objectif 2010 atteinte"] == ("65\u00a0%", "65 / 100 (chiffre 2009)")
    assert m["Durée moyenne d'instruction 2009"][0] == "30 jours"
    # The answer text is shown verbatim, neighbouring countries included (S3).
    texts = [t.value for t in at.text]
    assert any("surtout dans des pays frontaliers" in t for t in texts)
    # Four charts: survey, comptoir funnel, portage funnel, review times.
    survey, comptoir, portage, review = charts(at)
    assert values(survey["data"][0], "x") == [400]
    assert values(survey["data"][1], "x") == [50, 350]
    notes = [a["text"] for a in survey["layout"]["annotations"]]
    assert notes[0] == "400" and notes[1].startswith("50 / 400 (12,5\u00a0%)")
    # The denominators are on the chart: Pégase 100 → 20 / 100 (20 %) → … → 0 / 20 (0 %).
    texts = bar_texts(comptoir)
    for label in ("100", "20 / 100 (20\u00a0%)", "20 / 20 (100\u00a0%)", "0 / 20 (0\u00a0%)",
                  "265", "0 / 265 (0\u00a0%)"):
        assert label in texts, label
    assert [t["text"] for t in comptoir["layout"]["annotations"]] == ["Aerospace Valley",
                                                                      "Pégase"]
    assert comptoir["data"][1]["y"] == ["PME membres (TPE + PME)", "Candidate", "Sélectionnée",
                                        "Hébergée", "Exportatrice"]
    assert "65 / 65 (100\u00a0%)" in bar_texts(portage) and "0 / 60 (0\u00a0%)" in bar_texts(
        portage)
    assert sum(values(review["data"][0], "y")) == 65
    # ASTech has no member firm: said, not drawn. No data problem in the default data.
    assert any("ASTech" in c.value for c in at.caption)
    assert not at.warning
    assert sum("aucun problème" in c.value for c in at.caption) == 3
    # One snapshot per table: said gracefully.
    assert any("n'a qu'un instantané" in i.value for i in at.info)


def test_funnels_page_in_english(default_lake):
    at = funnels_page("en")
    assert at.title[0].value == "Funnels: from interest to exporting"
    m = metrics(at)
    assert m["Firms asked"][0] == "400"
    assert m["Answer “Oui”"] == ("50 / 400", "12.5% · 95% CI: 9.6% – 16.1%")
    assert m["SMEs supported in 2009"][0] == "65"
    assert m["Share of the 2010 goal"] == ("65%", "65 / 100 (2009 figure)")
    assert m["Mean review time 2009"] == ("30 days", "sources' benchmark: 30 days (S5)")
    comptoir = charts(at)[1]
    assert "20 / 100 (20%)" in bar_texts(comptoir)
    assert comptoir["data"][1]["y"] == ["Member SMEs (micro + SME)", "Candidate", "Selected",
                                        "Hosted", "Exporting"]
    assert "Endorsed (CCI/CCE)" in charts(at)[2]["data"][0]["y"]
    tables = [d.value for d in at.dataframe]
    per_comptoir = next(t for t in tables if "Comptoir" in t.columns)
    assert per_comptoir["Comptoir"].tolist() == ["Brazil · São Paulo", "Canada · Montréal",
                                                 "Morocco · Casablanca", "Mexico · Querétaro",
                                                 "United States · Wichita"]
    assert set(per_comptoir["Hosted"]) == {"4 / 4 (100%)"}
    assert any("single snapshot" in i.value for i in at.info)


def test_compare_two_snapshots(default_lake):
    at = funnels_page("en")
    boxes = {s.key: s for s in at.selectbox}
    before, after = boxes["funnels_before_comptoir"], boxes["funnels_after_comptoir"]
    assert before.value == after.value  # one members snapshot: same default, nothing to compare
    assert any("different snapshots" in c.value for c in at.caption)
    # Before the members were loaded (the comptoirs commit): every stage grows.
    # The first comptoirs commit (options are newest first; other tests may commit later ones).
    label = [o for o in before.options if " · comptoirs · " in o][-1]  # "#4 · comptoirs · …"
    before.set_value(int(label.split(" ")[0].lstrip("#"))).run()
    assert not at.exception, [e.value for e in at.exception]
    delta = next(d.value for d in at.dataframe if "Delta" in d.value.columns)
    pegase = delta[delta["Group"] == "Pégase"]
    assert pegase["Delta"].tolist() == ["+100", "+20", "+20", "+20", "0"]
    compared = charts(at)[-1]
    titles = [v["title"]["text"] for k, v in compared["layout"].items() if k.startswith("xaxis")]
    assert titles == ["Aerospace Valley", "Pégase"]  # ASTech: nothing at either snapshot
    assert "100 (+100)" in bar_texts(compared) and "20 (+20)" in bar_texts(compared)
    # The portage funnel compares too.
    at.segmented_control(key="funnels_compare_funnel").set_value("portage").run()
    assert not at.exception
    assert "funnels_before_portage" in {s.key for s in at.selectbox}


@pytest.fixture
def inconsistent_lake(tmp_path, monkeypatch, default_lake):
    """The app reading a lake of inconsistent literal rows (restored afterwards)."""
    con = make_lake(tmp_path, INCONSISTENT)
    data._cached.clear()
    monkeypatch.setattr(data, "lake", lambda: con)
    yield con
    monkeypatch.undo()
    data._cached.clear()
    con.close()


def test_data_problems_are_shown_naming_the_rows(inconsistent_lake):
    at = funnels_page("en")
    warnings = [w.value.replace("\\", "") for w in at.warning]  # Markdown escapes removed
    inversion = next(w for w in warnings if "is larger than the previous stage" in w)
    assert "Un" in inversion and "“Candidate” (5)" in inversion
    assert "“Member SMEs (micro + SME)” (4)" in inversion
    assert "m3 (large, Exporting)" in inversion and "m4 (large, Hosted)" in inversion
    joined = "\n".join(warnings)
    for row in ("m5 (Selected)", "m6 (k1)", "m7 (kX, Hosted)", "m8 (k1, Candidate)",
                "p1 (Requested, 10 days)"):
        assert row in joined, row
    assert any("given by more firms than were asked" in w for w in warnings)
    # Few problems, each naming all its rows: no summary, no CSV button (as it always was).
    assert not any(w.startswith("Consistency checks") for w in warnings)
    assert not at.get("download_button")
    # The inverted stage is drawn in the warning colour.
    comptoir = next(c for c in charts(at) if any(
        "Candidate" in (t.get("y") or []) for t in c["data"]) and len(c["data"]) == 2)
    colours = [t["marker"]["color"] for t in comptoir["data"]]
    assert any("#D55E00" in c for c in colours)


def test_no_cluster_picked_shows_every_cluster_and_the_national_funnels(default_lake):
    at = funnels_page("fr", clusters=[])
    assert not any("Aucun pôle" in i.value for i in at.info)
    assert metrics(at)["Entreprises interrogées"][0] == "400"
    assert metrics(at)["PME accompagnées en 2009"][0] == "65"


@pytest.fixture
def empty_lake(tmp_path, monkeypatch, default_lake):
    """A lake with clusters only: no member, survey or sponsorship yet."""
    con = make_lake(tmp_path, {"clusters": INCONSISTENT["clusters"]})
    data._cached.clear()
    monkeypatch.setattr(data, "lake", lambda: con)
    yield con
    monkeypatch.undo()
    data._cached.clear()
    con.close()


def test_an_empty_lake_says_so(empty_lake):
    at = funnels_page("en")
    infos = " ".join(i.value for i in at.info)
    assert "survey_results" in infos and "sponsorships" in infos
    assert any("No member firm in the data: Deux, Un" in c.value for c in at.caption)
    assert not at.warning


# Seven clusters, each with 10 SMEs and 1 to 7 large firms among the comptoir candidates:
# seven "not an SME" problems (28 rows), more than the five shown in full.
MANY_CLUSTERS = [dict(cluster_id=f"c{i}", name=f"Pôle {i}", region="R", source_id="A")
                 for i in range(1, 8)]
MANY = dict(
    clusters=MANY_CLUSTERS,
    comptoirs=[dict(comptoir_id=f"k{i}", cluster_id=f"c{i}", country_iso3="MEX", city="Q",
                    status="operational", min_members=4, source_id="A") for i in range(1, 8)],
    members=[dict(member_id=f"s{i}-{j}", cluster_id=f"c{i}", name="S", size_class="sme",
                  comptoir_id=None, comptoir_stage=None, source_id="A")
             for i in range(1, 8) for j in range(10)]
    + [dict(member_id=f"l{i}-{j}", cluster_id=f"c{i}", name="L", size_class="large",
            comptoir_id=f"k{i}", comptoir_stage="candidate", source_id="A")
       for i in range(1, 8) for j in range(i)])


@pytest.fixture
def many_problems_lake(tmp_path, monkeypatch, default_lake):
    con = make_lake(tmp_path, MANY)
    data._cached.clear()
    monkeypatch.setattr(data, "lake", lambda: con)
    yield con
    monkeypatch.undo()
    data._cached.clear()
    con.close()


def test_past_five_problems_a_summary_the_five_largest_and_a_csv(many_problems_lake):
    at = funnels_page("en")
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert warnings[0] == (
        "Consistency checks: 7 data problems — firms in the programme that are not SMEs: 7 "
        "(28 rows). The 5 with the most rows are detailed below; the CSV file gives every row.")
    # The five with the most rows (Pôle 3 to 7), in their order; Pôle 1 and 2 in the CSV only.
    assert [w.split(":")[0] for w in warnings[1:]] == [
        f"Data problem — Pôle {i}" for i in range(3, 8)]
    assert "7 firm(s) in the programme are not SMEs" in warnings[5]
    assert "l7-0 (large, Candidate)" in warnings[5]
    [button] = at.get("download_button")
    assert button.proto.label == "Download the 28 problem rows (CSV)"
