import { districtRecord, recordInDistrict } from '../shared/access';
import { newAuditTrail } from '../shared/audit';
import type { SaveOutcome } from '../shared/changes';
import { badInput, notFound } from '../shared/errors';
import { newId } from '../shared/records';
import { optionalText, requireDigits, requireIntInRange, requireText } from '../shared/validate';
import { addressKey } from './data/buildings';
import type { DwellingFields } from './data/dwellings';
import type { Context } from './index';
import type {
  AddressInput,
  DwellingInput,
  GeoPointInput,
  ImportedBuildingInput,
  RegisterBuildingInput,
  RegisterDistrictInput,
  RegisterLandlordInput,
} from './generated/resolvers';
import type { AddressModel, BuildingDocument, DistrictDocument, DwellingDocument, LandlordDocument } from './model';

/** The housing subgraph's writes: each checks who may make it, validates all of its input, then writes. */

const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;
/**
 * The two generations of QPV code, each in its own field: QN + 6 characters since 2024 (qpvCode); QP + the
 * département on 3 characters (02A, 02B in Corsica) + 3 digits in 2015 (legacyQpvCode).
 */
const QPV_CODES = {
  qpvCode: { pattern: /^QN[0-9A-Z]{6}$/, says: 'a QPV code of 2024 (QN…, e.g. QN03107M); a 2015 code (QP…) goes in legacyQpvCode' },
  legacyQpvCode: { pattern: /^QP(\d{3}|02[AB])\d{3}$/, says: 'a QPV code of 2015 (QP…, e.g. QP031007); a 2024 code (QN…) goes in qpvCode' },
} as const;

export async function registerLandlord(context: Context, input: RegisterLandlordInput): Promise<LandlordDocument> {
  context.access.assertAdmin();
  return context.store.landlords.register({
    _id: newId(),
    name: requireText(input.name, 'name'),
    family: input.family,
    siren: requireDigits(input.siren, 'siren', 9),
    audit: newAuditTrail(context.caller),
  });
}

export async function registerDistrict(context: Context, input: RegisterDistrictInput): Promise<DistrictDocument> {
  context.access.assertAdmin();
  if (input.communeCodes.length === 0) throw badInput('A district spans at least one commune.', 'communeCodes');
  for (const code of input.communeCodes) {
    if (!COMMUNE_CODE.test(code)) throw badInput(`${code} is not a code INSEE (5 characters, e.g. 31555).`, 'communeCodes');
  }
  const qpvCode = qpvCodeOrNull(input.qpvCode, 'qpvCode');
  const legacyQpvCode = qpvCodeOrNull(input.legacyQpvCode, 'legacyQpvCode');
  return context.store.districts.register({
    _id: newId(),
    name: requireText(input.name, 'name'),
    communeCodes: [...new Set(input.communeCodes)],
    qpvCode,
    legacyQpvCode,
    audit: newAuditTrail(context.caller),
  });
}

function qpvCodeOrNull(code: string | null | undefined, field: keyof typeof QPV_CODES): string | null {
  if (!code) return null;
  if (!QPV_CODES[field].pattern.test(code)) throw badInput(`${code} is not ${QPV_CODES[field].says}.`, field);
  return code;
}

/**
 * A landlord enters a district's cooperation through an admin, who registers its first building there; its staff then
 * add buildings where it already has some. Otherwise one empty building would open a district's shared data, and
 * invitations to its actions, to any landlord. To its staff, a district where it has no buildings yet is one they do
 * not know of: NOT_FOUND, as for a district that does not exist.
 */
export async function registerBuilding(context: Context, input: RegisterBuildingInput): Promise<BuildingDocument> {
  const landlordId = context.access.actingLandlord(input.landlordId);
  const [landlord, storedDistrict] = await Promise.all([
    context.store.landlords.byId(landlordId),
    context.store.districts.byId(input.districtId),
  ]);
  if (!landlord) throw notFound('Landlord', landlordId);
  const district = await context.access.require(storedDistrict, districtRecord, 'District', input.districtId);
  const address = validAddress(input.address);
  const buildingFields = {
    location: validLocation(input.location),
    constructionYear: validConstructionYear(input.constructionYear, 'constructionYear'),
    hasLift: input.hasLift ?? null,
    entrances: [...new Set((input.entrances ?? []).map((label) => requireText(label, 'entrances', 20)))].map((label) => ({
      id: newId(),
      label,
    })),
  };
  const estateName = optionalText(input.estateName, 'estateName', 200);
  // Before the estate is created: a refused building must not leave an empty estate behind.
  const key = addressKey(address);
  await context.store.buildings.assertAddressFree(landlordId, key);
  const estate = estateName ? await context.store.estates.findOrCreate(landlordId, district._id, estateName, context.caller) : null;
  return context.store.buildings.register({
    _id: newId(),
    landlordId,
    districtId: district._id,
    estateId: estate?._id ?? null,
    address,
    addressKey: key,
    ...buildingFields,
    audit: newAuditTrail(context.caller),
  });
}

