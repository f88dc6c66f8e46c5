import { type Db, type Document, MongoClient } from 'mongodb';
import { seedDemoData } from '../../scripts/seed/demo';
import { requestCellsPipeline } from '../../subgraphs/tenancy/data/requestCells';
import { ALL_STATS_PARTS, requestStatsPipeline } from '../../subgraphs/tenancy/data/requestStats';
import type { Evaluation } from '../evaluation';
import { startEmbeddedMongo, type EmbeddedMongo } from '../index';

/**
 * Consistency of the server's own paths: the native fast paths against the general evaluation, on the
 * demo data and the graph's own queries. Both servers must give the same answers (arrays compared as
 * sets: without a sort, neither order is promised). semantics.test.ts checks the general evaluation
 * against MongoDB's documented behaviour.
 */
const NOW = new Date('2026-06-01T00:00:00Z');
const servers: Array<{ server: EmbeddedMongo; client: MongoClient; db: Db }> = [];

beforeAll(async () => {
  for (const evaluation of ['native', 'mingo'] as Evaluation[]) {
    const server = await startEmbeddedMongo({ evaluation });
    const client = await MongoClient.connect(server.uri);
    const db = client.db('evaluation');
    await seedDemoData(db, { now: NOW });
    servers.push({ server, client, db });
  }
}, 60_000);

afterAll(async () => {
  for (const { client, server } of servers) {
    await client.close();
    await server.stop();
  }
});

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, canonical(field)]));
}

async function sameOnBoth(run: (db: Db) => Promise<Document[]>): Promise<Document[]> {
  const [native, mingo] = await Promise.all(servers.map(({ db }) => run(db)));
  expect(canonical(native)).toEqual(canonical(mingo));
  return native!;
}

const since = new Date(NOW.getTime() - 90 * 86_400_000);

describe('native fast paths against the general evaluation', () => {
  it.each([
    ['district request stats since 90 days', 'districtId', since],
    ['district request stats, all time', 'districtId', null],
    ['building request stats since 90 days', 'buildingId', since],
  ] as const)('%s', async (_, field, from) => {
    const parentIds = (await servers[0]!.db.collection('serviceRequests').distinct(field)) as string[];
    const [facets] = await sameOnBoth((db) =>
      db
        .collection('serviceRequests')
        .aggregate(requestStatsPipeline(field, parentIds, from, NOW, ALL_STATS_PARTS))
        .toArray(),
    );
    expect((facets!.summary as Document[]).length).toBeGreaterThan(0);
  });

  it('base cells of request statistics (building × month × category × landlord)', async () => {
    const cells = await sameOnBoth((db) =>
      db
        .collection('serviceRequests')
        .aggregate(requestCellsPipeline({ districtId: { $in: ['district-grand-mirail'] } }))
        .toArray(),
    );
    expect(cells.reduce((sum, cell) => sum + (cell.count as number), 0)).toBe(
      await servers[0]!.db.collection('serviceRequests').countDocuments(),
    );
  });

  it('stock of a district, by landlord and by financing', async () => {
    const countBy = (field: string) => [
      { $group: { _id: { districtId: '$districtId', [field]: { $ifNull: [`$${field}`, null] } }, count: { $sum: 1 } } },
    ];
    await sameOnBoth((db) =>
      db
        .collection('dwellings')
        .aggregate([
          { $match: { districtId: { $in: ['district-grand-mirail'] } } },
          { $facet: { byLandlord: countBy('landlordId'), byFinancing: countBy('financing') } },
        ])
        .toArray(),
    );
  });

  it('landlords per district, and range and membership finds', async () => {
    await sameOnBoth((db) =>
      db
        .collection('buildings')
        .aggregate([{ $group: { _id: '$districtId', landlordIds: { $addToSet: '$landlordId' } } }])
        .toArray(),
    );
    const requests = await sameOnBoth((db) =>
      db
        .collection('serviceRequests')
        .find({ districtId: 'district-grand-mirail', openedAt: { $gte: since, $lt: NOW }, status: { $in: ['OPEN', 'ACKNOWLEDGED'] } })
        .toArray(),
    );
    expect(requests.length).toBeGreaterThan(0);
  });
});
