-- Conversion paths of a goal (journeys.md §1 "Channel paths and attribution"), aggregated to a
-- path table (path x touch ages x counts, revenue) so the attribution models in TypeScript cost
-- nothing per event. A touch is a session (its touchpoint from the session_touchpoints partial), at
-- the session's first event. A conversion is a goal event in the range (@range_start .. @end_date);
-- a repeated transaction_id is one conversion (its first event, with the largest value logged).
-- Its path: the user's sessions that started within @lookback_us before it and after the user's
-- previous conversion, plus always the conversion's own session; touches ordered by start time.
-- Non-converting paths: each user's sessions that started in the range after their last conversion
-- (all of them for users who did not convert), within @lookback_us before the path's last touch.
-- Events are read from @start_date (the range start minus the lookback) so early paths are whole.
-- Rows: `path` (touch ids joined by commas; `ages`: each touch's whole seconds before the
-- conversion, NULL for non-converting rows), `touch` (id -> touchpoint), `total` (every conversion
-- in the range and its value, consent-mode ones included) and `without_user` (those without user_pseudo_id).
-- @context {"touchpoint": "channel", "valueKind": "param", "where": [{"id": "c1", "kind": "param", "item": false, "keyRef": "@c1_key", "fieldSql": "", "itemField": "", "op": "eq", "numeric": false}]}
-- @param start_date DATE 2020-10-02
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param range_start DATE 2020-11-01
-- @param lookback_us INT64 2592000000000
-- @param goal_event STRING purchase
-- @param value_key STRING value
-- @params condition c1..c10
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
{{> session_touchpoints}},
session_starts AS (
  SELECT
    user_pseudo_id,
    ga_session_id,
    MIN(event_timestamp) AS start_ts,
    MIN(REPLACE(table_suffix, 'intraday_', '')) AS start_day
  FROM (
    SELECT user_pseudo_id, {{param 'int' 'ga_session_id'}} AS ga_session_id, event_timestamp, table_suffix
    FROM scoped_events
    WHERE user_pseudo_id IS NOT NULL
  )
  WHERE ga_session_id IS NOT NULL
  GROUP BY user_pseudo_id, ga_session_id
),
touches AS (
  SELECT
    t.user_pseudo_id,
    t.ga_session_id,
    s.start_ts,
    s.start_day,
    {{#if (eq touchpoint 'channel')}}t.channel{{/if}}{{#if (eq touchpoint 'source_medium')}}CONCAT(t.source, ' / ', t.medium){{/if}}{{#if (eq touchpoint 'campaign')}}t.campaign{{/if}} AS touch
  FROM session_touchpoints AS t
  JOIN session_starts AS s ON s.user_pseudo_id = t.user_pseudo_id AND s.ga_session_id = t.ga_session_id
),
goal_events AS (
  SELECT
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    event_timestamp AS ts,
    COALESCE(batch_ordering_id, 0) AS bo,
    COALESCE(batch_event_index, 0) AS bi,
    REPLACE(table_suffix, 'intraday_', '') >= FORMAT_DATE('%Y%m%d', @range_start) AS in_range,
    COALESCE(ecommerce.transaction_id, {{param 'string' 'transaction_id'}}) AS transaction_id,
    {{#if (eq valueKind 'none')}}CAST(0 AS FLOAT64){{/if}}{{#if (eq valueKind 'revenue')}}COALESCE(ecommerce.purchase_revenue, 0){{/if}}{{#if (eq valueKind 'param')}}COALESCE({{param 'number' '@value_key'}}, 0){{/if}} AS value
  FROM scoped_events
  WHERE event_name = @goal_event{{#each where}}
    AND {{> condition}}{{/each}}
),
deduplicated AS (
  SELECT
    user_pseudo_id, ga_session_id, ts, bo, bi, in_range,
    IF(transaction_id IS NULL, value, tx_value) AS value
  FROM (
    SELECT
      *,
      ROW_NUMBER() OVER (
        PARTITION BY transaction_id
        ORDER BY ts, bo, bi, COALESCE(user_pseudo_id, ''), COALESCE(ga_session_id, 0), value
      ) AS occurrence,
      MAX(value) OVER (PARTITION BY transaction_id) AS tx_value
    FROM goal_events
  )
  WHERE transaction_id IS NULL OR occurrence = 1
),
conversions AS (
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY user_pseudo_id ORDER BY ts, bo, bi, COALESCE(ga_session_id, 0), value) AS conv_n,
    LAG(ts) OVER (PARTITION BY user_pseudo_id ORDER BY ts, bo, bi, COALESCE(ga_session_id, 0), value) AS prev_ts
  FROM deduplicated
  WHERE user_pseudo_id IS NOT NULL
),
conversion_touches AS (
  SELECT c.user_pseudo_id, c.conv_n, c.value, t.touch, t.start_ts, t.ga_session_id, DIV(c.ts - t.start_ts, 1000000) AS age_s
  FROM conversions AS c
  JOIN touches AS t
    ON t.user_pseudo_id = c.user_pseudo_id
    AND t.start_ts <= c.ts
    AND (
      t.ga_session_id = COALESCE(c.ga_session_id, -1)
      OR (t.start_ts >= c.ts - @lookback_us AND (c.prev_ts IS NULL OR t.start_ts > c.prev_ts))
    )
  WHERE c.in_range
),
trailing_touches AS (
  SELECT *
  FROM (
    SELECT t.user_pseudo_id, t.touch, t.start_ts, t.ga_session_id, MAX(t.start_ts) OVER (PARTITION BY t.user_pseudo_id) AS end_ts
    FROM touches AS t
    LEFT JOIN (
      SELECT user_pseudo_id, MAX(ts) AS last_ts FROM conversions GROUP BY user_pseudo_id
    ) AS l ON l.user_pseudo_id = t.user_pseudo_id
    WHERE t.start_day >= FORMAT_DATE('%Y%m%d', @range_start)
      AND (l.last_ts IS NULL OR t.start_ts > l.last_ts)
  )
  WHERE start_ts >= end_ts - @lookback_us
),
touch_ids AS (
  SELECT touch, ROW_NUMBER() OVER (ORDER BY touch) AS touch_id
  FROM (
    SELECT DISTINCT touch FROM conversion_touches
    UNION DISTINCT
    SELECT DISTINCT touch FROM trailing_touches
  )
),
conversion_paths AS (
  SELECT
    c.user_pseudo_id,
    c.conv_n,
    MAX(c.value) AS value,
    STRING_AGG(CAST(i.touch_id AS STRING), ',' ORDER BY c.start_ts, c.ga_session_id) AS path,
    STRING_AGG(CAST(c.age_s AS STRING), ',' ORDER BY c.start_ts, c.ga_session_id) AS ages
  FROM conversion_touches AS c
  JOIN touch_ids AS i ON i.touch = c.touch
  GROUP BY c.user_pseudo_id, c.conv_n
),
trailing_paths AS (
  SELECT
    t.user_pseudo_id,
    STRING_AGG(CAST(i.touch_id AS STRING), ',' ORDER BY t.start_ts, t.ga_session_id) AS path
  FROM trailing_touches AS t
  JOIN touch_ids AS i ON i.touch = t.touch
  GROUP BY t.user_pseudo_id
)
SELECT 'path' AS row_type, path, ages, COUNT(*) AS conversions, 0 AS non_conversions, SUM(value) AS revenue, CAST(NULL AS STRING) AS touch
FROM conversion_paths
GROUP BY path, ages
UNION ALL
SELECT 'path', path, CAST(NULL AS STRING), 0, COUNT(*), CAST(0 AS FLOAT64), CAST(NULL AS STRING)
FROM trailing_paths
GROUP BY path
UNION ALL
SELECT 'touch', CAST(touch_id AS STRING), CAST(NULL AS STRING), 0, 0, CAST(0 AS FLOAT64), touch
FROM touch_ids
UNION ALL
SELECT 'total', CAST(NULL AS STRING), CAST(NULL AS STRING), COUNT(*), 0, COALESCE(SUM(value), 0), CAST(NULL AS STRING)
FROM deduplicated
WHERE in_range
UNION ALL
SELECT 'without_user', CAST(NULL AS STRING), CAST(NULL AS STRING), COUNT(*), 0, COALESCE(SUM(value), 0), CAST(NULL AS STRING)
FROM deduplicated
WHERE in_range AND user_pseudo_id IS NULL
