import type { Document } from 'bson';
import { notSupported } from '../errors';

/**
 * MongoDB's comparison order of BSON values (manual, "Comparison/Sort Order"):
 * MinKey < null < numbers < strings < objects < arrays < binary data < ObjectId < booleans < dates
 * < timestamps < regular expressions < MaxKey. Numbers compare by value whatever their type (int,
 * long, double). A field that is missing (`undefined` here) sorts below null in aggregation
 * expressions; sorts and queries map it to null themselves.
 *
 * The ranks are mongod's "canonical types": values of one rank form a type bracket, the unit within
 * which query comparison operators compare.
 */
export const enum TypeRank {
  MinKey = -1,
  Missing = 0,
  Null = 5,
  Number = 10,
  String = 15,
  Object = 20,
  Array = 25,
  Binary = 30,
  ObjectId = 35,
  Boolean = 40,
  Date = 45,
  Timestamp = 47,
  RegExp = 50,
  MaxKey = 127,
}

/** The BSON type name the driver's classes carry (`Long`, `ObjectId`, ...), undefined for plain values. */
export function bsonClassOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof type === 'string' ? type : undefined;
}

export function typeRank(value: unknown): TypeRank {
  switch (typeof value) {
    case 'undefined':
      return TypeRank.Missing;
    case 'number':
    case 'bigint':
      return TypeRank.Number;
    case 'string':
      return TypeRank.String;
    case 'boolean':
      return TypeRank.Boolean;
    case 'object':
      break;
    default:
      throw notSupported(`a ${typeof value} value`);
  }
  if (value === null) return TypeRank.Null;
  if (Array.isArray(value)) return TypeRank.Array;
  if (value instanceof Date) return TypeRank.Date;
  if (value instanceof RegExp) return TypeRank.RegExp;
  switch (bsonClassOf(value)) {
    case undefined:
      return TypeRank.Object;
    case 'Long':
    case 'Int32':
    case 'Double':
      return TypeRank.Number;
    case 'BSONSymbol':
      return TypeRank.String;
    case 'Binary':
      return TypeRank.Binary;
    case 'ObjectId':
      return TypeRank.ObjectId;
    case 'Timestamp':
      return TypeRank.Timestamp;
    case 'BSONRegExp':
      return TypeRank.RegExp;
    case 'MinKey':
      return TypeRank.MinKey;
    case 'MaxKey':
      return TypeRank.MaxKey;
    case 'DBRef':
      return TypeRank.Object;
    default:
      // Decimal128 (no exact ordering against doubles here), Code, and anything newer.
      throw notSupported(`comparing ${bsonClassOf(value)} values`);
  }
}

/** Total order of BSON values (negative, 0, positive), NaN being the smallest number and equal to itself. */
export function compareValues(left: unknown, right: unknown): number {
  const leftRank = typeRank(left);
  const rightRank = typeRank(right);
  if (leftRank !== rightRank) return leftRank - rightRank;
  switch (leftRank) {
    case TypeRank.Number:
      return compareNumbers(left, right);
    case TypeRank.String:
      return compareStrings(String(left), String(right));
    case TypeRank.Object:
      return compareDocuments(asDocument(left), asDocument(right));
    case TypeRank.Array:
      return compareArrays(left as unknown[], right as unknown[]);
    case TypeRank.Binary:
      return compareBinaries(left as BinaryLike, right as BinaryLike);
    case TypeRank.ObjectId:
      return compareBytes((left as { id: Uint8Array }).id, (right as { id: Uint8Array }).id);
    case TypeRank.Boolean:
      return Number(left) - Number(right);
    case TypeRank.Date:
      return sign((left as Date).getTime() - (right as Date).getTime());
    case TypeRank.Timestamp:
      return compareTimestamps(left as TimestampLike, right as TimestampLike);
    case TypeRank.RegExp:
      return compareRegExps(left, right);
    default:
      // MinKey, MaxKey, null and missing are alone in their rank.
      return 0;
  }
}

/** Throws the refusal when a value holds one this server cannot compare (Decimal128...), at any depth. */
export function assertComparable(value: unknown): void {
  const rank = typeRank(value);
  if (rank === TypeRank.Array) {
    for (const element of value as unknown[]) assertComparable(element);
  } else if (rank === TypeRank.Object) {
    const document = asDocument(value);
    for (const field in document) assertComparable(document[field]);
  }
}

export function valuesEqual(left: unknown, right: unknown): boolean {
  return compareValues(left, right) === 0;
}

