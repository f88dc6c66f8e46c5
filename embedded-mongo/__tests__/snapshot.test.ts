import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Long, ObjectId, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../index';
import { connectToNewServer } from './support/embeddedConnection';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'embedded-mongo-snapshot-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

describe('snapshot', () => {
  it('keeps data and unique indexes across a restart', async () => {
    const snapshotPath = join(directory, 'nested', 'data.bson');
    const id = new ObjectId();
    const first = await connectToNewServer({ snapshotPath });
    await first.db.collection('tenants').createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
    await first.db.collection('tenants').insertOne({ _id: id, email: 'ana@example.org', since: new Date('2020-01-01'), rent: Long.fromString('9007199254740993') });
    await first.close();

    const second = await connectToNewServer({ snapshotPath });
    try {
      const tenants = second.db.collection('tenants');
      await expect(tenants.findOne({ _id: id })).resolves.toEqual({
        _id: id,
        email: 'ana@example.org',
        since: new Date('2020-01-01'),
        rent: Long.fromString('9007199254740993'),
      });
      expect((await tenants.listIndexes().toArray()).map(({ name }) => name)).toEqual(['_id_', 'email_unique']);
      await expect(tenants.insertOne({ email: 'ana@example.org' } as Document)).rejects.toMatchObject({ code: 11000 });
    } finally {
      await second.close();
    }
  });

  it('is saved shortly after a write, without waiting for stop', async () => {
    const snapshotPath = join(directory, 'data.bson');
    const connection = await connectToNewServer({ snapshotPath });
    try {
      await connection.db.collection('events').insertOne({ at: new Date() });

      await expect(waitForFile(snapshotPath, 3000)).resolves.toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('refuses to start from a damaged file rather than lose its data', async () => {
    const snapshotPath = join(directory, 'data.bson');
    await writeFile(snapshotPath, Buffer.from('not a snapshot'));

    await expect(startEmbeddedMongo({ snapshotPath })).rejects.toThrow(snapshotPath);
  });
});

async function waitForFile(path: string, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (await stat(path).then(() => true, () => false)) return true;
  }
  return false;
}
