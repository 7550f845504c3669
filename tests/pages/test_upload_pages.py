"""The upload and history pages driven end to end through AppTest, on their own temp lake."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from envol import data, store

ROOT = Path(__file__).resolve().parents[2]

BAD = ("identifiant;pôle;pays;ville;statut;ouverture;source\r\n"
       "pegase-ind;pegase;Atlantide;Bangalore;prévu;31/02/2012;S1\r\n").encode("cp1252")
GOOD = ("identifiant;pôle;pays;ville;statut;ouverture;membres minimum du GIE;source\r\n"
        "pegase-ind;pegase;Inde;Bangalore;opérationnel;30/06/2012;4;S1\r\n").encode("cp1252")


def app(lang: str = "fr") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    return at


def upload(at: AppTest, content: bytes, mode: str = "append") -> AppTest:
    at.switch_page("app_pages/upload.py").run()
    at.segmented_control(key="upload_mode").set_value(mode).run()
    round_ = at.session_state["upload_round"] if "upload_round" in at.session_state else 0
    at.file_uploader(key=f"upload_file_{round_}").set_value(
        ("comptoirs.csv", content, "text/csv")).run()
    return at


def test_upload_page_shows_problems_then_commits_a_good_file(default_lake):
    before = store.current_version(default_lake)
    old = store.table_version(default_lake, "comptoirs")
    at = upload(app("fr"), BAD)
    assert not at.exception, [e.value for e in at.exception]
    assert any("problème" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert problems["Ligne"].tolist() == [2, 2]
    assert set(problems["Colonne du fichier"]) == {"pays", "ouverture"}
    assert store.current_version(default_lake) == before  # nothing written
    # The detected dialect is shown and can be corrected.
    detected = {s.label: s.value for s in at.selectbox}
    assert detected["Séparateur"] == ";" and detected["Encodage"] == "cp1252"
    assert detected["Format des dates"] == "%d/%m/%Y"

    at = upload(app("fr"), GOOD)
    assert not at.exception and not at.error
    assert any("Lignes lues : 1, aucun problème." in s.value for s in at.success)
    labels = {m.label: m.value for m in at.metric}
    assert labels["Ajoutées"] == "1" and labels["Inchangées"] == "5"
    kpis = next(d.value for d in at.dataframe if "Chiffre clé" in d.value.columns)
    assert kpis.values.tolist() == [["Pégase", "Comptoirs", "5", "6"],
                                    ["Pégase", "Comptoirs opérationnels", "1", "2"]]
    at.button(key="upload_commit").click().run()
    assert any("Indiquez votre nom" in e.value for e in at.error)
    at.text_input(key="upload_author").input("ana@pegase.fr")
    at.text_input(key="upload_note").input("Inde")
    at.button(key="upload_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Enregistré" in s.value for s in at.success), [s.value for s in at.success]
    assert store.current_version(default_lake) == before + 1
    # The overview reads the new snapshot: Pégase has 2 operational comptoirs of 6.
    at.switch_page("app_pages/overview.py").run()
    ops = [m for m in at.metric if m.label == "Comptoirs opérationnels"]
    assert ops[-1].value == "2" and ops[-1].delta == "sur 6"

    # History: the upload is listed; rolling back makes the old rows current again.
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table.iloc[0]["Auteur"] == "ana@pegase.fr" and table.iloc[0]["Fichier"] == \
        "comptoirs.csv"
    at.selectbox(key="history_pick_table").set_value("comptoirs").run()
    at.selectbox(key="history_pick_version").set_value(old).run()
    at.text_input(key="history_author").input("bob")
    at.button(key="history_rollback").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("rétablie" in s.value for s in at.success)
    assert store.read_table(default_lake, "comptoirs", store.current_version(default_lake)
                            ).num_rows == 5


@pytest.mark.parametrize("content,needle", [
    (b"", "vide"), (b"PK\x03\x04" + b"\x00" * 100, "classeur Excel"),
    (b"Index,Country,Income\n1,Switzerland,5457.12\n", "pas une des tables"),
])
def test_upload_page_says_what_is_wrong_with_the_file(default_lake, content, needle):
    at = upload(app("fr"), content)
    assert not at.exception
    text = " ".join(str(v) for v in at.dataframe[0].value["Problème"])
    assert needle in text


def test_upload_page_in_english(default_lake):
    at = upload(app("en"), BAD)
    assert at.title[0].value == "Upload a file"
    assert "Unknown country" in " ".join(at.dataframe[0].value["Problem"])
    data.lake()  # the same in-process connection


def test_the_history_page_reads_a_tables_version_from_the_cached_snapshots(default_lake):
    """`data.table_version` (history page, rollback) answers as the catalog does."""
    snapshots = data.query("snapshots_by_time", version=data.latest_version())
    for name in ("clusters", "members", "comptoirs", "vie_postings", "survey_results",
                 "sponsorships", "targets", "sources", "no_such_table"):
        assert data.table_version(snapshots, name) == store.table_version(default_lake, name)
    assert data.table_version(snapshots, "members") is not None
    assert data.table_version(snapshots, "x") is None
