import { districtRecord, privateRecord, recordInDistrict, referredRecord, visibleDistricts } from '../shared/access';
import { auditField } from '../shared/audit';
import { badInput } from '../shared/errors';
import { type BuildingFacts, type DwellingFacts, type EntityReference, reference } from '../shared/directory';
import { emptyConnection } from '../shared/pagination';
import { requireLoaded } from '../shared/records';
import { CalendarDate, DateTime } from '../shared/scalars';
import { selectedFieldNames } from '../shared/selection';
import { callDataPurgeOn, campaignStatus } from './campaignCalendar';
import * as campaignCommands from './campaignCommands';
import { callHolder, holdsCall } from './campaignCommands';
import { campaignProgress } from './campaignProgress';
import { callListCsv } from './callListCsv';
import * as commands from './commands';
import { statsPartsFor } from './data/requestStats';
import { disclosedScores, satisfiedRate } from './data/satisfactionSurveys';
import { householdProfile, householdVersion } from './householdProfile';
import type { HouseholdDocument } from './model';
import { referralContact } from './referralContact';
import type { Resolvers } from './generated/resolvers';
import type { Context } from './index';

/** Thin: each field names the data it needs and the rule it obeys; the work is in the store and `access`. */

/** Buildings, dwellings and districts are shared with their district: resolvable here when the caller may know them. */
async function knownInDistrict(context: Context, facts: BuildingFacts | DwellingFacts | null): Promise<EntityReference | null> {
  const known = await context.access.known(facts, recordInDistrict);
  return known ? reference(known._id) : null;
}

/** A household's contact data, read: recorded in the contact access log before it is given. */
async function loggedContact(
  household: HouseholdDocument,
  field: 'contactName' | 'contactFirstName' | 'phone',
  context: Context,
): Promise<string | null> {
  const value = householdProfile(household)[field];
  if (value !== null) {
    await context.store.contactAccess.record({ landlordId: household.landlordId, householdId: household._id, campaignId: null }, 'VIEWED');
  }
  return value;
}

