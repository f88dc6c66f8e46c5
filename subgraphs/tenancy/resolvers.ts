import { districtRecord, privateRecord, recordInDistrict } from '../shared/access';
import { auditField } from '../shared/audit';
import { type BuildingFacts, type DwellingFacts, type EntityReference, reference } from '../shared/directory';
import { emptyConnection } from '../shared/pagination';
import { CalendarDate, DateTime } from '../shared/scalars';
import { selectedFieldNames } from '../shared/selection';
import * as commands from './commands';
import { statsPartsFor } from './data/requestStats';
import { disclosedScores, satisfiedRate } from './data/satisfactionSurveys';
import type { Resolvers } from './generated/resolvers';
import type { Context } from './index';

/** Thin: each field names the data it needs and the rule it obeys; the work is in the store and `access`. */

/** Buildings, dwellings and districts are shared with their district: resolvable here when the caller may know them. */
async function knownInDistrict(context: Context, facts: BuildingFacts | DwellingFacts | null): Promise<EntityReference | null> {
  const known = await context.access.known(facts, recordInDistrict);
  return known ? reference(known._id) : null;
}

export const resolvers: Resolvers = {
  DateTime,
  Date: CalendarDate,

  Query: {
    serviceRequest: async (_, { id }, context) => context.access.known(await context.store.serviceRequests.byId(id), privateRecord),
    household: async (_, { id }, context) => context.access.known(await context.store.households.byId(id), privateRecord),
  },

  Mutation: {
    openServiceRequest: (_, { input }, context) => commands.openServiceRequest(context, input),
    updateServiceRequest: (_, { id, status, expectedVersion }, context) =>
      commands.updateServiceRequest(context, id, status, expectedVersion),
    registerHousehold: (_, { input }, context) => commands.registerHousehold(context, input),
    recordSatisfactionSurvey: (_, { input }, context) => commands.recordSatisfactionSurvey(context, input),
  },

  ServiceRequest: {
    __resolveReference: async (request, context) =>
      context.access.known(await context.store.serviceRequests.byId(request.id), privateRecord),
    building: (request) => reference(request.buildingId),
    dwelling: (request) => (request.dwellingId ? reference(request.dwellingId) : null),
    description: (request, _, context) => {
      context.access.assertOwnsDataOf(request.landlordId);
      return request.description;
    },
    audit: auditField,
  },

  Household: {
    __resolveReference: async (household, context) =>
      context.access.known(await context.store.households.byId(household.id), privateRecord),
    dwelling: (household) => reference(household.dwellingId),
    audit: auditField,
  },

  Building: {
    __resolveReference: async (building, context) => knownInDistrict(context, await context.directory.buildings.load(building.id)),
    /** Lists filter: another landlord's building shows no requests rather than an error. */
    requests: async (building, args, context) => {
      const facts = await context.directory.buildings.load(building.id);
      if (!facts || !context.access.ownsDataOf(facts.landlordId)) return emptyConnection();
      return context.store.serviceRequests.pageOfBuilding(building.id, args);
    },
    /** Fixed cells under the small-cells rule (see RequestStatistics). */
    requestStats: (building, args, context, info) =>
      context.store.requestStatistics.ofBuilding(building.id, args, statsPartsFor(selectedFieldNames(info))),
  },

  District: {
    __resolveReference: async (district, context) => {
      const known = await context.access.known(await context.directory.districts.load(district.id), districtRecord);
      return known ? reference(known._id) : null;
    },
    requestStats: (district, args, context, info) =>
      context.store.requestStatistics.ofDistrict(district.id, args, statsPartsFor(selectedFieldNames(info))),
    satisfaction: (district, { year }, context) => context.store.satisfactionSurveys.ofDistrict(district.id, year ?? null),
  },

  Dwelling: {
    __resolveReference: async (dwelling, context) => knownInDistrict(context, await context.directory.dwellings.load(dwelling.id)),
    /** Private even when empty: whether a dwelling is occupied is the landlord's to know. */
    household: async (dwelling, _, context) => {
      const facts = await context.directory.dwellings.load(dwelling.id);
      if (!facts) return null;
      context.access.assertOwnsDataOf(facts.landlordId);
      return context.store.households.currentOf(facts._id);
    },
  },

  SatisfactionSurvey: {
    landlord: (survey) => reference(survey.landlordId),
    district: (survey) => reference(survey.districtId),
    themes: (survey, _, context) => disclosedScores(survey, context.access.ownsDataOf(survey.landlordId)),
  },

  SatisfactionScore: {
    satisfiedRate: (score) => satisfiedRate(score),
  },
};
