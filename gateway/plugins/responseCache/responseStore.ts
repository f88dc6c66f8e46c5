import { LRUCache } from 'lru-cache';

/** What the store keeps of an answer: its data (answers with errors are never stored) and the subgraphs it was read from. */
export interface StoredResponse {
  data: Record<string, unknown>;
  /** The subgraphs whose data the answer holds: a write in one of them drops it. */
  subgraphs: readonly string[];
}

/** Which answers a write makes stale: those read from these subgraphs, or every answer. */
export type Invalidation = { all: true } | { all: false; subgraphs: readonly string[] };

export interface ResponseStoreOptions {
  maxBytes: number;
  ttlMs: number;
}

/**
 * Answers by key, in an LRU bounded by their JSON size, each kept at most `ttlMs`, and indexed by the subgraphs they
 * were read from so that a write drops exactly the answers it can change.
 *
 * A read that was running while a write happened may hold data from before that write: `generation()` is taken when
 * a read starts and `set` refuses its answer if any invalidation came since (in this process, whichever process
 * wrote), so no answer older than the last invalidation is ever stored.
 */
export class ResponseStore {
  private readonly entries: LRUCache<string, StoredResponse>;
  private readonly keysBySubgraph = new Map<string, Set<string>>();
  private invalidations = 0;

  constructor(options: ResponseStoreOptions) {
    this.entries = new LRUCache<string, StoredResponse>({
      maxSize: options.maxBytes,
      ttl: options.ttlMs,
      // Entries are dropped by time as they are read or evicted; nothing runs on a timer.
      ttlAutopurge: false,
      sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.data).length),
      dispose: (entry, key) => {
        for (const subgraph of entry.subgraphs) this.keysBySubgraph.get(subgraph)?.delete(key);
      },
    });
  }

  /** Counts invalidations: what a read notes when it starts, to be handed back to `set`. */
  generation(): number {
    return this.invalidations;
  }

  get(key: string): StoredResponse | undefined {
    return this.entries.get(key);
  }

  /** Stores the answer of a read started at `generation`, unless something was invalidated since (see the class). */
  set(key: string, response: StoredResponse, generation: number): boolean {
    if (generation !== this.invalidations) return false;
    this.entries.set(key, response);
    if (!this.entries.has(key)) return false; // larger than the whole store
    for (const subgraph of response.subgraphs) {
      let keys = this.keysBySubgraph.get(subgraph);
      if (!keys) this.keysBySubgraph.set(subgraph, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  invalidate(invalidation: Invalidation): void {
    this.invalidations += 1;
    if (invalidation.all) {
      this.entries.clear();
      return;
    }
    for (const subgraph of invalidation.subgraphs) {
      for (const key of [...(this.keysBySubgraph.get(subgraph) ?? [])]) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
