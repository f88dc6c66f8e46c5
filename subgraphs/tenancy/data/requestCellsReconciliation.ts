import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { type RequestCellDocument, recountCells, requestCellId, requestCellsCollection, reviseDistrictCells } from './requestCells';
import { serviceRequestsCollection } from './serviceRequests';

/**
 * How the stored request cells stay equal to a recount of the requests.
 *
 * A write of a request marks it (`cellPendingSince`, in the same update as the change itself), then counts the
 * change in its cell, then clears the mark. A process that dies between the two leaves the mark: the cell may be
 * wrong, but not silently. The reconciliation recounts the cells of a district from its requests (the same
 * aggregate `REQUEST_STATISTICS=recount` reads) and replaces the cells that differ, each only if no write touched
 * it since it was read (its `revision`), and never a cell holding a request marked less than `PENDING_GRACE_MS`
 * ago: that write may still be counting itself in, and would count twice. It runs when the tenancy subgraph starts
 * over the districts without cells or with unfinished writes (`reconcileUncountedCells`), every minute over the
 * districts of requests marked longer ago than the grace period (`reconcilePendingCells`), after `db:load`, and
 * over every district on demand (`npm run stats:reconcile`). Each district whose cells it repaired or whose marks it
 * settled gets a new revision token (see `reviseDistrictCells`), so that no table computed from the old cells is used again.
 */

/** Longer than any write takes between marking a request and counting it in its cell. */
export const PENDING_GRACE_MS = 60_000;

/** Districts recounted per aggregate, so that a large database is reconciled in bounded pieces. */
const DISTRICTS_PER_PASS = 20;

export interface ReconciliationReport {
  /** Cells recounted. */
  cells: number;
  /** Cells written, inserted or removed because they differed from the recount. */
  repaired: number;
  /** Cells left for a later pass: a write was in flight on them. */
  deferred: number;
}

/** Recounts the cells of `districtIds` (every district with requests or cells when absent) and repairs those that differ. */
export async function reconcileRequestCells(db: Db, districtIds?: readonly string[], now = new Date()): Promise<ReconciliationReport> {
  const districts = districtIds ?? [
    ...new Set([
      ...(await serviceRequestsCollection(db).distinct('districtId')),
      ...(await requestCellsCollection(db).distinct('districtId')),
    ]),
  ];
  const report: ReconciliationReport = { cells: 0, repaired: 0, deferred: 0 };
  for (let start = 0; start < districts.length; start += DISTRICTS_PER_PASS) {
    const pass = await reconcileDistricts(db, districts.slice(start, start + DISTRICTS_PER_PASS), now);
    report.cells += pass.cells;
    report.repaired += pass.repaired;
    report.deferred += pass.deferred;
  }
  return report;
}

/**
 * What the tenancy subgraph reconciles when it starts: the districts with requests but no cells (requests written
 * past the subgraph, or before cells were stored) and those with unfinished writes (see `reconcilePendingCells`).
 * A full reconciliation of a large database takes a while: `npm run stats:reconcile` runs it.
 */
export async function reconcileUncountedCells(db: Db, now = new Date()): Promise<ReconciliationReport> {
  const counted = new Set(await requestCellsCollection(db).distinct('districtId'));
  const uncounted = (await serviceRequestsCollection(db).distinct('districtId')).filter((districtId) => !counted.has(districtId));
  const pending = await pendingDistricts(db, now);
  return reconcileRequestCells(db, [...new Set([...uncounted, ...pending])], now);
}

/** Reconciles the districts of requests whose mark is older than the grace period (writes that did not finish). */
export async function reconcilePendingCells(db: Db, now = new Date()): Promise<ReconciliationReport> {
  return reconcileRequestCells(db, await pendingDistricts(db, now), now);
}

function pendingDistricts(db: Db, now: Date): Promise<string[]> {
  return serviceRequestsCollection(db).distinct('districtId', { cellPendingSince: { $lte: new Date(now.getTime() - PENDING_GRACE_MS) } });
}

