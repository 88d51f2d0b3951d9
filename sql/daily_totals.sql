-- Daily users, sessions, events, conversions of a goal event and its revenue, per event_date.
-- A goal event is a goal_event meeting the goal's conditions (sql/partials/condition.sql).
-- Conversions count each transaction_id once (the export often repeats a purchase) plus every
-- goal event without one; revenue comes from the goal's value source (by default
-- ecommerce.purchase_revenue, else the `value` parameter).
-- Consent-mode events (no user_pseudo_id) count in events, conversions and revenue, not in users.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param value_key STRING value
-- @params condition c1..c10
-- @context {"valueKind": "default", "where": []}
WITH scoped_events AS (
  SELECT
    event_date,
    event_name,
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    IF(event_name = @goal_event{{#each where}} AND {{> condition}}{{/each}}, 1, 0) AS is_goal,
    COALESCE(ecommerce.transaction_id, {{param 'string' 'transaction_id'}}) AS transaction_id,
    {{#if (eq valueKind 'default')}}COALESCE(ecommerce.purchase_revenue, {{param 'number' 'value'}}, 0){{/if}}{{#if (eq valueKind 'none')}}CAST(0 AS FLOAT64){{/if}}{{#if (eq valueKind 'revenue')}}COALESCE(ecommerce.purchase_revenue, 0){{/if}}{{#if (eq valueKind 'param')}}COALESCE({{param 'number' '@value_key'}}, 0){{/if}} AS revenue
  FROM {{events}}
),
goal_revenue AS (
  -- A repeated transaction counts once, with the largest revenue it was logged with.
  SELECT event_date, transaction_id, MAX(revenue) AS revenue
  FROM scoped_events
  WHERE is_goal = 1 AND transaction_id IS NOT NULL
  GROUP BY event_date, transaction_id
  UNION ALL
  SELECT event_date, transaction_id, revenue
  FROM scoped_events
  WHERE is_goal = 1 AND transaction_id IS NULL
),
revenue_by_day AS (
  SELECT event_date, COUNT(*) AS conversions, SUM(revenue) AS revenue
  FROM goal_revenue
  GROUP BY event_date
)
SELECT
  e.event_date,
  COUNT(DISTINCT e.user_pseudo_id) AS users,
  COUNT(DISTINCT IF(e.user_pseudo_id IS NULL OR e.ga_session_id IS NULL, NULL,
    CONCAT(e.user_pseudo_id, '.', CAST(e.ga_session_id AS STRING)))) AS sessions,
  COUNT(*) AS events,
  COUNTIF(e.user_pseudo_id IS NULL) AS events_without_user,
  COALESCE(ANY_VALUE(r.conversions), 0) AS conversions,
  ROUND(COALESCE(ANY_VALUE(r.revenue), 0), 2) AS revenue
FROM scoped_events AS e
LEFT JOIN revenue_by_day AS r ON r.event_date = e.event_date
GROUP BY e.event_date
ORDER BY e.event_date