export const resolvers: Resolvers = {
  DateTime,
  Date: CalendarDate,

  Query: {
    serviceRequest: async (_, { id }, context) => context.access.known(await context.store.serviceRequests.byId(id), privateRecord),
    household: async (_, { id }, context) => context.access.known(await context.store.households.byId(id), privateRecord),
    campaign: async (_, { id }, context) => context.access.known(await context.store.campaigns.byId(id), recordInDistrict),
    campaigns: async (_, { districtId, status }, context) => {
      const districts = await visibleDistricts(context.access);
      const selected = districtId ? (districts === 'ALL' || districts.includes(districtId) ? [districtId] : []) : districts;
      const campaigns = await context.store.campaigns.ofDistricts(selected);
      const now = new Date();
      return status ? campaigns.filter((campaign) => campaignStatus(campaign, now) === status) : campaigns;
    },
    campaignCall: async (_, { id }, context) => context.access.known(await context.store.campaignCalls.byId(id), privateRecord),
    referral: async (_, { id }, context) => context.access.known(await context.store.referrals.byId(id), referredRecord),
    /** Lists filter: a partner its own, a landlord's staff their landlord's, admins all; anyone else none. */
    referrals: (_, args, context) => {
      const caller = context.caller;
      switch (caller.role) {
        case 'ADMIN':
          return context.store.referrals.page('ALL', args);
        case 'PARTNER':
          return context.store.referrals.page({ partnerId: caller.partnerId }, args);
        case 'LANDLORD_STAFF':
          return context.store.referrals.page({ landlordId: caller.landlordId }, args);
        case 'COORDINATOR':
          return emptyConnection();
      }
    },
    /** Lists filter: another landlord's log, or a role without one, shows no entries rather than an error. */
    contactAccessLog: async (_, { landlordId, householdId, first, after }, context) => {
      const { access, caller } = context;
      const household = householdId ? await access.known(await context.store.households.byId(householdId), privateRecord) : null;
      if (householdId && !household) return emptyConnection();
      const named = landlordId ?? household?.landlordId;
      const landlord = caller.role === 'LANDLORD_STAFF' ? caller.landlordId : access.isAdmin ? named : null;
      if (!landlord) {
        if (access.isAdmin) throw badInput('landlordId is required when an admin reads the log without a household.', 'landlordId');
        return emptyConnection();
      }
      if ((named && named !== landlord) || (household && household.landlordId !== landlord)) return emptyConnection();
      return context.store.contactAccess.page(landlord, householdId ?? null, { first, after });
    },
  },

  Mutation: {
    openServiceRequest: (_, { input }, context) => commands.openServiceRequest(context, input),
    updateServiceRequest: (_, { id, status, expectedVersion }, context) =>
      commands.updateServiceRequest(context, id, status, expectedVersion),
    registerHousehold: (_, { input }, context) => commands.registerHousehold(context, input),
    recordSatisfactionSurvey: (_, { input }, context) => commands.recordSatisfactionSurvey(context, input),
    updateHouseholdProfile: (_, { id, input, expectedVersion }, context) =>
      commands.updateHouseholdProfile(context, id, input, expectedVersion),
    openCampaign: (_, { input }, context) => campaignCommands.openCampaign(context, input),
    refreshCallList: (_, { campaignId, landlordId }, context) => campaignCommands.refreshCallList(context, campaignId, landlordId),
    endCampaign: (_, { id, expectedVersion }, context) => campaignCommands.endCampaign(context, id, expectedVersion),
    claimNextCall: (_, { campaignId }, context) => campaignCommands.claimNextCall(context, campaignId),
    releaseCall: (_, { id, expectedVersion }, context) => campaignCommands.releaseCall(context, id, expectedVersion),
    recordCallAttempt: (_, { input }, context) => campaignCommands.recordCallAttempt(context, input),
    recordReferralConsent: (_, { callId, consent, expectedVersion }, context) =>
      campaignCommands.recordReferralConsent(context, callId, consent, expectedVersion),
    referNeed: (_, { input }, context) => campaignCommands.referNeed(context, input),
    recordReferralOutcome: (_, { id, done, expectedVersion }, context) =>
      campaignCommands.recordReferralOutcome(context, id, done, expectedVersion),
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
    contactName: (household, _, context) => loggedContact(household, 'contactName', context),
    contactFirstName: (household, _, context) => loggedContact(household, 'contactFirstName', context),
    phone: (household, _, context) => loggedContact(household, 'phone', context),
    eldestMemberAgeBand: (household) => householdProfile(household).eldestMemberAgeBand,
    livesAlone: (household) => householdProfile(household).livesAlone,
    contactConsent: (household) => householdProfile(household).contactConsent,
    preferredChannel: (household) => householdProfile(household).preferredChannel,
    preferredTimes: (household) => householdProfile(household).preferredTimes,
    entrance: (household) => householdProfile(household).entrance,
    version: (household) => householdVersion(household),
    audit: auditField,
  },

  Campaign: {
    __resolveReference: async (campaign, context) =>
      context.access.known(await context.store.campaigns.byId(campaign.id), recordInDistrict),
    district: (campaign) => reference(campaign.districtId),
    status: (campaign) => campaignStatus(campaign, new Date()),
    openedByLandlord: (campaign) => (campaign.openedByLandlordId ? reference(campaign.openedByLandlordId) : null),
    landlords: (campaign) => campaign.landlordIds.map(reference),
    callDataPurgeOn: (campaign, _, context) => callDataPurgeOn(campaign, context.store.campaignSettings.retentionMonths),
    /** Lists filter: another landlord's list, or a role without one, shows no calls rather than an error. */
    calls: (campaign, { landlordId, status, first, after }, context) => {
      const { access, caller } = context;
      const landlord = caller.role === 'LANDLORD_STAFF' ? caller.landlordId : access.isAdmin ? landlordId : null;
      if (!landlord || (landlordId && landlordId !== landlord) || !campaign.landlordIds.includes(landlord)) return emptyConnection();
      return context.store.campaignCalls.pageOfList(campaign._id, landlord, { status, first, after });
    },
    myCallsToday: (campaign, _, context) => {
      const caller = context.caller;
      if (caller.role !== 'LANDLORD_STAFF') return [];
      return context.store.campaignCalls.queueOf({ campaignId: campaign._id, landlordId: caller.landlordId, caller, now: new Date() });
    },
    callListCsv: (campaign, { landlordId }, context) => callListCsv(context, campaign, context.access.actingLandlord(landlordId)),
    progress: async (campaign, _, context) => {
      await context.access.assertCanSeeDistrictReport(campaign.districtId);
      return campaignProgress(context, campaign);
    },
    audit: auditField,
  },

  CampaignCall: {
    __resolveReference: async (call, context) => context.access.known(await context.store.campaignCalls.byId(call.id), privateRecord),
    campaign: async (call, _, context) => requireLoaded(context.store.campaigns.byId(call.campaignId)),
    landlord: (call) => reference(call.landlordId),
    household: async (call, _, context) => context.access.known(await context.store.households.byId(call.householdId), privateRecord),
    assignedTo: (call) => callHolder(call, new Date()) ?? call.lastCalledBy,
    claimExpiresAt: (call) => (callHolder(call, new Date()) !== null ? call.claimExpiresAt : null),
    heldByMe: (call, _, context) => holdsCall(call, context.caller.sub, new Date()),
    referrals: (call, _, context) => context.store.referrals.ofCall(call._id),
  },

  Referral: {
    __resolveReference: async (referral, context) => context.access.known(await context.store.referrals.byId(referral.id), referredRecord),
    campaign: async (referral, _, context) => requireLoaded(context.store.campaigns.byId(referral.campaignId)),
    partner: (referral) => reference(referral.partnerId),
    contact: (referral, _, context) => referralContact(context, referral),
  },

  ContactAccessEntry: {
    household: async (entry, _, context) => context.access.known(await context.store.households.byId(entry.householdId), privateRecord),
    partner: (entry) => (entry.partnerId ? reference(entry.partnerId) : null),
    campaign: async (entry, _, context) =>
      entry.campaignId ? context.access.known(await context.store.campaigns.byId(entry.campaignId), recordInDistrict) : null,
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
