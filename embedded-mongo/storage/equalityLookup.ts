import type { Document } from 'bson';
import { conditionKind } from '../query/filterMatcher';
import { isBsonNumberWrapper, valueKey } from './valueKey';

/** A top-level `{ f: v }`, `{ f: { $eq: v } }` or `{ f: { $in: [...] } }` the store can answer by key lookup. */
export interface EqualityLookup {
  field: string;
  keys: string[];
}

/**
 * Picks the equality in `filter` that lets the store skip a full scan, preferring `_id`. Documents
 * found this way are a superset of the matches: the caller still applies the whole filter.
 */
export function findEqualityLookup(filter: Document, canLookUp: (field: string) => boolean): EqualityLookup | undefined {
  let firstUsable: EqualityLookup | undefined;
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$') || !canLookUp(field)) continue;
    const values = equalityValues(condition);
    if (values === undefined) continue;
    const lookup = { field, keys: [...new Set(values.map(valueKey))] };
    if (field === '_id') return lookup;
    firstUsable ??= lookup;
  }
  return firstUsable;
}

function equalityValues(condition: unknown): unknown[] | undefined {
  switch (conditionKind(condition)) {
    case 'equality':
      return isKeyExact(condition) ? [condition] : undefined;
    case 'operators': {
      const { $eq, $in } = condition as Document;
      if ('$eq' in (condition as Document)) return isKeyExact($eq) ? [$eq] : undefined;
      return Array.isArray($in) && $in.every(isKeyExact) ? $in : undefined;
    }
    case 'malformed':
      return undefined;
  }
}

/**
 * Whether the documents matching `{ f: value }` are exactly those indexed under `valueKey(value)`.
 * Not so for arrays (they also match whole-array values), regular expressions (pattern matches) and
 * numbers MongoDB compares across types beyond what the key encodes (wide integers, Decimal128).
 */
function isKeyExact(value: unknown): boolean {
  if (Array.isArray(value) || value instanceof RegExp || isBsonNumberWrapper(value)) return false;
  if (typeof value === 'number') return !Number.isInteger(value) || Number.isSafeInteger(value);
  return true;
}
