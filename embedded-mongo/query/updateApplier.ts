import { Timestamp, type Document } from 'bson';
import { update as applyUpdateOperators } from 'mingo';
import type { Modifier } from 'mingo/types/updater';
import { cloneDeep, isObject, setValue } from 'mingo/util';
import { CommandError, notSupported } from '../errors';
import { immutableIdError } from '../storage/documentId';
import { isBsonNumberWrapper, valueKey } from '../storage/valueKey';
import { assertSupportedPipeline, runAggregation } from './aggregation';
import { compareValues } from './bsonOrder';
import { compileMatcher, conditionKind } from './filterMatcher';

/** Update operators answered as mongod does; `$pull`, `$bit` and `$push`'s `$sort` are refused. */
const SUPPORTED_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$setOnInsert',
  '$push',
  '$addToSet',
  '$pop',
  '$pullAll',
]);
/** The stages a pipeline-style update may hold (manual, "Updates with Aggregation Pipeline"). */
const PIPELINE_UPDATE_STAGES: ReadonlySet<string> = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

/** The `u` of an update statement: operators (`{ $set: ... }`), a replacement document, or a pipeline. */
export type UpdateSpec = Document | Document[];

export interface UpdateContext {
  /** The statement's filter, which upserts seed from (the positional `a.$`, which would need it, is refused). */
  filter: Document;
  /** The statement's `arrayFilters`, for the `$[identifier]` paths of its update operators. */
  arrayFilters?: Document[];
  /** The command's evaluated `let` values. */
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
      return applyPipeline(cloneDeep(current), update as Document[], context);
    case 'replacement': {
      const document = { _id: current._id, ...(update as Document) };
      return { document, modified: valueKey(current) !== valueKey(document) };
    }
    case 'operators': {
      // $setOnInsert only takes effect when an upsert inserts.
      const { $setOnInsert, ...operators } = update as Document;
      const document = cloneDeep(current);
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
      return seed._id === undefined ? { ...(update as Document) } : { _id: seed._id, ...(update as Document) };
    case 'operators': {
      const { $setOnInsert, ...operators } = update as Document;
      applyOperators(seed, operators, context);
      if ($setOnInsert !== undefined) applyOperators(seed, { $set: $setOnInsert }, context);
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
  const expanded = withArrayFiltersApplied(document, operators, context);
  assertSupportedOperators(expanded);
  assertViablePaths(document, expanded);
  const otherOperators = asSetOperations(document, withoutIdAssignment(document, expanded));
  assertNumericTargets(document, otherOperators);
  const before = valueKey(document);
  applyUpdateOperators(document, otherOperators as Modifier<Document>, undefined, {}, { queryOptions: { variables: context.variables } });
  return valueKey(document) !== before;
}

/**
 * Replaces each `$[identifier]` path segment by the indexes of the array elements its array filter
 * matches (manual, "$[<identifier>]"), so `items.$[big].qty` becomes `items.1.qty`, `items.2.qty`.
 * One identifier per path; every filter must be used, and its array must exist.
 */
function withArrayFiltersApplied(document: Document, operators: Document, context: UpdateContext): Document {
  const filters = new Map<string, (element: unknown) => boolean>();
  for (const arrayFilter of context.arrayFilters ?? []) {
    const identifiers = new Set(Object.keys(arrayFilter).map((path) => path.split('.')[0] as string));
    const [identifier] = identifiers;
    if (identifiers.size !== 1 || identifier === undefined || !/^[a-z][A-Za-z0-9]*$/.test(identifier)) {
      throw new CommandError(
        'FailedToParse',
        'Each array filter must use a single top-level field name, which must be an alphanumeric word beginning with a lowercase letter',
      );
    }
    if (filters.has(identifier))
      throw new CommandError('FailedToParse', `Found multiple array filters with the same top-level field name ${identifier}`);
    const matches = compileMatcher(arrayFilter, context.variables);
    filters.set(identifier, (element) => matches({ [identifier]: element }));
  }
  const used = new Set<string>();
  const expanded: Document = {};
  for (const [operator, operand] of Object.entries(operators)) {
    if (!isObject(operand)) {
      expanded[operator] = operand;
      continue;
    }
    const paths: Document = {};
    for (const [path, value] of Object.entries(operand)) {
      const segments = path.split('.');
      const at = segments.findIndex((segment) => /^\$\[.+\]$/.test(segment));
      if (at === -1) {
        paths[path] = value;
        continue;
      }
      const identifier = (segments[at] as string).slice(2, -1);
      const matches = filters.get(identifier);
      if (matches === undefined)
        throw new CommandError('BadValue', `No array filter found for identifier '${identifier}' in path '${path}'`);
      used.add(identifier);
      if (segments.slice(at + 1).some((segment) => segment.startsWith('$'))) throw notSupported(`the update path '${path}'`);
      const arrayPath = segments.slice(0, at).join('.');
      const array = plainPathValue(document, arrayPath);
      if (!Array.isArray(array))
        throw new CommandError('BadValue', `The path '${arrayPath}' must exist in the document in order to apply array updates.`);
      array.forEach((element, index) => {
        if (matches(element)) paths[[arrayPath, index, ...segments.slice(at + 1)].join('.')] = value;
      });
    }
    expanded[operator] = paths;
  }
  const unused = [...filters.keys()].find((identifier) => !used.has(identifier));
  if (unused !== undefined)
    throw new CommandError('FailedToParse', `The array filter for identifier '${unused}' was not used in the update`);
  return expanded;
}

function assertSupportedOperators(operators: Document): void {
  for (const [operator, operand] of Object.entries(operators)) {
    if (!SUPPORTED_OPERATORS.has(operator)) throw notSupported(`the ${operator} update operator`);
    if (!isObject(operand))
      throw new CommandError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${Array.isArray(operand) ? 'array' : typeof operand} instead.`,
      );
    for (const [path, value] of Object.entries(operand)) {
      // `$[]` updates every element; `$` and `$[identifier]` need the matched element or arrayFilters.
      const segments = path.split('.');
      if (segments.some((segment) => segment.startsWith('$') && segment !== '$[]')) throw notSupported(`the update path '${path}'`);
      if (operator === '$push' && isObject(value) && '$sort' in value) throw notSupported('$push with $sort');
    }
  }
}

/** Operators that create the fields of their paths when missing; the others do nothing there. */
const CREATING_OPERATORS = new Set(['$set', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$currentDate', '$push', '$addToSet']);

/**
 * mongod refuses a path it cannot follow or create (PathNotViable: a field inside a string, a named
 * field inside an array), `$[]` over a missing array, and array operators on values that are not arrays.
 */
function assertViablePaths(document: Document, operators: Document): void {
  assertNoConflicts(operators);
  for (const [operator, operand] of Object.entries(operators)) {
    for (const [path, value] of Object.entries(operand as Document)) {
      walkUpdatePath(document, path.split('.'), 0, operator, path);
      if (operator === '$rename' && typeof value === 'string') walkUpdatePath(document, value.split('.'), 0, '$set', value);
    }
  }
}

/** Two operators (or a `$rename`'s two ends) may not touch the same path, or a path and one inside it. */
function assertNoConflicts(operators: Document): void {
  const paths: string[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    for (const [path, value] of Object.entries(operand as Document)) {
      paths.push(path);
      if (operator === '$rename' && typeof value === 'string') paths.push(value);
    }
  }
  for (const [i, path] of paths.entries()) {
    for (const other of paths.slice(i + 1)) {
      const [shorter, longer] = path.length <= other.length ? [path, other] : [other, path];
      if (longer === shorter || longer.startsWith(`${shorter}.`)) {
        throw new CommandError('ConflictingUpdateOperators', `Updating the path '${longer}' would create a conflict at '${shorter}'`);
      }
    }
  }
}

function walkUpdatePath(container: unknown, segments: string[], depth: number, operator: string, path: string): void {
  const segment = segments[depth] as string;
  const last = depth === segments.length - 1;
  const creates = CREATING_OPERATORS.has(operator);
  if (segment === '$[]') {
    if (!Array.isArray(container))
      throw new CommandError(
        'BadValue',
        `The path '${segments.slice(0, depth).join('.')}' must exist in the document in order to apply array updates.`,
      );
    for (const element of container) {
      if (last) assertTargetType(operator, path, element);
      else walkUpdatePath(element, segments, depth + 1, operator, path);
    }
    return;
  }
  let child: unknown;
  if (Array.isArray(container) && /^\d+$/.test(segment)) child = container[Number(segment)];
  else if (isObject(container)) child = container[segment];
  else if (!creates) return;
  else {
    const parent = depth === 0 ? '' : `${segments[depth - 1]}: `;
    throw new CommandError('PathNotViable', `Cannot create field '${segment}' in element {${parent}${JSON.stringify(container)}}`);
  }
  if (last) {
    assertTargetType(operator, path, child);
    return;
  }
  if (child === undefined) {
    const rest = segments.slice(depth + 1);
    if (rest.includes('$[]'))
      throw new CommandError(
        'BadValue',
        `The path '${segments.slice(0, depth + 1 + rest.indexOf('$[]')).join('.')}' must exist in the document in order to apply array updates.`,
      );
    return;
  }
  walkUpdatePath(child, segments, depth + 1, operator, path);
}

function assertTargetType(operator: string, path: string, target: unknown): void {
  if (target === undefined || Array.isArray(target)) return;
  const type = target === null ? 'null' : typeof target;
  if (operator === '$push' || operator === '$addToSet')
    throw new CommandError('BadValue', `The field '${path}' must be an array but is of type ${type}`);
  if (operator === '$pop') throw new CommandError('TypeMismatch', `Path '${path}' contains an element of non-array type '${type}'`);
  if (operator === '$pullAll') throw new CommandError('BadValue', 'Cannot apply $pullAll to a non-array value');
}

/**
 * `$min`, `$max` and `$currentDate` become `$set`s: mingo's `$min`/`$max` compare values of different
 * types as it likes, and its `$currentDate` stores a Date where a Timestamp is asked for.
 */
function asSetOperations(document: Document, operators: Document): Document {
  const { $min, $max, $currentDate, ...others } = operators;
  const sets: Document = { ...(others.$set as Document | undefined) };
  for (const [operand, direction] of [
    [$min, -1],
    [$max, 1],
  ] as Array<[Document | undefined, number]>) {
    for (const [path, value] of Object.entries(operand ?? {})) {
      const current = plainPathValue(document, path);
      if (current === undefined || direction * compareValues(value, current) > 0) sets[path] = value;
    }
  }
  for (const [path, type] of Object.entries(($currentDate as Document | undefined) ?? {})) sets[path] = currentDateValue(path, type);
  return Object.keys(sets).length === 0 ? others : { ...others, $set: sets };
}

let lastTimestamp = { t: 0, i: 0 };

/** `true` or `{ $type: 'date' }` store a Date; `{ $type: 'timestamp' }` a BSON Timestamp, unique on this server. */
function currentDateValue(path: string, type: unknown): unknown {
  if (type === true || (isObject(type) && type.$type === 'date' && Object.keys(type).length === 1)) return new Date();
  if (isObject(type) && type.$type === 'timestamp' && Object.keys(type).length === 1) {
    const seconds = Math.floor(Date.now() / 1000);
    lastTimestamp = seconds > lastTimestamp.t ? { t: seconds, i: 1 } : { t: lastTimestamp.t, i: lastTimestamp.i + 1 };
    return new Timestamp(lastTimestamp);
  }
  throw new CommandError('BadValue', `The '$type' of $currentDate on '${path}' must be 'date' or 'timestamp', or the value true`);
}

/** The value at a path of plain documents; a path through an array is refused (it would need the positional operator). */
function plainPathValue(document: Document, path: string): unknown {
  let value: unknown = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(value)) throw notSupported(`$min/$max on '${path}', which goes through an array`);
    if (!isObject(value)) return undefined;
    value = value[segment];
  }
  return value;
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
    const { _id: id, ...paths } = operand;
    if (Object.keys(paths).some((path) => path.startsWith('_id.')) || (id !== undefined && operator !== '$set')) throw immutableIdError();
    if (id !== undefined && document._id === undefined) document._id = id;
    else if (id !== undefined && valueKey(id) !== valueKey(document._id)) throw immutableIdError();
    remaining[operator] = paths;
  }
  return remaining;
}

/**
 * A pipeline-style update: the stages run on the document, which keeps its `_id` when the output has
 * none and may not change it (ImmutableField, as in mongod).
 */
function applyPipeline(document: Document, pipeline: Document[], context: UpdateContext): UpdateOutcome {
  assertSupportedPipeline(pipeline, PIPELINE_UPDATE_STAGES);
  const [result] = runAggregation([document], pipeline, { variables: context.variables, collectionResolver: () => [] });
  if (result === undefined) throw new CommandError('BadValue', 'a pipeline-style update must produce a document');
  // Stored as a BSON document would be, so that answers stay the same once the data is reloaded.
  const output = withoutMissingValues(result) as Document;
  let updated = output;
  if (!('_id' in output) && document._id !== undefined) updated = { _id: document._id, ...output };
  else if (document._id !== undefined && valueKey(output._id) !== valueKey(document._id)) throw immutableIdError();
  return { document: updated, modified: valueKey(updated) !== valueKey(document) };
}

/** Missing values left by expressions: no field in a document, null in an array (as BSON stores them). */
function withoutMissingValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((element) => (element === undefined ? null : withoutMissingValues(element)));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([name, field]) => (field === undefined ? [] : [[name, withoutMissingValues(field)]])),
  );
}

/** mongod refuses arithmetic on non-numbers; mingo would silently skip it. */
function assertNumericTargets(document: Document, operators: Document): void {
  for (const operator of ['$inc', '$mul']) {
    for (const [path, operand] of Object.entries((operators[operator] as Document | undefined) ?? {})) {
      if (typeof operand !== 'number') {
        if (isBsonNumberWrapper(operand)) throw notSupported(`${operator} by a ${(operand as { _bsontype: string })._bsontype} value`);
        throw new CommandError(
          'TypeMismatch',
          `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(operand)}}`,
        );
      }
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
