-- The node an event bears for the prediction's node type (none for a noise event, a page_view's
-- path, a session's first event's channel, a stage rule's hit), and where it is read from: the
-- end of a SELECT over `event_fields AS e` (and `session_touchpoints` for channels).
    {{#if (eq nodeType 'event')}}
    IF(e.event_name IN UNNEST(@exclude), NULL, e.event_name) AS node
    {{/if}}
    {{#if (eq nodeType 'page_path')}}
    IF(e.event_name = 'page_view', e.page_path, NULL) AS node
    {{/if}}
    {{#if (eq nodeType 'channel')}}
    IF(e.session_first, t.channel, NULL) AS node
    {{/if}}
    {{#if (eq nodeType 'stage')}}
    e.stage_hit AS node
    {{/if}}
  FROM event_fields AS e
  {{#if (eq nodeType 'channel')}}
  LEFT JOIN session_touchpoints AS t
    ON t.user_pseudo_id = e.user_pseudo_id AND t.ga_session_id = e.ga_session_id
  {{/if}}
