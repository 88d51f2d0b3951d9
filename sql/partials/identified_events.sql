{{!-- The events of one identity (src/sql/vocabulary/identity.ts): `user_pseudo_id` becomes the
person each row belongs to, so every query that groups by it groups people, not devices. A device
seen with a user_id in `source` (the date-bounded events) takes the latest one (ties: the largest
user_id); a row with no device (an offline event with only a user_id) takes its own user_id.
Resolved users are spelled `u:<user_id>`, so a user_id can never meet a device id of the same text.
In `user_id` mode a row that resolves to no user_id keeps a NULL person, as consent-mode rows do. --}}
(
      SELECT e.* REPLACE (
        CASE
          WHEN e.user_pseudo_id IS NULL THEN IF(e.user_id IS NULL, NULL, CONCAT('u:', e.user_id))
          WHEN d.resolved_user_id IS NOT NULL THEN CONCAT('u:', d.resolved_user_id)
          ELSE {{#if (eq identity 'blended')}}e.user_pseudo_id{{else}}CAST(NULL AS STRING){{/if}}
        END AS user_pseudo_id
      )
      FROM {{{source}}} AS e
      LEFT JOIN (
        SELECT user_pseudo_id AS device_id, user_id AS resolved_user_id
        FROM {{{source}}} AS s
        WHERE user_pseudo_id IS NOT NULL AND user_id IS NOT NULL
        QUALIFY ROW_NUMBER() OVER (PARTITION BY user_pseudo_id ORDER BY event_timestamp DESC, user_id DESC) = 1
      ) AS d ON d.device_id = e.user_pseudo_id
    )
