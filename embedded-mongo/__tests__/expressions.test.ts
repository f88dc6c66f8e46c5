import type { Document } from 'bson';
import { CommandError } from '../errors';
import { compileExpression, SUPPORTED_ACCUMULATORS, SUPPORTED_EXPRESSIONS } from '../query/expressions';
import { groupStage } from '../query/aggregation';

/**
 * Every expression operator and accumulator on the server's allow-list, against results written by
 * hand from its page of the MongoDB manual (Aggregation Operators), with null and missing inputs.
 */
const DOCUMENT: Document = {
  _id: 1,
  numbers: [1, 2, 3],
  nested: [1, [2, 3]],
  text: 'AbÉ',
  day: new Date('2026-03-05T22:30:00Z'),
  nothing: null,
  object: { a: 1 },
  decimal: 2.5,
};
const MISSING = Symbol('missing');

const evaluate = (expression: unknown): unknown => {
  const value = compileExpression(expression)(DOCUMENT);
  return value === undefined ? MISSING : value;
};

const CASES: Array<[string, unknown, unknown]> = [
  // Comparison: BSON order across types, a missing field below null.
  ['$eq', { $eq: ['$nothing', null] }, true],
  ['$eq', { $eq: ['$absent', null] }, false],
  ['$ne', { $ne: [1, '1'] }, true],
  ['$gt', { $gt: ['a', 99] }, true],
  ['$gte', { $gte: ['$absent', null] }, false],
  ['$lt', { $lt: ['$absent', null] }, true],
  ['$lte', { $lte: [[1], { a: 1 }] }, false],
  ['$cmp', { $cmp: ['$day', true] }, 1],
  // Boolean: false, null, missing and 0 are false; '' and NaN are true.
  ['$and', { $and: ['', Number.NaN, 1] }, true],
  ['$or', { $or: [0, null, '$absent'] }, false],
  ['$not', { $not: [''] }, false],
  // Conditional.
  ['$cond', { $cond: ['$absent', 'yes', 'no'] }, 'no'],
  ['$switch', { $switch: { branches: [{ case: { $gt: ['$decimal', 2] }, then: 'big' }], default: 'small' } }, 'big'],
  ['$ifNull', { $ifNull: ['$absent', '$nothing', 'fallback'] }, 'fallback'],
  // Arithmetic: null or missing give null.
  ['$add', { $add: ['$day', 1000] }, new Date('2026-03-05T22:30:01Z')],
  ['$add', { $add: [1, '$absent'] }, null],
  ['$subtract', { $subtract: ['$day', new Date('2026-03-05T22:00:00Z')] }, 30 * 60 * 1000],
  ['$multiply', { $multiply: ['$decimal', 2] }, 5],
  ['$divide', { $divide: [7, 2] }, 3.5],
  ['$floor', { $floor: '$decimal' }, 2],
  ['$ceil', { $ceil: null }, null],
  ['$abs', { $abs: -3 }, 3],
  // Arrays.
  ['$arrayElemAt', { $arrayElemAt: ['$numbers', -1] }, 3],
  ['$arrayElemAt', { $arrayElemAt: ['$numbers', 5] }, MISSING],
  ['$arrayElemAt', { $arrayElemAt: ['$absent', 0] }, null],
  ['$concatArrays', { $concatArrays: ['$numbers', '$nested'] }, [1, 2, 3, 1, [2, 3]]],
  ['$concatArrays', { $concatArrays: ['$numbers', '$absent'] }, null],
  ['$filter', { $filter: { input: '$numbers', as: 'n', cond: { $gte: ['$$n', 2] }, limit: 1 } }, [2]],
  ['$filter', { $filter: { input: '$absent', cond: true } }, null],
  ['$first', { $first: '$nested' }, 1],
  ['$last', { $last: '$nested' }, [2, 3]],
  ['$first', { $first: [[]] }, MISSING],
  ['$in', { $in: [2, '$numbers'] }, true],
  ['$isArray', { $isArray: ['$absent'] }, false],
  ['$map', { $map: { input: '$numbers', as: 'n', in: { $multiply: ['$$n', 10] } } }, [10, 20, 30]],
  ['$map', { $map: { input: '$nothing', in: 1 } }, null],
  ['$reverseArray', { $reverseArray: '$numbers' }, [3, 2, 1]],
  ['$size', { $size: '$nested' }, 2],
  ['$sortArray', { $sortArray: { input: [3, 'a', null, 1], sortBy: 1 } }, [null, 1, 3, 'a']],
  // Strings: null gives null for $concat, '' for $toLower/$toUpper; only ASCII letters change case.
  ['$concat', { $concat: ['x', '$text'] }, 'xAbÉ'],
  ['$concat', { $concat: ['x', '$absent'] }, null],
  ['$toLower', { $toLower: '$text' }, 'abÉ'],
  ['$toUpper', { $toUpper: '$nothing' }, ''],
  // Dates, in UTC.
  ['$year', { $year: '$day' }, 2026],
  ['$month', { $month: { date: '$day' } }, 3],
  ['$dayOfMonth', { $dayOfMonth: '$absent' }, null],
  ['$dateToString', { $dateToString: { format: '%Y-%m-%d %H:%M:%S.%L %j', date: '$day' } }, '2026-03-05 22:30:00.000 064'],
  ['$dateToString', { $dateToString: { date: '$absent' } }, null],
  // Objects, variables and literals.
  ['$mergeObjects', { $mergeObjects: ['$object', { b: 2 }, null, '$absent'] }, { a: 1, b: 2 }],
  ['$getField', { $getField: { field: 'a', input: '$object' } }, 1],
  ['$setField', { $setField: { field: { $literal: '$price' }, input: '$object', value: 5 } }, { a: 1, $price: 5 }],
  ['$setField', { $setField: { field: 'a', input: '$object', value: '$$REMOVE' } }, {}],
  ['$let', { $let: { vars: { x: 2 }, in: { $add: ['$$x', 1] } } }, 3],
  ['$literal', { $literal: { $add: [1, 1] } }, { $add: [1, 1] }],
  // An expression object leaves out fields whose value is missing.
  ['an expression object', { kept: 1, dropped: '$absent' }, { kept: 1 }],
];

