{{!-- A report's event scope (src/sql/eventScope.ts), appended to the events source's WHERE by the
`{{events}}` helper: every filter on each event, then, for a segment, only the users (or sessions)
with an event in the range meeting the segment, read from the same filtered events. --}}{{#each filters}}
      AND {{> condition}}{{/each}}{{#if segment}}
      AND {{#if segment.session}}{{{sessionKey}}}{{else}}user_pseudo_id{{/if}} IN (
        SELECT {{#if segment.session}}{{{sessionKey}}}{{else}}user_pseudo_id{{/if}}
        FROM {{{table}}}
        WHERE ({{{dateWhere}}}){{#each filters}}
          AND {{> condition}}{{/each}}{{#if segment.hasEvent}}
          AND event_name = @scope_event{{/if}}{{#each segment.where}}
          AND {{> condition}}{{/each}}
      ){{/if}}
