import type { Db } from 'mongodb';
import type { BackgroundTask } from '../shared/backgroundTasks';
import type { StoreScope } from '../shared/subgraphDefinition';
import { type CampaignSettings, campaignSettingsFromEnv } from './campaignCalendar';
import { CampaignCallsData, ensureCampaignCallIndexes } from './data/campaignCalls';
import { CampaignsData, ensureCampaignIndexes } from './data/campaigns';
import { ContactAccessLog, contactAccessCollection, ensureContactAccessIndexes } from './data/contactAccessLog';
import { HouseholdsData, ensureHouseholdIndexes } from './data/households';
import { ReferralsData, ensureReferralIndexes } from './data/referrals';
import { SatisfactionSurveysData, ensureSatisfactionSurveyIndexes } from './data/satisfactionSurveys';
import { ServiceRequestsData, ensureServiceRequestIndexes } from './data/serviceRequests';
import { ensureRequestCellIndexes, requestStatisticsSourceFromEnv } from './data/requestCells';
import { reconcilePendingCells, reconcileUncountedCells } from './data/requestCellsReconciliation';
import { SharedByVersion } from '../shared/sharedByVersion';
import { RequestStatistics, type SharedDisclosedTables, sharedTableCellsFromEnv } from './requestStatistics';

/** The tenancy subgraph's data access for one request, one module per collection. */
export interface TenancyStore {
  serviceRequests: ServiceRequestsData;
  households: HouseholdsData;
  satisfactionSurveys: SatisfactionSurveysData;
  /** Request statistics in fixed cells, under the small-cells rule. */
  requestStatistics: RequestStatistics;
  campaigns: CampaignsData;
  campaignCalls: CampaignCallsData;
  referrals: ReferralsData;
  /** Who read or exported which household's contact data. */
  contactAccess: ContactAccessLog;
  campaignSettings: CampaignSettings;
}

/** Read once, when the subgraph starts: a wrong value stops it there. */
const STATISTICS_SOURCE = requestStatisticsSourceFromEnv();
/** The disclosed statistics tables this process's requests share. */
const SHARED_TABLES: SharedDisclosedTables = new SharedByVersion(sharedTableCellsFromEnv());
/** Read once, when the subgraph first serves: a bad value stops it at start rather than failing requests. */
let settings: CampaignSettings | undefined;

export function createTenancyStore(db: Db, { loaders, access, directory, caller }: StoreScope): TenancyStore {
  const serviceRequests = new ServiceRequestsData(db, loaders, STATISTICS_SOURCE);
  settings ??= campaignSettingsFromEnv();
  return {
    serviceRequests,
    requestStatistics: new RequestStatistics(serviceRequests, access, directory, loaders, SHARED_TABLES),
    households: new HouseholdsData(db, loaders),
    satisfactionSurveys: new SatisfactionSurveysData(db, loaders),
    campaigns: new CampaignsData(db, loaders),
    campaignCalls: new CampaignCallsData(db, loaders),
    referrals: new ReferralsData(db, loaders),
    contactAccess: new ContactAccessLog(contactAccessCollection(db), caller),
    campaignSettings: settings,
  };
}

export async function ensureTenancyIndexes(db: Db): Promise<void> {
  await Promise.all([
    ensureServiceRequestIndexes(db),
    ensureRequestCellIndexes(db),
    ensureHouseholdIndexes(db),
    ensureSatisfactionSurveyIndexes(db),
    ensureCampaignIndexes(db),
    ensureCampaignCallIndexes(db),
    ensureReferralIndexes(db),
    ensureContactAccessIndexes(db),
  ]);
}

/** Request cells missing or left by unfinished writes are reconciled before the subgraph serves, then those of unfinished writes every minute. */
export const requestCellsReconciliation: BackgroundTask = {
  name: 'request cells reconciliation',
  beforeServing: async (db) => {
    await reconcileUncountedCells(db);
  },
  everyMs: 60_000,
  run: async (db) => {
    await reconcilePendingCells(db);
  },
};
