import type { SubgraphDefinition } from '../shared/subgraphDefinition';
import { loadSubgraphSdl } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type TenancyStore, createTenancyStore, ensureTenancyIndexes } from './store';

export const tenancySubgraph: SubgraphDefinition<TenancyStore> = {
  name: 'tenancy',
  typeDefs: loadSubgraphSdl('tenancy'),
  resolvers: resolvers as SubgraphDefinition<TenancyStore>['resolvers'],
  ensureIndexes: ensureTenancyIndexes,
  createStore: createTenancyStore,
};
