/** How much a seed run writes; households, partners, agreements, estates and surveys follow from these. */
export interface SeedCounts {
  landlords: number;
  districts: number;
  buildings: number;
  dwellings: number;
  requests: number;
  actions: number;
}

/** Scale 1: the demo, one district of Le Mirail shared by three landlords, of the order of its real stock (Coop'IB alone has 3,630 dwellings there) in the large slab blocks of the 1970s. */
export const DEMO_COUNTS: SeedCounts = { landlords: 3, districts: 1, buildings: 20, dwellings: 3630, requests: 300, actions: 12 };

export const COUNT_NAMES = Object.keys(DEMO_COUNTS) as (keyof SeedCounts)[];

/** `scale` times the demo, each count replaced by its override when given (a benchmark sets them all). */
export function seedCounts(scale: number, overrides: Partial<SeedCounts> = {}): SeedCounts {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`The scale must be a whole number from 1, not ${scale}.`);
  const counts = { ...DEMO_COUNTS };
  for (const name of COUNT_NAMES) {
    const override = overrides[name];
    counts[name] = override ?? DEMO_COUNTS[name] * scale;
    if (!Number.isInteger(counts[name]) || counts[name] < 0)
      throw new RangeError(`The number of ${name} must be a whole number, not ${counts[name]}.`);
  }
  if (counts.landlords < 1 || counts.districts < 1) throw new RangeError('A seed needs at least one landlord and one district.');
  return counts;
}
