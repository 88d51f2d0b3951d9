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
-- @param c1_key STRING currency
-- @param c1_s STRING USD
-- @param c1_n FLOAT64 0
-- @param c1_n2 FLOAT64 0
-- @param c1_list ARRAY<STRING> USD
-- @param c1_nums ARRAY<FLOAT64> 1
-- @param c2_key STRING currency
-- @param c2_s STRING USD
-- @param c2_n FLOAT64 0
-- @param c2_n2 FLOAT64 0
-- @param c2_list ARRAY<STRING> USD
-- @param c2_nums ARRAY<FLOAT64> 1
-- @param c3_key STRING currency
-- @param c3_s STRING USD
-- @param c3_n FLOAT64 0
-- @param c3_n2 FLOAT64 0
-- @param c3_list ARRAY<STRING> USD
-- @param c3_nums ARRAY<FLOAT64> 1
-- @param c4_key STRING currency
-- @param c4_s STRING USD
-- @param c4_n FLOAT64 0
-- @param c4_n2 FLOAT64 0
-- @param c4_list ARRAY<STRING> USD
-- @param c4_nums ARRAY<FLOAT64> 1
-- @param c5_key STRING currency
-- @param c5_s STRING USD
-- @param c5_n FLOAT64 0
-- @param c5_n2 FLOAT64 0
-- @param c5_list ARRAY<STRING> USD
-- @param c5_nums ARRAY<FLOAT64> 1
-- @param c6_key STRING currency
-- @param c6_s STRING USD
-- @param c6_n FLOAT64 0
-- @param c6_n2 FLOAT64 0
-- @param c6_list ARRAY<STRING> USD
-- @param c6_nums ARRAY<FLOAT64> 1
-- @param c7_key STRING currency
-- @param c7_s STRING USD
-- @param c7_n FLOAT64 0
-- @param c7_n2 FLOAT64 0
-- @param c7_list ARRAY<STRING> USD
-- @param c7_nums ARRAY<FLOAT64> 1
-- @param c8_key STRING currency
-- @param c8_s STRING USD
-- @param c8_n FLOAT64 0
-- @param c8_n2 FLOAT64 0
-- @param c8_list ARRAY<STRING> USD
-- @param c8_nums ARRAY<FLOAT64> 1
-- @param c9_key STRING currency
-- @param c9_s STRING USD
-- @param c9_n FLOAT64 0
-- @param c9_n2 FLOAT64 0
-- @param c9_list ARRAY<STRING> USD
-- @param c9_nums ARRAY<FLOAT64> 1
-- @param c10_key STRING currency
-- @param c10_s STRING USD
-- @param c10_n FLOAT64 0
-- @param c10_n2 FLOAT64 0
-- @param c10_list ARRAY<STRING> USD
-- @param c10_nums ARRAY<FLOAT64> 1
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
