import { MongoBulkWriteError, MongoServerError, type Collection, type Document } from 'mongodb';
import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

/** Driver-level checks, written so that a real mongod passes them too. */
let connection: EmbeddedConnection;
let collectionCount = 0;

beforeAll(async () => {
  connection = await connectToNewServer();
});
afterAll(() => connection.close());

async function collectionWithUniqueEmail(): Promise<Collection> {
  const collection = connection.db.collection(`indexes_${++collectionCount}`);
  await collection.createIndex({ email: 1 }, { unique: true, name: 'email_unique' }, undefined);
  await collection.insertOne({ _id: 1, email: 'ana@example.org' } as Document);
  return collection;
}

const duplicateEmail = { code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'ana@example.org' } };

describe('unique indexes', () => {
  it('refuse a duplicate insert with E11000', async () => {
    const collection = await collectionWithUniqueEmail();

    const failure = await collection.insertOne({ email: 'ana@example.org' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MongoServerError);
    expect(failure).toMatchObject(duplicateEmail);
    expect((failure as Error).message).toBe(
      `E11000 duplicate key error collection: embedded_test.${collection.collectionName} index: email_unique dup key: { email: "ana@example.org" }`,
    );
  });

  it('refuse an update, an upsert or a findOneAndUpdate that would duplicate a key', async () => {
    const collection = await collectionWithUniqueEmail();
    await collection.insertOne({ _id: 2, email: 'ben@example.org' } as Document);

    await expect(collection.updateOne({ _id: 2 } as Document, { $set: { email: 'ana@example.org' } })).rejects.toMatchObject(
      duplicateEmail,
    );
    await expect(
      collection.updateOne({ _id: 3 } as Document, { $set: { email: 'ana@example.org' } }, { upsert: true }),
    ).rejects.toMatchObject(duplicateEmail);
    await expect(collection.findOneAndUpdate({ _id: 2 } as Document, { $set: { email: 'ana@example.org' } })).rejects.toMatchObject(
      duplicateEmail,
    );
    await expect(
      collection
        .find({}, { projection: { _id: 1, email: 1 } })
        .sort({ _id: 1 })
        .toArray(),
    ).resolves.toEqual([
      { _id: 1, email: 'ana@example.org' },
      { _id: 2, email: 'ben@example.org' },
    ]);
  });

  it('let a document keep its own key, and free a key once it is changed or deleted', async () => {
    const collection = await collectionWithUniqueEmail();

    await expect(collection.updateOne({ _id: 1 } as Document, { $set: { email: 'ana@example.org', seen: true } })).resolves.toMatchObject({
      modifiedCount: 1,
    });
    await collection.updateOne({ _id: 1 } as Document, { $set: { email: 'ana.b@example.org' } });
    await expect(collection.insertOne({ email: 'ana@example.org' })).resolves.toBeDefined();
    await collection.deleteMany({});
    await expect(collection.insertOne({ email: 'ana@example.org' })).resolves.toBeDefined();
  });

  it('report the failing documents of a batch and keep the others', async () => {
    const collection = await collectionWithUniqueEmail();

    const failure = await collection
      .insertMany([{ email: 'a@example.org' }, { email: 'ana@example.org' }, { email: 'b@example.org' }], { ordered: false })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(MongoBulkWriteError);
    expect((failure as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    await expect(collection.countDocuments()).resolves.toBe(3);
  });

  it('apply to compound keys and honour partial filters', async () => {
    const collection = connection.db.collection(`indexes_${++collectionCount}`);
    await collection.createIndex(
      { landlordId: 1, clientMutationId: 1 },
      { unique: true, name: 'landlord_mutation_unique', partialFilterExpression: { clientMutationId: { $type: 'string' } } },
      undefined,
    );

    await collection.insertMany([
      { landlordId: 'L1' },
      { landlordId: 'L1' },
      { landlordId: 'L1', clientMutationId: 'm1' },
      { landlordId: 'L2', clientMutationId: 'm1' },
    ]);

    await expect(collection.insertOne({ landlordId: 'L1', clientMutationId: 'm1' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { landlordId: 'L1', clientMutationId: 'm1' },
    });
  });

  it('cannot be created over existing duplicates', async () => {
    const collection = connection.db.collection(`indexes_${++collectionCount}`);
    await collection.insertMany([{ code: 'x' }, { code: 'x' }]);

    await expect(collection.createIndex({ code: 1 }, { unique: true }, undefined)).rejects.toMatchObject({ code: 11000 });
    expect((await collection.listIndexes().toArray()).map(({ name }) => name)).toEqual(['_id_']);
  });
});

describe('index management', () => {
  it('lists, skips re-creating and drops indexes', async () => {
    const collection = connection.db.collection(`indexes_${++collectionCount}`);

    await collection.createIndexes([{ key: { city: 1 } }, { key: { city: 1, street: -1 }, name: 'address', unique: true }]);
    await collection.createIndex({ city: 1 });

    expect(await collection.listIndexes().toArray()).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { city: 1 }, name: 'city_1' },
      { v: 2, key: { city: 1, street: -1 }, name: 'address', unique: true },
    ]);
    await expect(collection.indexExists('address')).resolves.toBe(true);

    await collection.dropIndex('city_1');
    await expect(collection.dropIndex('_id_')).rejects.toBeInstanceOf(MongoServerError);
    expect((await collection.listIndexes().toArray()).map(({ name }) => name)).toEqual(['_id_', 'address']);
  });

  it('finds documents by indexed fields, whatever the value types', async () => {
    const collection = connection.db.collection(`indexes_${++collectionCount}`);
    await collection.createIndex({ tag: 1 });
    await collection.insertMany([{ n: 1, tag: 'a' }, { n: 2, tag: ['a', 'b'] }, { n: 3, tag: 1 }, { n: 4 }, { n: 5, tag: null }]);

    const ns = async (filter: Document) => (await collection.find(filter).sort({ n: 1 }).toArray()).map(({ n }) => n);

    expect(await ns({ tag: 'a' })).toEqual([1, 2]);
    expect(await ns({ tag: { $in: ['b', 1] } })).toEqual([2, 3]);
    expect(await ns({ tag: 1.0 })).toEqual([3]);
    expect(await ns({ tag: null })).toEqual([4, 5]);
    expect(await ns({ tag: ['a', 'b'] })).toEqual([2]);
    expect(await ns({ tag: /^b/ })).toEqual([2]);

    await collection.updateOne({ n: 1 }, { $set: { tag: 'b' } });
    await collection.deleteOne({ n: 2 });
    expect(await ns({ tag: 'a' })).toEqual([]);
    expect(await ns({ tag: 'b' })).toEqual([1]);
  });
});

describe('collections', () => {
  it('are listed, created explicitly, and dropped with their indexes', async () => {
    const db = connection.client.db('collections_test');
    await db.createCollection('alpha');
    await db.collection('beta').insertOne({ x: 1 });
    await db.collection('beta').createIndex({ x: 1 }, { unique: true }, undefined);

    expect((await db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name).sort()).toEqual(['alpha', 'beta']);
    expect(await db.listCollections({ name: 'beta' }).toArray()).toMatchObject([{ name: 'beta', type: 'collection' }]);
    await expect(db.createCollection('alpha')).rejects.toMatchObject({ code: 48 });

    await expect(db.collection('beta').drop()).resolves.toBe(true);
    await db.collection('beta').insertOne({ x: 1 });
    await expect(db.collection('beta').insertOne({ x: 1 })).resolves.toBeDefined();
    await expect(db.collection('beta').countDocuments()).resolves.toBe(2);
  });

  it('disappear with their database', async () => {
    const db = connection.client.db('dropped_database');
    await db.collection('gamma').insertOne({ x: 1 });

    expect((await connection.client.db('admin').admin().listDatabases()).databases.map(({ name }) => name)).toContain('dropped_database');
    await db.dropDatabase();

    expect((await connection.client.db('admin').admin().listDatabases()).databases.map(({ name }) => name)).not.toContain(
      'dropped_database',
    );
    await expect(db.collection('gamma').countDocuments()).resolves.toBe(0);
  });
});
