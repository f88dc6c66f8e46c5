import {
  Binary,
  Decimal128,
  Long,
  MongoBulkWriteError,
  MongoServerError,
  ObjectId,
  type Collection,
  type CommandStartedEvent,
  type Document,
} from 'mongodb';
import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

/** Driver-level checks, written so that a real mongod passes them too. */
let connection: EmbeddedConnection;
const startedCommands: string[] = [];
let collectionCount = 0;

beforeAll(async () => {
  connection = await connectToNewServer({ client: { monitorCommands: true } });
  connection.client.on('commandStarted', (event: CommandStartedEvent) => startedCommands.push(event.commandName));
});
afterAll(() => connection.close());

function freshCollection(): Collection {
  return connection.db.collection(`crud_${++collectionCount}`);
}

describe('connection', () => {
  it('answers ping, buildInfo and hello like a writable standalone server', async () => {
    const admin = connection.client.db('admin');

    await expect(admin.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    expect((await admin.command({ buildInfo: 1 })).version).toMatch(/^\d+\.\d+\.\d+/);
    const hello = await admin.command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, ok: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
  });
});

describe('insert', () => {
  it('gives documents an ObjectId _id when they have none', async () => {
    const collection = freshCollection();
    const { insertedId } = await collection.insertOne({ name: 'Résidence des Lilas' });

    expect(insertedId).toBeInstanceOf(ObjectId);
    await expect(collection.findOne({ _id: insertedId })).resolves.toEqual({ _id: insertedId, name: 'Résidence des Lilas' });
  });

  it('stops an ordered insertMany at the first duplicate _id', async () => {
    const collection = freshCollection();
    const failure = await collection.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }] as Document[]).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MongoBulkWriteError);
    const bulkError = failure as MongoBulkWriteError;
    expect(bulkError.code).toBe(11000);
    expect(bulkError.insertedCount).toBe(1);
    expect(bulkError.writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    expect(bulkError.message).toMatch(
      `E11000 duplicate key error collection: embedded_test.${collection.collectionName} index: _id_ dup key: { _id: 1 }`,
    );
    await expect(collection.find().toArray()).resolves.toEqual([{ _id: 1 }]);
  });

  it('goes on past duplicates in an unordered insertMany', async () => {
    const collection = freshCollection();
    const failure = await collection
      .insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }] as Document[], { ordered: false })
      .catch((error: unknown) => error);

    expect((failure as MongoBulkWriteError).insertedCount).toBe(2);
    expect((failure as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1 }, { index: 3 }]);
    await expect(collection.countDocuments()).resolves.toBe(2);
  });
});

