-- Events and users per event name and day in a date range: the sparklines beside the events list.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
SELECT
  event_name,
  event_date,
  COUNT(*) AS events,
  COUNT(DISTINCT user_pseudo_id) AS users
FROM {{events}}
GROUP BY event_name, event_date
ORDER BY event_name, event_date
