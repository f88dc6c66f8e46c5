import type { Document } from 'bson';
import { isObject } from 'mingo/util';
import { valueKey } from '../storage/valueKey';
import { compareValues, valuesEqual } from './bsonOrder';
import { isTruthy } from './expressions';
import { isPlainField } from './fastFilter';

/**
 * A native `$group` for the shapes the graph's statistics use: `_id` a field path or a document of
 * expressions, accumulators `$sum`, `$push` and `$addToSet` over field paths, literals, `$cond`,
 * `$ifNull`, `$and`, `$or`, `$not`, `$in`, comparisons, `$subtract` and `$divide`. mingo evaluates
 * each expression through generic machinery at several microseconds a time, which made it the main
 * cost of a dashboard. Results are the general `$group`'s (aggregation.ts), to the value and the
 * order of groups: anything else (a BSON wrapper, a nested document or array, an operator not
 * listed, an error case) makes the whole stage go back to it.
 */

/** Thrown while grouping when a value is one the native evaluation does not handle: the general `$group` takes over. */
export class NotNative extends Error {}
const NOT_NATIVE = new NotNative('left to the general $group');

type Evaluate = (document: Document) => unknown;
type Accumulate = (documents: readonly Document[]) => unknown;
export type NativeGroup = (documents: readonly Document[]) => Document[];

const COMPARISONS = new Set(['$lt', '$lte', '$gt', '$gte']);

/** The stage compiled, or undefined when it uses something the native evaluation does not cover. */
export function compileGroup(specification: unknown): NativeGroup | undefined {
  if (!isObject(specification) || !('_id' in specification)) return undefined;
  const { _id: idExpression, ...fields } = specification;
  const groupKey = compileGroupKey(idExpression);
  if (groupKey === undefined) return undefined;
  const accumulators: Array<[string, Accumulate]> = [];
  for (const [name, accumulator] of Object.entries(fields)) {
    const accumulate = compileAccumulator(accumulator);
    if (accumulate === undefined || name.startsWith('$')) return undefined;
    accumulators.push([name, accumulate]);
  }

  return (documents) => {
    const groups = new Map<string, { id: unknown; members: Document[] }>();
    for (const document of documents) {
      const { key, id } = groupKey(document);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { id, members: [document] });
      else group.members.push(document);
    }
    return [...groups.values()].map(({ id, members }) => {
      const output: Document = { _id: id };
      for (const [name, accumulate] of accumulators) output[name] = accumulate(members);
      return output;
    });
  };
}

function compileGroupKey(expression: unknown): ((document: Document) => { key: string; id: unknown }) | undefined {
  if (isObject(expression) && !Object.keys(expression).some((name) => name.startsWith('$'))) {
    const parts = Object.entries(expression).map(([name, part]) => [name, compileExpression(part)] as const);
    if (parts.some(([, evaluate]) => evaluate === undefined)) return undefined;
    return (document) => {
      const id: Document = {};
      let key = '';
      for (const [name, evaluate] of parts) {
        const value = evaluate!(document);
        // A missing part is left out of the key: the general $group handles it.
        if (value === undefined) throw NOT_NATIVE;
        id[name] = value;
        key += `${keyOf(value)}|`;
      }
      return { key, id };
    };
  }
  const evaluate = compileExpression(expression);
  if (evaluate === undefined) return undefined;
  return (document) => {
    const id = evaluate(document) ?? null;
    return { key: keyOf(id), id };
  };
}

function compileAccumulator(accumulator: unknown): Accumulate | undefined {
  if (!isObject(accumulator)) return undefined;
  const entries = Object.entries(accumulator);
  if (entries.length !== 1) return undefined;
  const [[operator, argument]] = entries as [[string, unknown]];
  if (operator === '$sum' && typeof argument === 'number') return (members) => members.length * argument;
  // `{ $push: null }` pushes null for every document: rare enough to leave to the general $group.
  if (argument === null) return undefined;
  const evaluate = compileExpression(argument);
  if (evaluate === undefined) return undefined;
  switch (operator) {
    case '$sum':
      return (members) => {
        let sum = 0;
        for (const member of members) {
          const value = evaluate(member);
          if (typeof value === 'number') sum += value;
        }
        return sum;
      };
    // A missing value is not pushed (manual, "$push" and "$addToSet" accumulators).
    case '$push':
      return (members) => {
        const pushed: unknown[] = [];
        for (const member of members) {
          const value = evaluate(member);
          if (value !== undefined) pushed.push(value);
        }
        return pushed;
      };
    case '$addToSet':
      return (members) => {
        const distinct = new Map<string, unknown>();
        for (const member of members) {
          const value = evaluate(member);
          if (value === undefined) continue;
          const key = keyOf(value);
          if (!distinct.has(key)) distinct.set(key, value);
        }
        return [...distinct.values()];
      };
    default:
      return undefined;
  }
}

