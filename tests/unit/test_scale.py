"""The benchmark's scale generator, at a small scale: contract-valid, deterministic, counted."""

from __future__ import annotations

import math

import duckdb
import pyarrow as pa
import pytest

from envol import scale, store
from envol.schema import TABLES, NotGreater, RequiredWhen

SMALL = scale.SMALL  # 3 clusters, 1,000 members, 5 comptoirs, 100 VIE postings, 3 months


@pytest.fixture(scope="module")
def small() -> dict[str, pa.Table]:
    con = store.connect()
    try:
        return scale.tables(con, SMALL)
    finally:
        con.close()


def contract_problems(tables: dict[str, pa.Table]) -> list[str]:
    """Every breach of the data contract in `tables` (required, enums, minimums, keys,
    references, row rules), as short messages."""
    problems = []
    values = {name: t.to_pylist() for name, t in tables.items()}
    for name, rows in values.items():
        table = TABLES[name]
        assert tables[name].schema.equals(table.arrow_schema()), name
        keys = [tuple(r[k] for k in table.key) for r in rows]
        if len(set(keys)) != len(keys):
            problems.append(f"{name}: duplicate key")
        for col in table.columns:
            for r in rows:
                v = r[col.name]
                if v is None:
                    if col.required:
                        problems.append(f"{name}.{col.name}: missing")
                    continue
                if col.enum and v not in col.enum_values:
                    problems.append(f"{name}.{col.name}: {v!r} not allowed")
                if col.minimum is not None and v < col.minimum:
                    problems.append(f"{name}.{col.name}: {v} < {col.minimum}")
                if col.kind == "iso3" and not (len(v) == 3 and v.isupper()):
                    problems.append(f"{name}.{col.name}: {v!r} is not ISO-3")
                if col.kind == "number" and not math.isfinite(v):
                    problems.append(f"{name}.{col.name}: {v}")
            if col.references:
                ref_table, ref_col = col.references.split(".")
                known = {r[ref_col] for r in values[ref_table]}
                missing = {r[col.name] for r in rows} - known - {None}
                if missing:
                    problems.append(f"{name}.{col.name}: {len(missing)} unknown references")
        for rule in table.rules:
            for r in rows:
                if isinstance(rule, NotGreater):
                    a, b = r[rule.left], r[rule.right]
                    if a is not None and b is not None and a > b:
                        problems.append(f"{name}: {rule.left} {a} > {rule.right} {b}")
                elif isinstance(rule, RequiredWhen):
                    if r[rule.when] is not None and r[rule.column] is None:
                        problems.append(f"{name}: {rule.column} missing")
    return problems


def test_small_scale_is_contract_valid(small):
    assert contract_problems(small) == []


def test_small_scale_row_counts(small):
    counts = {name: t.num_rows for name, t in small.items()}
    assert counts["clusters"] == 3
    assert counts["members"] == 1000
    assert counts["comptoirs"] == 5
    assert counts["vie_postings"] == 100
    assert counts["sponsorships"] == SMALL.sponsorships == 30
    assert counts["sources"] == 3 + 1  # one per cluster and the scale's own
    assert counts["survey_results"] == 2 * len(scale.SURVEY_YEARS)
    assert counts["targets"] == 4 * SMALL.comptoir_clusters + len(scale.PORTAGE_YEARS)
    # Every table uses what the pages read: enums in several values, the programme at work.
    stages = set(small["members"]["comptoir_stage"].to_pylist()) - {None}
    assert len(stages) >= 3
    assert set(small["members"]["size_class"].to_pylist()) == {"micro", "sme", "midcap",
                                                                  "large"}
    assert all(small["members"]["illustrative"].to_pylist())


def test_generator_is_deterministic_and_seeded(small):
    con = store.connect()
    again = scale.tables(con, SMALL)
    other = scale.tables(con, scale.Scale(**{**SMALL.__dict__, "seed": 7}))
    con.close()
    for name in TABLES:
        assert again[name].equals(small[name]), name
    assert not other["members"].equals(small["members"])
    assert SMALL.key() == scale.Scale(**SMALL.__dict__).key() != scale.EU.key()


def test_impossible_scale_is_refused():
    with pytest.raises(ValueError, match="comptoirs need"):
        scale.Scale(clusters=3, members=10, comptoirs=10, vie_postings=1).check()


