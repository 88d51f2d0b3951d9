import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** An async route whose rejections reach the error middleware (Express 5 does this too; explicit here). */
export const handle =
  (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).then((body) => {
      if (!res.headersSent && body !== undefined) res.json(body);
    }, next);
  };

export const param = (req: Request, name: string): string => String(req.params[name] ?? '');
