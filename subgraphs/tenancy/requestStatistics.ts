import DataLoader from 'dataloader';
import type { Access } from '../shared/access';
import type { Directory } from '../shared/directory';
import { badInput, notFound } from '../shared/errors';
import type { RequestLoaders } from '../shared/loaders';
import { type Computed, SharedByVersion } from '../shared/sharedByVersion';
import { requireIntInRange } from '../shared/validate';
import type { ServiceRequestsData } from './data/serviceRequests';
import type { StatsParts } from './data/requestStats';
import { CellDisclosures, SMALL_CELL_THRESHOLD, isShown } from './disclosure';
import type { CategoryCount, MonthCount, RequestStats, StatsPeriod } from './generated/resolvers';
import {
  ALL_CATEGORIES,
  ALL_TIME,
  type Cell,
  DISTRICT,
  REQUEST_CATEGORIES,
  StatisticsCube,
  cellOf,
  monthOf,
  monthsOfPeriod,
  periodTimeKey,
  timeKeys,
} from './statisticsCells';

/** The arguments of `requestStats`: a fixed period, or the deprecated `since`. */
export interface StatsArguments {
  period?: StatsPeriod | null;
  since?: Date | null;
}

/** A district's cells for one kind of caller, with their disclosures. */
interface DisclosedDistrict {
  cube: StatisticsCube;
  disclosures: CellDisclosures;
}

/** How long a table is kept at most: against a revision lost with a crash between a write and its revision. */
const TABLE_MAX_AGE_MS = 10 * 60_000;

/** The cells the shared tables of one process hold at most by default: about 80 MB per 100,000 cells (a district of the default benchmark dataset holds about 9,000). */
const DEFAULT_SHARED_TABLE_CELLS = 300_000;

/** `DISCLOSED_TABLES_MAX_CELLS`: how many cells this process's shared tables hold at most; 0 computes every request's own. */
export function sharedTableCellsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.DISCLOSED_TABLES_MAX_CELLS;
  if (value === undefined || value === '') return DEFAULT_SHARED_TABLE_CELLS;
  const cells = Number(value);
  if (!Number.isSafeInteger(cells) || cells < 0) throw new Error(`DISCLOSED_TABLES_MAX_CELLS must be a whole number, not "${value}".`);
  return cells;
}

/**
 * The disclosed tables of districts, shared by every request of this process: the small-cells rule and its
 * complementary suppression, run once per district and kind of caller (see `viewerKey`) rather than on every request,
 * weighed in cells. A table's version is the revision of the district's cells (see `reviseDistrictCells`) and
 * housing's revision (its buildings and their landlords: subgraphs/shared/graphRevisions.ts); it is true until the
 * next 48-hour deadline, the next month, or TABLE_MAX_AGE_MS.
 */
export type SharedDisclosedTables = SharedByVersion<DisclosedDistrict>;

/** What a table depends on of the callers: admins read everything exactly, a landlord's staff its own buildings. */
function viewerKey(access: Access): string {
  if (access.isAdmin) return 'admin';
  return access.caller.role === 'LANDLORD_STAFF' ? `landlord:${access.caller.landlordId}` : 'shared';
}

/** The first instant of the UTC month after `at`'s. */
function nextMonthStart(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
}

/**
 * Request statistics as callers read them: fixed cells (a period × a building or the district × a category) under
 * the small-cells rule, computed for every building of a district from ONE aggregate of its base cells. The one
 * exception, kept for the deprecated `since`: callers who read every request counted exactly (admins; a landlord on
 * its own building) still count from the exact instant.
 */
export class RequestStatistics {
  constructor(
    private readonly serviceRequests: ServiceRequestsData,
    private readonly access: Access,
    private readonly directory: Directory,
    private readonly loaders: RequestLoaders,
    private readonly sharedTables: SharedDisclosedTables,
  ) {}

  async ofBuilding(buildingId: string, args: StatsArguments, parts: StatsParts): Promise<RequestStats> {
    const building = await this.directory.buildings.load(buildingId);
    if (!building) throw notFound('Building', buildingId);
    const since = checkedArguments(args);
    if (since && this.access.ownsDataOf(building.landlordId)) return this.serviceRequests.statsOfBuilding(buildingId, since, parts);
    return this.statsOfCell(building.districtId, buildingId, args, parts);
  }

  async ofDistrict(districtId: string, args: StatsArguments, parts: StatsParts): Promise<RequestStats> {
    const since = checkedArguments(args);
    if (since && this.access.isAdmin) return this.serviceRequests.statsOfDistrict(districtId, since, parts);
    return this.statsOfCell(districtId, DISTRICT, args, parts);
  }

  private async statsOfCell(districtId: string, place: string, args: StatsArguments, parts: StatsParts): Promise<RequestStats> {
    const district = await this.disclosedDistrict(districtId);
    const { time, months } = timeCellOf(district.cube, args);
    return shapeStats(district, cellOf(time, place, ALL_CATEGORIES), months, parts);
  }

  private disclosedDistrict(districtId: string): Promise<DisclosedDistrict> {
    return this.loaders
      .get(
        'disclosedRequestCells',
        () => new DataLoader<string, DisclosedDistrict>((districtIds) => Promise.all(districtIds.map((id) => this.disclose(id)))),
      )
      .load(districtId);
  }

