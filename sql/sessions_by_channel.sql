-- Sessions and users per touchpoint (channel, source / medium, campaign) in a date range.
-- A session's touchpoint is its last-click source where the export records it, else its first
-- event's campaign data, else (direct) / (none). Consent-mode events (no user_pseudo_id) form no session.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
{{> session_touchpoints}}
SELECT
  channel,
  CONCAT(source, ' / ', medium) AS source_medium,
  campaign,
  COUNT(*) AS sessions,
  COUNT(DISTINCT user_pseudo_id) AS users
FROM session_touchpoints
GROUP BY channel, source_medium, campaign
ORDER BY sessions DESC, channel, source_medium, campaign
