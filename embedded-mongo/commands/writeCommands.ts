import type { Document } from 'bson';
import { asCommandError, CommandError } from '../errors';
import { evaluateLet } from '../query/expressions';
import { selectDocuments } from '../query/selectDocuments';
import { applyUpdate, buildUpsertDocument, updateKind, type UpdateContext } from '../query/updateApplier';
import {
  assertKnownHint,
  assertOnlyFields,
  optionalBoolean,
  optionalDocument,
  optionalDocumentArray,
  optionalNonNegativeInteger,
  requiredDocument,
  requiredDocumentArray,
  requiredUpdate,
  targetCollection,
} from './commandArguments';
import type { CommandHandler } from './commandRegistry';

// The write commands (insert, update, delete): each applies its statements in order, and answers with counts
// and a `writeErrors` entry for each statement that failed.

/**
 * Applies the statements of an insert, update or delete in order. A failing statement becomes a
 * `writeErrors` entry; `ordered` writes stop at the first failure, unordered ones carry on.
 */
export function applyWriteStatements<T>(statements: T[], ordered: boolean, apply: (statement: T, index: number) => void): Document[] {
  const writeErrors: Document[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      apply(statement, index);
    } catch (error) {
      writeErrors.push(asCommandError(error).toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

export function writeReply(counts: Document, writeErrors: Document[]): Document {
  return writeErrors.length === 0 ? { ...counts, ok: 1 } : { ...counts, writeErrors, ok: 1 };
}

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

/** `hint` only steers mongod's choice of index (checked to name one); the result is the same without it. */
const UPDATE_STATEMENT_FIELDS = ['q', 'u', 'upsert', 'multi', 'arrayFilters', 'hint'];

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
      assertOnlyFields(statement, UPDATE_STATEMENT_FIELDS, 'update statement');
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

/** `hint` only steers mongod's choice of index, as in an update. */
const DELETE_STATEMENT_FIELDS = ['q', 'limit', 'hint'];

export const deleteCommand: CommandHandler = {
  fields: ['deletes', 'ordered', 'let'],
  run(command, { catalog, databaseName }) {
    const store = catalog.collection(databaseName, targetCollection(command));
    const variables = evaluateLet(optionalDocument(command, 'let'));
    let deleted = 0;
    const statements = requiredDocumentArray(command, 'deletes');
    const writeErrors = applyWriteStatements(statements, optionalBoolean(command, 'ordered') ?? true, (statement) => {
      assertOnlyFields(statement, DELETE_STATEMENT_FIELDS, 'delete statement');
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
