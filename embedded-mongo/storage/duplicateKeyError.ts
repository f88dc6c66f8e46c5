import { EJSON, type Document, type ObjectId } from 'bson';
import { CommandError } from '../errors';

/** The E11000 error exactly as mongod words it, with the `keyPattern`/`keyValue` fields drivers expose. */
export function duplicateKeyError(namespace: string, indexName: string, keyPattern: Document, keyValue: Document): CommandError {
  const dupKey = Object.entries(keyValue)
    .map(([field, value]) => `${field}: ${formatKeyValue(value)}`)
    .join(', ');
  return new CommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${namespace} index: ${indexName} dup key: { ${dupKey} }`,
    {
      keyPattern,
      keyValue,
    },
  );
}

/** Renders a key value the way mongod prints it in error messages. */
function formatKeyValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if ((value as { _bsontype?: unknown })._bsontype === 'ObjectId')
    return `ObjectId('${(value as Pick<ObjectId, 'toHexString'>).toHexString()}')`;
  return EJSON.stringify(value);
}
