-- Next step (journeys.md §1 "Next step and stages"): first-order transitions between nodes and the
-- transitions into the absorbing states (conversion) and (exit), for an exact absorbing Markov chain
-- solved in TypeScript. A journey (session or user) is its ordered node stream (same order, nodes,
-- exclusions, cleaning map and collapsing as sql/paths.sql), cut at its first goal event (@goal_event
-- with conditions read as a funnel step's, bound in @cN_*): nodes strictly before that event, then
-- (conversion); a journey without the goal ends in (exit). Each journey also enters through
-- (start), so the chain answers the overall conversion probability.
-- Per edge: transitions; per node: transitions out and distinct journeys through it (the support),
-- counted once per (journey, node) rather than by COUNT(DISTINCT) over every transition.
-- Per node also (row_type reached): journeys through it in the whole stream and those among them
-- with a goal event after its first visit, in `transitions`.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param exclude ARRAY<STRING> user_engagement,scroll
-- @param clean_map ARRAY<STRING>
-- @param clean_sep STRING |
-- Stage nodes (nodeType stage): an event's node is the latest stage (in map order) with a rule met
-- at that event, rule n being: event @rN_event with its conditions (@cN_* after the goal's), and
-- the user's @rN_occurrence-th such event (as sql/stages.sql; excluded events do not count). The
-- node is the stage's number; names are attached in TypeScript.
-- @context {"nodeType": "event", "scope": "session", "collapse": true, "clean": false, "goalWhere": [{"id": "c1", "kind": "param", "item": false, "keyRef": "@c1_key", "fieldSql": "", "itemField": "", "op": "contains", "numeric": false}], "rules": [], "rulesDesc": []}
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
    COALESCE(event_name = @r{{n}}_event{{#each where}} AND {{> condition}}{{/each}}, FALSE) AS m{{n}},
    {{/each}}
    FALSE AS m_start,
    COALESCE(event_name = @goal_event{{#each goalWhere}} AND {{> condition}}{{/each}}, FALSE) AS m_end,
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
    m_start,
    m_end,
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
  SELECT unit, MIN(pos) AS goal_pos, MAX(pos) AS last_goal_pos FROM positioned WHERE m_end GROUP BY unit
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
),
reached AS (
  -- Counted, not modelled: per node, the journeys through it anywhere and those with a goal event
  -- after its first visit (a session funnel node -> goal asks the same of each journey).
  SELECT r.node, COUNT(*) AS journeys, COUNTIF(COALESCE(g.last_goal_pos {{#if (eq nodeType 'channel')}}>={{else}}>{{/if}} r.first_pos, FALSE)) AS converted
  FROM (SELECT unit, node, MIN(pos) AS first_pos FROM nodes GROUP BY unit, node) AS r
  LEFT JOIN goal_positions AS g ON g.unit = r.unit
  GROUP BY r.node
),
node_support AS (
  -- Journeys through each node: one row per (journey, node) first, then a plain count.
  SELECT from_kind, from_node, COUNT(*) AS journeys
  FROM (SELECT DISTINCT unit, from_kind, from_node FROM transitions)
  GROUP BY from_kind, from_node
)
SELECT 'edge' AS row_type, from_kind, from_node, to_kind, to_node, COUNT(*) AS transitions,
  CAST(NULL AS INT64) AS journeys
FROM transitions
GROUP BY from_kind, from_node, to_kind, to_node
UNION ALL
SELECT 'support' AS row_type, t.from_kind, t.from_node, CAST(NULL AS STRING) AS to_kind,
  CAST(NULL AS STRING) AS to_node, t.transitions, s.journeys
FROM (SELECT from_kind, from_node, COUNT(*) AS transitions FROM transitions GROUP BY from_kind, from_node) AS t
JOIN node_support AS s ON s.from_kind = t.from_kind AND s.from_node = t.from_node
UNION ALL
SELECT 'reached' AS row_type, 'node' AS from_kind, node AS from_node, CAST(NULL AS STRING) AS to_kind,
  CAST(NULL AS STRING) AS to_node, converted AS transitions, journeys
FROM reached
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
