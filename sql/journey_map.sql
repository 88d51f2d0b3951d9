-- The journey map: per persona (0 = all users, 1..4 = the personas' users) and per stage of a stage
-- map, who reached the stage, what they did there, and where they left. Stages are reached as in
-- sql/stages.sql (a rule's event and conditions at its occurrence; earliest hit wins). A user is "at"
-- stage k from reaching it until reaching stage k+1 (at or after; open when never). A user at stage k
-- converted when a goal event (@goal_event with its conditions) comes at or after reaching k; its
-- touchpoints there are what it did before that goal event (strictly earlier).
-- Personas: first touch (traffic_source and its channel group), device and geo come from the user's
-- first event in the range; a user property condition holds when some event carries the property
-- meeting it; behaviour from all the user's events (did an event at least N times, reached a stage,
-- converted on an event, the `value` parameter summed over an event's events over V).
-- Rows: persona (users, converted), overlap (users of the persona in another; persona 0: users in
-- more than one), stage (users, converted, exact median seconds since reaching the previous stage),
-- progress (users reaching the next stage), touch (per kind: event, page, title, search, item,
-- channel; users who did it at the stage and how many of them converted; top @top_touchpoints per
-- kind by users), exit (last page of users leaving the stage without converting, top @top_pages),
-- friction (users showing a signal at the stage: repeated_search, repeated_checkout, form_abandoned,
-- error_page, long_gap: two events of a session more than @long_gap_s apart).
-- @context {"rules": [{"n": 1, "stage": 1, "where": []}, {"n": 2, "stage": 2, "where": [{"id": "c1", "kind": "param", "item": false, "keyRef": "@c1_key", "fieldSql": "", "itemField": "", "op": "contains", "numeric": false}]}], "goalWhere": [], "personas": [{"k": 1, "lists": [{"column": "channel", "slot": "p1_channel"}, {"column": "device_category", "slot": "p1_device"}], "props": [{"id": "p1_u1", "keyRef": "@p1_u1_key", "op": "eq", "numeric": false}, {"id": "p1_u2", "keyRef": "@p1_u2_key", "op": "gt", "numeric": true}, {"id": "p1_u3", "keyRef": "@p1_u3_key", "op": "in", "numeric": false}], "did": [{"id": "p1_d1"}], "stage": true, "goal": true, "value": true}, {"k": 2, "lists": [{"column": "country", "slot": "p2_country"}], "props": [], "did": [], "stage": false, "goal": false, "value": false}]}
-- @param c1_key STRING page_location
-- @param c1_s STRING /p/
-- @param c1_n FLOAT64 0
-- @param c1_n2 FLOAT64 0
-- @param c1_list ARRAY<STRING> USD
-- @param c1_nums ARRAY<FLOAT64> 1
-- @param c2_key STRING page_location
-- @param c2_s STRING /p/
-- @param c2_n FLOAT64 0
-- @param c2_n2 FLOAT64 0
-- @param c2_list ARRAY<STRING> USD
-- @param c2_nums ARRAY<FLOAT64> 1
-- @param c3_key STRING page_location
-- @param c3_s STRING /p/
-- @param c3_n FLOAT64 0
-- @param c3_n2 FLOAT64 0
-- @param c3_list ARRAY<STRING> USD
-- @param c3_nums ARRAY<FLOAT64> 1
-- @param c4_key STRING page_location
-- @param c4_s STRING /p/
-- @param c4_n FLOAT64 0
-- @param c4_n2 FLOAT64 0
-- @param c4_list ARRAY<STRING> USD
-- @param c4_nums ARRAY<FLOAT64> 1
-- @param c5_key STRING page_location
-- @param c5_s STRING /p/
-- @param c5_n FLOAT64 0
-- @param c5_n2 FLOAT64 0
-- @param c5_list ARRAY<STRING> USD
-- @param c5_nums ARRAY<FLOAT64> 1
-- @param c6_key STRING page_location
-- @param c6_s STRING /p/
-- @param c6_n FLOAT64 0
-- @param c6_n2 FLOAT64 0
-- @param c6_list ARRAY<STRING> USD
-- @param c6_nums ARRAY<FLOAT64> 1
-- @param c7_key STRING page_location
-- @param c7_s STRING /p/
-- @param c7_n FLOAT64 0
-- @param c7_n2 FLOAT64 0
-- @param c7_list ARRAY<STRING> USD
-- @param c7_nums ARRAY<FLOAT64> 1
-- @param c8_key STRING page_location
-- @param c8_s STRING /p/
-- @param c8_n FLOAT64 0
-- @param c8_n2 FLOAT64 0
-- @param c8_list ARRAY<STRING> USD
-- @param c8_nums ARRAY<FLOAT64> 1
-- @param c9_key STRING page_location
-- @param c9_s STRING /p/
-- @param c9_n FLOAT64 0
-- @param c9_n2 FLOAT64 0
-- @param c9_list ARRAY<STRING> USD
-- @param c9_nums ARRAY<FLOAT64> 1
-- @param c10_key STRING page_location
-- @param c10_s STRING /p/
-- @param c10_n FLOAT64 0
-- @param c10_n2 FLOAT64 0
-- @param c10_list ARRAY<STRING> USD
-- @param c10_nums ARRAY<FLOAT64> 1
-- @param c11_key STRING page_location
-- @param c11_s STRING /p/
-- @param c11_n FLOAT64 0
-- @param c11_n2 FLOAT64 0
-- @param c11_list ARRAY<STRING> USD
-- @param c11_nums ARRAY<FLOAT64> 1
-- @param c12_key STRING page_location
-- @param c12_s STRING /p/
-- @param c12_n FLOAT64 0
-- @param c12_n2 FLOAT64 0
-- @param c12_list ARRAY<STRING> USD
-- @param c12_nums ARRAY<FLOAT64> 1
-- @param c13_key STRING page_location
-- @param c13_s STRING /p/
-- @param c13_n FLOAT64 0
-- @param c13_n2 FLOAT64 0
-- @param c13_list ARRAY<STRING> USD
-- @param c13_nums ARRAY<FLOAT64> 1
-- @param c14_key STRING page_location
-- @param c14_s STRING /p/
-- @param c14_n FLOAT64 0
-- @param c14_n2 FLOAT64 0
-- @param c14_list ARRAY<STRING> USD
-- @param c14_nums ARRAY<FLOAT64> 1
-- @param c15_key STRING page_location
-- @param c15_s STRING /p/
-- @param c15_n FLOAT64 0
-- @param c15_n2 FLOAT64 0
-- @param c15_list ARRAY<STRING> USD
-- @param c15_nums ARRAY<FLOAT64> 1
-- @param c16_key STRING page_location
-- @param c16_s STRING /p/
-- @param c16_n FLOAT64 0
-- @param c16_n2 FLOAT64 0
-- @param c16_list ARRAY<STRING> USD
-- @param c16_nums ARRAY<FLOAT64> 1
-- @param c17_key STRING page_location
-- @param c17_s STRING /p/
-- @param c17_n FLOAT64 0
-- @param c17_n2 FLOAT64 0
-- @param c17_list ARRAY<STRING> USD
-- @param c17_nums ARRAY<FLOAT64> 1
-- @param c18_key STRING page_location
-- @param c18_s STRING /p/
-- @param c18_n FLOAT64 0
-- @param c18_n2 FLOAT64 0
-- @param c18_list ARRAY<STRING> USD
-- @param c18_nums ARRAY<FLOAT64> 1
-- @param c19_key STRING page_location
-- @param c19_s STRING /p/
-- @param c19_n FLOAT64 0
-- @param c19_n2 FLOAT64 0
-- @param c19_list ARRAY<STRING> USD
-- @param c19_nums ARRAY<FLOAT64> 1
-- @param c20_key STRING page_location
-- @param c20_s STRING /p/
-- @param c20_n FLOAT64 0
-- @param c20_n2 FLOAT64 0
-- @param c20_list ARRAY<STRING> USD
-- @param c20_nums ARRAY<FLOAT64> 1
-- @param c21_key STRING page_location
-- @param c21_s STRING /p/
-- @param c21_n FLOAT64 0
-- @param c21_n2 FLOAT64 0
-- @param c21_list ARRAY<STRING> USD
-- @param c21_nums ARRAY<FLOAT64> 1
-- @param c22_key STRING page_location
-- @param c22_s STRING /p/
-- @param c22_n FLOAT64 0
-- @param c22_n2 FLOAT64 0
-- @param c22_list ARRAY<STRING> USD
-- @param c22_nums ARRAY<FLOAT64> 1
-- @param c23_key STRING page_location
-- @param c23_s STRING /p/
-- @param c23_n FLOAT64 0
-- @param c23_n2 FLOAT64 0
-- @param c23_list ARRAY<STRING> USD
-- @param c23_nums ARRAY<FLOAT64> 1
-- @param c24_key STRING page_location
-- @param c24_s STRING /p/
-- @param c24_n FLOAT64 0
-- @param c24_n2 FLOAT64 0
-- @param c24_list ARRAY<STRING> USD
-- @param c24_nums ARRAY<FLOAT64> 1
-- @param c25_key STRING page_location
-- @param c25_s STRING /p/
-- @param c25_n FLOAT64 0
-- @param c25_n2 FLOAT64 0
-- @param c25_list ARRAY<STRING> USD
-- @param c25_nums ARRAY<FLOAT64> 1
-- @param c26_key STRING page_location
-- @param c26_s STRING /p/
-- @param c26_n FLOAT64 0
-- @param c26_n2 FLOAT64 0
-- @param c26_list ARRAY<STRING> USD
-- @param c26_nums ARRAY<FLOAT64> 1
-- @param c27_key STRING page_location
-- @param c27_s STRING /p/
-- @param c27_n FLOAT64 0
-- @param c27_n2 FLOAT64 0
-- @param c27_list ARRAY<STRING> USD
-- @param c27_nums ARRAY<FLOAT64> 1
-- @param c28_key STRING page_location
-- @param c28_s STRING /p/
-- @param c28_n FLOAT64 0
-- @param c28_n2 FLOAT64 0
-- @param c28_list ARRAY<STRING> USD
-- @param c28_nums ARRAY<FLOAT64> 1
-- @param c29_key STRING page_location
-- @param c29_s STRING /p/
-- @param c29_n FLOAT64 0
-- @param c29_n2 FLOAT64 0
-- @param c29_list ARRAY<STRING> USD
-- @param c29_nums ARRAY<FLOAT64> 1
-- @param c30_key STRING page_location
-- @param c30_s STRING /p/
-- @param c30_n FLOAT64 0
-- @param c30_n2 FLOAT64 0
-- @param c30_list ARRAY<STRING> USD
-- @param c30_nums ARRAY<FLOAT64> 1
-- @param start_date DATE 2020-11-01
-- @param end_date DATE 2020-11-30
-- @param include_intraday BOOL false
-- @param goal_event STRING purchase
-- @param stage_count INT64 2
-- @param top_touchpoints INT64 25
-- @param top_pages INT64 5
-- @param long_gap_s INT64 600
-- @param r1_event STRING page_view
-- @param r1_occurrence INT64 1
-- @param r2_event STRING page_view
-- @param r2_occurrence INT64 1
-- @param r3_event STRING page_view
-- @param r3_occurrence INT64 1
-- @param r4_event STRING page_view
-- @param r4_occurrence INT64 1
-- @param r5_event STRING page_view
-- @param r5_occurrence INT64 1
-- @param r6_event STRING page_view
-- @param r6_occurrence INT64 1
-- @param r7_event STRING page_view
-- @param r7_occurrence INT64 1
-- @param r8_event STRING page_view
-- @param r8_occurrence INT64 1
-- @param r9_event STRING page_view
-- @param r9_occurrence INT64 1
-- @param r10_event STRING page_view
-- @param r10_occurrence INT64 1
-- @param r11_event STRING page_view
-- @param r11_occurrence INT64 1
-- @param r12_event STRING page_view
-- @param r12_occurrence INT64 1
-- @param r13_event STRING page_view
-- @param r13_occurrence INT64 1
-- @param r14_event STRING page_view
-- @param r14_occurrence INT64 1
-- @param r15_event STRING page_view
-- @param r15_occurrence INT64 1
-- @param r16_event STRING page_view
-- @param r16_occurrence INT64 1
-- @param r17_event STRING page_view
-- @param r17_occurrence INT64 1
-- @param r18_event STRING page_view
-- @param r18_occurrence INT64 1
-- @param r19_event STRING page_view
-- @param r19_occurrence INT64 1
-- @param r20_event STRING page_view
-- @param r20_occurrence INT64 1
-- @param r21_event STRING page_view
-- @param r21_occurrence INT64 1
-- @param r22_event STRING page_view
-- @param r22_occurrence INT64 1
-- @param r23_event STRING page_view
-- @param r23_occurrence INT64 1
-- @param r24_event STRING page_view
-- @param r24_occurrence INT64 1
-- @param p1_channel ARRAY<STRING> x
-- @param p1_source ARRAY<STRING> x
-- @param p1_medium ARRAY<STRING> x
-- @param p1_campaign ARRAY<STRING> x
-- @param p1_device ARRAY<STRING> x
-- @param p1_os ARRAY<STRING> x
-- @param p1_browser ARRAY<STRING> x
-- @param p1_country ARRAY<STRING> x
-- @param p1_region ARRAY<STRING> x
-- @param p1_city ARRAY<STRING> x
-- @param p1_u1_key STRING plan
-- @param p1_u1_s STRING pro
-- @param p1_u1_n FLOAT64 0
-- @param p1_u1_list ARRAY<STRING> pro
-- @param p1_u2_key STRING plan
-- @param p1_u2_s STRING pro
-- @param p1_u2_n FLOAT64 0
-- @param p1_u2_list ARRAY<STRING> pro
-- @param p1_u3_key STRING plan
-- @param p1_u3_s STRING pro
-- @param p1_u3_n FLOAT64 0
-- @param p1_u3_list ARRAY<STRING> pro
-- @param p1_d1_event STRING view_item
-- @param p1_d1_n INT64 1
-- @param p1_d2_event STRING view_item
-- @param p1_d2_n INT64 1
-- @param p1_d3_event STRING view_item
-- @param p1_d3_n INT64 1
-- @param p1_stage INT64 2
-- @param p1_goal STRING purchase
-- @param p1_value FLOAT64 0
-- @param p1_value_event STRING purchase
-- @param p2_channel ARRAY<STRING> x
-- @param p2_source ARRAY<STRING> x
-- @param p2_medium ARRAY<STRING> x
-- @param p2_campaign ARRAY<STRING> x
-- @param p2_device ARRAY<STRING> x
-- @param p2_os ARRAY<STRING> x
-- @param p2_browser ARRAY<STRING> x
-- @param p2_country ARRAY<STRING> x
-- @param p2_region ARRAY<STRING> x
-- @param p2_city ARRAY<STRING> x
-- @param p2_u1_key STRING plan
-- @param p2_u1_s STRING pro
-- @param p2_u1_n FLOAT64 0
-- @param p2_u1_list ARRAY<STRING> pro
-- @param p2_u2_key STRING plan
-- @param p2_u2_s STRING pro
-- @param p2_u2_n FLOAT64 0
-- @param p2_u2_list ARRAY<STRING> pro
-- @param p2_u3_key STRING plan
-- @param p2_u3_s STRING pro
-- @param p2_u3_n FLOAT64 0
-- @param p2_u3_list ARRAY<STRING> pro
-- @param p2_d1_event STRING view_item
-- @param p2_d1_n INT64 1
-- @param p2_d2_event STRING view_item
-- @param p2_d2_n INT64 1
-- @param p2_d3_event STRING view_item
-- @param p2_d3_n INT64 1
-- @param p2_stage INT64 2
-- @param p2_goal STRING purchase
-- @param p2_value FLOAT64 0
-- @param p2_value_event STRING purchase
-- @param p3_channel ARRAY<STRING> x
-- @param p3_source ARRAY<STRING> x
-- @param p3_medium ARRAY<STRING> x
-- @param p3_campaign ARRAY<STRING> x
-- @param p3_device ARRAY<STRING> x
-- @param p3_os ARRAY<STRING> x
-- @param p3_browser ARRAY<STRING> x
-- @param p3_country ARRAY<STRING> x
-- @param p3_region ARRAY<STRING> x
-- @param p3_city ARRAY<STRING> x
-- @param p3_u1_key STRING plan
-- @param p3_u1_s STRING pro
-- @param p3_u1_n FLOAT64 0
-- @param p3_u1_list ARRAY<STRING> pro
-- @param p3_u2_key STRING plan
-- @param p3_u2_s STRING pro
-- @param p3_u2_n FLOAT64 0
-- @param p3_u2_list ARRAY<STRING> pro
-- @param p3_u3_key STRING plan
-- @param p3_u3_s STRING pro
-- @param p3_u3_n FLOAT64 0
-- @param p3_u3_list ARRAY<STRING> pro
-- @param p3_d1_event STRING view_item
-- @param p3_d1_n INT64 1
-- @param p3_d2_event STRING view_item
-- @param p3_d2_n INT64 1
-- @param p3_d3_event STRING view_item
-- @param p3_d3_n INT64 1
-- @param p3_stage INT64 2
-- @param p3_goal STRING purchase
-- @param p3_value FLOAT64 0
-- @param p3_value_event STRING purchase
-- @param p4_channel ARRAY<STRING> x
-- @param p4_source ARRAY<STRING> x
-- @param p4_medium ARRAY<STRING> x
-- @param p4_campaign ARRAY<STRING> x
-- @param p4_device ARRAY<STRING> x
-- @param p4_os ARRAY<STRING> x
-- @param p4_browser ARRAY<STRING> x
-- @param p4_country ARRAY<STRING> x
-- @param p4_region ARRAY<STRING> x
-- @param p4_city ARRAY<STRING> x
-- @param p4_u1_key STRING plan
-- @param p4_u1_s STRING pro
-- @param p4_u1_n FLOAT64 0
-- @param p4_u1_list ARRAY<STRING> pro
-- @param p4_u2_key STRING plan
-- @param p4_u2_s STRING pro
-- @param p4_u2_n FLOAT64 0
-- @param p4_u2_list ARRAY<STRING> pro
-- @param p4_u3_key STRING plan
-- @param p4_u3_s STRING pro
-- @param p4_u3_n FLOAT64 0
-- @param p4_u3_list ARRAY<STRING> pro
-- @param p4_d1_event STRING view_item
-- @param p4_d1_n INT64 1
-- @param p4_d2_event STRING view_item
-- @param p4_d2_n INT64 1
-- @param p4_d3_event STRING view_item
-- @param p4_d3_n INT64 1
-- @param p4_stage INT64 2
-- @param p4_goal STRING purchase
-- @param p4_value FLOAT64 0
-- @param p4_value_event STRING purchase
{{#*inline "sv"}}COALESCE({{param 'string' keyRef 'user_properties'}}, CAST({{param 'int' keyRef 'user_properties'}} AS STRING), CAST({{param 'double' keyRef 'user_properties'}} AS STRING)){{/inline}}{{#*inline "nv"}}{{param 'number' keyRef 'user_properties'}}{{/inline}}{{#*inline "property"}}{{#if (eq op 'eq')}}{{#if numeric}}{{> nv}} = @{{id}}_n{{else}}{{> sv}} = @{{id}}_s{{/if}}{{/if}}{{#if (eq op 'neq')}}{{#if numeric}}{{> nv}} <> @{{id}}_n{{else}}{{> sv}} <> @{{id}}_s{{/if}}{{/if}}{{#if (eq op 'in')}}{{> sv}} IN UNNEST(@{{id}}_list){{/if}}{{#if (eq op 'contains')}}STRPOS({{> sv}}, @{{id}}_s) > 0{{/if}}{{#if (eq op 'gt')}}{{> nv}} > @{{id}}_n{{/if}}{{#if (eq op 'gte')}}{{> nv}} >= @{{id}}_n{{/if}}{{#if (eq op 'lt')}}{{> nv}} < @{{id}}_n{{/if}}{{#if (eq op 'lte')}}{{> nv}} <= @{{id}}_n{{/if}}{{/inline}}
WITH scoped_events AS (
  SELECT * FROM {{events}}
),
user_events AS (
  SELECT
    user_pseudo_id,
    event_name,
    event_timestamp,
    COALESCE(batch_ordering_id, 0) AS batch_ordering_id,
    COALESCE(batch_event_index, 0) AS batch_event_index,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    COALESCE(event_name = @goal_event{{#each goalWhere}} AND {{> condition}}{{/each}}, FALSE) AS is_goal,
    IF(event_name = 'page_view',
      IF(REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '') = '', '/',
        REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '')),
      NULL) AS page_path,
    IF(event_name = 'page_view', {{param 'string' 'page_title'}}, NULL) AS page_title,
    IF(event_name = 'view_search_results', {{param 'string' 'search_term'}}, NULL) AS search_term,
    IF(event_name = 'view_item', (SELECT MIN(it.item_name) FROM UNNEST(items) AS it), NULL) AS item_name,
    COALESCE(collected_traffic_source.manual_source, {{param 'string' 'source'}}) AS touch_source,
    COALESCE(collected_traffic_source.manual_medium, {{param 'string' 'medium'}}) AS touch_medium,
    COALESCE(collected_traffic_source.manual_campaign_name, {{param 'string' 'campaign'}}) AS touch_campaign
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
),
{{> stage_reach}}
-- The user's first event in the range; ties broken by every column read, so both engines agree.
first_touch AS (
  SELECT
    user_pseudo_id,
    {{channel_group 'source' 'medium' 'campaign'}} AS channel,
    source, medium, campaign, device_category, device_os, device_browser, country, region, city
  FROM (
    SELECT
      user_pseudo_id,
      traffic_source.source AS source,
      traffic_source.medium AS medium,
      traffic_source.name AS campaign,
      device.category AS device_category,
      device.operating_system AS device_os,
      device.web_info.browser AS device_browser,
      geo.country AS country,
      geo.region AS region,
      geo.city AS city,
      ROW_NUMBER() OVER (
        PARTITION BY user_pseudo_id
        ORDER BY event_timestamp, COALESCE(batch_ordering_id, 0), COALESCE(batch_event_index, 0),
          event_name, traffic_source.source, traffic_source.medium, traffic_source.name,
          device.category, device.operating_system, device.web_info.browser, geo.country, geo.region, geo.city
      ) AS rn
    FROM scoped_events
    WHERE user_pseudo_id IS NOT NULL
  )
  WHERE rn = 1
),
user_facts AS (
  SELECT
    user_pseudo_id{{#each personas}}{{#each props}},
    COUNTIF(COALESCE({{> property}}, FALSE)) > 0 AS {{id}}{{/each}}{{#each did}},
    COUNTIF(event_name = @{{id}}_event) >= @{{id}}_n AS {{id}}{{/each}}{{#if goal}},
    COUNTIF(event_name = @p{{k}}_goal) > 0 AS p{{k}}_goal{{/if}}{{#if value}},
    COALESCE(SUM(IF(event_name = @p{{k}}_value_event, {{param 'number' 'value'}}, NULL)), 0) > @p{{k}}_value AS p{{k}}_value{{/if}}{{/each}}
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
  GROUP BY user_pseudo_id
),
members AS (
  SELECT user_pseudo_id, 0 AS persona FROM user_facts
  {{#each personas}}
  UNION ALL
  SELECT f.user_pseudo_id, {{k}} AS persona
  FROM user_facts AS f
  JOIN first_touch AS t ON t.user_pseudo_id = f.user_pseudo_id
  WHERE TRUE{{#each lists}}
    AND COALESCE(t.{{column}} IN UNNEST(@{{slot}}), FALSE){{/each}}{{#each props}}
    AND f.{{id}}{{/each}}{{#each did}}
    AND f.{{id}}{{/each}}{{#if goal}}
    AND f.p{{k}}_goal{{/if}}{{#if value}}
    AND f.p{{k}}_value{{/if}}{{#if stage}}
    AND f.user_pseudo_id IN (SELECT user_pseudo_id FROM stage_reach WHERE stage = @p{{k}}_stage){{/if}}
  {{/each}}
),
in_several AS (
  SELECT user_pseudo_id
  FROM members
  WHERE persona > 0
  GROUP BY user_pseudo_id
  HAVING COUNT(*) > 1
),
goal_last AS (
  SELECT user_pseudo_id, MAX(event_timestamp) AS last_goal_us
  FROM user_events
  WHERE is_goal
  GROUP BY user_pseudo_id
),
stage_windows AS (
  SELECT
    a.user_pseudo_id,
    a.stage,
    a.reached_us AS start_us,
    nxt.reached_us AS next_us,
    a.reached_us - prv.reached_us AS since_prev_us,
    COALESCE(g.last_goal_us >= a.reached_us, FALSE) AS converted,
    (
      SELECT MIN(x.event_timestamp)
      FROM user_events AS x
      WHERE x.user_pseudo_id = a.user_pseudo_id AND x.is_goal AND x.event_timestamp >= a.reached_us
    ) AS goal_us
  FROM stage_reach AS a
  LEFT JOIN stage_reach AS nxt
    ON nxt.user_pseudo_id = a.user_pseudo_id AND nxt.stage = a.stage + 1 AND nxt.reached_us >= a.reached_us
  LEFT JOIN stage_reach AS prv
    ON prv.user_pseudo_id = a.user_pseudo_id AND prv.stage = a.stage - 1 AND prv.reached_us <= a.reached_us
  LEFT JOIN goal_last AS g ON g.user_pseudo_id = a.user_pseudo_id
),
stage_events AS (
  SELECT w.stage, w.goal_us, e.*
  FROM stage_windows AS w
  JOIN user_events AS e
    ON e.user_pseudo_id = w.user_pseudo_id
    AND e.event_timestamp >= w.start_us
    AND (w.next_us IS NULL OR e.event_timestamp < w.next_us)
),
before_goal AS (
  SELECT * FROM stage_events WHERE goal_us IS NULL OR event_timestamp < goal_us
),
-- What a user did at a stage before converting: what comes after the goal (a thank-you page) did
-- not lead to it.
touches AS (
  SELECT DISTINCT user_pseudo_id, stage, kind, label
  FROM (
    SELECT user_pseudo_id, stage, 'event' AS kind, event_name AS label FROM before_goal WHERE NOT is_goal
    UNION ALL
    SELECT user_pseudo_id, stage, 'page' AS kind, page_path AS label FROM before_goal WHERE page_path IS NOT NULL
    UNION ALL
    SELECT user_pseudo_id, stage, 'title' AS kind, page_title AS label FROM before_goal WHERE page_title IS NOT NULL
    UNION ALL
    SELECT user_pseudo_id, stage, 'search' AS kind, search_term AS label FROM before_goal WHERE search_term IS NOT NULL
    UNION ALL
    SELECT user_pseudo_id, stage, 'item' AS kind, item_name AS label FROM before_goal WHERE item_name IS NOT NULL
    UNION ALL
    SELECT user_pseudo_id, stage, 'channel' AS kind,
      {{channel_group 'touch_source' 'touch_medium' 'touch_campaign'}} AS label
    FROM before_goal
    WHERE touch_source IS NOT NULL OR touch_medium IS NOT NULL
  )
),
touch_counts AS (
  SELECT m.persona, t.stage, t.kind, t.label, COUNT(*) AS n, COUNTIF(w.converted) AS converted
  FROM touches AS t
  JOIN stage_windows AS w ON w.user_pseudo_id = t.user_pseudo_id AND w.stage = t.stage
  JOIN members AS m ON m.user_pseudo_id = t.user_pseudo_id
  GROUP BY m.persona, t.stage, t.kind, t.label
),
stage_members AS (
  SELECT m.persona, w.*
  FROM stage_windows AS w
  JOIN members AS m ON m.user_pseudo_id = w.user_pseudo_id
),
gaps_ranked AS (
  SELECT
    persona,
    stage,
    since_prev_us,
    ROW_NUMBER() OVER (PARTITION BY persona, stage ORDER BY since_prev_us) AS rn,
    COUNT(*) OVER (PARTITION BY persona, stage) AS cnt
  FROM stage_members
  WHERE since_prev_us IS NOT NULL
),
gap_medians AS (
  SELECT persona, stage,
    AVG(IF(rn = CAST(FLOOR((cnt + 1) / 2) AS INT64) OR rn = CAST(FLOOR(cnt / 2) AS INT64) + 1, since_prev_us, NULL)) / 1000000 AS median_s
  FROM gaps_ranked
  GROUP BY persona, stage
),
-- Users leaving a stage (never reaching the next, never converting after it): their last page there.
exits AS (
  SELECT user_pseudo_id, stage, page_path
  FROM (
    SELECT
      s.user_pseudo_id,
      s.stage,
      s.page_path,
      ROW_NUMBER() OVER (
        PARTITION BY s.user_pseudo_id, s.stage
        ORDER BY s.event_timestamp DESC, s.batch_ordering_id DESC, s.batch_event_index DESC, s.page_path DESC
      ) AS rn
    FROM stage_events AS s
    JOIN stage_windows AS w ON w.user_pseudo_id = s.user_pseudo_id AND w.stage = s.stage
    WHERE s.page_path IS NOT NULL AND w.next_us IS NULL AND NOT w.converted AND w.stage < @stage_count
  )
  WHERE rn = 1
),
exit_counts AS (
  SELECT m.persona, x.stage, x.page_path, COUNT(*) AS n
  FROM exits AS x
  JOIN members AS m ON m.user_pseudo_id = x.user_pseudo_id
  GROUP BY m.persona, x.stage, x.page_path
),
gapped AS (
  SELECT
    user_pseudo_id,
    stage,
    event_name,
    page_path,
    page_title,
    event_timestamp - LAG(event_timestamp) OVER (
      PARTITION BY user_pseudo_id, stage, ga_session_id
      ORDER BY event_timestamp, batch_ordering_id, batch_event_index
    ) AS gap_us,
    ga_session_id
  FROM stage_events
),
friction AS (
  SELECT
    user_pseudo_id,
    stage,
    COUNTIF(event_name = 'view_search_results') >= 2 AS repeated_search,
    COUNTIF(event_name = 'begin_checkout') >= 2
      OR COUNTIF(event_name = 'add_shipping_info') >= 2
      OR COUNTIF(event_name = 'add_payment_info') >= 2 AS repeated_checkout,
    COUNTIF(event_name = 'form_start') > 0 AND COUNTIF(event_name = 'form_submit') = 0 AS form_abandoned,
    COUNTIF(REGEXP_CONTAINS(LOWER(COALESCE(page_title, '')), '404|not found|error')
      OR REGEXP_CONTAINS(COALESCE(page_path, ''), '404')) > 0 AS error_page,
    COUNTIF(ga_session_id IS NOT NULL AND gap_us > @long_gap_s * 1000000) > 0 AS long_gap
  FROM gapped
  GROUP BY user_pseudo_id, stage
),
friction_counts AS (
  SELECT
    m.persona,
    f.stage,
    COUNTIF(f.repeated_search) AS repeated_search,
    COUNTIF(f.repeated_checkout) AS repeated_checkout,
    COUNTIF(f.form_abandoned) AS form_abandoned,
    COUNTIF(f.error_page) AS error_page,
    COUNTIF(f.long_gap) AS long_gap
  FROM friction AS f
  JOIN members AS m ON m.user_pseudo_id = f.user_pseudo_id
  GROUP BY m.persona, f.stage
),
friction_rows AS (
  SELECT persona, stage, 'repeated_search' AS kind, repeated_search AS n FROM friction_counts
  UNION ALL
  SELECT persona, stage, 'repeated_checkout' AS kind, repeated_checkout AS n FROM friction_counts
  UNION ALL
  SELECT persona, stage, 'form_abandoned' AS kind, form_abandoned AS n FROM friction_counts
  UNION ALL
  SELECT persona, stage, 'error_page' AS kind, error_page AS n FROM friction_counts
  UNION ALL
  SELECT persona, stage, 'long_gap' AS kind, long_gap AS n FROM friction_counts
)
SELECT 'persona' AS row_type, m.persona, 0 AS stage, CAST(NULL AS STRING) AS kind, CAST(NULL AS STRING) AS label,
  COUNT(*) AS n, COUNTIF(g.user_pseudo_id IS NOT NULL) AS converted, CAST(NULL AS FLOAT64) AS median_s
FROM members AS m
LEFT JOIN goal_last AS g ON g.user_pseudo_id = m.user_pseudo_id
GROUP BY m.persona
UNION ALL
SELECT 'overlap' AS row_type, m.persona, 0 AS stage, CAST(NULL AS STRING) AS kind, CAST(NULL AS STRING) AS label,
  COUNT(*) AS n, 0 AS converted, CAST(NULL AS FLOAT64) AS median_s
FROM (SELECT persona, user_pseudo_id FROM members WHERE persona > 0 UNION ALL SELECT 0 AS persona, user_pseudo_id FROM in_several) AS m
JOIN in_several AS s ON s.user_pseudo_id = m.user_pseudo_id
GROUP BY m.persona
UNION ALL
SELECT 'stage' AS row_type, s.persona, s.stage, CAST(NULL AS STRING) AS kind, CAST(NULL AS STRING) AS label,
  COUNT(*) AS n, COUNTIF(s.converted) AS converted, MAX(g.median_s) AS median_s
FROM stage_members AS s
LEFT JOIN gap_medians AS g ON g.persona = s.persona AND g.stage = s.stage
GROUP BY s.persona, s.stage
UNION ALL
SELECT 'progress' AS row_type, persona, stage, CAST(NULL AS STRING) AS kind, CAST(NULL AS STRING) AS label,
  COUNT(*) AS n, COUNTIF(converted) AS converted, CAST(NULL AS FLOAT64) AS median_s
FROM stage_members
WHERE next_us IS NOT NULL
GROUP BY persona, stage
UNION ALL
SELECT 'touch' AS row_type, persona, stage, kind, label, n, converted, CAST(NULL AS FLOAT64) AS median_s
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY persona, stage, kind ORDER BY n DESC, label) AS touch_rank
  FROM touch_counts
)
WHERE touch_rank <= @top_touchpoints
UNION ALL
SELECT 'exit' AS row_type, persona, stage, CAST(NULL AS STRING) AS kind, page_path AS label, n, 0 AS converted,
  CAST(NULL AS FLOAT64) AS median_s
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY persona, stage ORDER BY n DESC, page_path) AS page_rank
  FROM exit_counts
)
WHERE page_rank <= @top_pages
UNION ALL
SELECT 'friction' AS row_type, persona, stage, kind, CAST(NULL AS STRING) AS label, n, 0 AS converted,
  CAST(NULL AS FLOAT64) AS median_s
FROM friction_rows
WHERE n > 0
ORDER BY row_type, persona, stage, kind, n DESC, label
