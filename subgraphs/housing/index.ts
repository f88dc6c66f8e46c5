import { runSubgraph } from '../shared/startSubgraph';
import { loadSubgraphSdl, type SubgraphContext, type SubgraphDefinition } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type HousingStore, createHousingStore, ensureHousingIndexes } from './store';

/** What every resolver of the housing subgraph receives. */
export type Context = SubgraphContext<HousingStore>;

export const housingSubgraph: SubgraphDefinition<HousingStore> = {
  name: 'housing',
  typeDefs: loadSubgraphSdl('housing'),
  resolvers: resolvers as SubgraphDefinition<HousingStore>['resolvers'],
  ensureIndexes: ensureHousingIndexes,
  createStore: createHousingStore,
};

// Run as a program (`node dist/subgraphs/housing/index.js`), this module serves the subgraph; imported, it only defines it.
if (require.main === module) runSubgraph(housingSubgraph);