describe('aggregation expressions', () => {
  it.each(CASES)('%s: %j', (_, expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  it('has a case for every operator it answers', () => {
    const covered = new Set(CASES.map(([operator]) => operator));
    const uncovered = [...SUPPORTED_EXPRESSIONS].filter(
      (operator) => !covered.has(operator) && !['$rand', '$sum', '$avg', '$min', '$max'].includes(operator),
    );
    expect(uncovered).toEqual([]);
  });

  it('draws $rand from [0, 1)', () => {
    const value = evaluate({ $rand: {} });
    expect(typeof value).toBe('number');
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1);
  });

  it.each([
    ['$size of null', { $size: '$nothing' }],
    ['$divide by zero', { $divide: [1, 0] }],
    ['$add of a string', { $add: [1, 'a'] }],
    ['$switch without a matching branch', { $switch: { branches: [{ case: false, then: 1 }] } }],
    ['$setField naming its field by a path', { $setField: { field: '$text', input: '$object', value: 1 } }],
  ])('fails on %s, as mongod does', (_, expression) => {
    expect(() => evaluate(expression)).toThrow(CommandError);
  });
});

describe('$group accumulators (manual: "$group", accumulator operators)', () => {
  const documents: Document[] = [
    { _id: 1, k: 'a', n: 3, s: 'x' },
    { _id: 2, k: 'a', n: 'text', s: null },
    { _id: 3, k: 'b', n: 1 },
    { _id: 4, n: 5, s: 'y' },
    { _id: 5, k: null, n: 2, s: 'y' },
  ];
  const group = (specification: Document) => groupStage(specification, {})(documents);

  it('groups a missing key with null, in the order groups are met', () => {
    expect(group({ _id: '$k', count: { $count: {} } })).toEqual([
      { _id: 'a', count: 2 },
      { _id: 'b', count: 1 },
      { _id: null, count: 2 },
    ]);
  });

  it('leaves missing parts out of a document key', () => {
    expect(group({ _id: { k: '$k' }, ids: { $push: '$_id' } })).toEqual([
      { _id: { k: 'a' }, ids: [1, 2] },
      { _id: { k: 'b' }, ids: [3] },
      { _id: {}, ids: [4] },
      { _id: { k: null }, ids: [5] },
    ]);
  });

  it('sums and averages numbers only, and takes $min/$max by BSON order ignoring null and missing', () => {
    expect(
      group({
        _id: null,
        sum: { $sum: '$n' },
        avg: { $avg: '$n' },
        min: { $min: '$n' },
        max: { $max: '$n' },
        minS: { $min: '$s' },
        none: { $max: '$absent' },
      }),
    ).toEqual([{ _id: null, sum: 11, avg: 2.75, min: 1, max: 'text', minS: 'x', none: null }]);
  });

  it('pushes and collects without missing values, and takes $first/$last as they come (null when missing)', () => {
    const [result] = group({
      _id: null,
      pushed: { $push: '$s' },
      set: { $addToSet: '$s' },
      first: { $first: '$s' },
      last: { $last: '$k' },
    });
    expect(result).toEqual({
      _id: null,
      pushed: ['x', null, 'y', 'y'],
      set: expect.arrayContaining(['x', null, 'y']),
      first: 'x',
      last: null,
    });
    expect(result?.set).toHaveLength(3);
  });

  it('pushes null itself for a null argument', () => {
    expect(group({ _id: '$k', nulls: { $push: null } })[1]).toEqual({ _id: 'b', nulls: [null] });
  });

  it('answers every accumulator on its list', () => {
    expect([...SUPPORTED_ACCUMULATORS].sort()).toEqual([
      '$addToSet',
      '$avg',
      '$count',
      '$first',
      '$last',
      '$max',
      '$min',
      '$push',
      '$sum',
      '$topN',
    ]);
  });
});
