import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Collection, Db, Document, Filter, UpdateFilter } from 'mongodb';
import { ONE_REPLY } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import type { RequestCategory } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
import { ACKNOWLEDGEMENT_COMMITMENT_MS, HOUR_MS } from './requestStats';
import { CLOSED_STATUSES } from '../requestStatus';

/**
 * The base cell of request statistics: the requests of one landlord in one building, opened in one UTC calendar
 * month, of one category. Every shared figure (a building or district, over a month, quarter, year or all time, of
 * one category or all) is a sum of base cells, so they are computed once and everything else is added up from them.
 */
export interface BaseCell {
  buildingId: string;
  /** The landlord the requests belong to (copied onto each request from its building). */
  landlordId: string;
  /** 'YYYY-MM', UTC. */
  month: string;
  category: RequestCategory;
  count: number;
  /** Neither RESOLVED nor REJECTED. */
  open: number;
  /** Acknowledged, or opened at least 48 hours before the cells were read: their 48-hour outcome is known. */
  acknowledgementsDue: number;
  /** Acknowledged at most 48 hours after opening. */
  acknowledgedInTime: number;
  /** Hours from opening to closing of each RESOLVED request (a rejection is no resolution), unsorted. */
  resolutionHours: number[];
}

/**
 * A base cell as stored in `requestCells`, kept up to date by every write of a request (`cellChange`) and checked
 * against a recount of the requests by the reconciliation (`reconcileRequestCells`). It holds nothing that changes
 * with time alone: whether an unacknowledged request's 48 hours are up is decided when the cell is read, from the
 * opening instants it keeps.
 */
export interface RequestCellDocument {
  /** The cell's key: building, landlord, month and category (`requestCellId`). */
  _id: string;
  districtId: string;
  buildingId: string;
  landlordId: string;
  month: string;
  category: RequestCategory;
  count: number;
  open: number;
  acknowledgedInTime: number;
  /** The requests never acknowledged (still OPEN: leaving OPEN stamps acknowledgedAt), each once. */
  unacknowledged: { requestId: string; openedAt: Date }[];
  /** The RESOLVED requests and their resolution time in hours, each once. */
  resolved: { requestId: string; hours: number }[];
  /** Raised by every change, so that the reconciliation replaces a cell only if no write touched it meanwhile. */
  revision: number;
}

export function requestCellsCollection(db: Db): Collection<RequestCellDocument> {
  return db.collection<RequestCellDocument>(COLLECTIONS.requestCells);
}

/** A district's cells are read together. */
export async function ensureRequestCellIndexes(db: Db): Promise<void> {
  await requestCellsCollection(db).createIndexes([{ key: { districtId: 1 }, name: 'district_cells' }]);
}

/**
 * The revision of a district's cells (`_id`: the district): a new random token after every change of one of its
 * cells, so that what is computed from them can be kept until the token changes. A token, not a counter: a database
 * dropped and seeded again must not hand out a revision seen before.
 */
export interface RequestCellsRevisionDocument {
  _id: string;
  token: string;
}

function revisionsCollection(db: Db): Collection<RequestCellsRevisionDocument> {
  return db.collection<RequestCellsRevisionDocument>(COLLECTIONS.requestCellsRevisions);
}

/**
 * Gives each district a new revision token. Called AFTER its cells changed: a reader reads the token, then the
 * cells, so cells read under a token hold every change whose new token came before it. A process dying between
 * the two leaves its request marked, and the reconciliation that settles the mark gives the new token.
 */
export async function reviseDistrictCells(db: Db, districtIds: Iterable<string>): Promise<void> {
  const operations = [...new Set(districtIds)].map((districtId) => ({
    updateOne: { filter: { _id: districtId }, update: { $set: { token: randomUUID() } }, upsert: true },
  }));
  if (operations.length > 0) await revisionsCollection(db).bulkWrite(operations, { ordered: false });
}

/** The revision token of each district asked (null when its cells were never revised): one command per tick. */
export function requestCellsRevisionLoader(db: Db): DataLoader<string, string | null> {
  return new DataLoader(async (districtIds) => {
    const revisions = await revisionsCollection(db)
      .find({ _id: { $in: [...districtIds] } })
      .toArray();
    const tokenOf = new Map(revisions.map((revision) => [revision._id, revision.token]));
    return districtIds.map((id) => tokenOf.get(id) ?? null);
  });
}

const monthOfOpening = (openedAt: Date) => openedAt.toISOString().slice(0, 7);

/** The key of the cell a request counts in: none of its parts ever changes, so a request stays in one cell. */
export function requestCellId(request: Pick<ServiceRequestDocument, 'buildingId' | 'landlordId' | 'openedAt' | 'category'>): string {
  return JSON.stringify([request.buildingId, request.landlordId, monthOfOpening(request.openedAt), request.category]);
}

