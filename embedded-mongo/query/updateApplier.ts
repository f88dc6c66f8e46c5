import type { Document } from 'bson';
import { update as applyUpdateOperators, updateOne as applyPipelineUpdate } from 'mingo';
import type { Modifier, PipelineStage } from 'mingo/types/updater';
import { cloneDeep, isEqual, isObject, setValue } from 'mingo/util';
import { CommandError, notSupported } from '../errors';
import { immutableIdError } from '../storage/documentId';
import { isBsonNumberWrapper, valueKey } from '../storage/valueKey';
import { conditionKind } from './conditionKind';

/** The `u` of an update statement: operators (`{ $set: ... }`), a replacement document, or a pipeline. */
export type UpdateSpec = Document | Document[];

export interface UpdateContext {
  /** The statement's filter: positional (`a.$`) updates resolve against it, upserts seed from it. */
  filter: Document;
  arrayFilters?: Document[];
  /** The command's `let` parameters. */
  variables?: Document;
}

export interface UpdateOutcome {
  document: Document;
  modified: boolean;
}

/** Computes the updated version of a stored document, which itself stays untouched. */
export function applyUpdate(current: Document, update: UpdateSpec, context: UpdateContext): UpdateOutcome {
  switch (updateKind(update)) {
    case 'pipeline':
      return applyPipeline(cloneDeep(current) as Document, update as Document[], context);
    case 'replacement': {
      const document = { _id: current._id, ...update };
      return { document, modified: !isEqual(current, document) };
    }
    case 'operators': {
      // $setOnInsert only takes effect when an upsert inserts.
      const { $setOnInsert, ...operators } = update as Document;
      const document = cloneDeep(current) as Document;
      return { document, modified: applyOperators(document, operators, context) };
    }
  }
}

/**
 * The document an upsert inserts when nothing matched: the filter's equality conditions
 * (`{ _id: 1, 'a.b': 2, c: { $eq: 3 } }`, also inside `$and`), then the update including `$setOnInsert`.
 */
export function buildUpsertDocument(update: UpdateSpec, context: UpdateContext): Document {
  const seed = equalityFieldsOf(context.filter, {});
  switch (updateKind(update)) {
    case 'pipeline':
      return applyPipeline(seed, update as Document[], context).document;
    case 'replacement':
      return seed._id === undefined ? { ...update } : { _id: seed._id, ...update };
    case 'operators': {
      const { $setOnInsert, ...operators } = update as Document;
      applyOperators(seed, operators, { ...context, filter: {} });
      if ($setOnInsert !== undefined) applyOperators(seed, { $set: $setOnInsert }, { ...context, filter: {} });
      return seed;
    }
  }
}

export function updateKind(update: UpdateSpec): 'pipeline' | 'replacement' | 'operators' {
  if (Array.isArray(update)) return 'pipeline';
  switch (conditionKind(update)) {
    case 'equality':
      return 'replacement';
    case 'operators':
      return 'operators';
    case 'malformed': {
      const field = Object.keys(update).find((key) => !key.startsWith('$'));
      throw new CommandError(
        'FailedToParse',
        `Unknown modifier: ${field}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
}

/** Mutates `document` (a private copy); returns whether it changed. */
function applyOperators(document: Document, operators: Document, context: UpdateContext): boolean {
  const otherOperators = withoutIdAssignment(document, operators);
  assertNumericTargets(document, otherOperators);
  // mingo applies the update only if the document matches the condition, so pass the filter only
  // when a positional `$` needs it: the filter may rely on `let` variables mingo's updater lacks.
  const condition = Object.values(otherOperators).some(hasPositionalPath) ? context.filter : {};
  const changedPaths = applyUpdateOperators(document, otherOperators as Modifier<Document>, context.arrayFilters, condition, {
    queryOptions: { variables: context.variables },
  });
  return changedPaths.length > 0;
}

/**
 * mingo refuses any update path on `_id`. mongod accepts `$set` of the value `_id` already has,
 * and an upsert may give its new document an `_id` that way; anything else would modify `_id`.
 */
function withoutIdAssignment(document: Document, operators: Document): Document {
  const remaining: Document = {};
  for (const [operator, operand] of Object.entries(operators)) {
    if (!isObject(operand)) {
      remaining[operator] = operand;
      continue;
    }
    const { _id: id, ...paths } = operand as Document;
    if (Object.keys(paths).some((path) => path.startsWith('_id.')) || (id !== undefined && operator !== '$set')) throw immutableIdError();
    if (id !== undefined && document._id === undefined) document._id = id;
    else if (id !== undefined && valueKey(id) !== valueKey(document._id)) throw immutableIdError();
    remaining[operator] = paths;
  }
  return remaining;
}

function applyPipeline(document: Document, pipeline: Document[], context: UpdateContext): UpdateOutcome {
  const documents = [document];
  const { modifiedCount } = applyPipelineUpdate(documents, {}, pipeline as PipelineStage[], { let: context.variables });
  return { document: documents[0] as Document, modified: modifiedCount > 0 };
}

function hasPositionalPath(operand: unknown): boolean {
  return isObject(operand) && Object.keys(operand as Document).some((path) => path.split('.').includes('$'));
}

/** mongod refuses arithmetic on non-numbers; mingo would silently skip it. */
function assertNumericTargets(document: Document, operators: Document): void {
  for (const operator of ['$inc', '$mul']) {
    for (const path of Object.keys((operators[operator] as Document | undefined) ?? {})) {
      if (path.includes('$')) continue;
      const value = path.split('.').reduce<unknown>((parent, field) => (isContainer(parent) ? parent[field] : undefined), document);
      if (value === undefined || typeof value === 'number') continue;
      if (isBsonNumberWrapper(value)) throw notSupported(`${operator} on a ${(value as { _bsontype: string })._bsontype} value`);
      throw new CommandError('TypeMismatch', `Cannot apply ${operator} to a value of non-numeric type: field '${path}'`);
    }
  }
}

function isContainer(value: unknown): value is Document {
  return isObject(value) || Array.isArray(value);
}

function equalityFieldsOf(filter: Document, seed: Document): Document {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition as Document[]) equalityFieldsOf(clause, seed);
    } else if (!field.startsWith('$')) {
      const kind = conditionKind(condition);
      if (kind === 'equality' && !(condition instanceof RegExp)) setValue(seed, field, cloneDeep(condition));
      if (kind === 'operators' && '$eq' in (condition as Document)) setValue(seed, field, cloneDeep((condition as Document).$eq));
    }
  }
  return seed;
}
