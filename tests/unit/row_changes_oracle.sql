-- Rows of every lake table at snapshot $previous and at $version, and how many differ: rows added or changed, rows removed or changed.
-- access: lake
-- A row counts as changed when any of its values differs; a changed row is counted once in each direction.
SELECT
    'sources' AS table_name,
    (SELECT count(*) FROM lake.sources AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.sources AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.sources AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.sources AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.sources AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.sources AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'clusters' AS table_name,
    (SELECT count(*) FROM lake.clusters AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.clusters AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.clusters AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.clusters AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.clusters AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.clusters AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'members' AS table_name,
    (SELECT count(*) FROM lake.members AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.members AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.members AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.members AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.members AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.members AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'comptoirs' AS table_name,
    (SELECT count(*) FROM lake.comptoirs AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.comptoirs AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.comptoirs AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.comptoirs AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.comptoirs AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.comptoirs AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'vie_postings' AS table_name,
    (SELECT count(*) FROM lake.vie_postings AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.vie_postings AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.vie_postings AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.vie_postings AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.vie_postings AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.vie_postings AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'survey_results' AS table_name,
    (SELECT count(*) FROM lake.survey_results AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.survey_results AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.survey_results AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.survey_results AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.survey_results AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.survey_results AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'sponsorships' AS table_name,
    (SELECT count(*) FROM lake.sponsorships AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.sponsorships AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.sponsorships AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.sponsorships AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.sponsorships AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.sponsorships AS r AT (VERSION => $version))) AS rows_removed
UNION ALL
SELECT
    'targets' AS table_name,
    (SELECT count(*) FROM lake.targets AT (VERSION => $previous)) AS rows_before,
    (SELECT count(*) FROM lake.targets AT (VERSION => $version)) AS rows_now,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.targets AS r AT (VERSION => $version)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.targets AS r AT (VERSION => $previous))) AS rows_added,
    (SELECT count(*) FROM (
        SELECT r::VARCHAR FROM lake.targets AS r AT (VERSION => $previous)
        EXCEPT ALL
        SELECT r::VARCHAR FROM lake.targets AS r AT (VERSION => $version))) AS rows_removed
