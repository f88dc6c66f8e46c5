import type { Document } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import * as mingoAccumulators from 'mingo/operators/accumulator';
import * as mingoExpressions from 'mingo/operators/expression';
import * as mingoStages from 'mingo/operators/pipeline';
import type { Options } from 'mingo/types';
import { isObject } from 'mingo/util';
import { CommandError, notSupported } from '../errors';
import { compareValues, numericValue, TypeRank, typeRank, valuesEqual } from './bsonOrder';
import { sortDocuments } from './queryEngine';

/**
 * Aggregation expressions, accumulators and stages that mingo evaluates for this server. mingo only
 * gets the operators listed here; those whose meaning depends on MongoDB's comparison order, type
 * rules or truthiness are implemented below instead of mingo's (which compares values of different
 * types as unequal, treats a missing field as null, and NaN as false). Anything else is refused.
 */
type Operator = (document: unknown, argument: unknown, options: Options) => unknown;
type Accumulator = (collection: unknown[], argument: unknown, options: Options) => unknown;

/** mingo's own implementations, vouched for by the tests of this folder for the values this server stores. */
const MINGO_EXPRESSIONS = [
  '$arrayElemAt',
  '$concat',
  '$concatArrays',
  '$dateToString',
  '$isArray',
  '$let',
  '$literal',
  '$map',
  '$mergeObjects',
  '$rand',
  '$reverseArray',
] as const;
const MINGO_ACCUMULATORS = ['$count'] as const;
/** Stages mingo runs; `$match`, `$sort`, `$addFields`/`$set`, `$group`, `$facet` and `$lookup` are run by the server itself (aggregation.ts), `$project` with checks around mingo's (queryEngine.ts). */
export const MINGO_STAGES = ['$count', '$limit', '$project', '$replaceRoot', '$replaceWith', '$skip', '$unset', '$unwind'] as const;

/** MongoDB truthiness: false, null, missing and zero are false; everything else (NaN, '', [] included) is true. */
export function isTruthy(value: unknown): boolean {
  if (value === false || value === null || value === undefined) return false;
  if (typeRank(value) === TypeRank.Number) {
    const number = numericValue(value);
    return typeof number === 'bigint' ? number !== 0n : number !== 0;
  }
  return true;
}

function evaluate(document: unknown, expression: unknown, options: Options): unknown {
  return evalExpr(document, expression, options);
}

function evaluateArguments(document: unknown, argument: unknown, options: Options, operator: string, count?: number): unknown[] {
  const values = Array.isArray(argument)
    ? argument.map((part) => evaluate(document, part, options))
    : [evaluate(document, argument, options)];
  if (count !== undefined && values.length !== count) {
    throw new CommandError('BadValue', `Expression ${operator} takes exactly ${count} arguments. ${values.length} were passed in.`);
  }
  return values;
}

function comparison(operator: string, holds: (order: number) => unknown): Operator {
  return (document, argument, options) => {
    // The usual two-operand form is evaluated without building an array: comparisons are the hottest operators.
    if (Array.isArray(argument) && argument.length === 2) {
      return holds(compareValues(evaluate(document, argument[0], options), evaluate(document, argument[1], options)));
    }
    const [left, right] = evaluateArguments(document, argument, options, operator, 2);
    return holds(compareValues(left, right));
  };
}

function isNullish(value: unknown): boolean {
  return value === null || value === undefined;
}

/** `$add`/`$subtract`/`$multiply`/`$divide` on numbers (and dates for `$add`/`$subtract`); null or missing gives null. */
function numberOf(value: unknown, operator: string): number {
  if (typeRank(value) !== TypeRank.Number) throw new CommandError('TypeMismatch', `${operator} only supports numeric types`);
  const number = numericValue(value);
  if (typeof number === 'bigint') throw notSupported(`${operator} on integers beyond 2^53`);
  return number;
}

const add: Operator = (document, argument, options) => {
  const values = evaluateArguments(document, argument, options, '$add');
  if (values.some(isNullish)) return null;
  const dates = values.filter((value): value is Date => value instanceof Date);
  if (dates.length > 1) throw new CommandError('TypeMismatch', 'only one date allowed in an $add expression');
  const sum = values.reduce<number>((total, value) => total + (value instanceof Date ? value.getTime() : numberOf(value, '$add')), 0);
  return dates.length === 1 ? new Date(Math.round(sum)) : sum;
};

