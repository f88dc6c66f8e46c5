import type { Collection, Db, Filter } from 'mongodb';
import { type RequestLoaders, loaderKey, pageByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import type { Connection, PageArgs } from '../../shared/pagination';
import type { Caller } from '../../../lib/auth/caller';
import { type GuardedChange, VersionedRecords } from '../../shared/versionedRecords';
import type { RequestCategory, RequestStats, RequestStatus } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
import {
  type DistrictCells,
  type RequestStatisticsSource,
  countInCell,
  requestCellsLoader,
  requestCellsRevisionLoader,
} from './requestCells';
import { ALL_STATS_PARTS, type StatsParentField, type StatsParts, requestStatsLoader } from './requestStats';

export function serviceRequestsCollection(db: Db): Collection<ServiceRequestDocument> {
  return db.collection<ServiceRequestDocument>(COLLECTIONS.serviceRequests);
}

/**
 * Index per query: the client's key of an idempotent open (unique per landlord, only when given); a building's
 * pages walk `_id`; building and district stats range over openedAt; the reconciliation finds the writes not yet
 * counted in their cell.
 */
export async function ensureServiceRequestIndexes(db: Db): Promise<void> {
  await serviceRequestsCollection(db).createIndexes([
    {
      key: { landlordId: 1, clientMutationId: 1 },
      name: 'landlord_clientMutationId_unique',
      unique: true,
      partialFilterExpression: { clientMutationId: { $type: 'string' } },
    },
    { key: { buildingId: 1, _id: 1 }, name: 'building_page' },
    { key: { buildingId: 1, openedAt: 1 }, name: 'building_stats' },
    { key: { districtId: 1, openedAt: 1 }, name: 'district_stats' },
    { key: { cellPendingSince: 1 }, name: 'cell_pending', partialFilterExpression: { cellPendingSince: { $type: 'date' } } },
  ]);
}

export interface RequestPageArgs extends PageArgs {
  status?: RequestStatus | null;
  category?: RequestCategory | null;
}

/**
 * A building's requests, and the statistics cells each write of one keeps up to date: a write marks the request,
 * counts its change in its cell, then clears the mark (see requestCellsReconciliation.ts for what repairs a write
 * that stopped half-way).
 */
export class ServiceRequestsData extends VersionedRecords<ServiceRequestDocument> {
  constructor(
    private readonly db: Db,
    loaders: RequestLoaders,
    private readonly statisticsSource: RequestStatisticsSource,
  ) {
    super(serviceRequestsCollection(db), loaders, 'ServiceRequest');
  }

  /** Stores a new request; sending its clientMutationId again returns the request first opened with it. */
  async open(request: ServiceRequestDocument): Promise<ServiceRequestDocument> {
    const marked = { ...request, cellPendingSince: new Date() };
    const stored = request.clientMutationId
      ? await this.insertOnce(marked, { landlordId: request.landlordId, clientMutationId: request.clientMutationId })
      : await this.insert(marked, 'This request is already recorded.');
    // A replayed open returns the request first stored: its own write counts it.
    return stored === marked ? this.counted(null, stored) : stored;
  }

  /**
   * Applies a guarded change to `current` (see VersionedRecords.applyChange), and counts it in the request's cell.
   * A request still marked by an earlier write that was not counted keeps that mark and is not counted now: its
   * cell may not hold it as it was, so only the reconciliation's recount can put it right.
   */
  async change(
    current: ServiceRequestDocument,
    change: GuardedChange<ServiceRequestDocument>,
    caller: Caller,
  ): Promise<ServiceRequestDocument> {
    const pending = current.cellPendingSince;
    const updated = await this.applyChange(current, { ...change, set: { ...change.set, cellPendingSince: pending ?? new Date() } }, caller);
    return pending ? updated : this.counted(current, updated);
  }

  /**
   * Counts a write in its cell, then clears the request's mark (unless another write changed the request meanwhile):
   * the request as now stored.
   */
  private async counted(before: ServiceRequestDocument | null, after: ServiceRequestDocument): Promise<ServiceRequestDocument> {
    if (!(await countInCell(this.db, before, after))) return after;
    const cleared = await this.collection.updateOne({ _id: after._id, version: after.version }, { $unset: { cellPendingSince: '' } });
    if (cleared.modifiedCount === 0) return after;
    const { cellPendingSince: _counted, ...counted } = after;
    this.remember(counted);
    return counted;
  }

  /** A page of a building's requests, optionally of one status or category: one aggregate for all buildings asked. */
  pageOfBuilding(buildingId: string, { first, after, status, category }: RequestPageArgs): Promise<Connection<ServiceRequestDocument>> {
    const filter: Filter<ServiceRequestDocument> = { ...(status ? { status } : {}), ...(category ? { category } : {}) };
    return this.loaders
      .get(loaderKey('requestsOfBuilding', { first, after, status, category }), () =>
        pageByFieldLoader(this.collection, 'buildingId', { first, after }, filter),
      )
      .load(buildingId);
  }

  /** The base cells of a district's request statistics: one command for every district asked in a tick. */
  cellsOfDistrict(districtId: string): Promise<DistrictCells> {
    return this.loaders
      .get('requestCellsOfDistrict', () => requestCellsLoader(this.db, this.collection, this.statisticsSource))
      .load(districtId);
  }

  /**
   * The revision token of a district's cells, to be read BEFORE its cells (see `reviseDistrictCells`); null when
   * statistics recount the requests on every read, which nothing revises.
   */
  async cellsRevisionOf(districtId: string): Promise<string | null> {
    if (this.statisticsSource === 'recount') return null;
    return this.loaders.get('requestCellsRevision', () => requestCellsRevisionLoader(this.db)).load(districtId);
  }

  /** A building's exact request stats from an instant: `parts` beyond total and open only when the query selects them. */
  statsOfBuilding(buildingId: string, since: Date | null, parts: StatsParts = ALL_STATS_PARTS): Promise<RequestStats> {
    return this.stats('buildingId', buildingId, since, parts);
  }

  statsOfDistrict(districtId: string, since: Date | null, parts: StatsParts = ALL_STATS_PARTS): Promise<RequestStats> {
    return this.stats('districtId', districtId, since, parts);
  }

  private stats(field: StatsParentField, parentId: string, since: Date | null, parts: StatsParts): Promise<RequestStats> {
    return this.loaders
      .get(loaderKey(`requestStats:${field}`, { since, parts }), () => requestStatsLoader(this.collection, field, since, parts))
      .load(parentId);
  }
}