/** The numeric value as a JavaScript number or, for a Long beyond 2^53, a bigint. */
export function numericValue(value: unknown): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  switch (bsonClassOf(value)) {
    case 'Long': {
      const long = value as { toBigInt(): bigint; toNumber(): number };
      const exact = long.toBigInt();
      return exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER) ? long.toNumber() : exact;
    }
    case 'Int32':
    case 'Double':
      return (value as { value: number }).value;
    default:
      throw notSupported(`arithmetic on a ${bsonClassOf(value) ?? typeof value} value`);
  }
}

function compareNumbers(left: unknown, right: unknown): number {
  const a = numericValue(left);
  const b = numericValue(right);
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === 'bigint' ? -compareDoubleWithBigint(b as number, a) : compareDoubleWithBigint(a, b as bigint);
}

/** Exact comparison of a double with an integer beyond 2^53 (which no double rounding may blur). */
function compareDoubleWithBigint(double: number, integer: bigint): number {
  if (Number.isNaN(double)) return -1;
  if (double === Infinity) return 1;
  if (double === -Infinity) return -1;
  const whole = BigInt(Math.floor(double));
  if (whole !== integer) return whole < integer ? -1 : 1;
  return double > Math.floor(double) ? 1 : 0;
}

/** Strings compare by their UTF-8 bytes (the simple binary collation), which is code point order. */
export function compareStrings(left: string, right: string): number {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(i);
    if (a === b) continue;
    // UTF-16 code units order code points wrongly only when a surrogate meets a unit above it.
    if ((a >= 0xd800 && a <= 0xdfff) || (b >= 0xd800 && b <= 0xdfff))
      return sign((left.codePointAt(i) as number) - (right.codePointAt(i) as number));
    return a - b;
  }
  return left.length - right.length;
}

function asDocument(value: unknown): Document {
  if (bsonClassOf(value) === 'DBRef') return (value as { toJSON(): Document }).toJSON();
  return value as Document;
}

/** Field by field: first the types of the values, then the names, then the values; a prefix comes first. */
function compareDocuments(left: Document, right: Document): number {
  const leftEntries = Object.entries(left).filter(([, value]) => value !== undefined);
  const rightEntries = Object.entries(right).filter(([, value]) => value !== undefined);
  const length = Math.min(leftEntries.length, rightEntries.length);
  for (let i = 0; i < length; i += 1) {
    const [leftName, leftValue] = leftEntries[i] as [string, unknown];
    const [rightName, rightValue] = rightEntries[i] as [string, unknown];
    const byType = typeRank(leftValue) - typeRank(rightValue);
    if (byType !== 0) return byType;
    const byName = compareStrings(leftName, rightName);
    if (byName !== 0) return byName;
    const byValue = compareValues(leftValue, rightValue);
    if (byValue !== 0) return byValue;
  }
  return leftEntries.length - rightEntries.length;
}

function compareArrays(left: unknown[], right: unknown[]): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const order = compareValues(left[i] ?? null, right[i] ?? null);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

interface BinaryLike {
  sub_type: number;
  buffer: Uint8Array;
  position: number;
}

/** Binary data: by length, then subtype, then bytes. */
function compareBinaries(left: BinaryLike, right: BinaryLike): number {
  const leftBytes = left.buffer.subarray(0, left.position);
  const rightBytes = right.buffer.subarray(0, right.position);
  if (leftBytes.length !== rightBytes.length) return leftBytes.length - rightBytes.length;
  if (left.sub_type !== right.sub_type) return left.sub_type - right.sub_type;
  return compareBytes(leftBytes, rightBytes);
}

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  return sign(Buffer.compare(left, right));
}

interface TimestampLike {
  t: number;
  i: number;
}

function compareTimestamps(left: TimestampLike, right: TimestampLike): number {
  return left.t !== right.t ? sign(left.t - right.t) : sign(left.i - right.i);
}

function compareRegExps(left: unknown, right: unknown): number {
  const parts = (value: unknown) =>
    value instanceof RegExp
      ? [value.source, value.flags]
      : [(value as { pattern: string }).pattern, (value as { options: string }).options];
  const [leftPattern, leftFlags] = parts(left) as [string, string];
  const [rightPattern, rightFlags] = parts(right) as [string, string];
  return compareStrings(leftPattern, rightPattern) || compareStrings(leftFlags, rightFlags);
}

function sign(value: number): number {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}
