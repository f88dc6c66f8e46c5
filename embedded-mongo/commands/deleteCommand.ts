import { CommandError } from '../errors';
import { evaluateLet } from '../query/expressions';
import { selectDocuments } from '../query/selectDocuments';
import {
  assertKnownHint,
  assertOnlyFields,
  optionalBoolean,
  optionalDocument,
  optionalNonNegativeInteger,
  requiredDocument,
  requiredDocumentArray,
  targetCollection,
} from './commandArguments';
import type { CommandHandler } from './commandHandler';
import { applyWriteStatements, writeReply } from './writeStatements';

/** `hint` only steers mongod's choice of index (checked to name one); the result is the same without it. */
const STATEMENT_FIELDS = ['q', 'limit', 'hint'];

export const deleteCommand: CommandHandler = {
  fields: ['deletes', 'ordered', 'let'],
  run(command, { catalog, databaseName }) {
    const store = catalog.collection(databaseName, targetCollection(command));
    const variables = evaluateLet(optionalDocument(command, 'let'));
    let deleted = 0;
    const statements = requiredDocumentArray(command, 'deletes');
    const writeErrors = applyWriteStatements(statements, optionalBoolean(command, 'ordered') ?? true, (statement) => {
      assertOnlyFields(statement, STATEMENT_FIELDS, 'delete statement');
      assertKnownHint(statement.hint, store);
      const limit = optionalNonNegativeInteger(statement, 'limit') ?? 0;
      if (limit > 1) throw new CommandError('FailedToParse', `The limit field in delete objects must be 0 or 1. Got ${limit}`);
      for (const document of selectDocuments(store, { filter: requiredDocument(statement, 'q'), limit, variables })) {
        store?.remove(document);
        deleted++;
      }
    });
    return writeReply({ n: deleted }, writeErrors);
  },
};
