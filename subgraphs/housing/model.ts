import type { AuditTrail } from '../shared/audit';
import type { ConstructionType, EnergyClass, Financing, LandlordFamily } from './generated/resolvers';

/** The stored shape of the housing subgraph's records (one collection each). */

export interface LandlordDocument {
  _id: string;
  name: string;
  family: LandlordFamily;
  siren: string | null;
  audit: AuditTrail;
}

export interface DistrictDocument {
  _id: string;
  name: string;
  communeCodes: string[];
  qpvCode: string | null;
  legacyQpvCode: string | null;
  audit: AuditTrail;
}

export interface EstateDocument {
  _id: string;
  landlordId: string;
  districtId: string;
  name: string;
  audit: AuditTrail;
}

export interface AddressModel {
  number: string | null;
  repetition: string | null;
  streetType: string | null;
  streetName: string;
  postcode: string | null;
  communeCode: string;
}

export interface BuildingDocument {
  _id: string;
  landlordId: string;
  districtId: string;
  estateId: string | null;
  address: AddressModel;
  /** The normalised address: a landlord has one building per address (and an RPLS import groups by it). */
  addressKey: string;
  location: { latitude: number; longitude: number } | null;
  constructionYear: number | null;
  hasLift: boolean | null;
  entrances: { id: string; label: string }[];
  audit: AuditTrail;
}

export interface DwellingDocument {
  _id: string;
  /** The landlord's own identifier (RPLS IDENTLOGT); unique per landlord. */
  reference: string;
  buildingId: string;
  /** Copied from the building so that stock and access checks need no join. */
  landlordId: string;
  districtId: string;
  rooms: number;
  surface: number | null;
  floor: number | null;
  financing: Financing | null;
  energyClass: EnergyClass | null;
  constructionType: ConstructionType | null;
  rentCents: number | null;
  audit: AuditTrail;
}

export interface LandlordStockModel {
  landlordId: string;
  buildings: number;
  dwellings: number;
}

export interface StockSummaryModel {
  dwellings: number;
  buildings: number;
  byLandlord: LandlordStockModel[];
  byRooms: { rooms: number; count: number }[];
  byFinancing: { financing: Financing | null; count: number }[];
  byEnergyClass: { energyClass: EnergyClass | null; count: number }[];
}
