"""The maps page through AppTest on the default lake: the figures of the sources on the maps
(decoded from the plotly specs), the detail panel, the VIE section, and links (URL parameters)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from envol import store
from envol.queries import run_query

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/maps.py"
NNBSP = "\u202f"
FIVE = {"MAR", "BRA", "USA", "CAN", "MEX"}


def app(lang: str | None = None, params: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang:
        at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def maps(at: AppTest) -> AppTest:
    """Open the maps page directly (as a pasted link does: its first run is the maps page)."""
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def values(x):
    """A plotly array: a list, or plotly 7's {"dtype", "bdata"} base64 encoding."""
    if isinstance(x, dict) and "bdata" in x:
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return list(x) if isinstance(x, list) else [x]


def charts(at: AppTest) -> list[tuple[dict, dict]]:
    """(figure, plotly config) of every chart on the page, in order."""
    return [(json.loads(c.proto.spec), json.loads(c.proto.config))
            for c in at.get("plotly_chart")]


def comptoir_points(fig: dict) -> dict[str, dict]:
    """ISO-3 → {status trace name, colour, size, hover} from the comptoirs map."""
    out = {}
    for trace in fig["data"]:
        if trace.get("type") != "scattergeo" or "customdata" not in trace:
            continue
        for i, (cid, iso, hover) in enumerate(trace["customdata"]):
            if cid is None:  # the home base
                continue
            out[iso] = dict(id=cid, status=trace["name"], colour=trace["marker"]["color"],
                            size=values(trace["marker"]["size"])[i], hover=hover,
                            text=trace["text"][i])
    return out


def test_comptoirs_map_holds_the_five_countries_and_the_facts_in_french(default_lake):
    at = maps(app("fr"))
    assert at.title[0].value == "Cartes : comptoirs et VIE"
    (fig, config), *_ = charts(at)
    assert config["topojsonURL"] == "app/static/"  # outlines served by the app: offline
    assert config["toImageButtonOptions"]["filename"] == "envol-carte-comptoirs"
    points = comptoir_points(fig)
    assert set(points) == FIVE
    mex = points["MEX"]
    assert mex["status"] == "opérationnel" and mex["colour"] == "#009E73"
    assert {p["status"] for iso, p in points.items() if iso != "MEX"} == {"en ouverture"}
    assert len({p["size"] for p in points.values()}) == 1  # 4 firms hosted each
    assert mex["text"] == "Querétaro (4)"
    for fact in ("Ouvert le 15/12/2010", "Entreprises hébergées : 4 (capacité –, minimum du "
                 "GIE 4)", "EADS, Cessna, Bombardier, Areva, Thales", f"23{NNBSP}000",
                 "Pôle : Pégase · source : S1", "Budget : non communiqué"):
        assert fact in mex["hover"], fact
    for iso in FIVE - {"MEX"}:
        assert "Ouverture prévue le 30/06/2011" in points[iso]["hover"]
    # The home base: Pégase's head office in Marseille, linked to its five comptoirs.
    home = [t for t in fig["data"] if t.get("name") == "Siège du pôle"]
    assert home and home[0]["text"] == ["Pégase (Marseille)"]
    links = [t for t in fig["data"] if t.get("mode") == "lines"][0]
    assert values(links["lat"]).count(43.2965) == 5
    # Frames the Americas, Morocco and France.
    geo = fig["layout"]["geo"]
    assert geo["lonaxis"]["range"][0] < -100 and geo["lonaxis"]["range"][1] > 5.4
    assert geo["lataxis"]["range"][0] < -23.5 and geo["lataxis"]["range"][1] > 45.5
    assert fig["layout"]["template"]["layout"]["geo"]["projection"]["type"] == "natural earth"


