-- The funnel chain (journeys.md §1), shared by sql/funnel*.sql (included after their WITH).
-- CTEs: ranked (the scoped events with step flags m1..mN), s1..sN (per event matching step k:
-- e = the latest entry of a valid chain ending at it, via = reached from step k-1, gap = time from
-- the latest valid step k-1 event) and unit_steps (per unit and reached step: via, shortest gap).
-- The method and tie rules are described in sql/funnel.sql's header.
{{#*inline "cols"}}uid, sid, id, ts, bo, bi, r{{#if @root.masked}}, gi{{/if}}{{#each @root.steps}}{{#if hasExcl}}, cle{{n}}, clt{{n}}{{/if}}{{/each}}{{/inline}}
{{#*inline "bcols"}}b.uid, b.sid, b.id, b.ts, b.bo, b.bi, b.r{{#if @root.masked}}, b.gi{{/if}}{{#each @root.steps}}{{#if hasExcl}}, b.cle{{n}}, b.clt{{n}}{{/if}}{{/each}}{{/inline}}
{{#*inline "bbit"}}IF(b.gi < 62, CAST(1 AS INT64) << b.gi, 0){{/inline}}
{{> funnel_events}},
{{#each steps}}
{{#if first}}
s1 AS (
  SELECT {{> cols}}, ts AS e, FALSE AS via, CAST(NULL AS INT64) AS gap{{#if @root.masked}}, IF(gi < 62, CAST(1 AS INT64) << gi, 0) AS mask{{/if}}
  FROM ranked
  WHERE m1
),
{{else}}
c{{n}} AS (
  SELECT {{> cols}} FROM ranked WHERE m{{n}}
),
p{{n}} AS (
  SELECT {{> cols}}, e{{#if @root.masked}}, mask{{/if}} FROM s{{prev}} WHERE e IS NOT NULL
),
{{#if directly}}
d{{n}} AS (
  -- `directly`: the previous step's event has the same order key or the one just before it.
{{#if @root.masked}}
  -- Same order key: the previous step's chain must not have used this event; the chain's mask adds it.
  SELECT uid, sid, id, mask, MAX(e) AS e_prev, MAX(a_ts) AS p_ts
  FROM (
    SELECT b.uid, b.sid, b.id, IF(a.r = b.r, a.mask | {{> bbit}}, {{> bbit}}) AS mask, a.e, a.ts AS a_ts
    FROM c{{n}} AS b
    JOIN p{{n}} AS a
      ON a.uid = b.uid AND a.sid = b.sid AND a.r >= b.r - 1 AND a.r <= b.r AND a.id != b.id
    WHERE (a.r < b.r OR (a.mask & {{> bbit}}) = 0){{#if hasWithin}} AND b.ts - a.ts <= @step{{n}}_within_us{{/if}}{{#if hasExcl}} AND (a.r = b.r OR a.cle{{n}} = b.clt{{n}}){{/if}}
  )
  GROUP BY uid, sid, id, mask
{{else}}
  SELECT b.uid, b.sid, b.id, MAX(a.e) AS e_prev, MAX(a.ts) AS p_ts
  FROM c{{n}} AS b
  JOIN p{{n}} AS a
    ON a.uid = b.uid AND a.sid = b.sid AND a.r >= b.r - 1 AND a.r <= b.r AND a.id != b.id
  WHERE TRUE{{#if hasWithin}} AND b.ts - a.ts <= @step{{n}}_within_us{{/if}}{{#if hasExcl}} AND (a.r = b.r OR a.cle{{n}} = b.clt{{n}}){{/if}}
  GROUP BY b.uid, b.sid, b.id
{{/if}}
),
t{{n}} AS (
  SELECT c.*, d.e_prev AS e_best, d.p_ts AS p_best{{#if @root.masked}}, COALESCE(d.mask, 0) AS mask{{/if}}
  FROM c{{n}} AS c
  LEFT JOIN d{{n}} AS d ON d.uid = c.uid AND d.sid = c.sid AND d.id = c.id
),
{{else}}
{{#if @root.joinPrev}}
j{{n}} AS (
  -- Step {{prev}} events that may precede each step {{n}} event: strictly earlier ones, and equal
  -- timestamps the order keys allow (tie rule; never the event itself), no older than `within`,
  -- by one equi-join on the unit with a range condition (DuckDB's window frames are slow with many
  -- small partitions). The latest entry and the latest step {{prev}} time are the maxima over them.
  -- Pairs per unit grow as (step {{prev}} events) x (step {{n}} events); see funnelQuery.ts for when it is used.
{{#if @root.masked}}
  -- Same order key: the previous step's chain must not have used this event; the chain's mask adds it.
  SELECT {{> cols}}, mask, MAX(e) AS e_best, MAX(a_ts) AS p_best
  FROM (
    SELECT
      {{> bcols}},
      IF(a.ts = b.ts AND a.bo = b.bo AND a.bi = b.bi, a.mask | {{> bbit}}, {{> bbit}}) AS mask,
      a.e,
      a.ts AS a_ts
    FROM c{{n}} AS b
    JOIN p{{n}} AS a
      ON a.uid = b.uid AND a.sid = b.sid AND a.ts <= b.ts{{#if hasWithin}} AND a.ts >= b.ts - @step{{n}}_within_us{{/if}}
    WHERE (a.ts < b.ts OR ((a.bo < b.bo OR (a.bo = b.bo AND a.bi <= b.bi)) AND a.id != b.id))
      AND (a.ts != b.ts OR a.bo != b.bo OR a.bi != b.bi OR (a.mask & {{> bbit}}) = 0){{#if hasExcl}}
      AND (a.cle{{n}} = b.clt{{n}} OR (a.ts = b.ts AND a.bo = b.bo AND a.bi = b.bi)){{/if}}
  )
  GROUP BY {{> cols}}, mask
{{else}}
  SELECT {{> bcols}}, MAX(a.e) AS e_best, MAX(a.ts) AS p_best
  FROM c{{n}} AS b
  JOIN p{{n}} AS a
    ON a.uid = b.uid AND a.sid = b.sid AND a.ts <= b.ts{{#if hasWithin}} AND a.ts >= b.ts - @step{{n}}_within_us{{/if}}
  WHERE (a.ts < b.ts OR ((a.bo < b.bo OR (a.bo = b.bo AND a.bi <= b.bi)){{#if @root.ranked}} AND a.id != b.id{{/if}})){{#if hasExcl}}
    AND (a.cle{{n}} = b.clt{{n}} OR (a.ts = b.ts AND a.bo = b.bo AND a.bi = b.bi)){{/if}}
  GROUP BY {{> bcols}}
{{/if}}
),
t{{n}} AS (
{{#if @root.open}}
  -- Open funnels enter at any step event, so every candidate stays, reached from step {{prev}} or not.
  SELECT b.*, j.e_best, j.p_best
  FROM c{{n}} AS b
  LEFT JOIN j{{n}} AS j
    ON j.uid = b.uid AND j.sid = b.sid AND j.ts = b.ts AND j.bo = b.bo AND j.bi = b.bi AND j.id = b.id
{{else}}
  SELECT * FROM j{{n}}
{{/if}}
),
{{else}}
w{{n}} AS (
  -- Strictly earlier step {{prev}} events, one window over step {{prev}} and step {{n}} events: with
  -- `within` a RANGE frame on the timestamp; without, a running maximum where candidates sort
  -- before step {{prev}} events of their own timestamp and carry no e, so the frame holds exactly
  -- the strictly earlier step {{prev}} events.
  SELECT
    *,
{{#if hasWithin}}
    MAX(e) OVER (
      PARTITION BY uid, sid{{#if hasExcl}}, seg{{/if}} ORDER BY ts
      RANGE BETWEEN @step{{n}}_within_us PRECEDING AND 1 PRECEDING
    ) AS e_prev,
    MAX(pts) OVER (
      PARTITION BY uid, sid{{#if hasExcl}}, seg{{/if}} ORDER BY ts
      RANGE BETWEEN @step{{n}}_within_us PRECEDING AND 1 PRECEDING
    ) AS p_ts
{{else}}
    MAX(e) OVER (
      PARTITION BY uid, sid{{#if hasExcl}}, seg{{/if}} ORDER BY ts, is_cand DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS e_prev,
    MAX(pts) OVER (
      PARTITION BY uid, sid{{#if hasExcl}}, seg{{/if}} ORDER BY ts, is_cand DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS p_ts
{{/if}}
  FROM (
    SELECT {{> cols}}, e, ts AS pts, 0 AS is_cand{{#if hasExcl}}, cle{{n}} AS seg{{/if}} FROM p{{n}}
    UNION ALL
    SELECT {{> cols}}, CAST(NULL AS INT64), CAST(NULL AS INT64), 1{{#if hasExcl}}, clt{{n}}{{/if}} FROM c{{n}}
  )
),
q{{n}} AS (
  -- Equal timestamps: allowed unless order keys put the step {{prev}} event after (tie rule).
  SELECT b.uid AS q_uid, b.sid AS q_sid, b.ts AS q_ts, b.bo AS q_bo, b.bi AS q_bi, b.id AS q_id, MAX(a.e) AS q_e
  FROM c{{n}} AS b
  JOIN p{{n}} AS a ON a.uid = b.uid AND a.sid = b.sid AND a.ts = b.ts{{#if @root.ranked}} AND a.id != b.id{{/if}}
  WHERE (a.bo < b.bo OR (a.bo = b.bo AND a.bi <= b.bi)){{#if hasExcl}}
    AND ((a.bo = b.bo AND a.bi = b.bi) OR a.cle{{n}} = b.clt{{n}}){{/if}}
  GROUP BY b.uid, b.sid, b.ts, b.bo, b.bi, b.id
),
t{{n}} AS (
  -- Without ids (all 0), candidates with one order key share one q row: same key, same answer.
  SELECT
    w.*,
    NULLIF(GREATEST(COALESCE(w.e_prev, -1), COALESCE(q.q_e, -1)), -1) AS e_best,
    IF(q.q_e IS NOT NULL, w.ts, w.p_ts) AS p_best
  FROM w{{n}} AS w
  LEFT JOIN q{{n}} AS q
    ON q.q_uid = w.uid AND q.q_sid = w.sid AND q.q_ts = w.ts AND q.q_bo = w.bo AND q.q_bi = w.bi AND q.q_id = w.id
  WHERE w.is_cand = 1
),
{{/if}}
{{/if}}
s{{n}} AS (
  SELECT
    {{> cols}},
    {{#if @root.open}}ts{{else}}IF(via, e_best, NULL){{/if}} AS e,
    via,
    IF(via, ts - p_best, NULL) AS gap{{#if @root.masked}},
    mask,
    p_best{{/if}}
  FROM (
    SELECT
      *,
      COALESCE(e_best IS NOT NULL{{#if @root.hasWindow}} AND ts - e_best <= @window_us{{/if}}, FALSE) AS via
    FROM t{{n}}
  )
),
{{/if}}
{{/each}}
unit_steps AS (
  {{#each steps}}
  {{#unless first}}UNION ALL{{/unless}}
  {{#if @root.masked}}{{#unless first}}
  -- An event may end chains of several masks: its gap is from the latest step {{prev}} event that may
  -- precede it in any of them (as without masks), counted when one of them is valid.
  SELECT uid, sid, {{n}} AS step, TRUE AS via, MIN(gap) AS gap
  FROM (
    SELECT uid, sid, LOGICAL_OR(via) AS via, MAX(ts) - MAX(p_best) AS gap
    FROM s{{n}}
    GROUP BY uid, sid, id
  )
  WHERE via
  GROUP BY uid, sid
  {{else}}
  SELECT uid, sid, {{n}} AS step, LOGICAL_OR(via) AS via, MIN(gap) AS gap
  FROM s{{n}}
  WHERE e IS NOT NULL
  GROUP BY uid, sid
  {{/unless}}{{else}}
  SELECT uid, sid, {{n}} AS step, LOGICAL_OR(via) AS via, MIN(gap) AS gap
  FROM s{{n}}
  WHERE e IS NOT NULL
  GROUP BY uid, sid
  {{/if}}
  {{/each}}
)
