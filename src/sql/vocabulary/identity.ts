import { z } from 'zod';

/**
 * Whose journey an event belongs to. `blended` (GA4's reporting identity): a device seen with a
 * `user_id` in the data joins that user's journey, the latest `user_id` it was seen with winning;
 * other devices stay journeys of their own. `user_id`: only events that resolve to a user_id.
 * `device`: each `user_pseudo_id` alone, as the export records it.
 */
export const IDENTITIES = ['blended', 'user_id', 'device'] as const;
export type Identity = (typeof IDENTITIES)[number];

export const identitySchema = z
  .enum(IDENTITIES, { message: `expected one of ${IDENTITIES.join(', ')}` })
  .default('blended');