describe('find', () => {
  let collection: Collection;
  beforeAll(async () => {
    collection = freshCollection();
    await collection.insertMany(
      Array.from({ length: 10 }, (_, n) => ({ n, parity: n % 2 === 0 ? 'even' : 'odd', nested: { square: n * n } })),
    );
  });

  it('applies filter, sort, projection, skip and limit', async () => {
    const found = await collection
      .find({ parity: 'even' }, { projection: { _id: 0, n: 1 } })
      .sort({ n: -1 })
      .skip(1)
      .limit(2)
      .toArray();

    expect(found).toEqual([{ n: 6 }, { n: 4 }]);
  });

  it('filters and projects on dotted paths and query operators', async () => {
    const found = await collection
      .find({ 'nested.square': { $gte: 20, $lt: 60 }, n: { $nin: [6] } }, { projection: { _id: 0, 'nested.square': 1 } })
      .sort({ n: 1 })
      .toArray();

    expect(found).toEqual([{ nested: { square: 25 } }, { nested: { square: 49 } }]);
  });

  it('refuses the positional projection, and evaluates $expr with let variables', async () => {
    const withItems = freshCollection();
    await withItems.insertOne({
      _id: 1,
      limit: 2,
      items: [
        { k: 'a', n: 1 },
        { k: 'b', n: 3 },
      ],
    } as Document);

    await expect(withItems.findOne({ 'items.k': 'b' }, { projection: { 'items.$': 1 } })).rejects.toMatchObject({ code: 115 });
    await expect(
      withItems.find({ $expr: { $gte: ['$limit', '$$minimum'] } }, { let: { minimum: 2 }, projection: { limit: 1 } }).toArray(),
    ).resolves.toEqual([{ _id: 1, limit: 2 }]);
  });

  it('returns projected fields in their stored order', async () => {
    const ordered = freshCollection();
    await ordered.insertOne({ _id: 'x', b: 1, a: 2, c: 3 } as Document);

    const found = await ordered.findOne({}, { projection: { c: 1, a: 1 } });

    expect(Object.keys(found ?? {})).toEqual(['_id', 'a', 'c']);
  });

  it('serves a large result through several getMore batches', async () => {
    const large = freshCollection();
    await large.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const getMoresBefore = startedCommands.filter((name) => name === 'getMore').length;

    const found = await large.find({}, { batchSize: 50 }).sort({ i: 1 }).toArray();

    expect(found.map(({ i }) => i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const getMores = startedCommands.filter((name) => name === 'getMore').length - getMoresBefore;
    expect(getMores).toBeGreaterThanOrEqual(4);
    expect(getMores).toBeLessThanOrEqual(5);
  });

  it('kills a cursor closed early', async () => {
    const large = freshCollection();
    await large.insertMany(Array.from({ length: 120 }, (_, i) => ({ i })));
    const cursor = large.find({}, { batchSize: 10 });
    await cursor.next();
    const cursorId = cursor.id;

    await cursor.close();

    expect(startedCommands).toContain('killCursors');
    await expect(connection.db.command({ getMore: cursorId, collection: large.collectionName })).rejects.toMatchObject({ code: 43 });
  });
});

describe('update', () => {
  it('updates one or many documents and reports matched and modified counts', async () => {
    const collection = freshCollection();
    await collection.insertMany([
      { k: 'a', n: 1 },
      { k: 'a', n: 2 },
      { k: 'b', n: 3 },
    ]);

    await expect(collection.updateOne({ k: 'a' }, { $inc: { n: 10 } })).resolves.toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    await expect(collection.updateMany({ k: 'a' }, { $set: { seen: true } })).resolves.toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    await expect(collection.updateMany({ k: 'a' }, { $set: { seen: true } })).resolves.toMatchObject({ matchedCount: 2, modifiedCount: 0 });
    await expect(
      collection
        .find({ k: 'a' }, { projection: { _id: 0 } })
        .sort({ n: 1 })
        .toArray(),
    ).resolves.toEqual([
      { k: 'a', n: 2, seen: true },
      { k: 'a', n: 11, seen: true },
    ]);
  });

  it('replaces a document but keeps its _id', async () => {
    const collection = freshCollection();
    const { insertedId } = await collection.insertOne({ old: true, n: 1 });

    await expect(collection.replaceOne({ _id: insertedId }, { fresh: true })).resolves.toMatchObject({ modifiedCount: 1 });
    await expect(collection.findOne({ _id: insertedId })).resolves.toEqual({ _id: insertedId, fresh: true });
  });

  it('upserts from the filter equalities and $setOnInsert, which later updates ignore', async () => {
    const collection = freshCollection();
    const createdAt = new Date('2024-05-01T08:00:00Z');
    const filter = { code: 'QC-1', 'address.city': 'Lyon' };

    const inserted = await collection.updateOne(filter, { $set: { label: 'first' }, $setOnInsert: { createdAt } }, { upsert: true });
    const updated = await collection.updateOne(
      filter,
      { $set: { label: 'second' }, $setOnInsert: { createdAt: new Date() } },
      { upsert: true },
    );

    expect(inserted).toMatchObject({ upsertedCount: 1, matchedCount: 0 });
    expect(inserted.upsertedId).toBeInstanceOf(ObjectId);
    expect(updated).toMatchObject({ upsertedCount: 0, matchedCount: 1, modifiedCount: 1 });
    await expect(collection.find({}, { projection: { _id: 0 } }).toArray()).resolves.toEqual([
      { code: 'QC-1', address: { city: 'Lyon' }, label: 'second', createdAt },
    ]);
  });

  it('lets exactly one of two concurrent updates expecting the same version win', async () => {
    const collection = freshCollection();
    await collection.insertOne({ _id: 'record', version: 3, title: 'draft' } as Document);

    const results = await Promise.all(
      ['first', 'second'].map((title) =>
        collection.updateOne({ _id: 'record', version: 3 } as Document, { $set: { title }, $inc: { version: 1 } }),
      ),
    );

    expect(results.map(({ modifiedCount }) => modifiedCount).sort()).toEqual([0, 1]);
    await expect(collection.findOne({ _id: 'record' } as Document)).resolves.toMatchObject({ version: 4 });
  });

  it('applies concurrent $inc without losing any', async () => {
    const collection = freshCollection();
    await collection.insertOne({ _id: 'counter', value: 0 } as Document);

    await Promise.all(Array.from({ length: 50 }, () => collection.updateOne({ _id: 'counter' } as Document, { $inc: { value: 1 } })));

    await expect(collection.findOne({ _id: 'counter' } as Document)).resolves.toEqual({ _id: 'counter', value: 50 });
  });

  it('supports arrayFilters and $[], and refuses the positional operator', async () => {
    const collection = freshCollection();
    await collection.insertOne({
      _id: 1,
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 5 },
        { sku: 'c', qty: 9 },
      ],
    } as Document);

    await expect(collection.updateOne({ _id: 1, 'items.sku': 'a' } as Document, { $set: { 'items.$.qty': 2 } })).rejects.toMatchObject({
      code: 115,
    });
    await collection.updateOne({ _id: 1 } as Document, { $set: { 'items.$[big].qty': 0 } }, { arrayFilters: [{ 'big.qty': { $gte: 5 } }] });
    await collection.updateOne({ _id: 1 } as Document, { $inc: { 'items.$[].qty': 1 } });

    await expect(collection.findOne({ _id: 1 } as Document)).resolves.toEqual({
      _id: 1,
      items: [
        { sku: 'a', qty: 2 },
        { sku: 'b', qty: 1 },
        { sku: 'c', qty: 1 },
      ],
    });
  });

  it('refuses $inc on a non-numeric field and changes to _id', async () => {
    const collection = freshCollection();
    await collection.insertOne({ _id: 1, name: 'text' } as Document);

    await expect(collection.updateOne({ _id: 1 } as Document, { $inc: { name: 1 } })).rejects.toMatchObject({ code: 14 });
    await expect(collection.updateOne({ _id: 1 } as Document, { $set: { _id: 2 } })).rejects.toMatchObject({ code: 66 });
    await expect(collection.findOne({ _id: 1 } as Document)).resolves.toEqual({ _id: 1, name: 'text' });
  });
});