const subtract: Operator = (document, argument, options) => {
  const [left, right] = evaluateArguments(document, argument, options, '$subtract', 2);
  if (isNullish(left) || isNullish(right)) return null;
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  if (left instanceof Date) return new Date(Math.round(left.getTime() - numberOf(right, '$subtract')));
  return numberOf(left, '$subtract') - numberOf(right, '$subtract');
};

const multiply: Operator = (document, argument, options) => {
  const values = evaluateArguments(document, argument, options, '$multiply');
  if (values.some(isNullish)) return null;
  return values.reduce<number>((product, value) => product * numberOf(value, '$multiply'), 1);
};

const divide: Operator = (document, argument, options) => {
  const [left, right] = evaluateArguments(document, argument, options, '$divide', 2);
  if (isNullish(left) || isNullish(right)) return null;
  const divisor = numberOf(right, '$divide');
  if (divisor === 0) throw new CommandError('BadValue', "can't $divide by zero");
  return numberOf(left, '$divide') / divisor;
};

function rounding(operator: string, round: (value: number) => number): Operator {
  return (document, argument, options) => {
    const [value] = evaluateArguments(document, argument, options, operator, 1);
    return isNullish(value) ? null : round(numberOf(value, operator));
  };
}

const cond: Operator = (document, argument, options) => {
  const parts = Array.isArray(argument) ? argument : isObject(argument) ? [argument.if, argument.then, argument.else] : [];
  if (parts.length !== 3) throw new CommandError('BadValue', '$cond needs if, then and else');
  return isTruthy(evaluate(document, parts[0], options)) ? evaluate(document, parts[1], options) : evaluate(document, parts[2], options);
};

const switchOperator: Operator = (document, argument, options) => {
  const { branches, default: otherwise } = argument as { branches?: Array<{ case: unknown; then: unknown }>; default?: unknown };
  if (!Array.isArray(branches)) throw new CommandError('BadValue', '$switch needs an array of branches');
  for (const branch of branches) {
    if (isTruthy(evaluate(document, branch.case, options))) return evaluate(document, branch.then, options);
  }
  if (otherwise === undefined)
    throw new CommandError('BadValue', '$switch could not find a matching branch for an input, and no default was specified.');
  return evaluate(document, otherwise, options);
};

const ifNull: Operator = (document, argument, options) => {
  if (!Array.isArray(argument) || argument.length < 2) throw new CommandError('BadValue', '$ifNull needs at least two arguments');
  for (const [index, part] of argument.entries()) {
    const value = evaluate(document, part, options);
    if (!isNullish(value) || index === argument.length - 1) return value;
  }
  return null;
};

const inOperator: Operator = (document, argument, options) => {
  const [value, list] = evaluateArguments(document, argument, options, '$in', 2);
  if (!Array.isArray(list)) throw new CommandError('BadValue', '$in requires an array as a second argument');
  return list.some((element) => valuesEqual(element, value));
};

/** mingo's `$filter`, given a condition reduced to a boolean by MongoDB truthiness (mingo's own counts NaN as false). */
const filter: Operator = (document, argument, options) => {
  if (!isObject(argument)) throw new CommandError('BadValue', '$filter only supports an object as its argument');
  const mingoFilter = (mingoExpressions as unknown as Record<string, Operator>).$filter as Operator;
  return mingoFilter(document, { ...argument, cond: { $and: [argument.cond] } }, options);
};

/** `$sortArray: { input, sortBy }`: by BSON order of the elements (`sortBy: ±1`) or of their fields. */
const sortArray: Operator = (document, argument, options) => {
  const { input: inputExpression, sortBy } = argument as Document;
  const input = evaluate(document, inputExpression, options);
  if (isNullish(input)) return null;
  if (!Array.isArray(input)) throw new CommandError('BadValue', '$sortArray requires an array as input');
  if (sortBy === 1 || sortBy === -1) return [...input].sort((a, b) => (sortBy as number) * compareValues(a, b));
  throw notSupported('$sortArray by fields');
};

