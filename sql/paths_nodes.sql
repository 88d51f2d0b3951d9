-- The distinct raw node values of a paths query (before cleaning), so that the cleaning rules can
-- be applied once per value and bound back into paths.sql as a raw -> clean map.
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param exclude ARRAY<STRING> user_engagement,scroll
-- @context {"nodeType": "page_path"}
WITH scoped_events AS (
  SELECT * FROM {{events}}
  WHERE user_pseudo_id IS NOT NULL AND event_name NOT IN UNNEST(@exclude)
),
{{#if (eq nodeType 'channel')}}
{{> session_touchpoints}},
{{/if}}
raw_nodes AS (
  {{#if (eq nodeType 'event')}}
  SELECT event_name AS raw_node FROM scoped_events
  {{/if}}
  {{#if (eq nodeType 'page_path')}}
  SELECT IF(location_path = '', '/', location_path) AS raw_node
  FROM (
    SELECT REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '') AS location_path
    FROM scoped_events
    WHERE event_name = 'page_view'
  )
  {{/if}}
  {{#if (eq nodeType 'page_title')}}
  SELECT {{param 'string' 'page_title'}} AS raw_node FROM scoped_events WHERE event_name = 'page_view'
  {{/if}}
  {{#if (eq nodeType 'channel')}}
  SELECT channel AS raw_node FROM session_touchpoints
  {{/if}}
)
SELECT DISTINCT raw_node FROM raw_nodes WHERE raw_node IS NOT NULL ORDER BY raw_node
