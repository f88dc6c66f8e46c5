import type { Db } from 'mongodb';
import type { StoreScope } from '../shared/subgraphDefinition';
import { ActionsData, ensureActionIndexes } from './data/actions';
import { TfpbProgrammesData, ensureTfpbProgrammeIndexes } from './data/tfpbProgrammes';

/**
 * The actions subgraph's data access for one request: actions (cost shares inside each) and the landlords' TFPB
 * programmes.
 */
export interface ActionsStore {
  actions: ActionsData;
  tfpbProgrammes: TfpbProgrammesData;
}

export function createActionsStore(db: Db, { loaders }: Pick<StoreScope, 'loaders'>): ActionsStore {
  return { actions: new ActionsData(db, loaders), tfpbProgrammes: new TfpbProgrammesData(db, loaders) };
}

export async function ensureActionsIndexes(db: Db): Promise<void> {
  await Promise.all([ensureActionIndexes(db), ensureTfpbProgrammeIndexes(db)]);
}
