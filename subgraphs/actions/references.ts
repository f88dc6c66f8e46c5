import { badInput, notFound } from '../shared/errors';
import { distinctIds } from '../shared/validate';
import type { Context } from './context';

/** The records of other subgraphs an action refers to, checked through the directory: each check is one batched read. */

export async function requireLandlordAndDistrict(context: Context, landlordId: string, districtId: string): Promise<void> {
  const [landlord, district] = await Promise.all([
    context.directory.landlords.load(landlordId),
    context.directory.districts.load(districtId),
  ]);
  if (!district) throw notFound('District', districtId);
  if (!landlord) throw notFound('Landlord', landlordId);
}

/** A landlord of the district (one with buildings there), e.g. to invite it to an action there. */
export async function requireLandlordOfDistrict(context: Context, landlordId: string, districtId: string): Promise<void> {
  await requireLandlordAndDistrict(context, landlordId, districtId);
  if (!(await context.directory.districtsOfLandlord(landlordId)).includes(districtId)) {
    throw badInput(`Landlord ${landlordId} has no buildings in district ${districtId}: only the district's landlords take part in its actions.`, 'landlordId');
  }
}

/** Distinct building ids, each of an existing building of the district. */
export async function requireBuildingsOf(context: Context, districtId: string, ids: readonly string[] | null | undefined): Promise<string[]> {
  const buildingIds = distinctIds(ids, 'buildingIds');
  const buildings = await Promise.all(buildingIds.map((id) => context.directory.buildings.load(id)));
  buildingIds.forEach((id, index) => {
    const building = buildings[index];
    if (!building) throw notFound('Building', id);
    if (building.districtId !== districtId) throw badInput(`Building ${id} is not in district ${districtId}.`, 'buildingIds');
  });
  return buildingIds;
}

/** Distinct partner ids, each of an existing partner serving the district. */
export async function requirePartnersOf(context: Context, districtId: string, ids: readonly string[] | null | undefined): Promise<string[]> {
  const partnerIds = distinctIds(ids, 'partnerIds');
  const partners = await Promise.all(partnerIds.map((id) => context.directory.partners.load(id)));
  partnerIds.forEach((id, index) => {
    const partner = partners[index];
    if (!partner) throw notFound('Partner', id);
    if (!partner.districtIds.includes(districtId)) throw badInput(`Partner ${id} does not serve district ${districtId}.`, 'partnerIds');
  });
  return partnerIds;
}
