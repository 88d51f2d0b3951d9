import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsDb } from '../support/loadRows.js';
import { freshPgliteDir } from '../support/pgliteTemplate.js';
import { runCli } from '../support/runCli.js';
import { call, startTestService, type TestService } from '../http/support/testApp.js';
import { MAP_ROWS, MAP_STAGES, PERSONAS } from './mapFixture.js';

describe('the map and personas over HTTP', () => {
  let service: TestService;
  let auth: Record<string, string>;
  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    call(`${service.url}/api${path}`, { ...init, headers: auth });
  beforeAll(async () => {
    service = await startTestService();
    auth = { Authorization: `Bearer ${service.adminToken}` };
  });
  afterAll(() => service.stop());

  it('saves personas, refuses a bad one at its field, and runs the map with a saved one by name', async () => {
    const put = await api('/personas/Desktop', {
      method: 'PUT',
      body: { device: { category: ['desktop'] } },
    });
    expect(put.status).toBe(201);
    expect(put.body).toEqual({
      name: 'Desktop',
      description: '',
      device: { category: ['desktop'] },
    });
    const bad = await api('/personas/Broken', {
      method: 'PUT',
      body: { behaviour: { did: [{ event: 'purchase', atLeast: -1 }] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('behaviour.did[0].atLeast');
    expect((await api('/personas')).body.personas.map((p: { name: string }) => p.name)).toEqual([
      'Desktop',
    ]);

    // The service's fixture: five desktop users, two of whom buy (u1, u3).
    const map = await api('/map/run', {
      method: 'POST',
      body: { dateRange: { start: '2024-03-01', end: '2024-03-03' }, personas: ['Desktop'] },
    });
    expect(map.status).toBe(200);
    expect(
      map.body.personas.map((p: { name: string; users: number; converted: number }) => [
        p.name,
        p.users,
        p.converted,
      ]),
    ).toEqual([
      ['All users', 5, 2],
      ['Desktop', 5, 2],
    ]);
    const unknown = await api('/map/run', {
      method: 'POST',
      body: {
        dateRange: { start: '2024-03-01', end: '2024-03-03' },
        personas: ['Desktop', 'Nobody'],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('personas[1]');

    expect((await api('/personas/Desktop', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/personas/Desktop')).status).toBe(404);
  });
});

describe('pathlight personas and pathlight map', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pathlight-map-cli-'));
    await freshPgliteDir(join(dir, 'data', 'store'));
    db = await createEventsDb({ '20201101': MAP_ROWS });
    writeFileSync(join(dir, 'mobile.json'), JSON.stringify(PERSONAS.mobile));
    writeFileSync(
      join(dir, 'searchers.yaml'),
      'name: Searchers\nbehaviour:\n  did:\n    - event: view_search_results\n',
    );
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'Bad', geo: { country: [] } }));
    writeFileSync(
      join(dir, 'map.json'),
      JSON.stringify({
        dateRange: { start: '2020-11-01', end: '2020-11-01' },
        stageMap: MAP_STAGES,
        minSupport: 2,
      }),
    );
  });
  const env = () => ({ PATHLIGHT_DATA_DIR: join(dir, 'data') });

  it('saves a persona, then maps it by name beside a persona file, overlap said', async () => {
    const saved = await runCli(['personas', 'save', join(dir, 'mobile.json')], env());
    expect(saved).toMatchObject({ code: 0, stdout: 'saved persona Mobile\n' });
    expect((await runCli(['personas', 'list'], env())).stdout).toBe(
      'Mobile\tFirst seen on a phone\n',
    );
    const run = await runCli(
      [
        'map',
        '--spec',
        join(dir, 'map.json'),
        '--db',
        db,
        '--persona',
        'Mobile',
        '--persona',
        join(dir, 'searchers.yaml'),
      ],
      env(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('personas overlap: 2 users in more than one (50.0%)');
    expect(lines).toContain('== All users: 6 users (100.0% of all), 2 converted');
    expect(lines).toContain('  Visit: 6 users (100.0%), P(goal) 33.3%');
    expect(lines).toContain(
      '    moment of truth: event view_search_results: 66.7% of 3 vs 0.0% of 3 (+66.7 pts, 95% -5.9 pts..+93.8 pts)',
    );
    expect(lines).toContain('    1. Checkout: repeated a checkout step (2 users, 1 conversions)');
    expect(lines).toContain('== Searchers: 3 users (50.0% of all), 2 converted');
  });

  it('names the bad field of a persona file, and an unknown saved persona', async () => {
    const bad = await runCli(
      ['map', '--spec', join(dir, 'map.json'), '--db', db, '--persona', join(dir, 'bad.json')],
      env(),
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--persona[0].geo.country');
    const unknown = await runCli(
      ['map', '--spec', join(dir, 'map.json'), '--db', db, '--persona', 'Ghosts'],
      env(),
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('personas[0]: no saved persona named "Ghosts"');
  });
});
