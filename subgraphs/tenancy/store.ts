import type { Db } from 'mongodb';
import type { StoreScope } from '../shared/subgraphDefinition';
import { HouseholdsData, ensureHouseholdIndexes } from './data/households';
import { SatisfactionSurveysData, ensureSatisfactionSurveyIndexes } from './data/satisfactionSurveys';
import { ServiceRequestsData, ensureServiceRequestIndexes } from './data/serviceRequests';
import { RequestStatistics } from './requestStatistics';

/** The tenancy subgraph's data access for one request, one module per collection. */
export interface TenancyStore {
  serviceRequests: ServiceRequestsData;
  households: HouseholdsData;
  satisfactionSurveys: SatisfactionSurveysData;
  /** Request statistics in fixed cells, under the small-cells rule. */
  requestStatistics: RequestStatistics;
}

export function createTenancyStore(db: Db, { loaders, access, directory }: StoreScope): TenancyStore {
  const serviceRequests = new ServiceRequestsData(db, loaders);
  return {
    serviceRequests,
    requestStatistics: new RequestStatistics(serviceRequests, access, directory, loaders),
    households: new HouseholdsData(db, loaders),
    satisfactionSurveys: new SatisfactionSurveysData(db, loaders),
  };
}

export async function ensureTenancyIndexes(db: Db): Promise<void> {
  await Promise.all([ensureServiceRequestIndexes(db), ensureHouseholdIndexes(db), ensureSatisfactionSurveyIndexes(db)]);
}
