import { existsSync } from 'node:fs';
import { ConfigError } from '../../errors/errors.js';

/** How the client authenticates: exactly one of the usual Google means. */
export type BigqueryCredentials =
  | { readonly kind: 'adc' }
  | { readonly kind: 'keyFile'; readonly path: string }
  | { readonly kind: 'json'; readonly json: string };

export interface ServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  readonly [field: string]: unknown;
}

/** From the two settings: a key file path, inline JSON, or neither (Application Default Credentials). */
export function credentialsFromSettings(settings: {
  readonly GOOGLE_APPLICATION_CREDENTIALS?: string | undefined;
  readonly BIGQUERY_CREDENTIALS_JSON?: string | undefined;
}): BigqueryCredentials {
  const path = settings.GOOGLE_APPLICATION_CREDENTIALS;
  const json = settings.BIGQUERY_CREDENTIALS_JSON;
  if (path && json) {
    throw new ConfigError(
      'BIGQUERY_CREDENTIALS_JSON: set either it or GOOGLE_APPLICATION_CREDENTIALS, not both',
      'BIGQUERY_CREDENTIALS_JSON',
    );
  }
  if (path) return { kind: 'keyFile', path };
  if (json) return { kind: 'json', json };
  return { kind: 'adc' };
}

/** Parses inline key JSON; messages name the variable and never echo the secret. */
export function parseServiceAccountJson(json: string): ServiceAccountKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ConfigError(
      'BIGQUERY_CREDENTIALS_JSON: not valid JSON (expected a service account key file content)',
      'BIGQUERY_CREDENTIALS_JSON',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      'BIGQUERY_CREDENTIALS_JSON: expected a JSON object (a service account key)',
      'BIGQUERY_CREDENTIALS_JSON',
    );
  }
  const key = parsed as Record<string, unknown>;
  const missing = ['client_email', 'private_key'].filter(
    (field) => typeof key[field] !== 'string' || key[field] === '',
  );
  if (missing.length > 0) {
    throw new ConfigError(
      `BIGQUERY_CREDENTIALS_JSON: missing ${missing.join(' and ')} (expected a service account key)`,
      'BIGQUERY_CREDENTIALS_JSON',
    );
  }
  return key as ServiceAccountKey;
}

/** The client options for one kind of credentials; ADC adds nothing and lets google-auth-library look. */
export function clientAuthOptions(credentials: BigqueryCredentials): {
  keyFilename?: string;
  credentials?: ServiceAccountKey;
} {
  switch (credentials.kind) {
    case 'adc':
      return {};
    case 'keyFile':
      if (!credentials.path || !existsSync(credentials.path)) {
        throw new ConfigError(
          `GOOGLE_APPLICATION_CREDENTIALS: no key file at ${credentials.path}`,
          'GOOGLE_APPLICATION_CREDENTIALS',
        );
      }
      return { keyFilename: credentials.path };
    case 'json':
      return { credentials: parseServiceAccountJson(credentials.json) };
    default:
      throw new ConfigError(
        'BigQuery credentials: expected exactly one of adc, keyFile, json',
        'BIGQUERY_CREDENTIALS_JSON',
      );
  }
}
