import type { Collection, Db, Filter } from 'mongodb';
import { type DistrictSelection, withinDistricts } from '../../shared/access';
import { type RequestLoaders, groupedByFieldLoader, loaderKey } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { Records } from '../../shared/records';
import type { PartnerService } from '../generated/resolvers';
import type { PartnerDocument } from '../model';

export function partnersCollection(db: Db): Collection<PartnerDocument> {
  return db.collection<PartnerDocument>(COLLECTIONS.partners);
}

/** Index per query: partners of districts (multikey on `districtIds`); the SIRET, when set, identifies a partner. */
export async function ensurePartnerIndexes(db: Db): Promise<void> {
  await partnersCollection(db).createIndexes([
    { key: { districtIds: 1 }, name: 'districts' },
    { key: { siret: 1 }, name: 'siret_unique', unique: true, partialFilterExpression: { siret: { $type: 'string' } } },
  ]);
}

function offering(service: PartnerService | null | undefined): Filter<PartnerDocument> {
  return service ? { services: service } : {};
}

export class PartnersData extends Records<PartnerDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(partnersCollection(db), loaders);
  }

  /** Partners serving any of `districts`, offering `service` when given, by name. */
  list(districts: DistrictSelection, service?: PartnerService | null): Promise<PartnerDocument[]> {
    const filter = { ...withinDistricts('districtIds', districts), ...offering(service) } as Filter<PartnerDocument>;
    return this.collection.find(filter, { sort: { name: 1, _id: 1 } }).toArray();
  }

  /** The partners serving a district, offering `service` when given: one query for all districts asked. */
  ofDistrict(districtId: string, service?: PartnerService | null): Promise<PartnerDocument[]> {
    return this.loaders
      .get(loaderKey('partnersOfDistrict', { service }), () =>
        groupedByFieldLoader(this.collection, 'districtIds', { filter: offering(service), sort: { name: 1, _id: 1 } }),
      )
      .load(districtId);
  }

  register(partner: PartnerDocument): Promise<PartnerDocument> {
    return this.insert(partner, `A partner with SIRET ${partner.siret} is already registered.`);
  }
}
