-- Journey stages (journeys.md §1 "Next step and stages"): a user reaches a stage at the earliest
-- event that satisfies one of its rules. A rule is an event name @rN_event with conditions read as a
-- funnel step's (sql/partials/condition.sql, values bound in @cN_*) and an occurrence n: the rule
-- is met at the user's n-th matching event (2 = a second purchase, a returning session_start).
-- Events are ordered by event_timestamp, batch_ordering_id, batch_event_index (NULL as 0). Consent-mode events (no
-- user_pseudo_id) reach no stage; they are counted as events_without_user.
-- Per stage: users. Per consecutive pair (k, k+1): users who reached k+1 at or after reaching k, and
-- the exact median of the time between (seconds). Exit pages: for sessions without the goal event,
-- the page path (page_location without scheme and host) of the session's last page_view, top @top_pages.
-- Rule values are bound in slots @r1_* .. @r24_* and @c1_* .. @c30_*; the template expands only
-- the slots in use.
-- @context {"rules": [{"n": 1, "stage": 1, "where": []}, {"n": 2, "stage": 2, "where": [{"id": "c1", "kind": "param", "item": false, "keyRef": "@c1_key", "fieldSql": "", "itemField": "", "op": "contains", "numeric": false}]}], "goalWhere": []}
-- @param c1_key STRING page_location
-- @param c1_s STRING /p/
-- @param c1_n FLOAT64 0
-- @param c1_n2 FLOAT64 0
-- @param c1_list ARRAY<STRING> USD
-- @param c1_nums ARRAY<FLOAT64> 1
-- @param c2_key STRING page_location
-- @param c2_s STRING /p/
-- @param c2_n FLOAT64 0
-- @param c2_n2 FLOAT64 0
-- @param c2_list ARRAY<STRING> USD
-- @param c2_nums ARRAY<FLOAT64> 1
-- @param c3_key STRING page_location
-- @param c3_s STRING /p/
-- @param c3_n FLOAT64 0
-- @param c3_n2 FLOAT64 0
-- @param c3_list ARRAY<STRING> USD
-- @param c3_nums ARRAY<FLOAT64> 1
-- @param c4_key STRING page_location
-- @param c4_s STRING /p/
-- @param c4_n FLOAT64 0
-- @param c4_n2 FLOAT64 0
-- @param c4_list ARRAY<STRING> USD
-- @param c4_nums ARRAY<FLOAT64> 1
-- @param c5_key STRING page_location
-- @param c5_s STRING /p/
-- @param c5_n FLOAT64 0
-- @param c5_n2 FLOAT64 0
-- @param c5_list ARRAY<STRING> USD
-- @param c5_nums ARRAY<FLOAT64> 1
-- @param c6_key STRING page_location
-- @param c6_s STRING /p/
-- @param c6_n FLOAT64 0
-- @param c6_n2 FLOAT64 0
-- @param c6_list ARRAY<STRING> USD
-- @param c6_nums ARRAY<FLOAT64> 1
-- @param c7_key STRING page_location
-- @param c7_s STRING /p/
-- @param c7_n FLOAT64 0
-- @param c7_n2 FLOAT64 0
-- @param c7_list ARRAY<STRING> USD
-- @param c7_nums ARRAY<FLOAT64> 1
-- @param c8_key STRING page_location
-- @param c8_s STRING /p/
-- @param c8_n FLOAT64 0
-- @param c8_n2 FLOAT64 0
-- @param c8_list ARRAY<STRING> USD
-- @param c8_nums ARRAY<FLOAT64> 1
-- @param c9_key STRING page_location
-- @param c9_s STRING /p/
-- @param c9_n FLOAT64 0
-- @param c9_n2 FLOAT64 0
-- @param c9_list ARRAY<STRING> USD
-- @param c9_nums ARRAY<FLOAT64> 1
-- @param c10_key STRING page_location
-- @param c10_s STRING /p/
-- @param c10_n FLOAT64 0
-- @param c10_n2 FLOAT64 0
-- @param c10_list ARRAY<STRING> USD
-- @param c10_nums ARRAY<FLOAT64> 1
-- @param c11_key STRING page_location
-- @param c11_s STRING /p/
-- @param c11_n FLOAT64 0
-- @param c11_n2 FLOAT64 0
-- @param c11_list ARRAY<STRING> USD
-- @param c11_nums ARRAY<FLOAT64> 1
-- @param c12_key STRING page_location
-- @param c12_s STRING /p/
-- @param c12_n FLOAT64 0
-- @param c12_n2 FLOAT64 0
-- @param c12_list ARRAY<STRING> USD
-- @param c12_nums ARRAY<FLOAT64> 1
-- @param c13_key STRING page_location
-- @param c13_s STRING /p/
-- @param c13_n FLOAT64 0
-- @param c13_n2 FLOAT64 0
-- @param c13_list ARRAY<STRING> USD
-- @param c13_nums ARRAY<FLOAT64> 1
-- @param c14_key STRING page_location
-- @param c14_s STRING /p/
-- @param c14_n FLOAT64 0
-- @param c14_n2 FLOAT64 0
-- @param c14_list ARRAY<STRING> USD
-- @param c14_nums ARRAY<FLOAT64> 1
-- @param c15_key STRING page_location
-- @param c15_s STRING /p/
-- @param c15_n FLOAT64 0
-- @param c15_n2 FLOAT64 0
-- @param c15_list ARRAY<STRING> USD
-- @param c15_nums ARRAY<FLOAT64> 1
-- @param c16_key STRING page_location
-- @param c16_s STRING /p/
-- @param c16_n FLOAT64 0
-- @param c16_n2 FLOAT64 0
-- @param c16_list ARRAY<STRING> USD
-- @param c16_nums ARRAY<FLOAT64> 1
-- @param c17_key STRING page_location
-- @param c17_s STRING /p/
-- @param c17_n FLOAT64 0
-- @param c17_n2 FLOAT64 0
-- @param c17_list ARRAY<STRING> USD
-- @param c17_nums ARRAY<FLOAT64> 1
-- @param c18_key STRING page_location
-- @param c18_s STRING /p/
-- @param c18_n FLOAT64 0
-- @param c18_n2 FLOAT64 0
-- @param c18_list ARRAY<STRING> USD
-- @param c18_nums ARRAY<FLOAT64> 1
-- @param c19_key STRING page_location
-- @param c19_s STRING /p/
-- @param c19_n FLOAT64 0
-- @param c19_n2 FLOAT64 0
-- @param c19_list ARRAY<STRING> USD
-- @param c19_nums ARRAY<FLOAT64> 1
-- @param c20_key STRING page_location
-- @param c20_s STRING /p/
-- @param c20_n FLOAT64 0
-- @param c20_n2 FLOAT64 0
-- @param c20_list ARRAY<STRING> USD
-- @param c20_nums ARRAY<FLOAT64> 1
-- @param c21_key STRING page_location
-- @param c21_s STRING /p/
-- @param c21_n FLOAT64 0
-- @param c21_n2 FLOAT64 0
-- @param c21_list ARRAY<STRING> USD
-- @param c21_nums ARRAY<FLOAT64> 1
-- @param c22_key STRING page_location
-- @param c22_s STRING /p/
-- @param c22_n FLOAT64 0
-- @param c22_n2 FLOAT64 0
-- @param c22_list ARRAY<STRING> USD
-- @param c22_nums ARRAY<FLOAT64> 1
-- @param c23_key STRING page_location
-- @param c23_s STRING /p/
-- @param c23_n FLOAT64 0
-- @param c23_n2 FLOAT64 0
-- @param c23_list ARRAY<STRING> USD
-- @param c23_nums ARRAY<FLOAT64> 1
-- @param c24_key STRING page_location
-- @param c24_s STRING /p/
-- @param c24_n FLOAT64 0
-- @param c24_n2 FLOAT64 0
-- @param c24_list ARRAY<STRING> USD
-- @param c24_nums ARRAY<FLOAT64> 1
-- @param c25_key STRING page_location
-- @param c25_s STRING /p/
-- @param c25_n FLOAT64 0
-- @param c25_n2 FLOAT64 0
-- @param c25_list ARRAY<STRING> USD
-- @param c25_nums ARRAY<FLOAT64> 1
-- @param c26_key STRING page_location
-- @param c26_s STRING /p/
-- @param c26_n FLOAT64 0
-- @param c26_n2 FLOAT64 0
-- @param c26_list ARRAY<STRING> USD
-- @param c26_nums ARRAY<FLOAT64> 1
-- @param c27_key STRING page_location
-- @param c27_s STRING /p/
-- @param c27_n FLOAT64 0
-- @param c27_n2 FLOAT64 0
-- @param c27_list ARRAY<STRING> USD
-- @param c27_nums ARRAY<FLOAT64> 1
-- @param c28_key STRING page_location
-- @param c28_s STRING /p/
-- @param c28_n FLOAT64 0
-- @param c28_n2 FLOAT64 0
-- @param c28_list ARRAY<STRING> USD
-- @param c28_nums ARRAY<FLOAT64> 1
-- @param c29_key STRING page_location
-- @param c29_s STRING /p/
-- @param c29_n FLOAT64 0
-- @param c29_n2 FLOAT64 0
-- @param c29_list ARRAY<STRING> USD
-- @param c29_nums ARRAY<FLOAT64> 1
-- @param c30_key STRING page_location
-- @param c30_s STRING /p/
-- @param c30_n FLOAT64 0
-- @param c30_n2 FLOAT64 0
-- @param c30_list ARRAY<STRING> USD
-- @param c30_nums ARRAY<FLOAT64> 1
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param top_pages INT64 10
-- @param r1_event STRING page_view
-- @param r1_occurrence INT64 1
-- @param r2_event STRING page_view
-- @param r2_occurrence INT64 1
-- @param r3_event STRING page_view
-- @param r3_occurrence INT64 1
-- @param r4_event STRING page_view
-- @param r4_occurrence INT64 1
-- @param r5_event STRING page_view
-- @param r5_occurrence INT64 1
-- @param r6_event STRING page_view
-- @param r6_occurrence INT64 1
-- @param r7_event STRING page_view
-- @param r7_occurrence INT64 1
-- @param r8_event STRING page_view
-- @param r8_occurrence INT64 1
-- @param r9_event STRING page_view
-- @param r9_occurrence INT64 1
-- @param r10_event STRING page_view
-- @param r10_occurrence INT64 1
-- @param r11_event STRING page_view
-- @param r11_occurrence INT64 1
-- @param r12_event STRING page_view
-- @param r12_occurrence INT64 1
-- @param r13_event STRING page_view
-- @param r13_occurrence INT64 1
-- @param r14_event STRING page_view
-- @param r14_occurrence INT64 1
-- @param r15_event STRING page_view
-- @param r15_occurrence INT64 1
-- @param r16_event STRING page_view
-- @param r16_occurrence INT64 1
-- @param r17_event STRING page_view
-- @param r17_occurrence INT64 1
-- @param r18_event STRING page_view
-- @param r18_occurrence INT64 1
-- @param r19_event STRING page_view
-- @param r19_occurrence INT64 1
-- @param r20_event STRING page_view
-- @param r20_occurrence INT64 1
-- @param r21_event STRING page_view
-- @param r21_occurrence INT64 1
-- @param r22_event STRING page_view
-- @param r22_occurrence INT64 1
-- @param r23_event STRING page_view
-- @param r23_occurrence INT64 1
-- @param r24_event STRING page_view
-- @param r24_occurrence INT64 1
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
      AND event_name = @r{{n}}_event{{#each where}} AND {{> condition}}{{/each}}
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
    -- A goal event: the goal's event meeting its conditions (in the slots after the rules').
    COALESCE(event_name = @goal_event{{#each goalWhere}} AND {{> condition}}{{/each}}, FALSE) AS is_goal,
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
  HAVING COUNTIF(is_goal) = 0
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
