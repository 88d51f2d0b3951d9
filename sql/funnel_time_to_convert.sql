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
-- @params step step1..step20
-- @param seg_event STRING purchase
-- @params exclusion x1..x5
-- @params condition c1..c30
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
