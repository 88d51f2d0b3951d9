-- How identity resolution and offline imports touch a range: devices seen with a user_id (under
-- the blended identity their events join that user's journey), imported offline events, and the
-- offline events that match no web journey (neither their client_id nor their user_id appears on
-- a web event in the range).
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
WITH scoped_events AS (
  SELECT user_pseudo_id, user_id, COALESCE(platform = 'OFFLINE', FALSE) AS offline
  FROM {{events}}
),
web_devices AS (
  SELECT DISTINCT user_pseudo_id FROM scoped_events WHERE NOT offline AND user_pseudo_id IS NOT NULL
),
web_users AS (
  SELECT DISTINCT user_id FROM scoped_events
  WHERE NOT offline AND user_pseudo_id IS NOT NULL AND user_id IS NOT NULL
)
SELECT
  (SELECT COUNT(DISTINCT user_pseudo_id) FROM scoped_events
    WHERE user_pseudo_id IS NOT NULL AND user_id IS NOT NULL) AS stitched_devices,
  (SELECT COUNT(DISTINCT user_id) FROM web_users) AS signed_in_users,
  (SELECT COUNTIF(offline) FROM scoped_events) AS offline_events,
  (SELECT COUNT(*) FROM scoped_events AS e
    WHERE e.offline
      AND (e.user_pseudo_id IS NULL OR e.user_pseudo_id NOT IN (SELECT user_pseudo_id FROM web_devices))
      AND (e.user_id IS NULL OR e.user_id NOT IN (SELECT user_id FROM web_users))) AS offline_unmatched
