import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { cloneDeep, isObject } from 'mingo/util';
import type { CollectionResolver } from 'mingo/types';
import { CommandError, notSupported } from '../errors';
import type { Evaluation } from '../evaluation';
import { compareValues } from './bsonOrder';
import { compileFastFilter } from './fastFilter';
import { compileFastProjection } from './fastProjection';
import { assertSupportedExpression, MINGO_OPTIONS } from './expressions';
import { compileMatcher, type DocumentPredicate, reachPath } from './filterMatcher';

export type { DocumentPredicate } from './filterMatcher';

/** `variables` are the command's evaluated `let` values, visible as `$$name` inside `$expr`. */
export function compileFilter(filter: Document | undefined, variables?: Document, evaluation: Evaluation = 'native'): DocumentPredicate {
  if (filter === undefined || Object.keys(filter).length === 0) return () => true;
  // Built even when the native test applies: it validates the filter, and judges the values that test leaves.
  const reference = compileMatcher(filter, variables);
  const fastTest = evaluation === 'native' ? compileFastFilter(filter) : undefined;
  if (fastTest === undefined) return reference;
  return (document) => fastTest(document) ?? reference(document);
}

/** A sort specification checked: `{ field: 1 | -1, ... }`, nothing else. */
export function parseSort(sort: Document): Array<[string, 1 | -1]> {
  return Object.entries(sort).map(([field, direction]) => {
    if (field === '$natural') throw notSupported('sorting by $natural');
    if (typeof direction === 'object' && direction !== null) throw notSupported(`sorting '${field}' by $meta`);
    if (direction !== 1 && direction !== -1) {
      throw new CommandError('BadValue', '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
    return [field, direction];
  });
}

/** An empty array sorts below null and missing (manual, "Comparison/Sort Order", arrays). */
const EMPTY_ARRAY_KEY = undefined;

/**
 * The value a document sorts by on `path` (manual, "Comparison/Sort Order"): missing counts as null;
 * for an array, its smallest element in an ascending sort and its largest in a descending one.
 */
function sortKey(document: Document, path: string, direction: 1 | -1): unknown {
  const { values } = reachPath(document, path);
  if (values.length === 0) return null;
  let key: unknown;
  let found = false;
  let sawEmptyArray = false;
  for (const value of values) {
    const candidates = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && value.length === 0) sawEmptyArray = true;
    for (const candidate of candidates) {
      if (!found || direction * compareValues(candidate, key) < 0) key = candidate;
      found = true;
    }
  }
  return found ? key : sawEmptyArray ? EMPTY_ARRAY_KEY : null;
}

/** Sorts by MongoDB's full comparison order across types; documents that tie keep their order. */
export function sortDocuments(documents: Document[], sort: Document): Document[] {
  const fields = parseSort(sort);
  if (fields.length === 0) return documents;
  const keyed = documents.map((document) => ({ document, keys: fields.map(([path, direction]) => sortKey(document, path, direction)) }));
  keyed.sort((left, right) => {
    for (const [i, [, direction]] of fields.entries()) {
      const order = compareValues(left.keys[i], right.keys[i]);
      if (order !== 0) return direction * order;
    }
    return 0;
  });
  return keyed.map(({ document }) => document);
}

/**
 * Returns a function applying a find-style projection: inclusions and exclusions of paths, and
 * aggregation expressions. Top-level fields keep the stored document's order, as mongod returns them.
 * `$slice`, `$elemMatch`, `$meta` and the positional `field.$` are refused.
 */
export function compileProjection(
  projection: Document | undefined,
  variables?: Document,
  evaluation: Evaluation = 'native',
): (document: Document) => Document {
  if (projection === undefined || Object.keys(projection).length === 0) return (document) => document;
  const fastProjection = evaluation === 'native' ? compileFastProjection(projection) : undefined;
  if (fastProjection) return fastProjection;
  for (const [path, value] of Object.entries(projection)) {
    if (path.endsWith('.$') || path === '$') throw notSupported(`the positional projection '${path}'`);
    for (const operator of ['$slice', '$elemMatch', '$meta']) {
      if (typeof value === 'object' && value !== null && operator in value) throw notSupported(`the ${operator} projection`);
    }
  }
  return compileProjectionStage(projection, variables);
}

/**
 * `$project` and the general find projection, computed by mingo: on a copy when it excludes anything
 * (mingo removes excluded fields of embedded documents in place), with the output's fields in the
 * input's order. A computed field whose path crosses an array is refused: what MongoDB makes of the
 * array's elements there is not something this server vouches for.
 */
export function compileProjectionStage(projection: Document, variables?: Document): (document: Document) => Document {
  if (Object.keys(projection).length === 0)
    throw new CommandError('FailedToParse', 'projection specification must have at least one field');
  assertSupportedExpression(projection);
  const excludes = hasExclusion(projection);
  const computedPaths = computedPathsOf(projection, []);
  const aggregator = new Aggregator([{ $project: projection }], { ...MINGO_OPTIONS, variables });
  return (document) => {
    for (const segments of computedPaths) assertNoArrayOnTheWay(document, segments);
    const input = excludes ? cloneDeep(document) : document;
    return inSourceFieldOrder(document, aggregator.run([input])[0] as Document);
  };
}

function isFieldSpecification(value: unknown): boolean {
  return isObject(value) && !Object.keys(value).some((key) => key.startsWith('$'));
}

function hasExclusion(projection: Document): boolean {
  return Object.values(projection).some(
    (value) => value === 0 || value === false || (isFieldSpecification(value) && hasExclusion(value as Document)),
  );
}

function computedPathsOf(projection: Document, prefix: string[]): string[][] {
  return Object.entries(projection).flatMap(([path, value]) => {
    const segments = [...prefix, ...path.split('.')];
    if (typeof value === 'number' || typeof value === 'boolean') return [];
    if (isFieldSpecification(value)) return computedPathsOf(value as Document, segments);
    return segments.length > 1 ? [segments] : [];
  });
}

function assertNoArrayOnTheWay(document: Document, segments: string[]): void {
  let value: unknown = document;
  for (const segment of segments.slice(0, -1)) {
    value = isObject(value) ? value[segment] : undefined;
    if (Array.isArray(value)) throw notSupported(`computing '${segments.join('.')}' through an array`);
  }
}

function inSourceFieldOrder(source: Document, projected: Document): Document {
  const ordered: Document = {};
  for (const field of Object.keys(source)) {
    if (Object.hasOwn(projected, field)) ordered[field] = projected[field];
  }
  return Object.assign(ordered, projected);
}

/** Runs stages mingo evaluates (see expressions.ts); the caller has checked them against the allow-list. */
export function runPipeline(
  documents: Iterable<Document>,
  pipeline: Document[],
  options: { collectionResolver: CollectionResolver; variables?: Document },
): Document[] {
  return new Aggregator(pipeline, { ...MINGO_OPTIONS, ...options }).run<Document>(documents);
}
