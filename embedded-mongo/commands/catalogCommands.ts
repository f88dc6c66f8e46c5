import { calculateObjectSize, type Document } from 'bson';
import { compileFilter } from '../query/queryEngine';
import type { CollectionStore } from '../storage/collectionStore';
import { ID_INDEX_SPEC } from '../storage/indexSpec';
import { optionalBoolean, optionalDocument, targetCollection } from './commandArguments';
import type { CommandHandler } from './commandRegistry';
import { cursorBatchSize } from './cursorCommands';

/** Options such as `capped`, `validator` or `timeseries` are refused by the dispatcher as unknown fields. */
export const create: CommandHandler = {
  fields: [],
  run(command, { catalog, databaseName }) {
    catalog.createCollection(databaseName, targetCollection(command));
    return { ok: 1 };
  },
};

export const drop: CommandHandler = {
  fields: [],
  run(command, { catalog, databaseName }) {
    const collectionName = targetCollection(command);
    const store = catalog.collection(databaseName, collectionName);
    // Since MongoDB 7.0, dropping a collection that does not exist succeeds.
    if (store === undefined) return { ok: 1 };
    catalog.dropCollection(databaseName, collectionName);
    return { nIndexesWas: store.indexSpecs().length, ns: store.namespace, ok: 1 };
  },
};

export const dropDatabase: CommandHandler = {
  fields: [],
  run(_command, { catalog, databaseName }) {
    catalog.dropDatabase(databaseName);
    return { dropped: databaseName, ok: 1 };
  },
};

export const listCollections: CommandHandler = {
  // Without authentication every client is authorized for every collection.
  fields: ['filter', 'nameOnly', 'authorizedCollections', 'cursor'],
  run(command, { catalog, cursors, databaseName }) {
    const nameOnly = optionalBoolean(command, 'nameOnly') ?? false;
    const descriptions = catalog
      .collections(databaseName)
      .map((store) =>
        nameOnly
          ? { name: store.name, type: 'collection' }
          : { name: store.name, type: 'collection', options: {}, info: { readOnly: false }, idIndex: ID_INDEX_SPEC },
      );
    const matches = compileFilter(optionalDocument(command, 'filter'));
    return cursors.open(`${databaseName}.$cmd.listCollections`, descriptions.filter(matches), { batchSize: cursorBatchSize(command) });
  },
};

export const listDatabases: CommandHandler = {
  // Without authentication every client is authorized for every database.
  fields: ['filter', 'nameOnly', 'authorizedDatabases'],
  run(command, { catalog }) {
    const nameOnly = optionalBoolean(command, 'nameOnly') ?? false;
    const descriptions: Document[] = catalog.databaseNames().map((name) => {
      if (nameOnly) return { name };
      // "On disk" here means the BSON size of the stored documents.
      const sizeOnDisk = catalog.collections(name).reduce((total, store) => total + dataSize(store), 0);
      return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
    });
    const databases = descriptions.filter(compileFilter(optionalDocument(command, 'filter')));
    const totalSize = databases.reduce((total, { sizeOnDisk }) => total + ((sizeOnDisk as number | undefined) ?? 0), 0);
    return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024), ok: 1 };
  },
};

function dataSize(store: CollectionStore): number {
  let bytes = 0;
  for (const document of store.documents()) bytes += calculateObjectSize(document);
  return bytes;
}
