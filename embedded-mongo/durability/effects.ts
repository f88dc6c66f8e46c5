import { deserialize, serialize, type Document } from 'bson';
import type { Catalog, StorageEffect } from '../storage/catalog';
import { parseIndexSpec } from '../storage/indexSpec';

/** A journal record's payload: the effects of one command, applied all together or not at all. */
export function encodeEffects(effects: StorageEffect[]): Uint8Array {
  return serialize({ effects });
}

export function decodeEffects(payload: Buffer): StorageEffect[] {
  const { effects } = deserialize(payload) as { effects?: unknown };
  if (!Array.isArray(effects) || !effects.every(isEffect)) throw new Error('the record is not a list of storage effects');
  return effects;
}

const OPERATIONS = new Set([
  'createCollection',
  'dropCollection',
  'dropDatabase',
  'insert',
  'replace',
  'remove',
  'createIndex',
  'dropIndex',
]);

function isEffect(value: unknown): value is StorageEffect {
  const effect = value as Document | null;
  return typeof effect === 'object' && effect !== null && OPERATIONS.has(effect.op as string) && typeof effect.database === 'string';
}

/**
 * Redoes one effect. `exact` (start-up) fails on anything that does not fit, since the journal was written from
 * this very state; `salvage` applies each effect as "make it so" (an insert of an existing id replaces it, a
 * removal of a missing document does nothing), so records that are already in the checkpoint, or that follow a
 * lost one, still leave every document as its latest record says.
 */
export function applyEffect(catalog: Catalog, effect: StorageEffect, mode: 'exact' | 'salvage'): void {
  const salvage = mode === 'salvage';
  switch (effect.op) {
    case 'createCollection':
      if (!(salvage && catalog.collection(effect.database, effect.collection)))
        catalog.createCollection(effect.database, effect.collection);
      return;
    case 'dropCollection':
      if (!catalog.dropCollection(effect.database, effect.collection) && !salvage) throw missing(effect.database, effect.collection);
      return;
    case 'dropDatabase':
      catalog.dropDatabase(effect.database);
      return;
    case 'insert': {
      const store = salvage
        ? catalog.obtainCollection(effect.database, effect.collection)
        : existing(catalog, effect.database, effect.collection);
      const current = salvage ? store.documentById(effect.document._id) : undefined;
      if (current) store.replace(current, effect.document);
      else store.insert(effect.document);
      return;
    }
    case 'replace': {
      const store = salvage
        ? catalog.obtainCollection(effect.database, effect.collection)
        : existing(catalog, effect.database, effect.collection);
      const current = store.documentById(effect.document._id);
      if (current) store.replace(current, effect.document);
      else if (salvage) store.insert(effect.document);
      else throw new Error(`no document with _id ${String(effect.document._id)} in ${effect.database}.${effect.collection} to replace`);
      return;
    }
    case 'remove': {
      const store = catalog.collection(effect.database, effect.collection);
      const current = store?.documentById(effect.id);
      if (current) store?.remove(current);
      else if (!salvage) throw new Error(`no document with _id ${String(effect.id)} in ${effect.database}.${effect.collection} to remove`);
      return;
    }
    case 'createIndex': {
      const store = salvage
        ? catalog.obtainCollection(effect.database, effect.collection)
        : existing(catalog, effect.database, effect.collection);
      if (!store.createIndex(parseIndexSpec(effect.spec)) && !salvage) throw new Error(`index ${effect.spec.name} already exists`);
      return;
    }
    case 'dropIndex': {
      const store = catalog.collection(effect.database, effect.collection);
      const exists = store?.indexSpecs().some(({ name }) => name === effect.name);
      if (exists) store?.dropIndex(effect.name);
      else if (!salvage) throw new Error(`no index ${effect.name} in ${effect.database}.${effect.collection} to drop`);
      return;
    }
  }
}

function existing(catalog: Catalog, database: string, collection: string) {
  const store = catalog.collection(database, collection);
  if (store === undefined) throw missing(database, collection);
  return store;
}

function missing(database: string, collection: string): Error {
  return new Error(`collection ${database}.${collection} does not exist`);
}

/** Where an effect lands, to say what a lost record contained. */
export function describeEffect(effect: StorageEffect): string {
  const target = 'collection' in effect ? `${effect.database}.${effect.collection}` : effect.database;
  if (effect.op === 'insert' || effect.op === 'replace') return `${effect.op} of _id ${String(effect.document._id)} in ${target}`;
  if (effect.op === 'remove') return `remove of _id ${String(effect.id)} in ${target}`;
  return `${effect.op} ${target}`;
}
