import { type Db, MongoClient } from 'mongodb';
import { type EmbeddedMongo, startEmbeddedMongo } from '../../embedded-mongo';
import { seedDemoData } from '../../scripts/seed/demo';
import { COLLECTIONS } from '../../subgraphs/shared/mongo';
import { runScript } from '../support/runScript';

const NOW = new Date('2026-11-23T00:00:00Z');

const runDbLoad = (args: string[], env: Record<string, string>) => runScript('scripts/seed/dbLoad.ts', args, env);

describe('the scaled seed', () => {
  let mongo: EmbeddedMongo;
  let client: MongoClient;

  beforeAll(async () => {
    mongo = await startEmbeddedMongo();
    client = await MongoClient.connect(mongo.uri);
  });

  afterAll(async () => {
    await client.close();
    await mongo.stop();
  });

  /** Every collection's documents, but the revision tokens: random by design, so that none is ever seen twice. */
  async function contentsOf(db: Db): Promise<Record<string, unknown[]>> {
    const contents: Record<string, unknown[]> = {};
    for (const name of Object.values(COLLECTIONS)) {
      const projection = name === COLLECTIONS.requestCellsRevisions || name === COLLECTIONS.graphRevisions ? { token: 0 } : {};
      contents[name] = await db.collection(name).find({}, { projection }).sort({ _id: 1 }).toArray();
    }
    return contents;
  }

  it('writes N times the demo, and exactly the counts a benchmark asks for', async () => {
    const scaled = await seedDemoData(client.db('seed-scale-3'), { scale: 3, now: NOW });
    const benchmark = await seedDemoData(client.db('seed-benchmark'), {
      now: NOW,
      counts: { landlords: 10, districts: 5, buildings: 40, dwellings: 1_000, requests: 2_000, actions: 50 },
    });

    expect(scaled).toMatchObject({
      landlords: 9,
      districts: 3,
      buildings: 60,
      dwellings: 10_890,
      serviceRequests: 900,
      actions: 36,
      partners: 6,
    });
    expect(benchmark).toMatchObject({
      landlords: 10,
      districts: 5,
      buildings: 40,
      dwellings: 1_000,
      serviceRequests: 2_000,
      actions: 50,
      partners: 10,
    });
    const stock = await client
      .db('seed-benchmark')
      .collection(COLLECTIONS.dwellings)
      .aggregate([{ $group: { _id: '$districtId', n: { $sum: 1 } } }])
      .toArray();
    expect(stock).toHaveLength(5);
  });

  it('is deterministic: two runs write identical documents', async () => {
    const options = { scale: 2, now: NOW, counts: { requests: 1_500 } };
    const first = client.db('seed-run-1');
    const second = client.db('seed-run-2');
    await seedDemoData(first, options);
    await seedDemoData(second, options);

    const [a, b] = [await contentsOf(first), await contentsOf(second)];
    expect(a[COLLECTIONS.serviceRequests]).toHaveLength(1_500);
    expect(b).toEqual(a);
  });

  it('is run by an administrator as npm run db:load, which says it goes past the graph, refusing to load over data without --drop', async () => {
    const env = { MONGODB_URI: mongo.uri, MONGODB_DB: 'seed-cli' };
    const first = await runDbLoad(['--scale', '1'], env);
    const again = await runDbLoad([], env);
    const dropped = await runDbLoad(['--drop', '--requests', '50'], env);
    const wrong = await runDbLoad(['--scale', 'two'], env);
    const noDatabase = await runDbLoad([], { MONGODB_URI: '' });

    expect(first.status).toBe(0);
    expect(first.stderr).toContain('db:load writes straight into the database, past the subgraphs and their access rules');
    expect(first.stdout).toMatch(/^Seeded [\d,]+ documents in \d+\.\d s:\n/);
    expect(first.stdout).toContain('  dwellings            3,630\n');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('add --drop to replace it');
    expect(dropped.status).toBe(0);
    expect(dropped.stdout).toContain('  serviceRequests      50\n');
    expect(await client.db('seed-cli').collection(COLLECTIONS.serviceRequests).countDocuments()).toBe(50);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--scale must be a whole number, not "two".');
    expect(noDatabase.status).toBe(2);
    expect(noDatabase.stderr).toContain('MONGODB_URI');
  }, 60_000);
});
