import type { GraphClient } from '../graphClient';
import { matchColumns } from './columns';
import { decodeRplsText } from './decode';
import { RplsFileRefused, RplsTargetNotFound, type RowProblem } from './errors';
import { type BuildingGroup, type SkippedBuilding, groupByAddress, skipBuilding, skippedRowsOf } from './grouping';
import { type DistrictCodes, type DistrictSelection, readRows } from './rows';
import { readRplsTable } from './table';

export interface RplsImportRequest {
  landlordId: string;
  districtId: string;
  /** The file as read from disk: its encoding is worked out here. */
  bytes: Uint8Array;
  /** Refuse the whole file for a single bad row, instead of skipping the rows' buildings. */
  strict: boolean;
  /** Which rows are the district's when the file cannot say (it has no QPV column); see `DistrictSelection`. */
  selection?: DistrictSelection;
}

export interface SaveCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface RplsImportReport {
  landlord: { id: string; name: string };
  district: { id: string; name: string };
  /** Records after the header. */
  rowsRead: number;
  /** Well-formed records of other QPVs (or not selected), left aside (a landlord's file covers all of its stock). */
  rowsOutsideDistrict: number;
  buildings: SaveCounts;
  dwellings: SaveCounts;
  skippedBuildings: SkippedBuilding[];
  /** Every row of the district left out, by line, with the reason. */
  skippedRows: RowProblem[];
}

/** Dwellings sent in one importBuildings call: well under the mutation's limit and the gateway's body size. */
const DWELLINGS_PER_CALL = 500;

const IMPORT_TARGET = `
  query RplsImportTarget($landlordId: ID!, $districtId: ID!) {
    landlord(id: $landlordId) { id name }
    district(id: $districtId) { id name communeCodes qpvCode legacyQpvCode }
  }`;

const IMPORT_BUILDINGS = `
  mutation RplsImportBuildings($landlordId: ID!, $districtId: ID!, $buildings: [ImportedBuildingInput!]!, $dryRun: Boolean) {
    importBuildings(landlordId: $landlordId, districtId: $districtId, buildings: $buildings, dryRun: $dryRun) {
      buildings { created updated unchanged }
      dwellings { created updated unchanged }
      skipped { index reason }
    }
  }`;

interface ImportTarget {
  landlord: { id: string; name: string } | null;
  district: ({ id: string; name: string } & DistrictCodes) | null;
}

interface BuildingsImport {
  buildings: SaveCounts;
  dwellings: SaveCounts;
  skipped: { index: number; reason: string }[];
}

/**
 * Imports a landlord's RPLS file into a district through the graph: the file is read and checked here, then its
 * buildings go to the housing subgraph's importBuildings mutation, which applies the caller's rights, matches
 * buildings by address and dwellings by reference, and writes only what differs, so importing the same file
 * again changes nothing. A refused file writes nothing; with `strict`, a dry run of every call comes first, so
 * that a building the landlord has in another district refuses the file before anything is written.
 */
export async function importRpls(graph: GraphClient, request: RplsImportRequest): Promise<RplsImportReport> {
  const { landlord, district } = await graph.request<ImportTarget>(IMPORT_TARGET, {
    landlordId: request.landlordId,
    districtId: request.districtId,
  });
  if (!landlord) throw new RplsTargetNotFound(`No landlord has the id ${request.landlordId}.`);
  if (!district) throw new RplsTargetNotFound(`No district has the id ${request.districtId}.`);

  const table = readRplsTable(decodeRplsText(request.bytes));
  const columns = matchColumns(table.header);
  const { readings, outsideDistrict } = readRows(table.records, columns, district, request.selection);
  const grouping = groupByAddress(readings);
  if (request.strict) refuseIfAnySkipped(grouping.skipped);

  const send = (dryRun: boolean) => importInCalls(graph, { landlordId: landlord.id, districtId: district.id }, grouping.buildings, dryRun);
  if (request.strict) refuseIfAnySkipped((await send(true)).skipped);
  const outcome = await send(false);
  const skipped = [...grouping.skipped, ...outcome.skipped];

  return {
    landlord,
    district: { id: district.id, name: district.name },
    rowsRead: table.records.length,
    rowsOutsideDistrict: outsideDistrict,
    buildings: outcome.buildings,
    dwellings: outcome.dwellings,
    skippedBuildings: skipped,
    skippedRows: skippedRowsOf(skipped),
  };
}

function refuseIfAnySkipped(skipped: readonly SkippedBuilding[]): void {
  if (skipped.length === 0) return;
  const problems = skipped.flatMap((building) => building.problems).sort((a, b) => a.line - b.line);
  throw new RplsFileRefused(
    `${problems.length} ${problems.length === 1 ? 'row' : 'rows'} cannot be imported; with --strict nothing was written.`,
    problems,
  );
}

/** Sends the buildings a few hundred dwellings at a time, each building whole in one call; adds up the answers. */
async function importInCalls(
  graph: GraphClient,
  target: { landlordId: string; districtId: string },
  buildings: readonly BuildingGroup[],
  dryRun: boolean,
): Promise<{ buildings: SaveCounts; dwellings: SaveCounts; skipped: SkippedBuilding[] }> {
  const total = { buildings: zeroCounts(), dwellings: zeroCounts(), skipped: [] as SkippedBuilding[] };
  for (const call of callsOf(buildings)) {
    const { importBuildings: answer } = await graph.request<{ importBuildings: BuildingsImport }>(IMPORT_BUILDINGS, {
      ...target,
      dryRun,
      buildings: call.map(buildingInput),
    });
    addCounts(total.buildings, answer.buildings);
    addCounts(total.dwellings, answer.dwellings);
    total.skipped.push(...answer.skipped.map(({ index, reason }) => skipBuilding(call[index]!, reason)));
  }
  return total;
}

function* callsOf(buildings: readonly BuildingGroup[]): Generator<BuildingGroup[]> {
  let call: BuildingGroup[] = [];
  let dwellings = 0;
  for (const building of buildings) {
    if (call.length > 0 && dwellings + building.rows.length > DWELLINGS_PER_CALL) {
      yield call;
      call = [];
      dwellings = 0;
    }
    call.push(building);
    dwellings += building.rows.length;
  }
  if (call.length > 0) yield call;
}

function buildingInput(building: BuildingGroup) {
  const { address } = building;
  return {
    address: {
      number: address.number,
      repetition: address.repetition,
      streetType: address.streetType,
      streetName: address.streetName,
      postcode: address.postcode,
      communeCode: address.communeCode,
    },
    location: building.location,
    constructionYear: building.constructionYear,
    dwellings: building.rows.map((row) => row.dwelling),
  };
}

function zeroCounts(): SaveCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}

function addCounts(total: SaveCounts, counts: SaveCounts): void {
  total.created += counts.created;
  total.updated += counts.updated;
  total.unchanged += counts.unchanged;
}
