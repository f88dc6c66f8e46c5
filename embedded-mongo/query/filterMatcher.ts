import type { Document } from 'bson';
import { isObject } from 'mingo/util';
import { CommandError, notSupported } from '../errors';
import { bsonClassOf, compareValues, numericValue, TypeRank, typeRank, valuesEqual } from './bsonOrder';
import { compileExpression, isTruthy } from './expressions';

/**
 * MongoDB's query language, for the operators this server answers exactly as mongod does (manual,
 * "Query and Projection Operators"). Any other operator is refused, never guessed at.
 */
export type DocumentPredicate = (document: Document) => boolean;
type ValuePredicate = (reached: Reached) => boolean;

const FIELD_OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$exists',
  '$not',
  '$regex',
  '$options',
  '$elemMatch',
  '$size',
  '$all',
  '$type',
  '$mod',
]);
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** `variables` are the command's evaluated `let` values, visible as `$$name` inside `$expr`. */
export function compileMatcher(filter: Document, variables?: Document): DocumentPredicate {
  const clauses: DocumentPredicate[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$')) clauses.push(compileTopLevelOperator(field, condition, variables));
    else clauses.push(compileFieldCondition(field, condition, variables));
  }
  if (clauses.length === 1) return clauses[0] as DocumentPredicate;
  return (document) => clauses.every((clause) => clause(document));
}

function compileTopLevelOperator(operator: string, operand: unknown, variables?: Document): DocumentPredicate {
  switch (operator) {
    case '$and':
    case '$or':
    case '$nor': {
      if (!Array.isArray(operand) || operand.length === 0) throw new CommandError('BadValue', `${operator} must be a nonempty array`);
      const clauses = operand.map((clause) => {
        if (!isObject(clause)) throw new CommandError('BadValue', `${operator} argument's entries must be objects`);
        return compileMatcher(clause, variables);
      });
      if (operator === '$and') return (document) => clauses.every((clause) => clause(document));
      if (operator === '$or') return (document) => clauses.some((clause) => clause(document));
      return (document) => !clauses.some((clause) => clause(document));
    }
    case '$expr': {
      const evaluate = compileExpression(operand, variables);
      return (document) => isTruthy(evaluate(document));
    }
    case '$comment':
      return () => true;
    default:
      throw notSupported(`the ${operator} query operator`);
  }
}

/**
 * What a path reaches in a document: its values (arrays found at the end of the path are kept whole;
 * each predicate decides whether it also looks at their elements), and whether the path is missing
 * somewhere because it went through an array (`a.b` on `{ a: [{ b: 1 }, { c: 2 }] }`).
 */
interface Reached {
  values: unknown[];
  missingUnderArray: boolean;
}

export function reachPath(document: Document, path: string): Reached {
  const reached: Reached = { values: [], missingUnderArray: false };
  collect(document, path.split('.'), 0, reached, false);
  return reached;
}

function collect(value: unknown, segments: string[], depth: number, reached: Reached, underArray: boolean): void {
  if (depth === segments.length) {
    if (value !== undefined) reached.values.push(value);
    else if (underArray) reached.missingUnderArray = true;
    return;
  }
  const segment = segments[depth] as string;
  if (Array.isArray(value)) {
    // A numeric segment names an element; MongoDB also looks for a field of that name in the elements.
    if (/^\d+$/.test(segment) && Number(segment) < value.length) collect(value[Number(segment)], segments, depth + 1, reached, underArray);
    if (value.length === 0) reached.missingUnderArray = true;
    for (const element of value) {
      if (isObject(element)) collect(element[segment], segments, depth + 1, reached, true);
      else reached.missingUnderArray = true;
    }
    return;
  }
  if (isObject(value)) collect(value[segment], segments, depth + 1, reached, underArray);
  // A DBRef's fields are `$ref`, `$id` and `$db`, as stored.
  else if (bsonClassOf(value) === 'DBRef')
    collect((value as { toJSON(): Document }).toJSON()[segment], segments, depth + 1, reached, underArray);
  else if (underArray) reached.missingUnderArray = true;
}

