-- Programme budgets and targets as of snapshot $version for the selected clusters and national ones.
-- access: aggregate
SELECT target_id, cluster_id, programme, metric, value_low, value_high, start_year, end_year,
       source_id
FROM lake.targets AT (VERSION => $version)
WHERE cluster_id IS NULL OR list_contains($clusters, cluster_id)
ORDER BY programme, cluster_id NULLS FIRST, metric, target_id
