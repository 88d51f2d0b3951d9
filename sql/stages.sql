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
-- @params condition c1..c30 key=page_location s=/p/
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param top_pages INT64 10
-- @params rule r1..r24
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
{{> stage_reach}}
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