describe('findOneAndUpdate / findOneAndDelete', () => {
  it('returns the document before or after the update', async () => {
    const collection = freshCollection();
    await collection.insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
    ] as Document[]);

    const before = await collection.findOneAndUpdate({}, { $inc: { n: 10 } }, { sort: { n: -1 }, returnDocument: 'before' });
    const after = await collection.findOneAndUpdate(
      { _id: 1 } as Document,
      { $inc: { n: 10 } },
      { returnDocument: 'after', projection: { n: 1, _id: 0 } },
    );

    expect(before).toEqual({ _id: 2, n: 2 });
    expect(after).toEqual({ n: 11 });
  });

  it('upserts, and returns the inserted document when asked for the one after', async () => {
    const collection = freshCollection();

    const upserted = await collection.findOneAndUpdate({ slug: 'new' }, { $set: { n: 1 } }, { upsert: true, returnDocument: 'after' });
    const missing = await collection.findOneAndUpdate({ slug: 'absent' }, { $set: { n: 1 } });

    expect(upserted).toMatchObject({ slug: 'new', n: 1 });
    expect(missing).toBeNull();
  });

  it('deletes and returns the first document in sort order', async () => {
    const collection = freshCollection();
    await collection.insertMany([{ n: 1 }, { n: 3 }, { n: 2 }]);

    const deleted = await collection.findOneAndDelete({}, { sort: { n: -1 } });

    expect(deleted).toMatchObject({ n: 3 });
    await expect(collection.countDocuments()).resolves.toBe(2);
  });
});

describe('delete', () => {
  it('deletes one or many documents', async () => {
    const collection = freshCollection();
    await collection.insertMany([{ k: 'a' }, { k: 'a' }, { k: 'a' }, { k: 'b' }]);

    await expect(collection.deleteOne({ k: 'a' })).resolves.toMatchObject({ deletedCount: 1 });
    await expect(collection.deleteMany({ k: 'a' })).resolves.toMatchObject({ deletedCount: 2 });
    await expect(collection.deleteMany({ k: 'zzz' })).resolves.toMatchObject({ deletedCount: 0 });
    await expect(collection.find({}, { projection: { _id: 0 } }).toArray()).resolves.toEqual([{ k: 'b' }]);
  });
});

