import type { Db } from 'mongodb';
import type { Caller } from '../../../lib/auth/caller';
import { type EmbeddedConnection, connectToNewServer } from '../../../embedded-mongo/__tests__/support/embeddedConnection';
import { SeededRandom } from '../../../scripts/seed/random';
import { Access } from '../../shared/access';
import { Directory } from '../../shared/directory';
import { RequestLoaders } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { type BaseCell, type RequestCellDocument, recountCells, requestCellsCollection, requestCellsLoader } from '../data/requestCells';
import { PENDING_GRACE_MS, reconcilePendingCells, reconcileRequestCells } from '../data/requestCellsReconciliation';
import { ServiceRequestsData, ensureServiceRequestIndexes, serviceRequestsCollection } from '../data/serviceRequests';
import type { RequestCategory, RequestStatus } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
import { ALL_STATS_PARTS } from '../data/requestStats';
import { RequestStatistics, type SharedDisclosedTables, type StatsArguments } from '../requestStatistics';
import { reviseSubgraph } from '../../shared/graphRevisions';
import { SharedByVersion } from '../../shared/sharedByVersion';
import { statusChange } from '../requestStatus';

const HOUR = 3_600_000;
const CALLER = { role: 'ADMIN', sub: 'cells-test' } as const;
const BUILDINGS = [
  { id: 'b1', landlordId: 'l1', districtId: 'd1' },
  { id: 'b2', landlordId: 'l2', districtId: 'd1' },
  { id: 'b3', landlordId: 'l1', districtId: 'd2' },
];
const CATEGORIES: RequestCategory[] = ['LIFT', 'PESTS', 'CLEANLINESS'];
const NEXT: Record<RequestStatus, RequestStatus[]> = {
  OPEN: ['ACKNOWLEDGED', 'REJECTED'],
  ACKNOWLEDGED: ['IN_PROGRESS', 'REJECTED'],
  IN_PROGRESS: ['RESOLVED', 'REJECTED'],
  RESOLVED: [],
  REJECTED: [],
};

/** The database, but with `method` of collection `name` failing while `crashing` says so: a process dying between two writes. */
function withWritesFailing(db: Db, crashing: () => boolean, name: string = COLLECTIONS.requestCells, method = 'updateOne'): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'collection') return Reflect.get(target, property, receiver) as unknown;
      return (collectionName: string) => {
        const collection = target.collection(collectionName);
        if (collectionName !== name) return collection;
        return new Proxy(collection, {
          get(inner, key, innerReceiver) {
            const value = Reflect.get(inner, key, innerReceiver) as unknown;
            if (key !== method || typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (crashing()) return Promise.reject(new Error('the process died here'));
              return (value as (...a: unknown[]) => unknown).apply(inner, args);
            };
          },
        });
      };
    },
  });
}

/** Opens, acknowledges, resolves and rejects requests in a random order, some of them with writes cut short. */
async function randomWrites(db: Db, seed: string, writes: number, crashProbability: number, failing?: [string, string]): Promise<number> {
  const random = new SeededRandom(seed);
  let crashes = 0;
  let crashNext = false;
  const requests = new ServiceRequestsData(
    withWritesFailing(db, () => crashNext, ...(failing ?? [])),
    new RequestLoaders(),
    'cells',
  );
  const known: ServiceRequestDocument[] = [];
  const now = Date.now();
  for (let step = 0; step < writes; step += 1) {
    crashNext = random.chance(crashProbability);
    const movable = known.filter((request) => NEXT[request.status].length > 0);
    try {
      if (movable.length === 0 || random.chance(0.4)) {
        const building = random.pick(BUILDINGS);
        const openedAt = new Date(now - random.int(0, 400 * 24) * HOUR - random.int(0, HOUR));
        const request = await requests.open({
          _id: `${seed}-${step}`,
          buildingId: building.id,
          dwellingId: null,
          landlordId: building.landlordId,
          districtId: building.districtId,
          category: random.pick(CATEGORIES),
          channel: 'PHONE',
          status: 'OPEN',
          openedAt,
          acknowledgedAt: null,
          closedAt: null,
          description: null,
          clientMutationId: null,
          version: 1,
          audit: { createdAt: openedAt, createdBy: 'test', updatedAt: openedAt, updatedBy: 'test' },
        });
        known.push(request);
      } else {
        const current = random.pick(movable);
        // Handled some hours after opening, so that some are acknowledged within 48 hours and some later.
        const at = new Date(Math.min(now, current.openedAt.getTime() + random.int(1, 120) * HOUR));
        const change = statusChange(current.status, random.pick(NEXT[current.status]), at);
        known[known.indexOf(current)] = await requests.change(current, { ...change, expectedVersion: current.version }, CALLER);
      }
    } catch (error) {
      if (!crashNext) throw error;
      crashes += 1;
      // The request was written, its cell was not: read it again, as the next process would.
      const stored = await serviceRequestsCollection(db).find({}).toArray();
      known.splice(0, known.length, ...stored);
    }
  }
  return crashes;
}