export function validAddress(input: AddressInput): AddressModel {
  if (!COMMUNE_CODE.test(input.communeCode)) {
    throw badInput(`${input.communeCode} is not a code INSEE (5 characters, e.g. 31555).`, 'address.communeCode');
  }
  const postcode = optionalText(input.postcode, 'address.postcode');
  if (postcode && !/^\d{5}$/.test(postcode)) throw badInput('postcode must be 5 digits.', 'address.postcode');
  return {
    number: optionalText(input.number, 'address.number', 10),
    repetition: optionalText(input.repetition, 'address.repetition', 10),
    streetType: optionalText(input.streetType, 'address.streetType', 30),
    streetName: requireText(input.streetName, 'address.streetName'),
    postcode,
    communeCode: input.communeCode,
  };
}

function validLocation(input: GeoPointInput | null | undefined): BuildingDocument['location'] {
  if (!input) return null;
  if (Math.abs(input.latitude) > 90 || Math.abs(input.longitude) > 180) {
    throw badInput('location must be WGS84 latitude (±90) and longitude (±180).', 'location');
  }
  return { latitude: input.latitude, longitude: input.longitude };
}

/** The most one importBuildings call takes: a call is checked whole before anything is written. */
const MAX_IMPORTED_DWELLINGS = 2_000;
/** Buildings too, with or without dwellings; import:rpls sends at most 500 dwellings, so at most 500 buildings, a call. */
const MAX_IMPORTED_BUILDINGS = 500;

export interface BuildingsImportOutcome {
  buildings: SaveCounts;
  dwellings: SaveCounts;
  skipped: { index: number; reason: string }[];
}

type SaveCounts = Pick<SaveOutcome<unknown>, 'created' | 'updated' | 'unchanged'>;

/**
 * A landlord's buildings and their dwellings as a file describes them (an RPLS import): matched by address and
 * by reference, written only where they differ. Everything is checked first; a building the landlord has at
 * that address in another district is left out, whole; a dwelling registered in another building refuses the call.
 */
export async function importBuildings(
  context: Context,
  args: { landlordId: string; districtId: string; buildings: readonly ImportedBuildingInput[]; dryRun: boolean },
): Promise<BuildingsImportOutcome> {
  const landlordId = context.access.actingLandlord(args.landlordId);
  const [landlord, storedDistrict] = await Promise.all([
    context.store.landlords.byId(landlordId),
    context.store.districts.byId(args.districtId),
  ]);
  if (!landlord) throw notFound('Landlord', landlordId);
  // As registerBuilding: a district the caller may not see answers as one that does not exist.
  const district = await context.access.require(storedDistrict, districtRecord, 'District', args.districtId);
  if (args.buildings.length > MAX_IMPORTED_BUILDINGS)
    throw badInput(`Import at most ${MAX_IMPORTED_BUILDINGS} buildings a call.`, 'buildings');
  const dwellingCount = args.buildings.reduce((sum, building) => sum + building.dwellings.length, 0);
  if (dwellingCount > MAX_IMPORTED_DWELLINGS)
    throw badInput(`Import at most ${MAX_IMPORTED_DWELLINGS.toLocaleString('en')} dwellings a call.`, 'buildings');

  const owner = { _id: '', landlordId, districtId: district._id };
  const references = new Set<string>();
  const addressKeys = new Set<string>();
  const buildings = args.buildings.map((input, index) => {
    const path = `buildings[${index}]`;
    const address = validAddress(input.address);
    const key = addressKey(address);
    if (addressKeys.has(key)) throw badInput('This address appears twice.', `${path}.address`);
    addressKeys.add(key);
    const dwellings = input.dwellings.map((dwelling, position) => {
      const { rentCents: _notImported, ...fields } = validDwelling(dwelling, owner, `${path}.dwellings[${position}]`);
      if (references.has(fields.reference))
        throw badInput(`Reference ${fields.reference} appears twice.`, `${path}.dwellings[${position}].reference`);
      references.add(fields.reference);
      return fields;
    });
    return {
      index,
      building: {
        landlordId,
        districtId: district._id,
        address,
        addressKey: key,
        location: validLocation(input.location),
        constructionYear: validConstructionYear(input.constructionYear, `${path}.constructionYear`),
      },
      dwellings,
    };
  });

  // A landlord has one building per address: one registered in another district is not moved by an import.
  const stored = await context.store.buildings.atAddresses(landlordId, [...addressKeys]);
  const elsewhere = new Map(
    stored.filter((building) => building.districtId !== district._id).map((building) => [building.addressKey, building]),
  );
  const skipped = buildings.flatMap(({ index, building }) => {
    const other = elsewhere.get(building.addressKey);
    return other
      ? [{ index, reason: `The landlord's building at this address (${other._id}) belongs to district ${other.districtId}.` }]
      : [];
  });
  const imported = buildings.filter(({ building }) => !elsewhere.has(building.addressKey));

  const registeredHere = new Map(
    stored.filter((building) => building.districtId === district._id).map((building) => [building.addressKey, building._id]),
  );
  await assertDwellingsStay(
    context,
    landlordId,
    imported.flatMap(({ index, building, dwellings }) =>
      dwellings.map(({ reference }, position) => ({
        reference,
        buildingId: registeredHere.get(building.addressKey) ?? null,
        field: `buildings[${index}].dwellings[${position}].reference`,
      })),
    ),
  );

  const audit = { at: new Date(), by: context.caller.sub, dryRun: args.dryRun };
  const savedBuildings = await context.store.buildings.importByAddress(
    imported.map(({ building }) => building),
    audit,
  );
  const savedDwellings = await context.store.dwellings.importByReference(
    imported.flatMap(({ dwellings }, position) =>
      dwellings.map((dwelling) => ({ ...dwelling, buildingId: savedBuildings.records[position]!._id })),
    ),
    audit,
  );
  return { buildings: countsOf(savedBuildings), dwellings: countsOf(savedDwellings), skipped };
}

