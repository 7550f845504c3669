-- Portage (Pacte PME) review times as of snapshot $version: per year and number of review days, the requests reviewed in that many days (rows with a review time only), with sources.
-- access: aggregate
SELECT
    year,
    review_days,
    count(*) AS requests,
    list(DISTINCT source_id ORDER BY source_id) AS sources
FROM lake.sponsorships AT (VERSION => $version)
WHERE review_days IS NOT NULL
GROUP BY year, review_days
ORDER BY year, review_days
