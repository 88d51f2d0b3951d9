-- Each event's parameter keys with how many events carry them, and each key's most common values
-- (top @top_values per key, by events). Values keep their exported type: a key may hold strings
-- on some events and numbers on others. The goal picker's conditions come from here.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param top_values INT64 10
WITH params AS (
  SELECT
    e.event_name,
    p.key,
    CASE
      WHEN p.value.string_value IS NOT NULL THEN 'string'
      WHEN p.value.int_value IS NOT NULL THEN 'int'
      WHEN p.value.double_value IS NOT NULL THEN 'double'
      WHEN p.value.float_value IS NOT NULL THEN 'float'
      ELSE 'null'
    END AS value_type,
    p.value.string_value,
    p.value.int_value,
    COALESCE(p.value.double_value, p.value.float_value) AS double_value
  FROM {{events}} AS e, UNNEST(e.event_params) AS p
),
key_totals AS (
  SELECT event_name, key, COUNT(*) AS key_events
  FROM params
  GROUP BY event_name, key
),
value_counts AS (
  SELECT event_name, key, value_type, string_value, int_value, double_value, COUNT(*) AS events
  FROM params
  GROUP BY event_name, key, value_type, string_value, int_value, double_value
)
SELECT
  v.event_name,
  v.key,
  t.key_events,
  v.value_type,
  v.string_value,
  v.int_value,
  v.double_value,
  v.events
FROM value_counts AS v
JOIN key_totals AS t ON t.event_name = v.event_name AND t.key = v.key
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY v.event_name, v.key
  ORDER BY v.events DESC, v.value_type, v.string_value, v.int_value, v.double_value
) <= @top_values
ORDER BY v.event_name, t.key_events DESC, v.key, v.events DESC, v.value_type, v.string_value, v.int_value, v.double_value
