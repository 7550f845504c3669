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
-- 2. A touched table's rows are compared by the MD5 of each row's text (`md5_number(r::VARCHAR)`,
--    128 bits): equal texts, equal keys, so the spec's own notion of "changed" (the text form)
--    is kept, -0.0 against 0.0 included. One pass over each version keeps (key, +1 now / -1
--    before), 17 bytes a row instead of the row's text. Per key, n = (rows now) - (rows before)
--    with that key; moved = sum(|n|). Since sum(n) = rows_now - rows_before, rows_added =
--    sum(max(n, 0)) = (moved + rows_now - rows_before) / 2 and rows_removed = (moved - rows_now
--    + rows_before) / 2. The keys are grouped in 8 slices (their low 3 bits), one after
--    another, so the hash table holds an eighth of them at a time (measured with 64-bit keys on
--    2 M rows: +50 MB instead of +146 MB, for ~0.3 s more).
--    Why MD5 and not DuckDB's 64-bit `hash()`: that hash mixes strings with a weak
--    xor-multiply chain, and near-identical texts collide. On the EU lake `hash(r::VARCHAR)`
--    counted 85,997 changed members where there were 85,999; `hash(r)` (column by column)
--    can still collide for two same-length edits inside one long text field. A collision would
--    show the board one change too few; MD5 costs ~1.7 s more on 2 M rows (0.5 s → 2.2 s) and
--    ~20 MB, and its collisions between different rows need an attack, not an analyst's typo.
WITH
touched AS (
    SELECT DISTINCT t.table_name
    FROM __ducklake_metadata_lake.ducklake_table AS t, lake.snapshots() AS s
    WHERE s.snapshot_id > least($previous, $version)
      AND s.snapshot_id <= greatest($previous, $version)
      AND (list_contains(flatten(map_values(s.changes)), t.table_id::VARCHAR)
           OR list_contains(flatten(map_values(s.changes)), 'main.' || t.table_name))),
sources_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.sources AS r AT (VERSION => $version)
    WHERE 'sources' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.sources AS r AT (VERSION => $previous)
    WHERE 'sources' IN (SELECT table_name FROM touched)),
sources_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sources_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
clusters_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.clusters AS r AT (VERSION => $version)
    WHERE 'clusters' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.clusters AS r AT (VERSION => $previous)
    WHERE 'clusters' IN (SELECT table_name FROM touched)),
clusters_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM clusters_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
members_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.members AS r AT (VERSION => $version)
    WHERE 'members' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.members AS r AT (VERSION => $previous)
    WHERE 'members' IN (SELECT table_name FROM touched)),
members_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM members_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
comptoirs_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.comptoirs AS r AT (VERSION => $version)
    WHERE 'comptoirs' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.comptoirs AS r AT (VERSION => $previous)
    WHERE 'comptoirs' IN (SELECT table_name FROM touched)),
comptoirs_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM comptoirs_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
vie_postings_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.vie_postings AS r AT (VERSION => $version)
    WHERE 'vie_postings' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.vie_postings AS r AT (VERSION => $previous)
    WHERE 'vie_postings' IN (SELECT table_name FROM touched)),
vie_postings_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM vie_postings_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
survey_results_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.survey_results AS r AT (VERSION => $version)
    WHERE 'survey_results' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.survey_results AS r AT (VERSION => $previous)
    WHERE 'survey_results' IN (SELECT table_name FROM touched)),
survey_results_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM survey_results_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
sponsorships_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.sponsorships AS r AT (VERSION => $version)
    WHERE 'sponsorships' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.sponsorships AS r AT (VERSION => $previous)
    WHERE 'sponsorships' IN (SELECT table_name FROM touched)),
sponsorships_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM sponsorships_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
targets_rows AS MATERIALIZED (
    SELECT md5_number(r::VARCHAR) AS h, 1::TINYINT AS side FROM lake.targets AS r AT (VERSION => $version)
    WHERE 'targets' IN (SELECT table_name FROM touched)
    UNION ALL
    SELECT md5_number(r::VARCHAR) AS h, -1::TINYINT AS side FROM lake.targets AS r AT (VERSION => $previous)
    WHERE 'targets' IN (SELECT table_name FROM touched)),
targets_moved AS (SELECT
        (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 0 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 1 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 2 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 3 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 4 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 5 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 6 GROUP BY h))
      + (SELECT coalesce(sum(abs(n)), 0) FROM (SELECT sum(side) AS n FROM targets_rows WHERE (h & 7) = 7 GROUP BY h)) AS moved),
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
