import type { SubgraphDefinition } from '../shared/subgraphDefinition';
import { loadSubgraphSdl } from '../shared/subgraphDefinition';
import { resolvers } from './resolvers';
import { type ActionsStore, createActionsStore, ensureActionsIndexes } from './store';

export const actionsSubgraph: SubgraphDefinition<ActionsStore> = {
  name: 'actions',
  typeDefs: loadSubgraphSdl('actions'),
  resolvers: resolvers as SubgraphDefinition<ActionsStore>['resolvers'],
  ensureIndexes: ensureActionsIndexes,
  createStore: createActionsStore,
};
