import type { BaseCell } from './data/requestCells';
import { CLOCK_SKEW_TOLERANCE_MS } from '../shared/validate';
import type { RequestCategory, StatsPeriod } from './generated/resolvers';

/**
 * The cells of a district's request statistics: a time cell × a place × a category, each the sum of base cells
 * (building × month × category). Three axes, each a tree whose children add up to their parent:
 * - time: all time = the first year + all from the next year; "all from year y" = year y + all from year y + 1 (the
 *   cells a deprecated `since` snaps to); a year = its quarters; a quarter = its months (up to the current one). The
 *   axis starts with the year of the district's first request, 2000 at the earliest (`FIRST_STATISTICS_MONTH`);
 * - place: the district = its buildings;
 * - category: all categories = each category.
 */

const CATEGORY_SET: Record<RequestCategory, true> = {
  CLEANLINESS: true,
  BULKY_WASTE: true,
  LIFT: true,
  HEATING_HOT_WATER: true,
  PLUMBING_LEAK: true,
  ELECTRICITY_LIGHTING: true,
  ACCESS_INTERCOM: true,
  PESTS: true,
  OUTDOOR_SPACES: true,
  PARKING_WRECKS: true,
  NEIGHBOUR_NUISANCE: true,
  TRANQUILLITY: true,
  CHARGES: true,
  OTHER: true,
};

/** Every request category, in the schema's order. */
export const REQUEST_CATEGORIES = Object.keys(CATEGORY_SET) as RequestCategory[];

export const ALL_TIME = 'all';
export const DISTRICT = 'district';
export const ALL_CATEGORIES = '*';

export type Dimension = 'time' | 'place' | 'category';
export const DIMENSIONS: readonly Dimension[] = ['time', 'place', 'category'];

export interface Cell {
  key: string;
  /** 'all', 'y2025', 'q2025-3', 'm2025-07', or 'from2024' (all from the start of 2024). */
  time: string;
  /** DISTRICT or a building id. */
  place: string;
  /** ALL_CATEGORIES or a category. */
  category: string;
}

export function cellOf(time: string, place: string, category: string): Cell {
  return { key: cellKey(time, place, category), time, place, category };
}

function cellKey(time: string, place: string, category: string): string {
  return `${time}\u0000${place}\u0000${category}`;
}

/** The sums a cell holds, for one caller: `others*` count the requests of landlords other than the caller's. */
export interface CellTotals {
  count: number;
  others: number;
  open: number;
  acknowledgementsDue: number;
  othersDue: number;
  acknowledgedInTime: number;
  resolved: number;
  othersResolved: number;
}

const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
const yearOf = (month: string) => Number(month.slice(0, 4));
const monthNumberOf = (month: string) => Number(month.slice(5, 7));

export const timeKeys = {
  year: (year: number) => `y${year}`,
  quarter: (year: number, quarter: number) => `q${year}-${quarter}`,
  month: (month: string) => `m${month}`,
  from: (year: number) => `from${year}`,
};

/** The time key of a fixed period. */
export function periodTimeKey({ year, quarter, month }: StatsPeriod): string {
  if (month) return timeKeys.month(monthKey(year, month));
  if (quarter) return timeKeys.quarter(year, quarter);
  return timeKeys.year(year);
}

/** The months ('YYYY-MM') of a period, up to `lastMonth`. */
export function monthsOfPeriod({ year, quarter, month }: StatsPeriod, lastMonth: string): string[] {
  const [first, last] = month ? [month, month] : quarter ? [quarter * 3 - 2, quarter * 3] : [1, 12];
  const months: string[] = [];
  for (let number = first; number <= last; number += 1) months.push(monthKey(year, number));
  return months.filter((candidate) => candidate <= lastMonth);
}

interface TimeNode {
  children: string[];
  months: string[];
}

/** The time axis of a district: from the year of its first request to `lastMonth`. */
export class TimeAxis {
  readonly nodes = new Map<string, TimeNode>();
  /** Each time cell's parent in the tree (none for all time). */
  readonly parents = new Map<string, string>();
  readonly firstYear: number;
  readonly lastYear: number;

