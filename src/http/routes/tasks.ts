import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Drainer } from '../../app/drainer.js';

export interface TickAuth {
  /** Behind App Engine, only App Engine's cron can set `X-Appengine-Cron` (it strips it from outside requests). */
  readonly appEngine: boolean;
  /** Elsewhere (Cloud Scheduler, another cron): `Authorization: Bearer <secret>`. */
  readonly secret: string | undefined;
}

function allowed(req: Request, auth: TickAuth): boolean {
  if (auth.appEngine && req.get('X-Appengine-Cron') === 'true') return true;
  const header = req.get('Authorization') ?? '';
  if (!auth.secret || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const expected = Buffer.from(auth.secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `POST /tasks/tick`: one scheduler tick, for App Engine cron or an outside scheduler. */
export function tasksRouter(loop: Drainer, auth: TickAuth): Router {
  const router = Router();
  // App Engine cron calls with GET; only its own header (which App Engine strips from outside
  // requests) is trusted on GET, so a link or an image tag cannot trigger a tick.
  router.get('/tasks/tick', async (req, res, next) => {
    if (!(auth.appEngine && req.get('X-Appengine-Cron') === 'true')) {
      res
        .status(403)
        .json({ error: { code: 'forbidden', message: 'not a trusted scheduler call' } });
      return;
    }
    try {
      res.json(await loop.runOnce());
    } catch (error) {
      next(error);
    }
  });
  router.post('/tasks/tick', async (req, res, next) => {
    if (!allowed(req, auth)) {
      res
        .status(403)
        .json({ error: { code: 'forbidden', message: 'not a trusted scheduler call' } });
      return;
    }
    try {
      res.json(await loop.runOnce());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
