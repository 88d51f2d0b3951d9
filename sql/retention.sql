-- Retention and loyalty (journeys.md §1): users grouped into cohorts by the period (Monday-based
-- week, or calendar month, of event_date) of their first @cohort_event in the range (or of their
-- first event when cohortByFirstEvent); per cohort and period offset k = 0..@periods, the users
-- active (any event) in period cohort + k; and per cohort the users with at least one goal event
-- (@goal_event meeting the goal's conditions, sql/partials/condition.sql) in the range and those with at least two (repeat conversion). Weeks are numbered
-- DIV(UNIX_DATE(d) + 3, 7) (1970-01-01 was a Thursday), months year * 12 + month - 1, so both
-- engines agree. Consent-mode events (no user_pseudo_id) are in no cohort: counted apart.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param cohort_event STRING first_visit
-- @param goal_event STRING purchase
-- @param periods INT64 8
-- @params condition c1..c10
-- @context {"period": "week", "firstEvent": false, "goalWhere": []}
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
activity AS (
  SELECT
    user_pseudo_id,
    event_name,
    COALESCE(event_name = @goal_event{{#each goalWhere}} AND {{> condition}}{{/each}}, FALSE) AS is_goal,
    {{#if (eq period 'week')}}
    DIV(UNIX_DATE(PARSE_DATE('%Y%m%d', event_date)) + 3, 7) AS period
    {{else}}
    EXTRACT(YEAR FROM PARSE_DATE('%Y%m%d', event_date)) * 12
      + EXTRACT(MONTH FROM PARSE_DATE('%Y%m%d', event_date)) - 1 AS period
    {{/if}}
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
),
cohorts AS (
  SELECT user_pseudo_id, MIN(period) AS cohort
  FROM activity
  {{#unless firstEvent}}
  WHERE event_name = @cohort_event
  {{/unless}}
  GROUP BY user_pseudo_id
),
active AS (
  SELECT c.cohort, a.period - c.cohort AS k, COUNT(DISTINCT a.user_pseudo_id) AS users
  FROM cohorts AS c
  JOIN activity AS a ON a.user_pseudo_id = c.user_pseudo_id
  WHERE a.period >= c.cohort AND a.period - c.cohort <= @periods
  GROUP BY c.cohort, k
),
conversions AS (
  SELECT c.cohort, c.user_pseudo_id, COUNTIF(a.is_goal) AS goal_events
  FROM cohorts AS c
  JOIN activity AS a ON a.user_pseudo_id = c.user_pseudo_id
  GROUP BY c.cohort, c.user_pseudo_id
)
SELECT 'active' AS row_type, cohort, k, users AS n, CAST(NULL AS INT64) AS m
FROM active
UNION ALL
SELECT 'conversion' AS row_type, cohort, 0 AS k, COUNTIF(goal_events >= 1) AS n,
  COUNTIF(goal_events >= 2) AS m
FROM conversions
GROUP BY cohort
UNION ALL
SELECT 'users_without_cohort' AS row_type, CAST(NULL AS INT64) AS cohort, 0 AS k,
  COUNT(DISTINCT a.user_pseudo_id) AS n, CAST(NULL AS INT64) AS m
FROM activity AS a
LEFT JOIN cohorts AS c ON c.user_pseudo_id = a.user_pseudo_id
WHERE c.user_pseudo_id IS NULL
UNION ALL
SELECT 'events_without_user' AS row_type, CAST(NULL AS INT64) AS cohort, 0 AS k,
  COUNTIF(user_pseudo_id IS NULL) AS n, CAST(NULL AS INT64) AS m
FROM scoped_events
ORDER BY row_type, cohort, k
