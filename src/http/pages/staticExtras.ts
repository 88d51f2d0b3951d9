import { createRequire } from 'node:module';
import { Router } from 'express';
import { publicDir } from './pagesRouter.js';

const require = createRequire(import.meta.url);

/**
 * Files the pages load besides /public: the favicon where browsers look for it, and the ECharts
 * build the pages draw their charts with, served from the installed package (the pages' CSP
 * allows scripts from this origin only).
 */
export function staticExtras(): Router {
  const router = Router();
  const echarts = require.resolve('echarts/dist/echarts.min.js');
  router.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').sendFile(`${publicDir}favicon.svg`, { maxAge: '1d' });
  });
  router.get('/vendor/echarts.min.js', (_req, res) => {
    res.type('application/javascript').sendFile(echarts, { maxAge: '1h' });
  });
  return router;
}