describe('counting and distinct', () => {
  let collection: Collection;
  beforeAll(async () => {
    collection = freshCollection();
    await collection.insertMany([
      { city: 'Lyon', tags: ['a', 'b'] },
      { city: 'Lyon', tags: ['b'] },
      { city: 'Nantes', tags: 'c' },
      { city: 'Paris' },
    ]);
  });

  it('counts documents exactly and by estimate', async () => {
    await expect(collection.countDocuments({ city: 'Lyon' })).resolves.toBe(2);
    await expect(collection.countDocuments({}, { skip: 1, limit: 2 })).resolves.toBe(2);
    await expect(collection.estimatedDocumentCount()).resolves.toBe(4);
    await expect(connection.db.collection('no_such_collection').countDocuments()).resolves.toBe(0);
  });

  it('lists distinct values, counting array elements one by one', async () => {
    expect((await collection.distinct('tags')).sort()).toEqual(['a', 'b', 'c']);
    expect((await collection.distinct('city', { tags: 'b' })).sort()).toEqual(['Lyon']);
  });
});

describe('bulkWrite', () => {
  it('applies mixed operations in order and reports each count', async () => {
    const collection = freshCollection();
    await collection.insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
      { _id: 3, n: 3 },
    ] as Document[]);

    const result = await collection.bulkWrite([
      { insertOne: { document: { _id: 4, n: 4 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { n: 10 } } } },
      { updateMany: { filter: { n: { $gte: 3 } }, update: { $inc: { n: 100 } } } },
      { replaceOne: { filter: { _id: 2 }, replacement: { n: 20 } } },
      { updateOne: { filter: { _id: 5 }, update: { $set: { n: 5 } }, upsert: true } },
      { deleteOne: { filter: { _id: 3 } } },
      { deleteMany: { filter: { n: { $gt: 1000 } } } },
    ] as never);

    expect(result).toMatchObject({ insertedCount: 1, matchedCount: 5, modifiedCount: 5, upsertedCount: 1, deletedCount: 1 });
    await expect(collection.find().sort({ _id: 1 }).toArray()).resolves.toEqual([
      { _id: 1, n: 110 },
      { _id: 2, n: 20 },
      { _id: 4, n: 104 },
      { _id: 5, n: 5 },
    ]);
  });
});

describe('BSON types', () => {
  it('round-trips dates, ObjectIds, 64-bit integers, decimals and binary data', async () => {
    const collection = freshCollection();
    const document = {
      _id: new ObjectId(),
      at: new Date('2024-02-29T12:34:56.789Z'),
      ref: new ObjectId(),
      big: Long.fromString('9223372036854775807'),
      small: Long.fromNumber(42),
      ratio: 0.25,
      price: Decimal128.fromString('1234.56'),
      blob: new Binary(Buffer.from([1, 2, 3])),
      nested: { list: [1, 'two', null, { three: true }] },
    };
    await collection.insertOne(document);

    const found = await collection.findOne({ at: { $gte: new Date('2024-01-01') }, ref: document.ref });

    expect(found?._id).toEqual(document._id);
    expect(found?.at).toEqual(document.at);
    expect(found?.big).toEqual(Long.fromString('9223372036854775807'));
    // The driver returns 64-bit integers that fit a JS number as numbers (promoteLongs).
    expect(found?.small).toBe(42);
    expect(found?.ratio).toBe(0.25);
    expect(String(found?.price)).toBe('1234.56');
    expect(Buffer.from((found?.blob as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(found?.nested).toEqual(document.nested);
  });

  it('sorts dates and ObjectIds chronologically', async () => {
    const collection = freshCollection();
    const ids = [
      new ObjectId('000000010000000000000000'),
      new ObjectId('000000020000000000000000'),
      new ObjectId('000000030000000000000000'),
    ];
    await collection.insertMany([
      { _id: ids[1], at: new Date(2000) },
      { _id: ids[2], at: new Date(1000) },
      { _id: ids[0], at: new Date(3000) },
    ]);

    expect((await collection.find().sort({ _id: 1 }).toArray()).map(({ _id }) => _id)).toEqual(ids);
    expect((await collection.find().sort({ at: 1 }).toArray()).map(({ at }) => (at as Date).getTime())).toEqual([1000, 2000, 3000]);
  });
});

describe('errors', () => {
  it('rejects a malformed filter, even on a collection that does not exist', async () => {
    await expect(
      freshCollection()
        .find({ n: { $unknownOperator: 1 } })
        .toArray(),
    ).rejects.toBeInstanceOf(MongoServerError);
  });
});
