import type { Document } from 'bson';
import { CommandError } from '../errors';
import { pathValues } from './pathValues';
import { valueKey } from './valueKey';

/** One key a document contributes to an index, and the field values it stands for. */
export interface IndexEntry {
  key: string;
  /** The key of the first field alone, for lookups on that field. */
  leadingKey: string;
  values: unknown[];
}

/** mongod indexes an empty array as `undefined`, which is distinct from `null`/missing. */
const EMPTY_ARRAY_KEY = 'undefined';

/**
 * The keys a document contributes to an index on `fields`, with multikey semantics: an array value
 * contributes one key per element. A sparse index skips documents that have none of the fields.
 * Each field's part of a key is the {@link valueKey} of its value, so equality lookups can reuse it.
 */
export function indexEntriesOf(document: Document, fields: readonly string[], sparse: boolean): IndexEntry[] {
  const reachedPerField = fields.map((field) => pathValues(document, field));
  if (sparse && reachedPerField.every((reached) => reached.length === 0)) return [];
  assertNoParallelArrays(fields, reachedPerField);

  let combinations: Array<{ keys: string[]; values: unknown[] }> = [{ keys: [], values: [] }];
  for (const reached of reachedPerField) {
    const fieldEntries = fieldKeys(reached);
    combinations = combinations.flatMap((prefix) =>
      fieldEntries.map(({ key, value }) => ({ keys: [...prefix.keys, key], values: [...prefix.values, value] })),
    );
  }
  return combinations.map(({ keys, values }) => ({
    key: keys.length === 1 ? (keys[0] as string) : JSON.stringify(keys),
    leadingKey: keys[0] as string,
    values,
  }));
}

function fieldKeys(reached: unknown[]): Array<{ key: string; value: unknown }> {
  if (reached.length === 0) return [{ key: valueKey(null), value: null }];
  const [single] = reached;
  if (reached.length === 1 && !Array.isArray(single)) return [{ key: valueKey(single), value: single }];
  const keyed = new Map<string, unknown>();
  for (const value of reached) {
    if (!Array.isArray(value)) keyed.set(valueKey(value), value);
    else if (value.length === 0) keyed.set(EMPTY_ARRAY_KEY, value);
    else for (const element of value) keyed.set(valueKey(element), element);
  }
  return [...keyed].map(([key, value]) => ({ key, value }));
}

function assertNoParallelArrays(fields: readonly string[], reachedPerField: unknown[][]): void {
  const arrayFields = fields.filter((_, i) => {
    const reached = reachedPerField[i] as unknown[];
    return reached.length > 1 || reached.some(Array.isArray);
  });
  if (arrayFields.length > 1) {
    throw new CommandError('CannotIndexParallelArrays', `cannot index parallel arrays [${arrayFields[0]}] [${arrayFields[1]}]`);
  }
}
