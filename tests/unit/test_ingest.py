"""Uploads: French Excel dialects end as the same rows; bad files are refused with the file's
line and column, and leave every byte of the lake unchanged; commits are atomic, serialised,
and refuse a stale preview; history exports neutralise formulas; rollback restores rows."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from envol import countries, ingest, store
from envol.access import LOCAL
from envol.queries import run_query
from tests.conftest import ROOT, make_lake

SOURCES = [dict(source_id="S1", title="Les Echos"), dict(source_id="S2", title="Portail")]
CLUSTERS = [dict(cluster_id="pegase", name="Pégase", region="PACA", source_id="S1",
                 reported_members=100, reported_smes=80, labelled_projects=10,
                 funded_projects=5)]
COMPTOIRS = [dict(comptoir_id="pegase-mex", cluster_id="pegase", country_iso3="MEX",
                  city="Querétaro", status="operational", source_id="S1")]
MEMBERS = [dict(member_id="m1", cluster_id="pegase", name="Circé", size_class="sme",
                comptoir_id="pegase-mex", comptoir_stage="hosted", source_id="S1")]
BASE = dict(sources=SOURCES, clusters=CLUSTERS, comptoirs=COMPTOIRS, members=MEMBERS)
LIMITS = ingest.Limits(max_mb=1, max_rows=50)


def lake_hash(directory: Path) -> str:
    """Every byte (and name) of every file under the lake folder."""
    h = hashlib.sha256()
    for p in sorted(directory.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(directory)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def lake(tmp_path):
    con = make_lake(tmp_path, BASE)
    yield con, tmp_path
    con.close()


def check(con, data: bytes, table: str | None = None, mode: str = "append", **overrides):
    sniffed = ingest.sniff(data, table=table, limits=LIMITS, **overrides)
    return ingest.check(con, data, sniffed.dialect, mode=mode, limits=LIMITS)


# --- good files: every French dialect ends as the same rows ---------------------------------

EXPECTED = [
    {"comptoir_id": "pegase-mar", "cluster_id": "pegase", "country_iso3": "MAR",
     "city": "Casablanca", "lat": 33.5731, "lon": -7.5898, "status": "opening",
     "opened_on": dt.date(2011, 6, 30), "min_members": 4, "capacity_firms": 1200,
     "budget_eur": 1234567.89, "local_principals": "EADS;Cessna", "local_sector_jobs": 23000,
     "illustrative": True, "source_id": "S1"},
    {"comptoir_id": "pegase-usa", "cluster_id": "pegase", "country_iso3": "USA",
     "city": "Wichita", "lat": 37.6872, "lon": -97.3301, "status": "planned",
     "opened_on": dt.date(2011, 12, 1), "min_members": 5, "capacity_firms": None,
     "budget_eur": 250000.5, "local_principals": None, "local_sector_jobs": None,
     "illustrative": False, "source_id": "S2"},
]


def excel_fr() -> bytes:
    """Excel "CSV (séparateur : point-virgule)": cp1252, `;`, decimal comma, NBSP thousands,
    dd/mm/yyyy, French headers, oui/non, French country names, French enum labels."""
    text = (
        "identifiant;pôle;pays;ville;latitude;longitude;statut;ouverture;"
        "membres minimum du GIE;capacité (entreprises);budget (€);donneurs d'ordres locaux;"
        "emplois locaux du secteur;illustratif;source\r\n"
        "pegase-mar;pegase;Maroc;Casablanca;33,5731;-7,5898;en ouverture;30/06/2011;4;"
        "1\u00a0200;1\u00a0234\u00a0567,89 €;\"EADS;Cessna\";23\u00a0000;oui;S1\r\n"
        "pegase-usa;pegase;États-Unis;Wichita;37,6872;-97,3301;prévu;01/12/2011;5;;"
        "250\u00a0000,50;;;non;S2\r\n")
    return text.encode("cp1252")


def excel_utf8_bom() -> bytes:
    """Excel "CSV UTF-8": BOM, `;`, decimal comma, U+202F thousands, English country names,
    ISO-2 codes, canonical headers in another order, TRUE/FALSE."""
    text = (
        "\ufeffsource_id;comptoir_id;cluster_id;country_iso3;city;lat;lon;status;opened_on;"
        "min_members;capacity_firms;budget_eur;local_principals;local_sector_jobs;"
        "illustrative\n"
        "S1;pegase-mar;pegase;Morocco;Casablanca;33,5731;-7,5898;opening;30/06/2011;4;"
        "1\u202f200;1\u202f234\u202f567,89;\"EADS;Cessna\";23\u202f000;VRAI\n"
        "S2;pegase-usa;pegase;US;Wichita;37,6872;-97,3301;Planned;01/12/2011;5;;"
        "250\u202f000,5;;;FAUX\n")
    return text.encode("utf-8")


def plain_iso() -> bytes:
    """Plain UTF-8, `,`, decimal point, ISO dates and codes, true/false."""
    text = (
        "comptoir_id,cluster_id,country_iso3,city,lat,lon,status,opened_on,min_members,"
        "capacity_firms,budget_eur,local_principals,local_sector_jobs,illustrative,source_id\n"
        "pegase-mar,pegase,MAR,Casablanca,33.5731,-7.5898,opening,2011-06-30,4,1200,"
        "1234567.89,\"EADS;Cessna\",23000,true,S1\n"
        "pegase-usa,pegase,usa,Wichita,37.6872,-97.3301,planned,2011-12-01,5,,250000.50,,,"
        "false,S2\n")
    return text.encode("utf-8")


@pytest.mark.parametrize("make", [excel_fr, excel_utf8_bom, plain_iso])
def test_each_dialect_ends_as_the_same_rows(lake, make):
    con, _ = lake
    sniffed = ingest.sniff(make(), limits=LIMITS)
    assert sniffed.dialect.table == "comptoirs"
    checked = ingest.check(con, make(), sniffed.dialect, mode="append", limits=LIMITS)
    assert checked.problems == [] and checked.ok
    assert checked.rows.to_pylist() == EXPECTED


def test_sniff_reports_what_it_detected():
    d = ingest.sniff(excel_fr(), limits=LIMITS).dialect
    assert (d.encoding, d.separator, d.decimal, d.date_format) == ("cp1252", ";", ",",
                                                                   "%d/%m/%Y")
    assert d.mapping[:3] == ("comptoir_id", "cluster_id", "country_iso3")
    d = ingest.sniff(excel_utf8_bom(), limits=LIMITS).dialect
    assert (d.encoding, d.separator, d.decimal) == ("utf-8-sig", ";", ",")
    d = ingest.sniff(plain_iso(), limits=LIMITS).dialect
    assert (d.encoding, d.separator, d.decimal, d.date_format) == ("utf-8", ",", ".",
                                                                   "%Y-%m-%d")


def test_a_decimal_comma_is_never_read_as_thousands(lake):
    con, _ = lake
    data = (b"comptoir_id;cluster_id;country_iso3;city;status;budget_eur;source_id\n"
            b"a;pegase;MAR;X;planned;1,50;S1\nb;pegase;MAR;Y;planned;2,25;S1\n")
    checked = check(con, data)
    assert checked.rows.column("budget_eur").to_pylist() == [1.5, 2.25]
    # The same values read with a decimal point are refused, not multiplied by 100.
    checked = check(con, data, decimal=".")
    assert {p.rule for p in checked.problems} == {"number"} and checked.rows is not None
    # An ambiguous "1.234" in a decimal-comma file is refused rather than guessed.
    amb = data.replace(b"1,50", b"1.234")
    checked = check(con, amb)
    assert [(p.line, p.canonical, p.value) for p in checked.problems] == [
        (2, "budget_eur", "1.234")]


def test_countries_in_french_english_and_codes():
    for text, iso in [("Maroc", "MAR"), ("États-Unis", "USA"), ("etats unis", "USA"),
                      ("Brésil", "BRA"), ("Mexique", "MEX"), ("Canada", "CAN"),
                      ("Allemagne", "DEU"), ("Chine", "CHN"), ("United States", "USA"),
                      ("Germany", "DEU"), ("MA", "MAR"), ("mex", "MEX"),
                      ("Royaume-Uni", "GBR"), ("Corée du Sud", "KOR"), ("Viêt Nam", "VNM")]:
        assert countries.to_iso3(text) == iso, text
    assert countries.to_iso3("Atlantide") is None and countries.to_iso3("") is None
    assert countries.name("MAR", "fr") == "Maroc"


def test_sql_fold_equals_python_fold_for_every_spelling(lake):
    con, _ = lake
    from envol.schema import TABLES, enum_aliases, fold
    spellings = [s for t in TABLES.values() for c in t.columns for s in enum_aliases(c)]
    spellings += ["États-Unis", "Côte d’Ivoire", "Corée du Sud", "São Tomé-et-Príncipe",
                  "hébergée", "Parrainé (CCI/CCE)", "OUI", "Vrai"]
    with con.cursor() as cur:
        cur.execute(ingest._MACROS)
        got = cur.execute("SELECT list(envol_fold(x) ORDER BY i) FROM "
                          "(SELECT unnest($s) AS x, generate_subscripts($s, 1) AS i)",
                          {"s": spellings}).fetchone()[0]
    assert got == [fold(s) for s in spellings]


# --- bad files: the message names the line and column, the lake is untouched ---------------

HEAD = "comptoir_id;cluster_id;country_iso3;city;status;opened_on;min_members;budget_eur;source_id"
OK_ROW = "c-ok;pegase;MAR;Casablanca;opening;30/06/2011;4;1000;S1"


def comptoirs(*rows: str, head: str = HEAD) -> bytes:
    return ("\n".join([head, OK_ROW, *rows]) + "\n").encode("utf-8")


def members(*rows: str) -> bytes:
    head = ("member_id;cluster_id;name;size_class;headcount;revenue_eur;export_revenue_eur;"
            "joint_export_experience;comptoir_id;comptoir_stage;source_id")
    return ("\n".join([head, "m-ok;pegase;Ok;PME;3;10;5;oui;;;S1", *rows]) + "\n").encode()


def vie(*rows: str) -> bytes:
    head = "posting_id;cluster_id;country_iso3;status;start_on;end_on;source_id"
    return ("\n".join([head, *rows]) + "\n").encode()


# (id, bytes, table, mode, rule, line, column as written in the file)
BAD = [
    ("missing column", comptoirs("c2;pegase;MAR;X;opening;;;;S1",
                                 head=HEAD.replace("city;", "ville_inconnue;")),
     "comptoirs", "append", "missing_column", None, "city"),
    ("unknown column", comptoirs("c2;pegase;MAR;X;opening;;;;S1;zz",
                                 head=HEAD + ";remarque interne"),
     "comptoirs", "append", "unknown_column", None, "remarque interne"),
    ("doubled column", comptoirs(head=HEAD.replace("city", "country")),
     "comptoirs", "append", "duplicate_column", None, "country"),
    ("unknown enum", comptoirs("c2;pegase;MAR;X;ouvert demain;;;;S1"),
     "comptoirs", "append", "enum", 3, "status"),
    ("bad date", comptoirs("c2;pegase;MAR;X;opening;31/02/2011;;;S1"),
     "comptoirs", "append", "date", 3, "opened_on"),
    ("implausible date", comptoirs("c2;pegase;MAR;X;opening;30/06/1811;;;S1"),
     "comptoirs", "append", "date_range", 3, "opened_on"),
    ("negative amount", comptoirs("c2;pegase;MAR;X;opening;;;-5;S1"),
     "comptoirs", "append", "minimum", 3, "budget_eur"),
    ("negative count", comptoirs("c2;pegase;MAR;X;opening;;-1;;S1"),
     "comptoirs", "append", "minimum", 3, "min_members"),
    ("not a number", comptoirs("c2;pegase;MAR;X;opening;;;douze;S1"),
     "comptoirs", "append", "number", 3, "budget_eur"),
    ("scientific notation", comptoirs("c2;pegase;MAR;X;opening;;;1,2E+06;S1"),
     "comptoirs", "append", "number", 3, "budget_eur"),
    ("decimal in a count", comptoirs("c2;pegase;MAR;X;opening;;4,5;;S1"),
     "comptoirs", "append", "int", 3, "min_members"),
    ("duplicate key", comptoirs("c2;pegase;MAR;X;opening;;;;S1", "c2;pegase;MAR;Y;opening;;;;S1"),
     "comptoirs", "append", "unique", 4, "comptoir_id"),
    ("key already in the table (append)", comptoirs("pegase-mex;pegase;MEX;Q;opening;;;;S1"),
     "comptoirs", "append", "exists", 3, "comptoir_id"),
    ("unknown cluster", comptoirs("c2;nowhere;MAR;X;opening;;;;S1"),
     "comptoirs", "append", "reference", 3, "cluster_id"),
    ("unknown source", comptoirs("c2;pegase;MAR;X;opening;;;;S9"),
     "comptoirs", "append", "reference", 3, "source_id"),
    ("unknown country", comptoirs("c2;pegase;Atlantide;X;opening;;;;S1"),
     "comptoirs", "append", "country", 3, "country_iso3"),
    ("required value missing", comptoirs("c2;pegase;MAR;;opening;;;;S1"),
     "comptoirs", "append", "required", 3, "city"),
    ("too few fields", comptoirs("c2;pegase;MAR"),
     "comptoirs", "append", "fields", 3, ""),
    ("too many fields", comptoirs("c2;pegase;MAR;X;opening;;;;S1;extra;more"),
     "comptoirs", "append", "fields", 3, ""),
    ("truncated quote", comptoirs('c2;pegase;MAR;"Casa;opening;;;;S1'),
     "comptoirs", "append", "quote", 3, ""),
    ("export > revenue", members("m2;pegase;B;PME;3;100;150;non;;;S1"),
     "members", "append", "not_greater", 3, "export_revenue_eur"),
    ("bad bool", members("m2;pegase;B;PME;3;100;50;peut-être;;;S1"),
     "members", "append", "bool", 3, "joint_export_experience"),
    ("stage missing for a comptoir", members("m2;pegase;B;PME;3;100;50;non;pegase-mex;;S1"),
     "members", "append", "required_when", 3, "comptoir_stage"),
    ("unknown comptoir", members("m2;pegase;B;PME;3;100;50;non;pegase-xyz;hébergée;S1"),
     "members", "append", "reference", 3, "comptoir_id"),
    ("unknown size class", members("m2;pegase;B;XXL;3;100;50;non;;;S1"),
     "members", "append", "enum", 3, "size_class"),
    ("funded > labelled",
     b"cluster_id;name;region;labelled_projects;funded_projects;source_id\n"
     b"pegase;P\xc3\xa9gase;PACA;10;12;S1\n",
     "clusters", "replace", "not_greater", 2, "funded_projects"),
    ("end < start", vie("v1;pegase;CHN;in_post;01/06/2011;01/01/2011;S1"),
     "vie_postings", "append", "not_greater", 2, "start_on"),
    ("respondents > base",
     b"survey_id;survey_name;year;question_id;question;answer;respondents;base;source_id\n"
     b"s;Pacte;2016;q1;Export ?;oui;500;400;S1\n",
     "survey_results", "append", "not_greater", 2, "respondents"),
    ("replace removes a referenced key",
     b"comptoir_id;cluster_id;country_iso3;city;status;source_id\n"
     b"pegase-bra;pegase;BRA;Sao Paulo;opening;S1\n",
     "comptoirs", "replace", "still_referenced", None, "comptoir_id"),
    ("wrong table", members("m2;pegase;B;PME;3;100;50;non;;;S1"),
     "comptoirs", "append", "wrong_table", None, ""),
    ("not one of Envol's tables", b"Index,Country,Income\n1,Switzerland,5457.12\n",
     None, "append", "not_a_table", None, ""),
    ("binary", b"\x00\x01\x02PNG\x00\x00" * 50, None, "append", "binary", None, ""),
    ("Excel workbook", b"PK\x03\x04" + b"\x00" * 200, None, "append", "binary", None, ""),
    ("empty", b"", None, "append", "empty", None, ""),
    ("only blank lines", b"\r\n\r\n  \r\n", None, "append", "empty", None, ""),
    ("header only", (HEAD + "\n").encode(), "comptoirs", "append", "header_only", None, ""),
    ("too many rows", comptoirs(*[f"c{i};pegase;MAR;X;opening;;;;S1" for i in range(60)]),
     "comptoirs", "append", "too_many_rows", None, ""),
    ("too large", comptoirs() + b"#" * 1_100_000, "comptoirs", "append", "too_large", None,
     ""),
    ("not Windows-1252", comptoirs("c2;pegase;MAR;X\x81;opening;;;;S1"),
     "comptoirs", "append", "encoding", None, ""),
]


@pytest.mark.parametrize(("data", "table", "mode", "rule", "line", "column"),
                         [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_file_is_refused_with_line_and_column_and_nothing_written(
        lake, data, table, mode, rule, line, column):
    con, directory = lake
    before = lake_hash(directory)
    version = store.current_version(con)
    overrides = {"encoding": "cp1252"} if rule == "encoding" else {}
    checked = check(con, data, table, mode, **overrides)
    assert not checked.ok
    match = [p for p in checked.problems if p.rule == rule]
    assert match, [(p.rule, p.line, p.column, p.message("en")) for p in checked.problems]
    p = match[0]
    if rule == "encoding":
        assert p.line == 3 and p.value == "0x81"
    else:
        assert p.line == line, p
    if column:
        assert p.column == column or p.canonical == column, p
    assert p.message("fr") and p.message("en") and p.message("fr") != p.message("en")
    with pytest.raises(ingest.NotCommitted):
        ingest.commit(con, checked, author="ana", note="", file_name="f.csv", scope=LOCAL)
    assert store.current_version(con) == version
    assert lake_hash(directory) == before
    # The problems download as a CSV that names the line and column.
    text = ingest.problems_csv(checked.problems, "fr").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Ligne", "Colonne du fichier"]
    assert len(rows) == len(checked.problems) + 1


def test_at_least_thirty_kinds_of_bad_files():
    assert len({b[0] for b in BAD}) >= 30


def test_lines_stay_right_after_blank_lines_and_multiline_cells(lake):
    con, _ = lake
    data = (HEAD + "\n" + OK_ROW + "\n\n"
            + 'c2;pegase;MAR;"Casa\nblanca";opening;;;;S1\n'
            + "c3;pegase;MAR;X;opening;;;-1;S1\n").encode()
    checked = check(con, data, "comptoirs")
    assert [(p.line, p.column) for p in checked.problems] == [(5, "budget_eur")]
    assert checked.rows.column("city").to_pylist()[1] == "Casa\nblanca"


def test_title_lines_above_the_header_are_skipped_and_counted(lake):
    con, _ = lake
    data = ("Export des comptoirs;;;;;;;;\n\n" + HEAD + "\n" + OK_ROW
            + "\nc2;pegase;MAR;X;opening;;;-1;S1\n").encode()
    sniffed = ingest.sniff(data, limits=LIMITS)
    assert sniffed.dialect.skip_lines == 2 and sniffed.dialect.table == "comptoirs"
    checked = ingest.check(con, data, sniffed.dialect, mode="append", limits=LIMITS)
    assert [(p.line, p.column) for p in checked.problems] == [(5, "budget_eur")]


REAL = Path("/work/shared/real-files")


@pytest.mark.skipif(not REAL.is_dir(), reason="shared real files not on this machine")
@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.csv")) if REAL.is_dir()
                         else [])
def test_real_exports_are_not_envol_tables_and_never_crash(lake, name):
    con, directory = lake
    before = lake_hash(directory)
    data = (REAL / name).read_bytes()
    sniffed = ingest.sniff(data, limits=ingest.Limits())
    assert sniffed.dialect.table is None
    checked = ingest.check(con, data, sniffed.dialect, limits=ingest.Limits())
    assert [p.rule for p in checked.problems] == ["not_a_table"]
    assert "not one of Envol's tables" in checked.problems[0].message("en")
    assert lake_hash(directory) == before


def test_a_file_mapping_only_some_columns_says_which(lake):
    data = b"iso3,country,nb_offres_vie\nUSA,United States,158\n"
    problems = ingest.header_problems(ingest.sniff(data, limits=LIMITS).dialect)
    assert problems[0].rule == "not_a_table"
    assert "iso3 → country_iso3" in problems[0].message("en")


# --- commit, preview, same file, stale preview, concurrency ---------------------------------

GOOD = comptoirs("c2;pegase;BRA;São Paulo;planned;;4;2500,5;S2")


def test_preview_then_commit_records_the_metadata(lake):
    con, _ = lake
    checked = check(con, GOOD, "comptoirs")
    assert checked.ok, checked.problems
    preview = ingest.preview(con, checked)
    assert (preview.added, preview.removed, preview.changed) == (2, 0, 0)
    changes = ingest.kpi_changes(preview.kpis_before, preview.kpis_after)
    assert changes[changes["kpi"] == "comptoirs"][["old", "new"]].values.tolist() == [[1, 3]]
    snap = ingest.commit(con, checked, author=" ana@pegase.fr ", note="deux comptoirs",
                         file_name="C:\\Users\\ana\\comptoirs.csv", scope=LOCAL)
    snaps = run_query(con, "snapshots_by_time", version=snap)
    last = snaps.iloc[0]
    assert (last["snapshot_id"], last["author"], last["commit_message"], last["mode"],
            last["file_name"], last["row_count"], last["sha256"]) == (
        snap, "ana@pegase.fr", "append: deux comptoirs", "append", "comptoirs.csv", 2,
        hashlib.sha256(GOOD).hexdigest())
    with con.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM lake.comptoirs").fetchone() == (3,)


def test_replace_preview_lists_changed_values(lake):
    con, _ = lake
    data = (b"comptoir_id;cluster_id;country_iso3;city;status;source_id\n"
            b"pegase-mex;pegase;MEX;Mexico;operational;S1\n")
    checked = check(con, data, "comptoirs", "replace")
    preview = ingest.preview(con, checked)
    assert (preview.added, preview.removed, preview.changed, preview.unchanged) == (0, 0, 1, 0)
    assert preview.changes.to_dict("records") == [
        {"key": "pegase-mex", "column": "city", "old": "Querétaro", "new": "Mexico"}]


def test_replace_preview_counts_a_row_as_changed_when_a_value_text_changes(lake):
    """The preview compares rows column by column; a row counts as changed exactly when one
    of its values reads differently, as the listed changes show it: -0.0 against 0.0 is a
    change, 2,00 against 2.0 is not, NULL against a value is."""
    con, _ = lake  # (pegase-mex stays: a member points at it)
    head = b"comptoir_id;cluster_id;country_iso3;city;status;source_id;budget_eur\n"

    def rows(*budgets: tuple[str, str]) -> bytes:
        return head + "".join(f"{key};pegase;MEX;Puebla;operational;S1;{budget}\n"
                              for key, budget in (("pegase-mex", ""), *budgets)).encode()

    base = rows(("a", "1"), ("b", "0"), ("c", ""), ("d", "1,5"), ("e", "2"), ("g", "3"))
    ingest.commit(con, check(con, base, "comptoirs", "replace"), author="a", note="",
                  file_name="base.csv", scope=LOCAL)
    new = rows(("a", "1"), ("b", "-0"), ("c", "1"), ("d", ""), ("e", "2,00"), ("f", "4"))
    preview = ingest.preview(con, check(con, new, "comptoirs", "replace"), kpis=False)
    assert (preview.added, preview.removed, preview.changed, preview.unchanged) == (1, 1, 3, 3)
    texts = [tuple(v if isinstance(v, str) else None for v in r)  # (a missing text: NaN)
             for r in preview.changes.itertuples(index=False)]
    assert texts == [("b", "budget_eur", "0.0", "-0.0"), ("c", "budget_eur", None, "1.0"),
                     ("d", "budget_eur", "1.5", None)]
    assert preview.added_rows["comptoir_id"].tolist() == ["f"]
    assert preview.removed_rows["comptoir_id"].tolist() == ["g"]


def test_the_same_file_twice_needs_a_confirmation(lake):
    con, _ = lake
    data = "source_id;titre\nS1;Les Echos\nS2;Portail\nS3;Le Moci\n".encode("cp1252")
    ingest.commit(con, check(con, data, mode="replace"), author="ana", note="",
                  file_name="a.csv", scope=LOCAL)
    same = check(con, data, mode="replace")
    assert same.ok
    assert not ingest.same_file(con, "sources", same.sha256).empty
    with pytest.raises(ingest.NotCommitted, match="same_file"):
        ingest.commit(con, same, author="ana", note="", file_name="a.csv", scope=LOCAL)
    ingest.commit(con, same, author="ana", note="", file_name="a.csv", scope=LOCAL,
                  confirm_same_file=True)


def test_an_author_is_required(lake):
    con, _ = lake
    with pytest.raises(ingest.NotCommitted, match="author"):
        ingest.commit(con, check(con, GOOD, "comptoirs"), author="  ", note="", file_name="x",
                      scope=LOCAL)


def test_a_stale_preview_is_refused_clearly(lake):
    con, directory = lake
    first = check(con, GOOD, "comptoirs")
    second = check(con, comptoirs("c9;pegase;CAN;Montréal;planned;;;;S1"), "comptoirs")
    ingest.commit(con, first, author="ana", note="", file_name="a.csv", scope=LOCAL)
    before = lake_hash(directory)
    with pytest.raises(store.StaleTable):
        ingest.commit(con, second, author="bob", note="", file_name="b.csv", scope=LOCAL)
    assert lake_hash(directory) == before


def test_two_concurrent_commits_leave_two_consistent_snapshots(lake):
    con, _ = lake
    a = check(con, comptoirs("a1;pegase;CAN;Montréal;planned;;;;S1").replace(b"c-ok", b"a0"),
              "comptoirs")
    b = check(con, comptoirs("b1;pegase;BRA;Recife;planned;;;;S1").replace(b"c-ok", b"b0"),
              "comptoirs")
    v0 = store.current_version(con)
    results: dict[str, object] = {}

    def run(name, checked):
        try:
            results[name] = store.commit_table(con, "comptoirs", checked.rows, mode="append",
                                               author=name, note="", file_name=name,
                                               sha256=checked.sha256)
        except Exception as exc:  # pragma: no cover - would fail the assertion below
            results[name] = exc

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [v0 + 1, v0 + 2]
    with con.cursor() as cur:
        counts = [cur.execute("SELECT count(*) FROM lake.comptoirs AT (VERSION => $v)",
                              {"v": v}).fetchone()[0] for v in (v0, v0 + 1, v0 + 2)]
    assert counts == [1, 3, 5]


def test_two_checked_uploads_at_once_one_wins_one_is_refused(lake):
    con, _ = lake
    a = check(con, comptoirs("a1;pegase;CAN;Montréal;planned;;;;S1").replace(b"c-ok", b"a0"),
              "comptoirs")
    b = check(con, comptoirs("b1;pegase;BRA;Recife;planned;;;;S1").replace(b"c-ok", b"b0"),
              "comptoirs")
    results = []

    def run(checked, who):
        try:
            results.append(ingest.commit(con, checked, author=who, note="", file_name=who,
                                         scope=LOCAL))
        except store.StaleTable as exc:
            results.append(exc)

    threads = [threading.Thread(target=run, args=x) for x in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, int) for r in results) == 1
    assert sum(isinstance(r, store.StaleTable) for r in results) == 1
    with con.cursor() as cur:
        assert cur.execute("SELECT count(*) FROM lake.comptoirs").fetchone() == (3,)


CHILD = """
import sys, time, pathlib
sys.path.insert(0, {root!r})
import pyarrow as pa
from envol import store
from tests.conftest import rows_table
directory = pathlib.Path({directory!r})
con = store.open_lake(store.LakeConfig(str(directory / "cat.ducklake"), directory / "files"),
                      seed_dir=None)
