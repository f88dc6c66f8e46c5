import type { Db } from 'mongodb';
import type { StoreScope } from '../shared/subgraphDefinition';
import { BuildingsData, ensureBuildingIndexes } from './data/buildings';
import { DistrictsData, ensureDistrictIndexes } from './data/districts';
import { DwellingsData, ensureDwellingIndexes } from './data/dwellings';
import { EstatesData, ensureEstateIndexes } from './data/estates';
import { LandlordsData, ensureLandlordIndexes } from './data/landlords';
import { SHARED_STOCK_SUMMARIES, type SharedStock, type StockBreakdowns, stockOfDistrict } from './data/stock';
import { SharedByVersion } from '../shared/sharedByVersion';

/** The housing subgraph's data access for one request, one module per collection. */
export interface HousingStore {
  landlords: LandlordsData;
  districts: DistrictsData;
  estates: EstatesData;
  buildings: BuildingsData;
  dwellings: DwellingsData;
  stockOfDistrict(districtId: string, breakdowns?: StockBreakdowns): ReturnType<typeof stockOfDistrict>;
}

const SHARED_STOCK: SharedStock = new SharedByVersion(SHARED_STOCK_SUMMARIES);

export function createHousingStore(db: Db, scope: Pick<StoreScope, 'loaders' | 'directory'>): HousingStore {
  const { loaders } = scope;
  return {
    landlords: new LandlordsData(db, loaders),
    districts: new DistrictsData(db, loaders),
    estates: new EstatesData(db, loaders),
    buildings: new BuildingsData(db, loaders),
    dwellings: new DwellingsData(db, loaders),
    stockOfDistrict: (districtId, breakdowns) => stockOfDistrict(db, scope, SHARED_STOCK, districtId, breakdowns),
  };
}

export async function ensureHousingIndexes(db: Db): Promise<void> {
  await Promise.all([
    ensureLandlordIndexes(db),
    ensureDistrictIndexes(db),
    ensureEstateIndexes(db),
    ensureBuildingIndexes(db),
    ensureDwellingIndexes(db),
  ]);
}