  constructor(
    firstMonth: string,
    readonly lastMonth: string,
  ) {
    this.firstYear = yearOf(firstMonth);
    this.lastYear = yearOf(lastMonth);
    for (let year = this.firstYear; year <= this.lastYear; year += 1) {
      const quarters: string[] = [];
      for (let quarter = 1; quarter <= 4; quarter += 1) {
        const months = monthsOfPeriod({ year, quarter }, lastMonth);
        if (months.length === 0) continue;
        quarters.push(timeKeys.quarter(year, quarter));
        this.nodes.set(timeKeys.quarter(year, quarter), { children: months.map(timeKeys.month), months });
        for (const month of months) this.nodes.set(timeKeys.month(month), { children: [], months: [month] });
      }
      this.nodes.set(timeKeys.year(year), { children: quarters, months: monthsOfPeriod({ year }, lastMonth) });
    }
    for (let year = this.lastYear - 1; year > this.firstYear; year -= 1) {
      this.nodes.set(timeKeys.from(year), { children: [timeKeys.year(year), this.fromYear(year + 1)], months: this.monthsFrom(year) });
    }
    const rest = this.firstYear < this.lastYear ? [this.fromYear(this.firstYear + 1)] : [];
    this.nodes.set(ALL_TIME, { children: [timeKeys.year(this.firstYear), ...rest], months: this.monthsFrom(this.firstYear) });
    for (const [parent, node] of this.nodes) for (const child of node.children) this.parents.set(child, parent);
  }

  /** The cell counting everything from the start of `year` on: all time up to the first year, the last year alone. */
  fromYear(year: number): string {
    if (year <= this.firstYear) return ALL_TIME;
    if (year >= this.lastYear) return timeKeys.year(this.lastYear);
    return timeKeys.from(year);
  }

  private monthsFrom(year: number): string[] {
    const months: string[] = [];
    for (let current = year; current <= this.lastYear; current += 1) months.push(...monthsOfPeriod({ year: current }, this.lastMonth));
    return months;
  }

  /** The time cells a month's requests count in: the month, its quarter and year, all time, every "from" before it. */
  ancestorsOf(month: string): string[] {
    const year = yearOf(month);
    const keys = [timeKeys.month(month), timeKeys.quarter(year, Math.ceil(monthNumberOf(month) / 3)), timeKeys.year(year), ALL_TIME];
    for (let from = this.firstYear + 1; from <= year && from < this.lastYear; from += 1) keys.push(timeKeys.from(from));
    return keys;
  }

  has(time: string): boolean {
    return this.nodes.has(time);
  }
}

/**
 * Statistics count the requests opened from January 2000 on, the earliest opening the API accepts, to the current
 * month (the API refuses openings in the future). Others can only have been written past the API (a bulk load):
 * they are left out, or the time axis would walk every month since, or until, them.
 */
export const FIRST_STATISTICS_MONTH = '2000-01';

/** The month of `at`, 'YYYY-MM' in UTC. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * The cells of one district for one caller: every non-empty cell's totals, added up from the base cells; cells not
 * held are empty. `isOthers(landlordId)` says whose requests count as another landlord's for this caller.
 */
export class StatisticsCube {
  /** The base cells counted: those from `FIRST_STATISTICS_MONTH` to the current month. */
  readonly baseCells: readonly BaseCell[];
  readonly time: TimeAxis | null;
  readonly buildingIds: readonly string[];
  private readonly totalsByKey = new Map<string, { cell: Cell; totals: CellTotals }>();
  private readonly medians = new Map<string, number | null>();

  constructor(
    baseCells: readonly BaseCell[],
    districtBuildingIds: readonly string[],
    now: Date,
    private readonly isOthers: (landlordId: string) => boolean,
  ) {
    const lastMonth = monthOf(new Date(now.getTime() + CLOCK_SKEW_TOLERANCE_MS));
    this.baseCells = baseCells.filter((base) => base.month >= FIRST_STATISTICS_MONTH && base.month <= lastMonth);
    const firstMonth = this.baseCells.reduce((first, base) => (base.month < first ? base.month : first), lastMonth);
    this.time = this.baseCells.length > 0 ? new TimeAxis(firstMonth, lastMonth) : null;
    this.buildingIds = [...new Set([...districtBuildingIds, ...this.baseCells.map((base) => base.buildingId)])];
    const ancestorsByMonth = new Map<string, string[]>();
    for (const base of this.baseCells) {
      let ancestors = ancestorsByMonth.get(base.month);
      if (!ancestors) ancestorsByMonth.set(base.month, (ancestors = this.time!.ancestorsOf(base.month)));
      this.add(base, ancestors);
    }
  }