rows = rows_table("sources", [dict(source_id=f"X{{i}}", title="t") for i in range(5000)])
def pause():
    (directory / "paused").write_text("1")
    time.sleep(600)
store._before_commit = pause
store.commit_table(con, "sources", rows, mode="replace", author="killed", note="",
                   file_name="x.csv", sha256="0" * 64)
"""


def test_a_commit_killed_before_the_catalog_leaves_the_previous_state(tmp_path):
    con = make_lake(tmp_path, BASE)
    version = store.current_version(con)
    con.close()  # a DuckDB-file catalog is opened by one process at a time
    parquet_before = set((tmp_path / "files").rglob("*.parquet"))
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT),
                                                                  directory=str(tmp_path))],
                             cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "paused").exists():
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        # The data file is written; the catalog is not.
        assert set((tmp_path / "files").rglob("*.parquet")) - parquet_before
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    con = store.open_lake(store.LakeConfig(str(tmp_path / "cat.ducklake"), tmp_path / "files"),
                          seed_dir=None)
    assert store.current_version(con) == version
    with con.cursor() as cur:
        assert cur.execute("SELECT list(source_id ORDER BY 1) FROM lake.sources").fetchone() \
            == (["S1", "S2"],)
    con.close()


# --- history: export and rollback -----------------------------------------------------------


def test_export_neutralises_formulas_and_reads_back_the_same_rows(lake):
    con, _ = lake
    evil = comptoirs('c2;pegase;MAR;=HYPERLINK("http://x");opening;;;-3,5;S1',
                     "c3;pegase;MAR;-12;opening;;;;S1", "c4;pegase;MAR;@SUM(A1);opening;;;;S1",
                     "c5;pegase;MAR;+33 1;opening;;;2,5;S1")
    checked = check(con, evil.replace(b";-3,5;", b";;"), "comptoirs")
    assert checked.ok, checked.problems
    v = ingest.commit(con, checked, author="ana", note="", file_name="e.csv", scope=LOCAL)
    out = ingest.export_csv(con, "comptoirs", v, scope=LOCAL)
    assert out.startswith(b"\xef\xbb\xbf")
    text = out.decode("utf-8-sig")
    assert "\"'=HYPERLINK(" in text and ";'@SUM(A1);" in text and ";'+33 1;" in text
    assert ";-12;" in text and ";2,5;" in text
    again = ingest.check(con, out, ingest.sniff(out, limits=LIMITS).dialect, mode="replace",
                         limits=LIMITS)
    assert again.ok, again.problems
    old = store.read_table(con, "comptoirs", v).to_pylist()
    new = again.rows.to_pylist()
    city = {r["comptoir_id"]: r["city"] for r in new}
    assert city["c2"] == "'=HYPERLINK(\"http://x\")" and city["c3"] == "-12"
    for r in new:
        r["city"] = r["city"].lstrip("'") if r["comptoir_id"] != "c3" else r["city"]
    assert new == old


def test_rollback_commits_the_old_rows_as_a_new_snapshot(lake):
    con, _ = lake
    v_before = store.current_version(con)
    ingest.commit(con, check(con, GOOD, "comptoirs"), author="ana", note="", file_name="g",
                  scope=LOCAL)
    replaced = check(con, b"comptoir_id;cluster_id;country_iso3;city;status;source_id\n"
                          b"pegase-mex;pegase;MEX;Q;operational;S1\n", "comptoirs", "replace")
    v_replaced = ingest.commit(con, replaced, author="ana", note="", file_name="r", scope=LOCAL)
    assert store.read_table(con, "comptoirs", v_replaced).num_rows == 1
    v_new = store.rollback_table(con, "comptoirs", v_before + 1, author="bob", note="oops",
                                 scope=LOCAL, expect_table_version=v_replaced)
    assert v_new == v_replaced + 1
    assert store.read_table(con, "comptoirs", v_new).num_rows == 3
    assert store.read_table(con, "comptoirs", v_new).to_pylist() == \
        store.read_table(con, "comptoirs", v_before + 1).to_pylist()
    assert store.read_table(con, "comptoirs", v_replaced).num_rows == 1  # history intact
    last = run_query(con, "snapshots_by_time", version=v_new).iloc[0]
    assert (last["mode"], last["author"], last["row_count"]) == ("rollback", "bob", 3)
    with pytest.raises(store.StaleTable):
        store.rollback_table(con, "comptoirs", v_before, author="x", note="", scope=LOCAL,
                             expect_table_version=v_replaced)


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ENVOL_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("ENVOL_MAX_ROWS", "10")
    assert ingest.Limits.from_env() == ingest.Limits(3, 10)
    monkeypatch.delenv("ENVOL_MAX_UPLOAD_MB")
    monkeypatch.delenv("ENVOL_MAX_ROWS")
    assert ingest.Limits.from_env() == ingest.Limits(200, 2_000_000)


def test_file_names_are_metadata_never_paths():
    assert ingest.clean_file_name("../../etc/passwd") == "passwd"
    assert ingest.clean_file_name("C:\\Users\\a\\b.csv") == "b.csv"
    assert ingest.clean_file_name("a\x00\nb.csv") == "ab.csv"
    assert ingest.clean_file_name("") == "upload.csv"


# --- the fast paths give exactly what the general ones give -----------------------------------

NUMBERS = [  # (budget_eur as written, as read; None: refused), decimal comma, no thousands mark
    ("1\u00a0234\u00a0567,89", 1234567.89), ("1234,5", 1234.5), ("+7", 7.0), ("0012", 12.0),
    ("999\u00a0999", 999999.0),  # tier 1: digits, NBSP thousands, decimal comma
    ("1 234,5", 1234.5), ("1\u202f234,5", 1234.5), ("1\u00a0234,5 €", 1234.5),
    (" 1\u00a0234,5", 1234.5), ("1\u00a0234,5\u00a0", 1234.5),  # tier 2: spaces, €, U+202F
    ("12\u00a034,5", None), ("1\u00a0234,", None), ("1.234,5", None), ("1e5", None),
    ("1\u00a0\u00a0234", None), ("\u00a01\u00a0234\u00a0", 1234.0), ("1\u00a02345", None),
    ("−5", None),  # minus sign: read as -5, then refused by the minimum (≥ 0)
]
COUNTS = [("1\u00a0200", 1200), ("0012", 12), ("1\u00a0200,0", 1200), ("1 200", 1200),
          ("1\u00a0200,5", None), ("12\u00a000", None), ("1,5", None), ("+3", 3)]


def test_number_tiers_read_exactly_what_the_full_pattern_reads(lake):
    con, _ = lake
    rows = [f"c{i};pegase;MAR;X;opening;;;{v};S1" for i, (v, _) in enumerate(NUMBERS)]
    checked = check(con, comptoirs(*rows), "comptoirs", thousands="")
    assert [(p.line - 3, p.rule) for p in checked.problems] == [
        (i, "number") for i, (_, w) in enumerate(NUMBERS) if w is None][:-1] + [
        (len(NUMBERS) - 1, "minimum")]
    assert checked.problems[-1].value == "-5"
    assert checked.rows.column("budget_eur").to_pylist()[1:] == [
        w if w is not None else None for _, w in NUMBERS][:-1] + [-5.0]
    rows = [f"c{i};pegase;MAR;X;opening;;{v};;S1" for i, (v, _) in enumerate(COUNTS)]
    checked = check(con, comptoirs(*rows), "comptoirs", thousands="")
    assert [(p.line - 3, p.rule) for p in checked.problems] == [
        (i, "int") for i, (_, w) in enumerate(COUNTS) if w is None]
    assert checked.rows.column("min_members").to_pylist()[1:] == [w for _, w in COUNTS]


def test_cp1252_is_decoded_in_pieces_exactly_and_a_bad_byte_is_found_past_the_first(lake):
    con, _ = lake
    alphabet = bytes(b for b in range(32, 256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    data = bytes(alphabet[(i * 7919) % len(alphabet)] for i in range(3 * ingest.DECODE_PIECE
                                                                       + 17))
    scan = ingest._write_utf8(data, "cp1252")
    try:
        assert scan.path.read_bytes() == data.decode("cp1252").encode("utf-8")
    finally:
        import shutil
        shutil.rmtree(scan.dir)
    city = "é" * 20_000  # 40 rows of 20 kB: the file spans several pieces
    rows = [f"c{i};pegase;MAR;{city};opening;;;;S1" for i in range(40)]
    data = comptoirs(*rows).decode("utf-8").encode("cp1252")
    assert len(data) > 3 * ingest.DECODE_PIECE
    assert check(con, data, "comptoirs", encoding="cp1252").ok
    at = data.index(b"c30;")  # line 33: the header, OK_ROW and c0..c29 above it
    broken = data[:at] + b"\x81" + data[at:]
    checked = check(con, broken, "comptoirs", encoding="cp1252")
    assert [(p.rule, p.line, p.value) for p in checked.problems] == [("encoding", 33, "0x81")]
    assert checked.sha256 == hashlib.sha256(broken).hexdigest()  # hashed in the background


def test_one_statement_counts_each_check_as_its_own_query_would(lake):
    """Every check counted at once, listed only when its count is not zero: the counts and
    the rows listed are those of each check's own query (duplicates by grouping)."""
    con, _ = lake
    rows = ["d1;pegase;MAR;X;opening;;;;S1", "d2;pegase;MAR;X;opening;;;;S1",
            "d1;pegase;MAR;X;opening;;;;S1", "d1;pegase;MAR;X;opening;;;;S9",
            "d2;pegase;MAR;X;opening;;;;S1", ";pegase;MAR;X;opening;;;;S1",
            ";nope;MAR;X;opening;;;-3;S1"]
    checked = check(con, comptoirs(*rows), "comptoirs")
    got = [(p.rule, p.line, p.value) for p in checked.problems]
    assert got == [("unique", 5, "d1"), ("reference", 6, "S9"), ("unique", 6, "d1"),
                   ("unique", 7, "d2"), ("required", 8, ""), ("required", 9, ""),
                   ("reference", 9, "nope"), ("minimum", 9, "-3"), ("unique", 9, "")]
    assert checked.problem_count == len(got)
    assert [p.message("en") for p in checked.problems if p.rule == "unique"] == [
        "Duplicate key: d1 is already on line 3.", "Duplicate key: d1 is already on line 3.",
        "Duplicate key: d2 is already on line 4.", "Duplicate key:  is already on line 8."]
    clean = check(con, comptoirs(*rows[:2]), "comptoirs")
    assert clean.ok and clean.problem_count == 0 and clean.row_count == 3


