import DataLoader from 'dataloader';
import type { Db } from 'mongodb';
import { loaderKey } from '../../shared/loaders';
import type { SharedByVersion } from '../../shared/sharedByVersion';
import type { StoreScope } from '../../shared/subgraphDefinition';
import type { StockSummaryModel } from '../model';
import { buildingsCollection } from './buildings';
import { dwellingsCollection } from './dwellings';

interface DwellingFacets {
  byLandlord: { _id: { districtId: string; landlordId: string }; count: number }[];
  byRooms?: { _id: { districtId: string; rooms: number }; count: number }[];
  byFinancing?: { _id: { districtId: string; financing: StockSummaryModel['byFinancing'][number]['financing'] }; count: number }[];
  byEnergyClass?: { _id: { districtId: string; energyClass: StockSummaryModel['byEnergyClass'][number]['energyClass'] }; count: number }[];
}

/** The breakdowns of a stock summary beyond the totals and byLandlord; those not asked for come back empty. */
export interface StockBreakdowns {
  byRooms: boolean;
  byFinancing: boolean;
  byEnergyClass: boolean;
}

export const ALL_STOCK_BREAKDOWNS: StockBreakdowns = { byRooms: true, byFinancing: true, byEnergyClass: true };

/** The breakdowns a query needs, from the StockSummary fields it selects. */
export function stockBreakdownsFor(selectedFields: ReadonlySet<string>): StockBreakdowns {
  return {
    byRooms: selectedFields.has('byRooms'),
    byFinancing: selectedFields.has('byFinancing'),
    byEnergyClass: selectedFields.has('byEnergyClass'),
  };
}

/**
 * The stock summaries of districts, shared by the requests of this process (one per district and breakdowns asked
 * for) at housing's revision: every write of dwellings or buildings goes through housing, which revises after each
 * (subgraphs/shared/graphRevisions.ts). Counting reads every dwelling of a district; a summary read again does not.
 */
export type SharedStock = SharedByVersion<StockSummaryModel>;

/** How many summaries a process keeps by default (a few hundred bytes each). */
export const SHARED_STOCK_SUMMARIES = 2_000;

/** How long a summary is kept at most: against a revision lost with a crash between a write and its revision. */
const STOCK_MAX_AGE_MS = 10 * 60_000;

/**
 * The stock of districts: shared summaries where housing's revision is the one they were counted at, else counted
 * in MongoDB, one aggregate over dwellings (a facet per breakdown asked for) and one over buildings for all the
 * districts of a request to count, however many dwellings they hold.
 */
export function stockOfDistrict(
  db: Db,
  { loaders, directory }: Pick<StoreScope, 'loaders' | 'directory'>,
  shared: SharedStock,
  districtId: string,
  breakdowns: StockBreakdowns = ALL_STOCK_BREAKDOWNS,
): Promise<StockSummaryModel> {
  const countShared = async (districtIds: readonly string[]): Promise<StockSummaryModel[]> => {
    // Read before the dwellings: a summary counted at a revision holds every write revised before it.
    const revision = await directory.revisionOf('housing');
    // `shared` asks for every count it needs before this tick ends: they are counted together, in one round trip.
    const toCount: string[] = [];
    let counted: Promise<StockSummaryModel[]> | undefined;
    const count = (id: string) => {
      toCount.push(id);
      counted ??= Promise.resolve().then(() => countStock(db, toCount, breakdowns));
      return counted.then((stocks) => ({ value: stocks[toCount.indexOf(id)]!, size: 1, trueUntil: Date.now() + STOCK_MAX_AGE_MS }));
    };
    return Promise.all(districtIds.map((id) => shared.get(`${db.databaseName} ${loaderKey(id, breakdowns)}`, revision, () => count(id))));
  };
  return loaders.get(loaderKey('districtStock', breakdowns), () => new DataLoader<string, StockSummaryModel>(countShared)).load(districtId);
}

async function countStock(db: Db, districtIds: string[], breakdowns: StockBreakdowns): Promise<StockSummaryModel[]> {
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
            ...(breakdowns.byRooms && { byRooms: countBy('rooms') }),
            ...(breakdowns.byFinancing && { byFinancing: countBy('financing') }),
            ...(breakdowns.byEnergyClass && { byEnergyClass: countBy('energyClass') }),
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
  const facets: DwellingFacets = facetsResult[0] ?? { byLandlord: [] };
  return districtIds.map((districtId) => {
    const inDistrict = <G extends { _id: { districtId: string } }>(groups: G[]) =>
      groups.filter((group) => group._id.districtId === districtId);
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
      byRooms: inDistrict(facets.byRooms ?? [])
        .map((group) => ({ rooms: group._id.rooms, count: group.count }))
        .sort((a, b) => a.rooms - b.rooms),
      byFinancing: sortByLabel(
        inDistrict(facets.byFinancing ?? []).map((group) => ({ financing: group._id.financing, count: group.count })),
        'financing',
      ),
      byEnergyClass: sortByLabel(
        inDistrict(facets.byEnergyClass ?? []).map((group) => ({ energyClass: group._id.energyClass, count: group.count })),
        'energyClass',
      ),
    };
  });
}

/** Breakdown rows in label order, the unrecorded (null) last. */
function sortByLabel<K extends string, T extends Record<K, string | null>>(rows: T[], key: K): T[] {
  return rows.sort((a, b) => (a[key] ?? '\uffff').localeCompare(b[key] ?? '\uffff'));
}
