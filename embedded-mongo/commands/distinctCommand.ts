import { CommandError } from '../errors';
import { assertComparable } from '../query/bsonOrder';
import { selectDocuments } from '../query/selectDocuments';
import { pathValues } from '../storage/pathValues';
import { valueKey } from '../storage/valueKey';
import { assertKnownHint, optionalDocument, targetCollection } from './commandArguments';
import type { CommandHandler } from './commandHandler';

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
