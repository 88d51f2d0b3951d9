-- Trended funnel (journeys.md §1): the funnel's per-step counts per period of entry, a period
-- being the day or the Monday-based week (DIV(UNIX_DATE(d) + 3, 7): 1970-01-01 was a Thursday) of
-- event_date (the export's time zone) of the unit's first entry event (closed: first step 1 event;
-- open: first event matching any step; order keys, then the date). Each unit is counted once, in
-- its entry period, with the steps it reached over all its attempts in the range (as sql/funnel.sql),
-- so a period's counts are a cohort's funnel and the periods add up to the whole funnel.
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
-- @context {"session":false,"open":false,"hasWindow":true,"directly":false,"joinPrev":true,"ranked":false,"breakdown":false,"landingPage":false,"breakdownSql":"","steps":[{"n":1,"prev":0,"first":true,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[]},{"n":2,"prev":1,"first":false,"directly":false,"hasWithin":true,"hasExcl":false,"excl":[],"where":[]},{"n":3,"prev":2,"first":false,"directly":false,"hasWithin":false,"hasExcl":false,"excl":[],"where":[{"id":"c1","kind":"param","item":false,"keyRef":"@c1_key","fieldSql":"","itemField":"","op":"eq","numeric":false}]}],"exclusions":[],"withDate":true,"period":"week","segment":false}
WITH {{> funnel_chain}},
entries AS (
  SELECT
    uid,
    sid,
    {{#if (eq period 'week')}}DIV(UNIX_DATE(PARSE_DATE('%Y%m%d', edate)) + 3, 7){{else}}UNIX_DATE(PARSE_DATE('%Y%m%d', edate)){{/if}} AS period
  FROM ranked
  WHERE {{#if open}}{{#each steps}}{{#unless first}} OR {{/unless}}m{{n}}{{/each}}{{else}}m1{{/if}}
  QUALIFY ROW_NUMBER() OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi, edate) = 1
)
SELECT e.period, u.step, COUNT(*) AS units, COUNTIF(u.via) AS via_previous
FROM unit_steps AS u
JOIN entries AS e ON e.uid = u.uid AND e.sid = u.sid
GROUP BY e.period, u.step
ORDER BY e.period, u.step
