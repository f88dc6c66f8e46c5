import type { Collection, Db } from 'mongodb';
import { type DistrictSelection, withinDistricts } from '../../shared/access';
import { type RequestLoaders, groupedByFieldLoader, loaderKey } from '../../shared/loaders';
import { COLLECTIONS } from '../../shared/mongo';
import { Records } from '../../shared/records';
import type { AgreementDocument } from '../model';

export function agreementsCollection(db: Db): Collection<AgreementDocument> {
  return db.collection<AgreementDocument>(COLLECTIONS.agreements);
}

/**
 * Index per query: a partner's agreements and a landlord's (multikey on `landlordIds`), each limited to the
 * districts the caller may see, hence `districtId` second.
 */
export async function ensureAgreementIndexes(db: Db): Promise<void> {
  await agreementsCollection(db).createIndexes([
    { key: { partnerId: 1, districtId: 1 }, name: 'partner_district' },
    { key: { landlordIds: 1, districtId: 1 }, name: 'landlord_district' },
  ]);
}

export class AgreementsData extends Records<AgreementDocument> {
  constructor(db: Db, loaders: RequestLoaders) {
    super(agreementsCollection(db), loaders);
  }

  /** A partner's agreements in `districts`: one query for all partners asked. */
  ofPartner(partnerId: string, districts: DistrictSelection): Promise<AgreementDocument[]> {
    return this.groupedBy('partnerId', districts).load(partnerId);
  }

  /** The agreements binding a landlord, in `districts`: one query for all landlords asked. */
  ofLandlord(landlordId: string, districts: DistrictSelection): Promise<AgreementDocument[]> {
    return this.groupedBy('landlordIds', districts).load(landlordId);
  }

  register(agreement: AgreementDocument): Promise<AgreementDocument> {
    return this.insert(agreement, 'This agreement is already recorded.');
  }

  private groupedBy(field: 'partnerId' | 'landlordIds', districts: DistrictSelection) {
    return this.loaders.get(loaderKey(`agreementsBy:${field}`, { districts }), () =>
      groupedByFieldLoader(this.collection, field, {
        filter: withinDistricts('districtId', districts),
        sort: { validFrom: 1, _id: 1 },
      }),
    );
  }
}
