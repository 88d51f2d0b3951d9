-- The "textbook" GA4 cookbook funnel, for bench/funnel.ts only: one subquery per step, joined on
-- the user, each taking the earliest step event at or after the previous step's (greedy first
-- match). Correct only without windows and without per-step conditions; kept to compare speed and,
-- on such a funnel, results with sql/funnel.sql.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param step1_event STRING view_item
-- @param step2_event STRING add_to_cart
-- @param step3_event STRING begin_checkout
-- @param step4_event STRING purchase
-- @context {"steps":[{"n":1,"prev":0,"first":true},{"n":2,"prev":1,"first":false},{"n":3,"prev":2,"first":false},{"n":4,"prev":3,"first":false}]}
WITH events AS (
  SELECT user_pseudo_id, event_name, event_timestamp
  FROM {{events}}
  WHERE user_pseudo_id IS NOT NULL
),
{{#each steps}}
{{#if first}}
step1 AS (
  SELECT user_pseudo_id, MIN(event_timestamp) AS ts
  FROM events
  WHERE event_name = @step1_event
  GROUP BY user_pseudo_id
),
{{else}}
step{{n}} AS (
  SELECT p.user_pseudo_id, MIN(e.event_timestamp) AS ts
  FROM step{{prev}} AS p
  JOIN events AS e ON e.user_pseudo_id = p.user_pseudo_id AND e.event_timestamp >= p.ts
  WHERE e.event_name = @step{{n}}_event
  GROUP BY p.user_pseudo_id
),
{{/if}}
{{/each}}
counts AS (
  {{#each steps}}
  {{#unless first}}UNION ALL{{/unless}}
  SELECT {{n}} AS step, COUNT(*) AS users FROM step{{n}}
  {{/each}}
)
SELECT step, users FROM counts ORDER BY step
