import { z } from 'zod';
import { ConfigError } from '../errors/errors.js';

/**
 * PATHLIGHT_LINK_SECRETS: `kid:secret` pairs separated by commas; the first signs new links, every
 * one listed still verifies (rotate by putting a new key first and dropping the old one later).
 */
export const linkSecretsSchema = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    const keys = new Map<string, Buffer>();
    for (const part of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = part.indexOf(':');
      const kid = part.slice(0, at);
      const secret = part.slice(at + 1);
      if (at < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(kid) || secret.length < 32) {
        ctx.addIssue({
          code: 'custom',
          message:
            'expected kid:secret pairs (kid 1-32 of A-Z a-z 0-9 _ -, secret at least 32 characters)',
        });
        return z.NEVER;
      }
      keys.set(kid, Buffer.from(secret, 'utf8'));
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one kid:secret pair' });
      return z.NEVER;
    }
    return { current: [...keys.keys()][0] as string, keys };
  });

export type LinkKeys = z.infer<typeof linkSecretsSchema>;

/** Reads PATHLIGHT_LINK_SECRETS; errors name the variable and never echo the secret. */
export function loadLinkKeys(env: NodeJS.ProcessEnv = process.env): LinkKeys {
  const result = linkSecretsSchema.safeParse(env.PATHLIGHT_LINK_SECRETS ?? '');
  if (!result.success) {
    throw new ConfigError(
      `PATHLIGHT_LINK_SECRETS: ${result.error.issues[0]?.message ?? 'invalid'}`,
      'PATHLIGHT_LINK_SECRETS',
    );
  }
  return result.data;
}
