import type { AuditTrail } from '../../subgraphs/shared/audit';
import { addressKey } from '../../subgraphs/housing/data/buildings';
import { dwellingId } from '../../subgraphs/housing/data/dwellings';
import type { EnergyClass, Financing } from '../../subgraphs/housing/generated/resolvers';
import type {
  AddressModel,
  BuildingDocument,
  DistrictDocument,
  DwellingDocument,
  EstateDocument,
  LandlordDocument,
} from '../../subgraphs/housing/model';
import type { SeedCounts } from './counts';
import {
  DEMO_DISTRICT,
  DEMO_LANDLORDS,
  DEMO_SECTORS,
  GENERATED_LANDLORD_FAMILIES,
  GENERATED_SECTOR_NAMES,
  GENERATED_STREETS,
  SEED_AUTHOR,
  type Sector,
} from './names';
import { SeededRandom } from './random';

/** The landlords, districts, estates and buildings of a seed: few enough to hold; dwellings are streamed from them. */
export interface HousingPlan {
  landlords: LandlordDocument[];
  districts: DistrictDocument[];
  estates: EstateDocument[];
  buildings: PlannedBuilding[];
  /** The landlords owning buildings in each district (by district id), the first one first. */
  landlordsOfDistrict: Map<string, string[]>;
}

export interface PlannedBuilding {
  building: BuildingDocument;
  /** Prefix of its dwellings' references: the landlord's code and the building's number. */
  referencePrefix: string;
  floors: number;
  dwellingCount: number;
}

export function seedAudit(at: Date): AuditTrail {
  return { createdAt: at, createdBy: SEED_AUTHOR, updatedAt: at, updatedBy: SEED_AUTHOR };
}

export function padded(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * District d gets the landlords d, d+1 and d+2 (three landlords sharing a district, as in Coop'IB), and
 * buildings go round the districts, then round each district's landlords and sectors, so that every count
 * spreads evenly. District 0 is the demo's Grand Mirail, landlords 0 to 2 its three landlords.
 */
export function planHousing(counts: SeedCounts, now: Date): HousingPlan {
  const random = new SeededRandom('housing');
  const audit = seedAudit(now);
  const landlords = Array.from({ length: counts.landlords }, (_, index) => landlordAt(index, audit));
  const codes = new Map(landlords.map((landlord, index) => [landlord._id, DEMO_LANDLORDS[index]?.code ?? `B${padded(index + 1, 4)}`]));
  const districts = Array.from({ length: counts.districts }, (_, index) => districtAt(index, audit));
  const sharing = Math.min(3, landlords.length);
  const generatedCentres = districts.map(() => ({ latitude: random.between(43.3, 43.9), longitude: random.between(0.9, 1.9) }));
  const dwellingCounts = spread(counts.dwellings, counts.buildings, random);

  const estates = new Map<string, EstateDocument>();
  const landlordsOfDistrict = new Map<string, string[]>();
  const buildings = Array.from({ length: counts.buildings }, (_, index): PlannedBuilding => {
    const districtIndex = index % districts.length;
    const rank = Math.floor(index / districts.length);
    const district = districts[districtIndex]!;
    const landlord = landlords[(districtIndex + (rank % sharing)) % landlords.length]!;
    const sectors = districtIndex === 0 ? DEMO_SECTORS : generatedSectors(generatedCentres[districtIndex]!);
    const sector = sectors[rank % sectors.length]!;
    const streetRank = Math.floor(rank / sectors.length);
    const [streetType, streetName, firstNumber] = sector.streets[streetRank % sector.streets.length]!;
    const address: AddressModel = {
      number: String(firstNumber + 2 * Math.floor(streetRank / sector.streets.length)),
      repetition: null,
      streetType,
      streetName,
      postcode: districtIndex === 0 ? '31100' : `${district.communeCodes[0]!.slice(0, 2)}000`,
      communeCode: district.communeCodes[0]!,
    };
    const estateKey = `${district._id}|${landlord._id}|${sector.name}`;
    if (!estates.has(estateKey)) {
      estates.set(estateKey, {
        _id: `estate-${padded(estates.size + 1, 5)}`,
        landlordId: landlord._id,
        districtId: district._id,
        name: sector.name,
        audit,
      });
    }
    const owners = landlordsOfDistrict.get(district._id) ?? [];
    if (!owners.includes(landlord._id)) landlordsOfDistrict.set(district._id, [...owners, landlord._id]);

    const _id = `building-${padded(index + 1, 5)}`;
    const floors = random.weighted([
      [4, 25],
      [5, 20],
      [8, 15],
      [10, 20],
      [14, 20],
    ] as const);
    const entranceCount = random.int(1, 3);
    const building: BuildingDocument = {
      _id,
      landlordId: landlord._id,
      districtId: district._id,
      estateId: estates.get(estateKey)!._id,
      address,
      addressKey: addressKey(address),
      location: {
        latitude: sector.centre.latitude + random.between(-0.0012, 0.0012),
        longitude: sector.centre.longitude + random.between(-0.0016, 0.0016),
      },
      // Le Mirail was built from 1966; renewal since the 2000s replaced part of it.
      constructionYear: random.chance(0.85) ? random.int(1966, 1976) : random.int(2006, 2020),
      hasLift: floors > 4,
      entrances: ['A', 'B', 'C'].slice(0, entranceCount).map((label) => ({ id: `${_id}-${label}`, label })),
      audit,
    };
    return {
      building,
      referencePrefix: `${codes.get(landlord._id)}-${padded(index + 1, 5)}`,
      floors,
      dwellingCount: dwellingCounts[index]!,
    };
  });
  return { landlords, districts, estates: [...estates.values()], buildings, landlordsOfDistrict };
}

function landlordAt(index: number, audit: AuditTrail): LandlordDocument {
  const demo = DEMO_LANDLORDS[index];
  if (demo) return { _id: demo._id, name: demo.name, family: demo.family, siren: null, audit };
  const number = index + 1;
  return {
    _id: `landlord-${padded(number, 4)}`,
    name: `Bailleur social n° ${number}`,
    family: GENERATED_LANDLORD_FAMILIES[index % GENERATED_LANDLORD_FAMILIES.length]!,
    siren: null,
    audit,
  };
}

/**
 * Generated districts lie in communes of their own (codes 31001, 31002…, then 32001…), so that a landlord's
 * addresses never repeat across districts; their QPV codes are out of the real range (QN9…, QP9…).
 */
function districtAt(index: number, audit: AuditTrail): DistrictDocument {
  if (index === 0) return { ...DEMO_DISTRICT, audit };
  return {
    _id: `district-${padded(index + 1, 4)}`,
    name: `Quartier n° ${index + 1}`,
    communeCodes: [`${31 + Math.floor(index / 1000)}${padded(index % 1000, 3)}`],
    qpvCode: `QN9${padded(index, 5)}`,
    legacyQpvCode: `QP9${padded(index, 5)}`,
    audit,
  };
}

function generatedSectors(centre: { latitude: number; longitude: number }): Sector[] {
  return GENERATED_SECTOR_NAMES.map((name, sectorIndex) => ({
    name,
    centre: { latitude: centre.latitude + 0.004 * (1 - sectorIndex), longitude: centre.longitude },
    streets: GENERATED_STREETS.slice(sectorIndex * 3, sectorIndex * 3 + 3).map(
      ([type, street]) => [type, street, 1] as [string, string, number],
    ),
  }));
}

/** `total` shared among `parts`, each part weighing between 0.5 and 1.5, the shares adding up exactly. */
function spread(total: number, parts: number, random: SeededRandom): number[] {
  if (parts === 0) return [];
  const weights = Array.from({ length: parts }, () => 0.5 + random.next());
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / sum));
  let missing = total - shares.reduce((a, b) => a + b, 0);
  for (let index = 0; missing > 0; index = (index + 1) % parts, missing -= 1) shares[index]! += 1;
  return shares;
}

