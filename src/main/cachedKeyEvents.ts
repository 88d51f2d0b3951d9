import type { Logger } from 'pino';
import type { Ga4DataApi } from '../ga4/ga4DataApi.js';

/** Key events change rarely: asked once every 10 minutes; a failure shows no marks, not an error. */
export function cachedKeyEvents(api: Ga4DataApi, logger: Logger): () => Promise<string[]> {
  let cached: { at: number; names: string[] } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < 10 * 60_000) return cached.names;
    try {
      cached = { at: Date.now(), names: await api.keyEvents() };
    } catch (error) {
      logger.warn({ err: error }, 'GA4 key events unavailable');
      cached = { at: Date.now(), names: cached?.names ?? [] };
    }
    return cached.names;
  };
}
