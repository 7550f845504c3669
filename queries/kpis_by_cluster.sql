-- Overview KPIs per selected cluster as of snapshot $version, with the source ids behind each KPI.
-- access: aggregate
-- Every table is filtered to the selected clusters before it is aggregated (the lake holds
-- thousands of clusters), and members are counted per (cluster, source) in one pass first.
WITH c AS (
    SELECT *
    FROM lake.clusters AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
),
ms AS (
    SELECT
        cluster_id,
        source_id,
        count(*) AS members,
        count(*) FILTER (WHERE size_class IN ('micro', 'sme')) AS smes,
        count(*) FILTER (WHERE comptoir_stage IN ('hosted', 'exporting')) AS firms_hosted,
        count(*) FILTER (WHERE illustrative) AS illustrative_members
    FROM lake.members AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
    GROUP BY cluster_id, source_id
),
m AS (
    SELECT
        cluster_id,
        sum(members)::BIGINT AS members,
        sum(smes)::BIGINT AS smes,
        sum(firms_hosted)::BIGINT AS firms_hosted,
        sum(illustrative_members)::BIGINT AS illustrative_members,
        list(source_id ORDER BY source_id) AS member_sources,
        list(source_id ORDER BY source_id) FILTER (WHERE firms_hosted > 0) AS hosted_sources
    FROM ms
    GROUP BY cluster_id
),
k AS (
    SELECT
        cluster_id,
        count(*) AS comptoirs,
        count(*) FILTER (WHERE status = 'operational') AS comptoirs_operational,
        count(*) FILTER (WHERE illustrative) AS illustrative_comptoirs,
        list(DISTINCT source_id ORDER BY source_id) AS comptoir_sources
    FROM lake.comptoirs AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
    GROUP BY cluster_id
),
v AS (
    SELECT
        cluster_id,
        count(*) FILTER (WHERE status = 'in_post') AS vie_in_post,
        count(*) FILTER (WHERE status = 'to_recruit') AS vie_to_recruit,
        list(DISTINCT source_id ORDER BY source_id) AS vie_sources
    FROM lake.vie_postings AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
    GROUP BY cluster_id
),
p AS (
    SELECT
        mm.cluster_id,
        count(*) FILTER (WHERE s.stage = 'supported') AS portage_supported,
        list(DISTINCT s.source_id ORDER BY s.source_id) AS portage_sources
    FROM lake.sponsorships AS s AT (VERSION => $version)
    JOIN lake.members AS mm AT (VERSION => $version) USING (member_id)
    WHERE list_contains($clusters, mm.cluster_id)
    GROUP BY mm.cluster_id
)
SELECT
    c.cluster_id,
    c.name,
    c.region,
    coalesce(m.members, 0) AS members,
    c.reported_members,
    coalesce(m.smes, 0) AS smes,
    c.reported_smes,
    c.reported_jobs AS jobs,
    c.labelled_projects,
    c.funded_projects,
    c.public_funding_eur,
    coalesce(k.comptoirs, 0) AS comptoirs,
    coalesce(k.comptoirs_operational, 0) AS comptoirs_operational,
    coalesce(m.firms_hosted, 0) AS firms_hosted,
    coalesce(v.vie_in_post, 0) AS vie_in_post,
    coalesce(v.vie_to_recruit, 0) AS vie_to_recruit,
    coalesce(p.portage_supported, 0) AS portage_supported,
    coalesce(m.illustrative_members, 0) + coalesce(k.illustrative_comptoirs, 0)
        AS illustrative_rows,
    [c.source_id] AS cluster_sources,
    coalesce(m.member_sources, []) AS member_sources,
    coalesce(m.hosted_sources, []) AS hosted_sources,
    coalesce(k.comptoir_sources, []) AS comptoir_sources,
    coalesce(v.vie_sources, []) AS vie_sources,
    coalesce(p.portage_sources, []) AS portage_sources
FROM c
LEFT JOIN m USING (cluster_id)
LEFT JOIN k USING (cluster_id)
LEFT JOIN v USING (cluster_id)
LEFT JOIN p USING (cluster_id)
ORDER BY lower(c.name)
