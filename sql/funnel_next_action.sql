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
-- @param step1_event STRING view_item
-- @param step1_within_us INT64 3600000000
-- @param step2_event STRING view_item
-- @param step2_within_us INT64 3600000000
-- @param step3_event STRING view_item
-- @param step3_within_us INT64 3600000000
-- @param step4_event STRING view_item
-- @param step4_within_us INT64 3600000000
-- @param step5_event STRING view_item
-- @param step5_within_us INT64 3600000000
-- @param step6_event STRING view_item
-- @param step6_within_us INT64 3600000000
-- @param step7_event STRING view_item
-- @param step7_within_us INT64 3600000000
-- @param step8_event STRING view_item
-- @param step8_within_us INT64 3600000000
-- @param step9_event STRING view_item
-- @param step9_within_us INT64 3600000000
-- @param step10_event STRING view_item
-- @param step10_within_us INT64 3600000000
-- @param step11_event STRING view_item
-- @param step11_within_us INT64 3600000000
-- @param step12_event STRING view_item
-- @param step12_within_us INT64 3600000000
-- @param step13_event STRING view_item
-- @param step13_within_us INT64 3600000000
-- @param step14_event STRING view_item
-- @param step14_within_us INT64 3600000000
-- @param step15_event STRING view_item
-- @param step15_within_us INT64 3600000000
-- @param step16_event STRING view_item
-- @param step16_within_us INT64 3600000000
-- @param step17_event STRING view_item
-- @param step17_within_us INT64 3600000000
-- @param step18_event STRING view_item
-- @param step18_within_us INT64 3600000000
-- @param step19_event STRING view_item
-- @param step19_within_us INT64 3600000000
-- @param step20_event STRING view_item
-- @param step20_within_us INT64 3600000000
-- @param seg_event STRING purchase
-- @param x1_event STRING refund
-- @param x2_event STRING refund
-- @param x3_event STRING refund
-- @param x4_event STRING refund
-- @param x5_event STRING refund
-- @param c1_key STRING currency
-- @param c1_s STRING USD
-- @param c1_n FLOAT64 0
-- @param c1_n2 FLOAT64 0
-- @param c1_list ARRAY<STRING> USD
-- @param c1_nums ARRAY<FLOAT64> 1
-- @param c2_key STRING currency
-- @param c2_s STRING USD
-- @param c2_n FLOAT64 0
-- @param c2_n2 FLOAT64 0
-- @param c2_list ARRAY<STRING> USD
-- @param c2_nums ARRAY<FLOAT64> 1
-- @param c3_key STRING currency
-- @param c3_s STRING USD
-- @param c3_n FLOAT64 0
-- @param c3_n2 FLOAT64 0
-- @param c3_list ARRAY<STRING> USD
-- @param c3_nums ARRAY<FLOAT64> 1
-- @param c4_key STRING currency
-- @param c4_s STRING USD
-- @param c4_n FLOAT64 0
-- @param c4_n2 FLOAT64 0
-- @param c4_list ARRAY<STRING> USD
-- @param c4_nums ARRAY<FLOAT64> 1
-- @param c5_key STRING currency
-- @param c5_s STRING USD
-- @param c5_n FLOAT64 0
-- @param c5_n2 FLOAT64 0
-- @param c5_list ARRAY<STRING> USD
-- @param c5_nums ARRAY<FLOAT64> 1
-- @param c6_key STRING currency
-- @param c6_s STRING USD
-- @param c6_n FLOAT64 0
-- @param c6_n2 FLOAT64 0
-- @param c6_list ARRAY<STRING> USD
-- @param c6_nums ARRAY<FLOAT64> 1
-- @param c7_key STRING currency
-- @param c7_s STRING USD
-- @param c7_n FLOAT64 0
-- @param c7_n2 FLOAT64 0
-- @param c7_list ARRAY<STRING> USD
-- @param c7_nums ARRAY<FLOAT64> 1
-- @param c8_key STRING currency
-- @param c8_s STRING USD
-- @param c8_n FLOAT64 0
-- @param c8_n2 FLOAT64 0
-- @param c8_list ARRAY<STRING> USD
-- @param c8_nums ARRAY<FLOAT64> 1
-- @param c9_key STRING currency
-- @param c9_s STRING USD
-- @param c9_n FLOAT64 0
-- @param c9_n2 FLOAT64 0
-- @param c9_list ARRAY<STRING> USD
-- @param c9_nums ARRAY<FLOAT64> 1
-- @param c10_key STRING currency
-- @param c10_s STRING USD
-- @param c10_n FLOAT64 0
-- @param c10_n2 FLOAT64 0
-- @param c10_list ARRAY<STRING> USD
-- @param c10_nums ARRAY<FLOAT64> 1
-- @param c11_key STRING currency
-- @param c11_s STRING USD
-- @param c11_n FLOAT64 0
-- @param c11_n2 FLOAT64 0
-- @param c11_list ARRAY<STRING> USD
-- @param c11_nums ARRAY<FLOAT64> 1
-- @param c12_key STRING currency
-- @param c12_s STRING USD
-- @param c12_n FLOAT64 0
-- @param c12_n2 FLOAT64 0
-- @param c12_list ARRAY<STRING> USD
-- @param c12_nums ARRAY<FLOAT64> 1
-- @param c13_key STRING currency
-- @param c13_s STRING USD
-- @param c13_n FLOAT64 0
-- @param c13_n2 FLOAT64 0
-- @param c13_list ARRAY<STRING> USD
-- @param c13_nums ARRAY<FLOAT64> 1
-- @param c14_key STRING currency
-- @param c14_s STRING USD
-- @param c14_n FLOAT64 0
-- @param c14_n2 FLOAT64 0
-- @param c14_list ARRAY<STRING> USD
-- @param c14_nums ARRAY<FLOAT64> 1
-- @param c15_key STRING currency
-- @param c15_s STRING USD
-- @param c15_n FLOAT64 0
-- @param c15_n2 FLOAT64 0
-- @param c15_list ARRAY<STRING> USD
-- @param c15_nums ARRAY<FLOAT64> 1
-- @param c16_key STRING currency
-- @param c16_s STRING USD
-- @param c16_n FLOAT64 0
-- @param c16_n2 FLOAT64 0
-- @param c16_list ARRAY<STRING> USD
-- @param c16_nums ARRAY<FLOAT64> 1
-- @param c17_key STRING currency
-- @param c17_s STRING USD
-- @param c17_n FLOAT64 0
-- @param c17_n2 FLOAT64 0
-- @param c17_list ARRAY<STRING> USD
-- @param c17_nums ARRAY<FLOAT64> 1
-- @param c18_key STRING currency
-- @param c18_s STRING USD
-- @param c18_n FLOAT64 0
-- @param c18_n2 FLOAT64 0
-- @param c18_list ARRAY<STRING> USD
-- @param c18_nums ARRAY<FLOAT64> 1
-- @param c19_key STRING currency
-- @param c19_s STRING USD
-- @param c19_n FLOAT64 0
-- @param c19_n2 FLOAT64 0
-- @param c19_list ARRAY<STRING> USD
-- @param c19_nums ARRAY<FLOAT64> 1
-- @param c20_key STRING currency
-- @param c20_s STRING USD
-- @param c20_n FLOAT64 0
-- @param c20_n2 FLOAT64 0
-- @param c20_list ARRAY<STRING> USD
-- @param c20_nums ARRAY<FLOAT64> 1
-- @param c21_key STRING currency
-- @param c21_s STRING USD
-- @param c21_n FLOAT64 0
-- @param c21_n2 FLOAT64 0
-- @param c21_list ARRAY<STRING> USD
-- @param c21_nums ARRAY<FLOAT64> 1
-- @param c22_key STRING currency
-- @param c22_s STRING USD
-- @param c22_n FLOAT64 0
-- @param c22_n2 FLOAT64 0
-- @param c22_list ARRAY<STRING> USD
-- @param c22_nums ARRAY<FLOAT64> 1
-- @param c23_key STRING currency
-- @param c23_s STRING USD
-- @param c23_n FLOAT64 0
-- @param c23_n2 FLOAT64 0
-- @param c23_list ARRAY<STRING> USD
-- @param c23_nums ARRAY<FLOAT64> 1
-- @param c24_key STRING currency
-- @param c24_s STRING USD
-- @param c24_n FLOAT64 0
-- @param c24_n2 FLOAT64 0
-- @param c24_list ARRAY<STRING> USD
-- @param c24_nums ARRAY<FLOAT64> 1
-- @param c25_key STRING currency
-- @param c25_s STRING USD
-- @param c25_n FLOAT64 0
-- @param c25_n2 FLOAT64 0
-- @param c25_list ARRAY<STRING> USD
-- @param c25_nums ARRAY<FLOAT64> 1
-- @param c26_key STRING currency
-- @param c26_s STRING USD
-- @param c26_n FLOAT64 0
-- @param c26_n2 FLOAT64 0
-- @param c26_list ARRAY<STRING> USD
-- @param c26_nums ARRAY<FLOAT64> 1
-- @param c27_key STRING currency
-- @param c27_s STRING USD
-- @param c27_n FLOAT64 0
-- @param c27_n2 FLOAT64 0
-- @param c27_list ARRAY<STRING> USD
-- @param c27_nums ARRAY<FLOAT64> 1
-- @param c28_key STRING currency
-- @param c28_s STRING USD
-- @param c28_n FLOAT64 0
-- @param c28_n2 FLOAT64 0
-- @param c28_list ARRAY<STRING> USD
-- @param c28_nums ARRAY<FLOAT64> 1
-- @param c29_key STRING currency
-- @param c29_s STRING USD
-- @param c29_n FLOAT64 0
-- @param c29_n2 FLOAT64 0
-- @param c29_list ARRAY<STRING> USD
-- @param c29_nums ARRAY<FLOAT64> 1
-- @param c30_key STRING currency
-- @param c30_s STRING USD
-- @param c30_n FLOAT64 0
-- @param c30_n2 FLOAT64 0
-- @param c30_list ARRAY<STRING> USD
-- @param c30_nums ARRAY<FLOAT64> 1
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
