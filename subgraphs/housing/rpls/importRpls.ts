import type { Db } from 'mongodb';
import { RequestLoaders } from '../../shared/loaders';
import { BuildingsData } from '../data/buildings';
import { DistrictsData } from '../data/districts';
import { DwellingsData } from '../data/dwellings';
import { LandlordsData } from '../data/landlords';
import type { DistrictDocument, LandlordDocument } from '../model';
import { matchColumns } from './columns';
import { decodeRplsText } from './decode';
import { RplsFileRefused, RplsTargetNotFound, type RowProblem } from './errors';
import { type BuildingGroup, type SkippedBuilding, groupByAddress, skipBuilding, skippedRowsOf } from './grouping';
import { readRows } from './rows';
import { readRplsTable } from './table';

export interface RplsImportRequest {
  landlordId: string;
  districtId: string;
  /** The file as read from disk: its encoding is worked out here. */
  bytes: Uint8Array;
  /** Refuse the whole file for a single bad row, instead of skipping the rows' buildings. */
  strict: boolean;
  /** Who the audit trail names. */
  by?: string;
}

export interface SaveCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface RplsImportReport {
  landlord: Pick<LandlordDocument, '_id' | 'name'>;
  district: Pick<DistrictDocument, '_id' | 'name'>;
  /** Records after the header. */
  rowsRead: number;
  /** Records of other QPVs, left aside (a landlord's file covers all of its stock). */
  rowsOutsideDistrict: number;
  buildings: SaveCounts;
  dwellings: SaveCounts;
  skippedBuildings: SkippedBuilding[];
  /** Every row of the district left out, by line, with the reason. */
  skippedRows: RowProblem[];
}

/**
 * Imports a landlord's RPLS file into a district. Everything is read and checked before anything is written:
 * a refused file writes nothing, and a building is written whole or not at all. Buildings are matched by
 * address and dwellings by reference, and only what differs from the stored records is written, so importing
 * the same file again changes nothing. Dwellings the file does not name are left as they are. Expects the
 * housing indexes (the unique address and reference keys) to exist.
 */
export async function importRpls(db: Db, request: RplsImportRequest): Promise<RplsImportReport> {
  const loaders = new RequestLoaders();
  const buildingsData = new BuildingsData(db, loaders);
  const [landlord, district] = await Promise.all([
    new LandlordsData(db, loaders).byId(request.landlordId),
    new DistrictsData(db, loaders).byId(request.districtId),
  ]);
  if (!landlord) throw new RplsTargetNotFound(`No landlord has the id ${request.landlordId}.`);
  if (!district) throw new RplsTargetNotFound(`No district has the id ${request.districtId}.`);

  const table = readRplsTable(decodeRplsText(request.bytes));
  const columns = matchColumns(table.header);
  const { readings, outsideDistrict } = readRows(table.records, columns, district);
  const grouping = groupByAddress(readings);
  const { buildings, skipped } = await setAsideBuildingsOfOtherDistricts(buildingsData, landlord._id, district._id, grouping);

  if (request.strict && skipped.length > 0) {
    const problems = skipped.flatMap((building) => building.problems).sort((a, b) => a.line - b.line);
    throw new RplsFileRefused(
      `${problems.length} ${problems.length === 1 ? 'row' : 'rows'} cannot be imported; with --strict nothing was written.`,
      problems,
    );
  }

  const audit = { at: new Date(), by: request.by ?? 'rpls-import' };
  const savedBuildings = await buildingsData.importByAddress(
    buildings.map((building) => ({
      landlordId: landlord._id,
      districtId: district._id,
      address: building.address,
      addressKey: building.addressKey,
      location: building.location,
      constructionYear: building.constructionYear,
    })),
    audit,
  );
  const savedDwellings = await new DwellingsData(db, loaders).importByReference(
    buildings.flatMap((building, index) =>
      building.rows.map((row) => ({
        ...row.dwelling,
        buildingId: savedBuildings.records[index]!._id,
        landlordId: landlord._id,
        districtId: district._id,
      })),
    ),
    audit,
  );

  return {
    landlord: { _id: landlord._id, name: landlord.name },
    district: { _id: district._id, name: district.name },
    rowsRead: table.records.length,
    rowsOutsideDistrict: outsideDistrict,
    buildings: countsOf(savedBuildings),
    dwellings: countsOf(savedDwellings),
    skippedBuildings: skipped,
    skippedRows: skippedRowsOf(skipped),
  };
}

/** A landlord has one building per address: one already registered in another district is not moved by an import. */
async function setAsideBuildingsOfOtherDistricts(
  buildingsData: BuildingsData,
  landlordId: string,
  districtId: string,
  grouping: { buildings: BuildingGroup[]; skipped: SkippedBuilding[] },
): Promise<{ buildings: BuildingGroup[]; skipped: SkippedBuilding[] }> {
  const stored = await buildingsData.atAddresses(landlordId, grouping.buildings.map((building) => building.addressKey));
  const elsewhere = new Map(stored.filter((building) => building.districtId !== districtId).map((building) => [building.addressKey, building]));
  const buildings: BuildingGroup[] = [];
  const skipped = [...grouping.skipped];
  for (const building of grouping.buildings) {
    const other = elsewhere.get(building.addressKey);
    if (other) skipped.push(skipBuilding(building, `The landlord's building at this address (${other._id}) belongs to district ${other.districtId}.`));
    else buildings.push(building);
  }
  return { buildings, skipped };
}

function countsOf({ created, updated, unchanged }: SaveCounts): SaveCounts {
  return { created, updated, unchanged };
}