/** Cells in a comparable form: sorted, the entries of their lists too, revisions aside. */
function comparable(cells: Omit<RequestCellDocument, 'revision'>[]) {
  return cells
    .map(({ _id, districtId, buildingId, landlordId, month, category, count, open, acknowledgedInTime, unacknowledged, resolved }) => ({
      _id,
      districtId,
      buildingId,
      landlordId,
      month,
      category,
      count,
      open,
      acknowledgedInTime,
      unacknowledged: [...unacknowledged].sort((a, b) => a.requestId.localeCompare(b.requestId)),
      resolved: [...resolved].sort((a, b) => a.requestId.localeCompare(b.requestId)),
    }))
    .sort((a, b) => a._id.localeCompare(b._id));
}

async function storedCells(db: Db) {
  return comparable(
    await requestCellsCollection(db)
      .find({}, { projection: { revision: 0 } })
      .toArray(),
  );
}

async function recounted(db: Db) {
  return comparable(await recountCells(serviceRequestsCollection(db), {}));
}

const sortedBaseCells = (cells: BaseCell[]) =>
  [...cells]
    .map((cell) => ({ ...cell, resolutionHours: [...cell.resolutionHours].sort((a, b) => a - b) }))
    .sort((a, b) => `${a.buildingId}${a.month}${a.category}`.localeCompare(`${b.buildingId}${b.month}${b.category}`));

let connection: EmbeddedConnection;
let databases = 0;

beforeAll(async () => {
  connection = await connectToNewServer();
});

afterAll(async () => {
  await connection.close();
});

/** A database of its own, with the requests' indexes and the buildings the writes go to. */
async function freshDb(): Promise<Db> {
  databases += 1;
  const db = connection.client.db(`cells_${databases}`);
  await ensureServiceRequestIndexes(db);
  await db.collection(COLLECTIONS.buildings).insertMany(BUILDINGS.map(({ id, ...facts }) => ({ _id: id as never, ...facts })));
  // As housing does when it starts, and after each of its writes.
  await reviseSubgraph(db, 'housing');
  return db;
}

describe('request statistics cells', () => {
  it.each(['first', 'second', 'third', 'fourth'])('equal a full recount after random writes (seed %s)', async (seed) => {
    const db = await freshDb();
    await randomWrites(db, seed, 150, 0);
    expect(await storedCells(db)).toEqual(await recounted(db));
    expect((await storedCells(db)).length).toBeGreaterThan(10);
    expect(await reconcileRequestCells(db)).toMatchObject({ repaired: 0, deferred: 0 });
    expect(await serviceRequestsCollection(db).countDocuments({ cellPendingSince: { $exists: true } })).toBe(0);
  });

  it.each(['first', 'second', 'third'])('are repaired by the reconciliation after writes cut short (seed %s)', async (seed) => {
    const db = await freshDb();
    const crashes = await randomWrites(db, seed, 150, 0.15);
    expect(crashes).toBeGreaterThan(0);
    expect(await storedCells(db)).not.toEqual(await recounted(db));

    // Within the grace period a cut-short write may still be counting itself in: its cell is left alone.
    const early = await reconcileRequestCells(db);
    expect(early.deferred).toBeGreaterThan(0);
    expect(await storedCells(db)).not.toEqual(await recounted(db));

    const later = new Date(Date.now() + PENDING_GRACE_MS + 1_000);
    const pending = await reconcilePendingCells(db, later);
    expect(pending.repaired).toBeGreaterThan(0);
    expect(await storedCells(db)).toEqual(await recounted(db));
    expect(await serviceRequestsCollection(db).countDocuments({ cellPendingSince: { $exists: true } })).toBe(0);
    expect(await reconcileRequestCells(db, undefined, later)).toMatchObject({ repaired: 0, deferred: 0 });
  });

  it('are rebuilt whole from requests written past the subgraph, and stale or stray cells removed', async () => {
    const db = await freshDb();
    await randomWrites(db, 'rebuild', 100, 0);
    const truth = await storedCells(db);
    await requestCellsCollection(db).deleteMany({ districtId: 'd1' });
    await requestCellsCollection(db).updateOne({ districtId: 'd2' }, { $inc: { count: 5 } });
    await requestCellsCollection(db).insertOne({ ...truth[0]!, _id: 'stray', unacknowledged: [], resolved: [], revision: 1 });
    const report = await reconcileRequestCells(db);
    expect(report.repaired).toBeGreaterThan(2);
    expect(await storedCells(db)).toEqual(truth);
  });

  it('give the statistics the same base cells as the recount, read either way', async () => {
    const db = await freshDb();
    await randomWrites(db, 'read', 150, 0);
    const requests = serviceRequestsCollection(db);
    for (const district of ['d1', 'd2']) {
      const fromCells = await requestCellsLoader(db, requests, 'cells').load(district);
      const fromRecount = await requestCellsLoader(db, requests, 'recount').load(district);
      expect(fromCells.cells.length).toBeGreaterThan(0);
      expect(sortedBaseCells(fromCells.cells)).toEqual(sortedBaseCells(fromRecount.cells));
      expect(fromCells.unchangedUntil).toBe(fromRecount.unchangedUntil);
    }
  });
});

