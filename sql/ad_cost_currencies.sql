-- The currencies of the ad costs already imported: a file in another currency is refused, as
-- costs are summed.
SELECT DISTINCT currency
FROM {{costs}}
WHERE currency IS NOT NULL
