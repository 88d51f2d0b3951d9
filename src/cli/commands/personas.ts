import type { Command } from 'commander';
import { openStore } from '../../app/openStore.js';
import { loadConfig } from '../../config/config.js';
import { NotFoundError } from '../../errors/errors.js';
import { PersonasRepo } from '../../store/personasRepo.js';
import { readDocument } from './funnel.js';

/** Runs `fn` with the configured store's personas (PostgreSQL when DATABASE_URL is set), migrated. */
export async function withStore<T>(fn: (repo: PersonasRepo) => Promise<T>): Promise<T> {
  const { store } = await openStore(loadConfig());
  try {
    return await fn(new PersonasRepo(store));
  } finally {
    await store.close();
  }
}

export function registerPersonas(program: Command): void {
  const personas = program
    .command('personas')
    .description('saved personas: list, show, save from a file, delete');
  personas
    .command('list')
    .description('list saved personas')
    .action(async () => {
      const list = await withStore((repo) => repo.list());
      for (const { persona } of list) {
        process.stdout.write(
          `${persona.name}${persona.description ? `\t${persona.description}` : ''}\n`,
        );
      }
    });
  personas
    .command('show')
    .argument('<name>', 'the persona’s name')
    .description('print a saved persona as JSON')
    .action(async (name: string) => {
      const stored = await withStore((repo) => repo.get(name));
      if (!stored) throw new NotFoundError(`no persona named ${name}`, 'name');
      process.stdout.write(`${JSON.stringify(stored.persona, null, 2)}\n`);
    });
  personas
    .command('save')
    .argument('<file>', 'a persona, JSON or YAML')
    .description('save (or replace) a persona from a file')
    .action(async (file: string) => {
      const input = readDocument(file, 'file');
      const saved = await withStore((repo) => repo.save(input));
      process.stdout.write(
        `${saved.created ? 'saved' : 'replaced'} persona ${saved.persona.name}\n`,
      );
    });
  personas
    .command('delete')
    .argument('<name>', 'the persona’s name')
    .description('delete a saved persona')
    .action(async (name: string) => {
      if (!(await withStore((repo) => repo.delete(name))))
        throw new NotFoundError(`no persona named ${name}`, 'name');
      process.stdout.write(`deleted persona ${name}\n`);
    });
}
