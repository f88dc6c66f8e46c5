import { Long, type Document } from 'bson';
import { CommandError } from '../errors';
import { evaluateLet } from '../query/expressions';
import { compileProjection } from '../query/queryEngine';
import { selectDocuments } from '../query/selectDocuments';
import { assertKnownHint, optionalBoolean, optionalDocument, optionalNonNegativeInteger, targetCollection } from './commandArguments';
import type { CommandHandler } from './commandRegistry';

export const find: CommandHandler = {
  // `hint` only steers the index choice (checked to name an index); the others tune cursor resources mongod manages differently.
  fields: [
    'filter',
    'sort',
    'projection',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'let',
    'hint',
    'noCursorTimeout',
    'allowPartialResults',
    'allowDiskUse',
  ],
  run(command, { catalog, cursors, databaseName }) {
    const collectionName = targetCollection(command);
    const filter = optionalDocument(command, 'filter');
    const variables = evaluateLet(optionalDocument(command, 'let'));
    const store = catalog.collection(databaseName, collectionName);
    assertKnownHint(command.hint, store);
    const present = compileProjection(optionalDocument(command, 'projection'), variables, catalog.evaluation);
    const documents = selectDocuments(store, {
      filter,
      sort: optionalDocument(command, 'sort'),
      skip: optionalNonNegativeInteger(command, 'skip'),
      limit: optionalNonNegativeInteger(command, 'limit'),
      variables,
    });
    return cursors.open(`${databaseName}.${collectionName}`, documents, {
      batchSize: optionalNonNegativeInteger(command, 'batchSize'),
      singleBatch: optionalBoolean(command, 'singleBatch'),
      present,
    });
  },
};

export const getMore: CommandHandler = {
  fields: ['collection', 'batchSize'],
  run(command, { cursors, databaseName }) {
    const collectionName = command.collection;
    if (typeof collectionName !== 'string') throw new CommandError('TypeMismatch', "getMore needs the cursor's 'collection'");
    // batchSize 0 (or none) means "as much as fits in one reply".
    const batchSize = optionalNonNegativeInteger(command, 'batchSize') || undefined;
    return cursors.getMore(cursorIdOf(command.getMore), `${databaseName}.${collectionName}`, batchSize);
  },
};

export const killCursors: CommandHandler = {
  fields: ['cursors'],
  run(command, { cursors }) {
    const ids: unknown[] = Array.isArray(command.cursors) ? command.cursors : [];
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids.map(cursorIdOf)) (cursors.kill(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },
};

/** Cursor ids travel as int64; small ones arrive as numbers once deserialized. */
function cursorIdOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (Long.isLong(value)) return value.toNumber();
  throw new CommandError('TypeMismatch', 'a cursor id must be a 64-bit integer');
}

/** For commands whose reply is a cursor over a computed list (aggregate, listIndexes, ...). */
export function cursorBatchSize(command: Document): number | undefined {
  const cursor = optionalDocument(command, 'cursor');
  return cursor === undefined ? undefined : optionalNonNegativeInteger(cursor, 'batchSize');
}
