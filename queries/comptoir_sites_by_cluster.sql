-- The comptoirs of the selected clusters as of snapshot $version: place, status, opening, firms hosted in each, source.
WITH hosted AS (
    SELECT comptoir_id, count(*) AS firms_hosted
    FROM lake.members AT (VERSION => $version)
    WHERE comptoir_stage IN ('hosted', 'exporting')
    GROUP BY comptoir_id
)
SELECT
    k.comptoir_id,
    k.cluster_id,
    c.name AS cluster_name,
    k.country_iso3,
    k.city,
    k.lat,
    k.lon,
    k.status,
    k.opened_on,
    k.min_members,
    coalesce(h.firms_hosted, 0) AS firms_hosted,
    k.local_sector_jobs,
    k.illustrative,
    k.source_id
FROM lake.comptoirs AS k AT (VERSION => $version)
JOIN lake.clusters AS c AT (VERSION => $version) ON c.cluster_id = k.cluster_id
LEFT JOIN hosted AS h ON h.comptoir_id = k.comptoir_id
WHERE list_contains($clusters, k.cluster_id)
ORDER BY lower(c.name), k.opened_on NULLS LAST, k.country_iso3
