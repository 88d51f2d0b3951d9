-- The floor for bench/funnel.ts: one scan of the columns a funnel reads, grouped by user
-- (how many users did each step's event at all). Not a funnel: the speed limit one is measured against.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param step1_event STRING view_item
-- @param step2_event STRING add_to_cart
-- @param step3_event STRING begin_checkout
-- @param step4_event STRING purchase
WITH per_user AS (
  SELECT
    user_pseudo_id,
    MIN(IF(event_name = @step1_event, event_timestamp, NULL)) AS t1,
    MIN(IF(event_name = @step2_event, event_timestamp, NULL)) AS t2,
    MIN(IF(event_name = @step3_event, event_timestamp, NULL)) AS t3,
    MIN(IF(event_name = @step4_event, event_timestamp, NULL)) AS t4,
    MAX(COALESCE(batch_ordering_id, 0) + COALESCE(batch_event_index, 0)) AS k
  FROM {{events}}
  WHERE user_pseudo_id IS NOT NULL
  GROUP BY user_pseudo_id
)
SELECT COUNTIF(t1 IS NOT NULL) AS s1, COUNTIF(t2 IS NOT NULL) AS s2, COUNTIF(t3 IS NOT NULL) AS s3, COUNTIF(t4 IS NOT NULL) AS s4, MAX(k) AS k
FROM per_user
