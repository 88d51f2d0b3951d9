import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenAddressOf } from '../config/listenAddress.js';

let early: Server | undefined;

const STARTING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Pathlight is starting</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem"><h1>Pathlight is starting</h1>
<p>This page reloads itself in a moment.</p></body></html>
`;

/**
 * Binds the service's address before the rest of it is even loaded (the engine's native module,
 * the chart library and the browser driver take seconds to import on a busy machine), so a
 * platform's health check gets its answer at once: `/healthz` is ok, everything else is "starting"
 * with a Retry-After. `serve` then hands the same socket to the real app. Nothing is bound when
 * the address does not parse or is taken: the service's own start then says why.
 */
export async function listenEarly(env: NodeJS.ProcessEnv = process.env): Promise<Server | null> {
  const address = listenAddressOf(env);
  if (!address) return null;
  const server = createServer((req, res) => {
    const healthy = req.url === '/healthz';
    // A person opening a page in these first seconds gets a page that reloads itself.
    if (!healthy && (req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(503, {
        Connection: 'close',
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Retry-After': '1',
      });
      res.end(STARTING_PAGE);
      return;
    }
    // Connections are not kept: the next request opens a fresh one, which may meet the service
    // itself, instead of reusing one the early server's idle timeout is about to close.
    res.writeHead(healthy ? 200 : 503, {
      Connection: 'close',
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(healthy ? {} : { 'Retry-After': '1' }),
    });
    res.end(
      JSON.stringify(
        healthy
          ? { status: 'ok' }
          : { status: 'starting', error: { code: 'starting', message: 'the service is starting' } },
      ),
    );
  });
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(address.port, address.host, () => resolve(true));
  });
  if (!bound) return null;
  early = server;
  return server;
}

/**
 * The early socket, once, if it is bound where the service was configured to listen (port 0
 * means any); otherwise it is closed and the service binds its own.
 */
export async function takeEarlyServer(host: string, port: number): Promise<Server | undefined> {
  const server = early;
  early = undefined;
  if (!server) return undefined;
  const bound = server.address() as AddressInfo;
  const sameHost = host === bound.address || host === 'localhost';
  if (sameHost && (port === 0 || port === bound.port)) return server;
  await new Promise((resolve) => server.close(resolve));
  return undefined;
}
