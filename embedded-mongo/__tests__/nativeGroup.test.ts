import { type Document, Long } from 'bson';
import { compileGroup, NotNative } from '../query/nativeGroup';
import { groupStage } from '../query/aggregation';
import { SeededRandom } from '../../scripts/seed/random';

const DATES = [new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T00:00:00Z'), new Date('2026-06-01T12:00:00Z')];
/** The general `$group`, whose semantics semantics.test.ts checks: the native one must give the same groups. */
const referenceGroup = (documents: Document[], specification: Document) => groupStage(specification, {})(documents);

describe('the native $group', () => {
  it('gives the general $group’s groups, values and order, or hands the stage back to it', () => {
    const generator = new SeededRandom('native-group');
    const random = () => generator.next();
    const pick = <T>(values: readonly T[]): T => generator.pick(values);
    const plain = (): unknown => pick(['x', 'y', '', 0, 1, 2.5, -3, true, false, null, undefined, ...DATES]);
    const stored = (): unknown => (random() < 0.04 ? pick([Long.fromNumber(2), { nested: 1 }, ['x'], Number.NaN]) : plain());
    const literal = (): unknown => pick(['x', 'RESOLVED', 1, 0, 3_600_000, true, null, ...DATES]);
    const expression = (depth: number): unknown => {
      const roll = random();
      if (depth === 0 || roll < 0.3) return random() < 0.6 ? pick(['$a', '$b', '$status', '$opened', '$closed', '$n']) : literal();
      const next = () => expression(depth - 1);
      switch (
        pick(['$cond', '$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$not', '$and', '$or', '$ifNull', '$subtract', '$divide'])
      ) {
        case '$cond':
          return random() < 0.5 ? { $cond: [next(), next(), next()] } : { $cond: { if: next(), then: next(), else: next() } };
        case '$in':
          return { $in: [next(), pick([['x', 'y'], ['RESOLVED', 'REJECTED'], [1, 2.5], [true]])] };
        case '$not':
          return { $not: [next()] };
        case '$and':
          return { $and: [next(), next()] };
        case '$or':
          return { $or: [next(), next()] };
        case '$ifNull':
          return { $ifNull: [next(), next()] };
        default: {
          const operator = pick(['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$subtract', '$divide']);
          return { [operator]: [next(), next()] };
        }
      }
    };
    const accumulator = (): Document => {
      const operator = pick(['$sum', '$sum', '$push', '$addToSet']);
      return { [operator]: operator === '$sum' && random() < 0.3 ? pick([1, 2]) : expression(3) };
    };

    let compared = 0;
    let handedBack = 0;
    for (let round = 0; round < 8_000; round += 1) {
      const documents = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) => {
        const document: Document = { _id: i };
        for (const field of ['a', 'b', 'status', 'opened', 'closed', 'n']) {
          const value =
            field === 'status' ? pick(['OPEN', 'RESOLVED', 'REJECTED', undefined]) : field === 'opened' ? pick([...DATES, null]) : stored();
          if (value !== undefined) document[field] = value;
        }
        return document;
      });
      const specification: Document = {
        _id: pick<unknown>([
          '$a',
          '$status',
          null,
          { parent: '$status', value: '$a' },
          { parent: '$status', value: { $ifNull: ['$b', null] } },
        ]),
        first: accumulator(),
        second: accumulator(),
      };
      const group = compileGroup(specification);
      let native: Document[];
      try {
        if (group === undefined) throw new NotNative(`not compiled: ${JSON.stringify(specification)}`);
        native = group(documents);
      } catch (error) {
        if (!(error instanceof NotNative)) throw error;
        handedBack += 1;
        continue;
      }
      let expected: Document[];
      try {
        expected = referenceGroup(documents, specification);
      } catch (error) {
        throw new Error(`the general $group fails on ${JSON.stringify(specification)} but the native group answered: ${String(error)}`);
      }
      compared += 1;
      try {
        expect(native).toStrictEqual(expected);
      } catch (error) {
        throw new Error(`${JSON.stringify(specification)} over ${JSON.stringify(documents)}\n${String(error)}`);
      }
    }
    expect(compared).toBeGreaterThan(1_500);
    expect(handedBack).toBeGreaterThan(100);
  });

  it('computes the request statistics of the dashboard like the general $group', () => {
    const documents = Array.from({ length: 200 }, (_, i) => ({
      _id: `r${i}`,
      districtId: `d${i % 3}`,
      category: ['HEATING', 'LIFT', 'LEAK'][i % 3],
      status: ['OPEN', 'RESOLVED', 'REJECTED', 'ACKNOWLEDGED'][i % 4],
      openedAt: new Date(Date.UTC(2026, 0, 1 + (i % 90))),
      acknowledgedAt: i % 5 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + (i % 90), 1 + (i % 70))),
      closedAt: i % 4 === 1 ? new Date(Date.UTC(2026, 0, 2 + (i % 90), i % 24)) : null,
    }));
    const hour = 3_600_000;
    const acknowledged = { $ne: ['$acknowledgedAt', null] };
    const specification = {
      _id: '$districtId',
      total: { $sum: 1 },
      open: { $sum: { $cond: [{ $not: [{ $in: ['$status', ['RESOLVED', 'REJECTED']] }] }, 1, 0] } },
      due: { $sum: { $cond: [{ $or: [acknowledged, { $lte: ['$openedAt', new Date(Date.UTC(2026, 1, 1))] }] }, 1, 0] } },
      inTime: { $sum: { $cond: [{ $and: [acknowledged, { $lte: [{ $subtract: ['$acknowledgedAt', '$openedAt'] }, 48 * hour] }] }, 1, 0] } },
      hours: { $push: { $cond: [{ $eq: ['$status', 'RESOLVED'] }, { $divide: [{ $subtract: ['$closedAt', '$openedAt'] }, hour] }, null] } },
      categories: { $addToSet: '$category' },
    };
    expect(compileGroup(specification)?.(documents)).toStrictEqual(referenceGroup(documents, specification));
  });

  it('leaves other accumulators, dotted paths and variables to the general $group', () => {
    for (const specification of [
      { _id: '$a', first: { $first: '$b' } },
      { _id: '$address.city', n: { $sum: 1 } },
      { _id: '$a', all: { $push: '$$ROOT' } },
      { _id: '$a', month: { $push: { $dateToString: { format: '%Y-%m', date: '$d' } } } },
      { n: { $sum: 1 } },
    ]) {
      expect(compileGroup(specification)).toBeUndefined();
    }
  });
});
