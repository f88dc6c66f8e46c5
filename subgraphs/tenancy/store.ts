import type { Db } from 'mongodb';
import type { StoreScope } from '../shared/context';
import { HouseholdsData, ensureHouseholdIndexes } from './data/households';
import { SatisfactionSurveysData, ensureSatisfactionSurveyIndexes } from './data/satisfactionSurveys';
import { ServiceRequestsData, ensureServiceRequestIndexes } from './data/serviceRequests';

/** The tenancy subgraph's data access for one request, one module per collection. */
export interface TenancyStore {
  serviceRequests: ServiceRequestsData;
  households: HouseholdsData;
  satisfactionSurveys: SatisfactionSurveysData;
}

export function createTenancyStore(db: Db, { loaders }: Pick<StoreScope, 'loaders'>): TenancyStore {
  return {
    serviceRequests: new ServiceRequestsData(db, loaders),
    households: new HouseholdsData(db, loaders),
    satisfactionSurveys: new SatisfactionSurveysData(db, loaders),
  };
}

export async function ensureTenancyIndexes(db: Db): Promise<void> {
  await Promise.all([ensureServiceRequestIndexes(db), ensureHouseholdIndexes(db), ensureSatisfactionSurveyIndexes(db)]);
}
