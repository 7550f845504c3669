-- Every cluster as of snapshot $version (id, name, region), for the shared cluster filter.
-- access: aggregate
SELECT cluster_id, name, region
FROM lake.clusters AT (VERSION => $version)
ORDER BY lower(name)
