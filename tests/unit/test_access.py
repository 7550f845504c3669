"""Access control: the access file, roles and scopes, and the scope enforced below the pages
(the query layer, the CSV export, commit and rollback), on a small literal lake."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from envol import access, audit, ingest, store
from envol.access import LOCAL, AccessFileError, Forbidden, Scope
from envol.queries import access as query_access
from envol.queries import query_names, run_query
from tests.conftest import make_lake
from tests.unit.test_ingest import LIMITS, lake_hash

ACCESS = """
group_claims = ["groups", "roles"]

[users."marie@pole-pegase.com"]
role = "director"
clusters = ["pegase"]

[users."boss@envol.example"]
role = "admin"

[groups."av-analysts"]
role = "analyst"
clusters = ["aerospace_valley"]

[groups."board"]
role = "viewer"
clusters = ["*"]

[domains."pole-pegase.com"]
role = "viewer"
clusters = ["pegase"]
"""


def test_resolve_by_email_group_and_domain_in_that_order():
    rules = access.parse(ACCESS)
    marie = access.resolve(rules, {"email": "Marie@Pole-Pegase.com", "groups": ["board"]})
    assert marie == Scope("Marie@Pole-Pegase.com", "director", frozenset({"pegase"}))
    # the group wins over the domain; a group can come in the `roles` claim
    paul = access.resolve(rules, {"email": "paul@pole-pegase.com", "roles": ["av-analysts"]})
    assert (paul.role, paul.clusters) == ("analyst", frozenset({"aerospace_valley"}))
    # the domain alone
    jo = access.resolve(rules, {"email": "jo@pole-pegase.com"})
    assert (jo.role, jo.clusters, jo.member_rows, jo.can_write) == (
        "viewer", frozenset({"pegase"}), False, False)
    board = access.resolve(rules, {"email": "x@elsewhere.org", "groups": "board"})
    assert (board.role, board.clusters) == ("viewer", None)
    boss = access.resolve(rules, {"email": "boss@envol.example"})
    assert (boss.role, boss.clusters, boss.is_admin) == ("admin", None, True)
    assert access.resolve(rules, {"email": "stranger@pole-pegase.org"}) is None
    assert access.resolve(rules, {"name": "No Email"}) is None
    # an email the provider says is not verified matches neither an email nor a domain
    assert access.resolve(rules, {"email": "marie@pole-pegase.com",
                                  "email_verified": False}) is None


def test_scope_rights_per_role():
    v, d = Scope("v", "viewer", frozenset({"pegase"})), Scope("d", "director", frozenset({"a"}))
    a, ad = Scope("a", "analyst", frozenset({"a"})), Scope("x", "admin", None)
    assert [(s.member_rows, s.can_write, s.is_admin) for s in (v, d, a, ad)] == [
        (False, False, False), (True, False, False), (True, True, False), (True, True, True)]
    assert v.restrict(["astech", "pegase", "x"]) == ["pegase"]
    assert not v.allows(None) and ad.allows(None)
    assert v.cache_key() == (False, ("pegase",)) and ad.cache_key() == (True, None)
    assert access.nobody().restrict(["pegase"]) == []


@pytest.mark.parametrize(("text", "rule", "where"), [
    ('[users."a@b.fr"]\nrole = director\nclusters = ["pegase"]\n', "syntax", "2:8"),
    ('[users."a@b.fr"]\nrole = "boss"\nclusters = ["pegase"]\n', "role", 'users."a@b.fr".role'),
    ('[users."a@b.fr"]\nrole = "director"\n', "clusters", 'users."a@b.fr".clusters'),
    ('[users."a@b.fr"]\nrole = "director"\nclusters = []\n', "clusters",
     'users."a@b.fr".clusters'),
    ('[users."a@b.fr"]\nrole = "admin"\nclusters = ["pegase"]\n', "admin_clusters",
     'users."a@b.fr".clusters'),
    ('[users."a@b.fr"]\nrole = "viewer"\nclusters = ["pegase"]\nexpires = 1\n', "unknown_key",
     'users."a@b.fr".expires'),
    ('[user."a@b.fr"]\nrole = "viewer"\n', "unknown_key", "user"),
    ('[users."ab.fr"]\nrole = "viewer"\nclusters = ["pegase"]\n', "email", 'users."ab.fr"'),
    ('[domains."@b.fr"]\nrole = "viewer"\nclusters = ["pegase"]\n', "domain", 'domains."@b.fr"'),
    ('group_claims = "groups"\n[groups.g]\nrole = "viewer"\nclusters = ["p"]\n', "claims",
     "group_claims"),
    ("# nobody yet\n", "empty", "access.toml"),
])
def test_a_malformed_access_file_is_refused_naming_where_and_why(text, rule, where):
    with pytest.raises(AccessFileError) as caught:
        access.parse(text, Path("access.toml"))
    assert (caught.value.rule, caught.value.where) == (rule, where)


def test_a_missing_access_file_is_refused(tmp_path):
    with pytest.raises(AccessFileError) as caught:
        access.load(tmp_path / "access.toml")
    assert caught.value.rule == "missing"


def test_the_access_file_path(tmp_path):
    secrets = tmp_path / "secrets.toml"
    assert access.default_path([secrets], env={}) == Path(".streamlit/access.toml")
    secrets.write_text("")
    assert access.default_path([tmp_path / "none.toml", secrets], env={}) == \
        tmp_path / "access.toml"
    assert access.default_path([secrets], env={"ENVOL_ACCESS_FILE": "/x/a.toml"}) == \
        Path("/x/a.toml")


def test_the_committed_example_is_a_valid_access_file():
    example = Path(__file__).resolve().parents[2] / ".streamlit" / "access.example.toml"
    rules = access.load(example)
    assert access.resolve(rules, {"email": "directrice@pole-pegase.com"}).role == "director"


# --- the scope below the pages: reads ---------------------------------------------------------

SOURCES = [dict(source_id="S1", title="Les Echos")]
CLUSTERS = [dict(cluster_id=c, name=n, region="R", source_id="S1")
            for c, n in (("pegase", "Pégase"), ("aerospace_valley", "Aerospace Valley"))]
COMPTOIRS = [dict(comptoir_id="pegase-mex", cluster_id="pegase", country_iso3="MEX",
                  city="Querétaro", status="operational", source_id="S1")]
MEMBERS = [
    dict(member_id="p1", cluster_id="pegase", name="Circé", size_class="sme",
         comptoir_id="pegase-mex", comptoir_stage="hosted", revenue_eur=1e6, source_id="S1"),
    # an Aerospace Valley firm hosted in Pégase's comptoir
    dict(member_id="a1", cluster_id="aerospace_valley", name="Secret Aéro", size_class="sme",
         comptoir_id="pegase-mex", comptoir_stage="exporting", revenue_eur=9e6,
         source_id="S1"),
    dict(member_id="a2", cluster_id="aerospace_valley", name="Autre Aéro", size_class="large",
         source_id="S1"),
]
VIE = [dict(posting_id="v1", cluster_id="aerospace_valley", country_iso3="USA",
            host_company="Airbus Americas", status="in_post", source_id="S1")]
TARGETS = [dict(target_id="t1", cluster_id="pegase", programme="comptoirs", metric="jobs",
                value_low=10000, source_id="S1"),
           dict(target_id="t2", cluster_id=None, programme="portage", metric="firms_supported",
                value_low=100, source_id="S1")]
TABLES = dict(sources=SOURCES, clusters=CLUSTERS, comptoirs=COMPTOIRS, members=MEMBERS,
              vie_postings=VIE, targets=TARGETS)

VIEWER = Scope("v@x.fr", "viewer", frozenset({"pegase", "aerospace_valley"}))
DIRECTOR = Scope("d@pole-pegase.com", "director", frozenset({"pegase"}))
ANALYST = Scope("a@aerospace-valley.com", "analyst", frozenset({"aerospace_valley"}))
BOTH = ["pegase", "aerospace_valley"]


@pytest.fixture
def lake(tmp_path):
    con = make_lake(tmp_path, TABLES)
    yield con, tmp_path
    con.close()


def q(con, name, scope, **params):
    return run_query(con, name, scope=scope, version=store.current_version(con), **params)


def test_every_query_declares_its_access_level_and_member_queries_say_whose_rows(lake):
    con, _ = lake
    params = dict(clusters=BOTH, comptoir_id="pegase-mex", previous=1, table="members",
                  sha256="0", first=0, rows=100)
    levels = {}
    for name in query_names():
        level, member_columns = query_access(name)
        levels[name] = level
        df = run_query(con, name, version=store.current_version(con), **params)
        if level == "member":
            assert "cluster_id" in df.columns, name
        assert set(member_columns) <= set(df.columns), name
    assert sorted(n for n, lv in levels.items() if lv == "member") == [
        "comptoir_members_by_stage", "funnel_problems_by_row"]


def test_a_viewer_gets_no_member_row_and_no_firm_name(lake):
    con, _ = lake
    assert q(con, "comptoir_members_by_stage", VIEWER, comptoir_id="pegase-mex").empty
    everyone = q(con, "comptoir_members_by_stage", LOCAL, comptoir_id="pegase-mex")
    assert sorted(everyone["member_id"]) == ["a1", "p1"]
    vie = q(con, "vie_postings_by_start", VIEWER, clusters=BOTH, first=0, rows=100)
    assert (vie["posting_id"].tolist(), vie["host_company"].tolist()) == (["v1"], [None])
    by_country = q(con, "vie_postings_by_country", VIEWER, clusters=BOTH)
    assert (by_country["postings"].tolist(), by_country["host_companies"].tolist()) == (
        [1], [[]])
    assert q(con, "vie_postings_by_country", ANALYST, clusters=BOTH)[
        "host_companies"].tolist() == [["Airbus Americas"]]
    # aggregates stay: the viewer's key figures are the same numbers as anyone's
    assert q(con, "kpis_by_cluster", VIEWER, clusters=BOTH).equals(
        q(con, "kpis_by_cluster", LOCAL, clusters=BOTH))


def test_a_director_reads_the_member_rows_of_their_clusters_only(lake):
    con, _ = lake
    firms = q(con, "comptoir_members_by_stage", DIRECTOR, comptoir_id="pegase-mex")
    assert (firms["member_id"].tolist(), firms["name"].tolist()) == (["p1"], ["Circé"])
    # asking for another cluster is not enough: $clusters is cut to the scope
    kpis = q(con, "kpis_by_cluster", DIRECTOR, clusters=["aerospace_valley", "pegase"])
    assert kpis["cluster_id"].tolist() == ["pegase"]
    assert q(con, "vie_postings_by_start", DIRECTOR, clusters=["aerospace_valley"], first=0,
             rows=100).empty
    assert q(con, "clusters_by_name", DIRECTOR)["cluster_id"].tolist() == ["pegase"]
    # rows of no cluster (a national target) are not a cluster's: everyone sees them
    assert q(con, "targets_by_programme", DIRECTOR, clusters=BOTH)["target_id"].tolist() == [
        "t1", "t2"]
    assert q(con, "targets_by_programme", ANALYST, clusters=BOTH)["target_id"].tolist() == [
        "t2"]


def test_the_csv_export_respects_the_scope(lake):
    con, _ = lake
    v = store.current_version(con)
    with pytest.raises(Forbidden) as refused:
        ingest.export_csv(con, "members", v, scope=VIEWER)
    assert (refused.value.reason, refused.value.table) == ("export", "members")
    assert not ingest.may_export(VIEWER, "vie_postings")
    assert not ingest.may_export(ANALYST, "sponsorships")  # no cluster column: admins only
    assert ingest.may_export(VIEWER, "comptoirs") and ingest.may_export(LOCAL, "sponsorships")
    lines = ingest.export_csv(con, "members", v, scope=DIRECTOR).decode("utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in lines] == ["member_id", "p1"]
    assert len(ingest.export_csv(con, "members", v, scope=LOCAL).splitlines()) == 4


# --- the scope below the pages: writes --------------------------------------------------------

AV_MEMBERS = (b"member_id;cluster_id;name;size_class;source_id\n"
              b"a1;aerospace_valley;Secret Aero v2;sme;S1\n"
              b"a3;aerospace_valley;Nouvelle Aero;micro;S1\n")
WITH_PEGASE = AV_MEMBERS + b"p9;pegase;Intrus;sme;S1\n"


def check(con, data, mode="replace", scope=None, table="members"):
    sniffed = ingest.sniff(data, table=table, limits=LIMITS)
    return ingest.check(con, data, sniffed.dialect, mode=mode, limits=LIMITS, scope=scope)


def members(con, version=None):
    version = version or store.current_version(con)
    return sorted(store.read_table(con, "members", version).column("member_id").to_pylist())


@pytest.mark.parametrize("scope", [VIEWER, DIRECTOR])
def test_a_viewer_or_director_cannot_commit_or_roll_back(lake, scope):
    con, path = lake
    before = lake_hash(path)
    checked = check(con, AV_MEMBERS)  # checked without a scope: the commit still refuses
    assert checked.ok
    with pytest.raises(Forbidden) as refused:
        ingest.commit(con, checked, author=scope.identity, note="", file_name="m.csv",
                      scope=scope)
    assert refused.value.reason == "role"
    with pytest.raises(Forbidden):
        store.rollback_table(con, "members", 1, author=scope.identity, note="", scope=scope)
    assert check(con, AV_MEMBERS, scope=scope).problems[0].rule == "scope_table"
    assert lake_hash(path) == before


def test_an_analyst_cannot_write_another_clusters_rows(lake):
    con, path = lake
    before = lake_hash(path)
    scoped = check(con, WITH_PEGASE, scope=ANALYST)
    assert [(p.rule, p.line, p.value, p.canonical) for p in scoped.problems] == [
        ("scope", 4, "pegase", "cluster_id")]
    new_rows = (b"member_id;cluster_id;name;size_class;source_id\n"
                b"a4;aerospace_valley;A4;sme;S1\np9;pegase;Intrus;sme;S1\n")
    unscoped = check(con, new_rows, mode="append")  # a caller that skipped the scope
    assert unscoped.ok
    with pytest.raises(Forbidden) as refused:
        ingest.commit(con, unscoped, author="a", note="", file_name="m.csv", scope=ANALYST)
    assert (refused.value.reason, refused.value.rows) == ("rows", (("p9", "pegase"),))
    # tables that belong to no cluster: administrators only
    sources = b"source_id;title\nS9;Nouveau\n"
    assert check(con, sources, table="sources", scope=ANALYST).problems[0].rule == "scope_table"
    with pytest.raises(Forbidden) as refused:
        ingest.commit(con, check(con, sources, table="sources", mode="append"), author="a",
                      note="", file_name="s.csv", scope=ANALYST)
    assert refused.value.reason == "table"
    assert lake_hash(path) == before


def test_an_analysts_replace_replaces_their_clusters_rows_only(lake):
    con, _ = lake
    checked = check(con, AV_MEMBERS, scope=ANALYST)
    assert checked.ok, checked.problems
    preview = ingest.preview(con, checked, scope=ANALYST, kpis=True)
    # compared with Aerospace Valley's rows only: a1 changed, a3 added, a2 removed; Pégase's
    # row is neither removed nor shown
    assert (preview.added, preview.removed, preview.changed) == (1, 1, 1)
    assert preview.removed_rows["member_id"].tolist() == ["a2"]
    assert preview.kpis_after["cluster_id"].tolist() == ["aerospace_valley"]
    v = ingest.commit(con, checked, author=ANALYST.identity, note="", file_name="m.csv",
                      scope=ANALYST)
    assert members(con, v) == ["a1", "a3", "p1"]
    last = run_query(con, "snapshots_by_time", version=v).iloc[0]
    assert (last["author"], last["mode"]) == ("a@aerospace-valley.com", "replace")
    # a key another cluster already uses is a problem, not an overwrite
    clash = b"member_id;cluster_id;name;size_class;source_id\np1;aerospace_valley;X;sme;S1\n"
    assert [p.rule for p in check(con, clash, scope=ANALYST).problems] == ["scope_exists"]


def test_an_analysts_rollback_brings_back_their_clusters_rows_only(lake):
    con, _ = lake
    start = store.current_version(con)
    pegase = b"member_id;cluster_id;name;size_class;source_id\np2;pegase;Deux;sme;S1\n"
    v1 = ingest.commit(con, check(con, pegase, mode="append"), author="boss", note="",
                       file_name="p.csv", scope=LOCAL)
    v2 = ingest.commit(con, check(con, AV_MEMBERS, scope=ANALYST), author="a", note="",
                       file_name="m.csv", scope=ANALYST)
    assert members(con, v1) == ["a1", "a2", "p1", "p2"]  # the append kept p1, added p2
    assert members(con, v2) == ["a1", "a3", "p1", "p2"]
    v3 = store.rollback_table(con, "members", start, author="a", note="", scope=ANALYST)
    # Aerospace Valley as at `start`, Pégase as it is now (p2 stays)
    assert members(con, v3) == ["a1", "a2", "p1", "p2"]
    names = dict(zip(*(store.read_table(con, "members", v3).column(c).to_pylist()
                       for c in ("member_id", "name")), strict=True))
    assert names["a1"] == "Secret Aéro"


def test_audit_log_records_who_and_when(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ENVOL_AUDIT_FILE", str(tmp_path / "audit.jsonl"))
    build = audit.audited(lambda deck, progress=None: f"pack of {deck}", "board_pack",
                          "d@pole-pegase.com", clusters=["pegase"], version=7)
    with caplog.at_level(logging.INFO, logger="envol.audit"):
        assert build("deck", progress=None) == "pack of deck"
    [entry] = audit.read()
    assert {k: entry[k] for k in ("event", "who", "clusters", "version")} == {
        "event": "board_pack", "who": "d@pole-pegase.com", "clusters": ["pegase"],
        "version": 7}
    assert entry["at"].endswith("+00:00")
    assert json.loads(caplog.records[0].getMessage()) == entry
