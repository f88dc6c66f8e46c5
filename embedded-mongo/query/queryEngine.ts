import type { Document } from 'bson';
import { Aggregator, Query } from 'mingo';
import type { CollectionResolver, Options } from 'mingo/types/types';
import { CommandError, notSupported } from '../errors';
import type { Evaluation } from '../evaluation';
import { compileFastFilter } from './fastFilter';
import { compileFastProjection } from './fastProjection';

/**
 * mingo evaluates MongoDB's query, projection and aggregation languages. Server-side JavaScript
 * (`$where`, `$function`, `$accumulator`) stays off, as on a hardened mongod.
 */
const MINGO_OPTIONS: Partial<Options> = { idKey: '_id', scriptEnabled: false, useStrictMode: true };

export type DocumentPredicate = (document: Document) => boolean;

/** `variables` are the command's `let` parameters, visible as `$$name` inside `$expr`. */
export function compileFilter(filter: Document | undefined, variables?: Document, evaluation: Evaluation = 'native'): DocumentPredicate {
  if (filter === undefined || Object.keys(filter).length === 0) return () => true;
  // Built even when the native test applies: it validates the filter, and judges the values that test leaves.
  const mingoTest = compileMingoFilter(filter, variables);
  const fastTest = evaluation === 'native' ? compileFastFilter(filter) : undefined;
  if (fastTest === undefined) return mingoTest;
  return (document) => fastTest(document) ?? mingoTest(document);
}

/** The filter as mingo alone evaluates it: the reference the native test is checked against. */
export function compileMingoFilter(filter: Document, variables?: Document): DocumentPredicate {
  const query = new Query(filter, { ...MINGO_OPTIONS, variables });
  return (document) => query.test(document);
}

export function sortDocuments(documents: Document[], sort: Document): Document[] {
  if (Object.keys(sort).length === 0) return documents;
  for (const [field, direction] of Object.entries(sort)) {
    if (typeof direction === 'object' && direction !== null) throw notSupported(`sorting '${field}' by $meta`);
    if (direction !== 1 && direction !== -1) {
      throw new CommandError('BadValue', '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
  }
  return new Aggregator([{ $sort: sort }], MINGO_OPTIONS).run(documents);
}

/**
 * Returns a function applying a find-style projection. A positional projection (`items.$`) needs
 * the filter (and its `let` variables) to know which element matched. Top-level fields keep the
 * stored document's order, as mongod returns them.
 */
export function compileProjection(
  projection: Document | undefined,
  filter: Document = {},
  variables?: Document,
  evaluation: Evaluation = 'native',
): (document: Document) => Document {
  if (projection === undefined || Object.keys(projection).length === 0) return (document) => document;
  const fastProjection = evaluation === 'native' ? compileFastProjection(projection) : undefined;
  if (fastProjection) return fastProjection;
  const isPositional = Object.keys(projection).some((path) => path.endsWith('.$'));
  const query = new Query(isPositional ? filter : {}, { ...MINGO_OPTIONS, variables });
  return (document) => inSourceFieldOrder(document, query.find<Document>([document], projection).next() as Document);
}

function inSourceFieldOrder(source: Document, projected: Document): Document {
  const ordered: Document = {};
  for (const field of Object.keys(source)) {
    if (Object.hasOwn(projected, field)) ordered[field] = projected[field];
  }
  return Object.assign(ordered, projected);
}

export function runPipeline(
  documents: Iterable<Document>,
  pipeline: Document[],
  options: { collectionResolver: CollectionResolver; variables?: Document },
): Document[] {
  return new Aggregator(pipeline, { ...MINGO_OPTIONS, ...options }).run(documents);
}
