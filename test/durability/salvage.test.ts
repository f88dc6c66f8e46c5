import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../embedded-mongo';
import { runScript } from '../support/runScript';

/** `npm run db:salvage -- FOLDER` on a folder the server refuses: it says what is lost, and the server starts again. */
describe('npm run db:salvage', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'qc-salvage-'));
    const server = await startEmbeddedMongo({ dataDirectory: directory });
    const client = await MongoClient.connect(server.uri);
    const households = client.db('quartier').collection('households');
    for (let index = 0; index < 5; index++) await households.insertOne({ _id: `household-${index}` as never, size: index + 1 });
    await client.close();
    await server.stop();
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('keeps the intact records, names the lost one by file and offset, and leaves a folder that starts', async () => {
    const journalPath = join(directory, 'embedded-mongo.journal');
    const journal = await readFile(journalPath);
    // A byte in the middle of the last record: the last insert.
    journal[journal.length - 10] = (journal[journal.length - 10] as number) ^ 0x40;
    await writeFile(journalPath, journal);
    await expect(startEmbeddedMongo({ dataDirectory: directory })).rejects.toThrow(`${journalPath} is damaged at byte`);

    const run = await runScript('scripts/db-salvage.ts', [directory], {});

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Lost:\\n  - ${journalPath} bytes \\d+–${journal.length}: record checksum mismatch`));
    expect(run.stdout).toContain('Kept 4 documents');
    expect((await readdir(directory)).some((name) => name.startsWith('damaged-'))).toBe(true);

    const server = await startEmbeddedMongo({ dataDirectory: directory });
    const client = await MongoClient.connect(server.uri);
    try {
      const ids = await client.db('quartier').collection('households').distinct('_id');
      expect(ids.sort()).toEqual(['household-0', 'household-1', 'household-2', 'household-3']);
    } finally {
      await client.close();
      await server.stop();
    }
    const again = await runScript('scripts/db-salvage.ts', [directory], {});
    expect(again.stdout).toContain('are intact (4 documents');
  }, 120_000);

  it('refuses to salvage a folder in use, naming the holder', async () => {
    const server = await startEmbeddedMongo({ dataDirectory: directory });
    try {
      const run = await runScript('scripts/db-salvage.ts', [directory], {});
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`The data folder ${directory} is in use by process ${process.pid}`);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
