-- The funnel's events (shared by sql/partials/funnel_chain.sql and funnel_first_match.sql):
-- segment_units (with a segment), base (the scoped step and exclusion events of the range, with
-- step flags m1..mN) and ranked (base with what the chain needs to tell events apart). The
-- first-match form (DuckDB only) reads them several times: materialized they would cost more than
-- the filtered scan they stand for.
{{#if segment}}
segment_units AS (
  -- The segment: users (or sessions) with at least one event in the range meeting all its conditions.
  SELECT DISTINCT
    user_pseudo_id AS uid,
    {{#if segment.session}}{{param 'int' 'ga_session_id'}}{{else}}CAST(0 AS INT64){{/if}} AS sid
  FROM {{events}}
  WHERE user_pseudo_id IS NOT NULL{{#if segment.hasEvent}} AND event_name = @seg_event{{/if}}{{#each segment.where}} AND {{> condition}}{{/each}}
),
{{/if}}
base AS {{#if firstMatch}}NOT MATERIALIZED {{/if}}(
  SELECT
    user_pseudo_id AS uid,
    {{#if session}}{{param 'int' 'ga_session_id'}}{{else}}CAST(0 AS INT64){{/if}} AS sid,
    event_name,
    {{#if withDate}}event_date AS edate,{{/if}}
    event_timestamp AS ts,
    COALESCE(batch_ordering_id, 0) AS bo,
    COALESCE(batch_event_index, 0) AS bi,
    {{#if breakdown}}{{#if landingPage}}{{param 'string' 'page_location'}}{{else}}{{breakdownSql}}{{/if}}{{else}}CAST(NULL AS STRING){{/if}} AS bvalue,
    {{#each steps}}
    (event_name = @step{{n}}_event{{#each where}} AND {{> condition}}{{/each}}) AS m{{n}},
    {{/each}}
    {{#each exclusions}}
    (event_name = @x{{n}}_event{{#each where}} AND {{> condition}}{{/each}}) AS x{{n}},
    {{/each}}
    {{#if firstMatch}}
    -- k: the order key (ts, bo, bi) as one integer for the first-match form: ts from @key_base_us
    -- in the upper bits, then 8 bits each for the batch fields. An event whose fields do not fit
    -- gets the largest integer, which sorts after every real key, so it stays in the lists the
    -- form builds and the form reports it (key_check): the caller then runs the general form.
    IF(
      event_timestamp >= @key_base_us AND event_timestamp - @key_base_us < 70368744177664
        AND COALESCE(batch_ordering_id, 0) BETWEEN 0 AND 255 AND COALESCE(batch_event_index, 0) BETWEEN 0 AND 255,
      (event_timestamp - @key_base_us) * 65536 + COALESCE(batch_ordering_id, 0) * 256 + COALESCE(batch_event_index, 0),
      9223372036854775807
    ) AS k,
    {{/if}}
    event_timestamp AS _ts
  FROM {{events}}
  WHERE user_pseudo_id IS NOT NULL{{#unless directly}} AND event_name IN UNNEST(@event_names){{/unless}}
),
ranked AS {{#if firstMatch}}NOT MATERIALIZED {{/if}}(
{{#if ranked}}
  -- id tells events apart (rows equal in every column used here are interchangeable);
  -- r is the dense rank of the order key (for `directly`); cleN / cltN count the exclusion events
  -- of gap N-1 -> N at or before / strictly before the event's order key.
  SELECT
    *,
    ROW_NUMBER() OVER (
      PARTITION BY uid, sid
      ORDER BY ts, bo, bi, event_name, bvalue{{#each steps}}, m{{n}}{{/each}}{{#each exclusions}}, x{{n}}{{/each}}
    ) AS id,{{#if masked}}
    -- gi: the event's place among the unit's events of its identical order key, so a chain can
    -- mark (bit 1 << gi of `mask`) which of them it used: one event never serves two steps
    -- (events past the 62nd of one key are not marked: a key that crowded is not a real journey).
    ROW_NUMBER() OVER (
      PARTITION BY uid, sid, ts, bo, bi
      ORDER BY event_name, bvalue{{#each steps}}, m{{n}}{{/each}}{{#each exclusions}}, x{{n}}{{/each}}
    ) - 1 AS gi,{{/if}}
    {{#if directly}}DENSE_RANK() OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi){{else}}CAST(0 AS INT64){{/if}} AS r{{#each steps}}{{#if hasExcl}},
    SUM(IF({{#each excl}}{{#unless @first}} OR {{/unless}}x{{this}}{{/each}}, 1, 0)) OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi) AS cle{{n}},
    SUM(IF({{#each excl}}{{#unless @first}} OR {{/unless}}x{{this}}{{/each}}, 1, 0)) OVER (PARTITION BY uid, sid ORDER BY ts, bo, bi)
      - SUM(IF({{#each excl}}{{#unless @first}} OR {{/unless}}x{{this}}{{/each}}, 1, 0)) OVER (PARTITION BY uid, sid, ts, bo, bi) AS clt{{n}}{{/if}}{{/each}}
  FROM base
  WHERE sid IS NOT NULL{{#if segment}}
    AND EXISTS (SELECT 1 FROM segment_units AS su WHERE su.uid = base.uid{{#if segment.session}} AND su.sid = base.sid{{/if}}){{/if}}
{{else}}
  -- No step can share an event with the previous one, no `directly`, no exclusions: events are
  -- told apart by their order key alone (equal keys give equal answers), so no window is needed.
  SELECT *, CAST(0 AS INT64) AS id, CAST(0 AS INT64) AS r
  FROM base
  WHERE sid IS NOT NULL{{#if segment}}
    AND EXISTS (SELECT 1 FROM segment_units AS su WHERE su.uid = base.uid{{#if segment.session}} AND su.sid = base.sid{{/if}}){{/if}}
{{/if}}
)
