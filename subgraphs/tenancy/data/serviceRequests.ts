import type { Collection, Db, Filter } from 'mongodb';
import { type RequestLoaders, loaderKey, pageByFieldLoader } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import type { Connection, PageArgs } from '../../shared/pagination';
import { VersionedRecords } from '../../shared/versionedRecords';
import type { RequestCategory, RequestStats, RequestStatus } from '../generated/resolvers';
import type { ServiceRequestDocument } from '../model';
import { type BaseCell, requestCellsLoader } from './requestCells';
import { ALL_STATS_PARTS, type StatsParentField, type StatsParts, requestStatsLoader } from './requestStats';

export function serviceRequestsCollection(db: Db): Collection<ServiceRequestDocument> {
  return db.collection<ServiceRequestDocument>(COLLECTIONS.serviceRequests);
}

/**
 * Index per query: the client's key of an idempotent open (unique per landlord, only when given); a building's
 * pages walk `_id`; building and district stats range over openedAt.
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
  ]);
}

export interface RequestPageArgs extends PageArgs {
  status?: RequestStatus | null;
  category?: RequestCategory | null;
}

export class ServiceRequestsData extends VersionedRecords<ServiceRequestDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(serviceRequestsCollection(db), loaders, 'ServiceRequest');
  }

  /** Stores a new request; sending its clientMutationId again returns the request first opened with it. */
  open(request: ServiceRequestDocument): Promise<ServiceRequestDocument> {
    if (!request.clientMutationId) return this.insert(request, 'This request is already recorded.');
    return this.insertOnce(request, { landlordId: request.landlordId, clientMutationId: request.clientMutationId });
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

  /** The base cells of a district's request statistics: one aggregate for every district asked in a tick. */
  cellsOfDistrict(districtId: string): Promise<BaseCell[]> {
    return this.loaders.get('requestCellsOfDistrict', () => requestCellsLoader(this.collection)).load(districtId);
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
