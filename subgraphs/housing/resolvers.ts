import { districtRecord, landlordRecord, recordInDistrict } from '../shared/access';
import { auditField } from '../shared/audit';
import { addressLabel } from '../shared/directory';
import { emptyConnection } from '../shared/pagination';
import { requireLoaded } from '../shared/records';
import { CalendarDate, DateTime } from '../shared/scalars';
import { selectedFieldNames } from '../shared/selection';
import * as commands from './commands';
import { stockBreakdownsFor } from './data/stock';
import type { Resolvers } from './generated/resolvers';

/** Thin: each field names the data it needs and the rule it obeys; the work is in the store and `access`. */

export const resolvers: Resolvers = {
  DateTime,
  Date: CalendarDate,

  Query: {
    /** The landlords `access.canSeeLandlord` lets the caller know of, which `landlord(id)` answers for. */
    landlords: async (_, __, context) => {
      const scope = await context.access.districtScope();
      if (scope === 'ALL') return context.store.landlords.list();
      const landlordIds = await Promise.all([...scope].map((id) => context.store.buildings.landlordIdsOfDistrict(id)));
      const own = context.caller.role === 'LANDLORD_STAFF' ? [context.caller.landlordId] : [];
      return context.store.landlords.list([...new Set([...own, ...landlordIds.flat()])]);
    },
    landlord: async (_, { id }, context) => context.access.known(await context.store.landlords.byId(id), landlordRecord),
    districts: async (_, __, context) => {
      const scope = await context.access.districtScope();
      return context.store.districts.list(scope === 'ALL' ? undefined : [...scope]);
    },
    district: async (_, { id }, context) => context.access.known(await context.store.districts.byId(id), districtRecord),
    building: async (_, { id }, context) => context.access.known(await context.store.buildings.byId(id), recordInDistrict),
    dwelling: async (_, { id }, context) => context.access.known(await context.store.dwellings.byId(id), recordInDistrict),
  },

  Mutation: {
    registerLandlord: (_, { input }, context) => commands.registerLandlord(context, input),
    registerDistrict: (_, { input }, context) => commands.registerDistrict(context, input),
    registerBuilding: (_, { input }, context) => commands.registerBuilding(context, input),
    registerDwellings: (_, { buildingId, dwellings }, context) => commands.registerDwellings(context, buildingId, dwellings),
    importBuildings: (_, { landlordId, districtId, buildings, dryRun }, context) =>
      // The generated type says a defaulted argument is never null, but a client may still send `dryRun: null`.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      commands.importBuildings(context, { landlordId, districtId, buildings, dryRun: dryRun ?? false }),
  },

  Landlord: {
    __resolveReference: async (reference, context) =>
      context.access.known(await context.store.landlords.byId(reference.id), landlordRecord),
    districts: async (landlord, _, context) => {
      const districtIds = await context.directory.districtsOfLandlord(landlord._id);
      const visible = await context.access.filterVisible(districtIds, (id) => [id]);
      return context.store.districts.byIds(visible);
    },
    buildings: async (landlord, { districtId, first, after }, context) => {
      const scope = await context.access.districtScope();
      // Lists filter: a district outside the caller's cooperation lists nothing, as one that does not exist.
      if (districtId && !(await context.access.canSeeDistrict(districtId))) return emptyConnection();
      const districtIds = districtId ? [districtId] : scope === 'ALL' ? 'ALL' : [...scope];
      return context.store.buildings.pageOfLandlord(landlord._id, { first, after }, districtIds);
    },
    audit: auditField,
  },

  District: {
    __resolveReference: async (reference, context) =>
      context.access.known(await context.store.districts.byId(reference.id), districtRecord),
    landlords: async (district, _, context) =>
      context.store.landlords.byIds(await context.store.buildings.landlordIdsOfDistrict(district._id)),
    estates: (district, _, context) => context.store.estates.ofDistrict(district._id),
    buildings: (district, { landlordId, first, after }, context) =>
      context.store.buildings.pageOfDistrict(district._id, { first, after }, landlordId),
    stock: (district, _, context, info) => context.store.stockOfDistrict(district._id, stockBreakdownsFor(selectedFieldNames(info))),
    audit: auditField,
  },

  Estate: {
    __resolveReference: async (reference, context) =>
      context.access.known(await context.store.estates.byId(reference.id), recordInDistrict),
    landlord: (estate, _, context) => requireLoaded(context.store.landlords.byId(estate.landlordId)),
    district: (estate, _, context) => requireLoaded(context.store.districts.byId(estate.districtId)),
    buildings: (estate, _, context) => context.store.buildings.ofEstate(estate._id),
  },

  Building: {
    __resolveReference: async (reference, context) =>
      context.access.known(await context.store.buildings.byId(reference.id), recordInDistrict),
    landlord: (building, _, context) => requireLoaded(context.store.landlords.byId(building.landlordId)),
    district: (building, _, context) => requireLoaded(context.store.districts.byId(building.districtId)),
    estate: (building, _, context) => (building.estateId ? context.store.estates.byId(building.estateId) : null),
    address: (building) => ({ ...building.address, label: addressLabel(building.address) }),
    dwellingCount: (building, _, context) => context.store.dwellings.countInBuilding(building._id),
    dwellings: (building, { first, after }, context) => context.store.dwellings.pageOfBuilding(building._id, { first, after }),
    audit: auditField,
  },

  Dwelling: {
    __resolveReference: async (reference, context) =>
      context.access.known(await context.store.dwellings.byId(reference.id), recordInDistrict),
    building: (dwelling, _, context) => requireLoaded(context.store.buildings.byId(dwelling.buildingId)),
    rentCents: (dwelling, _, context) => {
      context.access.assertOwnsDataOf(dwelling.landlordId);
      return dwelling.rentCents;
    },
    audit: auditField,
  },

  LandlordStock: {
    landlord: (entry, _, context) => requireLoaded(context.store.landlords.byId(entry.landlordId)),
  },
};
