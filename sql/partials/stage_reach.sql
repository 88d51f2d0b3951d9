-- Per user and stage, the time the stage was first reached: a stage rule is met at the Nth
-- occurrence (@rN_occurrence) of its event (@rN_event) meeting its conditions, counted in the
-- export's order (timestamp, then the batch keys) so both engines pick the same event.
-- Needs a CTE `scoped_events` and a `rules` list in the context (stage, n, where).
rule_hits AS (
  {{#each rules}}
  {{#unless @first}}
  UNION ALL
  {{/unless}}
  SELECT user_pseudo_id, {{stage}} AS stage, event_timestamp
  FROM (
    SELECT
      user_pseudo_id,
      event_timestamp,
      ROW_NUMBER() OVER (
        PARTITION BY user_pseudo_id
        ORDER BY event_timestamp, COALESCE(batch_ordering_id, 0), COALESCE(batch_event_index, 0)
      ) AS occurrence
    FROM scoped_events
    WHERE user_pseudo_id IS NOT NULL
      AND event_name = @r{{n}}_event{{#each where}} AND {{> condition}}{{/each}}
  )
  WHERE occurrence = @r{{n}}_occurrence
  {{/each}}
),
stage_reach AS (
  SELECT user_pseudo_id, stage, MIN(event_timestamp) AS reached_us
  FROM rule_hits
  GROUP BY user_pseudo_id, stage
),
