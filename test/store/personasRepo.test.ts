import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { PersonasRepo } from '../../src/store/personasRepo.js';
import { storeKinds, type TestStore } from '../support/stores.js';

describe.each(['pglite', 'postgres'] as const)('personas on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await storeKinds[kind]();
    await migrate(store.db);
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('saves, replaces, lists and deletes a persona, its defaults filled in', async () => {
    const repo = new PersonasRepo(store.db);
    const first = await repo.save({ name: 'Mobile buyers', device: { category: ['mobile'] } });
    expect(first.created).toBe(true);
    const again = await repo.save({
      name: 'Mobile buyers',
      description: 'Phones that bought',
      device: { category: ['mobile'] },
      behaviour: { converted: 'purchase' },
    });
    expect(again.created).toBe(false);
    await repo.save({ name: 'Searchers', behaviour: { did: [{ event: 'view_search_results' }] } });
    expect((await repo.list()).map((p) => p.persona.name)).toEqual(['Mobile buyers', 'Searchers']);
    expect((await repo.get('Mobile buyers'))?.persona).toEqual({
      name: 'Mobile buyers',
      description: 'Phones that bought',
      device: { category: ['mobile'] },
      behaviour: { converted: 'purchase' },
    });
    expect((await repo.get('Searchers'))?.persona.behaviour?.did).toEqual([
      { event: 'view_search_results', atLeast: 1 },
    ]);
    expect(await repo.delete('Searchers')).toBe(true);
    expect(await repo.delete('Searchers')).toBe(false);
    expect(await repo.get('Searchers')).toBeUndefined();
  });

  it('refuses a bad definition at its path and leaves the stored one as it was', async () => {
    const repo = new PersonasRepo(store.db);
    await repo.save({ name: 'Germany', geo: { country: ['Germany'] } });
    await expect(repo.save({ name: 'Germany', geo: { country: [] } })).rejects.toMatchObject({
      field: 'geo.country',
    });
    expect((await repo.get('Germany'))?.persona.geo).toEqual({ country: ['Germany'] });
  });
});
