-- One row per event of a known user for the next-step models: its order keys, whether it is a goal
-- event (@goal_event with its conditions), its page path, whether it opens its session, and the
-- stage it reaches (the latest stage in map order whose rule, rule n being the user's
-- @rN_occurrence-th event @rN_event with its conditions, is met at it; counted over every event, as
-- sql/stages.sql counts). Needs a CTE `scoped_events`.
rule_fields AS (
  SELECT
    user_pseudo_id,
    {{param 'int' 'ga_session_id'}} AS ga_session_id,
    event_timestamp,
    COALESCE(batch_ordering_id, 0) AS batch_ordering_id,
    COALESCE(batch_event_index, 0) AS batch_event_index,
    event_name,
    COALESCE(event_name = @goal_event{{#each goalWhere}} AND {{> condition}}{{/each}}, FALSE) AS is_goal,
    {{#if (eq nodeType 'page_path')}}
    IF(event_name = 'page_view',
      IF(REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '') = '', '/',
        REGEXP_REPLACE({{param 'string' 'page_location'}}, '^[A-Za-z][-A-Za-z0-9+.]*://[^/?#]*', '')),
      NULL) AS page_path,
    {{/if}}
    {{#each rules}}
    COALESCE(event_name = @r{{n}}_event{{#each where}} AND {{> condition}}{{/each}}, FALSE) AS m{{n}},
    {{/each}}
    1 AS one
  FROM scoped_events
  WHERE user_pseudo_id IS NOT NULL
),
rule_counts AS (
  SELECT
    *,
    {{#each rules}}
    IF(m{{n}}, ROW_NUMBER() OVER (
      PARTITION BY user_pseudo_id, m{{n}}
      ORDER BY event_timestamp, batch_ordering_id, batch_event_index
    ), NULL) AS o{{n}},
    {{/each}}
    ga_session_id IS NOT NULL AND ROW_NUMBER() OVER (
      PARTITION BY user_pseudo_id, ga_session_id
      ORDER BY event_timestamp, batch_ordering_id, batch_event_index, event_name
    ) = 1 AS session_first
  FROM rule_fields
),
event_fields AS (
  SELECT
    *,
    CASE
      {{#each rulesDesc}}
      WHEN m{{n}} AND o{{n}} = @r{{n}}_occurrence THEN '{{stage}}'
      {{/each}}
      ELSE CAST(NULL AS STRING)
    END AS stage_hit
  FROM rule_counts
),
