-- The snapshot id current at timestamp $as_of (NULL when the lake did not exist yet).
SELECT max(snapshot_id) AS snapshot_id
FROM lake.snapshots()
WHERE snapshot_time <= $as_of
