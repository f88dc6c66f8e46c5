import type { Document } from 'bson';
import { isObject } from 'mingo/util';
import { CommandError, notSupported } from '../errors';
import type { CollectionStore } from '../storage/collectionStore';
import { ID_INDEX_SPEC } from '../storage/indexSpec';
import { valueKey } from '../storage/valueKey';

/** Readers for command fields, failing with mongod's wording when a field has the wrong type. */

function wrongType(command: Document, field: string, expected: string): CommandError {
  const value: unknown = command[field];
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return new CommandError(
    'TypeMismatch',
    `BSON field '${Object.keys(command)[0]}.${field}' is the wrong type '${actual}', expected type '${expected}'`,
  );
}

/** The collection a command targets: the value of its first field, e.g. `{ find: 'users' }`. */
export function targetCollection(command: Document): string {
  const [commandName] = Object.keys(command);
  const name: unknown = command[commandName as string];
  if (typeof name !== 'string' || name === '') throw new CommandError('InvalidNamespace', `'${commandName}' must name a collection`);
  return name;
}

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw wrongType(command, field, 'object');
  return value;
}

export function requiredDocument(command: Document, field: string): Document {
  const value = optionalDocument(command, field);
  if (value === undefined)
    throw new CommandError('FailedToParse', `BSON field '${Object.keys(command)[0]}.${field}' is missing but a required field`);
  return value;
}

export function requiredDocumentArray(command: Document, field: string): Document[] {
  const value: unknown = command[field];
  if (!Array.isArray(value) || !value.every(isObject)) throw wrongType(command, field, 'array of objects');
  return value;
}

export function optionalDocumentArray(command: Document, field: string): Document[] | undefined {
  return command[field] === undefined || command[field] === null ? undefined : requiredDocumentArray(command, field);
}

/** An update: operators or replacement document, or a pipeline (array of stages). */
export function requiredUpdate(command: Document, field: string): Document | Document[] {
  return Array.isArray(command[field]) ? requiredDocumentArray(command, field) : requiredDocument(command, field);
}

export function optionalNonNegativeInteger(command: Document, field: string): number | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(command, field, 'integer');
  if (value < 0) throw new CommandError('BadValue', `BSON field '${field}' value must be >= 0, actual value '${value}'`);
  return value;
}

/** mongod accepts numbers as booleans in command options (`multi: 1`). */
export function optionalBoolean(command: Document, field: string): boolean | undefined {
  const value: unknown = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean' && typeof value !== 'number') throw wrongType(command, field, 'bool');
  return Boolean(value);
}

/** For the documents inside a command (update or delete statements), refuses options this server would ignore. */
export function assertOnlyFields(document: Document, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(document).find((field) => !allowed.includes(field));
  if (unknown !== undefined) throw notSupported(`${where} option '${unknown}'`);
}

/**
 * `hint` only steers mongod's choice of index, so the server accepts it when it names an index the
 * collection has (by name or key pattern); an unknown index or `$natural` (a collection scan in
 * storage order) is refused rather than ignored.
 */
export function assertKnownHint(hint: unknown, store: CollectionStore | undefined): void {
  if (hint === undefined || hint === null) return;
  if (isObject(hint) && '$natural' in hint) throw notSupported('hint $natural');
  const specs = store?.indexSpecs() ?? [ID_INDEX_SPEC];
  const known =
    typeof hint === 'string'
      ? specs.some(({ name }) => name === hint)
      : isObject(hint) && specs.some(({ key }) => valueKey(key) === valueKey(hint));
  if (!known) throw notSupported(`a hint naming no index of the collection (${typeof hint === 'string' ? hint : JSON.stringify(hint)})`);
}
