-- Rows of every lake table at snapshot $previous and at $version, and how many differ: rows added or changed, rows removed or changed.
-- access: lake
-- A row counts as changed when any of its values differs; a changed row is counted once in each
-- direction. Counts are of a multiset difference (`now EXCEPT ALL before` and the reverse): a row
-- present twice before and once now is one removed.
--
-- How (the spec, kept as the oracle in tests/unit/test_row_changes.py, compared the rows' text,
-- `r::VARCHAR ... EXCEPT ALL`, and peaked at 1.7 GB for 25 s on the 1 M-row members table):
-- 1. `touched`: the tables that some snapshot after the older version, up to the newer one,
--    changed. DuckLake lists in `snapshots().changes` every table a snapshot inserted into,
--    deleted from, altered, created or dropped (by table id, or by qualified name when created);
--    ids are matched through the catalog's `ducklake_table`, which keeps every id a name ever
--    had. Any other table holds the same rows at both versions: 0 added, 0 removed, and its rows
--    are not read (each scan's `WHERE` is false). Envol's own commits replace a whole table
--    (DELETE + INSERT, envol/store.py), so the change feed says which tables, never which rows.
-- 2. A touched table's rows are compared by a 64-bit `hash(r)` of the whole row: one pass over
--    each version keeps (hash, +1 now / -1 before), 9 bytes a row instead of the row's text.
--    Per hash, n = (rows now) - (rows before) with that hash; moved = sum(|n|). Since
--    sum(n) = rows_now - rows_before, rows_added = sum(max(n, 0)) = (moved + rows_now -
--    rows_before) / 2 and rows_removed = (moved - rows_now + rows_before) / 2. The hashes are
--    grouped in 8 slices (the top 3 bits), one after another, so the hash table holds an eighth
--    of them at a time (measured on 2 M hashes: +50 MB instead of +146 MB, for ~0.3 s more).
--    Collision risk (what is shown is a count, not which rows): a count is off only when two
--    DIFFERENT rows of a table get the same hash; it is then one lower in each direction than
--    the text form's. DuckDB hashes a row by mixing each column's hash into the previous ones
--    with bijective multiply-xorshift steps, and hashes numbers and dates bijectively: rows that
--    differ only in numbers, dates or booleans never collide, and rows differing in two or more
--    columns collide with probability about 2^-64 a pair (members, 1 M rows: under 1e-7 for a
--    whole comparison even counting every pair of rows). The weak spot is a row whose only
--    change is inside ONE text column longer than 8 bytes, at the same length, in two 8-byte
--    blocks and near their high bytes: DuckDB's string hash is an xor-multiply chain, and such
--    an edit can collide (two edits each in the last byte of its block: about 1 in 256).
--    Seen on the EU lake: hashing the rows' TEXT (one string) collided 2 times in 1 M rows for
--    edits of two digits; hashing the row itself (columns apart), as here, gave the text form's
--    counts for all 10 pairs of EU-lake snapshots compared (2 M rows each, both orders, equal
--    versions) and on the small lakes of tests/unit/test_row_changes.py.
--    Also, hash() treats -0.0 as 0.0 and every NaN alike, as DuckDB's `=` does, where the text
--    form told "-0.0" from "0.0" and "-nan" from "nan": a row whose only change is the sign of
--    a zero or of a NaN counts as unchanged here.
WITH
touched AS (
    SELECT DISTINCT t.table_name
    FROM __ducklake_metadata_lake.ducklake_table AS t, lake.snapshots() AS s
    WHERE s.snapshot_id > least($previous, $version)
      AND s.snapshot_id <= greatest($previous, $version)
      AND (list_contains(flatten(map_values(s.changes)), t.table_id::VARCHAR)
           OR list_contains(flatten(map_values(s.changes)), 'main.' || t.table_name))),
sources_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.sources AS r AT (VERSION => $version)
    WHERE 'sources' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.sources AS r AT (VERSION => $previous)
    WHERE 'sources' IN (SELECT table_name FROM touched)),
sources_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
clusters_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.clusters AS r AT (VERSION => $version)
    WHERE 'clusters' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.clusters AS r AT (VERSION => $previous)
    WHERE 'clusters' IN (SELECT table_name FROM touched)),
clusters_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
members_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.members AS r AT (VERSION => $version)
    WHERE 'members' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.members AS r AT (VERSION => $previous)
    WHERE 'members' IN (SELECT table_name FROM touched)),
members_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
comptoirs_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.comptoirs AS r AT (VERSION => $version)
    WHERE 'comptoirs' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.comptoirs AS r AT (VERSION => $previous)
    WHERE 'comptoirs' IN (SELECT table_name FROM touched)),
comptoirs_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
vie_postings_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.vie_postings AS r AT (VERSION => $version)
    WHERE 'vie_postings' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.vie_postings AS r AT (VERSION => $previous)
    WHERE 'vie_postings' IN (SELECT table_name FROM touched)),
vie_postings_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
survey_results_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.survey_results AS r AT (VERSION => $version)
    WHERE 'survey_results' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.survey_results AS r AT (VERSION => $previous)
    WHERE 'survey_results' IN (SELECT table_name FROM touched)),
survey_results_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
sponsorships_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.sponsorships AS r AT (VERSION => $version)
    WHERE 'sponsorships' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.sponsorships AS r AT (VERSION => $previous)
    WHERE 'sponsorships' IN (SELECT table_name FROM touched)),
sponsorships_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
targets_rows AS MATERIALIZED (
    SELECT hash(r) AS h, 1::TINYINT AS side FROM lake.targets AS r AT (VERSION => $version)
    WHERE 'targets' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT hash(r) AS h, -1::TINYINT AS side FROM lake.targets AS r AT (VERSION => $previous)
    WHERE 'targets' IN (SELECT table_name FROM touched)),
targets_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE h >> 61 = 7 GROUP BY h)) AS moved),
counts AS (
SELECT 0 AS ord, 'sources' AS table_name,
    (SELECT count(*) FROM lake.sources AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.sources AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM sources_moved) AS moved
UNION ALL
SELECT 1 AS ord, 'clusters' AS table_name,
    (SELECT count(*) FROM lake.clusters AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.clusters AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM clusters_moved) AS moved
UNION ALL
SELECT 2 AS ord, 'members' AS table_name,
    (SELECT count(*) FROM lake.members AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.members AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM members_moved) AS moved
UNION ALL
SELECT 3 AS ord, 'comptoirs' AS table_name,
    (SELECT count(*) FROM lake.comptoirs AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.comptoirs AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM comptoirs_moved) AS moved
UNION ALL
SELECT 4 AS ord, 'vie_postings' AS table_name,
    (SELECT count(*) FROM lake.vie_postings AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.vie_postings AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM vie_postings_moved) AS moved
UNION ALL
SELECT 5 AS ord, 'survey_results' AS table_name,
    (SELECT count(*) FROM lake.survey_results AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.survey_results AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM survey_results_moved) AS moved
UNION ALL
SELECT 6 AS ord, 'sponsorships' AS table_name,
    (SELECT count(*) FROM lake.sponsorships AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.sponsorships AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM sponsorships_moved) AS moved
UNION ALL
SELECT 7 AS ord, 'targets' AS table_name,
    (SELECT count(*) FROM lake.targets AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.targets AT (VERSION => $version)) AS rows_now,
    (SELECT moved FROM targets_moved) AS moved)
SELECT table_name, rows_before, rows_now,
    ((moved + rows_now - rows_before) // 2)::BIGINT AS rows_added,
    ((moved - rows_now + rows_before) // 2)::BIGINT AS rows_removed
FROM counts
ORDER BY ord
