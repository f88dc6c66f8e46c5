import type { Document } from 'bson';
import { CommandError } from '../errors';
import type { CollectionStore } from '../storage/collectionStore';
import { ID_INDEX_SPEC, parseIndexSpec } from '../storage/indexSpec';
import { valueKey } from '../storage/valueKey';
import { requiredDocumentArray, targetCollection } from './commandArguments';
import type { CommandContext, CommandHandler } from './commandRegistry';
import { cursorBatchSize } from './cursorCommands';

export const createIndexes: CommandHandler = {
  // A single node has no quorum to wait for.
  fields: ['indexes', 'commitQuorum'],
  run(command, { catalog, databaseName }) {
    const collectionName = targetCollection(command);
    const specs = requiredDocumentArray(command, 'indexes').map(parseIndexSpec);
    const createdCollectionAutomatically = catalog.collection(databaseName, collectionName) === undefined;
    const store = catalog.obtainCollection(databaseName, collectionName);
    const numIndexesBefore = store.indexSpecs().length;
    const created: string[] = [];
    try {
      for (const spec of specs) if (store.createIndex(spec)) created.push(spec.name);
    } catch (error) {
      // mongod builds the indexes of one command all or none.
      for (const name of created) store.dropIndex(name);
      throw error;
    }
    return {
      createdCollectionAutomatically,
      numIndexesBefore,
      numIndexesAfter: store.indexSpecs().length,
      ...(created.length === 0 ? { note: 'all indexes already exist' } : {}),
      ok: 1,
    };
  },
};

export const listIndexes: CommandHandler = {
  fields: ['cursor'],
  run(command, context) {
    const store = existingCollection(command, context);
    return context.cursors.open(store.namespace, store.indexSpecs(), { batchSize: cursorBatchSize(command) });
  },
};

export const dropIndexes: CommandHandler = {
  fields: ['index'],
  run(command, context) {
    const store = existingCollection(command, context);
    const nIndexesWas = store.indexSpecs().length;
    for (const name of indexNamesToDrop(store, command.index)) store.dropIndex(name);
    return { nIndexesWas, ok: 1 };
  },
};

/** `index` is a name, a list of names, a key pattern, or '*' for all but `_id_`. */
function indexNamesToDrop(store: CollectionStore, index: unknown): string[] {
  if (index === '*') return store.indexSpecs().flatMap(({ name }) => (name === ID_INDEX_SPEC.name ? [] : [name]));
  if (typeof index === 'string') return [index];
  if (Array.isArray(index) && index.every((name) => typeof name === 'string')) return index;
  if (typeof index === 'object' && index !== null) {
    const spec = store.indexSpecs().find(({ key }) => valueKey(key) === valueKey(index));
    if (spec === undefined) throw new CommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(index)}`);
    return [spec.name];
  }
  throw new CommandError('TypeMismatch', "dropIndexes 'index' must be a name, a list of names, a key pattern or '*'");
}

function existingCollection(command: Document, { catalog, databaseName }: CommandContext): CollectionStore {
  const collectionName = targetCollection(command);
  const store = catalog.collection(databaseName, collectionName);
  if (store === undefined) throw new CommandError('NamespaceNotFound', `ns does not exist: ${databaseName}.${collectionName}`);
  return store;
}
