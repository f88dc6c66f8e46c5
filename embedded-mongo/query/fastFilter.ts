import type { Document } from 'bson';
import { conditionKind } from './filterMatcher';

/** true or false when the native test can tell; undefined leaves the document to the general matcher. */
export type Verdict = boolean | undefined;
export type FastPredicate = (document: Document) => Verdict;
type ValueTest = (value: unknown) => Verdict;

const RANGE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'] as const;
type RangeOperator = (typeof RANGE_OPERATORS)[number];
const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A top-level field read as `document[field]`: no path, and no name an object inherits (`constructor`, `__proto__`...). */
export function isPlainField(field: string): boolean {
  return PLAIN_FIELD.test(field) && !(field in Object.prototype);
}

/**
 * A native predicate for the filters the graph sends on every request: equality, `$in` and ranges on
 * top-level fields, with string, number, boolean or Date operands (`{ districtId: { $in: [...] },
 * openedAt: { $gte: date } }`). mingo evaluated them through generic machinery that cost more than the
 * rest of an aggregate. A stored value the native test does not know (a Long, an ObjectId, a nested
 * document...) gets `undefined`, so the general matcher (filterMatcher.ts) decides; a filter with anything
 * else compiles to undefined.
 */
export function compileFastFilter(filter: Document): FastPredicate | undefined {
  const fields: string[] = [];
  const tests: ValueTest[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (!isPlainField(field)) return undefined;
    const test = conditionTest(condition);
    if (test === undefined) return undefined;
    fields.push(field);
    tests.push(test);
  }
  return (document) => {
    let verdict: Verdict = true;
    for (let i = 0; i < fields.length; i += 1) {
      const fieldVerdict = tests[i]!(document[fields[i]!]);
      if (fieldVerdict === false) return false;
      if (fieldVerdict === undefined) verdict = undefined;
    }
    return verdict;
  };
}

function conditionTest(condition: unknown): ValueTest | undefined {
  switch (conditionKind(condition)) {
    case 'equality':
      return anyElement(equalityTest(condition));
    case 'operators': {
      const tests: ValueTest[] = [];
      for (const [operator, operand] of Object.entries(condition as Document)) {
        // Each operator may be met by a different element of an array value, as in MongoDB.
        const test = anyElement(
          operator === '$eq' ? equalityTest(operand) : operator === '$in' ? inTest(operand) : rangeTest(operator, operand),
        );
        if (test === undefined) return undefined;
        tests.push(test);
      }
      return (value) => {
        let verdict: Verdict = true;
        for (const test of tests) {
          const operatorVerdict = test(value);
          if (operatorVerdict === false) return false;
          if (operatorVerdict === undefined) verdict = undefined;
        }
        return verdict;
      };
    }
    case 'malformed':
      return undefined;
  }
}

/** Applies a scalar test to a value, or to each element of an array value (matching if one does). */
function anyElement(test: ValueTest | undefined): ValueTest | undefined {
  if (test === undefined) return undefined;
  return (value) => {
    if (!Array.isArray(value)) return test(value);
    let verdict: Verdict = false;
    for (const element of value) {
      if (Array.isArray(element)) return undefined;
      const elementVerdict = test(element);
      if (elementVerdict === true) return true;
      if (elementVerdict === undefined) verdict = undefined;
    }
    return verdict;
  };
}

/** Stored values a native test cannot judge: BSON wrappers and documents, which the general matcher compares by BSON rules. */
function isForeign(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

function equalityTest(operand: unknown): ValueTest | undefined {
  if (typeof operand === 'string' || typeof operand === 'boolean' || (typeof operand === 'number' && !Number.isNaN(operand))) {
    return (value) => (value === operand ? true : isForeign(value) ? undefined : false);
  }
  if (operand instanceof Date && !Number.isNaN(operand.getTime())) {
    const time = operand.getTime();
    return (value) => (value instanceof Date ? value.getTime() === time : isForeign(value) ? undefined : false);
  }
  return undefined;
}

function inTest(operand: unknown): ValueTest | undefined {
  if (!Array.isArray(operand) || !operand.every((value) => typeof value === 'string')) return undefined;
  const values = new Set<string>(operand);
  return (value) => (typeof value === 'string' ? values.has(value) : isForeign(value) ? undefined : false);
}

function rangeTest(operator: string, operand: unknown): ValueTest | undefined {
  if (!(RANGE_OPERATORS as readonly string[]).includes(operator)) return undefined;
  const holds = (value: number, bound: number) => compare(operator as RangeOperator, value, bound);
  if (typeof operand === 'number' && !Number.isNaN(operand)) {
    return (value) => {
      if (typeof value === 'number') return Number.isNaN(value) ? undefined : holds(value, operand);
      return isForeign(value) ? undefined : false;
    };
  }
  if (operand instanceof Date && !Number.isNaN(operand.getTime())) {
    const time = operand.getTime();
    return (value) => (value instanceof Date ? holds(value.getTime(), time) : isForeign(value) ? undefined : false);
  }
  return undefined;
}

function compare(operator: RangeOperator, value: number, bound: number): boolean {
  switch (operator) {
    case '$gt':
      return value > bound;
    case '$gte':
      return value >= bound;
    case '$lt':
      return value < bound;
    case '$lte':
      return value <= bound;
  }
}
