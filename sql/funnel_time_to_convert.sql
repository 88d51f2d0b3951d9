-- Funnel time to convert (journeys.md §1): per unit (user, or session) that completed the chain
-- from step 1 to the target step (a closed funnel's rules: within, directly, window, exclusions, ties),
-- its shortest such chain, from the entry event to the step's event; over those units the count,
-- mean, exact median (mean of the two middle values), nearest-rank percentiles (rank ceil(p n)),
-- and a histogram like PostHog's: clamp(ceil(cbrt(n)), 1, 60) bins of equal width in whole
-- microseconds (ceil((max - min) / bins), at least 1) from the minimum, the last bin closed.
-- One row per non-empty bin, each carrying the totals; no units, no rows.
-- The target step's e is already the latest entry of any valid chain ending at the event, so ts - e is
-- the shortest chain ending there, and the unit's minimum over its events is its shortest chain.
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
-- @context {"session":false,"open":false,"hasWindow":true,"directly":false,"joinPrev":true,"ranked":false,"breakdown":false,"landingPage":false,"breakdownSql":"","steps":[{"n":1,"prev":0,"first":true,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[]},{"n":2,"prev":1,"first":false,"directly":false,"hasWithin":true,"hasExcl":false,"excl":[],"where":[]},{"n":3,"prev":2,"first":false,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[{"id":"c1","kind":"param","item":false,"keyRef":"@c1_key","fieldSql":"","itemField":"","op":"eq","numeric":false}]}],"exclusions":[],"withDate":false,"toStep":3,"segment":false}
WITH {{> funnel_chain}},
durations AS (
  SELECT uid, sid, MIN(ts - e) AS d
  FROM s{{toStep}}
  WHERE e IS NOT NULL
  GROUP BY uid, sid
),
totals AS (
  SELECT n, lo, hi, mean_us, LEAST(60, GREATEST(1, IF((b0 - 1) * (b0 - 1) * (b0 - 1) >= n, b0 - 1, IF(b0 * b0 * b0 < n, b0 + 1, b0)))) AS bins
  FROM (
    -- b0 is ceil(cbrt(n)) up to floating error, corrected to the exact integer above.
    SELECT COUNT(*) AS n, MIN(d) AS lo, MAX(d) AS hi, AVG(d) AS mean_us,
      CAST(CEIL(POW(CAST(COUNT(*) AS FLOAT64), 1.0 / 3)) AS INT64) AS b0
    FROM durations
  )
),
sized AS (
  SELECT *, GREATEST(1, CAST(CEIL((hi - lo) / bins) AS INT64)) AS width
  FROM totals
  WHERE n > 0
),
placed AS (
  SELECT
    d.d,
    LEAST(s.bins - 1, CAST(FLOOR((d.d - s.lo) / s.width) AS INT64)) AS bin,
    ROW_NUMBER() OVER (ORDER BY d.d) AS rn,
    s.n
  FROM durations AS d
  CROSS JOIN sized AS s
),
stats AS (
  SELECT
    AVG(IF(rn = CAST(FLOOR((n + 1) / 2) AS INT64) OR rn = CAST(FLOOR(n / 2) AS INT64) + 1, d, NULL)) / 1000000 AS median_s,
    MIN(IF(rn = CAST(FLOOR((25 * n + 99) / 100) AS INT64), d, NULL)) / 1000000 AS p25_s,
    MIN(IF(rn = CAST(FLOOR((75 * n + 99) / 100) AS INT64), d, NULL)) / 1000000 AS p75_s,
    MIN(IF(rn = CAST(FLOOR((90 * n + 99) / 100) AS INT64), d, NULL)) / 1000000 AS p90_s,
    MIN(IF(rn = CAST(FLOOR((95 * n + 99) / 100) AS INT64), d, NULL)) / 1000000 AS p95_s,
    MIN(IF(rn = CAST(FLOOR((99 * n + 99) / 100) AS INT64), d, NULL)) / 1000000 AS p99_s
  FROM placed
)
SELECT
  p.bin,
  COUNT(*) AS units,
  ANY_VALUE(s.n) AS total_units,
  ANY_VALUE(s.bins) AS bins,
  ANY_VALUE(s.lo) AS min_us,
  ANY_VALUE(s.hi) AS max_us,
  ANY_VALUE(s.width) AS width_us,
  ANY_VALUE(s.mean_us) / 1000000 AS mean_s,
  ANY_VALUE(t.median_s) AS median_s,
  ANY_VALUE(t.p25_s) AS p25_s,
  ANY_VALUE(t.p75_s) AS p75_s,
  ANY_VALUE(t.p90_s) AS p90_s,
  ANY_VALUE(t.p95_s) AS p95_s,
  ANY_VALUE(t.p99_s) AS p99_s
FROM placed AS p
CROSS JOIN sized AS s
CROSS JOIN stats AS t
GROUP BY p.bin
ORDER BY p.bin
