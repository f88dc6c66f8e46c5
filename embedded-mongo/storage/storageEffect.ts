import type { Document } from 'bson';
import type { IndexSpec } from './indexSpec';

/**
 * One change to stored data, as it was made: whole documents rather than the update that produced them, so
 * replaying effects gives exactly the same state whatever time or random ids the original command used.
 * The journal records the effects of each command; start-up replays them.
 */
export type StorageEffect =
  | { op: 'createCollection'; database: string; collection: string }
  | { op: 'dropCollection'; database: string; collection: string }
  | { op: 'dropDatabase'; database: string }
  | { op: 'insert'; database: string; collection: string; document: Document }
  | { op: 'replace'; database: string; collection: string; document: Document }
  | { op: 'remove'; database: string; collection: string; id: unknown }
  | { op: 'createIndex'; database: string; collection: string; spec: IndexSpec }
  | { op: 'dropIndex'; database: string; collection: string; name: string };

export type StorageEffectListener = (effect: StorageEffect) => void;