async function reconcileDistricts(db: Db, districtIds: string[], now: Date): Promise<ReconciliationReport> {
  const cells = requestCellsCollection(db);
  const requests = serviceRequestsCollection(db);
  const inDistricts = { districtId: { $in: districtIds } };
  const markedRequests = () =>
    requests
      .find(
        { ...inDistricts, cellPendingSince: { $type: 'date' } },
        { projection: { districtId: 1, buildingId: 1, landlordId: 1, openedAt: 1, category: 1, version: 1, cellPendingSince: 1 } },
      )
      .toArray();
  // In this order. A write landing between two steps changes a cell's revision read first (so the cell is not
  // replaced), or is still marked when the marks are read after the recount (so its cell is left alone); a mark is
  // cleared only at the version read before the recount, which therefore counted that version.
  const stored = new Map((await cells.find(inDistricts).toArray()).map((cell) => [cell._id, cell]));
  const markedBefore = await markedRequests();
  const recounted = new Map((await recountCells(requests, inDistricts)).map((cell) => [cell._id, cell]));
  const markedAfter = await markedRequests();
  const cutoff = now.getTime() - PENDING_GRACE_MS;
  const inFlight = new Set(markedAfter.filter((request) => request.cellPendingSince!.getTime() > cutoff).map(requestCellId));

  const report: ReconciliationReport = { cells: recounted.size, repaired: 0, deferred: 0 };
  const repairs: AnyBulkWriteOperation<RequestCellDocument>[] = [];
  const changedDistricts = new Set<string>();
  for (const id of new Set([...stored.keys(), ...recounted.keys()])) {
    const [current, truth] = [stored.get(id), recounted.get(id)];
    if (inFlight.has(id)) report.deferred += 1;
    else if (!(current && truth && sameMeasures(current, truth))) {
      repairs.push(repairOf(current, truth));
      changedDistricts.add((current ?? truth)!.districtId);
    }
  }
  if (repairs.length > 0) {
    // Each repair applies only to the cell as read: the ones a write changed meanwhile match nothing and wait.
    const result = await cells.bulkWrite(repairs, { ordered: false });
    const repaired = result.modifiedCount + result.upsertedCount + result.deletedCount;
    report.repaired += repaired;
    report.deferred += repairs.length - repaired;
  }
  const settled = markedBefore.filter((request) => request.cellPendingSince!.getTime() <= cutoff && !inFlight.has(requestCellId(request)));
  // Before the marks are cleared: a process dying here leaves them, and the next pass revises again.
  await reviseDistrictCells(db, [...changedDistricts, ...settled.map((request) => request.districtId)]);
  if (settled.length > 0) {
    await requests.bulkWrite(
      settled.map((request) => ({
        updateOne: { filter: { _id: request._id, version: request.version }, update: { $unset: { cellPendingSince: '' } } },
      })),
    );
  }
  return report;
}

/** Replaces, inserts or removes one cell, unless a write changed it since it was read. */
function repairOf(
  current: RequestCellDocument | undefined,
  truth: Omit<RequestCellDocument, 'revision'> | undefined,
): AnyBulkWriteOperation<RequestCellDocument> {
  if (!truth) return { deleteOne: { filter: { _id: current!._id, revision: current!.revision } } };
  if (!current) {
    const { _id: id, ...fields } = truth;
    return { updateOne: { filter: { _id: id }, update: { $setOnInsert: { ...fields, revision: 1 } }, upsert: true } };
  }
  return {
    replaceOne: { filter: { _id: current._id, revision: current.revision }, replacement: { ...truth, revision: current.revision + 1 } },
  };
}

/** Equal measures, whatever the order of the entries of the lists. */
function sameMeasures(a: Omit<RequestCellDocument, 'revision'>, b: Omit<RequestCellDocument, 'revision'>): boolean {
  return JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
}

function normalised(cell: Omit<RequestCellDocument, 'revision'>) {
  const byRequest = (x: { requestId: string }, y: { requestId: string }) =>
    x.requestId < y.requestId ? -1 : x.requestId > y.requestId ? 1 : 0;
  return [
    cell.districtId,
    cell.buildingId,
    cell.landlordId,
    cell.month,
    cell.category,
    cell.count,
    cell.open,
    cell.acknowledgedInTime,
    [...cell.unacknowledged].sort(byRequest),
    [...cell.resolved].sort(byRequest),
  ];
}
