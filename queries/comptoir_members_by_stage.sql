-- The member firms of comptoir $comptoir_id as of snapshot $version, furthest programme stage first (exporting, hosted, selected, candidate).
-- access: member
SELECT
    member_id,
    cluster_id,
    name,
    size_class,
    comptoir_stage,
    headcount,
    revenue_eur,
    export_revenue_eur,
    coalesce(illustrative, false) AS illustrative,
    source_id
FROM lake.members AT (VERSION => $version)
WHERE comptoir_id = $comptoir_id
ORDER BY
    CASE comptoir_stage
        WHEN 'exporting' THEN 1 WHEN 'hosted' THEN 2 WHEN 'selected' THEN 3
        WHEN 'candidate' THEN 4 ELSE 5
    END,
    lower(name),
    member_id
