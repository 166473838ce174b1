// What a profile change emits: one outbox row per change, written by the same SQL statement as the
// change itself (a data-modifying CTE), so an event exists exactly when its change committed. The
// worker's relay publishes the rows to the events exchange under their routing key.

export const PROFILE_EVENTS = {
  created: 'profile.created',
  updated: 'profile.updated',
  deleted: 'profile.deleted',
} as const;

export type ProfileEventKind = keyof typeof PROFILE_EVENTS;

/**
 * The CTE body inserting the event of `kind` for the rows of the CTE `p` (the changed profiles):
 * `{id, version, time}` and, but for a deletion, the profile's public fields — never its email or
 * owner: every subscriber of the event stream may receive it. `time` is a SQL expression, and so is
 * `traceparent` (a parameter: the writing request's, which the relay publishes the event in).
 */
export const profileEventFrom = (kind: ProfileEventKind, time: string, traceparent = 'NULL') =>
  `INSERT INTO outbox_events (routing_key, traceparent, payload)
   SELECT '${PROFILE_EVENTS[kind]}', ${traceparent}::text, jsonb_build_object('id', p.id, 'version', p.version, 'time', ${time})${
     kind === 'deleted'
       ? ''
       : ` || jsonb_build_object('name', p.name, 'bio', p.bio, 'image_urls', p.image_urls,
             'created_at', p.created_at, 'updated_at', p.updated_at)`
   } FROM p`;
