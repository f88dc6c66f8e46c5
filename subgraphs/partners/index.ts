import type { SubgraphDefinition } from '../shared/subgraphDefinition';
import { loadSubgraphSdl } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type PartnersStore, createPartnersStore, ensurePartnersIndexes } from './store';

export const partnersSubgraph: SubgraphDefinition<PartnersStore> = {
  name: 'partners',
  typeDefs: loadSubgraphSdl('partners'),
  resolvers: resolvers as SubgraphDefinition<PartnersStore>['resolvers'],
  ensureIndexes: ensurePartnersIndexes,
  createStore: createPartnersStore,
};
