import { runSubgraph } from '../shared/startSubgraph';
import { loadSubgraphSdl, type SubgraphContext, type SubgraphDefinition } from '../shared/subgraphDefinition';
import { campaignSettingsFromEnv } from './campaignCalendar';
import { campaignPurgeTask } from './campaignPurge';
import { resolvers } from './resolvers';
import { type TenancyStore, createTenancyStore, ensureTenancyIndexes, requestCellsReconciliation } from './store';

/** What every resolver of the tenancy subgraph receives. */
export type Context = SubgraphContext<TenancyStore>;

export const tenancySubgraph: SubgraphDefinition<TenancyStore> = {
  name: 'tenancy',
  typeDefs: loadSubgraphSdl('tenancy'),
  resolvers: resolvers as SubgraphDefinition<TenancyStore>['resolvers'],
  ensureIndexes: ensureTenancyIndexes,
  createStore: createTenancyStore,
  // The purge of campaign call data runs hourly by default (CAMPAIGN_PURGE_INTERVAL_MINUTES).
  backgroundTasks: () => [requestCellsReconciliation, campaignPurgeTask(campaignSettingsFromEnv())],
};

// Run as a program (`node dist/subgraphs/tenancy/index.js`), this module serves the subgraph; imported, it only defines it.
if (require.main === module) runSubgraph(tenancySubgraph);