/**
 * The values an accumulator gathers: its argument evaluated on each document of the group (each its own
 * `$$ROOT`), or the items themselves when an expression such as `{ $max: [a, b] }` already listed them.
 */
function accumulated(collection: unknown[], argument: unknown, options: Options): unknown[] {
  if (argument === null || argument === undefined) return collection;
  // A constant (`{ $sum: 1 }`) is the same for every document.
  if (typeof argument === 'number' || typeof argument === 'boolean' || (typeof argument === 'string' && !argument.startsWith('$'))) {
    return new Array<unknown>(collection.length).fill(argument);
  }
  // ComputeOptions carries the root of the outer evaluation: each document must be its own root.
  const plainOptions = (options as { options?: Options }).options ?? options;
  return collection.map((item) => evaluate(item, argument, plainOptions));
}

/** `$min`/`$max` by BSON order, ignoring null and missing values. */
const extremum =
  (direction: 1 | -1): Accumulator =>
  (collection, argument, options) => {
    let best: unknown = null;
    for (const value of accumulated(collection, argument, options)) {
      if (isNullish(value)) continue;
      if (best === null || direction * compareValues(value, best) > 0) best = value;
    }
    return best;
  };

/** `$push` and `$addToSet` leave out missing values; `$addToSet` keeps one of equal values. */
const push: Accumulator = (collection, argument, options) =>
  accumulated(collection, argument, options).filter((value) => value !== undefined);

const addToSet: Accumulator = (collection, argument, options) => {
  const distinct: unknown[] = [];
  for (const value of push(collection, argument, options) as unknown[]) {
    if (!distinct.some((kept) => valuesEqual(kept, value))) distinct.push(value);
  }
  return distinct;
};

/**
 * `$topN: { n, sortBy, output }` (manual, "$topN (aggregation accumulator)"): the `output` of the first `n` documents
 * of the group in `sortBy` order (fewer when the group is smaller), a missing output as null. `n` is a positive
 * integer constant here (MongoDB also takes an expression of the group key).
 */
const topN: Accumulator = (collection, argument, options) => {
  if (!isObject(argument) || !('n' in argument) || !('sortBy' in argument) || !('output' in argument)) {
    throw new CommandError('FailedToParse', '$topN requires n, sortBy and output');
  }
  const { n, sortBy, output } = argument;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new CommandError('BadValue', "'n' must be a positive integer");
  if (!isObject(sortBy)) throw new CommandError('FailedToParse', '$topN requires sortBy to be an object');
  const top = sortDocuments([...(collection as Document[])], sortBy).slice(0, n);
  return accumulated(top, output, options).map((value) => value ?? null);
};

/** `$first`/`$last` give null for a missing value. */
const firstOrLast =
  (position: 'first' | 'last'): Accumulator =>
  (collection, argument, options) => {
    const values = accumulated(collection, argument, options);
    const value = position === 'first' ? values[0] : values[values.length - 1];
    return value ?? null;
  };

/** The `$first`/`$last` expressions: an element of an array (missing when it is empty); as accumulators, see above. */
const firstOrLastElement =
  (position: 'first' | 'last'): Operator =>
  (document, argument, options) => {
    if (Array.isArray(document)) return firstOrLast(position)(document, argument, options);
    const [array] = evaluateArguments(document, argument, options, `$${position}`, 1);
    if (isNullish(array)) return null;
    if (!Array.isArray(array)) throw new CommandError('BadValue', `$${position}'s argument must be an array`);
    return position === 'first' ? array[0] : array[array.length - 1];
  };

/** `$getField`/`$setField` name their field by a constant string (`{ $literal: '$name' }` for a `$` one), not by an expression. */
function withConstantField(operator: '$getField' | '$setField'): Operator {
  const mingoOperator = (mingoExpressions as unknown as Record<string, Operator>)[operator] as Operator;
  return (document, argument, options) => {
    const field = isObject(argument) ? argument.field : argument;
    const literal = isObject(field) && Object.keys(field).length === 1 ? field.$literal : undefined;
    if (!(typeof field === 'string' && !field.startsWith('$')) && typeof literal !== 'string') {
      throw new CommandError('BadValue', `${operator} requires 'field' to evaluate to a constant string`);
    }
    return mingoOperator(document, argument, options);
  };
}

