import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionsRepo } from '../../src/store/definitionsRepo.js';
import { migrate } from '../../src/store/migrate.js';
import { storeKinds, type TestStore } from '../support/stores.js';

describe.each(['pglite', 'postgres'] as const)('definitions on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await storeKinds[kind]();
    await migrate(store.db);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('saves and reads goals edited in the UI', async () => {
    const goals = new DefinitionsRepo<{ event: string }>(store.db, 'goals');
    expect(await goals.saveFromUi('Purchase', { event: 'purchase' })).toEqual({ saved: true });
    expect(await goals.saveFromUi('Purchase', { event: 'purchase_v2' })).toEqual({ saved: true });
    const stored = await goals.get('Purchase');
    expect(stored?.definition).toEqual({ event: 'purchase_v2' });
    expect(stored?.source).toBe('ui');
  });

  it('lets a repository file win over the UI, marks the override, and refuses later UI edits', async () => {
    const reports = new DefinitionsRepo<{ title: string }>(store.db, 'reports');
    await reports.saveFromUi('weekly', { title: 'From the UI' });
    await reports.syncFromFiles([
      { key: 'weekly', definition: { title: 'From the file' }, filePath: 'reports/weekly.yaml' },
    ]);
    const stored = await reports.get('weekly');
    expect(stored?.definition).toEqual({ title: 'From the file' });
    expect(stored?.source).toBe('file');
    expect(stored?.overriddenAt).toBeInstanceOf(Date);
    expect(await reports.saveFromUi('weekly', { title: 'Again from the UI' })).toEqual({
      saved: false,
      filePath: 'reports/weekly.yaml',
    });
    expect((await reports.get('weekly'))?.definition).toEqual({ title: 'From the file' });
    expect(await reports.delete('weekly')).toBe(false);
  });

  it('does not mark an override when a file replaces its own earlier version', async () => {
    const reports = new DefinitionsRepo<{ title: string }>(store.db, 'reports');
    await reports.syncFromFiles([
      { key: 'leads', definition: { title: 'v1' }, filePath: 'reports/leads.yaml' },
    ]);
    await reports.syncFromFiles([
      { key: 'leads', definition: { title: 'v2' }, filePath: 'reports/leads.yaml' },
    ]);
    const stored = await reports.get('leads');
    expect(stored?.definition).toEqual({ title: 'v2' });
    expect(stored?.overriddenAt).toBeNull();
    expect((await reports.list()).map((r) => r.key)).toEqual(['leads', 'weekly']);
  });
});
