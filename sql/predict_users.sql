-- Where each user is at @cutoff_us, for the next-step models: every user with a node run that
-- ended in [@active_from_us, @cutoff_us), with their last three runs (c1 the latest, as
-- sql/predict_contexts.sql counts them), when it ended, and their stage then (the latest stage in
-- map order reached before the cutoff, as a number). What they did in [cutoff, cutoff +
-- @horizon_us) (a backtest reads it; predicting now finds nothing there): the first node that
-- differs from their latest (the next run), and whether a goal event came.
-- @context {"nodeType": "event", "collapse": true, "goalWhere": [{"id": "c1", "kind": "param", "item": false, "keyRef": "@c1_key", "fieldSql": "", "itemField": "", "op": "contains", "numeric": false}], "rules": [{"n": 1, "stage": 1, "where": []}, {"n": 2, "stage": 2, "where": []}], "rulesDesc": [{"n": 2, "stage": 2, "where": []}, {"n": 1, "stage": 1, "where": []}]}
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param exclude ARRAY<STRING> user_engagement,scroll,session_start,first_visit
-- @param cutoff_us INT64 1606003200000000
-- @param horizon_us INT64 604800000000
-- @param active_from_us INT64 1605398400000000
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
-- @param c31_key STRING page_location
-- @param c31_s STRING /p/
-- @param c31_n FLOAT64 0
-- @param c31_n2 FLOAT64 0
-- @param c31_list ARRAY<STRING> USD
-- @param c31_nums ARRAY<FLOAT64> 1
-- @param c32_key STRING page_location
-- @param c32_s STRING /p/
-- @param c32_n FLOAT64 0
-- @param c32_n2 FLOAT64 0
-- @param c32_list ARRAY<STRING> USD
-- @param c32_nums ARRAY<FLOAT64> 1
-- @param c33_key STRING page_location
-- @param c33_s STRING /p/
-- @param c33_n FLOAT64 0
-- @param c33_n2 FLOAT64 0
-- @param c33_list ARRAY<STRING> USD
-- @param c33_nums ARRAY<FLOAT64> 1
-- @param c34_key STRING page_location
-- @param c34_s STRING /p/
-- @param c34_n FLOAT64 0
-- @param c34_n2 FLOAT64 0
-- @param c34_list ARRAY<STRING> USD
-- @param c34_nums ARRAY<FLOAT64> 1
-- @param c35_key STRING page_location
-- @param c35_s STRING /p/
-- @param c35_n FLOAT64 0
-- @param c35_n2 FLOAT64 0
-- @param c35_list ARRAY<STRING> USD
-- @param c35_nums ARRAY<FLOAT64> 1
-- @param c36_key STRING page_location
-- @param c36_s STRING /p/
-- @param c36_n FLOAT64 0
-- @param c36_n2 FLOAT64 0
-- @param c36_list ARRAY<STRING> USD
-- @param c36_nums ARRAY<FLOAT64> 1
-- @param c37_key STRING page_location
-- @param c37_s STRING /p/
-- @param c37_n FLOAT64 0
-- @param c37_n2 FLOAT64 0
-- @param c37_list ARRAY<STRING> USD
-- @param c37_nums ARRAY<FLOAT64> 1
-- @param c38_key STRING page_location
-- @param c38_s STRING /p/
-- @param c38_n FLOAT64 0
-- @param c38_n2 FLOAT64 0
-- @param c38_list ARRAY<STRING> USD
-- @param c38_nums ARRAY<FLOAT64> 1
-- @param c39_key STRING page_location
-- @param c39_s STRING /p/
-- @param c39_n FLOAT64 0
-- @param c39_n2 FLOAT64 0
-- @param c39_list ARRAY<STRING> USD
-- @param c39_nums ARRAY<FLOAT64> 1
-- @param c40_key STRING page_location
-- @param c40_s STRING /p/
-- @param c40_n FLOAT64 0
-- @param c40_n2 FLOAT64 0
-- @param c40_list ARRAY<STRING> USD
-- @param c40_nums ARRAY<FLOAT64> 1
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
{{#if (eq nodeType 'channel')}}
{{> session_touchpoints}},
{{/if}}
{{> predict_event_fields}}
{{> predict_runs}}
current_runs AS (
  SELECT user_pseudo_id, c1, c2, c3, event_timestamp AS last_us
  FROM runs
  WHERE event_timestamp >= @active_from_us
  QUALIFY ROW_NUMBER() OVER (PARTITION BY user_pseudo_id ORDER BY seq DESC) = 1
),
stages_now AS (
  SELECT user_pseudo_id, MAX(CAST(stage_hit AS INT64)) AS stage
  FROM event_fields
  WHERE event_timestamp < @cutoff_us AND stage_hit IS NOT NULL
  GROUP BY user_pseudo_id
),
future AS (
  -- The horizon's events and their nodes, read as the stream before the cutoff reads them.
  SELECT
    e.user_pseudo_id,
    e.event_timestamp,
    e.batch_ordering_id,
    e.batch_event_index,
    e.event_name,
    e.ga_session_id,
    e.stage_hit,
    e.is_goal,
{{> predict_node_source}}
  WHERE e.event_timestamp >= @cutoff_us AND e.event_timestamp < @cutoff_us + @horizon_us
),
goals_ahead AS (
  SELECT DISTINCT user_pseudo_id FROM future WHERE is_goal
),
next_nodes AS (
  -- The next run: the horizon's first node{{#if collapse}} other than the user's latest{{/if}}.
  SELECT f.user_pseudo_id, f.node
  FROM future AS f
  JOIN current_runs AS c ON c.user_pseudo_id = f.user_pseudo_id
  WHERE f.node IS NOT NULL{{#if collapse}} AND f.node != c.c1{{/if}}
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY f.user_pseudo_id
    ORDER BY f.event_timestamp, f.batch_ordering_id, f.batch_event_index, f.event_name,
      f.ga_session_id, f.stage_hit, f.is_goal, f.node
  ) = 1
)
SELECT
  c.user_pseudo_id,
  c.c1,
  c.c2,
  c.c3,
  c.last_us,
  s.stage,
  n.node AS next_node,
  g.user_pseudo_id IS NOT NULL AS goal
FROM current_runs AS c
LEFT JOIN stages_now AS s ON s.user_pseudo_id = c.user_pseudo_id
LEFT JOIN next_nodes AS n ON n.user_pseudo_id = c.user_pseudo_id
LEFT JOIN goals_ahead AS g ON g.user_pseudo_id = c.user_pseudo_id
ORDER BY c.user_pseudo_id
