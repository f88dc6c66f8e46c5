import { GraphQLError } from 'graphql';
import { badInput } from '../../subgraphs/shared/errors';
import { requireIntInRange, requireText } from '../../subgraphs/shared/validate';
import { validAddress } from '../../subgraphs/housing/commands';
import { addressKey } from '../../subgraphs/housing/data/buildings';
import type { ConstructionType, EnergyClass, Financing } from '../../subgraphs/housing/generated/resolvers';
import type { AddressModel, DistrictDocument } from '../../subgraphs/housing/model';
import { type RplsColumns, type RplsField, cellOf, columnName } from './columns';
import { RplsFileRefused } from './errors';
import { financingFamily } from './financing';
import { type GeoPoint, lambert93ToWgs84 } from './lambert93';
import { splitStreet, streetLineKey } from './streetTypes';
import type { TableRecord } from './table';

/** What one RPLS row says of its dwelling. */
export interface RplsDwelling {
  reference: string;
  rooms: number;
  surface: number | null;
  floor: number | null;
  financing: Financing | null;
  energyClass: EnergyClass | null;
  constructionType: ConstructionType | null;
}

interface RowBase {
  line: number;
  /** As written in the row (trimmed), even when the row is bad: it tells which building a bad row belongs to. */
  address: AddressModel;
  addressKey: string;
}

export interface RplsRow extends RowBase {
  dwelling: RplsDwelling;
  constructionYear: number | null;
  location: GeoPoint | null;
}

export interface BadRow extends RowBase {
  reason: string;
}

export type RowReading = ({ ok: true } & RplsRow) | ({ ok: false } & BadRow);

export type DistrictCodes = Pick<DistrictDocument, 'communeCodes' | 'qpvCode' | 'legacyQpvCode'>;

/**
 * Which rows are the district's when the caller says so rather than the file: a landlord's own submission has
 * no QPV column (the statistics service adds it), so without one of these such a file is refused.
 */
export interface DistrictSelection {
  /** Every row of the district's communes, "hors QPV" rows included: an explicit choice. */
  allInDistrict?: boolean;
  /** Only the rows at these addresses, written on one line ("12 allée de Bellefontaine"), in any spelling. */
  addresses?: readonly string[];
}
/** RPLS TYPECONST: collectif, individuel, étudiant. */
const CONSTRUCTION_TYPE_BY_CODE: Readonly<Record<string, ConstructionType>> = { C: 'COLLECTIVE', I: 'INDIVIDUAL', E: 'STUDENT' };
const ENERGY_CLASS = /^[A-G]$/;

/**
 * Reads the records of the district: by default those whose QPV identifier is one of the district's codes
 * (either generation); else as `selection` says. A record whose field count is not the header's is bad
 * whatever it says (its columns are shifted, so its QPV cannot be trusted): it is reported, never counted as
 * another QPV's. A reference on several rows makes each of them bad: a dwelling is one row.
 */
export function readRows(
  records: readonly TableRecord[],
  columns: RplsColumns,
  district: DistrictCodes,
  selection: DistrictSelection = {},
): { readings: RowReading[]; outsideDistrict: number } {
  const belongs = districtFilter(columns, district, selection);
  const readings: RowReading[] = [];
  let outsideDistrict = 0;
  for (const record of records) {
    if (record.cells.length !== columns.width) readings.push(misshapenRow(record, columns));
    else if (belongs(record.cells)) readings.push(readRow(record, columns, district));
    else outsideDistrict += 1;
  }
  return { readings: rejectRepeatedReferences(readings, columns), outsideDistrict };
}

function districtFilter(
  columns: RplsColumns,
  district: DistrictCodes,
  selection: DistrictSelection,
): (cells: readonly string[]) => boolean {
  const addresses = selection.addresses ?? [];
  if (selection.allInDistrict && addresses.length > 0) {
    throw new RplsFileRefused('Either name the addresses to import or import all in the district, not both.');
  }
  if (selection.allInDistrict) return () => true;
  if (addresses.length > 0) {
    const wanted = new Set(addresses.map(streetLineKey));
    return (cells) => wanted.has(streetLineKey(addressLine(addressOf((field) => cellOf(cells, columns, field)))));
  }
  if (columns.qpvIds.length === 0) {
    throw new RplsFileRefused(
      "The file has no QPV column (PLG_QP24, PLG_QP or PLG_QP15), so it cannot tell the district's rows from the others: " +
        "name the addresses to import, or choose explicitly to import every row of the district's communes (--all-in-district).",
    );
  }
  const codes = [district.qpvCode, district.legacyQpvCode].filter((code): code is string => Boolean(code));
  if (codes.length === 0) {
    throw new RplsFileRefused(
      "The district has no QPV code to match the file's QPV column: name the addresses to import, or choose --all-in-district.",
    );
  }
  return (cells) => columns.qpvIds.some(({ index }) => codes.includes((cells[index] ?? '').trim().toUpperCase()));
}

function misshapenRow(record: TableRecord, columns: RplsColumns): RowReading {
  const address = addressOf((field) => cellOf(record.cells, columns, field));
  const reason = `The row has ${record.cells.length} fields where the header has ${columns.width} (a stray ';' or quote?).`;
  return { ok: false, line: record.line, address, addressKey: addressKey(address), reason };
}

