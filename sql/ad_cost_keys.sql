-- The keys, among @keys, of ad-cost rows already imported: an import counts which of its rows
-- replace one and which are new. A key is the day, then each of source and medium after its
-- length in characters, then the campaign id, so no two keys spell the same text.
-- @param keys ARRAY<STRING> 2020-11-01 6:google3:cpc111
SELECT cost_key
FROM (
  SELECT
    CONCAT(
      CAST(date AS STRING), ' ',
      CAST(CHAR_LENGTH(utm_source) AS STRING), ':', utm_source,
      CAST(CHAR_LENGTH(utm_medium) AS STRING), ':', utm_medium,
      utm_id
    ) AS cost_key
  FROM {{costs}}
)
WHERE cost_key IN UNNEST(@keys)