def test_detail_panel_defaults_to_mexico_with_circe_groupe(default_lake):
    at = maps(app("fr"))
    assert at.selectbox(key="maps_comptoir").value == "pegase-mex"
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Entreprises hébergées"] == ("4", "minimum du GIE : 4")
    assert metrics["Emplois locaux du secteur"] == (f"23{NNBSP}000", "")
    texts = [t.value for t in at.text]
    assert "Ouvert le 15/12/2010" in texts
    assert "Donneurs d'ordres locaux : EADS, Cessna, Bombardier, Areva, Thales" in texts
    firms = at.dataframe[0].value
    circe = firms[firms["Entreprise"] == "Circé Groupe"].iloc[0]
    assert circe["Taille"] == "PME" and circe["Étape"] == "hébergée"
    assert circe["Effectif"] == "80" and circe["Chiffre d'affaires"] == f"8{NNBSP}M{NNBSP}€"
    assert not circe["Illustrative"]
    assert len(firms) == 4 and firms["Illustrative"].sum() == 3
    sources = " ".join(m.value for m in at.markdown)
    assert "S1" in sources and "Les Echos" in sources and "Paul Molga" in sources


def test_picking_another_comptoir_in_english(default_lake):
    at = maps(app("en"))
    assert at.header[0].value == "The comptoirs abroad"
    at.selectbox(key="maps_comptoir").set_value("pegase-bra").run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert "Opening planned for 2011-06-30" in texts
    assert "Local principals: Eurocopter (Heli Brasil)" in texts
    assert "Budget: not reported" in texts
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Firms hosted"] == ("4", "GIE minimum: 4")
    assert metrics["Local sector jobs"] == ("–", "not reported")
    firms = at.dataframe[0].value
    assert firms["Illustrative"].all() and set(firms["Stage"]) == {"hosted"}


def test_vie_map_bars_and_table_hold_aerospace_valley_postings(default_lake):
    at = maps(app("en"))
    figs = charts(at)
    vie, vie_config = figs[1]
    assert vie_config["toImageButtonOptions"]["filename"] == "envol-carte-vie"
    choropleth = vie["data"][0]
    assert choropleth["type"] == "choropleth" and choropleth["locationmode"] == "ISO-3"
    z = dict(zip(choropleth["locations"], values(choropleth["z"]), strict=True))
    assert z == {"CHN": 2, "BRA": 1, "CAN": 1, "DEU": 1, "USA": 1}
    hover = dict(zip(choropleth["locations"], (c[0] for c in choropleth["customdata"]),
                     strict=True))
    assert "in post: 1<br>to recruit: 1<br>completed: 0" in hover["CHN"]
    assert "Montréal" in hover["CAN"] and "Aerospace Valley · S4" in hover["CAN"]
    bars, _ = figs[2]
    by_status = {t["name"]: dict(zip(t["y"], values(t["x"]), strict=True)) for t in bars["data"]}
    assert by_status["in post"] == {"China": 1, "Brazil": 0, "Canada": 1, "Germany": 0,
                                    "United States": 0}
    assert sum(by_status["to recruit"].values()) == 4
    assert sum(by_status["completed"].values()) == 0
    assert len(figs) == 3  # no timeline: the default data has no start dates
    assert any("No start dates in this snapshot" in i.value for i in at.info)
    table = at.dataframe[-1].value
    assert len(table) == 6 and set(table["Status"]) == {"in post", "to recruit"}
    assert sorted(table["Country"]) == ["Brazil", "Canada", "China", "China", "Germany",
                                        "United States"]


def test_cluster_filter_applies_to_both_maps(default_lake):
    at = maps(app("fr", clusters=["aerospace_valley"]))
    assert any("Aucun comptoir" in i.value for i in at.info)
    assert len(charts(at)) == 2  # VIE map and bars
    at = maps(app("fr", clusters=["pegase"]))
    assert any("Aucun poste VIE" in i.value for i in at.info)
    assert set(comptoir_points(charts(at)[0][0])) == FIVE
    at = maps(app("fr", clusters=[]))  # none picked: every cluster
    assert not any("Aucun comptoir" in i.value or "Aucun poste VIE" in i.value for i in at.info)
    assert set(comptoir_points(charts(at)[0][0])) == FIVE
    assert len(charts(at)) == 3


