import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

/** Per-client requests per minute; over the limit, 429 in the API's error shape. */
export function rateLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({
        error: { code: 'rate_limited', message: 'too many requests; try again in a minute' },
      });
    },
  });
}
