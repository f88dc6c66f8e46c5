import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, open, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Long, MongoServerError, ObjectId, type Document } from 'mongodb';
import { CHECKPOINT_FILE, JOURNAL_FILE } from '../durability/durableStorage';
import { LOCK_FILE } from '../durability/dataLock';
import { isFrame, MAGIC_BYTES, readFrame } from '../durability/frames';
import { createJournal, JournalWriter, readJournal } from '../durability/journal';
import { salvageDataDirectory } from '../durability/salvage';
import { startEmbeddedMongo } from '../index';
import { connectToNewServer, type EmbeddedConnection } from './support/embeddedConnection';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'embedded-mongo-durability-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

/** A server on a data folder; `notices` collects what it reports (recoveries, takeovers). */
async function openFolder(
  folder: string,
  options: { checkpointJournalBytes?: number } = {},
): Promise<EmbeddedConnection & { notices: string[] }> {
  const notices: string[] = [];
  const connection = await connectToNewServer({
    server: { dataDirectory: folder, notice: (message) => notices.push(message), ...options },
  });
  return { ...connection, notices };
}

/**
 * Writes of every kind, then a clean stop: a first run checkpoints after every group commit (the smallest
 * threshold), a second one (default threshold) leaves its writes in the journal after that checkpoint.
 */
async function writeHistory(folder: string): Promise<void> {
  const first = await openFolder(folder, { checkpointJournalBytes: 1 });
  const tenants = first.db.collection('tenants');
  await tenants.createIndex({ email: 1 }, { unique: true, name: 'email_unique' }, undefined);
  for (let index = 0; index < 40; index++) await tenants.insertOne({ _id: index as never, email: `t${index}@example.org`, version: 1 });
  await first.close();

  const second = await openFolder(folder);
  const sameTenants = second.db.collection('tenants');
  await sameTenants.updateMany({ _id: { $lt: 10 } as never }, { $set: { version: 2 } });
  await sameTenants.deleteOne({ _id: 3 as never });
  await sameTenants.findOneAndUpdate({ _id: 4 as never }, { $inc: { version: 1 } });
  await second.db.collection('events').insertMany([{ kind: 'a' }, { kind: 'b' }]);
  await second.close();
}

async function contents(folder: string): Promise<Document[]> {
  const connection = await openFolder(folder);
  try {
    return await connection.db
      .collection('tenants')
      .find({}, { sort: { _id: 1 } })
      .toArray();
  } finally {
    await connection.close();
  }
}

/** The byte offsets where each record of a framed file starts, and the file's length. */
async function recordOffsets(path: string): Promise<number[]> {
  const content = await readFile(path);
  const offsets: number[] = [];
  for (let offset = MAGIC_BYTES; offset < content.length;) {
    const read = readFrame(content, offset);
    if (!isFrame(read)) throw new Error(`unexpected damage at ${offset}`);
    offsets.push(offset);
    offset = read.end;
  }
  return offsets;
}

