-- The content keys, among @keys, of offline events already imported: an import loads only the
-- other rows, so importing a file again changes nothing.
-- @param keys ARRAY<STRING> 4f2a,9c1e
SELECT content_key
FROM {{offline_events}}
WHERE content_key IN UNNEST(@keys)
