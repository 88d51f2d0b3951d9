-- The events a property records in a date range: each event name with its event count, user
-- count, events without a user (consent mode) and the days it was seen on. The goal picker's list.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
SELECT
  event_name,
  COUNT(*) AS events,
  COUNT(DISTINCT user_pseudo_id) AS users,
  COUNTIF(user_pseudo_id IS NULL) AS events_without_user,
  COUNT(DISTINCT event_date) AS days,
  MIN(event_date) AS first_date,
  MAX(event_date) AS last_date
FROM {{events}}
GROUP BY event_name
ORDER BY events DESC, event_name
