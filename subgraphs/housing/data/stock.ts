import DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import type { RequestLoaders } from '../../shared/loaders';
import type { StockSummaryModel } from '../model';
import { buildingsCollection } from './buildings';
import { dwellingsCollection } from './dwellings';

interface DwellingFacets {
  byLandlord: { _id: { districtId: string; landlordId: string }; count: number }[];
  byRooms: { _id: { districtId: string; rooms: number }; count: number }[];
  byFinancing: { _id: { districtId: string; financing: StockSummaryModel['byFinancing'][number]['financing'] }; count: number }[];
  byEnergyClass: { _id: { districtId: string; energyClass: StockSummaryModel['byEnergyClass'][number]['energyClass'] }; count: number }[];
}

/**
 * The stock of districts, counted in MongoDB: one aggregate over dwellings (a facet per breakdown) and one over
 * buildings, for all districts asked, however many dwellings they hold.
 */
export function stockOfDistrict(db: Db, loaders: RequestLoaders, districtId: string): Promise<StockSummaryModel> {
  return loaders
    .get('districtStock', () => new DataLoader<string, StockSummaryModel>((ids) => countStock(db, [...ids])))
    .load(districtId);
}

async function countStock(db: Db, districtIds: string[]): Promise<StockSummaryModel[]> {
  const countBy = (field: string) => [
    { $group: { _id: { districtId: '$districtId', [field]: { $ifNull: [`$${field}`, null] } }, count: { $sum: 1 } } },
  ];
  const [facetsResult, buildingGroups] = await Promise.all([
    dwellingsCollection(db)
      .aggregate<DwellingFacets>([
        { $match: { districtId: { $in: districtIds } } },
        {
          $facet: {
            byLandlord: countBy('landlordId'),
            byRooms: countBy('rooms'),
            byFinancing: countBy('financing'),
            byEnergyClass: countBy('energyClass'),
          },
        },
      ])
      .toArray(),
    buildingsCollection(db)
      .aggregate<{ _id: { districtId: string; landlordId: string }; count: number }>([
        { $match: { districtId: { $in: districtIds } } },
        { $group: { _id: { districtId: '$districtId', landlordId: '$landlordId' }, count: { $sum: 1 } } },
      ])
      .toArray(),
  ]);
  const facets = facetsResult[0] ?? { byLandlord: [], byRooms: [], byFinancing: [], byEnergyClass: [] };
  return districtIds.map((districtId) => {
    const inDistrict = <G extends { _id: { districtId: string } }>(groups: G[]) => groups.filter((group) => group._id.districtId === districtId);
    const landlordIds = new Set([...inDistrict(facets.byLandlord), ...inDistrict(buildingGroups)].map((group) => group._id.landlordId));
    const dwellingsOf = new Map(inDistrict(facets.byLandlord).map((group) => [group._id.landlordId, group.count]));
    const buildingsOf = new Map(inDistrict(buildingGroups).map((group) => [group._id.landlordId, group.count]));
    const byLandlord = [...landlordIds].sort().map((landlordId) => ({
      landlordId,
      buildings: buildingsOf.get(landlordId) ?? 0,
      dwellings: dwellingsOf.get(landlordId) ?? 0,
    }));
    return {
      dwellings: byLandlord.reduce((sum, entry) => sum + entry.dwellings, 0),
      buildings: byLandlord.reduce((sum, entry) => sum + entry.buildings, 0),
      byLandlord,
      byRooms: inDistrict(facets.byRooms)
        .map((group) => ({ rooms: group._id.rooms, count: group.count }))
        .sort((a, b) => a.rooms - b.rooms),
      byFinancing: sortByLabel(inDistrict(facets.byFinancing).map((group) => ({ financing: group._id.financing, count: group.count })), 'financing'),
      byEnergyClass: sortByLabel(
        inDistrict(facets.byEnergyClass).map((group) => ({ energyClass: group._id.energyClass, count: group.count })),
        'energyClass',
      ),
    };
  });
}

/** Breakdown rows in label order, the unrecorded (null) last. */
function sortByLabel<K extends string, T extends Record<K, string | null>>(rows: T[], key: K): T[] {
  return rows.sort((a, b) => (a[key] ?? '\uffff').localeCompare(b[key] ?? '\uffff'));
}