/** A value reached, then, when it is an array, each of its elements: what most operators compare. */
function candidatesOf(values: unknown[]): unknown[] {
  const candidates: unknown[] = [];
  for (const value of values) {
    candidates.push(value);
    if (Array.isArray(value)) candidates.push(...(value as unknown[]));
  }
  return candidates;
}

function compileFieldCondition(path: string, condition: unknown, variables?: Document): DocumentPredicate {
  const test = compileCondition(path, condition, variables);
  return (document) => test(reachPath(document, path));
}

function compileCondition(path: string, condition: unknown, variables?: Document): ValuePredicate {
  switch (conditionKind(condition)) {
    case 'equality':
      return condition instanceof RegExp ? regexTest(condition) : equalityTest(path, condition);
    case 'malformed':
      throw new CommandError('BadValue', `unknown operator in the condition on '${path}': operators and fields cannot be mixed`);
    case 'operators':
      break;
  }
  const operators = condition as Document;
  const tests: ValuePredicate[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    if (!FIELD_OPERATORS.has(operator)) throw notSupported(`the ${operator} query operator`);
    if (operator === '$options') {
      if (!('$regex' in operators)) throw new CommandError('BadValue', '$options needs a $regex');
      continue;
    }
    tests.push(compileOperator(path, operator, operand, operators, variables));
  }
  return (reached) => tests.every((test) => test(reached));
}

function compileOperator(path: string, operator: string, operand: unknown, operators: Document, variables?: Document): ValuePredicate {
  switch (operator) {
    case '$eq':
      return operand instanceof RegExp
        ? (reached) => candidatesOf(reached.values).some((value) => valuesEqual(value, operand))
        : equalityTest(path, operand);
    case '$ne': {
      if (operand instanceof RegExp) throw new CommandError('BadValue', "Can't have regex as arg to $ne.");
      const equal = compileOperator(path, '$eq', operand, operators, variables);
      return (reached) => !equal(reached);
    }
    case '$in':
      return inTest(path, operand);
    case '$nin': {
      const included = inTest(path, operand);
      return (reached) => !included(reached);
    }
    case '$exists':
      return isTruthy(operand) ? (reached) => reached.values.length > 0 : (reached) => reached.values.length === 0;
    case '$not':
      return notTest(path, operand, variables);
    case '$regex':
      return regexTest(regexOf(operand, operators.$options));
    case '$elemMatch':
      return elemMatchTest(path, operand, variables);
    case '$size': {
      if (typeof operand !== 'number' || !Number.isInteger(operand)) throw new CommandError('BadValue', '$size needs a whole number');
      return (reached) => reached.values.some((value) => Array.isArray(value) && value.length === operand);
    }
    case '$all':
      return allTest(path, operand);
    case '$type':
      return typeTest(operand);
    case '$mod':
      return modTest(operand);
    default:
      if (RANGE_OPERATORS.has(operator)) return rangeTest(operator, operand);
      throw notSupported(`the ${operator} query operator`);
  }
}

/**
 * `{ f: v }` and `{ f: { $eq: v } }` (manual, "Query for Null or Missing Fields"): null matches a missing
 * field, a null value or an array holding null; any other value matches an equal value or an array
 * holding one, and never a missing field.
 */
function equalityTest(path: string, operand: unknown): ValuePredicate {
  if (operand === undefined) throw new CommandError('BadValue', `cannot compare '${path}' to undefined`);
  assertComparableOperand(operand);
  if (operand === null) {
    return (reached) => {
      if (reached.missingUnderArray) throw notSupported(`matching null on '${path}' where the path goes through an array`);
      return reached.values.length === 0 || candidatesOf(reached.values).some((value) => value === null);
    };
  }
  return (reached) => candidatesOf(reached.values).some((value) => valuesEqual(value, operand));
}

function inTest(path: string, operand: unknown): ValuePredicate {
  if (!Array.isArray(operand)) throw new CommandError('BadValue', '$in needs an array');
  const tests = operand.map((value) => {
    if (isObject(value) && Object.keys(value).some((key) => key.startsWith('$'))) {
      throw new CommandError('BadValue', 'cannot nest $ under $in');
    }
    return value instanceof RegExp ? regexTest(value) : equalityTest(path, value);
  });
  return (reached) => tests.some((test) => test(reached));
}

