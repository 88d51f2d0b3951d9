import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../errors/errors.js';
import { linkSecretsSchema, type LinkKeys } from './linkSecrets.js';

const newKey = (now: Date) =>
  `k${now.toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64url')}`;

const parse = (file: string, text: string): LinkKeys => {
  const result = linkSecretsSchema.safeParse(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(','),
  );
  if (!result.success)
    throw new ConfigError(
      `${file}: ${result.error.issues[0]?.message ?? 'invalid'}`,
      'PATHLIGHT_LINK_SECRETS',
    );
  return result.data;
};

const write = (file: string, lines: string[]) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(file, 0o600);
};

/**
 * The embedded default's link keys: `kid:secret` lines in the data dir (mode 0600), made at first
 * start so sharing works with no set-up. The first line signs; every line verifies.
 */
export function ensureLinkKeyFile(
  file: string,
  now = new Date(),
): { keys: LinkKeys; created: boolean } {
  if (existsSync(file)) return { keys: parse(file, readFileSync(file, 'utf8')), created: false };
  write(file, [newKey(now)]);
  return { keys: parse(file, readFileSync(file, 'utf8')), created: true };
}

/**
 * A new signing key first; the previous keys stay below it so links they signed keep working
 * until they expire. Removing an old line later ends every link it signed.
 */
export function rotateLinkKeyFile(file: string, now = new Date()): LinkKeys {
  const before = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  if (before.length > 0) parse(file, before.join('\n'));
  write(file, [newKey(now), ...before]);
  return parse(file, readFileSync(file, 'utf8'));
}
