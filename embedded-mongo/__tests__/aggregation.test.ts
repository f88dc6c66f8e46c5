import type { Document } from 'mongodb';
import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

/** Driver-level checks, written so that a real mongod passes them too. */
let connection: EmbeddedConnection;

beforeAll(async () => {
  connection = await connectToNewServer();
  await connection.db.collection('buildings').insertMany([
    { _id: 'b1', name: 'Les Tilleuls', district: 'nord', dwellings: 40 },
    { _id: 'b2', name: 'Le Belvédère', district: 'nord', dwellings: 25 },
    { _id: 'b3', name: 'La Source', district: 'sud', dwellings: 60 },
  ] as Document[]);
  await connection.db.collection('requests').insertMany([
    { buildingId: 'b1', kind: 'heating', hours: 4, tags: ['urgent', 'winter'] },
    { buildingId: 'b1', kind: 'lift', hours: 10, tags: ['urgent'] },
    { buildingId: 'b2', kind: 'heating', hours: 6, tags: [] },
    { buildingId: 'b3', kind: 'leak', hours: 2, tags: ['winter'] },
  ]);
});
afterAll(() => connection.close());

const requests = () => connection.db.collection('requests');

describe('aggregate', () => {
  it('matches, groups and sorts', async () => {
    const totals = await requests()
      .aggregate([
        { $match: { hours: { $gte: 3 } } },
        { $group: { _id: '$kind', count: { $sum: 1 }, hours: { $sum: '$hours' } } },
        { $sort: { hours: -1, _id: 1 } },
      ])
      .toArray();

    expect(totals).toEqual([
      { _id: 'heating', count: 2, hours: 10 },
      { _id: 'lift', count: 1, hours: 10 },
    ]);
  });

  it('joins another collection with $lookup and reshapes with $unwind and $project', async () => {
    const joined = await requests()
      .aggregate([
        { $lookup: { from: 'buildings', localField: 'buildingId', foreignField: '_id', as: 'building' } },
        { $unwind: '$building' },
        { $project: { _id: 0, kind: 1, district: '$building.district' } },
        { $sort: { kind: 1, district: 1 } },
      ])
      .toArray();

    expect(joined).toEqual([
      { kind: 'heating', district: 'nord' },
      { kind: 'heating', district: 'nord' },
      { kind: 'leak', district: 'sud' },
      { kind: 'lift', district: 'nord' },
    ]);
  });

  it('runs several sub-pipelines at once with $facet', async () => {
    const [facets] = await requests()
      .aggregate([
        {
          $facet: {
            byTag: [{ $unwind: '$tags' }, { $sortByCount: '$tags' }],
            total: [{ $count: 'requests' }],
          },
        },
      ])
      .toArray();

    expect(facets).toEqual({
      byTag: expect.arrayContaining([
        { _id: 'urgent', count: 2 },
        { _id: 'winter', count: 2 },
      ]),
      total: [{ requests: 4 }],
    });
  });

  it('serves large results through a cursor', async () => {
    const numbers = connection.db.collection('numbers');
    await numbers.insertMany(Array.from({ length: 300 }, (_, n) => ({ n })));

    const evens = await numbers.aggregate([{ $match: { n: { $mod: [2, 0] } } }, { $sort: { n: -1 } }], { batchSize: 20 }).toArray();

    expect(evens).toHaveLength(150);
    expect(evens[0]).toMatchObject({ n: 298 });
  });

  it('leaves stored documents untouched when stages rewrite nested fields', async () => {
    const buildings = connection.db.collection('nested');
    await buildings.insertOne({ _id: 'n1', address: { city: 'Lyon' } } as Document);

    const rewritten = await buildings.aggregate([{ $set: { 'address.city': 'Paris' } }]).toArray();
    const excluded = await buildings.aggregate([{ $project: { 'address.city': 0 } }]).toArray();
    const foundWithout = await buildings.find({}, { projection: { 'address.city': 0 } }).toArray();

    expect(rewritten).toEqual([{ _id: 'n1', address: { city: 'Paris' } }]);
    expect(excluded).toEqual([{ _id: 'n1', address: {} }]);
    expect(foundWithout).toEqual([{ _id: 'n1', address: {} }]);
    await expect(buildings.findOne({ _id: 'n1' } as Document)).resolves.toEqual({ _id: 'n1', address: { city: 'Lyon' } });
  });

  it('gives every facet the same input, whatever its siblings sort or rewrite', async () => {
    const facets = connection.db.collection('facets');
    await facets.insertMany([
      { _id: 'f1', n: 2, tags: ['a', 'b'], nested: { label: 'two' } },
      { _id: 'f2', n: 1, tags: ['c'], nested: { label: 'one' } },
    ] as Document[]);

    const [result] = await facets
      .aggregate([
        { $match: { n: { $gte: 1 } } },
        {
          $facet: {
            sorted: [{ $sort: { n: 1 } }, { $project: { n: 1 } }],
            rewritten: [{ $set: { 'nested.label': 'changed' } }, { $unwind: '$tags' }, { $project: { tags: 1, label: '$nested.label' } }],
            untouched: [{ $project: { label: '$nested.label', tags: 1 } }],
            grouped: [{ $group: { _id: null, all: { $push: '$$ROOT' } } }],
          },
        },
        { $unwind: '$grouped' },
        { $set: { 'grouped.all.nested.label': 'changed after the facet' } },
      ])
      .toArray();

    expect(result?.sorted).toEqual([
      { _id: 'f2', n: 1 },
      { _id: 'f1', n: 2 },
    ]);
    expect(result?.rewritten).toEqual([
      { _id: 'f1', tags: 'a', label: 'changed' },
      { _id: 'f1', tags: 'b', label: 'changed' },
      { _id: 'f2', tags: 'c', label: 'changed' },
    ]);
    expect(result?.untouched).toEqual([
      { _id: 'f1', label: 'two', tags: ['a', 'b'] },
      { _id: 'f2', label: 'one', tags: ['c'] },
    ]);
    await expect(facets.find({}, { sort: { _id: 1 } }).toArray()).resolves.toEqual([
      { _id: 'f1', n: 2, tags: ['a', 'b'], nested: { label: 'two' } },
      { _id: 'f2', n: 1, tags: ['c'], nested: { label: 'one' } },
    ]);
  });

  it('keeps the first n of each group in sortBy order with $topN, a missing output as null', async () => {
    const top = await requests()
      .aggregate([
        { $group: { _id: '$kind', count: { $sum: 1 }, longest: { $topN: { n: 1, sortBy: { hours: -1 }, output: '$buildingId' } } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(top).toEqual([
      { _id: 'heating', count: 2, longest: ['b2'] },
      { _id: 'leak', count: 1, longest: ['b3'] },
      { _id: 'lift', count: 1, longest: ['b1'] },
    ]);
    const [all] = await requests()
      .aggregate([{ $group: { _id: null, shortest: { $topN: { n: 3, sortBy: { hours: 1, kind: 1 }, output: ['$hours', '$missing'] } } } }])
      .toArray();
    expect(all!.shortest).toEqual([
      [2, null],
      [4, null],
      [6, null],
    ]);
    await expect(
      requests()
        .aggregate([{ $group: { _id: null, top: { $topN: { n: 0, sortBy: { hours: 1 }, output: '$hours' } } } }])
        .toArray(),
    ).rejects.toThrow();
  });

  it('uses let variables in $expr', async () => {
    const long = await requests()
      .aggregate([{ $match: { $expr: { $gt: ['$hours', '$$minimum'] } } }, { $count: 'n' }], { let: { minimum: 5 } })
      .toArray();

    expect(long).toEqual([{ n: 2 }]);
  });
});
