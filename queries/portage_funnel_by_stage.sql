-- Portage (Pacte PME) funnel per year as of snapshot $version: requests whose furthest stage is at least requested, endorsed, reviewed, matched, supported, with their sources.
-- access: aggregate
WITH stages (stage_order, stage) AS (
    VALUES (1, 'requested'), (2, 'endorsed'), (3, 'reviewed'), (4, 'matched'), (5, 'supported')
),
s AS (
    SELECT
        sponsorship_id,
        year,
        source_id,
        -- furthest stage reached, 1..5; order = the contract's enum
        coalesce(list_position(['requested', 'endorsed', 'reviewed', 'matched', 'supported'],
                               stage), 0) AS reached
    FROM lake.sponsorships AT (VERSION => $version)
),
years AS (
    SELECT DISTINCT year FROM s
)
SELECT
    y.year,
    st.stage_order,
    st.stage,
    count(s.sponsorship_id) AS requests,
    coalesce(list(DISTINCT s.source_id ORDER BY s.source_id)
                 FILTER (WHERE s.source_id IS NOT NULL), []) AS sources
FROM years AS y
CROSS JOIN stages AS st
LEFT JOIN s ON s.year = y.year AND s.reached >= st.stage_order
GROUP BY ALL
ORDER BY y.year, st.stage_order
