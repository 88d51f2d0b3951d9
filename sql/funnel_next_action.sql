-- Next action after each step (journeys.md §1; GA4's "show next action"): for each step k (the
-- last one too: what people did after converting), per unit (user, or session) that reached it,
-- its first step-k event that ends a valid chain (every constraint of the funnel: order, ties,
-- within, window, directly, exclusions, open or closed: an s_k event with e set), and what came
-- right after it in the unit's full event stream of the range (not only the step events the chain
-- reads). Order: event_timestamp, batch_ordering_id, batch_event_index (missing as 0), then
-- event_name; events equal to the step event in all four are not after it (they cannot be told
-- apart from it, as a doubly logged event). Value: the next event's name, or (byPage) the path of
-- the next page_view (page_location without scheme, host, query and fragment; '' as '/'; no
-- page_location as '(not set)'; page_views tied on all four keys: the smallest path).
-- Per step, values ranked by units (then value) are kept to @next_top_n, the rest summed as
-- (other); units with no later event (page_view) in scope are (none). reached_next: of those
-- units, how many reached step k+1 from step k (units - reached_next add up to the step's
-- abandonments).
-- Set-based, one window over the stream: by event, each distinct (unit, key, name) row's next
-- row (LEAD), fetched for the step's first event by an equi-join (that event is a row of the
-- stream); by page, the step's first events are merged into the page_view rows as markers sorting
-- after the rows of their own key, a running count gives each marker the position of the last
-- row not after it, and an equi-join on (unit, position + 1) fetches the next page_view.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param window_us INT64 604800000000
-- @param key_base_us INT64 1603584000000000
-- @param top_n INT64 5
-- @param next_top_n INT64 5
-- @param event_names ARRAY<STRING> view_item,add_to_cart,purchase
-- @params step step1..step20
-- @param seg_event STRING purchase
-- @params exclusion x1..x5
-- @params condition c1..c30
-- @context {"session":false,"open":false,"hasWindow":true,"directly":false,"joinPrev":true,"masked":false,"ranked":false,"breakdown":false,"landingPage":false,"breakdownSql":"","steps":[{"n":1,"prev":0,"first":true,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[]},{"n":2,"prev":1,"first":false,"directly":false,"hasWithin":true,"hasExcl":false,"excl":[],"where":[]},{"n":3,"prev":2,"first":false,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[{"id":"c1","kind":"param","item":false,"keyRef":"@c1_key","fieldSql":"","itemField":"","op":"eq","numeric":false}]}],"exclusions":[],"withDate":false,"segment":false,"byPage":true}
WITH {{> funnel_chain}},
stream AS (
  -- One row per unit, order key and name (the full stream; page_views only for pages).
  SELECT uid, sid, ts, bo, bi, event_name, MIN(label) AS label
  FROM (
    SELECT
      uid, sid, ts, bo, bi, event_name,
      {{#if byPage}}IF(path IS NULL, '(not set)', IF(path = '', '/', path)){{else}}event_name{{/if}} AS label
    FROM (
      SELECT
        user_pseudo_id AS uid,
        {{#if session}}{{param 'int' 'ga_session_id'}}{{else}}CAST(0 AS INT64){{/if}} AS sid,
        event_timestamp AS ts,
        COALESCE(batch_ordering_id, 0) AS bo,
        COALESCE(batch_event_index, 0) AS bi,
        event_name{{#if byPage}},
        REGEXP_REPLACE(
          REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', ''),
          '[?#].*', '') AS path{{/if}}
      FROM {{events}}
      WHERE user_pseudo_id IS NOT NULL{{#if byPage}} AND event_name = 'page_view'{{/if}}
    )
    WHERE sid IS NOT NULL
  )
  GROUP BY uid, sid, ts, bo, bi, event_name
),
firsts AS (
  -- Each unit's first step-k event ending a valid chain (equal keys: the same name, one answer).
  {{#each steps}}
  {{#unless first}}UNION ALL{{/unless}}
  SELECT uid, sid, {{n}} AS step, ts, bo, bi, @step{{n}}_event AS event_name
  FROM (
    SELECT uid, sid, ts, bo, bi, ROW_NUMBER() OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi) AS rn
    FROM s{{n}}
    WHERE e IS NOT NULL
  )
  WHERE rn = 1
  {{/each}}
),
{{#if byPage}}
positioned AS (
  -- pos: page_view rows up to here; a marker sorts after the rows of its own key and name, so the
  -- next page_view after it is the row at pos + 1.
  SELECT
    *,
    SUM(is_row) OVER (
      PARTITION BY uid, sid ORDER BY ts, bo, bi, event_name, is_row DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS pos
  FROM (
    SELECT uid, sid, ts, bo, bi, event_name, label, 1 AS is_row, 0 AS step FROM stream
    UNION ALL
    SELECT uid, sid, ts, bo, bi, event_name, CAST(NULL AS STRING), 0, step FROM firsts
  )
),
nexts AS (
  SELECT m.uid, m.sid, m.step, r.label
  FROM positioned AS m
  LEFT JOIN positioned AS r
    ON r.uid = m.uid AND r.sid = m.sid AND r.is_row = 1 AND r.pos = m.pos + 1
  WHERE m.is_row = 0
),
{{else}}
followed AS (
  -- The step event is itself a stream row: the next row is its next event.
  SELECT uid, sid, ts, bo, bi, event_name,
    LEAD(label) OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi, event_name) AS next_label
  FROM stream
),
nexts AS (
  SELECT f.uid, f.sid, f.step, s.next_label AS label
  FROM firsts AS f
  JOIN followed AS s
    ON s.uid = f.uid AND s.sid = f.sid AND s.ts = f.ts AND s.bo = f.bo AND s.bi = f.bi
      AND s.event_name = f.event_name
),
{{/if}}
counted AS (
  SELECT
    n.step,
    COALESCE(n.label, '(none)') AS label,
    n.label IS NULL AS is_none,
    COUNT(*) AS units,
    COUNTIF(COALESCE(u.via, FALSE)) AS reached_next
  FROM nexts AS n
  LEFT JOIN unit_steps AS u ON u.uid = n.uid AND u.sid = n.sid AND u.step = n.step + 1
  GROUP BY n.step, COALESCE(n.label, '(none)'), n.label IS NULL
),
label_ranks AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY step, is_none ORDER BY units DESC, label) AS rk
  FROM counted
)
SELECT step, label, kind, SUM(units) AS units, SUM(reached_next) AS reached_next, MIN(rk) AS rk
FROM (
  SELECT
    step,
    IF(is_none, '(none)', IF(rk <= @next_top_n, label, '(other)')) AS label,
    IF(is_none, 2, IF(rk <= @next_top_n, 0, 1)) AS kind,
    units,
    reached_next,
    rk
  FROM label_ranks
)
GROUP BY step, label, kind
ORDER BY step, kind, rk
