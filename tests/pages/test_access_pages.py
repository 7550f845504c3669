"""Local mode and login mode through AppTest: AppTest fakes `st.user` (`at.user`) and the
secrets (`at.secrets`); the access file comes from `ENVOL_ACCESS_FILE`."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"redirect_uri": "http://localhost:1/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "envol", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}
ACCESS = """
[users."viewer@example.org"]
role = "viewer"
clusters = ["*"]

[users."marie@pole-pegase.com"]
role = "director"
clusters = ["pegase"]

[groups."av-analysts"]
role = "analyst"
clusters = ["aerospace_valley"]
"""


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "info", "warning", "error")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("ENVOL_ACCESS_FILE", str(path))
    return path


def login_app(user: dict | None, lang: str = "fr") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    at.session_state["lang"] = lang
    return at


def test_local_mode_shows_the_badge_and_allows_everything(default_lake):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    badge = [m for m in at.sidebar.markdown if "Local mode" in m.value]
    assert len(badge) == 1 and "no login is configured" in badge[0].help.lower()
    assert at.sidebar.multiselect(key="clusters").options == [
        "Aerospace Valley", "ASTech", "Pégase"]
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception and at.title[0].value == "Upload a file"


def test_a_visitor_not_logged_in_sees_the_login_screen_and_no_data(default_lake, access_file):
    at = login_app(None)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Envol"
    assert [b.label for b in at.button] == ["Se connecter · Log in"]
    page = texts(at)
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    for name in ("Pégase", "Aerospace Valley", "ASTech", "Circé"):
        assert name not in page


def test_an_unknown_user_is_asked_to_see_their_administrator(default_lake, access_file):
    at = login_app({"email": "stranger@elsewhere.org"}, "en")
    at.run()
    assert at.title[0].value == "No access configured"
    assert "stranger@elsewhere\\.org" in at.warning[0].value
    assert "Ask your administrator" in at.warning[0].value
    assert [b.label for b in at.button] == ["Log out"]
    assert not at.metric and "Pégase" not in texts(at)


def test_a_malformed_access_file_locks_everybody_out_and_says_where(default_lake,
                                                                      access_file):
    access_file.write_text('[users."marie@pole-pegase.com"]\nrole = "boss"\n', encoding="utf-8")
    at = login_app({"email": "marie@pole-pegase.com"}, "en")
    at.run()
    assert not at.exception
    assert at.title[0].value == "The access file cannot be used: nobody has access"
    assert at.error[0].value == (
        f'{access_file}, users."marie@pole-pegase.com".role: role \'boss\'; accepted: viewer, '
        "director, analyst, admin.")
    assert not at.metric


def test_a_director_sees_their_cluster_only(default_lake, access_file):
    at = login_app({"email": "marie@pole-pegase.com", "name": "Marie"}, "en")
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="clusters").options == ["Pégase"]
    assert [s.value for s in at.subheader][0].startswith("Pégase")
    assert "marie@pole-pegase.com · director (detail of their clusters) · pegase" in \
        [c.value.replace("\\", "") for c in at.sidebar.caption]
    # no upload page for a director, no rollback on the history page
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/upload.py")
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "history_rollback"]


def test_a_viewer_gets_no_firm_rows(default_lake, access_file):
    at = login_app({"email": "viewer@example.org"}, "en")
    at.run()
    assert at.sidebar.multiselect(key="clusters").options == [
        "Aerospace Valley", "ASTech", "Pégase"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/upload.py")  # not in a viewer's navigation
    at.switch_page("app_pages/maps.py").run()
    assert not at.exception
    assert "Firm-level detail is not shown for your role (aggregates only)." in \
        [i.value for i in at.info]
    at.switch_page("app_pages/history.py").run()
    at.selectbox(key="history_pick_table").select("members").run()
    assert "Your role does not allow downloading members in detail (member firms' rows)." in \
        [i.value for i in at.info]


def test_an_analyst_uploads_as_themselves(default_lake, access_file):
    at = login_app({"email": "ana@aerospace-valley.com", "groups": ["av-analysts"]}, "en")
    at.run()
    assert at.sidebar.multiselect(key="clusters").options == ["Aerospace Valley"]
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception and at.title[0].value == "Upload a file"


def test_the_result_cache_never_hands_one_scope_another_scopes_rows(default_lake, access_file):
    """The same query at the same version, first for a director of Pégase, then for a viewer
    of every cluster, then for the director again: each gets their own clusters."""
    seen = []
    for email in ("marie@pole-pegase.com", "viewer@example.org", "marie@pole-pegase.com"):
        at = login_app({"email": email}, "en")
        at.run()
        seen.append(at.sidebar.multiselect(key="clusters").options)
    assert seen == [["Pégase"], ["Aerospace Valley", "ASTech", "Pégase"], ["Pégase"]]
