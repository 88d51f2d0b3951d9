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
-- @params step step1..step20
-- @param seg_event STRING purchase
-- @params exclusion x1..x5
-- @params condition c1..c30
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
