"""The data contract is declared once and everything derived from it tells the truth."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from envol import generate
from envol.schema import (
    LOAD_ORDER,
    TABLES,
    dictionary,
    enum_aliases,
    fold,
    header_aliases,
)

ROOT = Path(__file__).resolve().parents[2]

# The columns DATA_CONTRACT.md names for each table (the contract must keep every one of them).
CONTRACT_COLUMNS = {
    "sources": "source_id title outlet author published_on url note",
    "clusters": "cluster_id name region hq_city lat lon sectors founded_year reported_members "
                "reported_smes reported_jobs labelled_projects funded_projects public_funding_eur "
                "source_id",
    "members": "member_id cluster_id name size_class sector city headcount revenue_eur "
               "export_revenue_eur joint_export_experience comptoir_id comptoir_stage "
               "illustrative source_id",
    "comptoirs": "comptoir_id cluster_id country_iso3 city lat lon status opened_on min_members "
                 "capacity_firms budget_eur local_principals local_sector_jobs source_id",
    "vie_postings": "posting_id cluster_id country_iso3 city host_company status start_on end_on "
                    "firms_served source_id",
    "survey_results": "survey_id survey_name year question_id question answer respondents base "
                      "source_id",
    "sponsorships": "sponsorship_id sponsor sme_name member_id country_iso3 year stage "
                    "review_days illustrative source_id",
    "targets": "target_id cluster_id programme metric value_low value_high start_year end_year "
               "source_id",
}
REQUIRED = {
    "sources": {"source_id", "title"},
    "clusters": {"cluster_id", "name", "region", "source_id"},
    "members": {"member_id", "cluster_id", "name", "size_class", "source_id"},
    "comptoirs": {"comptoir_id", "cluster_id", "country_iso3", "city", "status", "source_id"},
    "vie_postings": {"posting_id", "cluster_id", "country_iso3", "status", "source_id"},
    "survey_results": {"survey_id", "survey_name", "year", "question_id", "question", "answer",
                       "respondents", "base", "source_id"},
    "sponsorships": {"sponsorship_id", "sponsor", "sme_name", "year", "stage", "source_id"},
    "targets": {"target_id", "programme", "metric", "value_low", "source_id"},
}


def test_contract_keeps_every_documented_column_and_required_flag():
    assert set(TABLES) == set(CONTRACT_COLUMNS) == set(LOAD_ORDER)
    for name, cols in CONTRACT_COLUMNS.items():
        assert set(cols.split()) <= set(TABLES[name].column_names), name
        assert set(TABLES[name].required) == REQUIRED[name], name


def test_enums_match_the_contract():
    assert TABLES["members"].column("size_class").enum_values == ("micro", "sme", "midcap",
                                                                  "large")
    assert TABLES["members"].column("comptoir_stage").enum_values == (
        "candidate", "selected", "hosted", "exporting")
    assert TABLES["comptoirs"].column("status").enum_values == (
        "planned", "opening", "operational", "closed")
    assert TABLES["vie_postings"].column("status").enum_values == (
        "to_recruit", "in_post", "completed")
    assert TABLES["sponsorships"].column("stage").enum_values == (
        "requested", "endorsed", "reviewed", "matched", "supported")
    assert TABLES["targets"].column("programme").enum_values == (
        "comptoirs", "vie", "portage", "financing")
    assert TABLES["targets"].column("metric").enum_values == (
        "jobs", "firms_supported", "budget_eur", "cost_reduction_factor")


def test_every_column_is_in_the_data_dictionary_in_both_languages():
    for lang in ("fr", "en"):
        rows = {(r["table"], r["column"]): r for r in dictionary(lang)}
        for t in TABLES.values():
            for c in t.columns:
                row = rows[(t.name, c.name)]
                assert row["description"] and row["label"], (lang, t.name, c.name)
        assert len(rows) == sum(len(t.columns) for t in TABLES.values())


def test_references_point_to_existing_columns_loaded_earlier():
    for t in TABLES.values():
        for c in t.columns:
            if c.references:
                table, column = c.references.split(".")
                assert column in TABLES[table].column_names
                if table != t.name:
                    assert LOAD_ORDER.index(table) < LOAD_ORDER.index(t.name), c.references


def test_french_aliases_are_unambiguous_and_fold_accents():
    assert fold("  Pôle ") == "pole"
    assert fold("Chiffre d'affaires (€)") == "chiffre_d_affaires"
    for t in TABLES.values():
        seen = defaultdict(set)
        for c in t.columns:
            for spelling in (c.name, c.fr, c.en, *c.aliases):
                seen[fold(spelling)].add(c.name)
        assert all(len(v) == 1 for v in seen.values()), t.name
        for c in t.columns:
            if c.enum:
                values = defaultdict(set)
                for v in c.enum:
                    for spelling in (v.value, v.fr, v.en, *v.aliases):
                        values[fold(spelling)].add(v.value)
                assert all(len(v) == 1 for v in values.values()), (t.name, c.name)
    assert header_aliases(TABLES["clusters"])["pole"] == "cluster_id"
    assert header_aliases(TABLES["comptoirs"])["pays"] == "country_iso3"
    assert enum_aliases(TABLES["members"].column("size_class"))["tpe"] == "micro"
    assert enum_aliases(TABLES["members"].column("size_class"))["pme"] == "sme"
    assert enum_aliases(TABLES["members"].column("size_class"))["eti"] == "midcap"
    assert enum_aliases(TABLES["members"].column("size_class"))["ge"] == "large"


def test_templates_are_the_canonical_headers():
    for t in TABLES.values():
        assert t.template_csv() == ";".join(t.column_names) + "\n"


def test_default_data_respects_the_contract():
    for name, rows in generate.build().items():
        t = TABLES[name]
        keys = [tuple(r[k] for k in t.key) for r in rows]
        assert len(keys) == len(set(keys)), name
        for r in rows:
            for c in t.columns:
                v = r[c.name]
                if c.required:
                    assert v is not None, (name, c.name)
                if v is not None and c.enum:
                    assert v in c.enum_values, (name, c.name, v)
                if v is not None and c.minimum is not None:
                    assert v >= c.minimum, (name, c.name, v)
                if v is not None and c.kind == "iso3":
                    assert re.fullmatch(r"[A-Z]{3}", v)


def test_every_page_file_is_in_the_navigation_and_pages_are_thin():
    app = (ROOT / "app.py").read_text()
    for page in sorted((ROOT / "app_pages").glob("*.py")):
        assert f'"app_pages/{page.name}"' in app, page.name
        tree = ast.parse(page.read_text())
        assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in tree.body), page
        assert "duckdb" not in page.read_text() and "SELECT" not in page.read_text(), page


def test_components_do_no_sql_and_no_io():
    for path in (ROOT / "components").glob("*.py"):
        text = path.read_text()
        for forbidden in ("duckdb", "run_query", "cache_data", "cache_resource", "open("):
            assert forbidden not in text, (path.name, forbidden)


def test_no_private_streamlit_imports():
    for path in list(ROOT.glob("*.py")) + list(ROOT.glob("*/*.py")):
        if ".venv" in path.parts:
            continue
        text = path.read_text().replace("from streamlit.testing", "")
        if path.parent.name == "bench":  # the load client speaks Streamlit's wire protocol
            text = text.replace("from streamlit.proto.", "")
        assert "from streamlit." not in text, path
