import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

/** What the embedded server does not do, it refuses with a clear error instead of answering wrongly. */
let connection: EmbeddedConnection;

beforeAll(async () => {
  connection = await connectToNewServer();
});
afterAll(() => connection.close());

const refusal = (feature: string) => ({ code: 115, message: expect.stringContaining(`${feature} is not supported by the embedded server`) });

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
      await expect(session.withTransaction(() => collection.insertOne({ x: 1 }, { session }))).rejects.toMatchObject(refusal('a transaction or retryable write'));
    } finally {
      await session.endSession();
    }
    await expect(collection.countDocuments()).resolves.toBe(0);
  });

  it('aggregation stages that write or read server internals', async () => {
    const collection = connection.db.collection('source');
    await collection.insertOne({ x: 1 });

    await expect(collection.aggregate([{ $out: 'target' }]).toArray()).rejects.toMatchObject(refusal('the $out aggregation stage'));
    await expect(collection.aggregate([{ $facet: { a: [{ $merge: 'target' }] } }]).toArray()).rejects.toMatchObject(refusal('the $merge aggregation stage'));
    await expect(collection.aggregate([{ $collStats: {} }]).toArray()).rejects.toMatchObject(refusal('the $collStats aggregation stage'));
  });

  it('index kinds and options it would not honour', async () => {
    const collection = connection.db.collection('indexed');

    await expect(collection.createIndex({ description: 'text' })).rejects.toMatchObject(refusal("'text' indexes"));
    await expect(collection.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 })).rejects.toMatchObject(refusal("index option 'expireAfterSeconds'"));
  });

  it('command options it would ignore, such as collation', async () => {
    const collection = connection.db.collection('collated');

    await expect(collection.find({}, { collation: { locale: 'fr' } }).toArray()).rejects.toMatchObject(refusal("find option 'collation'"));
    await expect(collection.updateOne({}, { $set: { x: 1 } }, { collation: { locale: 'fr' } })).rejects.toMatchObject(
      refusal("update statement option 'collation'"),
    );
  });
});
