import type { Document } from 'bson';
import { CommandError } from '../errors';
import { evaluateLet } from '../query/expressions';
import { selectDocuments } from '../query/selectDocuments';
import { applyUpdate, buildUpsertDocument, updateKind, type UpdateContext } from '../query/updateApplier';
import {
  assertKnownHint,
  assertOnlyFields,
  optionalBoolean,
  optionalDocument,
  optionalDocumentArray,
  requiredDocument,
  requiredDocumentArray,
  requiredUpdate,
  targetCollection,
} from './commandArguments';
import type { CommandHandler } from './commandHandler';
import { applyWriteStatements, writeReply } from './writeStatements';

/** `hint` only steers mongod's choice of index (checked to name one); the result is the same without it. */
const STATEMENT_FIELDS = ['q', 'u', 'upsert', 'multi', 'arrayFilters', 'hint'];

export const update: CommandHandler = {
  fields: ['updates', 'ordered', 'bypassDocumentValidation', 'let'],
  run(command, { catalog, databaseName }) {
    const collectionName = targetCollection(command);
    const variables = evaluateLet(optionalDocument(command, 'let'));
    let matched = 0;
    let modified = 0;
    const upserted: Document[] = [];

    const statements = requiredDocumentArray(command, 'updates');
    const writeErrors = applyWriteStatements(statements, optionalBoolean(command, 'ordered') ?? true, (statement, index) => {
      assertOnlyFields(statement, STATEMENT_FIELDS, 'update statement');
      const spec = requiredUpdate(statement, 'u');
      const multi = optionalBoolean(statement, 'multi') ?? false;
      if (multi && updateKind(spec) === 'replacement') {
        throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
      }
      const context: UpdateContext = {
        filter: requiredDocument(statement, 'q'),
        arrayFilters: optionalDocumentArray(statement, 'arrayFilters'),
        variables,
      };
      const store = catalog.collection(databaseName, collectionName);
      assertKnownHint(statement.hint, store);
      const targets = selectDocuments(store, { filter: context.filter, limit: multi ? 0 : 1, variables });
      for (const current of targets) {
        const outcome = applyUpdate(current, spec, context);
        if (outcome.modified) store?.replace(current, outcome.document);
        matched++;
        if (outcome.modified) modified++;
      }
      if (targets.length === 0 && optionalBoolean(statement, 'upsert')) {
        const inserted = catalog.obtainCollection(databaseName, collectionName).insert(buildUpsertDocument(spec, context));
        upserted.push({ index, _id: inserted._id });
        matched++;
      }
    });
    return writeReply({ n: matched, nModified: modified, ...(upserted.length > 0 ? { upserted } : {}) }, writeErrors);
  },
};
