-- The funnel chain's first-match form, for DuckDB and for funnels where the earliest chain is the
-- best one: closed, no `window`, no `within`, no `directly`, no exclusions, and no event that could
-- serve two steps (funnelQuery.ts decides). Then a unit reaches step k exactly when its greedy
-- chain does: T1 = its first step 1 event, Tk = its first step k event at or after T(k-1) (order
-- key, tie rule), because "a may precede b" is a total preorder on the order key. The step k
-- events that end a valid chain are those at or after T(k-1) (Vk), so the time from the previous
-- step (the shortest b - a over b in Vk, a the latest event of V(k-1) at or before b) needs only
-- V(k-1) and Vk: each fk carries Vk as a list of order keys and the gap is a list expression.
-- One join per step with one row per unit on one side (like the textbook funnel) instead of a
-- join of step k-1 events with step k events; the lists stay inside the unit.
-- Same CTE contract as sql/partials/funnel_chain.sql: ranked, unit_steps; plus key_check (false
-- when some event's order key did not fit `k`: the answer must then come from the general form).
{{#*inline "unit"}}{{#if @root.session}}, sid{{/if}}{{/inline}}
{{> funnel_events}},
{{#each steps}}
{{#if first}}
f1 AS (
  SELECT uid{{> unit}}, MIN(k) AS t, LIST(k) AS l
  FROM ranked
  WHERE m1
  GROUP BY uid{{> unit}}
),
{{else}}
f{{n}} AS (
  -- Step {{n}} events at or after T{{prev}} (order key: timestamp, then the batch fields).
  SELECT p.uid{{#if @root.session}}, p.sid{{/if}}, MIN(e.k) AS t, LIST(e.k) AS l, ANY_VALUE(p.l) AS lp
  FROM f{{prev}} AS p
  JOIN ranked AS e ON e.uid = p.uid{{#if @root.session}} AND e.sid = p.sid{{/if}} AND e.k >= p.t
  WHERE e.m{{n}}
  GROUP BY p.uid{{#if @root.session}}, p.sid{{/if}}
),
{{/if}}
{{/each}}
unit_steps_keys AS (
  {{#each steps}}
  {{#unless first}}UNION ALL{{/unless}}
  {{#if first}}
  SELECT uid, {{#if @root.session}}sid{{else}}CAST(0 AS INT64) AS sid{{/if}}, 1 AS step, FALSE AS via, CAST(NULL AS INT64) AS gap, list_max(l) AS last_key
  FROM f1
  {{else}}
  -- k // 65536 is the timestamp (from @key_base_us); the latest key at or before b is the latest event.
  SELECT
    uid,
    {{#if @root.session}}sid{{else}}CAST(0 AS INT64) AS sid{{/if}},
    {{n}} AS step,
    TRUE AS via,
    CAST(list_min(list_transform(l, lambda b: b // 65536 - list_max(list_filter(lp, lambda a: a <= b)) // 65536)) AS INT64) AS gap,
    list_max(l) AS last_key
  FROM f{{n}}
  {{/if}}
  {{/each}}
),
key_check AS (
  -- Every step event the form compared is in some list; one that did not fit is the largest key.
  SELECT NOT COALESCE(BOOL_OR(last_key = 9223372036854775807), FALSE) AS exact_keys
  FROM unit_steps_keys
),
unit_steps AS (
  SELECT uid, sid, step, via, gap FROM unit_steps_keys
)
