-- Each user's node stream before @cutoff_us, one row per run of a node (consecutive repeats are one
-- run when the context says collapse), with the two runs before it, the next run's node and first
-- timestamp, and the first goal event after the run's last event: the positions the next-step
-- models count. Noise events (@exclude) bear no node; the goal and stage rules still see them.
-- Needs `event_fields` (one row per event with user_pseudo_id, ga_session_id, event_timestamp,
-- batch keys, event_name, is_goal, stage_hit) and, for channel nodes, `session_touchpoints`.
node_events AS (
  SELECT
    e.user_pseudo_id,
    e.event_timestamp,
    e.is_goal,
    ROW_NUMBER() OVER (
      PARTITION BY e.user_pseudo_id
      ORDER BY e.event_timestamp, e.batch_ordering_id, e.batch_event_index, e.event_name,
        e.ga_session_id, e.stage_hit, e.is_goal{{#if (eq nodeType 'page_path')}}, e.page_path{{/if}}
    ) AS seq,
{{> predict_node_source}}
  WHERE e.event_timestamp < @cutoff_us
),
marked AS (
  SELECT
    user_pseudo_id,
    event_timestamp,
    seq,
    node,
    MIN(IF(is_goal, event_timestamp, NULL)) OVER (
      PARTITION BY user_pseudo_id ORDER BY seq ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
    ) AS next_goal_us
  FROM node_events
),
node_stream AS (
  SELECT
    user_pseudo_id,
    event_timestamp,
    seq,
    node,
    next_goal_us,
    LEAD(node) OVER (PARTITION BY user_pseudo_id ORDER BY seq) AS next_node,
    LEAD(event_timestamp) OVER (PARTITION BY user_pseudo_id ORDER BY seq) AS next_us
  FROM marked
  WHERE node IS NOT NULL
),
runs AS (
  -- A run's last event stands for it: the latest moment the user was at the node.
  SELECT
    user_pseudo_id,
    event_timestamp,
    seq,
    node AS c1,
    LAG(node, 1) OVER (PARTITION BY user_pseudo_id ORDER BY seq) AS c2,
    LAG(node, 2) OVER (PARTITION BY user_pseudo_id ORDER BY seq) AS c3,
    next_node,
    next_us,
    next_goal_us
  FROM node_stream
  {{#if collapse}}
  WHERE next_node IS NULL OR next_node != node
  {{/if}}
),
