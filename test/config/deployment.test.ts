import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.js';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const yaml = (file: string) => parse(read(file)) as Record<string, unknown>;
// What secrets.yaml adds at deploy time (docs/production.md, section 6), with made-up values.
const SECRETS = {
  DATABASE_URL: 'postgres://pathlight:pw@/pathlight?host=/cloudsql/p:r:i',
  SMTP_URL: 'smtps://u:p@smtp.example.com:465',
  PATHLIGHT_TICK_SECRET: 'a-tick-secret-of-16+',
  PATHLIGHT_SESSION_SECRET: 'x'.repeat(32),
};

describe('the deployment files', () => {
  it('app.yaml: App Engine standard, Node 20, HTML only, a configuration that loads', () => {
    const app = yaml('app.yaml');
    expect(app.runtime).toBe('nodejs20');
    expect(app.entrypoint).toBe('node bin/pathlight.js serve');
    expect(existsSync(new URL('../../bin/pathlight.js', import.meta.url))).toBe(true);
    expect(app.includes).toEqual(['secrets.yaml']);
    const env = app.env_variables as Record<string, string>;
    expect(env.PATHLIGHT_BROWSER_PATH).toBe('none');
    const config = loadConfig({ ...env, ...SECRETS, PORT: '8080' });
    expect(config).toMatchObject({
      PATHLIGHT_ENGINE: 'bigquery',
      PATHLIGHT_HOST: '0.0.0.0',
      PATHLIGHT_TRUST_IAP: true,
      PATHLIGHT_SCHEDULER_INTERVAL_MS: 0,
    });
    expect(app.handlers).toEqual([
      { url: '/public', static_dir: 'public', secure: 'always' },
      { url: '/.*', script: 'auto', secure: 'always' },
    ]);
  });

  it('app.flexible.yaml: the Dockerfile with Debian chromium, probed on /readyz and /healthz', () => {
    const app = yaml('app.flexible.yaml');
    expect(app).toMatchObject({
      runtime: 'custom',
      env: 'flex',
      readiness_check: { path: '/readyz' },
      liveness_check: { path: '/healthz' },
    });
    const docker = read('Dockerfile');
    expect(docker).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(docker).toMatch(/apt-get install [^\n]*chromium/);
    expect(docker).toContain('PATHLIGHT_BROWSER_PATH=/usr/bin/chromium');
    const env = app.env_variables as Record<string, string>;
    expect(env.PATHLIGHT_BROWSER_PATH).toBeUndefined();
    expect(
      loadConfig({ ...env, ...SECRETS, PATHLIGHT_BROWSER_PATH: '/usr/bin/chromium' }),
    ).toMatchObject({ PATHLIGHT_ENGINE: 'bigquery', PATHLIGHT_BROWSER_PATH: '/usr/bin/chromium' });
  });

  it('cron.yaml calls the tick endpoint every minute', () => {
    expect(yaml('cron.yaml').cron).toMatchObject([
      { url: '/tasks/tick', schedule: 'every 1 minutes' },
    ]);
  });

  it('the build runs in gcp-build, no browser is downloaded, and secrets stay out of git', () => {
    const pkg = JSON.parse(read('package.json')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts['gcp-build']).toBe('npm run build');
    expect(Object.keys(pkg.dependencies)).not.toContain('puppeteer');
    const ignored = read('.gitignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['secrets.yaml', '.env', '.env.*']));
    expect(read('.gcloudignore').split('\n')).toEqual(expect.arrayContaining(['secrets.yaml']));
  });
});
