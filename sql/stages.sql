-- Journey stages (journeys.md §1 "Next step and stages"): a user reaches a stage at the earliest
-- event that satisfies one of its rules. A rule is an event name, optionally restricted to events whose
-- string parameter @rN_key is one of @rN_values, and an occurrence n: the rule is met at the user's
-- n-th matching event (2 = a second purchase, a returning session_start). Events are ordered by
-- event_timestamp, batch_ordering_id, batch_event_index (NULL as 0). Consent-mode events (no
-- user_pseudo_id) reach no stage; they are counted as events_without_user.
-- Per stage: users. Per consecutive pair (k, k+1): users who reached k+1 at or after reaching k, and
-- the exact median of the time between (seconds). Exit pages: for sessions without the goal event,
-- the page path (page_location without scheme and host) of the session's last page_view, top @top_pages.
-- Rule values are bound in slots @r1_* .. @r24_*; the template expands only the slots in use.
-- @context {"rules": [{"n": 1, "stage": 1, "hasKey": false, "keyRef": "@r1_key"}, {"n": 2, "stage": 2, "hasKey": true, "keyRef": "@r2_key"}], "pairs": [1]}
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param top_pages INT64 10
-- @param r1_event STRING page_view
-- @param r1_occurrence INT64 1
-- @param r1_key STRING page_location
-- @param r1_values ARRAY<STRING> x
-- @param r2_event STRING page_view
-- @param r2_occurrence INT64 1
-- @param r2_key STRING page_location
-- @param r2_values ARRAY<STRING> x
-- @param r3_event STRING page_view
-- @param r3_occurrence INT64 1
-- @param r3_key STRING page_location
-- @param r3_values ARRAY<STRING> x
-- @param r4_event STRING page_view
-- @param r4_occurrence INT64 1
-- @param r4_key STRING page_location
-- @param r4_values ARRAY<STRING> x
-- @param r5_event STRING page_view
-- @param r5_occurrence INT64 1
-- @param r5_key STRING page_location
-- @param r5_values ARRAY<STRING> x
-- @param r6_event STRING page_view
-- @param r6_occurrence INT64 1
-- @param r6_key STRING page_location
-- @param r6_values ARRAY<STRING> x
-- @param r7_event STRING page_view
-- @param r7_occurrence INT64 1
-- @param r7_key STRING page_location
-- @param r7_values ARRAY<STRING> x
-- @param r8_event STRING page_view
-- @param r8_occurrence INT64 1
-- @param r8_key STRING page_location
-- @param r8_values ARRAY<STRING> x
-- @param r9_event STRING page_view
-- @param r9_occurrence INT64 1
-- @param r9_key STRING page_location
-- @param r9_values ARRAY<STRING> x
-- @param r10_event STRING page_view
-- @param r10_occurrence INT64 1
-- @param r10_key STRING page_location
-- @param r10_values ARRAY<STRING> x
-- @param r11_event STRING page_view
-- @param r11_occurrence INT64 1
-- @param r11_key STRING page_location
-- @param r11_values ARRAY<STRING> x
-- @param r12_event STRING page_view
-- @param r12_occurrence INT64 1
-- @param r12_key STRING page_location
-- @param r12_values ARRAY<STRING> x
-- @param r13_event STRING page_view
-- @param r13_occurrence INT64 1
-- @param r13_key STRING page_location
-- @param r13_values ARRAY<STRING> x
-- @param r14_event STRING page_view
-- @param r14_occurrence INT64 1
-- @param r14_key STRING page_location
-- @param r14_values ARRAY<STRING> x
-- @param r15_event STRING page_view
-- @param r15_occurrence INT64 1
-- @param r15_key STRING page_location
-- @param r15_values ARRAY<STRING> x
-- @param r16_event STRING page_view
-- @param r16_occurrence INT64 1
-- @param r16_key STRING page_location
-- @param r16_values ARRAY<STRING> x
-- @param r17_event STRING page_view
-- @param r17_occurrence INT64 1
-- @param r17_key STRING page_location
-- @param r17_values ARRAY<STRING> x
-- @param r18_event STRING page_view
-- @param r18_occurrence INT64 1
-- @param r18_key STRING page_location
-- @param r18_values ARRAY<STRING> x
-- @param r19_event STRING page_view
-- @param r19_occurrence INT64 1
-- @param r19_key STRING page_location
-- @param r19_values ARRAY<STRING> x
-- @param r20_event STRING page_view
-- @param r20_occurrence INT64 1
-- @param r20_key STRING page_location
-- @param r20_values ARRAY<STRING> x
-- @param r21_event STRING page_view
-- @param r21_occurrence INT64 1
-- @param r21_key STRING page_location
-- @param r21_values ARRAY<STRING> x
-- @param r22_event STRING page_view
-- @param r22_occurrence INT64 1
-- @param r22_key STRING page_location
-- @param r22_values ARRAY<STRING> x
-- @param r23_event STRING page_view
-- @param r23_occurrence INT64 1
-- @param r23_key STRING page_location
-- @param r23_values ARRAY<STRING> x
-- @param r24_event STRING page_view
-- @param r24_occurrence INT64 1
-- @param r24_key STRING page_location
-- @param r24_values ARRAY<STRING> x
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
rule_hits AS (
  {{#each rules}}
  {{#unless @first}}
  UNION ALL
  {{/unless}}
  SELECT user_pseudo_id, {{stage}} AS stage, event_timestamp
  FROM (
    SELECT
      user_pseudo_id,
      event_timestamp,
      ROW_NUMBER() OVER (
        PARTITION BY user_pseudo_id
        ORDER BY event_timestamp, COALESCE(batch_ordering_id, 0), COALESCE(batch_event_index, 0)
      ) AS occurrence
    FROM scoped_events
    WHERE user_pseudo_id IS NOT NULL
      AND event_name = @r{{n}}_event
      {{#if hasKey}}
      AND {{param 'string' keyRef}} IN UNNEST(@r{{n}}_values)
      {{/if}}
  )
  WHERE occurrence = @r{{n}}_occurrence
  {{/each}}
),
stage_reach AS (
  SELECT user_pseudo_id, stage, MIN(event_timestamp) AS reached_us
  FROM rule_hits
  GROUP BY user_pseudo_id, stage
),
progress AS (
  SELECT a.stage, b.event_timestamp - a.event_timestamp AS gap_us
  FROM (SELECT user_pseudo_id, stage, reached_us AS event_timestamp FROM stage_reach) AS a
  JOIN (SELECT user_pseudo_id, stage, reached_us AS event_timestamp FROM stage_reach) AS b
    ON b.user_pseudo_id = a.user_pseudo_id AND b.stage = a.stage + 1
    AND b.event_timestamp >= a.event_timestamp
),
progress_ranked AS (
  SELECT
    stage,
    gap_us,
    ROW_NUMBER() OVER (PARTITION BY stage ORDER BY gap_us) AS rn,
    COUNT(*) OVER (PARTITION BY stage) AS cnt
  FROM progress
),
sessions AS (
  SELECT
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    event_name,
    event_timestamp,
    COALESCE(batch_ordering_id, 0) AS batch_ordering_id,
    COALESCE(batch_event_index, 0) AS batch_event_index,
    IF(event_name = 'page_view',
      IF(REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '') = '', '/',
        REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '')),
      NULL) AS page_path
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL AND {{param 'int' 'ga_session_id'}} IS NOT NULL
),
unconverted AS (
  SELECT user_pseudo_id, ga_session_id
  FROM sessions
  GROUP BY user_pseudo_id, ga_session_id
  HAVING COUNTIF(event_name = @goal_event) = 0
),
exit_pages AS (
  SELECT s.page_path
  FROM sessions AS s
  JOIN unconverted AS u ON u.user_pseudo_id = s.user_pseudo_id AND u.ga_session_id = s.ga_session_id
  WHERE s.page_path IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY s.user_pseudo_id, s.ga_session_id
    ORDER BY s.event_timestamp DESC, s.batch_ordering_id DESC, s.batch_event_index DESC, s.page_path DESC
  ) = 1
)
SELECT 'stage' AS row_type, stage, CAST(NULL AS STRING) AS label, COUNT(*) AS n,
  CAST(NULL AS FLOAT64) AS median_s
FROM stage_reach
GROUP BY stage
UNION ALL
SELECT 'progress' AS row_type, stage, CAST(NULL AS STRING) AS label, COUNT(*) AS n,
  AVG(IF(rn = CAST(FLOOR((cnt + 1) / 2) AS INT64) OR rn = CAST(FLOOR(cnt / 2) AS INT64) + 1, gap_us, NULL)) / 1000000 AS median_s
FROM progress_ranked
GROUP BY stage
UNION ALL
SELECT 'exit_page' AS row_type, 0 AS stage, page_path AS label, n, CAST(NULL AS FLOAT64) AS median_s
FROM (
  SELECT page_path, n, ROW_NUMBER() OVER (ORDER BY n DESC, page_path) AS page_rank
  FROM (SELECT page_path, COUNT(*) AS n FROM exit_pages GROUP BY page_path)
)
WHERE page_rank <= @top_pages
UNION ALL
SELECT 'unconverted_sessions' AS row_type, 0 AS stage, CAST(NULL AS STRING) AS label, COUNT(*) AS n,
  CAST(NULL AS FLOAT64) AS median_s
FROM unconverted
UNION ALL
SELECT 'users' AS row_type, 0 AS stage, CAST(NULL AS STRING) AS label,
  COUNT(DISTINCT user_pseudo_id) AS n, CAST(NULL AS FLOAT64) AS median_s
FROM scoped_events
UNION ALL
SELECT 'events_without_user' AS row_type, 0 AS stage, CAST(NULL AS STRING) AS label,
  COUNTIF(user_pseudo_id IS NULL) AS n, CAST(NULL AS FLOAT64) AS median_s
FROM scoped_events
ORDER BY row_type, stage, n DESC, label