/** Starting from a copy of `source` changed by `damage` must fail, naming the file and `offset`. */
async function expectRefusal(
  source: string,
  damage: (folder: string) => Promise<void>,
  file: string,
  offset: number | RegExp,
): Promise<void> {
  const copy = await mkdtemp(join(tmpdir(), 'embedded-mongo-damaged-'));
  try {
    await cp(source, copy, { recursive: true });
    await damage(copy);
    const error = await startEmbeddedMongo({ dataDirectory: copy, notice: () => undefined }).then(
      async (server) => {
        await server.stop();
        return undefined;
      },
      (failure: unknown) => failure as Error,
    );
    expect(error?.message).toContain(join(copy, file));
    expect(error?.message).toMatch(typeof offset === 'number' ? new RegExp(`damaged at byte ${offset}\\b`) : offset);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/**
 * A copy of the folder taken while its server runs: what a crash of the process leaves on disk. Only while no
 * checkpoint is being written: a copy is not atomic as a crash is (the real crash test kills during checkpoints).
 */
async function crashImage(folder: string): Promise<string> {
  const image = await mkdtemp(join(tmpdir(), 'embedded-mongo-crash-'));
  await cp(folder, image, { recursive: true });
  return image;
}

describe('the data folder', () => {
  it('keeps data, BSON types and unique indexes across a restart', async () => {
    const id = new ObjectId();
    const first = await openFolder(join(directory, 'nested'));
    await first.db.collection('tenants').createIndex({ email: 1 }, { unique: true, name: 'email_unique' }, undefined);
    await first.db
      .collection('tenants')
      .insertOne({ _id: id, email: 'ana@example.org', since: new Date('2020-01-01'), rent: Long.fromString('9007199254740993') });
    await first.close();

    const second = await openFolder(join(directory, 'nested'));
    try {
      const tenants = second.db.collection('tenants');
      await expect(tenants.findOne({ _id: id })).resolves.toEqual({
        _id: id,
        email: 'ana@example.org',
        since: new Date('2020-01-01'),
        rent: Long.fromString('9007199254740993'),
      });
      expect((await tenants.listIndexes().toArray()).map(({ name }) => name)).toEqual(['_id_', 'email_unique']);
      await expect(tenants.insertOne({ email: 'ana@example.org' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await second.close();
    }
  });

  it('replays the journal over the checkpoint: every write of every kind, in order', async () => {
    await writeHistory(directory);
    expect(await readdir(directory)).toEqual(expect.arrayContaining([CHECKPOINT_FILE, JOURNAL_FILE, LOCK_FILE]));
    const tenants = await contents(directory);
    expect(tenants).toHaveLength(39);
    expect(tenants.find(({ _id }) => _id === 4)).toMatchObject({ version: 3 });
    expect(tenants.filter(({ version }) => version === 2).map(({ _id }) => _id)).toEqual([0, 1, 2, 5, 6, 7, 8, 9]);
  });

  it('keeps every acknowledged write when the process dies without stopping', async () => {
    const connection = await openFolder(directory);
    try {
      const writes = Array.from({ length: 300 }, (_, index) =>
        connection.db.collection('requests').insertOne({ _id: index as never, at: new Date() }),
      );
      await Promise.all(writes);
      const image = await crashImage(directory);
      const recovered = await openFolder(image);
      try {
        expect(await recovered.db.collection('requests').countDocuments()).toBe(300);
        expect(recovered.notices.join('\n')).toMatch(/did not stop cleanly/);
      } finally {
        await recovered.close();
        await rm(image, { recursive: true, force: true });
      }
    } finally {
      await connection.close();
    }
  });

  it('acknowledges a write, and answers a read that sees it, only once it is durable', async () => {
    const connection = await openFolder(directory);
    const prototype = await fileHandlePrototype(directory);
    const original = prototype.datasync;
    let releaseSync!: () => void;
    const syncReleased = new Promise<void>((resolve) => (releaseSync = resolve));
    const datasync = jest.spyOn(prototype, 'datasync').mockImplementation(async function (this: unknown) {
      await syncReleased;
      return original.call(this);
    });
    try {
      const answered: string[] = [];
      const requests = connection.db.collection('requests');
      const write = requests.insertOne({ _id: 'request-1' as never, clientMutationId: 'retry-me' }).then(() => answered.push('write'));
      // Once the journal is syncing, the insert has run: a read now sees it, as a retry with the same key would.
      while (datasync.mock.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const read = requests.findOne({ clientMutationId: 'retry-me' }).then((found) => answered.push(`read ${String(found?._id)}`));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toEqual([]);

      releaseSync();
      await Promise.all([write, read]);
      expect(answered.sort()).toEqual(['read request-1', 'write']);
    } finally {
      releaseSync();
      datasync.mockRestore();
      await connection.close();
    }
  });

  it('fails a write whose journal cannot be synced, and serves nothing more until restarted', async () => {
    const connection = await openFolder(directory);
    const prototype = await fileHandlePrototype(directory);
    const datasync = jest
      .spyOn(prototype, 'datasync')
      .mockRejectedValueOnce(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    try {
      const requests = connection.db.collection('requests');
      await expect(requests.insertOne({ _id: 'lost' as never })).rejects.toThrow(
        /could not be written \(no space left on device\); the write is not durable/,
      );
      await expect(requests.findOne({})).rejects.toThrow(/serves nothing more until it is restarted/);
    } finally {
      datasync.mockRestore();
      await connection.close();
    }
    // The lock is left as a crash leaves it, and the next start recovers. The failed write was never
    // acknowledged: whether its bytes reached the disk anyway is the disk's business; it is whole or absent.
    const restarted = await openFolder(directory);
    try {
      expect(restarted.notices.join('\n')).toMatch(/did not stop cleanly/);
      expect([[], [{ _id: 'lost' }]]).toContainEqual(await restarted.db.collection('requests').find().toArray());
    } finally {
      await restarted.close();
    }
  });

  it('journals concurrent writes with one fsync for all those that arrived during the previous one', async () => {
    const path = join(directory, JOURNAL_FILE);
    await createJournal(path, 0);
    const journal = await JournalWriter.open(path, readJournal(path, await readFile(path)), {
      durable: async () => undefined,
      flushed: () => undefined,
    });
    const prototype = await fileHandlePrototype(directory);
    const datasync = jest.spyOn(prototype, 'datasync');
    try {
      await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          journal.append([{ op: 'insert', database: 'd', collection: 'c', document: { _id: index } }]),
        ),
      );
      // The first append starts a write+fsync alone; the other 99 arrive meanwhile and share the next one.
      expect(datasync).toHaveBeenCalledTimes(2);
    } finally {
      datasync.mockRestore();
      await journal.close();
    }
    expect(readJournal(path, await readFile(path)).records.map(({ sequence }) => sequence)).toEqual(
      Array.from({ length: 100 }, (_, index) => index + 1),
    );
  });
});

describe('damage', () => {
  let history: string;

  beforeAll(async () => {
    history = await mkdtemp(join(tmpdir(), 'embedded-mongo-history-'));
    await writeHistory(history);
  });
  afterAll(() => rm(history, { recursive: true, force: true }));

  it('refuses a checkpoint cut at any record boundary or inside any record, naming the file and the offset', async () => {
    const path = join(history, CHECKPOINT_FILE);
    const offsets = await recordOffsets(path);
    const length = (await readFile(path)).length;
    expect(offsets.length).toBeGreaterThanOrEqual(4);
    for (const [index, offset] of offsets.entries()) {
      const next = offsets[index + 1] ?? length;
      await expectRefusal(history, (copy) => truncate(join(copy, CHECKPOINT_FILE), offset), CHECKPOINT_FILE, offset);
      await expectRefusal(
        history,
        (copy) => truncate(join(copy, CHECKPOINT_FILE), Math.floor((offset + next) / 2)),
        CHECKPOINT_FILE,
        offset,
      );
    }
    await expectRefusal(history, (copy) => truncate(join(copy, CHECKPOINT_FILE), 3), CHECKPOINT_FILE, 0);
  });

  it('refuses a journal cut at any record boundary or inside any record, after a clean stop and after a crash', async () => {
    const path = join(history, JOURNAL_FILE);
    const offsets = await recordOffsets(path);
    const length = (await readFile(path)).length;
    expect(offsets.length).toBeGreaterThanOrEqual(4);
    for (const [index, offset] of offsets.entries()) {
      const next = offsets[index + 1] ?? length;
      await expectRefusal(history, (copy) => truncate(join(copy, JOURNAL_FILE), offset), JOURNAL_FILE, offset);
      await expectRefusal(history, (copy) => truncate(join(copy, JOURNAL_FILE), Math.floor((offset + next) / 2)), JOURNAL_FILE, offset);
    }
    // As a crash leaves it: the lock still names a process (a dead one), with the acknowledged length.
    const crashed = async (copy: string) => {
      const lock = JSON.parse(await readFile(join(copy, LOCK_FILE), 'utf8')) as Document;
      await writeFile(join(copy, LOCK_FILE), JSON.stringify({ ...lock, pid: deadPid(), state: 'running' }));
    };
    const lastRecord = offsets[offsets.length - 1] as number;
    await expectRefusal(
      history,
      async (copy) => {
        await crashed(copy);
        await truncate(join(copy, JOURNAL_FILE), lastRecord);
      },
      JOURNAL_FILE,
      lastRecord,
    );
    await expectRefusal(
      history,
      async (copy) => {
        await crashed(copy);
        await truncate(join(copy, JOURNAL_FILE), lastRecord + 5);
      },
      JOURNAL_FILE,
      lastRecord,
    );
  });

  it('refuses a flipped byte anywhere in the checkpoint or the journal, naming the file and the record', async () => {
    for (const file of [CHECKPOINT_FILE, JOURNAL_FILE]) {
      const content = await readFile(join(history, file));
      const offsets = await recordOffsets(join(history, file));
      for (const [index, offset] of offsets.entries()) {
        const next = offsets[index + 1] ?? content.length;
        // One byte of the header (the length) and one of the payload.
        for (const position of [offset + 1, Math.floor((offset + 20 + next) / 2)]) {
          await expectRefusal(
            history,
            async (copy) => {
              const damaged = Buffer.from(content);
              damaged[position] = (damaged[position] as number) ^ 0x10;
              await writeFile(join(copy, file), damaged);
            },
            file,
            offset,
          );
        }
      }
      await expectRefusal(
        history,
        async (copy) => {
          const damaged = Buffer.from(content);
          damaged[2] = (damaged[2] as number) ^ 0x01;
          await writeFile(join(copy, file), damaged);
        },
        file,
        0,
      );
    }
  });

  it('refuses the single snapshot file of earlier versions rather than start empty beside it', async () => {
    await writeFile(join(directory, 'embedded-mongo.bson'), Buffer.from('an old snapshot'));
    await expect(startEmbeddedMongo({ dataDirectory: directory })).rejects.toThrow(
      `${join(directory, 'embedded-mongo.bson')} is the data file of an earlier version`,
    );
  });

  it('refuses bytes appended after a clean stop, and a journal without its checkpoint', async () => {
    const length = (await readFile(join(history, JOURNAL_FILE))).length;
    await expectRefusal(history, (copy) => writeFile(join(copy, JOURNAL_FILE), Buffer.alloc(10), { flag: 'a' }), JOURNAL_FILE, length);
    await expectRefusal(history, (copy) => rm(join(copy, CHECKPOINT_FILE)), JOURNAL_FILE, MAGIC_BYTES);
    await expectRefusal(history, (copy) => rm(join(copy, JOURNAL_FILE)), JOURNAL_FILE, 0);
  });

  it('after a crash, discards an incomplete final record beyond the acknowledged length, and says so', async () => {
    const image = await mkdtemp(join(tmpdir(), 'embedded-mongo-torn-'));
    try {
      await cp(history, image, { recursive: true });
      const lock = JSON.parse(await readFile(join(image, LOCK_FILE), 'utf8')) as Document;
      await writeFile(join(image, LOCK_FILE), JSON.stringify({ ...lock, pid: deadPid(), state: 'running' }));
      const journal = await readFile(join(image, JOURNAL_FILE));
      const offsets = await recordOffsets(join(image, JOURNAL_FILE));
      const lastRecord = journal.subarray(offsets[offsets.length - 1]);
      // The same record again, cut in its middle: an append interrupted before its fsync.
      await writeFile(join(image, JOURNAL_FILE), lastRecord.subarray(0, lastRecord.length - 3), { flag: 'a' });

      const recovered = await openFolder(image);
      try {
        expect(recovered.notices.join('\n')).toMatch(new RegExp(`incomplete final record at byte ${journal.length}`));
        expect(await recovered.db.collection('tenants').countDocuments()).toBe(39);
        await recovered.db.collection('tenants').insertOne({ _id: 100 as never, email: 'new@example.org' });
      } finally {
        await recovered.close();
      }
      // The torn bytes were cut off before appending: the journal is whole again.
      expect((await contents(image)).map(({ _id }) => _id)).toContain(100);
    } finally {
      await rm(image, { recursive: true, force: true });
    }
  });
});

describe('the lock', () => {
  it('refuses a second server on the same folder, naming the folder and the holder', async () => {
    const first = await openFolder(directory);
    try {
      await expect(startEmbeddedMongo({ dataDirectory: directory })).rejects.toThrow(
        `The data folder ${directory} is in use by process ${process.pid}`,
      );
    } finally {
      await first.close();
    }
  });

  it('refuses a folder whose lock names another running process', async () => {
    await writeFile(join(directory, LOCK_FILE), JSON.stringify({ pid: process.ppid, state: 'running', journalBase: 0, journalBytes: 0 }));
    await expect(startEmbeddedMongo({ dataDirectory: directory })).rejects.toThrow(`is in use by process ${process.ppid}`);
  });

  it('takes over the lock of a process that no longer runs', async () => {
    await writeHistory(directory);
    const stale = deadPid();
    const lock = JSON.parse(await readFile(join(directory, LOCK_FILE), 'utf8')) as Document;
    await writeFile(join(directory, LOCK_FILE), JSON.stringify({ ...lock, pid: stale, state: 'running' }));
    const connection = await openFolder(directory);
    try {
      expect(connection.notices.join('\n')).toContain(`process ${stale} did not stop cleanly and no longer runs; taking over its lock`);
      expect(JSON.parse(await readFile(join(directory, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, state: 'running' });
      expect(await connection.db.collection('tenants').countDocuments()).toBe(39);
    } finally {
      await connection.close();
    }
  });
});

describe('salvage', () => {
  it('keeps every intact record, writes a fresh checkpoint, keeps the damaged files aside and names what was lost', async () => {
    await writeHistory(directory);
    const checkpointOffsets = await recordOffsets(join(directory, CHECKPOINT_FILE));
    const journalOffsets = await recordOffsets(join(directory, JOURNAL_FILE));
    // A byte of the first document record of the checkpoint, and of the second-to-last journal record.
    const documentsRecord = checkpointOffsets[2] as number;
    const journalRecord = journalOffsets[journalOffsets.length - 2] as number;
    for (const [file, offset] of [
      [CHECKPOINT_FILE, documentsRecord],
      [JOURNAL_FILE, journalRecord],
    ] as const) {
      const content = await readFile(join(directory, file));
      content[offset + 30] = (content[offset + 30] as number) ^ 0xff;
      await writeFile(join(directory, file), content);
    }
    await expect(startEmbeddedMongo({ dataDirectory: directory })).rejects.toThrow(/damaged at byte/);

    const report = await salvageDataDirectory(directory);

    expect(report.salvaged).toBe(true);
    expect(report.lost).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${join(directory, CHECKPOINT_FILE)} bytes ${documentsRecord}–`),
        expect.stringContaining(`${join(directory, JOURNAL_FILE)} bytes ${journalRecord}–`),
        expect.stringMatching(/embedded_test\.tenants lost$/),
        expect.stringMatching(/journal records \d+–\d+ are lost/),
      ]),
    );
    expect(await readdir(report.asideDirectory as string)).toEqual(expect.arrayContaining([CHECKPOINT_FILE, JOURNAL_FILE]));
    // The last journal record (the events) is intact and kept; the tenants of the damaged record are not.
    const connection = await openFolder(directory);
    try {
      expect(await connection.db.collection('events').countDocuments()).toBe(2);
      expect(await connection.db.collection('tenants').countDocuments()).toBeLessThan(39);
      expect((await connection.db.collection('tenants').listIndexes().toArray()).map(({ name }) => name)).toEqual(['_id_', 'email_unique']);
    } finally {
      await connection.close();
    }
    // The fresh files are whole: salvage again finds nothing to do.
    await expect(salvageDataDirectory(directory)).resolves.toMatchObject({ salvaged: false, lost: [] });
  });
});

describe('write concerns', () => {
  let connection: EmbeddedConnection;
  beforeAll(async () => {
    connection = await connectToNewServer({ server: { dataDirectory: await mkdtemp(join(tmpdir(), 'embedded-mongo-wc-')) } });
  });
  afterAll(() => connection.close());

  it('honours j: true and w: majority (a majority of one), as a standalone mongod does', async () => {
    const tenants = connection.db.collection('wc_tenants');
    await expect(tenants.insertOne({ _id: 1 as never }, { writeConcern: { journal: true } })).resolves.toMatchObject({
      acknowledged: true,
    });
    await expect(tenants.insertOne({ _id: 2 as never }, { writeConcern: { w: 'majority', journal: true } })).resolves.toMatchObject({
      acknowledged: true,
    });
    await expect(tenants.countDocuments()).resolves.toBe(2);
  });

  it("refuses what a standalone cannot honour with mongod's error, and writes nothing", async () => {
    const tenants = connection.db.collection('wc_refused');
    await expect(tenants.insertOne({ _id: 1 as never }, { writeConcern: { w: 2 } })).rejects.toMatchObject({
      code: 2,
      codeName: 'BadValue',
      message: "cannot use 'w' > 1 when a host is not replicated",
    });
    await expect(
      tenants.updateOne({ _id: 1 as never }, { $set: { a: 1 } }, { upsert: true, writeConcern: { w: 'dataCentres' as never } }),
    ).rejects.toMatchObject({
      code: 2,
      message: "cannot use non-majority 'w' mode dataCentres when a host is not a member of a replica set",
    });
    await expect(tenants.countDocuments()).resolves.toBe(0);
    await expect(connection.db.command({ find: 'wc_refused', writeConcern: { w: 1 } })).rejects.toBeInstanceOf(MongoServerError);
  });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** Node's FileHandle class is not exported: its prototype, to watch the journal's fsyncs. */
async function fileHandlePrototype(folder: string): Promise<{ datasync: () => Promise<void> }> {
  const probe = await open(join(folder, 'probe'), 'w');
  await probe.close();
  await rm(join(folder, 'probe'));
  return Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
}
