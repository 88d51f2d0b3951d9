-- Next step (journeys.md §1 "Next step and stages"): first-order transitions between nodes and the
-- transitions into the absorbing states (conversion) and (exit), for an exact absorbing Markov chain
-- solved in TypeScript. A journey (session or user) is its ordered node stream (same order, nodes,
-- exclusions, cleaning map and collapsing as sql/paths.sql), cut at its first goal event: nodes
-- strictly before that event, then (conversion); a journey without the goal ends in (exit). Each
-- journey also enters through (start), so the chain answers the overall conversion probability.
-- Per edge: transitions and distinct journeys; per node: distinct journeys through it (the support).
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param exclude ARRAY<STRING> user_engagement,scroll
-- @param clean_map ARRAY<STRING>
-- @param clean_sep STRING |
-- Stage nodes (nodeType stage): an event's node is the latest stage (in map order) with a rule met
-- at that event, rule n being: event @rN_event, optionally its string parameter @rN_key in
-- @rN_values, and the user's @rN_occurrence-th such event (as sql/stages.sql; excluded events do
-- not count). The node is the stage's number; names are attached in TypeScript.
-- @context {"nodeType": "event", "scope": "session", "collapse": true, "clean": false, "rules": [], "rulesDesc": []}
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
{{#if (eq nodeType 'channel')}}
{{> session_touchpoints}},
{{/if}}
{{#if clean}}
clean_pairs AS (
  -- One bound string per distinct raw node: raw, separator, cleaned value.
  SELECT
    SUBSTR(pair, 1, STRPOS(pair, @clean_sep) - 1) AS raw_node,
    SUBSTR(pair, STRPOS(pair, @clean_sep) + LENGTH(@clean_sep)) AS clean_node
  FROM UNNEST(@clean_map) AS pair
),
{{/if}}
event_fields AS (
  -- Each parameter read once per event (reading one is a scan of event_params).
  SELECT
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    event_timestamp,
    COALESCE(batch_ordering_id, 0) AS batch_ordering_id,
    COALESCE(batch_event_index, 0) AS batch_event_index,
    event_name,
    {{#if (eq nodeType 'page_path')}}
    IF(event_name = 'page_view',
      REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', ''),
      NULL) AS location_path,
    {{/if}}
    {{#if (eq nodeType 'page_title')}}
    IF(event_name = 'page_view', {{param 'string' 'page_title'}}, NULL) AS page_title,
    {{/if}}
    {{#each rules}}
    COALESCE(event_name = @r{{n}}_event{{#if hasKey}} AND {{param 'string' keyRef}} IN UNNEST(@r{{n}}_values){{/if}}, FALSE) AS m{{n}},
    {{/each}}
    1 AS one
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
    AND event_name NOT IN UNNEST(@exclude)
),
{{#if (eq nodeType 'stage')}}
stage_fields AS (
  SELECT
    *,
    {{#each rules}}
    IF(m{{n}}, ROW_NUMBER() OVER (
      PARTITION BY user_pseudo_id, m{{n}}
      ORDER BY event_timestamp, batch_ordering_id, batch_event_index
    ), NULL) AS o{{n}},
    {{/each}}
    2 AS two
  FROM event_fields
),
{{/if}}
unit_events AS (
  SELECT
    {{#if (eq scope 'session')}}
    CONCAT(user_pseudo_id, '.', CAST(ga_session_id AS STRING)) AS unit,
    {{else}}
    user_pseudo_id AS unit,
    {{/if}}
    user_pseudo_id,
    ga_session_id,
    event_timestamp,
    batch_ordering_id,
    batch_event_index,
    event_name,
    {{#if (eq nodeType 'event')}}
    event_name AS raw_node
    {{/if}}
    {{#if (eq nodeType 'page_path')}}
    IF(location_path = '', '/', location_path) AS raw_node
    {{/if}}
    {{#if (eq nodeType 'page_title')}}
    page_title AS raw_node
    {{/if}}
    {{#if (eq nodeType 'channel')}}
    CAST(NULL AS STRING) AS raw_node
    {{/if}}
    {{#if (eq nodeType 'stage')}}
    CASE
      {{#each rulesDesc}}
      WHEN m{{n}} AND o{{n}} = @r{{n}}_occurrence THEN '{{stage}}'
      {{/each}}
      ELSE CAST(NULL AS STRING)
    END AS raw_node
    {{/if}}
  FROM {{#if (eq nodeType 'stage')}}stage_fields{{else}}event_fields{{/if}}
  {{#if (eq scope 'session')}}
  WHERE ga_session_id IS NOT NULL
  {{/if}}
),
{{> positioned_nodes}}
goal_positions AS (
  SELECT unit, MIN(pos) AS goal_pos FROM positioned WHERE event_name = @goal_event GROUP BY unit
),
units AS (
  SELECT u.unit, IF(g.goal_pos IS NULL, 'exit', 'conversion') AS outcome
  FROM (SELECT DISTINCT unit FROM unit_events) AS u
  LEFT JOIN goal_positions AS g ON g.unit = u.unit
),
stream AS (
  SELECT n.unit, n.pos, n.node
  FROM nodes AS n
  LEFT JOIN goal_positions AS g ON g.unit = n.unit
  -- A channel node is its session's first event: the goal's own session counts.
  WHERE g.goal_pos IS NULL OR n.pos {{#if (eq nodeType 'channel')}}<={{else}}<{{/if}} g.goal_pos
),
collapsed AS (
  SELECT unit, pos, node
  FROM (
    SELECT unit, pos, node, LAG(node) OVER (PARTITION BY unit ORDER BY pos) AS previous_node
    FROM stream
  )
  {{#if collapse}}
  WHERE previous_node IS NULL OR previous_node != node
  {{/if}}
),
sequenced AS (
  SELECT
    unit,
    node,
    LEAD(node) OVER (PARTITION BY unit ORDER BY pos) AS next_node,
    ROW_NUMBER() OVER (PARTITION BY unit ORDER BY pos) AS k
  FROM collapsed
),
transitions AS (
  SELECT
    s.unit,
    'node' AS from_kind,
    s.node AS from_node,
    IF(s.next_node IS NULL, u.outcome, 'node') AS to_kind,
    COALESCE(s.next_node, IF(u.outcome = 'conversion', '(conversion)', '(exit)')) AS to_node
  FROM sequenced AS s
  JOIN units AS u ON u.unit = s.unit
  UNION ALL
  SELECT
    u.unit,
    'start' AS from_kind,
    '(start)' AS from_node,
    IF(s.node IS NULL, u.outcome, 'node') AS to_kind,
    COALESCE(s.node, IF(u.outcome = 'conversion', '(conversion)', '(exit)')) AS to_node
  FROM units AS u
  LEFT JOIN sequenced AS s ON s.unit = u.unit AND s.k = 1
)
SELECT 'edge' AS row_type, from_kind, from_node, to_kind, to_node, COUNT(*) AS transitions,
  COUNT(DISTINCT unit) AS journeys
FROM transitions
GROUP BY from_kind, from_node, to_kind, to_node
UNION ALL
SELECT 'support' AS row_type, from_kind, from_node, CAST(NULL AS STRING) AS to_kind,
  CAST(NULL AS STRING) AS to_node, COUNT(*) AS transitions, COUNT(DISTINCT unit) AS journeys
FROM transitions
GROUP BY from_kind, from_node
UNION ALL
SELECT 'outcome' AS row_type, CAST(NULL AS STRING) AS from_kind, outcome AS from_node,
  CAST(NULL AS STRING) AS to_kind, CAST(NULL AS STRING) AS to_node, COUNT(*) AS transitions,
  COUNT(*) AS journeys
FROM units
GROUP BY outcome
UNION ALL
SELECT 'events_without_user' AS row_type, CAST(NULL AS STRING) AS from_kind,
  CAST(NULL AS STRING) AS from_node, CAST(NULL AS STRING) AS to_kind,
  CAST(NULL AS STRING) AS to_node, COUNTIF(user_pseudo_id IS NULL) AS transitions,
  COUNTIF(user_pseudo_id IS NULL) AS journeys
FROM scoped_events
ORDER BY row_type, from_kind, from_node, to_kind, to_node