function countsOf({ created, updated, unchanged }: SaveCounts): SaveCounts {
  return { created, updated, unchanged };
}

function validConstructionYear(year: number | null | undefined, field: string): number | null {
  return year === null || year === undefined ? null : requireIntInRange(year, field, 1800, new Date().getFullYear() + 5);
}

export async function registerDwellings(
  context: Context,
  buildingId: string,
  inputs: readonly DwellingInput[],
): Promise<DwellingDocument[]> {
  const building = await context.access.require(await context.store.buildings.byId(buildingId), recordInDistrict, 'Building', buildingId);
  context.access.actingLandlord(building.landlordId);
  if (inputs.length > 1000) throw badInput('Register at most 1,000 dwellings at a time.', 'dwellings');
  const references = new Set<string>();
  const dwellings = inputs.map((input, index) => {
    const fields = validDwelling(input, building, `dwellings[${index}]`);
    if (references.has(fields.reference)) throw badInput(`Reference ${fields.reference} appears twice.`, `dwellings[${index}].reference`);
    references.add(fields.reference);
    return fields;
  });
  await assertDwellingsStay(
    context,
    building.landlordId,
    dwellings.map(({ reference }, index) => ({ reference, buildingId: building._id, field: `dwellings[${index}].reference` })),
  );
  return context.store.dwellings.upsertByReference(dwellings, { at: new Date(), by: context.caller.sub });
}

/**
 * A dwelling never changes building: its households, service requests and history stay where it is, and its
 * district's figures with them. A reference the landlord already uses in another building is a mistake in the
 * input (a reference reused, a row under the wrong address), refused as bad input naming the row, as imports
 * refuse any bad row: nothing is written. `buildingId` is null for a building not registered yet.
 */
async function assertDwellingsStay(
  context: Context,
  landlordId: string,
  dwellings: readonly { reference: string; buildingId: string | null; field: string }[],
): Promise<void> {
  const registeredIn = await context.store.dwellings.buildingsOfReferences(
    landlordId,
    dwellings.map(({ reference }) => reference),
  );
  for (const { reference, buildingId, field } of dwellings) {
    const current = registeredIn.get(reference);
    if (current !== undefined && current !== buildingId) {
      throw badInput(`Dwelling ${reference} is registered in another building (${current}): a dwelling never changes building.`, field);
    }
  }
}

export function validDwelling(
  input: DwellingInput,
  building: Pick<BuildingDocument, '_id' | 'landlordId' | 'districtId'>,
  path: string,
): DwellingFields {
  return {
    reference: requireText(input.reference, `${path}.reference`, 64),
    buildingId: building._id,
    landlordId: building.landlordId,
    districtId: building.districtId,
    rooms: requireIntInRange(input.rooms, `${path}.rooms`, 1, 20),
    surface: input.surface === null || input.surface === undefined ? null : positiveSurface(input.surface, `${path}.surface`),
    floor: input.floor === null || input.floor === undefined ? null : requireIntInRange(input.floor, `${path}.floor`, -5, 100),
    financing: input.financing ?? null,
    energyClass: input.energyClass ?? null,
    constructionType: input.constructionType ?? null,
    rentCents:
      input.rentCents === null || input.rentCents === undefined
        ? null
        : requireIntInRange(input.rentCents, `${path}.rentCents`, 0, 10_000_000),
  };
}

function positiveSurface(surface: number, field: string): number {
  if (!(surface > 0 && surface < 1000)) throw badInput(`${field} must be a surface in m², above 0 and under 1,000.`, field);
  return surface;
}
