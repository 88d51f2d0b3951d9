-- The unit's events in the export's order (timestamp, batch keys, then name, node and anchor
-- match so both engines agree), each with its position, its anchor position, its node and whether
-- it matches the start / end (next step: the goal as m_end): the shared node stream of paths and
-- next step.
-- Needs a CTE `unit_events` (and `session_touchpoints`, `clean_pairs` when the context asks for
-- channels or cleaning).
ordered AS (
  SELECT
    unit,
    user_pseudo_id,
    ga_session_id,
    event_name,
    m_start,
    m_end,
    raw_node,
    ROW_NUMBER() OVER (
      PARTITION BY unit
      -- Among events otherwise tied, a start match comes first and an end (goal) match last.
      ORDER BY event_timestamp, batch_ordering_id, batch_event_index, event_name, raw_node,
        m_start DESC, m_end
    ) AS pos
  FROM unit_events
),
positioned AS (
  SELECT
    o.unit,
    o.event_name,
    o.m_start,
    o.m_end,
    o.pos,
    {{#if (eq nodeType 'channel')}}
    -- A session's channel is borne by its first event, where the session's position counts from.
    MIN(o.pos) OVER (PARTITION BY o.unit, o.ga_session_id) AS anchor_pos,
    IF(o.ga_session_id IS NOT NULL
      AND o.pos = MIN(o.pos) OVER (PARTITION BY o.unit, o.ga_session_id), t.channel, NULL) AS raw_node
    {{else}}
    o.pos AS anchor_pos,
    o.raw_node
    {{/if}}
  FROM ordered AS o
  {{#if (eq nodeType 'channel')}}
  LEFT JOIN session_touchpoints AS t
    ON t.user_pseudo_id = o.user_pseudo_id AND t.ga_session_id = o.ga_session_id
  {{/if}}
),
nodes AS (
  SELECT
    p.unit,
    p.pos,
    {{#if clean}}
    COALESCE(c.clean_node, p.raw_node) AS node
    {{else}}
    p.raw_node AS node
    {{/if}}
  FROM positioned AS p
  {{#if clean}}
  LEFT JOIN clean_pairs AS c ON c.raw_node = p.raw_node
  {{/if}}
  WHERE p.raw_node IS NOT NULL
),
