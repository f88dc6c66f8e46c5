import type { Db } from 'mongodb';
import { type EmbeddedConnection, connectToNewServer } from '../../../embedded-mongo/__tests__/support/embeddedConnection';
import { SeededRandom } from '../../../scripts/seed/random';
import { RequestLoaders } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { type BaseCell, type RequestCellDocument, recountCells, requestCellsCollection, requestCellsLoader } from '../data/requestCells';
import { PENDING_GRACE_MS, reconcilePendingCells, reconcileRequestCells } from '../data/requestCellsReconciliation';
import { ServiceRequestsData, ensureServiceRequestIndexes, serviceRequestsCollection } from '../data/serviceRequests';
import type { RequestCategory, RequestStatus } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
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

/** The database, but with the writes of `requestCells` failing while `crashing` says so: a process dying between the two writes. */
function withCellWritesFailing(db: Db, crashing: () => boolean): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'collection') return Reflect.get(target, property, receiver) as unknown;
      return (name: string) => {
        const collection = target.collection(name);
        if (name !== COLLECTIONS.requestCells) return collection;
        return new Proxy(collection, {
          get(inner, method, innerReceiver) {
            const value = Reflect.get(inner, method, innerReceiver) as unknown;
            if (method !== 'updateOne' || typeof value !== 'function') return value;
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
async function randomWrites(db: Db, seed: string, writes: number, crashProbability: number): Promise<number> {
  const random = new SeededRandom(seed);
  let crashes = 0;
  let crashNext = false;
  const requests = new ServiceRequestsData(
    withCellWritesFailing(db, () => crashNext),
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
          _id: `r${step}`,
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

describe('request statistics cells', () => {
  let connection: EmbeddedConnection;
  let databases = 0;

  beforeAll(async () => {
    connection = await connectToNewServer();
  });

  afterAll(async () => {
    await connection.close();
  });

  async function freshDb(): Promise<Db> {
    databases += 1;
    const db = connection.client.db(`cells_${databases}`);
    await ensureServiceRequestIndexes(db);
    return db;
  }

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
      expect(fromCells.length).toBeGreaterThan(0);
      expect(sortedBaseCells(fromCells)).toEqual(sortedBaseCells(fromRecount));
    }
  });
});