def test_lake_has_one_members_snapshot_per_month_and_stages_only_advance(tmp_path, small):
    summary = scale.build_lake(tmp_path, SMALL)
    assert len(summary["member_snapshots"]) == SMALL.months
    assert summary["rows"]["members"] == 1000
    con = store.open_lake(store.LakeConfig(str(tmp_path / "envol.ducklake"), tmp_path / "files"),
                          seed_dir=None)
    order = ["candidate", "selected", "hosted", "exporting"]
    previous: dict[str, int] = {}
    counts = []
    for v in summary["member_snapshots"]:
        rows = con.execute("SELECT member_id, comptoir_stage FROM lake.members "
                           "AT (VERSION => $v)", {"v": v}).fetchall()
        counts.append(len(rows))
        now = {m: order.index(s) for m, s in rows if s is not None}
        assert all(now.get(m, -1) >= s for m, s in previous.items())  # nobody goes back
        previous = now
    assert counts == sorted(counts) and counts[-1] == 1000  # firms only join
    # The last month in the lake is exactly the generator's table; each commit says what it is.
    last = con.execute("FROM lake.members ORDER BY member_id").to_arrow_table()
    assert last.cast(small["members"].schema).equals(small["members"])
    snaps = con.execute("SELECT author, commit_message, commit_extra_info FROM lake.snapshots() "
                        "WHERE snapshot_id = $v", {"v": summary["version"]}).fetchone()
    assert snaps[0] == scale.AUTHOR and snaps[1].startswith("replace: membres 2024-03")
    assert '"rows": 1000' in snaps[2] and '"table": "members"' in snaps[2]
    con.close()


def test_members_csv_is_french_excel(tmp_path, small):
    path = tmp_path / "membres.csv"
    assert scale.write_members_csv(path, SMALL) == 1000
    raw = path.read_bytes()
    text = raw.decode("cp1252")  # Excel's encoding: “’”, “€” and “Œ” are single bytes
    header, first = text.split("\r\n")[:2]
    assert header.split(";") == [c.fr for c in TABLES["members"].columns]
    assert "\u2019".encode("cp1252") in raw and "€".encode("cp1252") in raw
    assert "\n" not in text.replace("\r\n", "")
    cells = dict(zip(header.split(";"), first.split(";"), strict=True))
    member = small["members"].slice(0, 1).to_pylist()[0]
    assert cells["identifiant"] == member["member_id"]
    assert cells["taille"] == {"micro": "TPE", "sme": "PME", "midcap": "ETI",
                               "large": "GE"}[member["size_class"]]
    revenue = cells["chiffre d'affaires (€)"]
    assert revenue.endswith(",00") and "\u00a0" in revenue  # 409 136 000,00
    assert float(revenue.replace("\u00a0", "").replace(",", ".")) == member["revenue_eur"]
    assert cells["expérience export conjoint"] in ("oui", "non", "")
    # Read back the French way, the file holds the same rows.
    con = duckdb.connect()
    back = con.execute(
        "SELECT count(*), sum(replace(replace(\"chiffre d'affaires (€)\", chr(160), ''), ',', '.')"
        "::DOUBLE) FROM read_csv($p, delim=';', header=true, all_varchar=true)",
        {"p": _utf8_copy(path)},
    ).fetchone()
    assert back[0] == 1000
    assert back[1] == pytest.approx(sum(v for v in small["members"]["revenue_eur"].to_pylist()
                                        if v is not None))


def _utf8_copy(path):
    out = path.with_name("membres-utf8.csv")
    out.write_text(path.read_bytes().decode("cp1252"), encoding="utf-8")
    return str(out)


def test_every_generated_text_fits_in_cp1252():
    texts = ([x for h in scale.HOME for x in (h[1], *h[5])] + [a[1] for a in scale.ABROAD]
             + scale.THEMES + scale.KINDS + scale.SECTORS + scale.FIRM_WORDS + scale.FIRM_NAMES
             + scale.LEGAL + scale.GROUPS)
    for text in texts:
        text.encode("cp1252")  # raises on a character French Excel could not write


def test_the_bench_ingest_path_commits_the_french_csv_at_small_scale(tmp_path):
    """`make bench` times the upload path (sniff, check, commit) on the 1 M-row members CSV;
    at small scale the same function must commit one snapshot of exactly the file's rows."""
    from bench.ingest import envol_path

    scale.build_lake(tmp_path, SMALL)
    csv = tmp_path / "membres.csv"
    rows = scale.write_members_csv(csv, SMALL)
    con = store.open_lake(store.LakeConfig(str(tmp_path / "envol.ducklake"), tmp_path / "files"),
                          seed_dir=None)
    try:
        before = store.current_version(con)
        steps = envol_path(con, csv.read_bytes(), "membres.csv", rows)
        assert store.current_version(con) == before + 1
        assert con.execute("SELECT count(*) FROM lake.members").fetchone()[0] == rows == 1000
        assert set(steps) >= {"sniff", "check", "commit"}
    finally:
        con.close()
