{{!-- The events a node stream is read from, shared by sql/paths.sql and sql/next_step.sql: the
scoped events, each session's touchpoint (channel nodes), the bound cleaning map, and one row per
event with the fields a node is made of, each parameter read once. The including query adds its
own match columns (which events start and end a journey) inside the block. --}}scoped_events AS (
  SELECT * FROM {{events}}
),
{{#if (eq nodeType 'channel')}}
{{> session_touchpoints}},
{{/if}}
{{#if clean}}
clean_pairs AS (
  -- One bound string per distinct raw node: raw, separator, cleaned value.
  SELECT
    SUBSTR(pair, 1, STRPOS(pair, @clean_sep) - 1) AS raw_node,
    SUBSTR(pair, STRPOS(pair, @clean_sep) + LENGTH(@clean_sep)) AS clean_node
  FROM UNNEST(@clean_map) AS pair
),
{{/if}}
event_fields AS (
  -- Each parameter read once per event (reading one is a scan of event_params).
  SELECT
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    event_timestamp,
    COALESCE(batch_ordering_id, 0) AS batch_ordering_id,
    COALESCE(batch_event_index, 0) AS batch_event_index,
    event_name,
    {{#if (eq nodeType 'page_path')}}
    IF(event_name = 'page_view',
      REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', ''),
      NULL) AS location_path,
    {{/if}}
    {{#if (eq nodeType 'page_title')}}
    IF(event_name = 'page_view', {{param 'string' 'page_title'}}, NULL) AS page_title,
    {{/if}}
{{> @partial-block}}
    1 AS one
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
    AND event_name NOT IN UNNEST(@exclude)
)
