import type { SubgraphDefinition } from '../shared/subgraphDefinition';
import { loadSubgraphSdl } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type HousingStore, createHousingStore, ensureHousingIndexes } from './store';

export const housingSubgraph: SubgraphDefinition<HousingStore> = {
  name: 'housing',
  typeDefs: loadSubgraphSdl('housing'),
  resolvers: resolvers as SubgraphDefinition<HousingStore>['resolvers'],
  ensureIndexes: ensureHousingIndexes,
  createStore: createHousingStore,
};
