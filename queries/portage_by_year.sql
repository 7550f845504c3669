-- Pacte PME portage per year as of snapshot $version: requests per furthest stage, review days, sources.
-- access: aggregate
SELECT
    year,
    count(*) AS requests,
    count(*) FILTER (WHERE stage = 'supported') AS supported,
    count(*) FILTER (WHERE stage = 'matched') AS matched,
    avg(review_days) AS review_days_mean,
    count(DISTINCT sponsor) AS sponsors,
    count(*) FILTER (WHERE illustrative) AS illustrative_rows,
    list(DISTINCT source_id ORDER BY source_id) AS sources
FROM lake.sponsorships AT (VERSION => $version)
GROUP BY year
ORDER BY year
