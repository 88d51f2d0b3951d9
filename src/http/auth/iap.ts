import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

export const IAP_ISSUER = 'https://cloud.google.com/iap';
export const IAP_HEADER = 'x-goog-iap-jwt-assertion';

export interface IapVerifier {
  /** The verified email, or throws. */
  verify(assertion: string): Promise<string>;
}

/**
 * Verifies IAP's signed header (ES256, issuer, audience, expiry). Keys come from Google's JWK set
 * (cached by jose, refetched on an unknown `kid`); tests pass a local URL or their own key set.
 */
export function iapVerifier(options: {
  audience: string;
  keysUrl?: string;
  keys?: JWTVerifyGetKey;
}): IapVerifier {
  const keys =
    options.keys ??
    createRemoteJWKSet(
      new URL(options.keysUrl ?? 'https://www.gstatic.com/iap/verify/public_key-jwk'),
      {
        cacheMaxAge: 6 * 3600_000,
        cooldownDuration: 30_000,
        timeoutDuration: 5_000,
      },
    );
  return {
    async verify(assertion) {
      const { payload } = await jwtVerify(assertion, keys, {
        algorithms: ['ES256'],
        issuer: IAP_ISSUER,
        audience: options.audience,
        clockTolerance: 30,
      });
      if (typeof payload.email !== 'string' || !payload.email) {
        throw new Error('the IAP token carries no email');
      }
      return payload.email.replace(/^accounts\.google\.com:/, '');
    },
  };
}
