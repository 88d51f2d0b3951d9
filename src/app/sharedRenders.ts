/**
 * Work shared between the runs of one drain: the first run to ask for a key does the work, every
 * other run asking for the same key while the drain lasts gets the same promise. A failed entry is
 * forgotten, so a retried run does the work again instead of inheriting the failure.
 */
export interface SharedRenders {
  get<T>(key: string, make: () => Promise<T>): { value: Promise<T>; shared: boolean };
  /** How many entries were made (not shared): the renders this drain actually did. */
  readonly made: number;
}

export function createSharedRenders(): SharedRenders {
  const entries = new Map<string, Promise<unknown>>();
  let made = 0;
  return {
    get<T>(key: string, make: () => Promise<T>) {
      const existing = entries.get(key) as Promise<T> | undefined;
      if (existing) return { value: existing, shared: true };
      made += 1;
      const value = make();
      entries.set(key, value);
      value.catch(() => {
        if (entries.get(key) === value) entries.delete(key);
      });
      return { value, shared: false };
    },
    get made() {
      return made;
    },
  };
}
