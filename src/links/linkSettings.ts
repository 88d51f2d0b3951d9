import type { Config } from '../config/config.js';
import { ensureLinkKeyFile } from './linkKeyFile.js';
import { loadLinkKeys, type LinkKeys } from './linkSecrets.js';
import type { LinkService } from './linkService.js';

export const linkKeyFile = (config: Config): string => `${config.PATHLIGHT_DATA_DIR}/link-keys`;

/**
 * Where link keys come from: PATHLIGHT_LINK_SECRETS when set (every instance shares them), else,
 * on the embedded default, a key file made at first start. Behind IAP there are several instances
 * and no shared disk, so without the variable there are no links (undefined).
 */
export function linkKeysFor(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): { keys: LinkKeys; source: 'env' | 'file'; created: boolean } | undefined {
  if (env.PATHLIGHT_LINK_SECRETS) return { keys: loadLinkKeys(env), source: 'env', created: false };
  if (config.PATHLIGHT_TRUST_IAP) return undefined;
  const { keys, created } = ensureLinkKeyFile(linkKeyFile(config));
  return { keys, source: 'file', created };
}

/** The address viewers reach: the configured public URL, else the service's own (embedded default). */
export const publicUrlFor = (config: Config, ownUrl: string): string =>
  config.PATHLIGHT_PUBLIC_URL ?? ownUrl;

/**
 * Making links on this service, or undefined when sharing is off: no keys (IAP without the
 * variable), or behind IAP with no public URL (the service's own address is not the one viewers reach).
 */
export function linkServiceFor(
  config: Config,
  ownUrl: () => string,
  env: NodeJS.ProcessEnv = process.env,
): LinkService | undefined {
  if (config.PATHLIGHT_TRUST_IAP && !config.PATHLIGHT_PUBLIC_URL) return undefined;
  const found = linkKeysFor(config, env);
  return found && { keys: found.keys, publicUrl: () => publicUrlFor(config, ownUrl()) };
}
