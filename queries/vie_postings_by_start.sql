-- VIE postings of the selected clusters as of snapshot $version, by start date (undated last), with their cluster's name: $rows of them from position $first (0-based), a page of the table or the timeline's latest starts.
-- access: aggregate; member columns: host_company
SELECT
    v.posting_id,
    v.cluster_id,
    c.name AS cluster_name,
    v.country_iso3,
    v.city,
    v.host_company,
    v.status,
    v.start_on,
    v.end_on,
    v.firms_served,
    v.source_id
FROM lake.vie_postings AS v AT (VERSION => $version)
LEFT JOIN lake.clusters AS c AT (VERSION => $version) USING (cluster_id)
WHERE list_contains($clusters, v.cluster_id)
ORDER BY v.start_on NULLS LAST, v.country_iso3, v.posting_id
LIMIT $rows OFFSET $first
