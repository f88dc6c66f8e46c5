import type { Access } from '../../shared/access';

/** The districts a read is limited to: the caller's scope as a list, or every district (admins). */
export type DistrictSelection = readonly string[] | 'ALL';

export async function visibleDistricts(access: Access): Promise<DistrictSelection> {
  const scope = await access.districtScope();
  return scope === 'ALL' ? 'ALL' : [...scope].sort();
}

/** The filter keeping records whose `field` (a plain or an array field) names a selected district. */
export function withinDistricts(field: string, districts: DistrictSelection): Record<string, unknown> {
  return districts === 'ALL' ? {} : { [field]: { $in: [...districts] } };
}
