import type { Db } from 'mongodb';
import type { StoreScope } from '../shared/context';
import { ActionsData, ensureActionIndexes } from './data/actions';

/** The actions subgraph's data access for one request: one collection, cost shares inside each action. */
export interface ActionsStore {
  actions: ActionsData;
}

export function createActionsStore(db: Db, { loaders }: Pick<StoreScope, 'loaders'>): ActionsStore {
  return { actions: new ActionsData(db, loaders) };
}

export async function ensureActionsIndexes(db: Db): Promise<void> {
  await ensureActionIndexes(db);
}