def snapshots(con):
    return run_query(con, "snapshots_by_time", version=store.current_version(con))


def test_a_link_opens_the_same_view(default_lake):
    snaps = snapshots(default_lake)
    version = int(snaps.loc[snaps["table_name"] == "members", "snapshot_id"].item())
    at = maps(app(params={"lang": "en", "clusters": "pegase", "snapshot": str(version)}))
    assert at.title[0].value == "Maps: comptoirs and VIE"
    assert at.session_state["clusters"] == ["pegase"]
    assert at.session_state["as_of"] == version
    assert f"snapshot #{version}" in at.caption[0].value
    assert not at.warning
    assert dict(at.query_params) == {"lang": "en", "clusters": "pegase",
                                     "snapshot": str(version)}
    # The filters keep their values on another page, and stay in the URL.
    at.switch_page("app_pages/overview.py").run()
    assert at.title[0].value == "Overview"
    assert [m.value for m in at.metric if m.label == "Member firms"] == ["100"]
    assert dict(at.query_params)["lang"] == "en"


def test_a_date_in_the_link_is_read_as_the_snapshot_of_that_day(default_lake):
    at = maps(app(params={"as_of": "2999-12-31"}))
    latest = int(snapshots(default_lake)["snapshot_id"].max())
    assert at.session_state["as_of"] == latest
    assert dict(at.query_params) == {"snapshot": str(latest)}


@pytest.mark.parametrize(("params", "expected"), [
    ({"lang": "de"}, ["`lang=de` inconnu"]),
    ({"clusters": ["pegase", "nope"]}, ["`clusters=nope` inconnu"]),
    ({"snapshot": "999999"}, ["`snapshot=999999` inconnu"]),
    ({"snapshot": "abc"}, ["`snapshot=abc` illisible"]),
    ({"as_of": "2011-13-45"}, ["`as_of=2011-13-45` illisible"]),
    ({"as_of": "1999-01-01"}, ["`as_of=1999-01-01` antérieur au premier instantané"]),
])
def test_invalid_link_values_are_ignored_with_a_notice(default_lake, params, expected):
    at = maps(app(params=params))
    notice = " ".join(w.value for w in at.warning)
    assert notice.startswith("Lien : valeur ignorée")
    for text in expected:
        assert text in notice
    assert at.title[0].value == "Cartes : comptoirs et VIE"
    assert "clusters" not in dict(at.query_params) or dict(at.query_params)["clusters"] == \
        "pegase"


def test_invalid_link_notice_speaks_the_links_language(default_lake):
    at = maps(app(params={"lang": "en", "clusters": "nope"}))
    assert any(w.value.startswith("Link: value ignored") for w in at.warning)
    assert at.session_state["clusters"] == []  # none picked: every cluster


def test_the_postings_table_reads_one_page_at_a_time(default_lake, monkeypatch):
    """Past a page of postings, the table shows the chosen page only, read from the lake as that
    window of the query's order (not the whole table cut in pandas)."""
    import components.maps

    monkeypatch.setattr(components.maps, "TABLE_PAGE", 4)
    version = store.current_version(default_lake)
    everything = run_query(default_lake, "vie_postings_by_start", version=version,
                           clusters=["aerospace_valley", "astech", "pegase"], first=0,
                           rows=100)
    assert len(everything) == 6
    at = maps(app("en"))
    assert at.number_input[0].label == "Page (of 2)"
    assert any(c.value == "Postings 1 to 4 of 6, by start date." for c in at.caption)
    assert len(at.dataframe[-1].value) == 4
    at.number_input[0].set_value(2).run()
    assert any(c.value == "Postings 5 to 6 of 6, by start date." for c in at.caption)
    table = at.dataframe[-1].value
    assert table["Source"].tolist() == everything["source_id"].tolist()[4:]
    assert table["City"].tolist() == [c if isinstance(c, str) else "–"
                                      for c in everything["city"].tolist()[4:]]
