import type { Document } from 'bson';
import { CommandError } from '../errors';
import type { Evaluation } from '../evaluation';
import { CollectionStore } from './collectionStore';
import type { IndexSpec } from './indexSpec';

/** All databases and their collections. A database exists while it has at least one collection. */
export class Catalog {
  private readonly databases = new Map<string, Map<string, CollectionStore>>();
  private readonly writeListeners: StorageEffectListener[] = [];

  constructor(readonly evaluation: Evaluation = 'native') {}

  /** `listener` runs after every change to stored data or indexes, with that change (the journal records them). */
  onWrite(listener: StorageEffectListener): void {
    this.writeListeners.push(listener);
  }

  collection(databaseName: string, name: string): CollectionStore | undefined {
    return this.databases.get(databaseName)?.get(name);
  }

  /** Returns the collection, creating it as mongod does implicitly on first write. */
  obtainCollection(databaseName: string, name: string): CollectionStore {
    return this.collection(databaseName, name) ?? this.createCollection(databaseName, name);
  }

  createCollection(databaseName: string, name: string): CollectionStore {
    assertValidNamespace(databaseName, name);
    const collections = this.databases.get(databaseName) ?? new Map<string, CollectionStore>();
    if (collections.has(name)) throw new CommandError('NamespaceExists', `Collection ${databaseName}.${name} already exists.`);
    const store = new CollectionStore(databaseName, name, (effect) => this.notifyWrite(effect), this.evaluation);
    collections.set(name, store);
    this.databases.set(databaseName, collections);
    this.notifyWrite({ op: 'createCollection', database: databaseName, collection: name });
    return store;
  }

  /** Returns whether the collection existed. */
  dropCollection(databaseName: string, name: string): boolean {
    const collections = this.databases.get(databaseName);
    if (!collections?.delete(name)) return false;
    if (collections.size === 0) this.databases.delete(databaseName);
    this.notifyWrite({ op: 'dropCollection', database: databaseName, collection: name });
    return true;
  }

  dropDatabase(databaseName: string): void {
    if (this.databases.delete(databaseName)) this.notifyWrite({ op: 'dropDatabase', database: databaseName });
  }

  databaseNames(): string[] {
    return [...this.databases.keys()];
  }

  collections(databaseName: string): CollectionStore[] {
    return [...(this.databases.get(databaseName)?.values() ?? [])];
  }

  private notifyWrite(effect: StorageEffect): void {
    for (const listener of this.writeListeners) listener(effect);
  }
}

function assertValidNamespace(databaseName: string, name: string): void {
  if (databaseName === '' || /[/\\. "$\0]/.test(databaseName)) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${databaseName}'`);
  }
  if (name === '' || name.includes('$') || name.includes('\0') || name.startsWith('.')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: '${name}'`);
  }
  if (name.startsWith('system.')) throw new CommandError('InvalidNamespace', `Invalid system namespace: ${databaseName}.${name}`);
}

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