  private add(base: BaseCell, ancestors: readonly string[]): void {
    const others = this.isOthers(base.landlordId);
    const resolved = base.resolutionHours.length;
    for (const time of ancestors) {
      for (const place of [base.buildingId, DISTRICT]) {
        for (const category of [base.category, ALL_CATEGORIES]) {
          // The key alone first: most base cells add into cells that already exist.
          const key = cellKey(time, place, category);
          let entry = this.totalsByKey.get(key);
          if (!entry) {
            entry = {
              cell: { key, time, place, category },
              totals: {
                count: 0,
                others: 0,
                open: 0,
                acknowledgementsDue: 0,
                othersDue: 0,
                acknowledgedInTime: 0,
                resolved: 0,
                othersResolved: 0,
              },
            };
            this.totalsByKey.set(key, entry);
          }
          const totals = entry.totals;
          totals.count += base.count;
          totals.open += base.open;
          totals.acknowledgementsDue += base.acknowledgementsDue;
          totals.acknowledgedInTime += base.acknowledgedInTime;
          totals.resolved += resolved;
          if (others) {
            totals.others += base.count;
            totals.othersDue += base.acknowledgementsDue;
            totals.othersResolved += resolved;
          }
        }
      }
    }
  }

  /** The non-empty cells. */
  cells(): IterableIterator<{ cell: Cell; totals: CellTotals }> {
    return this.totalsByKey.values();
  }

  /** A cell's totals; undefined when it holds no request. */
  totals(cell: Cell): CellTotals | undefined {
    return this.totalsByKey.get(cell.key)?.totals;
  }

  /** The cell `cell` adds up into along `dimension`: null at the top. */
  parent(cell: Cell, dimension: Dimension): Cell | null {
    switch (dimension) {
      case 'time': {
        const time = this.time?.parents.get(cell.time);
        return time === undefined ? null : cellOf(time, cell.place, cell.category);
      }
      case 'place':
        return cell.place === DISTRICT ? null : cellOf(cell.time, DISTRICT, cell.category);
      case 'category':
        return cell.category === ALL_CATEGORIES ? null : cellOf(cell.time, cell.place, ALL_CATEGORIES);
    }
  }

  /** How many cells add up to `cell` along `dimension`, empty ones included. */
  childCount(cell: Cell, dimension: Dimension): number {
    switch (dimension) {
      case 'time':
        return this.time?.nodes.get(cell.time)?.children.length ?? 0;
      case 'place':
        return cell.place === DISTRICT ? this.buildingIds.length : 0;
      case 'category':
        return cell.category === ALL_CATEGORIES ? REQUEST_CATEGORIES.length : 0;
    }
  }

  /** How many cells hold requests: what the cube weighs. */
  get size(): number {
    return this.totalsByKey.size;
  }

  /** The median resolution time of a cell's resolved requests, in hours; null without any. Computed once per cell. */
  medianResolutionHours(cell: Cell): number | null {
    let median = this.medians.get(cell.key);
    if (median === undefined) {
      median = this.computeMedianResolutionHours(cell);
      this.medians.set(cell.key, median);
    }
    return median;
  }

  private computeMedianResolutionHours(cell: Cell): number | null {
    const months = new Set(this.time?.nodes.get(cell.time)?.months ?? []);
    const hours = this.baseCells
      .filter(
        (base) =>
          months.has(base.month) &&
          (cell.place === DISTRICT || cell.place === base.buildingId) &&
          (cell.category === ALL_CATEGORIES || cell.category === base.category),
      )
      .flatMap((base) => base.resolutionHours)
      .sort((a, b) => a - b);
    if (hours.length === 0) return null;
    return (hours[Math.floor((hours.length - 1) / 2)]! + hours[Math.ceil((hours.length - 1) / 2)]!) / 2;
  }
}
