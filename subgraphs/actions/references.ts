import { districtRecord, landlordRecord, partnerRecord, recordInDistrict } from '../shared/access';
import { badInput } from '../shared/errors';
import { distinctIds } from '../shared/validate';
import type { Context } from './index';

/** The records of other subgraphs an action refers to, checked through the directory: each check is one batched read. */

export async function requireLandlordAndDistrict(context: Context, landlordId: string, districtId: string): Promise<void> {
  const [landlord, district] = await Promise.all([
    context.directory.landlords.load(landlordId),
    context.directory.districts.load(districtId),
  ]);
  await context.access.require(district, districtRecord, 'District', districtId);
  await context.access.require(landlord, landlordRecord, 'Landlord', landlordId);
}

/** A landlord of the district (one with buildings there), e.g. to invite it to an action there. */
export async function requireLandlordOfDistrict(context: Context, landlordId: string, districtId: string): Promise<void> {
  await requireLandlordAndDistrict(context, landlordId, districtId);
  if (!(await context.directory.districtsOfLandlord(landlordId)).includes(districtId)) {
    throw badInput(
      `Landlord ${landlordId} has no buildings in district ${districtId}: only the district's landlords take part in its actions.`,
      'landlordId',
    );
  }
}

/** Distinct building ids, each of a building the caller knows of, in the district. */
export async function requireBuildingsOf(
  context: Context,
  districtId: string,
  ids: readonly string[] | null | undefined,
): Promise<string[]> {
  const buildingIds = distinctIds(ids, 'buildingIds');
  const buildings = await Promise.all(buildingIds.map((id) => context.directory.buildings.load(id)));
  for (const [index, id] of buildingIds.entries()) {
    const building = await context.access.require(buildings[index], recordInDistrict, 'Building', id);
    if (building.districtId !== districtId) throw badInput(`Building ${id} is not in district ${districtId}.`, 'buildingIds');
  }
  return buildingIds;
}

/** Distinct partner ids, each of a partner the caller knows of, serving the district; `field` names them in a refusal. */
export async function requirePartnersOf(
  context: Context,
  districtId: string,
  ids: readonly string[] | null | undefined,
  field = 'partnerIds',
): Promise<string[]> {
  const partnerIds = distinctIds(ids, field);
  const partners = await Promise.all(partnerIds.map((id) => context.directory.partners.load(id)));
  for (const [index, id] of partnerIds.entries()) {
    const partner = await context.access.require(partners[index], partnerRecord, 'Partner', id);
    if (!partner.districtIds.includes(districtId)) throw badInput(`Partner ${id} does not serve district ${districtId}.`, field);
  }
  return partnerIds;
}
