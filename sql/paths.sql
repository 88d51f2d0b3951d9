-- Paths (journeys.md §1 "Paths"): per step, the journeys at each node (top K, the rest as (other))
-- and where they end ((exit)), and the edges between consecutive steps, so that every step's counts
-- add up to the journeys that reached it and the edges out of a node add up to its count.
-- A journey is a session (user_pseudo_id, ga_session_id) or a user. Its events are ordered by
-- event_timestamp, batch_ordering_id, batch_event_index (NULL as 0), then event_name and the node
-- value as a tie-break, so both engines give the same path. Forward: from the first start event
-- (or the first node) onwards; backward: from the last end event back; start and end together:
-- from the first start event forwards to the first end event after it (journeys that never reach
-- the end are not counted; a path's (exit) is where it reached the end, if within @steps).
-- Start and end are an event (@start_event, @end_event) and conditions read as a funnel step's (@cN_*). A node is borne by every
-- event (event), page_view events (page_path, page_title), or each session's first event (channel).
-- Excluded events are removed first, then cleaning (a bound raw -> clean map), then repeats collapse.
-- A journey at (other) continues: its next step is ranked like any other journey's (GA4's way).
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param start_event STRING session_start
-- @param end_event STRING purchase
-- @param exclude ARRAY<STRING> user_engagement,scroll
-- @param clean_map ARRAY<STRING>
-- @param clean_sep STRING |
-- @param steps INT64 5
-- @param top_k INT64 5
-- @context {"nodeType": "event", "scope": "session", "direction": "between", "collapse": true, "clean": false, "startWhere": [{"id": "c1", "kind": "param", "item": false, "keyRef": "@c1_key", "fieldSql": "", "itemField": "", "op": "contains", "numeric": false}], "endWhere": []}
-- @params condition c1..c20 key=page_location s=/p/
WITH
{{#> node_events}}
    COALESCE(event_name = @start_event{{#each startWhere}} AND {{> condition}}{{/each}}, FALSE) AS m_start,
    COALESCE(event_name = @end_event{{#each endWhere}} AND {{> condition}}{{/each}}, FALSE) AS m_end,
{{/node_events}},
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
  FROM event_fields
  {{#if (eq scope 'session')}}
  WHERE ga_session_id IS NOT NULL
  {{/if}}
),
{{> positioned_nodes}}
anchors AS (
  {{#if (eq direction 'start')}}
  SELECT unit, MIN(anchor_pos) AS anchor_pos FROM positioned WHERE m_start GROUP BY unit
  {{/if}}
  {{#if (eq direction 'end')}}
  SELECT unit, MAX(anchor_pos) AS anchor_pos FROM positioned WHERE m_end GROUP BY unit
  {{/if}}
  {{#if (eq direction 'between')}}
  -- The first start event, then the first end event strictly after it (never the same event).
  SELECT s.unit, s.anchor_pos, MIN(p.anchor_pos) AS end_pos
  FROM (
    SELECT unit, MIN(anchor_pos) AS anchor_pos, MIN(pos) AS event_pos
    FROM positioned
    WHERE m_start
    GROUP BY unit
  ) AS s
  JOIN positioned AS p ON p.unit = s.unit AND p.m_end AND p.pos > s.event_pos
  GROUP BY s.unit, s.anchor_pos
  {{/if}}
  {{#if (eq direction 'none')}}
  SELECT unit, MIN(pos) AS anchor_pos FROM nodes GROUP BY unit
  {{/if}}
),
stream AS (
  SELECT n.unit, n.pos, n.node
  FROM nodes AS n
  JOIN anchors AS a ON a.unit = n.unit
  {{#if (eq direction 'end')}}
  WHERE n.pos <= a.anchor_pos
  {{else if (eq direction 'between')}}
  WHERE n.pos >= a.anchor_pos AND n.pos <= a.end_pos
  {{else}}
  WHERE n.pos >= a.anchor_pos
  {{/if}}
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
numbered AS (
  SELECT unit, step, node
  FROM (
    SELECT
      unit,
      node,
      {{#if (eq direction 'end')}}
      ROW_NUMBER() OVER (PARTITION BY unit ORDER BY pos DESC) AS step
      {{else}}
      ROW_NUMBER() OVER (PARTITION BY unit ORDER BY pos) AS step
      {{/if}}
    FROM collapsed
  )
  WHERE step <= @steps
),
lengths AS (
  SELECT a.unit, COUNT(n.node) AS path_length
  FROM anchors AS a
  LEFT JOIN numbered AS n ON n.unit = a.unit
  GROUP BY a.unit
),
ranked AS (
  SELECT
    step,
    node,
    ROW_NUMBER() OVER (PARTITION BY step ORDER BY journeys DESC, node) AS node_rank
  FROM (SELECT step, node, COUNT(*) AS journeys FROM numbered GROUP BY step, node)
),
labeled AS (
  SELECT n.unit, n.step, IF(r.node_rank <= @top_k, 'node', 'other') AS kind,
    IF(r.node_rank <= @top_k, n.node, '(other)') AS label
  FROM numbered AS n
  JOIN ranked AS r ON r.step = n.step AND r.node = n.node
  UNION ALL
  SELECT unit, path_length + 1 AS step, 'exit' AS kind, '(exit)' AS label
  FROM lengths
  WHERE path_length < @steps
)
SELECT 'node' AS row_type, step, kind, label, CAST(NULL AS STRING) AS to_kind,
  CAST(NULL AS STRING) AS to_label, COUNT(*) AS journeys
FROM labeled
GROUP BY step, kind, label
UNION ALL
SELECT 'edge' AS row_type, a.step, a.kind, a.label, b.kind AS to_kind, b.label AS to_label,
  COUNT(*) AS journeys
FROM labeled AS a
JOIN labeled AS b ON b.unit = a.unit AND b.step = a.step + 1
GROUP BY a.step, a.kind, a.label, b.kind, b.label
UNION ALL
SELECT 'journeys' AS row_type, 0 AS step, CAST(NULL AS STRING) AS kind, CAST(NULL AS STRING) AS label,
  CAST(NULL AS STRING) AS to_kind, CAST(NULL AS STRING) AS to_label, COUNT(*) AS journeys
FROM anchors
UNION ALL
SELECT 'events_without_user' AS row_type, 0 AS step, CAST(NULL AS STRING) AS kind,
  CAST(NULL AS STRING) AS label, CAST(NULL AS STRING) AS to_kind, CAST(NULL AS STRING) AS to_label,
  COUNTIF(user_pseudo_id IS NULL) AS journeys
FROM scoped_events
ORDER BY row_type, step, journeys DESC, label, to_label
