-- Users, sessions, events, conversions of a goal event and its revenue over the whole range: the KPI
-- tiles' figures. Distinct users and sessions are counted over the range (a user active on three days
-- is one user, a session across midnight one session), which daily rows cannot add up to.
-- A goal event is a goal_event meeting the goal's conditions (sql/partials/condition.sql).
-- Conversions count each transaction_id once in the range plus every goal event without one;
-- revenue comes from the goal's value source (by default ecommerce.purchase_revenue, else the
-- `value` parameter, as in daily_totals.sql).
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param value_key STRING value
-- @params condition c1..c10
-- @context {"valueKind": "default", "where": []}
WITH scoped_events AS (
  SELECT
    event_name,
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    COALESCE(event_name = @goal_event{{#each where}} AND {{> condition}}{{/each}}, FALSE) AS is_goal,
    COALESCE(ecommerce.transaction_id, {{param 'string' 'transaction_id'}}) AS transaction_id,
    {{#if (eq valueKind 'default')}}COALESCE(ecommerce.purchase_revenue, {{param 'number' 'value'}}, 0){{/if}}{{#if (eq valueKind 'none')}}CAST(0 AS FLOAT64){{/if}}{{#if (eq valueKind 'revenue')}}COALESCE(ecommerce.purchase_revenue, 0){{/if}}{{#if (eq valueKind 'param')}}COALESCE({{param 'number' '@value_key'}}, 0){{/if}} AS revenue
  FROM {{events}}
),
goal_revenue AS (
  -- A repeated transaction counts once, with the largest revenue it was logged with.
  SELECT transaction_id, MAX(revenue) AS revenue
  FROM scoped_events
  WHERE is_goal AND transaction_id IS NOT NULL
  GROUP BY transaction_id
  UNION ALL
  SELECT transaction_id, revenue
  FROM scoped_events
  WHERE is_goal AND transaction_id IS NULL
),
goals AS (
  SELECT COUNT(*) AS conversions, ROUND(COALESCE(SUM(revenue), 0), 2) AS revenue
  FROM goal_revenue
),
activity AS (
  SELECT
    COUNT(DISTINCT user_pseudo_id) AS users,
    COUNT(DISTINCT IF(user_pseudo_id IS NULL OR ga_session_id IS NULL, NULL,
      CONCAT(user_pseudo_id, '.', CAST(ga_session_id AS STRING)))) AS sessions,
    COUNT(*) AS events,
    -- COALESCE: an empty range gives 0 on both engines (DuckDB's COUNTIF is a SUM).
    COALESCE(COUNTIF(user_pseudo_id IS NULL), 0) AS events_without_user
  FROM scoped_events
)
SELECT a.users, a.sessions, a.events, a.events_without_user, g.conversions, g.revenue
FROM activity AS a
CROSS JOIN goals AS g
