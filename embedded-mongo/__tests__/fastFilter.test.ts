import { type Document, Long, ObjectId } from 'bson';
import { compileFastFilter } from '../query/fastFilter';
import { compileFastProjection } from '../query/fastProjection';
import { compileMatcher } from '../query/filterMatcher';
import { compileProjection } from '../query/queryEngine';
import { SeededRandom } from '../../scripts/seed/random';

const DATES = [new Date('2026-01-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'), new Date('2026-12-31T23:59:59Z')];
const SCALARS: unknown[] = [
  'a',
  'b',
  'c',
  '',
  0,
  1,
  2.5,
  -1,
  Infinity,
  Number.NaN,
  true,
  false,
  ...DATES,
  null,
  Long.fromNumber(1),
  new ObjectId('65a000000000000000000001'),
  { x: 1 },
];

/**
 * Consistency of the server's own paths: the native fast paths against its general evaluation (whose
 * semantics semantics.test.ts checks against MongoDB's documented behaviour).
 */
describe('the native filter test', () => {
  it('agrees with the general matcher on every document where it gives a verdict', () => {
    const generator = new SeededRandom('fast-filter');
    const random = () => generator.next();
    const pick = <T>(values: readonly T[]): T => generator.pick(values);
    const storedValue = (): unknown => {
      const roll = random();
      if (roll < 0.1) return undefined;
      if (roll < 0.3) return Array.from({ length: Math.floor(random() * 4) }, () => (random() < 0.1 ? [pick(SCALARS)] : pick(SCALARS)));
      return pick(SCALARS);
    };
    const operand = (): unknown => pick(['a', 'b', 1, 2.5, -1, Infinity, true, ...DATES]);
    const condition = (): unknown => {
      const roll = random();
      if (roll < 0.25) return operand();
      if (roll < 0.4) return { $eq: operand() };
      if (roll < 0.6) return { $in: Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(['a', 'b', 'c', ''])) };
      const bound = pick([0, 1, 2.5, Infinity, -Infinity, ...DATES]);
      const range: Document = { [pick(['$gt', '$gte', '$lt', '$lte'])]: bound };
      if (random() < 0.4) range[pick(['$gt', '$gte', '$lt', '$lte'])] = pick([1, 2.5, ...DATES]);
      return range;
    };

    let judged = 0;
    for (let round = 0; round < 4_000; round += 1) {
      const filter: Document = {};
      for (const field of ['f', 'g']) if (random() < 0.7) filter[field] = condition();
      if (Object.keys(filter).length === 0) continue;
      const fastTest = compileFastFilter(filter);
      expect(fastTest).toBeDefined();
      const referenceTest = compileMatcher(filter);
      for (let i = 0; i < 10; i += 1) {
        const document: Document = { _id: i };
        for (const field of ['f', 'g']) {
          const value = storedValue();
          if (value !== undefined) document[field] = value;
        }
        const verdict = fastTest?.(document);
        if (verdict === undefined) continue;
        judged += 1;
        if (verdict !== referenceTest(document))
          throw new Error(`filter ${JSON.stringify(filter)} on ${JSON.stringify(document)}: native says ${verdict}`);
      }
    }
    // Most cases are decided natively; the rest (BSON wrappers, nested arrays, NaN) go to the general matcher.
    expect(judged).toBeGreaterThan(20_000);
  });

  it('leaves filters with other operators, dotted paths or non-string $in lists to the general matcher', () => {
    for (const filter of [
      { 'address.city': 'Lyon' },
      { status: { $ne: 'OPEN' } },
      { status: { $in: ['OPEN', null] } },
      { name: { $gte: 'M' } },
      { $or: [{ a: 1 }] },
      { a: { $in: [1, 2] } },
      { a: null },
      { a: /x/ },
      { a: { b: 1 } },
      { a: Number.NaN },
    ] as Document[]) {
      expect(compileFastFilter(filter)).toBeUndefined();
    }
  });
});

describe('the native projection', () => {
  it('keeps what the general projection keeps, in the same order, for plain inclusions', () => {
    const generator = new SeededRandom('fast-projection');
    const random = () => generator.next();
    const pick = <T>(values: readonly T[]): T => generator.pick(values);
    const fields = ['_id', 'title', 'status', 'districtId', 'organiserIds', 'outcome', 'audit'];
    for (let round = 0; round < 2_000; round += 1) {
      const document: Document = { _id: `a${round}` };
      for (const field of fields.slice(1))
        if (random() < 0.7) document[field] = pick<unknown>(['x', 3, null, ['l1', 'l2'], { participants: 4 }, DATES[0]]);
      const projection: Document = {};
      for (const field of fields) if (random() < 0.4) projection[field] = pick<unknown>([1, true]);
      if (random() < 0.3) projection._id = pick<unknown>([0, false]);
      if (!Object.values(projection).some((value) => value === 1 || value === true)) continue;
      const fast = compileFastProjection(projection);
      expect(fast).toBeDefined();
      const projected = fast!(document);
      const expected = compileProjection(projection, undefined, 'mingo')(document);
      expect(projected).toStrictEqual(expected);
      expect(Object.keys(projected)).toEqual(Object.keys(expected));
    }
  });

  it('leaves exclusions, paths and expressions to the general projection', () => {
    for (const projection of [
      { _id: 0 },
      { title: 0 },
      { 'outcome.participants': 1 },
      { title: { $literal: 1 } },
      { items: { $slice: 2 } },
      { title: 2 },
    ] as Document[]) {
      expect(compileFastProjection(projection)).toBeUndefined();
    }
  });
});
