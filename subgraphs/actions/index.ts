import { runSubgraph } from '../shared/startSubgraph';
import { loadSubgraphSdl, type SubgraphContext, type SubgraphDefinition } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type ActionsStore, createActionsStore, ensureActionsIndexes } from './store';

/** What every resolver of the actions subgraph receives. */
export type Context = SubgraphContext<ActionsStore>;

export const actionsSubgraph: SubgraphDefinition<ActionsStore> = {
  name: 'actions',
  typeDefs: loadSubgraphSdl('actions'),
  resolvers: resolvers as SubgraphDefinition<ActionsStore>['resolvers'],
  ensureIndexes: ensureActionsIndexes,
  createStore: createActionsStore,
};

// Run as a program (`node dist/subgraphs/actions/index.js`), this module serves the subgraph; imported, it only defines it.
if (require.main === module) runSubgraph(actionsSubgraph);