def test_a_large_upload_is_committed_in_the_file_order_from_its_staged_file(lake):
    """300,000 rows (several row groups, read and written on every core) in no sorted order:
    the check stages them as one Parquet file, the commit registers a copy of it in the lake's
    own folder, and the lake gives them back in the file's order."""
    con, tmp_path = lake
    n = 300_000
    keys = [f"X{(i * 7919) % n:06d}" for i in range(n)] + ["S1", "S2"]
    text = "source_id;title\r\n" + "".join(f"{k};titre {i}\r\n" for i, k in enumerate(keys))
    data = text.encode("cp1252")
    limits = ingest.Limits(max_mb=50, max_rows=400_000)
    sniffed = ingest.sniff(data, table="sources", limits=limits)
    checked = ingest.check(con, data, sniffed.dialect, mode="replace", limits=limits)
    assert checked.ok and checked.row_count == n + 2, checked.problems[:3]
    staged = checked.staged.path
    assert staged.is_file() and not staged.is_relative_to(tmp_path)
    assert checked.head(3).column("source_id").to_pylist() == keys[:3]
    ingest.commit(con, checked, author="a", note="", file_name="s.csv", scope=LOCAL)
    with con.cursor() as cur:
        back = cur.execute("SELECT source_id, title FROM lake.sources").fetchall()
        files = cur.execute(
            "SELECT path, path_is_relative FROM __ducklake_metadata_lake.ducklake_data_file "
            "WHERE end_snapshot IS NULL AND path LIKE 'envol-%'").fetchall()
    assert [k for k, _ in back] == keys and back[-3] == (keys[-3], f"titre {n - 1}")
    assert len(files) == 1 and files[0][1]  # a path relative to the lake's data folder
    assert len(list((tmp_path / "files").rglob(files[0][0]))) == 1


