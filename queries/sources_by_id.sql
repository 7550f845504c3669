-- The sources table as of snapshot $version: every document or upload that backs a row.
-- access: aggregate
SELECT source_id, title, outlet, author, published_on, date_is_approximate, url, note
FROM lake.sources AT (VERSION => $version)
ORDER BY source_id
