import { CommandError } from '../errors';
import { assertComparable } from '../query/bsonOrder';
import { selectDocuments } from '../query/selectDocuments';
import { pathValues } from '../storage/pathValues';
import { valueKey } from '../storage/valueKey';
import { assertKnownHint, optionalDocument, optionalNonNegativeInteger, targetCollection } from './commandArguments';
import type { CommandHandler } from './commandRegistry';

// count and distinct: one figure or one list about the matching documents, answered at once, without a cursor.

/** What the driver's estimatedDocumentCount() sends; countDocuments() uses an aggregation instead. */
export const count: CommandHandler = {
  // `hint` only steers the index choice (checked to name an index).
  fields: ['query', 'skip', 'limit', 'hint'],
  run(command, { catalog, databaseName }) {
    const store = catalog.collection(databaseName, targetCollection(command));
    assertKnownHint(command.hint, store);
    const query = optionalDocument(command, 'query') ?? {};
    const skip = optionalNonNegativeInteger(command, 'skip') ?? 0;
    const limit = optionalNonNegativeInteger(command, 'limit') ?? 0;
    const matching = Object.keys(query).length === 0 ? (store?.size ?? 0) : selectDocuments(store, { filter: query }).length;
    const afterSkip = Math.max(0, matching - skip);
    return { n: limit === 0 ? afterSkip : Math.min(afterSkip, limit), ok: 1 };
  },
};

export const distinct: CommandHandler = {
  // `hint` only steers the index choice (checked to name an index).
  fields: ['key', 'query', 'hint'],
  run(command, { catalog, databaseName }) {
    const key = command.key;
    if (typeof key !== 'string' || key === '') throw new CommandError('TypeMismatch', "distinct needs a 'key' field name");
    const store = catalog.collection(databaseName, targetCollection(command));
    assertKnownHint(command.hint, store);
    // Array values count element by element, as in mongod.
    const distinctValues = new Map<string, unknown>();
    for (const document of selectDocuments(store, { filter: optionalDocument(command, 'query') })) {
      for (const value of pathValues(document, key).flat()) {
        assertComparable(value);
        if (!distinctValues.has(valueKey(value))) distinctValues.set(valueKey(value), value);
      }
    }
    return { values: [...distinctValues.values()], ok: 1 };
  },
};
