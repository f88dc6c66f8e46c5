import { runSubgraph } from '../shared/startSubgraph';
import { loadSubgraphSdl, type SubgraphContext, type SubgraphDefinition } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type PartnersStore, createPartnersStore, ensurePartnersIndexes } from './store';

/** What every resolver of the partners subgraph receives. */
export type Context = SubgraphContext<PartnersStore>;

export const partnersSubgraph: SubgraphDefinition<PartnersStore> = {
  name: 'partners',
  typeDefs: loadSubgraphSdl('partners'),
  resolvers: resolvers as SubgraphDefinition<PartnersStore>['resolvers'],
  ensureIndexes: ensurePartnersIndexes,
  createStore: createPartnersStore,
};

// Run as a program (`node dist/subgraphs/partners/index.js`), this module serves the subgraph; imported, it only defines it.
if (require.main === module) runSubgraph(partnersSubgraph);