/** `$size`: the length of an array; anything else, null included, is an error. */
const size: Operator = (document, argument, options) => {
  const [array] = evaluateArguments(document, argument, options, '$size', 1);
  if (!Array.isArray(array))
    throw new CommandError(
      'BadValue',
      `The argument to $size must be an array. Type of the argument was ${array === null ? 'null' : array === undefined ? 'missing' : typeof array}`,
    );
  return array.length;
};

/** `$toLower`/`$toUpper`: null or missing give the empty string; values other than strings are refused. */
function caseOf(operator: string, convert: (text: string) => string): Operator {
  return (document, argument, options) => {
    const [text] = evaluateArguments(document, argument, options, operator, 1);
    if (isNullish(text)) return '';
    if (typeof text !== 'string') throw notSupported(`${operator} of a value other than a string`);
    return convert(text);
  };
}

/** `$year`, `$month`, `$dayOfMonth` in UTC; null or missing give null. A `timezone` is refused. */
function datePart(operator: string, part: (date: Date) => number): Operator {
  return (document, argument, options) => {
    let expression = Array.isArray(argument) && argument.length === 1 ? argument[0] : argument;
    if (isObject(expression) && 'date' in expression) {
      const { date, ...others } = expression;
      if (Object.keys(others).length > 0) throw notSupported(`${operator} with ${Object.keys(others).join(', ')}`);
      expression = date;
    }
    const date = evaluate(document, expression, options);
    if (isNullish(date)) return null;
    if (!(date instanceof Date)) throw notSupported(`${operator} of a value other than a date`);
    return part(date);
  };
}

/** `$sum`/`$avg` ignore what is not a number, as MongoDB does. */
const sum: Accumulator = (collection, argument, options) => {
  let total = 0;
  for (const value of accumulated(collection, argument, options)) {
    if (typeRank(value) === TypeRank.Number) total += numberOf(value, '$sum');
  }
  return total;
};

const avg: Accumulator = (collection, argument, options) => {
  let total = 0;
  let count = 0;
  for (const value of accumulated(collection, argument, options)) {
    if (typeRank(value) !== TypeRank.Number) continue;
    total += numberOf(value, '$avg');
    count += 1;
  }
  return count === 0 ? null : total / count;
};

const EXPRESSIONS: Record<string, Operator> = {
  ...Object.fromEntries(
    MINGO_EXPRESSIONS.map((name) => [name, (mingoExpressions as unknown as Record<string, Operator>)[name] as Operator]),
  ),
  $eq: comparison('$eq', (order) => order === 0),
  $ne: comparison('$ne', (order) => order !== 0),
  $gt: comparison('$gt', (order) => order > 0),
  $gte: comparison('$gte', (order) => order >= 0),
  $lt: comparison('$lt', (order) => order < 0),
  $lte: comparison('$lte', (order) => order <= 0),
  $cmp: comparison('$cmp', (order) => Math.sign(order)),
  // Both stop at the first operand that decides, as mongod's do.
  $and: (document, argument, options) =>
    (Array.isArray(argument) ? argument : [argument]).every((part) => isTruthy(evaluate(document, part, options))),
  $or: (document, argument, options) =>
    (Array.isArray(argument) ? argument : [argument]).some((part) => isTruthy(evaluate(document, part, options))),
  $not: (document, argument, options) => !isTruthy(evaluateArguments(document, argument, options, '$not', 1)[0]),
  $cond: cond,
  $switch: switchOperator,
  $ifNull: ifNull,
  $in: inOperator,
  $filter: filter,
  $sortArray: sortArray,
  $size: size,
  $getField: withConstantField('$getField'),
  $setField: withConstantField('$setField'),
  // Only ASCII letters change case (manual: "$toLower", "$toUpper").
  $toLower: caseOf('$toLower', (text) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())),
  $toUpper: caseOf('$toUpper', (text) => text.replace(/[a-z]+/g, (letters) => letters.toUpperCase())),
  $year: datePart('$year', (date) => date.getUTCFullYear()),
  $month: datePart('$month', (date) => date.getUTCMonth() + 1),
  $dayOfMonth: datePart('$dayOfMonth', (date) => date.getUTCDate()),
  $first: firstOrLastElement('first'),
  $last: firstOrLastElement('last'),
  $add: add,
  $subtract: subtract,
  $multiply: multiply,
  $divide: divide,
  $floor: rounding('$floor', Math.floor),
  $ceil: rounding('$ceil', Math.ceil),
  $abs: rounding('$abs', Math.abs),
};