def test_the_staged_file_goes_with_the_checked_that_names_it(lake):
    import gc

    con, _ = lake

    def staged_of_a_check() -> Path:
        checked = check(con, b"source_id;title\r\nS1;a\r\nS2;b\r\n", "sources", "replace")
        assert checked.ok and checked.staged.path.is_file()
        return checked.staged.path

    path = staged_of_a_check()
    gc.collect()
    assert not path.exists() and not path.parent.exists()


def test_a_file_mixing_crlf_and_lf_line_ends_reads_as_the_same_rows(lake):
    """A file saved by two tools ends some lines in CRLF and others in LF; DuckDB's reader
    refuses the mix, the check reads it as if every line ended in LF: same rows, and a bad
    value is still named on its own line."""
    con, _ = lake
    mixed = excel_fr().replace(b"S1\r\n", b"S1\n")  # the header and line 3 keep CRLF
    assert mixed.count(b"\r\n") == 2 and mixed.count(b"\n") == 3
    sniffed = ingest.sniff(mixed, limits=LIMITS)
    checked = ingest.check(con, mixed, sniffed.dialect, mode="append", limits=LIMITS)
    assert checked.problems == [] and checked.rows.to_pylist() == EXPECTED
    bad = mixed.replace(b";5;;", b";cinq;;")  # min_members of line 3
    problems = ingest.check(con, bad, sniffed.dialect, mode="append", limits=LIMITS).problems
    assert [(p.line, p.column, p.value) for p in problems] == [
        (3, "membres minimum du GIE", "cinq")]