/** One row, checked whole: the first problem found makes it bad, with a reason naming the column. */
function readRow(record: TableRecord, columns: RplsColumns, district: DistrictCodes): RowReading {
  const cell = (field: RplsField) => cellOf(record.cells, columns, field);
  const name = (field: RplsField) => columnName(columns, field);
  const address = addressOf(cell);
  const base = { line: record.line, address, addressKey: addressKey(address) };
  try {
    requireText(address.streetName, name('streetName'));
    if (address.postcode !== null && !/^\d{5}$/.test(address.postcode)) {
      throw badInput(`${name('postcode')} must be 5 digits, not "${address.postcode}".`);
    }
    const validatedAddress = validAddress(address);
    if (!district.communeCodes.includes(validatedAddress.communeCode)) {
      throw badInput(
        `${name('communeCode')} ${validatedAddress.communeCode} is not a commune of the district (${district.communeCodes.join(', ')}).`,
      );
    }
    const dwelling: RplsDwelling = {
      reference: requireText(cell('reference'), name('reference'), 64),
      rooms: requireIntInRange(wholeNumber(cell('rooms'), name('rooms')), name('rooms'), 1, 20),
      surface: optional(cell('surface'), (text) => surfaceOf(text, name('surface'))),
      floor: optional(cell('floor'), (text) => requireIntInRange(wholeNumber(text, name('floor')), name('floor'), -5, 100)),
      financing: optional(cell('financing'), financingFamily),
      energyClass: energyClassOf(cell('energyClass'), cell('dpeDate')),
      constructionType: CONSTRUCTION_TYPE_BY_CODE[cell('constructionType').toUpperCase()] ?? null,
    };
    const constructionYear = optional(cell('constructionYear'), (text) =>
      requireIntInRange(wholeNumber(text, name('constructionYear')), name('constructionYear'), 1800, new Date().getFullYear() + 5),
    );
    const location = locationOf(cell('x'), cell('y'));
    return { ok: true, ...base, address: validatedAddress, dwelling, constructionYear, location };
  } catch (error) {
    if (error instanceof GraphQLError) return { ok: false, ...base, reason: error.message };
    throw error;
  }
}

/** The address as the row gives it, its street type in the BAN spelling (see `splitStreet`). */
function addressOf(cell: (field: RplsField) => string): AddressModel {
  const optionalCell = (field: RplsField) => cell(field) || null;
  return {
    number: optionalCell('number'),
    repetition: optionalCell('repetition'),
    ...splitStreet(optionalCell('streetType'), cell('streetName')),
    postcode: restoreLeadingZero(optionalCell('postcode')),
    communeCode: restoreLeadingZero(cell('communeCode')) ?? '',
  };
}

function addressLine(address: AddressModel): string {
  return [address.number, address.repetition, address.streetType, address.streetName].filter(Boolean).join(' ');
}

/** Spreadsheets (and the public files, which type DEPCOM_CODE as a number) drop the 0 of departments 01 to 09. */
function restoreLeadingZero(code: string | null): string | null {
  return code !== null && /^\d{4}$/.test(code) ? `0${code}` : code;
}

function optional<T>(text: string, read: (text: string) => T): T | null {
  return text === '' ? null : read(text);
}

function wholeNumber(text: string, column: string): number {
  if (text === '') throw badInput(`${column} must not be empty.`);
  if (!/^[+-]?\d+$/.test(text)) throw badInput(`${column} must be a whole number, not "${text}".`);
  return Number(text);
}

/** A decimal written with a comma (French) or a dot. */
function decimal(text: string): number | null {
  return /^[+-]?\d+([.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : null;
}

function surfaceOf(text: string, column: string): number {
  const surface = decimal(text);
  if (surface === null || !(surface > 0 && surface < 1000)) {
    throw badInput(`${column} must be a surface in m², above 0 and under 1,000, not "${text}".`);
  }
  return surface;
}

/** A DPE dated 01/1900 is RPLS's way of saying there is none. */
function energyClassOf(energyClass: string, dpeDate: string): EnergyClass | null {
  if (dpeDate.endsWith('1900')) return null;
  const upper = energyClass.toUpperCase();
  return ENERGY_CLASS.test(upper) ? (upper as EnergyClass) : null;
}

function locationOf(xText: string, yText: string): GeoPoint | null {
  if (xText === '' && yText === '') return null;
  const x = decimal(xText);
  const y = decimal(yText);
  if (x === null || y === null) throw badInput(`X and Y must both be Lambert-93 coordinates in metres, not "${xText}" and "${yText}".`);
  const location = lambert93ToWgs84(x, y);
  if (!location) throw badInput(`X ${xText} and Y ${yText} are outside Lambert-93 (metropolitan France).`);
  return location;
}

function rejectRepeatedReferences(readings: RowReading[], columns: RplsColumns): RowReading[] {
  const linesOf = new Map<string, number[]>();
  for (const reading of readings) {
    if (reading.ok) linesOf.set(reading.dwelling.reference, [...(linesOf.get(reading.dwelling.reference) ?? []), reading.line]);
  }
  return readings.map((reading) => {
    const lines = reading.ok ? linesOf.get(reading.dwelling.reference)! : [];
    if (!reading.ok || lines.length === 1) return reading;
    const { line, address, addressKey: key } = reading;
    const reason = `${columnName(columns, 'reference')} ${reading.dwelling.reference} is on lines ${lines.join(', ')}: a dwelling is one row.`;
    return { ok: false, line, address, addressKey: key, reason };
  });
}
