-- Funnel: for each unit (user, or user + ga_session_id), which steps it reached over all attempts
-- (journeys.md §1), set-based: for every event matching step k keep E = the latest entry time of
-- any valid chain ending at it, from the step k-1 events that may precede it, found by one
-- equi-join on the unit per step (a range condition on event_timestamp bounded by `within`; or,
-- with form 'window', a RANGE window plus an equi-join for equal timestamps): strictly earlier
-- ones, and equal timestamps unless order keys put the step k-1 event after (tie rule). One event
-- never serves two steps: where a step's event recurs two or more steps later, each chain carries
-- a bit mask of the events of its current order key it used, so A, B, A on one key needs two As.
-- For `directly` an equi-join on the unit's dense rank of order keys
-- (rank equal or one before: no event strictly between them in the full stream). Open funnels
-- also enter at the event itself. A step is reached when some E satisfies `window` (ts - E <= window):
-- the latest entry is never worse, so only the maximum is carried.
-- Exclusions between steps i and j: no exclusion event strictly between (order keys) any two
-- consecutive chain events from step i to step j; done by counting exclusion events in the full
-- stream and partitioning the step k-1 -> k window by that count.
-- Time from previous step (per unit reaching step k from step k-1): the shortest ts_b - ts_a over
-- step-k events b that end a valid chain, a being the latest valid step k-1 event that may precede b
-- (order, tie, within, directly, exclusions; the window is checked on b's chain, not on a).
-- Breakdown value: at the unit's first entry event (closed: first step-1 event; open: first event
-- matching any step), in order-key order; ties take the smallest value. Top @top_n plus (other).
-- Values are bound: steps are @stepN_event / @stepN_within_us, conditions @cN_*, exclusions @xN_event.
-- On DuckDB, a closed funnel without windows, `directly` or exclusions takes the first-match form
-- (sql/partials/funnel_first_match.sql): same answers, one join per step against one row per unit;
-- it adds `exact_keys` to every row, false when the caller must run the general form instead.
-- @context {"session":false,"open":false,"hasWindow":true,"directly":false,"joinPrev":true,"masked":false,"ranked":false,"breakdown":false,"landingPage":false,"breakdownSql":"","steps":[{"n":1,"prev":0,"first":true,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[]},{"n":2,"prev":1,"first":false,"directly":false,"hasWithin":true,"hasExcl":false,"excl":[],"where":[]},{"n":3,"prev":2,"first":false,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[{"id":"c1","kind":"param","item":false,"keyRef":"@c1_key","fieldSql":"","itemField":"","op":"eq","numeric":false}]}],"exclusions":[],"withDate":false,"segment":false}
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param window_us INT64 604800000000
-- @param key_base_us INT64 1603584000000000
-- @param top_n INT64 5
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
WITH {{#if firstMatch}}{{> funnel_first_match}}{{else}}{{> funnel_chain}}{{/if}},
{{#if breakdown}}
entry_values AS (
  SELECT uid, sid, COALESCE(bvalue, '(not set)') AS bvalue
  FROM ranked
  WHERE {{#if open}}{{#each steps}}{{#unless first}} OR {{/unless}}m{{n}}{{/each}}{{else}}m1{{/if}}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi, COALESCE(bvalue, '(not set)')) = 1
),
value_ranks AS (
  SELECT bvalue, ROW_NUMBER() OVER (ORDER BY COUNT(*) DESC, bvalue) AS rk
  FROM entry_values
  GROUP BY bvalue
),
labeled AS (
  SELECT u.step, u.via, u.gap, IF(v.rk <= @top_n, e.bvalue, '(other)') AS grp
  FROM unit_steps AS u
  JOIN entry_values AS e ON e.uid = u.uid AND e.sid = u.sid
  JOIN value_ranks AS v ON v.bvalue = e.bvalue
),
all_rows AS (
  SELECT TRUE AS total, '' AS grp, step, via, gap FROM labeled
  UNION ALL
  SELECT FALSE AS total, grp, step, via, gap FROM labeled
),
{{else}}
all_rows AS (
  SELECT TRUE AS total, '' AS grp, step, via, gap FROM unit_steps
),
{{/if}}
{{#if firstMatch}}
medians AS (
  -- DuckDB's exact median (the mean of the two middle values for an even count), as below.
  SELECT total, grp, step, MEDIAN(gap) / 1000000 AS median_s
  FROM all_rows
  GROUP BY total, grp, step
)
{{else}}
gap_ranks AS (
  SELECT
    total, grp, step, gap,
    ROW_NUMBER() OVER (PARTITION BY total, grp, step ORDER BY gap) AS rn,
    COUNT(*) OVER (PARTITION BY total, grp, step) AS cnt
  FROM all_rows
  WHERE gap IS NOT NULL
),
medians AS (
  SELECT
    total, grp, step,
    AVG(IF(rn = CAST(FLOOR((cnt + 1) / 2) AS INT64) OR rn = CAST(FLOOR(cnt / 2) AS INT64) + 1, gap, NULL)) / 1000000 AS median_s
  FROM gap_ranks
  GROUP BY total, grp, step
)
{{/if}}
SELECT
  a.total,
  a.grp,
  a.step,
  COUNT(*) AS units,
  COUNTIF(a.via) AS via_previous,
  AVG(a.gap) / 1000000 AS mean_s,
  ANY_VALUE(m.median_s) AS median_s{{#if firstMatch}},
  ANY_VALUE(k.exact_keys) AS exact_keys{{/if}}
FROM all_rows AS a
LEFT JOIN medians AS m ON m.total = a.total AND m.grp = a.grp AND m.step = a.step{{#if firstMatch}}
CROSS JOIN key_check AS k{{/if}}
GROUP BY a.total, a.grp, a.step
ORDER BY a.total DESC, a.grp, a.step
