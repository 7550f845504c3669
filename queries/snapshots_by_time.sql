-- Every data commit of the lake, newest first, with its commit metadata (author, message, table, file, rows).
-- access: lake
SELECT
    snapshot_id,
    snapshot_time,
    author,
    commit_message,
    json_extract_string(commit_extra_info, '$.table') AS table_name,
    json_extract_string(commit_extra_info, '$.mode') AS mode,
    json_extract_string(commit_extra_info, '$.file') AS file_name,
    json_extract_string(commit_extra_info, '$.sha256') AS sha256,
    TRY_CAST(json_extract_string(commit_extra_info, '$.rows') AS BIGINT) AS row_count
FROM lake.snapshots()
WHERE json_extract_string(commit_extra_info, '$.table') IS NOT NULL
ORDER BY snapshot_id DESC