/** What one request adds to its cell, in its current state. */
function contributionOf(request: ServiceRequestDocument) {
  const acknowledgedInTime =
    request.acknowledgedAt !== null && request.acknowledgedAt.getTime() - request.openedAt.getTime() <= ACKNOWLEDGEMENT_COMMITMENT_MS;
  return {
    open: CLOSED_STATUSES.includes(request.status) ? 0 : 1,
    acknowledgedInTime: acknowledgedInTime ? 1 : 0,
    unacknowledged: request.acknowledgedAt === null ? { requestId: request._id, openedAt: request.openedAt } : null,
    resolved:
      request.status === 'RESOLVED' && request.closedAt !== null
        ? { requestId: request._id, hours: (request.closedAt.getTime() - request.openedAt.getTime()) / HOUR_MS }
        : null,
  };
}

/**
 * The update that moves a request's cell from counting `before` (null: not counted yet) to counting `after`: the
 * difference of the two, as ONE upsert of one cell document. Each entry of the lists names its request, so an
 * entry is added or removed exactly (a request's cell never changes: see `requestCellId`).
 */
function cellChange(
  before: ServiceRequestDocument | null,
  after: ServiceRequestDocument,
): { filter: Filter<RequestCellDocument>; update: UpdateFilter<RequestCellDocument> } {
  const was = before ? contributionOf(before) : { open: 0, acknowledgedInTime: 0, unacknowledged: null, resolved: null };
  const is = contributionOf(after);
  // Both lists are pushed to, if only nothing, so that a cell the upsert creates holds both.
  const push: Document = {};
  const pullAll: Document = {};
  for (const list of ['unacknowledged', 'resolved'] as const) {
    const [wasEntry, isEntry] = [was[list], is[list]];
    if (wasEntry && !isEntry) pullAll[list] = [wasEntry];
    else push[list] = { $each: isEntry && !wasEntry ? [isEntry] : [] };
  }
  const update: Document = {
    $inc: {
      count: before ? 0 : 1,
      open: is.open - was.open,
      acknowledgedInTime: is.acknowledgedInTime - was.acknowledgedInTime,
      revision: 1,
    },
    $setOnInsert: {
      districtId: after.districtId,
      buildingId: after.buildingId,
      landlordId: after.landlordId,
      month: monthOfOpening(after.openedAt),
      category: after.category,
    },
    ...(Object.keys(push).length > 0 && { $push: push }),
    ...(Object.keys(pullAll).length > 0 && { $pullAll: pullAll }),
  };
  return { filter: { _id: requestCellId(after) }, update };
}

/**
 * Counts a request's write in its cell (see `cellChange`), then revises its district's cells; whether it could. A
 * new request may create its cell; a change finds it, or it was never counted (a write cut short), and only the
 * reconciliation can count it.
 */
export async function countInCell(db: Db, before: ServiceRequestDocument | null, after: ServiceRequestDocument): Promise<boolean> {
  const { filter, update } = cellChange(before, after);
  const result = await requestCellsCollection(db).updateOne(filter, update, { upsert: before === null });
  if (result.matchedCount + result.upsertedCount !== 1) return false;
  await reviseDistrictCells(db, [after.districtId]);
  return true;
}

interface RecountedCellRow extends Pick<RequestCellDocument, 'count' | 'open' | 'acknowledgedInTime'> {
  _id: { districtId: string; buildingId: string; landlordId: string; month: string; category: RequestCategory };
  unacknowledged: ({ requestId: string; openedAt: Date } | null)[];
  resolved: ({ requestId: string; hours: number } | null)[];
}

/**
 * The full recount, source of truth of the stored cells: ONE aggregate, a `$group` of the requests matching
 * `match` by district, building, landlord, month and category, measuring what a stored cell holds.
 */
export function requestCellsPipeline(match: Filter<ServiceRequestDocument>): Document[] {
  const acknowledgedInTime = {
    $and: [{ $ne: ['$acknowledgedAt', null] }, { $lte: [{ $subtract: ['$acknowledgedAt', '$openedAt'] }, ACKNOWLEDGEMENT_COMMITMENT_MS] }],
  };
  return [
    { $match: match },
    {
      $group: {
        _id: {
          districtId: '$districtId',
          buildingId: '$buildingId',
          landlordId: '$landlordId',
          month: { $dateToString: { format: '%Y-%m', date: '$openedAt' } },
          category: '$category',
        },
        count: { $sum: 1 },
        open: { $sum: { $cond: [{ $in: ['$status', [...CLOSED_STATUSES]] }, 0, 1] } },
        acknowledgedInTime: { $sum: { $cond: [acknowledgedInTime, 1, 0] } },
        unacknowledged: {
          $push: { $cond: [{ $eq: ['$acknowledgedAt', null] }, { requestId: '$_id', openedAt: '$openedAt' }, null] },
        },
        resolved: {
          $push: {
            $cond: [
              { $eq: ['$status', 'RESOLVED'] },
              { requestId: '$_id', hours: { $divide: [{ $subtract: ['$closedAt', '$openedAt'] }, HOUR_MS] } },
              null,
            ],
          },
        },
      },
    },
  ];
}

