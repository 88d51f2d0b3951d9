-- Imported ad costs (GA4's cost-data shape) summed per campaign key over the report range, with
-- the key's channel under the default channel rules, so attribution can set each touchpoint's
-- cost beside what it earns: by channel, by source / medium, or by campaign name.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
SELECT
  utm_source AS source,
  utm_medium AS medium,
  COALESCE(utm_campaign, '(not set)') AS campaign,
  {{channel_group 'utm_source' 'utm_medium' 'utm_campaign'}} AS channel,
  SUM(cost) AS cost,
  SUM(clicks) AS clicks,
  SUM(impressions) AS impressions,
  MAX(currency) AS currency
FROM {{costs}}
WHERE date BETWEEN @start_date AND @end_date
GROUP BY source, medium, campaign, channel
