-- Comptoir programme funnel per selected cluster as of snapshot $version: member SMEs (micro + sme), then the firms whose furthest comptoir_stage is at least each stage, with their sources.
-- access: aggregate
-- Members are first counted per (cluster, source, SME or not, furthest stage) in one pass: the
-- lake holds a million of them, and joining each to its five stages cost a minute at EU scale.
WITH stages (stage_order, stage) AS (
    VALUES (0, 'member_smes'), (1, 'candidate'), (2, 'selected'), (3, 'hosted'), (4, 'exporting')
),
c AS (
    SELECT cluster_id, name
    FROM lake.clusters AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
),
m AS (
    SELECT
        cluster_id,
        source_id,
        size_class IN ('micro', 'sme') AS is_sme,
        -- furthest stage reached, 1..4 (0: not in the programme); order = the contract's enum
        coalesce(list_position(['candidate', 'selected', 'hosted', 'exporting'], comptoir_stage),
                 0) AS reached,
        count(*) AS firms
    FROM lake.members AT (VERSION => $version)
    WHERE list_contains($clusters, cluster_id)
    GROUP BY ALL
)
SELECT
    c.cluster_id,
    c.name AS cluster_name,
    s.stage_order,
    s.stage,
    coalesce(sum(m.firms), 0)::BIGINT AS firms,
    coalesce(list(DISTINCT m.source_id ORDER BY m.source_id)
                 FILTER (WHERE m.source_id IS NOT NULL), []) AS sources
FROM c
CROSS JOIN stages AS s
LEFT JOIN m
    ON m.cluster_id = c.cluster_id
   AND CASE WHEN s.stage_order = 0 THEN m.is_sme ELSE m.reached >= s.stage_order END
GROUP BY c.cluster_id, c.name, s.stage_order, s.stage
ORDER BY lower(c.name), s.stage_order
