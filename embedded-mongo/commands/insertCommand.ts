import { optionalBoolean, requiredDocumentArray, targetCollection } from './commandArguments';
import type { CommandHandler } from './commandHandler';
import { applyWriteStatements, writeReply } from './writeStatements';

export const insert: CommandHandler = {
  // No collection here has a validator, so bypassing validation changes nothing.
  fields: ['documents', 'ordered', 'bypassDocumentValidation'],
  run(command, { catalog, databaseName }) {
    const store = catalog.obtainCollection(databaseName, targetCollection(command));
    const documents = requiredDocumentArray(command, 'documents');
    let inserted = 0;
    const writeErrors = applyWriteStatements(documents, optionalBoolean(command, 'ordered') ?? true, (document) => {
      store.insert(document);
      inserted++;
    });
    return writeReply({ n: inserted }, writeErrors);
  },
};
