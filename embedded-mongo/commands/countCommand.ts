import { selectDocuments } from '../query/selectDocuments';
import { assertKnownHint, optionalDocument, optionalNonNegativeInteger, targetCollection } from './commandArguments';
import type { CommandHandler } from './commandHandler';

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
