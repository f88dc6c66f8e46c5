import type { AddressModel } from '../../subgraphs/housing/model';
import type { RowProblem } from './errors';
import type { GeoPoint } from './lambert93';
import type { RowReading, RplsRow } from './rows';

/** The rows at one address: one building of the landlord. */
export interface BuildingGroup {
  address: AddressModel;
  addressKey: string;
  /** The year most of its rows give (the earliest of equally common ones). */
  constructionYear: number | null;
  /** The mean of its rows' locations. */
  location: GeoPoint | null;
  rows: RplsRow[];
}

/** A building left out whole, and why: the import never writes half a building. */
export interface SkippedBuilding {
  address: string;
  lines: number[];
  problems: RowProblem[];
}

/**
 * Groups rows into buildings by normalised address (the key stored buildings are identified by), in the
 * order the file first names them. A building with any bad row is skipped whole.
 */
export function groupByAddress(readings: readonly RowReading[]): { buildings: BuildingGroup[]; skipped: SkippedBuilding[] } {
  const byAddress = new Map<string, RowReading[]>();
  for (const reading of readings) byAddress.set(reading.addressKey, [...(byAddress.get(reading.addressKey) ?? []), reading]);

  const buildings: BuildingGroup[] = [];
  const skipped: SkippedBuilding[] = [];
  for (const [key, group] of byAddress) {
    const problems = group.flatMap((reading) => (reading.ok ? [] : [{ line: reading.line, reason: reading.reason }]));
    if (problems.length > 0) {
      skipped.push({ address: describeAddress(group[0]!.address), lines: group.map((reading) => reading.line), problems });
      continue;
    }
    const rows = group.filter((reading): reading is RowReading & RplsRow & { ok: true } => reading.ok);
    buildings.push({
      address: { ...rows[0]!.address, postcode: rows.find((row) => row.address.postcode)?.address.postcode ?? null },
      addressKey: key,
      constructionYear: mostCommon(rows.map((row) => row.constructionYear)),
      location: meanLocation(rows.map((row) => row.location)),
      rows,
    });
  }
  return { buildings, skipped };
}

/** A building the writer cannot take (e.g. the landlord's building at that address is in another district). */
export function skipBuilding(building: BuildingGroup, reason: string): SkippedBuilding {
  return {
    address: describeAddress(building.address),
    lines: building.rows.map((row) => row.line),
    problems: [{ line: building.rows[0]!.line, reason }],
  };
}

/** Every row left out, by line: a bad row with its reason, the other rows of its building with the building's. */
export function skippedRowsOf(skipped: readonly SkippedBuilding[]): RowProblem[] {
  return skipped
    .flatMap((building) => {
      const reasonOf = new Map(building.problems.map((problem) => [problem.line, problem.reason]));
      const badLines = building.problems.map((problem) => problem.line);
      const buildingReason = `Skipped with its building (${building.address}): ${badLines.length === 1 ? 'line' : 'lines'} ${badLines.join(', ')} cannot be imported.`;
      return building.lines.map((line) => ({ line, reason: reasonOf.get(line) ?? buildingReason }));
    })
    .sort((a, b) => a.line - b.line);
}

function describeAddress(address: AddressModel): string {
  const street = [address.number, address.repetition, address.streetType, address.streetName].filter(Boolean).join(' ');
  return `${street || '(no street)'}, ${address.communeCode || '(no commune)'}`;
}

function mostCommon(years: readonly (number | null)[]): number | null {
  const counts = new Map<number, number>();
  for (const year of years) if (year !== null) counts.set(year, (counts.get(year) ?? 0) + 1);
  let best: number | null = null;
  for (const [year, count] of counts) {
    const bestCount = best === null ? 0 : counts.get(best)!;
    if (count > bestCount || (count === bestCount && year < best!)) best = year;
  }
  return best;
}

function meanLocation(locations: readonly (GeoPoint | null)[]): GeoPoint | null {
  const known = locations.filter((location): location is GeoPoint => location !== null);
  if (known.length === 0) return null;
  const mean = (pick: (location: GeoPoint) => number) => known.reduce((sum, location) => sum + pick(location), 0) / known.length;
  return { latitude: mean((location) => location.latitude), longitude: mean((location) => location.longitude) };
}
