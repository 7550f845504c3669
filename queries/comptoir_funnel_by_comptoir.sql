-- Comptoir programme funnel per comptoir of the selected clusters as of snapshot $version: firms whose furthest stage is at least candidate, selected, hosted, exporting, with the comptoir's country, city, status, GIE minimum and sources.
-- access: aggregate
WITH m AS (
    SELECT
        comptoir_id,
        -- furthest stage reached, 1..4 (0: none); order = the contract's enum
        coalesce(list_position(['candidate', 'selected', 'hosted', 'exporting'], comptoir_stage),
                 0) AS reached,
        source_id
    FROM lake.members AT (VERSION => $version)
    WHERE comptoir_id IS NOT NULL
),
per_comptoir AS (
    SELECT
        comptoir_id,
        count(*) FILTER (WHERE reached >= 1) AS candidate,
        count(*) FILTER (WHERE reached >= 2) AS selected,
        count(*) FILTER (WHERE reached >= 3) AS hosted,
        count(*) FILTER (WHERE reached >= 4) AS exporting,
        coalesce(list(DISTINCT source_id) FILTER (WHERE reached >= 1), []) AS member_sources
    FROM m
    GROUP BY comptoir_id
)
SELECT
    k.comptoir_id,
    k.cluster_id,
    c.name AS cluster_name,
    k.country_iso3,
    k.city,
    k.status,
    k.opened_on,
    k.min_members,
    k.capacity_firms,
    coalesce(p.candidate, 0) AS candidate,
    coalesce(p.selected, 0) AS selected,
    coalesce(p.hosted, 0) AS hosted,
    coalesce(p.exporting, 0) AS exporting,
    list_sort(list_distinct(list_concat([k.source_id], coalesce(p.member_sources, []))))
        AS sources
FROM lake.comptoirs AS k AT (VERSION => $version)
LEFT JOIN lake.clusters AS c AT (VERSION => $version) ON c.cluster_id = k.cluster_id
LEFT JOIN per_comptoir AS p ON p.comptoir_id = k.comptoir_id
WHERE list_contains($clusters, k.cluster_id)
ORDER BY lower(c.name), k.country_iso3, k.comptoir_id