describe('disclosed tables shared by the requests of a process', () => {
  const sharedTables = (maxCells: number): SharedDisclosedTables => new SharedByVersion(maxCells);
  const coordinator: Caller = { role: 'COORDINATOR', sub: 'coordinator', districtIds: ['d1', 'd2'] };
  const callers: Caller[] = [
    CALLER,
    { role: 'LANDLORD_STAFF', sub: 'staff-l1', landlordId: 'l1' },
    { role: 'LANDLORD_STAFF', sub: 'staff-l2', landlordId: 'l2' },
    coordinator,
  ];
  const thisYear = new Date().getUTCFullYear();
  const periods: StatsArguments[] = [{}, { period: { year: thisYear } }, { period: { year: thisYear - 1, quarter: 3 } }];

  /** One request's statistics, as the subgraph builds them: loaders and directory of its own, the tables given. */
  function statisticsOf(db: Db, caller: Caller, tables: SharedDisclosedTables): RequestStatistics {
    const loaders = new RequestLoaders();
    const directory = new Directory(db);
    return new RequestStatistics(new ServiceRequestsData(db, loaders, 'cells'), new Access(caller, directory), directory, loaders, tables);
  }

  /** Every figure each caller reads of both districts and their buildings, for each period. */
  async function everything(db: Db, tables: SharedDisclosedTables) {
    const answers: unknown[] = [];
    for (const caller of callers) {
      const statistics = statisticsOf(db, caller, tables);
      for (const args of periods) {
        for (const district of ['d1', 'd2']) answers.push(await statistics.ofDistrict(district, args, ALL_STATS_PARTS));
        for (const { id } of BUILDINGS) answers.push(await statistics.ofBuilding(id, args, ALL_STATS_PARTS));
      }
    }
    return answers;
  }

  it('answer as a computation of its own, for every kind of caller, through writes, new buildings and repairs', async () => {
    const db = await freshDb();
    const shared = sharedTables(1_000_000);
    const fresh = () => everything(db, sharedTables(0));
    for (const seed of ['one', 'two', 'three']) {
      await randomWrites(db, `tables-${seed}`, 60, 0);
      // Each district has a revision, so that its tables are shared: none would be without.
      expect(await db.collection(COLLECTIONS.requestCellsRevisions).countDocuments()).toBe(2);
      expect(await everything(db, shared)).toEqual(await fresh());
      expect(await everything(db, shared)).toEqual(await fresh());
    }
    // A building joins a district: housing revises after registering it, and the tables count it among the district's buildings.
    await db.collection(COLLECTIONS.buildings).insertOne({ _id: 'b4' as never, landlordId: 'l2', districtId: 'd2' });
    await reviseSubgraph(db, 'housing');
    expect(await everything(db, shared)).toEqual(await fresh());
    // Cells written past the subgraph, then repaired: the repair revises the district.
    await requestCellsCollection(db).updateOne({ districtId: 'd1' }, { $inc: { count: 7 } });
    await reconcileRequestCells(db);
    expect(await everything(db, shared)).toEqual(await fresh());
  });

  it('are computed once for the requests that ask together, and again only when the revision changes', async () => {
    const db = await freshDb();
    await randomWrites(db, 'once', 80, 0);
    const shared = sharedTables(1_000_000);
    const reads: string[] = [];
    const counting = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'collection') return Reflect.get(target, property, receiver) as unknown;
        return (name: string) => {
          if (name === COLLECTIONS.requestCells) reads.push(name);
          return target.collection(name);
        };
      },
    });
    const first = await Promise.all([1, 2, 3].map(() => statisticsOf(counting, coordinator, shared).ofDistrict('d1', {}, ALL_STATS_PARTS)));
    expect(reads).toHaveLength(1);
    expect(first[1]).toEqual(first[0]);
    await statisticsOf(counting, coordinator, shared).ofDistrict('d1', {}, ALL_STATS_PARTS);
    expect(reads).toHaveLength(1);
    await randomWrites(db, 'once-more', 5, 0);
    await statisticsOf(counting, coordinator, shared).ofDistrict('d1', {}, ALL_STATS_PARTS);
    expect(reads).toHaveLength(2);
  });

  it('are revised by the reconciliation when a process died between counting a write and revising its district', async () => {
    const db = await freshDb();
    await randomWrites(db, 'revise', 40, 0);
    const shared = sharedTables(1_000_000);
    const before = await everything(db, shared);
    const crashes = await randomWrites(db, 'revise-crash', 40, 0.5, [COLLECTIONS.requestCellsRevisions, 'bulkWrite']);
    expect(crashes).toBeGreaterThan(0);
    expect(await serviceRequestsCollection(db).countDocuments({ cellPendingSince: { $exists: true } })).toBeGreaterThan(0);
    expect(await everything(db, shared)).not.toEqual(before);
    await reconcilePendingCells(db, new Date(Date.now() + PENDING_GRACE_MS + 1_000));
    expect(await everything(db, shared)).toEqual(await everything(db, sharedTables(0)));
  });
});