/** The id of the n-th dwelling (from 0) of a planned building. */
export function dwellingIdOf(planned: PlannedBuilding, n: number): string {
  return dwellingId(planned.building.landlordId, referenceOf(planned, n));
}

function referenceOf(planned: PlannedBuilding, n: number): string {
  return `${planned.referencePrefix}-${padded(n + 1, 3)}`;
}

const ROOMS: (readonly [number, number])[] = [
  [1, 7],
  [2, 19],
  [3, 35],
  [4, 28],
  [5, 9],
  [6, 2],
];
const TYPICAL_SURFACE: Record<number, number> = { 1: 32, 2: 47, 3: 65, 4: 78, 5: 92, 6: 105 };
/** Before 1977 social housing was financed as HLM/O (a few ILM/ILN); later works refinanced some as PLUS or PLAI. */
const FINANCING_OLD: (readonly [Financing | null, number])[] = [
  ['HLM_O', 64],
  ['ILM_ILN', 3],
  ['OTHER', 3],
  ['PLUS', 12],
  ['PLAI', 8],
  ['PLS', 4],
  [null, 6],
];
const FINANCING_NEW: (readonly [Financing | null, number])[] = [
  ['PLUS', 55],
  ['PLAI', 30],
  ['PLS', 12],
  ['PLI', 3],
];
const ENERGY_OLD: (readonly [EnergyClass | null, number])[] = [
  ['B', 1],
  ['C', 12],
  ['D', 40],
  ['E', 30],
  ['F', 12],
  ['G', 3],
  [null, 2],
];
const ENERGY_NEW: (readonly [EnergyClass | null, number])[] = [
  ['A', 8],
  ['B', 35],
  ['C', 45],
  ['D', 10],
  [null, 2],
];
/** Monthly rent per m², in cents, by financing. */
const RENT_PER_M2: Record<Financing | 'NONE', number> = {
  PLAI: 550,
  PLUS: 620,
  PLS: 900,
  PLI: 1100,
  HLM_O: 500,
  ILM_ILN: 750,
  OTHER: 520,
  NONE: 520,
};

/** Every dwelling of the plan, building after building. */
export function* plannedDwellings(plan: HousingPlan): Generator<DwellingDocument> {
  const random = new SeededRandom('dwellings');
  for (const planned of plan.buildings) {
    const { building } = planned;
    const renewed = (building.constructionYear ?? 0) >= 2000;
    for (let n = 0; n < planned.dwellingCount; n += 1) {
      const rooms = random.weighted(ROOMS);
      const surface = Math.round(TYPICAL_SURFACE[rooms]! * random.between(0.9, 1.1) * 10) / 10;
      const financing = random.weighted(renewed ? FINANCING_NEW : FINANCING_OLD);
      yield {
        _id: dwellingIdOf(planned, n),
        reference: referenceOf(planned, n),
        buildingId: building._id,
        landlordId: building.landlordId,
        districtId: building.districtId,
        rooms,
        surface,
        floor: random.int(0, planned.floors - 1),
        financing,
        energyClass: random.weighted(renewed ? ENERGY_NEW : ENERGY_OLD),
        constructionType: 'COLLECTIVE',
        rentCents: Math.round(surface * RENT_PER_M2[financing ?? 'NONE']),
        audit: building.audit,
      };
    }
  }
}
