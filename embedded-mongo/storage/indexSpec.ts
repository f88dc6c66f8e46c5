import type { Document } from 'bson';
import { CommandError, notSupported } from '../errors';
import { valueKey } from './valueKey';

/** An index definition as `listIndexes` reports it. */
export interface IndexSpec {
  v: 2;
  key: Record<string, number>;
  name: string;
  unique?: true;
  sparse?: true;
  partialFilterExpression?: Document;
}

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Options that only tune how mongod builds or stores an index; they change nothing observable here. */
const BUILD_ONLY_OPTIONS = new Set(['v', 'background', 'ns']);

/** Validates a `createIndexes` entry, refusing index kinds and options this server would not honour. */
export function parseIndexSpec(raw: unknown): IndexSpec {
  if (typeof raw !== 'object' || raw === null) throw new CommandError('TypeMismatch', 'each index specification must be an object');
  const { key, name, unique, sparse, partialFilterExpression, ...otherOptions } = raw as Document;
  const unsupportedOption = Object.keys(otherOptions).find((option) => !BUILD_ONLY_OPTIONS.has(option));
  if (unsupportedOption !== undefined) throw notSupported(`index option '${unsupportedOption}'`);

  const spec: IndexSpec = { v: 2, key: parseKeyPattern(key), name: '' };
  spec.name = name === undefined ? defaultIndexName(spec.key) : requireIndexName(name);
  if (unique === true) spec.unique = true;
  if (sparse === true) spec.sparse = true;
  if (partialFilterExpression !== undefined) {
    if (typeof partialFilterExpression !== 'object' || partialFilterExpression === null || Array.isArray(partialFilterExpression)) {
      throw new CommandError('TypeMismatch', "'partialFilterExpression' must be an object");
    }
    spec.partialFilterExpression = partialFilterExpression as Document;
  }
  return spec;
}

function parseKeyPattern(key: unknown): Record<string, number> {
  if (typeof key !== 'object' || key === null || Array.isArray(key) || Object.keys(key).length === 0) {
    throw new CommandError('BadValue', "index specification must have a non-empty 'key' object");
  }
  for (const [field, direction] of Object.entries(key as Document)) {
    if (field.includes('$**')) throw notSupported('wildcard indexes');
    if (typeof direction === 'string') throw notSupported(`'${direction}' indexes`);
    if (typeof direction !== 'number' || direction === 0 || !Number.isFinite(direction)) {
      throw new CommandError('BadValue', `index key '${field}' must be a non-zero number (1 or -1)`);
    }
  }
  return key as Record<string, number>;
}

function requireIndexName(name: unknown): string {
  if (typeof name !== 'string' || name === '') throw new CommandError('BadValue', 'index name must be a non-empty string');
  return name;
}

/** mongod's default name: `{ a: 1, b: -1 }` → `a_1_b_-1`. */
function defaultIndexName(key: Record<string, number>): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');
}

export function hasSameKeyPattern(a: IndexSpec, b: IndexSpec): boolean {
  return valueKey(a.key) === valueKey(b.key);
}

export function isSameIndex(a: IndexSpec, b: IndexSpec): boolean {
  return valueKey(a) === valueKey(b);
}
