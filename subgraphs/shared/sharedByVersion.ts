import { LRUCache } from 'lru-cache';

/** A value as computed, with what it weighs and until when time alone leaves it true. */
export interface Computed<T> {
  value: T;
  /** Its weight against the cache's `maxSize` (e.g. cells, or 1 per value). */
  size: number;
  /** Until when (ms) it holds whatever is written, at most. */
  trueUntil: number;
}

/**
 * How long a computation is joined by the requests asking for it meanwhile: longer than any takes (about 5 s for a
 * statistics table at 16 times the default district). One running longer waits on a database read that hung; later
 * requests compute their own rather than all waiting on it after the database is back.
 */
const JOIN_COMPUTATION_MS = 60_000;

/**
 * Values derived from stored data, shared by every request of this process: each is used again only for the same key
 * at the same version (revision tokens the caller reads before the data, so that a value computed under a version
 * holds every change revised before it), and before it stops being true (`trueUntil`). A null version is never
 * shared. Requests asking for a value being computed wait for it (see JOIN_COMPUTATION_MS). The least recently used
 * go first when the values weigh more than `maxSize`; 0 shares nothing.
 */
export class SharedByVersion<T> {
  private readonly values: LRUCache<string, Computed<T> & { version: string }> | null;
  private readonly computing = new Map<string, { version: string; startedAt: number; computed: Promise<Computed<T>> }>();

  constructor(
    maxSize: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.values = maxSize > 0 ? new LRUCache({ maxSize, sizeCalculation: (entry) => Math.max(1, entry.size) }) : null;
  }

  /**
   * The value of `key` at `version`, computed by `compute` unless held. `compute` is called, when it is, before this
   * returns its promise (callers may gather the computations of one tick into one database round trip).
   */
  async get(key: string, version: string | null, compute: () => Promise<Computed<T>>): Promise<T> {
    if (!this.values || version === null) return (await compute()).value;
    const held = this.values.get(key);
    if (held && held.version === version && this.clock() < held.trueUntil) return held.value;
    const underway = this.computing.get(key);
    if (underway?.version === version && this.clock() - underway.startedAt < JOIN_COMPUTATION_MS) return (await underway.computed).value;
    const computed = compute();
    this.computing.set(key, { version, startedAt: this.clock(), computed });
    try {
      const value = await computed;
      this.values.set(key, { ...value, version });
      return value.value;
    } finally {
      if (this.computing.get(key)?.computed === computed) this.computing.delete(key);
    }
  }
}