function notTest(path: string, operand: unknown, variables?: Document): ValuePredicate {
  if (operand instanceof RegExp) {
    const matches = regexTest(operand);
    return (reached) => !matches(reached);
  }
  if (conditionKind(operand) !== 'operators' || Object.keys(operand as Document).length === 0) {
    throw new CommandError('BadValue', '$not needs a regex or a document of operators');
  }
  const matches = compileCondition(path, operand, variables);
  return (reached) => !matches(reached);
}

/** Query comparisons stay within a type bracket (manual, "Comparison Query Operators", type bracketing). */
function rangeTest(operator: string, operand: unknown): ValuePredicate {
  assertComparableOperand(operand);
  const rank = typeRank(operand);
  if (rank === TypeRank.MinKey || rank === TypeRank.MaxKey || rank === TypeRank.Array || rank === TypeRank.RegExp) {
    throw notSupported(`${operator} with a ${Array.isArray(operand) ? 'array' : (bsonClassOf(operand) ?? 'regular expression')} operand`);
  }
  const inclusive = operator === '$gte' || operator === '$lte';
  if (rank === TypeRank.Null) {
    // Only null (or missing) is in null's bracket: $gte/$lte null are $eq null, $gt/$lt null match nothing.
    const equalsNull = equalityTest('', null);
    return inclusive ? equalsNull : () => false;
  }
  const holds = (order: number) =>
    operator === '$gt' ? order > 0 : operator === '$gte' ? order >= 0 : operator === '$lt' ? order < 0 : order <= 0;
  const operandIsNaN = isNaNValue(operand);
  return (reached) =>
    candidatesOf(reached.values).some((value) => {
      if (typeRank(value) !== rank) return false;
      // NaN equals NaN and otherwise compares false (mongod's special case).
      if (operandIsNaN || isNaNValue(value)) return inclusive && operandIsNaN && isNaNValue(value);
      return holds(compareValues(value, operand));
    });
}

function isNaNValue(value: unknown): boolean {
  return typeof value === 'number' && Number.isNaN(value);
}

function regexOf(pattern: unknown, options: unknown): RegExp {
  if (options !== undefined && typeof options !== 'string') throw new CommandError('BadValue', '$options has to be a string');
  if (pattern instanceof RegExp) {
    if (options === undefined) return pattern;
    return buildRegExp(pattern.source, options);
  }
  if (typeof pattern !== 'string') throw new CommandError('BadValue', '$regex has to be a string');
  return buildRegExp(pattern, options ?? '');
}

/** mongod's options i, m and s have the same meaning in JavaScript; x (extended) has none. */
function buildRegExp(source: string, options: string): RegExp {
  for (const option of options) {
    if (!'ims'.includes(option)) throw notSupported(`the regular expression option '${option}'`);
  }
  try {
    return new RegExp(source, options);
  } catch {
    throw notSupported(`the regular expression /${source}/`);
  }
}

function regexTest(regex: RegExp): ValuePredicate {
  const flags = regex.flags.replace(/[gy]/g, '');
  for (const flag of flags) {
    if (!'ims'.includes(flag)) throw notSupported(`the regular expression flag '${flag}'`);
  }
  const pattern = new RegExp(regex.source, flags);
  return (reached) =>
    candidatesOf(reached.values).some(
      (value) => (typeof value === 'string' && pattern.test(value)) || (value instanceof RegExp && valuesEqual(value, regex)),
    );
}

/** `$elemMatch`: one element of an array value meets every condition (on the element itself, or on its fields). */
function elemMatchTest(path: string, operand: unknown, variables?: Document): ValuePredicate {
  if (!isObject(operand)) throw new CommandError('BadValue', '$elemMatch needs an Object');
  const keys = Object.keys(operand);
  const onValue = keys.length > 0 && keys.every((key) => key.startsWith('$') && !['$and', '$or', '$nor', '$expr'].includes(key));
  let matchesElement: (element: unknown) => boolean;
  if (onValue) {
    const condition = compileCondition(path, operand, variables);
    matchesElement = (element) => condition({ values: [element], missingUnderArray: false });
  } else {
    const filter = compileMatcher(operand, variables);
    matchesElement = (element) => isObject(element) && filter(element);
  }
  return (reached) => reached.values.some((value) => Array.isArray(value) && value.some(matchesElement));
}