# Spellings of the labels: as the contract writes them (the exact path), other cases (exact
# path for capitalised, upper and lower case), and spellings only folding recognises
# (accents, spaces, punctuation, mixed case: the folded path), plus unknown ones.
SIZE_SPELLINGS = ["PME", "TPE", "ETI", "GE", "sme", "SME", "Sme", "pme", "Pme", "micro",
                  "MICRO", "mid-cap", "Mid-cap", "MID-CAP", "Grand groupe", "GRAND GROUPE",
                  "pEtItE eT mOyEnNe EnTrEpRiSe", "Très petite entreprise",
                  "TRES PETITE ENTREPRISE", "très_petite_entreprise", "ÉTI", "éti", "gé",
                  "mid cap", "P.M.E", "XYZ", "grand-groupe", "Large"]
STAGE_SPELLINGS = ["sélectionnée", "Sélectionnée", "SÉLECTIONNÉE", "SELECTIONNEE", "hébergé",
                   "Candidat", "exporte", "exporté", "Retenue", "foo"]
BOOL_SPELLINGS = ["oui", "Oui", "OUI", "non", "Non", "NON", "vrai", "VRAI", "x", "X", "1", "0",
                  "True", "oUi", "ja", "peut-être"]


def _folded_only(con, column_kind_lists, texts):
    """What the folded lookup alone (the path before the exact one) gives for each text."""
    keys, vals = column_kind_lists
    with con.cursor() as cur:
        cur.execute(ingest._MACROS)
        got = cur.execute("SELECT list(($v)[list_position($k, envol_fold(x))] ORDER BY i) FROM "
                          "(SELECT unnest($s) AS x, generate_subscripts($s, 1) AS i)",
                          {"s": texts, "k": keys, "v": vals}).fetchone()[0]
    return got


