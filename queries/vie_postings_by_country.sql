-- VIE postings of the selected clusters per country as of snapshot $version: in post, to recruit, completed, all, dated (with a start date), cities, hosts, clusters, sources.
-- access: aggregate; member columns: host_companies
SELECT
    v.country_iso3,
    count(*) FILTER (WHERE v.status = 'in_post') AS in_post,
    count(*) FILTER (WHERE v.status = 'to_recruit') AS to_recruit,
    count(*) FILTER (WHERE v.status = 'completed') AS completed,
    count(*) AS postings,
    count(v.start_on) AS dated,
    coalesce(list(DISTINCT v.city ORDER BY v.city) FILTER (WHERE v.city IS NOT NULL), [])
        AS cities,
    coalesce(list(DISTINCT v.host_company ORDER BY v.host_company)
        FILTER (WHERE v.host_company IS NOT NULL), []) AS host_companies,
    list(DISTINCT coalesce(c.name, v.cluster_id) ORDER BY coalesce(c.name, v.cluster_id))
        AS cluster_names,
    list(DISTINCT v.source_id ORDER BY v.source_id) AS sources
FROM lake.vie_postings AS v AT (VERSION => $version)
LEFT JOIN lake.clusters AS c AT (VERSION => $version) USING (cluster_id)
WHERE list_contains($clusters, v.cluster_id)
GROUP BY v.country_iso3
ORDER BY postings DESC, v.country_iso3
