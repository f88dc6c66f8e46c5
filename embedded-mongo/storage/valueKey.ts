import { EJSON, type Document, type Long, type ObjectId } from 'bson';

/** BSON values the driver deserializes to class instances carry their type name here. */
function bsonTypeOf(value: object): string | undefined {
  const type: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : undefined;
}

/**
 * A string that is equal for two values exactly when MongoDB considers them equal as index keys
 * (`1` and `1.0` are equal, field order inside embedded documents matters). It keys the `_id` map,
 * secondary indexes and `distinct`. Missing, `undefined` and `null` share one key, as in mongod indexes.
 */
export function valueKey(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // -0 and 0 are the same key in MongoDB.
      return `n:${value === 0 ? 0 : value}`;
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return objectKey(value);
    default:
      // bigint, symbol or function: none is a BSON value, but each has a faithful string form.
      return `${typeof value}:${(value as bigint | symbol).toString()}`;
  }
}

function objectKey(value: object): string {
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (value instanceof RegExp) return `regex:${value.source}/${value.flags}`;
  const bsonType = bsonTypeOf(value);
  switch (bsonType) {
    case undefined: {
      const fields = Object.entries(value as Document).map(([name, fieldValue]) => `${JSON.stringify(name)}:${valueKey(fieldValue)}`);
      return `{${fields.join(',')}}`;
    }
    case 'ObjectId':
      return `oid:${(value as ObjectId).toHexString()}`;
    case 'Long':
      return `n:${(value as Long).toString()}`;
    default:
      return `${bsonType}:${EJSON.stringify(value, { relaxed: false })}`;
  }
}

export function isBsonNumberWrapper(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const bsonType = bsonTypeOf(value);
  return bsonType === 'Long' || bsonType === 'Decimal128' || bsonType === 'Int32' || bsonType === 'Double';
}
