-- For each table, the commit that produced its state as of snapshot $version (who, when, file, rows).
-- access: lake
SELECT
    json_extract_string(commit_extra_info, '$.table') AS table_name,
    arg_max(snapshot_id, snapshot_id) AS snapshot_id,
    arg_max(snapshot_time, snapshot_id) AS snapshot_time,
    arg_max(author, snapshot_id) AS author,
    arg_max(commit_message, snapshot_id) AS commit_message,
    arg_max(json_extract_string(commit_extra_info, '$.file'), snapshot_id) AS file_name,
    arg_max(TRY_CAST(json_extract_string(commit_extra_info, '$.rows') AS BIGINT), snapshot_id)
        AS row_count
FROM lake.snapshots()
WHERE snapshot_id <= $version
  AND json_extract_string(commit_extra_info, '$.table') IS NOT NULL
GROUP BY ALL
ORDER BY table_name