def test_labels_read_exactly_what_the_folded_lookup_reads(lake):
    """The exact path for labels (`PME`, `Oui`) gives what folding gives; any other spelling
    (accents, mixed case, punctuation) still goes through folding; unknown ones are named."""
    from envol.schema import TABLES, enum_aliases
    con, _ = lake
    col = {c.name: c for c in TABLES["members"].columns}
    n = max(len(SIZE_SPELLINGS), len(STAGE_SPELLINGS), len(BOOL_SPELLINGS))
    pick = lambda xs, i: xs[i % len(xs)]  # noqa: E731
    rows = [f"m{i};pegase;F{i};{pick(SIZE_SPELLINGS, i)};3;10;5;{pick(BOOL_SPELLINGS, i)};"
            f"pegase-mex;{pick(STAGE_SPELLINGS, i)};S1" for i in range(n)]
    checked = check(con, members(*rows), "members")
    lists = {name: (list(enum_aliases(col[name])), list(enum_aliases(col[name]).values()))
             for name in ("size_class", "comptoir_stage")}
    bools = (list(ingest.TRUE_WORDS + ingest.FALSE_WORDS),
             [True] * len(ingest.TRUE_WORDS) + [False] * len(ingest.FALSE_WORDS))
    want = {
        "size_class": _folded_only(con, lists["size_class"],
                                   [pick(SIZE_SPELLINGS, i) for i in range(n)]),
        "comptoir_stage": _folded_only(con, lists["comptoir_stage"],
                                       [pick(STAGE_SPELLINGS, i) for i in range(n)]),
        "joint_export_experience": _folded_only(con, bools,
                                                [pick(BOOL_SPELLINGS, i) for i in range(n)]),
    }
    assert want["size_class"][SIZE_SPELLINGS.index("pEtItE eT mOyEnNe EnTrEpRiSe")] == "sme"
    assert want["size_class"][SIZE_SPELLINGS.index("XYZ")] is None
    for name, values in want.items():
        assert checked.rows.column(name).to_pylist()[1:] == values, name
    refused = sorted((p.line - 3, p.canonical) for p in checked.problems if p.rule in (
        "enum", "bool"))
    assert refused == sorted([(i, name) for name, values in want.items()
                              for i, v in enumerate(values) if v is None])
    assert {p.value for p in checked.problems if p.canonical == "size_class"} == {"P.M.E", "XYZ"}


def test_a_label_column_without_any_exact_spelling_uses_the_folded_lookup_alone(lake):
    con, _ = lake
    params = {"k": ["sme"], "v": ["sme"]}
    with con.cursor() as cur:
        cur.execute(ingest._MACROS)
        none = ingest._label_expr(cur, "t3", params, "k", "v", "e3", ["unknown", "other"])
        some = ingest._label_expr(cur, "t4", params, "k", "v", "e4", ["sme"])
    assert none == "($v)[list_position($k, envol_fold(t3))]"
    assert params["e3_keys"] == [] and params["e4_keys"] == ["sme", "Sme", "SME"]
    assert some.startswith("coalesce(($e4_vals)[list_position($e4_keys, t4)], ")