function allTest(path: string, operand: unknown): ValuePredicate {
  if (!Array.isArray(operand)) throw new CommandError('BadValue', '$all needs an array');
  if (operand.some((value) => isObject(value) && '$elemMatch' in value)) throw notSupported('$all with $elemMatch');
  const tests = operand.map((value) => (value instanceof RegExp ? regexTest(value) : equalityTest(path, value)));
  // An empty $all matches nothing.
  return (reached) => tests.length > 0 && tests.every((test) => test(reached));
}

/**
 * `$type` by alias or number, for the types this server keeps apart. Numbers lose their BSON type in
 * memory (an integral double comes back as an int), so only the `number` alias is answered for them.
 */
const TYPE_ALIASES: Record<string, (value: unknown) => boolean> = {
  number: (value) => typeRank(value) === TypeRank.Number,
  string: (value) => typeof value === 'string',
  object: (value) => typeRank(value) === TypeRank.Object,
  array: (value) => Array.isArray(value),
  binData: (value) => bsonClassOf(value) === 'Binary',
  objectId: (value) => bsonClassOf(value) === 'ObjectId',
  bool: (value) => typeof value === 'boolean',
  date: (value) => value instanceof Date,
  null: (value) => value === null,
  regex: (value) => typeRank(value) === TypeRank.RegExp,
  timestamp: (value) => bsonClassOf(value) === 'Timestamp',
  minKey: (value) => bsonClassOf(value) === 'MinKey',
  maxKey: (value) => bsonClassOf(value) === 'MaxKey',
};
const TYPE_NUMBERS: Record<number, string> = {
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  17: 'timestamp',
  [-1]: 'minKey',
  127: 'maxKey',
};

function typeTest(operand: unknown): ValuePredicate {
  const types = (Array.isArray(operand) ? operand : [operand]).map((type) => {
    const alias = typeof type === 'number' ? TYPE_NUMBERS[type] : type;
    const test = typeof alias === 'string' ? TYPE_ALIASES[alias] : undefined;
    if (test === undefined) throw notSupported(`$type ${JSON.stringify(type)}`);
    return test;
  });
  return (reached) => candidatesOf(reached.values).some((value) => types.some((test) => test(value)));
}

/** `$mod: [divisor, remainder]`: both truncated to integers, as the field's value is. */
function modTest(operand: unknown): ValuePredicate {
  if (!Array.isArray(operand) || operand.length !== 2 || !operand.every((part) => typeof part === 'number' && Number.isFinite(part))) {
    throw new CommandError('BadValue', 'malformed mod, needs to be an array of two finite numbers');
  }
  const [divisor, remainder] = (operand as number[]).map(Math.trunc) as [number, number];
  if (divisor === 0) throw new CommandError('BadValue', 'divisor cannot be 0');
  return (reached) =>
    candidatesOf(reached.values).some((value) => {
      if (typeRank(value) !== TypeRank.Number) return false;
      const number = numericValue(value);
      if (typeof number === 'bigint') return number % BigInt(divisor) === BigInt(remainder);
      return Number.isFinite(number) && Math.trunc(number) % divisor === remainder;
    });
}

/** Operand types compared exactly here; others (Decimal128, code...) are refused by typeRank. */
function assertComparableOperand(operand: unknown): void {
  typeRank(operand);
}

/**
 * How MongoDB reads the condition on one field of a filter: `{ $gt: 1 }` holds operators, while a
 * value without `$` keys (`5`, `{ city: 'Lyon' }`) must be equal. Mixing both is malformed.
 */
export function conditionKind(condition: unknown): 'operators' | 'equality' | 'malformed' {
  if (!isObject(condition)) return 'equality';
  const keys = Object.keys(condition);
  const operatorCount = keys.filter((key) => key.startsWith('$')).length;
  if (operatorCount === 0) return 'equality';
  return operatorCount === keys.length ? 'operators' : 'malformed';
}