const ACCUMULATORS: Record<string, Accumulator> = {
  ...Object.fromEntries(
    MINGO_ACCUMULATORS.map((name) => [name, (mingoAccumulators as unknown as Record<string, Accumulator>)[name] as Accumulator]),
  ),
  $sum: sum,
  $avg: avg,
  $push: push,
  $addToSet: addToSet,
  $first: firstOrLast('first'),
  $last: firstOrLast('last'),
  $min: extremum(-1),
  $max: extremum(1),
  $topN: topN,
};

export const SUPPORTED_EXPRESSIONS: ReadonlySet<string> = new Set(Object.keys(EXPRESSIONS));
export const SUPPORTED_ACCUMULATORS: ReadonlySet<string> = new Set(Object.keys(ACCUMULATORS));

/** The only operators mingo may use: an operator missing here fails in mingo rather than answering its own way. */
export const EVALUATION_CONTEXT = Context.init({
  expression: EXPRESSIONS,
  accumulator: ACCUMULATORS,
  pipeline: Object.fromEntries(MINGO_STAGES.map((name) => [name, (mingoStages as unknown as Record<string, unknown>)[name]])) as never,
});

export const MINGO_OPTIONS: Partial<Options> = { idKey: '_id', scriptEnabled: false, useStrictMode: true, context: EVALUATION_CONTEXT };

/** An aggregation expression checked once, then evaluated against documents, with the command's `let` values as `$$name`. */
export function compileExpression(expression: unknown, variables?: Document): (document: Document) => unknown {
  assertSupportedExpression(expression);
  const options = { ...MINGO_OPTIONS, variables } as Options;
  return (document) => evalExpr(document, expression, options);
}

/** An accumulator of `$group` over the documents of one group. */
export function compileAccumulator(operator: string, argument: unknown, variables?: Document): (documents: Document[]) => unknown {
  assertSupportedAccumulator(operator, argument);
  const accumulator = ACCUMULATORS[operator] as Accumulator;
  const options = { ...MINGO_OPTIONS, variables } as Options;
  // A null argument is the literal null for each document, not the documents themselves (see `accumulated`).
  const expression = argument === null ? { $literal: null } : argument;
  return (documents) => accumulator(documents, expression, options);
}

/**
 * A command's `let`: each value is an expression evaluated once, before the command runs (so
 * `{ $rand: {} }` is one number for every document, and `{ $literal: { $x: 1 } }` the document `{ $x: 1 }`).
 */
export function evaluateLet(letParameters: Document | undefined): Document | undefined {
  if (letParameters === undefined) return undefined;
  const values: Document = {};
  for (const [name, expression] of Object.entries(letParameters)) {
    if (!/^[a-z\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*$/.test(name))
      throw new CommandError('FailedToParse', `'${name}' starts with an invalid character for a user variable name`);
    values[name] = compileExpression(expression)({});
  }
  return values;
}

/** Throws the refusal for the first expression operator (or accumulator, where one is expected) not listed above. */
export function assertSupportedExpression(expression: unknown): void {
  if (Array.isArray(expression)) {
    expression.forEach(assertSupportedExpression);
    return;
  }
  if (!isObject(expression)) return;
  for (const [key, argument] of Object.entries(expression)) {
    if (!key.startsWith('$')) {
      assertSupportedExpression(argument);
      continue;
    }
    if (!SUPPORTED_EXPRESSIONS.has(key) && !SUPPORTED_ACCUMULATORS.has(key)) throw notSupported(`the ${key} expression operator`);
    if (key === '$literal') continue;
    // Named arguments ({ input, as, cond }) hold expressions; so do the `vars` of $let.
    assertSupportedExpression(argument);
  }
}

export function assertSupportedAccumulator(name: string, argument: unknown): void {
  if (!SUPPORTED_ACCUMULATORS.has(name)) throw notSupported(`the ${name} accumulator`);
  assertSupportedExpression(argument);
}
