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
-- @params rule r1..r24
-- @params condition c1..c40 key=page_location s=/p/
WITH
{{#> node_events}}
    {{#each rules}}
    COALESCE(event_name = @r{{n}}_event{{#each where}} AND {{> condition}}{{/each}}, FALSE) AS m{{n}},
    {{/each}}
    FALSE AS m_start,
    COALESCE(event_name = @goal_event{{#each goalWhere}} AND {{> condition}}{{/each}}, FALSE) AS m_end,
{{/node_events}},
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