function compileExpression(expression: unknown): Evaluate | undefined {
  if (typeof expression === 'string') {
    if (!expression.startsWith('$')) return () => expression;
    const field = expression.slice(1);
    if (!isPlainField(field)) return undefined;
    return (document) => plainValue(document[field]);
  }
  if (expression === null || typeof expression === 'number' || typeof expression === 'boolean' || expression instanceof Date) {
    return () => expression;
  }
  if (!isObject(expression)) return undefined;
  const entries = Object.entries(expression);
  if (entries.length !== 1 || !entries[0]![0].startsWith('$')) return undefined;
  const [[operator, argument]] = entries as [[string, unknown]];
  return compileOperator(operator, argument);
}

function compileOperator(operator: string, argument: unknown): Evaluate | undefined {
  if (operator === '$in') return compileIn(argument);
  if (operator === '$not') return compileNot(argument);
  if (operator === '$cond') return compileCond(argument);
  const operands = compileOperands(argument);
  if (operands === undefined) return undefined;
  switch (operator) {
    case '$and':
      return (document) => operands.every((operand) => isTruthy(operand(document)));
    case '$or':
      return (document) => operands.some((operand) => isTruthy(operand(document)));
    case '$ifNull':
      return (document) => {
        let value: unknown;
        for (const operand of operands) {
          value = operand(document);
          if (value !== null && value !== undefined) return value;
        }
        return value;
      };
  }
  if (operands.length !== 2) return undefined;
  const [left, right] = operands as [Evaluate, Evaluate];
  if (operator === '$eq') return (document) => equals(left(document), right(document));
  if (operator === '$ne') return (document) => !equals(left(document), right(document));
  if (COMPARISONS.has(operator)) return (document) => compares(operator, left(document), right(document));
  if (operator === '$subtract') return (document) => subtract(left(document), right(document));
  if (operator === '$divide') return (document) => divide(left(document), right(document));
  return undefined;
}

function compileOperands(argument: unknown): Evaluate[] | undefined {
  if (!Array.isArray(argument)) return undefined;
  const operands = argument.map(compileExpression);
  return operands.every((operand) => operand !== undefined) ? operands : undefined;
}

function compileCond(argument: unknown): Evaluate | undefined {
  const parts = Array.isArray(argument)
    ? argument
    : isObject(argument) && Object.keys(argument).length === 3
      ? [argument.if, argument.then, argument.else]
      : undefined;
  if (parts?.length !== 3) return undefined;
  const operands = compileOperands(parts);
  if (operands === undefined) return undefined;
  const [condition, then, otherwise] = operands as [Evaluate, Evaluate, Evaluate];
  return (document) => (isTruthy(condition(document)) ? then(document) : otherwise(document));
}

/** `$not: [expression]` or `$not: expression`, by MongoDB truthiness. */
function compileNot(argument: unknown): Evaluate | undefined {
  const operands = Array.isArray(argument) ? argument : [argument];
  if (operands.length !== 1) return undefined;
  const operand = compileExpression(operands[0]);
  return operand && ((document) => !isTruthy(operand(document)));
}

/** `$in: [expression, [literals]]`: the list must be literal strings, numbers or booleans. */
function compileIn(argument: unknown): Evaluate | undefined {
  if (!Array.isArray(argument) || argument.length !== 2 || !Array.isArray(argument[1])) return undefined;
  const list = argument[1] as unknown[];
  if (
    !list.every((value) => typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value)))
  )
    return undefined;
  const item = compileExpression(argument[0]);
  if (item === undefined) return undefined;
  const values = new Set(list);
  return (document) => {
    const value = item(document);
    if (value === null || value === undefined || value instanceof Date || Object.is(value, -0)) throw NOT_NATIVE;
    return values.has(value);
  };
}

/** The values the native evaluation knows; any other (BSON wrappers, documents, arrays) goes to the general $group. */
function plainValue(value: unknown): unknown {
  if (value === null || value === undefined || value instanceof Date) return value;
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || type === 'number') return value;
  throw NOT_NATIVE;
}

/** Missing and null differ here, as in aggregation expressions; numbers compare by value. */
function equals(left: unknown, right: unknown): boolean {
  return valuesEqual(left, right);
}

/** Aggregation comparisons use the full BSON order across types (missing < null < numbers < strings...). */
function compares(operator: string, left: unknown, right: unknown): boolean {
  const order = compareValues(left, right);
  switch (operator) {
    case '$lt':
      return order < 0;
    case '$lte':
      return order <= 0;
    case '$gt':
      return order > 0;
    default:
      return order >= 0;
  }
}

function subtract(left: unknown, right: unknown): unknown {
  if (left === null || left === undefined || right === null || right === undefined) return null;
  if (left instanceof Date && right instanceof Date) return left.getTime() - right.getTime();
  if (left instanceof Date && typeof right === 'number' && !Number.isNaN(right)) return new Date(left.getTime() - Math.round(right));
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  throw NOT_NATIVE;
}

function divide(left: unknown, right: unknown): unknown {
  if (left === null || left === undefined || right === null || right === undefined) return null;
  if (typeof left !== 'number' || typeof right !== 'number' || Number.isNaN(left) || Number.isNaN(right) || right === 0) throw NOT_NATIVE;
  return left / right;
}

/** The storage's key of a value (equal for values MongoDB groups together); -0 is left to the general $group. */
function keyOf(value: unknown): string {
  if (Object.is(value, -0)) throw NOT_NATIVE;
  return valueKey(value);
}
