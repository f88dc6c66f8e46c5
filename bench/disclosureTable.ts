/**
 * What one district's disclosed statistics table costs to compute (StatisticsCube + CellDisclosures, the work the
 * shared tables do once per district, kind of reader and revision), at the default benchmark district (40 buildings,
 * 6,000 requests over a year) and 16 times it, and both again over two years with two buildings of the district
 * without requests (where complementary suppression runs longest): `npx tsx bench/disclosureTable.ts`. Synthetic
 * base cells from a fixed seed; prints the cells, the milliseconds per table (mean of 5 after one warm-up), the
 * attacker runs and the heap per cell.
 */
import { SeededRandom } from '../scripts/seed/random';
import type { BaseCell } from '../subgraphs/tenancy/data/requestCells';
import { CellDisclosures } from '../subgraphs/tenancy/disclosure';
import { REQUEST_CATEGORIES, StatisticsCube } from '../subgraphs/tenancy/statisticsCells';

const DAY_MS = 86_400_000;
const now = new Date();

function baseCells(buildings: number, requests: number, days: number): BaseCell[] {
  const random = new SeededRandom('disclosure-table');
  const cells = new Map<string, BaseCell>();
  for (let index = 0; index < requests; index += 1) {
    const building = index % buildings;
    const month = new Date(now.getTime() - random.int(0, days - 1) * DAY_MS).toISOString().slice(0, 7);
    const category = random.pick(REQUEST_CATEGORIES);
    const key = `${building} ${month} ${category}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        buildingId: `b${building}`,
        landlordId: `l${building % 3}`,
        month,
        category,
        count: 0,
        open: 0,
        acknowledgementsDue: 0,
        acknowledgedInTime: 0,
        resolutionHours: [],
      };
      cells.set(key, cell);
    }
    cell.count += 1;
    cell.acknowledgementsDue += 1;
    if (random.chance(0.7)) {
      cell.acknowledgedInTime += 1;
      cell.resolutionHours.push(random.int(1, 200));
    } else cell.open += 1;
  }
  return [...cells.values()];
}

/** The district's buildings: those with requests, and `empty` more without any. */
function table(cells: BaseCell[], buildings: number, empty: number) {
  const buildingIds = Array.from({ length: buildings + empty }, (_, index) => `b${index}`);
  // A coordinator's table: every landlord is another's, no building is theirs.
  const cube = new StatisticsCube(cells, buildingIds, now, () => true);
  return { cube, disclosures: new CellDisclosures(cube, { exactEverywhere: false, ownsBuilding: () => false }) };
}

const gc = (globalThis as { gc?: () => void }).gc;
for (const { years, empty } of [
  { years: 1, empty: 0 },
  { years: 2, empty: 2 },
]) {
  for (const factor of [1, 16]) {
    const [buildings, requests] = [40 * factor, 6_000 * factor * years];
    const cells = baseCells(buildings, requests, 365 * years);
    table(cells, buildings, empty);
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const kept = Array.from({ length: 5 }, () => table(cells, buildings, empty));
    const msPerTable = (performance.now() - started) / kept.length;
    gc?.();
    const bytesPerCell = (process.memoryUsage().heapUsed - heapBefore) / kept.length / kept[0]!.cube.size;
    console.log(
      `${factor}x, ${years} year(s), ${empty} building(s) without requests: ${buildings + empty} buildings, ${requests} requests, ` +
        `${cells.length} base cells, ${kept[0]!.cube.size} cells; ${msPerTable.toFixed(0)} ms per table, ` +
        `${kept[0]!.disclosures.attackerRuns} attacker runs` +
        (gc ? `, ${bytesPerCell.toFixed(0)} bytes per cell` : ' (run with node --expose-gc for the heap per cell)'),
    );
  }
}
