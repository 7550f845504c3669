-- One row per comptoir of the selected clusters as of snapshot $version: place, status, GIE figures, firms hosted, home base, sources.
-- access: aggregate
WITH hosted AS (
    SELECT
        comptoir_id,
        count(*) AS firms_hosted,
        count(*) FILTER (WHERE comptoir_stage = 'exporting') AS firms_exporting,
        list(DISTINCT source_id ORDER BY source_id) AS member_sources
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
    k.capacity_firms,
    k.budget_eur,
    k.local_principals,
    k.local_sector_jobs,
    coalesce(k.illustrative, false) AS illustrative,
    coalesce(h.firms_hosted, 0) AS firms_hosted,
    coalesce(h.firms_exporting, 0) AS firms_exporting,
    c.hq_city,
    c.lat AS hq_lat,
    c.lon AS hq_lon,
    list_sort(list_distinct(list_concat([k.source_id], coalesce(h.member_sources, []))))
        AS sources
FROM lake.comptoirs AS k AT (VERSION => $version)
LEFT JOIN lake.clusters AS c AT (VERSION => $version) USING (cluster_id)
LEFT JOIN hosted AS h USING (comptoir_id)
WHERE list_contains($clusters, k.cluster_id)
ORDER BY lower(c.name), k.country_iso3, k.comptoir_id
