import { runSubgraph } from '../shared/startSubgraph';
import { loadSubgraphSdl, type SubgraphContext, type SubgraphDefinition } from '../shared/subgraphDefinition';
import { campaignSettingsFromEnv } from './campaignCalendar';
import { schedulePurge } from './campaignPurge';
import { resolvers } from './resolvers';
import { type TenancyStore, createTenancyStore, ensureTenancyIndexes, tenancyMaintenance } from './store';

/** What every resolver of the tenancy subgraph receives. */
export type Context = SubgraphContext<TenancyStore>;

export const tenancySubgraph: SubgraphDefinition<TenancyStore> = {
  name: 'tenancy',
  typeDefs: loadSubgraphSdl('tenancy'),
  resolvers: resolvers as SubgraphDefinition<TenancyStore>['resolvers'],
  ensureIndexes: ensureTenancyIndexes,
  maintenance: tenancyMaintenance,
  createStore: createTenancyStore,
  // The purge of campaign call data, run hourly (CAMPAIGN_PURGE_INTERVAL_MINUTES) by the serving process.
  startJobs: (db, logger) => schedulePurge(db, campaignSettingsFromEnv(), logger),
};

// Run as a program (`node dist/subgraphs/tenancy/index.js`), this module serves the subgraph; imported, it only defines it.
if (require.main === module) runSubgraph(tenancySubgraph);