/** The cells of the requests matching `match`, recounted from the requests themselves. */
export async function recountCells(
  requests: Collection<ServiceRequestDocument>,
  match: Filter<ServiceRequestDocument>,
): Promise<Omit<RequestCellDocument, 'revision'>[]> {
  const rows = await requests.aggregate<RecountedCellRow>(requestCellsPipeline(match)).toArray();
  return rows.map(({ _id: key, unacknowledged, resolved, ...measures }) => ({
    _id: requestCellId({ ...key, openedAt: new Date(`${key.month}-01T00:00:00Z`) }),
    ...key,
    ...measures,
    unacknowledged: unacknowledged.filter((entry) => entry !== null),
    resolved: resolved.filter((entry) => entry !== null),
  }));
}

/** A district's base cells as of `readAt`, and until when time alone leaves them as they are. */
export interface DistrictCells {
  cells: BaseCell[];
  /** The first instant (ms) at which an unacknowledged request's 48 hours are up: the cells change then. */
  unchangedUntil: number;
}

/** A stored or recounted cell as the statistics read it at `now`: whether an unacknowledged request is due depends on it. */
function baseCellAt(cell: Omit<RequestCellDocument, '_id' | 'districtId' | 'revision'>, now: Date): BaseCell {
  const dueBy = now.getTime() - ACKNOWLEDGEMENT_COMMITMENT_MS;
  const unacknowledgedDue = cell.unacknowledged.filter((entry) => entry.openedAt.getTime() <= dueBy).length;
  return {
    buildingId: cell.buildingId,
    landlordId: cell.landlordId,
    month: cell.month,
    category: cell.category,
    count: cell.count,
    open: cell.open,
    acknowledgementsDue: cell.count - cell.unacknowledged.length + unacknowledgedDue,
    acknowledgedInTime: cell.acknowledgedInTime,
    resolutionHours: cell.resolved.map((entry) => entry.hours),
  };
}

/**
 * Where the statistics read their base cells: `cells`, the stored cells (one indexed find of a district's cells);
 * `recount`, the reconciliation's recount of the district's requests on every read (as before the cells were
 * stored, for comparing the two in one benchmark run). `REQUEST_STATISTICS`, `cells` by default.
 */
export type RequestStatisticsSource = 'cells' | 'recount';

export function requestStatisticsSourceFromEnv(env: NodeJS.ProcessEnv = process.env): RequestStatisticsSource {
  const value = env.REQUEST_STATISTICS ?? 'cells';
  if (value !== 'cells' && value !== 'recount') throw new Error(`REQUEST_STATISTICS must be cells or recount, not "${value}".`);
  return value;
}

/** When the first of these unacknowledged requests falls due after `now` (Infinity: none). */
function nextDueAfter(unacknowledged: readonly { openedAt: Date }[], now: Date, earliest: number): number {
  let next = earliest;
  for (const { openedAt } of unacknowledged) {
    const due = openedAt.getTime() + ACKNOWLEDGEMENT_COMMITMENT_MS;
    if (due > now.getTime() && due < next) next = due;
  }
  return next;
}

/** The base cells of each district asked, as of now: one command per batch of districts. */
export function requestCellsLoader(
  db: Db,
  requests: Collection<ServiceRequestDocument>,
  source: RequestStatisticsSource,
): DataLoader<string, DistrictCells> {
  return new DataLoader(async (districtIds) => {
    const cells =
      source === 'cells'
        ? await requestCellsCollection(db)
            // A district holds hundreds of cells: in one reply.
            .find({ districtId: { $in: [...districtIds] } }, { projection: { revision: 0 }, batchSize: ONE_REPLY })
            .toArray()
        : await recountCells(requests, { districtId: { $in: [...districtIds] } });
    const now = new Date();
    const byDistrict = new Map<string, DistrictCells>(districtIds.map((id) => [id, { cells: [], unchangedUntil: Infinity }]));
    for (const cell of cells) {
      const district = byDistrict.get(cell.districtId);
      if (!district) continue;
      district.cells.push(baseCellAt(cell, now));
      district.unchangedUntil = nextDueAfter(cell.unacknowledged, now, district.unchangedUntil);
    }
    return districtIds.map((id) => byDistrict.get(id)!);
  });
}
