import { createHash, randomBytes } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { adminTokenFile, type Config } from '../config/config.js';
import type { AccessOptions } from '../http/auth/access.js';
import { ensureAdminToken } from '../http/auth/adminToken.js';
import { iapVerifier } from '../http/auth/iap.js';

/**
 * Who may use the pages and API: IAP's signed header behind App Engine, else the admin token of
 * the embedded default (created at first start, kept in the data folder).
 */
export function serviceAccess(
  config: Config,
  logger: Logger,
  iapKeys?: JWTVerifyGetKey,
): AccessOptions & { token?: string } {
  if (config.PATHLIGHT_TRUST_IAP) {
    let secret = config.PATHLIGHT_SESSION_SECRET;
    if (!secret) {
      secret = randomBytes(32).toString('base64url');
      logger.warn(
        'PATHLIGHT_SESSION_SECRET is not set: forms only work on the instance that served them',
      );
    }
    return {
      mode: 'iap',
      verifier: iapVerifier({
        audience: config.IAP_AUDIENCE as string,
        keysUrl: config.IAP_PUBLIC_KEYS_URL,
        ...(iapKeys ? { keys: iapKeys } : {}),
      }),
      editors: config.PATHLIGHT_EDITORS,
      sessionSecret: secret,
    };
  }
  const file = adminTokenFile(config);
  const { token, created } = ensureAdminToken(file);
  if (created) {
    // Printed once, at first start; afterwards it is only in the file (mode 0600).
    logger.info({ adminToken: token, file }, 'admin token created: sign in with it (shown once)');
  } else {
    logger.info({ file }, 'admin token in its file');
  }
  // Derived from the token: rotating the token (deleting the file) ends every session.
  const sessionSecret = createHash('sha256')
    .update(`pathlight-session:${token}`)
    .digest('base64url');
  return { mode: 'token', token, sessionSecret };
}
