/** Where the service listens unless told otherwise: loopback, App Engine's usual port. */
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * The address from the environment as the config reads it, without loading the config's
 * validator: null when PORT is not a whole number from 0 to 65535 (the config then says so).
 */
export function listenAddressOf(env: NodeJS.ProcessEnv): { port: number; host: string } | null {
  const raw = env.PORT ?? '';
  const port = raw.trim() === '' ? DEFAULT_PORT : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  return { port, host: env.PATHLIGHT_HOST || DEFAULT_HOST };
}
