-- One row per session (user_pseudo_id, ga_session_id) with its touchpoint: source, medium,
-- campaign and channel, from session_traffic_source_last_click where the export has it, else from
-- the session's first event that carries campaign data (collected_traffic_source, or the
-- source / medium / campaign / gclid parameters; gclid means google / cpc), else (direct) / (none).
-- Needs a CTE `scoped_events` with the columns of the events table.
session_event_sources AS (
  SELECT
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    event_timestamp,
    COALESCE(batch_ordering_id, 0) AS batch_ordering_id,
    COALESCE(batch_event_index, 0) AS batch_event_index,
    session_traffic_source_last_click.cross_channel_campaign AS last_click,
    session_traffic_source_last_click.manual_campaign AS last_click_manual,
    COALESCE(collected_traffic_source.manual_source, {{param 'string' 'source'}}) AS event_source,
    COALESCE(collected_traffic_source.manual_medium, {{param 'string' 'medium'}}) AS event_medium,
    COALESCE(collected_traffic_source.manual_campaign_name, {{param 'string' 'campaign'}}) AS event_campaign,
    COALESCE(collected_traffic_source.gclid, {{param 'string' 'gclid'}}) AS gclid
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
),
session_first_source AS (
  SELECT *
  FROM session_event_sources
  WHERE ga_session_id IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY user_pseudo_id, ga_session_id
    ORDER BY
      IF(COALESCE(last_click.source, last_click_manual.source) IS NOT NULL, 0, 1),
      IF(event_source IS NOT NULL OR gclid IS NOT NULL, 0, 1),
      event_timestamp, batch_ordering_id, batch_event_index
  ) = 1
),
session_touchpoints AS (
  SELECT
    user_pseudo_id,
    ga_session_id,
    source,
    medium,
    campaign,
    COALESCE(last_click_channel, {{channel_group 'source' 'medium' 'campaign'}}) AS channel
  FROM (
    SELECT
      user_pseudo_id,
      ga_session_id,
      last_click.default_channel_group AS last_click_channel,
      CASE
        WHEN COALESCE(last_click.source, last_click_manual.source) IS NOT NULL
          THEN COALESCE(last_click.source, last_click_manual.source)
        WHEN event_source IS NOT NULL THEN event_source
        WHEN gclid IS NOT NULL THEN 'google'
        ELSE '(direct)'
      END AS source,
      CASE
        WHEN COALESCE(last_click.source, last_click_manual.source) IS NOT NULL
          THEN COALESCE(last_click.medium, last_click_manual.medium, '(not set)')
        WHEN event_source IS NOT NULL THEN COALESCE(event_medium, '(not set)')
        WHEN gclid IS NOT NULL THEN 'cpc'
        ELSE '(none)'
      END AS medium,
      CASE
        WHEN COALESCE(last_click.source, last_click_manual.source) IS NOT NULL
          THEN COALESCE(last_click.campaign_name, last_click_manual.campaign_name, '(not set)')
        WHEN event_source IS NOT NULL OR gclid IS NOT NULL THEN COALESCE(event_campaign, '(not set)')
        ELSE '(direct)'
      END AS campaign
    FROM session_first_source
  )
)
