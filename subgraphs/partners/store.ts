import type { Db } from 'mongodb';
import type { StoreScope } from '../shared/subgraphDefinition';
import { AgreementsData, ensureAgreementIndexes } from './data/agreements';
import { PartnersData, ensurePartnerIndexes } from './data/partners';

/** The partners subgraph's data access for one request, one module per collection. */
export interface PartnersStore {
  partners: PartnersData;
  agreements: AgreementsData;
}

export function createPartnersStore(db: Db, { loaders }: Pick<StoreScope, 'loaders'>): PartnersStore {
  return {
    partners: new PartnersData(db, loaders),
    agreements: new AgreementsData(db, loaders),
  };
}

export async function ensurePartnersIndexes(db: Db): Promise<void> {
  await Promise.all([ensurePartnerIndexes(db), ensureAgreementIndexes(db)]);
}