  private async disclose(districtId: string): Promise<DisclosedDistrict> {
    // The revisions before the cells and buildings: what is read under them holds every change revised before them.
    const [cellsRevision, housingRevision] = await Promise.all([
      this.serviceRequests.cellsRevisionOf(districtId),
      this.directory.revisionOf('housing'),
    ]);
    const version = cellsRevision === null || housingRevision === null ? null : `${cellsRevision} ${housingRevision}`;
    return this.sharedTables.get(`${districtId} ${viewerKey(this.access)}`, version, () => this.computeTable(districtId));
  }

  private async computeTable(districtId: string): Promise<Computed<DisclosedDistrict>> {
    const [{ cells, unchangedUntil }, buildings] = await Promise.all([
      this.serviceRequests.cellsOfDistrict(districtId),
      this.directory.buildingsOfDistrict(districtId),
    ]);
    const now = new Date();
    const caller = this.access.caller;
    const callerLandlord = caller.role === 'LANDLORD_STAFF' ? caller.landlordId : null;
    const landlordOf = new Map(buildings.map((building) => [building._id, building.landlordId]));
    const cube = new StatisticsCube(cells, [...landlordOf.keys()], now, (landlordId) => landlordId !== callerLandlord);
    const disclosures = new CellDisclosures(cube, {
      exactEverywhere: this.access.isAdmin,
      ownsBuilding: (buildingId) => {
        const landlordId = landlordOf.get(buildingId);
        return landlordId !== undefined && this.access.ownsDataOf(landlordId);
      },
    });
    const trueUntil = Math.min(unchangedUntil, nextMonthStart(now), now.getTime() + TABLE_MAX_AGE_MS);
    return { value: { cube, disclosures }, size: cube.size, trueUntil };
  }
}

/** Checks the arguments; the `since` instant when that is what was asked. */
function checkedArguments({ period, since }: StatsArguments): Date | null {
  if (period && since) throw badInput('Give period or since, not both.', 'period');
  if (period) {
    requireIntInRange(period.year, 'period.year', 1900, 2999);
    if (period.quarter !== null && period.quarter !== undefined) {
      if (period.month !== null && period.month !== undefined)
        throw badInput('Give period.quarter or period.month, not both.', 'period.month');
      requireIntInRange(period.quarter, 'period.quarter', 1, 4);
    }
    if (period.month !== null && period.month !== undefined) requireIntInRange(period.month, 'period.month', 1, 12);
  }
  return since ?? null;
}

/**
 * The time cell asked for and the months of its byMonth rows. A `since` snaps to the start of its year: the cell
 * counting from then on (all time from the district's first year back; nothing after the current year).
 */
function timeCellOf(cube: StatisticsCube, { period, since }: StatsArguments): { time: string; months: string[] } {
  const lastMonth = cube.time?.lastMonth ?? monthOf(new Date());
  if (period) return { time: periodTimeKey(period), months: monthsOfPeriod(period, lastMonth) };
  if (!cube.time) return { time: ALL_TIME, months: [] };
  const year = since?.getUTCFullYear();
  if (year !== undefined && year > cube.time.lastYear) return { time: timeKeys.from(year), months: [] };
  const time = year === undefined ? ALL_TIME : cube.time.fromYear(year);
  return { time, months: cube.time.nodes.get(time)!.months };
}

/** A cell as RequestStats: its figures when disclosed, its byCategory and byMonth rows as cells of their own. */
function shapeStats({ cube, disclosures }: DisclosedDistrict, cell: Cell, months: readonly string[], parts: StatsParts): RequestStats {
  const disclosure = disclosures.of(cell);
  const exact = disclosure === 'EXACT';
  const shown = isShown(disclosure);
  const totals = cube.totals(cell);
  const count = (rowCell: Cell) => (isShown(disclosures.of(rowCell)) ? (cube.totals(rowCell)?.count ?? 0) : null);
  const byCategory: CategoryCount[] = !parts.byCategory
    ? []
    : REQUEST_CATEGORIES.map((category) => {
        const rowCell = cellOf(cell.time, cell.place, category);
        return { category, count: count(rowCell), disclosure: disclosures.of(rowCell) };
      });
  const byMonth: MonthCount[] = !parts.byMonth
    ? []
    : months.map((month) => {
        const rowCell = cellOf(timeKeys.month(month), cell.place, ALL_CATEGORIES);
        return { month, count: count(rowCell), disclosure: disclosures.of(rowCell) };
      });
  // Exact figures keep their former shape: the categories and months with requests only, the largest categories first.
  const nonEmpty = <T extends { count?: number | null }>(rows: T[]) => rows.filter((row) => (row.count ?? 0) > 0);
  const sharedBasis = (exactValue: number, others: number) => (exact || others >= SMALL_CELL_THRESHOLD ? exactValue : 0);
  const due = totals ? sharedBasis(totals.acknowledgementsDue, totals.othersDue) : 0;
  const resolved = totals ? sharedBasis(totals.resolved, totals.othersResolved) : 0;
  return {
    disclosure,
    total: shown ? (totals?.count ?? 0) : null,
    open: shown ? (totals?.open ?? 0) : null,
    byCategory: exact ? nonEmpty(byCategory).sort((a, b) => b.count! - a.count! || a.category.localeCompare(b.category)) : byCategory,
    byMonth: exact ? nonEmpty(byMonth) : byMonth,
    acknowledgedWithin48hRate: shown && parts.acknowledgement && due > 0 ? totals!.acknowledgedInTime / due : null,
    medianResolutionHours: shown && parts.median && resolved > 0 ? cube.medianResolutionHours(cell) : null,
  };
}
