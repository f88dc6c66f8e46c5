import { CommandError } from '../errors';
import { evaluateLet } from '../query/expressions';
import { compileProjection } from '../query/queryEngine';
import { selectDocuments } from '../query/selectDocuments';
import { applyUpdate, buildUpsertDocument, type UpdateContext } from '../query/updateApplier';
import {
  assertKnownHint,
  optionalBoolean,
  optionalDocument,
  optionalDocumentArray,
  requiredUpdate,
  targetCollection,
} from './commandArguments';
import type { CommandHandler } from './commandRegistry';

export const findAndModify: CommandHandler = {
  // `hint` only steers mongod's choice of index (checked to name one); the result is the same without it.
  fields: ['query', 'sort', 'update', 'remove', 'new', 'upsert', 'fields', 'arrayFilters', 'bypassDocumentValidation', 'hint', 'let'],
  run(command, { catalog, databaseName }) {
    const collectionName = targetCollection(command);
    const filter = optionalDocument(command, 'query') ?? {};
    const variables = evaluateLet(optionalDocument(command, 'let'));
    const remove = optionalBoolean(command, 'remove') ?? false;
    const upsert = optionalBoolean(command, 'upsert') ?? false;
    const returnNew = optionalBoolean(command, 'new') ?? false;
    if (remove === (command.update !== undefined))
      throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
    if (remove && (upsert || returnNew)) throw new CommandError('FailedToParse', 'Cannot specify upsert=true or new=true with remove=true');

    const store = catalog.collection(databaseName, collectionName);
    assertKnownHint(command.hint, store);
    const present = compileProjection(optionalDocument(command, 'fields'), variables, catalog.evaluation);
    const [current] = selectDocuments(store, { filter, sort: optionalDocument(command, 'sort'), limit: 1, variables });

    if (remove) {
      if (current) store?.remove(current);
      return { lastErrorObject: { n: current ? 1 : 0 }, value: current ? present(current) : null, ok: 1 };
    }

    const spec = requiredUpdate(command, 'update');
    const context: UpdateContext = { filter, arrayFilters: optionalDocumentArray(command, 'arrayFilters'), variables };
    if (current) {
      const outcome = applyUpdate(current, spec, context);
      if (outcome.modified) store?.replace(current, outcome.document);
      return { lastErrorObject: { n: 1, updatedExisting: true }, value: present(returnNew ? outcome.document : current), ok: 1 };
    }
    if (upsert) {
      const inserted = catalog.obtainCollection(databaseName, collectionName).insert(buildUpsertDocument(spec, context));
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
        value: returnNew ? present(inserted) : null,
        ok: 1,
      };
    }
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  },
};
