-- Earlier commits of the file with this sha256 to table $table (same bytes uploaded again), newest first.
-- access: lake
SELECT
    snapshot_id,
    snapshot_time,
    author,
    commit_message,
    json_extract_string(commit_extra_info, '$.file') AS file_name,
    TRY_CAST(json_extract_string(commit_extra_info, '$.rows') AS BIGINT) AS row_count
FROM lake.snapshots()
WHERE json_extract_string(commit_extra_info, '$.table') = $table
  AND json_extract_string(commit_extra_info, '$.sha256') = $sha256
ORDER BY snapshot_id DESC
