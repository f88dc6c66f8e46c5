import type { Document } from 'mongodb';
import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

/** What the embedded server does not do, it refuses with a clear error instead of answering wrongly. */
let connection: EmbeddedConnection;

beforeAll(async () => {
  connection = await connectToNewServer();
});
afterAll(() => connection.close());

const refusal = (feature: string) => ({
  code: 115,
  message: expect.stringContaining(`${feature} is not supported by the embedded server`),
});
/** Every refusal, whatever the feature: the one code and the one ending. */
const REFUSED = { code: 115, message: expect.stringMatching(/ is not supported by the embedded server$/) };

describe('the embedded server refuses', () => {
  it('commands it does not implement', async () => {
    await expect(connection.client.db('admin').command({ replSetGetStatus: 1 })).rejects.toMatchObject({
      ...refusal('replSetGetStatus'),
      codeName: 'CommandNotSupported',
    });
  });

  it('transactions, and writes nothing of them', async () => {
    const collection = connection.db.collection('transactional');
    const session = connection.client.startSession();
    try {
      await expect(session.withTransaction(() => collection.insertOne({ x: 1 }, { session }))).rejects.toMatchObject(
        refusal('a transaction or retryable write'),
      );
    } finally {
      await session.endSession();
    }
    await expect(collection.countDocuments()).resolves.toBe(0);
  });

  it('aggregation stages that write or read server internals', async () => {
    const collection = connection.db.collection('source');
    await collection.insertOne({ x: 1 });

    await expect(collection.aggregate([{ $out: 'target' }]).toArray()).rejects.toMatchObject(refusal('the $out aggregation stage'));
    await expect(collection.aggregate([{ $facet: { a: [{ $merge: 'target' }] } }]).toArray()).rejects.toMatchObject(
      refusal('the $merge aggregation stage'),
    );
    await expect(collection.aggregate([{ $collStats: {} }]).toArray()).rejects.toMatchObject(refusal('the $collStats aggregation stage'));
  });

  it('index kinds and options it would not honour', async () => {
    const collection = connection.db.collection('indexed');

    await expect(collection.createIndex({ description: 'text' })).rejects.toMatchObject(refusal("'text' indexes"));
    await expect(collection.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 }, undefined)).rejects.toMatchObject(
      refusal("index option 'expireAfterSeconds'"),
    );
  });

  it('command options it would ignore, such as collation', async () => {
    const collection = connection.db.collection('collated');

    await expect(collection.find({}, { collation: { locale: 'fr' } }).toArray()).rejects.toMatchObject(refusal("find option 'collation'"));
    await expect(collection.updateOne({}, { $set: { x: 1 } }, { collation: { locale: 'fr' } })).rejects.toMatchObject(
      refusal("update statement option 'collation'"),
    );
  });

  it.each([
    ['$text', { $text: { $search: 'heating' } }],
    ['$where', { $where: 'this.x === 1' }],
    ['$near', { location: { $near: [0, 0] } }],
    ['$geoWithin', { location: { $geoWithin: { $centerSphere: [[0, 0], 1] } } }],
    ['$jsonSchema', { $jsonSchema: {} }],
    ['$bitsAllSet', { x: { $bitsAllSet: 1 } }],
    ['$type int, which numbers in memory do not keep', { x: { $type: 'int' } }],
    ['the regular expression option x', { x: { $regex: 'a b', $options: 'x' } }],
  ])('the query operator %s', async (_, filter) => {
    const collection = connection.db.collection('queried');
    await collection.insertOne({ x: 1 });
    await expect(collection.find(filter).toArray()).rejects.toMatchObject(REFUSED);
    await expect(collection.countDocuments(filter)).rejects.toMatchObject(REFUSED);
  });

  it.each([
    ['$setWindowFields', [{ $setWindowFields: { sortBy: { x: 1 }, output: { n: { $documentNumber: {} } } } }]],
    ['$facet inside $facet', [{ $facet: { outer: [{ $facet: { inner: [] } }] } }]],
    ['$lookup with a pipeline', [{ $lookup: { from: 'other', pipeline: [], as: 'joined' } }]],
    ['$graphLookup', [{ $graphLookup: { from: 'other', startWith: '$x', connectFromField: 'x', connectToField: 'x', as: 'g' } }]],
    ['$unionWith', [{ $unionWith: 'other' }]],
    ['$bucket', [{ $bucket: { groupBy: '$x', boundaries: [0, 10] } }]],
    ['$sample', [{ $sample: { size: 1 } }]],
    ['a $sort by $natural', [{ $sort: { $natural: 1 } }]],
    ['an expression operator not on the list', [{ $project: { y: { $regexMatch: { input: 'a', regex: 'a' } } } }]],
    ['an expression operator inside $cond', [{ $project: { y: { $cond: [true, { $function: { body: '', args: [], lang: 'js' } }, 0] } } }]],
    ['an accumulator not on the list', [{ $group: { _id: null, deviation: { $stdDevPop: '$x' } } }]],
    ['server-side JavaScript', [{ $group: { _id: null, custom: { $accumulator: {} } } }]],
  ])('the aggregation feature %s', async (_, pipeline) => {
    const collection = connection.db.collection('aggregated');
    await collection.insertOne({ x: 1 });
    await expect(collection.aggregate(pipeline as Document[]).toArray()).rejects.toMatchObject(REFUSED);
  });

  it('a hint that names no index, and $natural', async () => {
    const collection = connection.db.collection('hinted');
    await collection.createIndex({ x: 1 });
    await collection.insertOne({ x: 1 });

    await expect(collection.find({}, { hint: { x: 1 } }).toArray()).resolves.toHaveLength(1);
    await expect(collection.find({}, { hint: 'x_1' }).toArray()).resolves.toHaveLength(1);
    await expect(collection.find({}, { hint: { y: 1 } }).toArray()).rejects.toMatchObject(REFUSED);
    await expect(collection.find({}, { hint: { $natural: 1 } }).toArray()).rejects.toMatchObject(REFUSED);
    await expect(collection.find({}, { sort: { $natural: -1 } }).toArray()).rejects.toMatchObject(REFUSED);
    await expect(collection.aggregate([], { hint: 'missing_1' }).toArray()).rejects.toMatchObject(REFUSED);
    await expect(collection.updateOne({}, { $set: { x: 2 } }, { hint: 'missing_1' })).rejects.toMatchObject(REFUSED);
    await expect(collection.deleteOne({}, { hint: 'missing_1' })).rejects.toMatchObject(REFUSED);
    await expect(collection.countDocuments({ x: 1 })).resolves.toBe(1);
  });

  it('update operators and paths it cannot answer exactly, leaving the document as it was', async () => {
    const collection = connection.db.collection('updated');
    await collection.insertOne({ _id: 1, items: [{ n: 1 }], flags: 5 } as Document);

    await expect(collection.updateOne({ _id: 1 } as Document, { $pull: { items: { n: 1 } } } as Document)).rejects.toMatchObject(REFUSED);
    await expect(collection.updateOne({ _id: 1 } as Document, { $bit: { flags: { and: 1 } } })).rejects.toMatchObject(REFUSED);
    await expect(
      collection.updateOne({ _id: 1 } as Document, { $push: { items: { $each: [{ n: 0 }], $sort: { n: 1 } } } } as Document),
    ).rejects.toMatchObject(REFUSED);
    await expect(collection.updateOne({ _id: 1, 'items.n': 1 } as Document, { $set: { 'items.$.n': 2 } })).rejects.toMatchObject(REFUSED);
    await expect(collection.findOne({ _id: 1 } as Document, { projection: { items: { $slice: 1 } } })).rejects.toMatchObject(REFUSED);
    await expect(collection.findOne({ _id: 1 } as Document)).resolves.toEqual({ _id: 1, items: [{ n: 1 }], flags: 5 });
  });

  it('advertises no compression, authentication, replication or server-side JavaScript', async () => {
    const admin = connection.client.db('admin');
    const hello = await admin.command({ hello: 1, saslSupportedMechs: 'admin.someone', compression: ['zstd'] });
    for (const field of ['compression', 'saslSupportedMechs', 'setName', 'hosts', 'msg', 'topologyVersion'])
      expect(hello).not.toHaveProperty(field);
    const buildInfo = await admin.command({ buildInfo: 1 });
    expect(buildInfo).not.toHaveProperty('javascriptEngine');
    expect(buildInfo.modules).toEqual([]);
  });
});
